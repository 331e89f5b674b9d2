"""Never-link phrases and the ambiguous flag: what the wire desk must not link, and what it
links only when the story supports it."""

from django.db import migrations, models

import articles.models.entities


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0025_site_pages"),
    ]

    operations = [
        migrations.AddField(
            model_name="author",
            name="ambiguous",
            field=models.BooleanField(
                default=False,
                help_text="Its name is also a common word or names something else (Georgia, Turkey, Trend): the wire desk links it only when the story supports it.",
            ),
        ),
        migrations.AddField(
            model_name="author",
            name="never_link",
            field=models.JSONField(
                blank=True,
                default=list,
                encoder=articles.models.entities.UnicodeJSONEncoder,
                help_text='Longer names that contain one of its names but are something else, as a list: "Trend Micro", "Georgia Tech". The wire desk never links them to it.',
                verbose_name="never link",
            ),
        ),
        migrations.AddField(
            model_name="person",
            name="ambiguous",
            field=models.BooleanField(
                default=False,
                help_text="Its name is also a common word or names something else (Georgia, Turkey, Trend): the wire desk links it only when the story supports it.",
            ),
        ),
        migrations.AddField(
            model_name="person",
            name="never_link",
            field=models.JSONField(
                blank=True,
                default=list,
                encoder=articles.models.entities.UnicodeJSONEncoder,
                help_text='Longer names that contain one of its names but are something else, as a list: "Trend Micro", "Georgia Tech". The wire desk never links them to it.',
                verbose_name="never link",
            ),
        ),
        migrations.AddField(
            model_name="place",
            name="ambiguous",
            field=models.BooleanField(
                default=False,
                help_text="Its name is also a common word or names something else (Georgia, Turkey, Trend): the wire desk links it only when the story supports it.",
            ),
        ),
        migrations.AddField(
            model_name="place",
            name="never_link",
            field=models.JSONField(
                blank=True,
                default=list,
                encoder=articles.models.entities.UnicodeJSONEncoder,
                help_text='Longer names that contain one of its names but are something else, as a list: "Trend Micro", "Georgia Tech". The wire desk never links them to it.',
                verbose_name="never link",
            ),
        ),
        migrations.AddField(
            model_name="section",
            name="ambiguous",
            field=models.BooleanField(
                default=False,
                help_text="Its name is also a common word or names something else (Georgia, Turkey, Trend): the wire desk links it only when the story supports it.",
            ),
        ),
        migrations.AddField(
            model_name="section",
            name="never_link",
            field=models.JSONField(
                blank=True,
                default=list,
                encoder=articles.models.entities.UnicodeJSONEncoder,
                help_text='Longer names that contain one of its names but are something else, as a list: "Trend Micro", "Georgia Tech". The wire desk never links them to it.',
                verbose_name="never link",
            ),
        ),
        migrations.AddField(
            model_name="source",
            name="ambiguous",
            field=models.BooleanField(
                default=False,
                help_text="Its name is also a common word or names something else (Georgia, Turkey, Trend): the wire desk links it only when the story supports it.",
            ),
        ),
        migrations.AddField(
            model_name="source",
            name="never_link",
            field=models.JSONField(
                blank=True,
                default=list,
                encoder=articles.models.entities.UnicodeJSONEncoder,
                help_text='Longer names that contain one of its names but are something else, as a list: "Trend Micro", "Georgia Tech". The wire desk never links them to it.',
                verbose_name="never link",
            ),
        ),
    ]
