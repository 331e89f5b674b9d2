"""The desk's two roles as groups: Reporter and Editor (see articles/roles.py).

Self-contained: the roles as they were when this migration was written, so
that later changes to articles/roles.py (each with its own migration) do not
rewrite history.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

ENTITIES = ["source", "person", "place"]
ROLES = {
    "Reporter": [
        "add_article",
        "change_article",
        "view_article",
        "view_correction",
        *[f"view_{model}" for model in ENTITIES],
    ],
    "Editor": [
        *[
            f"{action}_{model}"
            for model in ["article", "correction", "wireitem", *ENTITIES]
            for action in ("add", "change", "delete", "view")
        ],
        "publish_article",
        "edit_any_article",
    ],
}


def add_roles(apps, schema_editor):
    # Permissions are normally created after all migrations have run; the
    # groups need them now.
    articles = apps.get_app_config("articles")
    models_module, articles.models_module = getattr(articles, "models_module", None), True
    create_permissions(articles, apps=apps, verbosity=0)
    articles.models_module = models_module
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in ROLES.items():
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.set(
            Permission.objects.filter(content_type__app_label="articles", codename__in=codenames)
        )


def remove_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=ROLES).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0003_editors_desk"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(add_roles, remove_roles)]
