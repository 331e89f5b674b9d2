"""Articles: the story, its workflow, its links and its conditional save.

What "public" means is ``ArticleQuerySet.public()``, once; every surface
(pages, feeds, sitemaps, search, API) calls it.
"""

import reversion
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from articles.models.base import SluggedModel
from articles.models.entities import Person, Place, Source


class Status(models.TextChoices):
    DRAFT = "draft", "Draft"
    REVIEW = "review", "In review"
    PUBLISHED = "published", "Published"
    ARCHIVED = "archived", "Archived"


class ArticleQuerySet(models.QuerySet):
    def public(self):
        """The one definition of what readers and anonymous clients may see.

        Decided at query time, so a scheduled story goes live at its second
        without a cron job.
        """
        return self.filter(status=Status.PUBLISHED, published_at__lte=timezone.now())

    def newest_first(self):
        return self.order_by("-published_at", "-id")

    def for_listing(self):
        """What a list of stories shows: headline, summary, time, source, dateline."""
        return self.select_related("source", "dateline").newest_first()

    def for_detail(self):
        return self.select_related("source", "dateline").prefetch_related("people", "places")


class EditConflict(Exception):
    """Someone saved the article after this copy of it was read."""

    def __init__(self, current):
        self.current = current
        who = current.updated_by.get_username() if current.updated_by else "someone else"
        when = timezone.localtime(current.updated_at).strftime("%H:%M:%S on %d %b %Y")
        super().__init__(
            f"{who} saved this story at {when} (version {current.version}) after you opened it."
        )


class ArticleManager(models.Manager.from_queryset(ArticleQuerySet)):
    def get_by_natural_key(self, slug):
        return self.get(slug=slug)


# Rejections are linking's bookkeeping, not part of the story's history.
@reversion.register(exclude=["rejected_people", "rejected_places", "rejected_sources"])
class Article(SluggedModel):
    headline = models.CharField(max_length=300)
    headline_needs_review = models.BooleanField(
        "headline needs an editor",
        default=False,
        help_text="The headline was cut from the wire copy's first sentence: write a real one.",
    )
    summary = models.TextField(blank=True, help_text="One or two sentences: the story's point.")
    body = models.TextField(
        blank=True, help_text="The story's text. Separate paragraphs with a blank line."
    )
    byline = models.CharField(max_length=200, blank=True)
    source = models.ForeignKey(
        Source, on_delete=models.PROTECT, null=True, blank=True, related_name="articles"
    )
    people = models.ManyToManyField(Person, blank=True, related_name="articles")
    places = models.ManyToManyField(Place, blank=True, related_name="articles")
    mentioned_sources = models.ManyToManyField(
        Source,
        blank=True,
        related_name="mentioning_articles",
        verbose_name="sources mentioned",
        help_text="Agencies, outlets and bodies the text names (the byline's agency is Source).",
    )
    # Links an editor removed although the text names the entity: linking
    # never puts them back.
    rejected_people = models.ManyToManyField(Person, blank=True, editable=False, related_name="+")
    rejected_places = models.ManyToManyField(Place, blank=True, editable=False, related_name="+")
    rejected_sources = models.ManyToManyField(Source, blank=True, editable=False, related_name="+")
    dateline = models.ForeignKey(
        Place,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="datelined_articles",
        help_text="Where the story was filed from.",
    )
    status = models.CharField(max_length=20, choices=Status, default=Status.DRAFT)
    published_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="When the story goes public. A future time schedules it.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    version = models.PositiveIntegerField(default=1, editable=False)
    original_text = models.TextField(
        blank=True, editable=False, help_text="The wire copy as received. Never edited."
    )

    objects = ArticleManager()

    class Meta:
        ordering = ["-published_at", "-id"]
        indexes = [
            # The public list: published stories newest first, cut at now().
            models.Index(
                fields=["-published_at", "-id"],
                condition=Q(status=Status.PUBLISHED),
                name="article_public_idx",
            ),
            models.Index(fields=["source", "-published_at"], name="article_source_idx"),
            models.Index(fields=["updated_at", "id"], name="article_updated_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=Status.values), name="article_status_valid"
            ),
            models.CheckConstraint(
                condition=~Q(status=Status.PUBLISHED) | Q(published_at__isnull=False),
                name="article_published_has_time",
            ),
            models.CheckConstraint(condition=~Q(headline=""), name="article_headline_not_empty"),
            models.CheckConstraint(condition=Q(version__gte=1), name="article_version_positive"),
        ]

    def __str__(self):
        return self.headline

    def save(self, *args, **kwargs):
        # Every write of a stored article moves its version, so API clients'
        # ETags change and an editor holding an older copy is told.
        if not self._state.adding:
            self.version += 1
            if kwargs.get("update_fields") is not None:
                kwargs["update_fields"] = {*kwargs["update_fields"], "version", "updated_at"}
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("articles:detail", kwargs={"slug": self.slug})

    def save_checked(self, *, expected_version, by=None):
        """Save only if nobody saved since ``expected_version`` was read.

        One conditional UPDATE decides, so this holds across processes and
        servers: of two simultaneous saves from the same version exactly one
        claims it, and the other gets EditConflict naming who won and when.
        Admin, API and wire desk all save edits through here.
        """
        with transaction.atomic():
            claimed = Article.objects.filter(pk=self.pk, version=expected_version).update(
                version=expected_version + 1
            )
            if not claimed:
                current = Article.objects.select_related("updated_by").get(pk=self.pk)
                raise EditConflict(current)
            self.version = expected_version
            if by is not None:
                self.updated_by = by
            self.save()

    def natural_key(self):
        return (self.slug,)

    def slug_source(self):
        return self.headline

    @property
    def is_public(self):
        """``public()`` for one loaded article; the two must agree."""
        return (
            self.status == Status.PUBLISHED
            and self.published_at is not None
            and self.published_at <= timezone.now()
        )

    @property
    def is_scheduled(self):
        return self.status == Status.PUBLISHED and not self.is_public

    @property
    def paragraphs(self):
        return [p.strip() for p in self.body.split("\n\n") if p.strip()]

    @property
    def linkable_text(self):
        """The text linking reads: headline, summary and body."""
        return "\n\n".join(part for part in (self.headline, self.summary, self.body) if part)

    def clean(self):
        super().clean()
        if self.status == Status.PUBLISHED and self.published_at is None:
            raise ValidationError({"published_at": "A published story needs a publication time."})
