"""The desk's two roles as groups: Reporter and Editor (see articles/roles.py)."""

from django.db import migrations

from articles.roles import ROLES, create_roles


def add_roles(apps, schema_editor):
    create_roles(apps)


def remove_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=ROLES).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0003_editors_desk"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(add_roles, remove_roles)]
