"""The front page in the desk's roles (see articles/roles.py): editors arrange it.

Self-contained, as 0004 is: the permissions as they were when this migration was
written, added to the groups 0004 made.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

ROLES = {"Editor": ["change_frontpage", "view_frontpage"]}


def add_front_permissions(apps, schema_editor):
    # The front page is new in 0022; its permissions are normally created after
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


def remove_front_permissions(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for group in Group.objects.filter(name__in=ROLES):
        group.permissions.remove(
            *Permission.objects.filter(
                content_type__app_label="articles", codename__in=ROLES[group.name]
            )
        )


class Migration(migrations.Migration):
    dependencies = [("articles", "0022_front_page")]

    operations = [migrations.RunPython(add_front_permissions, remove_front_permissions)]
