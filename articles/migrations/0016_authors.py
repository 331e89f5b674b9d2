"""Authors: the newsroom's own writers, credited on the stories they wrote
(Article.authors), and a source's short name for credit lines ("By Jane Doe, Trend")."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

import articles.models.entities


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0015_desk_dashboard"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="source",
            name="short_name",
            field=models.CharField(
                blank=True,
                help_text='How a credit line names it: "Trend" for Trend News Agency. Blank: its name.',
                max_length=100,
            ),
        ),
        migrations.AlterField(
            model_name="article",
            name="byline",
            field=models.CharField(
                blank=True,
                help_text='Credit text, such as an agency\'s. Left blank, the story is credited to its authors and source: "By Jane Doe, Trend".',
                max_length=200,
            ),
        ),
        migrations.CreateModel(
            name="Author",
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
                    "title",
                    models.CharField(
                        blank=True,
                        help_text='Role or title, e.g. "Baku correspondent".',
                        max_length=200,
                    ),
                ),
                (
                    "bio",
                    models.TextField(blank=True, help_text="A short biography for their page."),
                ),
                (
                    "user",
                    models.OneToOneField(
                        blank=True,
                        help_text="Their account on the desk, if they have one.",
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="author",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "ordering": ["name", "id"],
                "abstract": False,
            },
        ),
        migrations.AddField(
            model_name="article",
            name="authors",
            field=models.ManyToManyField(blank=True, related_name="articles", to="articles.author"),
        ),
        migrations.AddConstraint(
            model_name="author",
            constraint=models.CheckConstraint(
                condition=models.Q(("name", ""), _negated=True),
                name="articles_author_name_not_empty",
            ),
        ),
    ]
