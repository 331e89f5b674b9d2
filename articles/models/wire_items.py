"""What the wire desk received, and what it did with each piece of copy."""

from django.conf import settings
from django.db import models
from django.db.models import Prefetch, Q
from django.utils import timezone
from django.utils.functional import cached_property

from articles import bodies, kinds, wire
from articles.models.articles import Article, Status
from articles.models.entities import Source


class WireOutcome(models.TextChoices):
    CREATED = "created", "Created a draft"
    REVISED = "revised", "Revised the draft in place"
    PENDING = "pending", "Update waiting for an editor"
    ACCEPTED = "accepted", "Update accepted"
    IGNORED = "ignored", "Update ignored"


class Handled(models.TextChoices):
    """What an editor did with a new wire draft in the inbox."""

    TAKEN = "taken", "Taken"
    DISMISSED = "dismissed", "Dismissed"


class AlreadyHandled(Exception):
    """Someone took or dismissed the wire draft first (or the copy made no new draft)."""

    def __init__(self, current):
        self.current = current
        if not current.handled:
            message = "This copy did not make a new draft, so it is not in the inbox."
        else:
            who = current.decided_by.get_username() if current.decided_by else "Someone"
            when = timezone.localtime(current.decided_at).strftime("%H:%M:%S on %d %b %Y")
            did = "took" if current.handled == Handled.TAKEN else "dismissed"
            message = f"{who} {did} this draft first, at {when}."
        super().__init__(message)


class WireItemQuerySet(models.QuerySet):
    def applied(self):
        """Copies whose text is (or was) the article's body."""
        return self.filter(
            outcome__in=[WireOutcome.CREATED, WireOutcome.REVISED, WireOutcome.ACCEPTED]
        )

    def pending(self):
        return self.filter(outcome=WireOutcome.PENDING)

    def inbox(self):
        """New wire drafts waiting for an editor, newest first: no one took or
        dismissed them, and they are still drafts (a story sent for review or
        published has been dealt with, inbox or not)."""
        return self.filter(
            outcome=WireOutcome.CREATED, handled="", article__status=Status.DRAFT
        ).order_by("-received_at", "-id")

    def for_listing(self):
        """A row of a list of wire drafts: the draft, its agency, who brought the copy in.

        The copy's text and the story's body stay in the database: a list shows neither.
        """
        return self.select_related(
            "article__source", "article__dateline", "source", "received_by"
        ).defer("text", "article__body", "article__body_html", "article__original_text")

    def for_updates(self):
        """A waiting update with the story it would change (its body, for the diff)."""
        return self.select_related("article", "source")

    def with_article_links(self):
        """The drafts' linked entities too (names and addresses), for the inbox's rows."""
        return self.prefetch_related(
            *(
                Prefetch(
                    f"article__{kind.link_field}",
                    queryset=kind.model.objects.only("id", "slug", "name"),
                )
                for kind in kinds.LINKED
            )
        )


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
    # A new draft stays in the wire inbox until an editor takes or dismisses it;
    # decided_by and decided_at say who and when, as for an update.
    handled = models.CharField(max_length=10, choices=Handled, blank=True)

    objects = WireItemQuerySet.as_manager()

    class Meta:
        ordering = ["-received_at", "-id"]
        indexes = [
            models.Index(fields=["article", "-received_at"], name="wireitem_article_idx"),
            models.Index(fields=["source", "agency_id"], name="wireitem_agency_id_idx"),
            models.Index(
                fields=["-received_at", "-id"],
                condition=Q(outcome=WireOutcome.CREATED, handled=""),
                name="wireitem_inbox_idx",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(outcome__in=WireOutcome.values), name="wireitem_outcome_valid"
            ),
            # Only a new draft is in the inbox, so only a new draft is taken or dismissed.
            models.CheckConstraint(
                condition=Q(handled="")
                | Q(outcome=WireOutcome.CREATED, handled__in=Handled.values),
                name="wireitem_handled_valid",
            ),
        ]

    def __str__(self):
        return f"{self.headline} ({self.get_outcome_display().lower()})"

    def leave_inbox(self, handled, *, by):
        """Take the new draft out of the inbox as ``handled`` by ``by``, once.

        One conditional UPDATE, so of two editors deciding at the same moment
        one wins and the other is told who did (AlreadyHandled).
        """
        now = timezone.now()
        left = WireItem.objects.filter(pk=self.pk, outcome=WireOutcome.CREATED, handled="").update(
            handled=handled, decided_by=by, decided_at=now
        )
        if not left:
            raise AlreadyHandled(WireItem.objects.select_related("decided_by").get(pk=self.pk))
        self.handled, self.decided_by, self.decided_at = handled, by, now

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
