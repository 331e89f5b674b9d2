"""Sections: the parts of the paper a story is filed in (Article.section), in the
navigation's order."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

import articles.models.entities


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0019_image_roles"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="Section",
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
                ("name", models.CharField(max_length=200)),
                (
                    "aliases",
                    models.JSONField(
                        blank=True,
                        default=list,
                        encoder=articles.models.entities.UnicodeJSONEncoder,
                        help_text='Other names the wire uses, as a list: spellings, short forms and, for places, demonyms such as "Azerbaijani".',
                    ),
                ),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                ("updated_at", models.DateTimeField(auto_now=True)),
                (
                    "description",
                    models.TextField(blank=True, help_text="A sentence or two for its page."),
                ),
                (
                    "position",
                    models.PositiveSmallIntegerField(
                        default=0,
                        help_text="Its place in the site's navigation: lower comes first.",
                    ),
                ),
                (
                    "image",
                    models.ForeignKey(
                        blank=True,
                        help_text="A portrait, a view or a logo, for the page about them.",
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to="articles.image",
                    ),
                ),
            ],
            options={
                "ordering": ["position", "name", "id"],
                "abstract": False,
            },
        ),
        migrations.AddField(
            model_name="article",
            name="section",
            field=models.ForeignKey(
                blank=True,
                help_text="The part of the paper it runs in. Drafts may have none yet.",
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="articles",
                to="articles.section",
            ),
        ),
        migrations.AddIndex(
            model_name="article",
            index=models.Index(fields=["section", "-published_at"], name="article_section_idx"),
        ),
        migrations.AddIndex(
            model_name="section",
            index=models.Index(fields=["position", "name"], name="section_navigation_idx"),
        ),
        migrations.AddConstraint(
            model_name="section",
            constraint=models.CheckConstraint(
                condition=models.Q(("name", ""), _negated=True),
                name="articles_section_name_not_empty",
            ),
        ),
    ]
