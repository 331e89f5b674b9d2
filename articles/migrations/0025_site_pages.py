"""Site pages: About, Contact, the corrections policy, the terms, each at /<slug>/ and in
every page's footer; editors maintain them (see articles/roles.py).

Self-contained, as 0004 is: the permissions as they were when this migration was
written, added to the groups 0004 made.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations, models

ROLES = {
    "Editor": ["add_sitepage", "change_sitepage", "delete_sitepage", "view_sitepage"],
}


def add_site_page_permissions(apps, schema_editor):
    # The model is new here; its permissions are normally created after all migrations
    # have run, and the groups need them now.
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


def remove_site_page_permissions(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for group in Group.objects.filter(name__in=ROLES):
        group.permissions.remove(
            *Permission.objects.filter(
                content_type__app_label="articles", codename__in=ROLES[group.name]
            )
        )


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0024_section_rules"),
    ]

    operations = [
        migrations.CreateModel(
            name="SitePage",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "slug",
                    models.SlugField(
                        blank=True,
                        help_text="Part of the public address. Left blank, it is made from the name.",
                        max_length=120,
                        unique=True,
                    ),
                ),
                ("title", models.CharField(max_length=200)),
                (
                    "description",
                    models.CharField(
                        blank=True,
                        help_text="A sentence for search engines and link previews (the meta description).",
                        max_length=300,
                    ),
                ),
                ("body", models.TextField(blank=True)),
                (
                    "footer_position",
                    models.PositiveSmallIntegerField(
                        default=0,
                        help_text="Its place in the footer of every page: lower comes first.",
                    ),
                ),
                (
                    "published",
                    models.BooleanField(
                        default=False,
                        help_text="Unpublished, readers get “not found” at its address.",
                    ),
                ),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                ("updated_at", models.DateTimeField(auto_now=True)),
            ],
            options={
                "ordering": ["footer_position", "title", "id"],
                "indexes": [
                    models.Index(fields=["footer_position", "title"], name="sitepage_footer_idx")
                ],
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(("title", ""), _negated=True),
                        name="articles_sitepage_title_not_empty",
                    )
                ],
            },
        ),
        migrations.RunPython(add_site_page_permissions, remove_site_page_permissions),
    ]
