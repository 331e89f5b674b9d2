"""The desk dashboard and the wire inbox: who sent a story for review and when,
and whether an editor took or dismissed a new wire draft.

Stories already in review get their last change as their submission, the best
record there is; the wire drafts already made stay in the inbox while they are
still drafts."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def submissions_from_last_change(apps, schema_editor):
    Article = apps.get_model("articles", "Article")
    Article.objects.filter(status="review").update(
        submitted_at=models.F("updated_at"), submitted_by=models.F("updated_by")
    )


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0014_formatted_bodies"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="article",
            name="submitted_at",
            field=models.DateTimeField(blank=True, editable=False, null=True),
        ),
        migrations.AddField(
            model_name="article",
            name="submitted_by",
            field=models.ForeignKey(
                blank=True,
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AddField(
            model_name="wireitem",
            name="handled",
            field=models.CharField(
                blank=True, choices=[("taken", "Taken"), ("dismissed", "Dismissed")], max_length=10
            ),
        ),
        # Reversed, the columns go: nothing to undo.
        migrations.RunPython(submissions_from_last_change, migrations.RunPython.noop),
        migrations.AddIndex(
            model_name="article",
            index=models.Index(
                condition=models.Q(("status", "draft")),
                fields=["created_by", "-updated_at", "-id"],
                name="article_drafts_idx",
            ),
        ),
        migrations.AddIndex(
            model_name="article",
            index=models.Index(
                condition=models.Q(("status", "review")),
                fields=["submitted_at", "id"],
                name="article_review_idx",
            ),
        ),
        migrations.AddIndex(
            model_name="article",
            index=models.Index(
                condition=models.Q(("headline_needs_review", True)),
                fields=["-created_at", "-id"],
                name="article_flagged_idx",
            ),
        ),
        migrations.AddIndex(
            model_name="wireitem",
            index=models.Index(
                condition=models.Q(("handled", ""), ("outcome", "created")),
                fields=["-received_at", "-id"],
                name="wireitem_inbox_idx",
            ),
        ),
        migrations.AddConstraint(
            model_name="wireitem",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("handled", ""),
                    models.Q(("handled__in", ["taken", "dismissed"]), ("outcome", "created")),
                    _connector="OR",
                ),
                name="wireitem_handled_valid",
            ),
        ),
    ]
