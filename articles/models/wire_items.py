"""What the wire desk received, and what it did with each piece of copy."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.functional import cached_property

from articles import bodies, wire
from articles.models.articles import Article
from articles.models.entities import Source


class WireOutcome(models.TextChoices):
    CREATED = "created", "Created a draft"
    REVISED = "revised", "Revised the draft in place"
    PENDING = "pending", "Update waiting for an editor"
    ACCEPTED = "accepted", "Update accepted"
    IGNORED = "ignored", "Update ignored"


class WireItemQuerySet(models.QuerySet):
    def applied(self):
        """Copies whose text is (or was) the article's body."""
        return self.filter(
            outcome__in=[WireOutcome.CREATED, WireOutcome.REVISED, WireOutcome.ACCEPTED]
        )

    def pending(self):
        return self.filter(outcome=WireOutcome.PENDING)


class WireItem(models.Model):
    """One piece of agency copy as received, and what the wire desk did with it."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="wire_items")
    source = models.ForeignKey(
        Source, on_delete=models.SET_NULL, null=True, blank=True, related_name="wire_items"
    )
    format = models.CharField(max_length=10)
    agency_id = models.CharField(
        max_length=300,
        blank=True,
        help_text="The agency's own id for the story (ninjs uri, NITF doc-id).",
    )
    byline = models.CharField(max_length=200, blank=True)
    headline = models.CharField(max_length=300)
    text = models.TextField(help_text="The copy exactly as received.")
    content_hash = models.CharField(max_length=64, unique=True)
    origin = models.CharField(max_length=500, blank=True, help_text="File path, stdin or api.")
    sent_at = models.DateTimeField(null=True, blank=True)
    received_at = models.DateTimeField(default=timezone.now)
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    outcome = models.CharField(max_length=10, choices=WireOutcome)
    similarity = models.FloatField(
        null=True, blank=True, help_text="How close an update is to the copy it updates (0–1)."
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    objects = WireItemQuerySet.as_manager()

    class Meta:
        ordering = ["-received_at", "-id"]
        indexes = [
            models.Index(fields=["article", "-received_at"], name="wireitem_article_idx"),
            models.Index(fields=["source", "agency_id"], name="wireitem_agency_id_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(outcome__in=WireOutcome.values), name="wireitem_outcome_valid"
            ),
        ]

    def __str__(self):
        return f"{self.headline} ({self.get_outcome_display().lower()})"

    @cached_property
    def body(self):
        """The copy's paragraphs as the article would hold them (the body's format)."""
        return bodies.from_plain_text(self.body_text)

    @cached_property
    def body_text(self):
        """The copy's paragraphs as plain text, read from the text as received."""
        return wire.parse(self.text).body


class WireFingerprint(models.Model):
    """A MinHash band key of a wire item, prefixed with its source's id.

    Near-duplicate copy from the same agency shares at least one key.
    """

    wire_item = models.ForeignKey(WireItem, on_delete=models.CASCADE, related_name="fingerprints")
    key = models.CharField(max_length=40)

    class Meta:
        ordering = ["id"]
        # Sixteen rows per copy: one index for look-ups, none for uniqueness,
        # keeps the write per imported file small.
        indexes = [models.Index(fields=["key"], name="wirefingerprint_key_idx")]

    def __str__(self):
        return self.key
