"""The Partner role: API clients that receive embargoed stories (see articles/roles.py)."""

from django.db import migrations

from articles.roles import create_roles


def add_roles(apps, schema_editor):
    create_roles(apps)


def remove_partner(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name="Partner").delete()


class Migration(migrations.Migration):
    dependencies = [("articles", "0007_api")]

    operations = [migrations.RunPython(add_roles, remove_partner)]
