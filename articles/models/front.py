"""The front page as editors arrange it: a lead story, top stories, and section blocks.

One arrangement (``FrontPage.current()``). What it pins is read at query time
against ``Article.objects.public()``, as every public list is: a pinned story
that is unpublished or archived leaves the front at once, one scheduled in
advance appears at its time, and a pin past its ``until`` is no pin at all.
Whatever is not pinned is filled by publication time (``articles/front_page.py``),
so a front nobody edits is still today's.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone

from articles.models.articles import Article, EditConflict, Status
from articles.models.entities import Section

# How many top stories the front shows below the lead (pinned first, then the newest).
TOP_STORIES = 6
# How many stories a section block shows.
BLOCK_STORIES = 4
# Enough for a real front, few enough that an editor can see them all.
MAX_PINS = TOP_STORIES
MAX_BLOCKS = 12


def live(prefix="", *, now=None):
    """The condition for a pin in force: no end, or an end still to come."""
    now = now or timezone.now()
    return Q(**{f"{prefix}until__isnull": True}) | Q(**{f"{prefix}until__gt": now})


class FrontPage(models.Model):
    """The one arrangement of the front (row 1), versioned as a story is."""

    lead = models.ForeignKey(
        Article,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="lead story",
        help_text="At the top, with a large picture. Empty: the newest story leads.",
    )
    lead_until = models.DateTimeField(
        "lead until",
        null=True,
        blank=True,
        help_text="When the lead pin ends (empty: until an editor changes it).",
    )
    version = models.PositiveIntegerField(default=1, editable=False)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )

    class Meta:
        verbose_name = "front page"
        verbose_name_plural = "front page"

    def __str__(self):
        return "Front page"

    def get_absolute_url(self):
        return reverse("articles:home")

    @classmethod
    def current(cls):
        front, _ = cls.objects.get_or_create(pk=1)
        return front

    def claim(self, expected_version):
        """Lock the arrangement if it is still at ``expected_version``; else EditConflict."""
        claimed = FrontPage.objects.filter(pk=self.pk, version=expected_version).update(
            version=F("version") + 1
        )
        if not claimed:
            raise EditConflict(FrontPage.objects.select_related("updated_by").get(pk=self.pk))
        self.version = expected_version + 1

    def pinned_ids(self):
        """The stories pinned as stored (not as a form may have changed this copy)."""
        lead = FrontPage.objects.filter(pk=self.pk).values_list("lead_id", flat=True)
        pins = FrontPin.objects.filter(front_id=self.pk).values_list("article_id", flat=True)
        return {pk for pk in (*lead, *pins) if pk is not None}


class FrontPinQuerySet(models.QuerySet):
    def shown(self, now=None):
        """Pins in force whose story is public: what the front shows, in its order."""
        now = now or timezone.now()
        return self.filter(
            live(now=now), article__status=Status.PUBLISHED, article__published_at__lte=now
        ).order_by("position", "id")


class FrontPin(models.Model):
    """A top story pinned to the front, in its place, perhaps until a time."""

    front = models.ForeignKey(FrontPage, on_delete=models.CASCADE, related_name="pins")
    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="front_pins", verbose_name="story"
    )
    position = models.PositiveSmallIntegerField(default=0)
    until = models.DateTimeField(
        null=True, blank=True, help_text="When it leaves the top (empty: until unpinned)."
    )

    objects = FrontPinQuerySet.as_manager()

    class Meta:
        ordering = ["position", "id"]
        verbose_name = "top story"
        verbose_name_plural = "top stories"
        constraints = [
            models.UniqueConstraint(fields=["front", "article"], name="front_pin_once"),
        ]

    def __str__(self):
        return str(self.article)


class FrontBlock(models.Model):
    """A section shown as a block of its latest stories below the top stories."""

    front = models.ForeignKey(FrontPage, on_delete=models.CASCADE, related_name="blocks")
    section = models.ForeignKey(Section, on_delete=models.CASCADE, related_name="+")
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = "section block"
        verbose_name_plural = "section blocks"
        constraints = [
            models.UniqueConstraint(fields=["front", "section"], name="front_block_once"),
        ]

    def __str__(self):
        return str(self.section)


def check_pins(*, lead, lead_until, top, pinned, now=None):
    """Refuse pins that would not show what the editor meant, saying why.

    ``top`` is [(story, until)] in order; ``pinned`` the ids of the stories pinned
    now (``FrontPage.pinned_ids``). Only a published story (public, or scheduled) can
    be newly pinned: a draft would be a pin readers never see. A story already pinned
    may have left publication since; its pin stays, and shows again if it returns.
    An end already past is a mistake, not a pin.
    """
    now = now or timezone.now()
    stories = [(lead, lead_until)] if lead is not None else []
    stories += list(top)
    errors = []
    for article, until in stories:
        if article.pk not in pinned and article.status != Status.PUBLISHED:
            errors.append(
                f"“{article.headline}” is not published: publish or schedule it, then pin it."
            )
        if until is not None and until <= now:
            errors.append(f"The pin of “{article.headline}” would end in the past.")
    seen = [article.pk for article, _ in stories]
    if len(seen) != len(set(seen)):
        errors.append("A story can be on the front once: as the lead or as one top story.")
    if len(top) > MAX_PINS:
        errors.append(f"At most {MAX_PINS} top stories can be pinned.")
    if errors:
        raise ValidationError(errors)


def check_blocks(blocks):
    """``blocks`` (sections, in order): each section once, and not too many."""
    if len({section.pk for section in blocks}) != len(blocks):
        raise ValidationError("Each section can have one block.")
    if len(blocks) > MAX_BLOCKS:
        raise ValidationError(f"At most {MAX_BLOCKS} section blocks.")
