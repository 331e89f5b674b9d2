"""A removal records who could have received the story (ArticleRemoval.audience)
instead of only whether it was public, so a story killed under embargo is told to
the partners who hold it."""

from django.db import migrations, models


def audience_from_was_public(apps, schema_editor):
    # Stories killed under embargo were recorded as never public, like drafts,
    # and cannot be told apart from them now: they stay the desk's.
    ArticleRemoval = apps.get_model("articles", "ArticleRemoval")
    ArticleRemoval.objects.filter(was_public=True).update(audience="public")


def was_public_from_audience(apps, schema_editor):
    ArticleRemoval = apps.get_model("articles", "ArticleRemoval")
    ArticleRemoval.objects.filter(audience="public").update(was_public=True)


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0012_headline_flag_wording"),
    ]

    operations = [
        # A default, so that undoing the removal below can add the column to existing rows.
        migrations.AlterField(
            model_name="articleremoval",
            name="was_public",
            field=models.BooleanField(default=False),
        ),
        migrations.AddField(
            model_name="articleremoval",
            name="audience",
            field=models.CharField(
                choices=[
                    ("public", "Everyone"),
                    ("embargoed", "Embargo partners"),
                    ("desk", "The desk"),
                ],
                default="desk",
                help_text="Who could have received the story.",
                max_length=20,
            ),
            preserve_default=False,
        ),
        migrations.RunPython(audience_from_was_public, was_public_from_audience),
        migrations.RemoveField(
            model_name="articleremoval",
            name="was_public",
        ),
        migrations.AddConstraint(
            model_name="articleremoval",
            constraint=models.CheckConstraint(
                condition=models.Q(("audience__in", ["public", "embargoed", "desk"])),
                name="removal_audience_valid",
            ),
        ),
    ]
