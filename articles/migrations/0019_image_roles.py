"""Pictures in the desk's roles (see articles/roles.py): reporters upload and describe them,
editors manage them.

Self-contained, as 0004 is: the permissions as they were when this migration was
written, added to the groups 0004 made.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

ROLES = {
    "Reporter": ["add_image", "change_image", "view_image"],
    "Editor": ["add_image", "change_image", "delete_image", "view_image"],
}


def add_image_permissions(apps, schema_editor):
    # The image model is new in 0018; its permissions are normally created after
    # all migrations have run, and the groups need them now.
    articles = apps.get_app_config("articles")
    models_module, articles.models_module = getattr(articles, "models_module", None), True
    create_permissions(articles, apps=apps, verbosity=0)
    articles.models_module = models_module
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    # The groups as they stand: one an administrator deleted stays deleted.
    for group in Group.objects.filter(name__in=ROLES):
        group.permissions.add(
            *Permission.objects.filter(
                content_type__app_label="articles", codename__in=ROLES[group.name]
            )
        )


def remove_image_permissions(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for group in Group.objects.filter(name__in=ROLES):
        group.permissions.remove(
            *Permission.objects.filter(
                content_type__app_label="articles", codename__in=ROLES[group.name]
            )
        )


class Migration(migrations.Migration):
    dependencies = [("articles", "0018_pictures")]

    operations = [migrations.RunPython(add_image_permissions, remove_image_permissions)]
