"""The Partner role: API clients that receive embargoed stories (see articles/roles.py)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations


def add_partner(apps, schema_editor):
    # The permission is new in 0007; it is normally created after all migrations.
    articles = apps.get_app_config("articles")
    models_module, articles.models_module = getattr(articles, "models_module", None), True
    create_permissions(articles, apps=apps, verbosity=0)
    articles.models_module = models_module
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    partner, _ = Group.objects.get_or_create(name="Partner")
    partner.permissions.set(
        Permission.objects.filter(content_type__app_label="articles", codename="view_embargoed")
    )


def remove_partner(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name="Partner").delete()


class Migration(migrations.Migration):
    dependencies = [("articles", "0007_api")]

    operations = [migrations.RunPython(add_partner, remove_partner)]
