"""Articles: the story, its workflow, its links and its conditional save.

What "public" means is ``ArticleQuerySet.public()``, once; every surface
(pages, feeds, sitemaps, search, API) calls it.
"""

import math
import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.db import models, transaction
from django.db.models import Exists, F, OuterRef, Prefetch, Q
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.safestring import mark_safe

from articles import bodies, kinds, responsive, text
from articles.models.base import SLUG_BASE_LENGTH, SluggedModel, slug_address
from articles.models.entities import Author, Person, Place, Section, Source
from articles.models.images import Image, Rendition
from articles.slugs import slugify_text


class Status(models.TextChoices):
    DRAFT = "draft", "Draft"
    REVIEW = "review", "In review"
    PUBLISHED = "published", "Published"
    ARCHIVED = "archived", "Archived"


class Flag(models.TextChoices):
    """A label the front and the story page show while an editor leaves it set."""

    BREAKING = "breaking", "Breaking"
    DEVELOPING = "developing", "Developing"


BODY_MAX_LENGTH = 1_000_000
WORDS_A_MINUTE = 230
SUMMARY_MAX_LENGTH = 2_000

# The workflow: which status a story may move to from each status. Every
# surface (admin form, bulk actions, API, shell) goes through check_transition.
TRANSITIONS = {
    Status.DRAFT: {Status.REVIEW, Status.PUBLISHED},
    Status.REVIEW: {Status.DRAFT, Status.PUBLISHED},
    Status.PUBLISHED: {Status.DRAFT, Status.ARCHIVED},
    Status.ARCHIVED: {Status.DRAFT},
}

# Moving a story into or out of public view (publish, schedule, unpublish,
# archive) is an editor's decision; drafting and review are everyone's.
PUBLISH_PERMISSION = "articles.publish_article"
EDIT_ANY_PERMISSION = "articles.edit_any_article"
# Reading every status (the desk's view), and receiving stories before their time.
VIEW_ALL_PERMISSION = "articles.view_article"
EMBARGO_PERMISSION = "articles.view_embargoed"


class Audience(models.TextChoices):
    """Who may receive a story through the API, widest first: everyone once it is
    public, embargo partners (and the desk) while it is scheduled, the desk alone
    otherwise. Each audience includes the ones after it."""

    PUBLIC = "public", "Everyone"
    EMBARGOED = "embargoed", "Embargo partners"
    DESK = "desk", "The desk"

    @classmethod
    def of(cls, status, published_at):
        """The audience of a story with this status and publication time, now."""
        if status != Status.PUBLISHED or published_at is None:
            return cls.DESK
        return cls.PUBLIC if published_at <= timezone.now() else cls.EMBARGOED

    @classmethod
    def of_user(cls, user):
        """The audiences ``user`` is in: the desk (view permission) in all of them,
        a partner (view_embargoed) in everyone's and the partners', anyone else in
        everyone's alone."""
        if user.has_perm(VIEW_ALL_PERMISSION):
            return [cls.PUBLIC, cls.EMBARGOED, cls.DESK]
        if user.has_perm(EMBARGO_PERMISSION):
            return [cls.PUBLIC, cls.EMBARGOED]
        return [cls.PUBLIC]

    def is_wider_than(self, other):
        order = list(type(self))
        return order.index(self) < order.index(other)


ACTIONS = {
    Status.DRAFT: "returned to draft",
    Status.REVIEW: "submitted for review",
    Status.PUBLISHED: "published",
    Status.ARCHIVED: "archived",
}


class ArticleQuerySet(models.QuerySet):
    def public(self):
        """The one definition of what readers and anonymous clients may see.

        Decided at query time, so a scheduled story goes live at its second
        without a cron job.
        """
        return self.filter(status=Status.PUBLISHED, published_at__lte=timezone.now())

    def visible_to(self, user):
        """What ``user`` may read through the API: the stories of its audiences.

        The desk (view permission) sees every status; a trusted partner
        (view_embargoed) also sees published stories before their time; anyone
        else sees public() alone.
        """
        audiences = Audience.of_user(user)
        if Audience.DESK in audiences:
            return self
        if Audience.EMBARGOED in audiences:
            return self.public() | self.scheduled()
        return self.public()

    def changed_since(self, moment):
        """Stories whose public form changed at or after ``moment``: saved then, or
        reached their publication time then (a scheduled story goes public with no write)."""
        return self.filter(
            Q(updated_at__gte=moment)
            | Q(published_at__gte=moment, published_at__lte=timezone.now())
        )

    def scheduled(self):
        """Published stories whose time has not come: public() will take them at that second."""
        return self.filter(status=Status.PUBLISHED, published_at__gt=timezone.now())

    def shared_with_a_card(self):
        """Published stories (public or scheduled) with no lead image: a share of one shows
        its generated share card (``pictures.share_card``)."""
        return self.filter(status=Status.PUBLISHED, published_at__isnull=False, lead_image=None)

    def about(self, *entities):
        """Stories about any of ``entities``: linked to a person or place, or filed
        from the place; supplied by or naming a source (kinds.Kind.also_about)."""
        condition = Q()
        for entity in entities:
            condition |= about_condition(kinds.of(entity), entity.pk)
        return self.filter(condition) if entities else self.none()

    def about_kind(self, kind, ref):
        """Stories about the ``kind`` entity ``ref``: a key, or an OuterRef to one."""
        return self.filter(about_condition(kind, ref))

    def related_to(self, article):
        """Other stories sharing a person, a place or the section with ``article`` (its
        links prefetched)."""
        places = Article.places.through.objects.filter(
            article=OuterRef("pk"), place__in=[place.pk for place in article.places.all()]
        )
        people = Article.people.through.objects.filter(
            article=OuterRef("pk"), person__in=[person.pk for person in article.people.all()]
        )
        shared = Exists(places) | Exists(people)
        if article.section_id is not None:
            shared |= Q(section_id=article.section_id)
        return self.exclude(pk=article.pk).filter(shared)

    def newest_first(self):
        return self.order_by("-published_at", "-id")

    # The desk's own lists (the dashboard): each a question an editor asks every day.

    def drafts_by(self, user):
        """``user``'s own drafts, the one last worked on first."""
        return self.filter(status=Status.DRAFT, created_by=user).order_by("-updated_at", "-id")

    def in_review(self):
        """Stories waiting for an editor, the one waiting longest first."""
        return self.filter(status=Status.REVIEW).order_by(
            F("submitted_at").asc(nulls_last=True), "id"
        )

    def soonest_first(self):
        return self.order_by("published_at", "id")

    def published_since(self, moment):
        """Public stories that went public at or after ``moment``, newest first."""
        return self.public().filter(published_at__gte=moment).newest_first()

    def headline_flagged(self):
        """Stories whose headline the wire desk cut from the copy, the newest first."""
        return self.filter(headline_needs_review=True).order_by("-created_at", "-id")

    # A desk list's columns: who and when, never the text.
    DESK_FIELDS = (
        *("id", "slug", "headline", "status", "published_at", "created_at", "updated_at"),
        *("submitted_at", "source__id", "source__name"),
        *("submitted_by__id", "submitted_by__username"),
    )

    def for_desk(self):
        """What a list on the desk's dashboard shows of a story, in the one query."""
        return self.select_related("source", "submitted_by").only(*self.DESK_FIELDS)

    def with_links(self):
        """A story with its source, dateline and linked entities (names and addresses)."""
        return self.select_related("source", "dateline").prefetch_related(
            *(
                Prefetch(kind.link_field, queryset=kind.model.objects.only("id", "slug", "name"))
                for kind in kinds.LINKED
            )
        )

    def link_choices(self, term):
        """What the body editor's link dialog offers for ``term``: the stories whose
        headline contains it, newest first as the desk lists them, read with what a
        choice shows (headline and address)."""
        return (
            self.filter(headline__icontains=term)
            .order_by("-created_at", "-id")
            .only("id", "headline", "slug")
        )

    # A teaser's columns: the body, its HTML and the wire copy are most of a
    # row's bytes and no list shows them.
    LISTING_FIELDS = (
        *("id", "slug", "headline", "summary", "status", "published_at", "updated_at"),
        *("flag", "revised_at"),
        *("source__id", "source__slug", "source__name"),
        *("dateline__id", "dateline__slug", "dateline__name"),
        *("section__id", "section__slug", "section__name"),
    )

    def for_listing(self):
        """What a list of stories shows: headline, summary, time, authors, source,
        dateline, and the lead image as a thumbnail."""
        return self._teasers(
            Rendition.objects.for_pages(specs=responsive.TEASER_SPECS),
        )

    def for_front(self):
        """A teaser on the front, its authors and pictures not read yet: the front reads
        them once for all its lists (``front_prefetches``)."""
        return self._teaser_rows()

    @staticmethod
    def front_prefetches():
        """The authors and renditions of every teaser on the front, for
        ``prefetch_related_objects``: the lead's large crops, and the others' (a subset)."""
        return [
            Prefetch("authors", queryset=Author.objects.only("id", "slug", "name")),
            Prefetch(
                "lead_image__renditions",
                queryset=Rendition.objects.for_pages(specs=responsive.FRONT_SPECS),
            ),
        ]

    # What a teaser shows of its lead image, and a feed item besides (its caption and credit).
    TEASER_IMAGE_FIELDS = ("lead_image__id", "lead_image__alt_text")
    FEED_IMAGE_FIELDS = (
        *TEASER_IMAGE_FIELDS,
        *("lead_image__caption", "lead_image__credit"),
        *("lead_image__source__id", "lead_image__source__name"),
    )

    def _teasers(self, renditions, *, fields=(), image_fields=TEASER_IMAGE_FIELDS):
        return self._teaser_rows(fields=fields, image_fields=image_fields).prefetch_related(
            Prefetch("authors", queryset=Author.objects.only("id", "slug", "name")),
            Prefetch("lead_image__renditions", queryset=renditions),
        )

    def _teaser_rows(self, *, fields=(), image_fields=TEASER_IMAGE_FIELDS):
        image = "lead_image__source" if "lead_image__source__id" in image_fields else "lead_image"
        return (
            self.select_related("source", "dateline", "section", image)
            .only(*self.LISTING_FIELDS, *fields, *image_fields)
            .newest_first()
        )

    def for_headlines(self):
        """A list of links to stories (related stories): headline and time, nothing to join."""
        return self.only("id", "slug", "headline", "published_at").newest_first()

    def for_feed(self):
        """A feed item: a teaser, its body (text for a missing summary, reader HTML for
        the content), its creation time (its permanent id) and the names of its people
        and places."""
        names = ("id", "slug", "name")
        return self._teasers(
            # The enclosure and media:content: the picture's own shape, in JPEG.
            Rendition.objects.for_pages(own_widths=True, formats=["jpeg"]),
            fields=("body_text", "body_html", "created_at"),
            image_fields=self.FEED_IMAGE_FIELDS,
        ).prefetch_related(
            Prefetch("people", queryset=Person.objects.only(*names)),
            Prefetch("places", queryset=Place.objects.only(*names)),
        )

    def for_detail(self):
        """What a story's page shows: its authors, links, dateline, source, corrections and
        lead image (every rendition: the page, its share card and its structured data)."""
        return self.select_related(
            "source", "dateline", "section", "lead_image__source"
        ).prefetch_related(
            "authors",
            "people",
            "places",
            "corrections",
            Prefetch("lead_image__renditions", queryset=Rendition.objects.for_pages()),
        )

    def for_sitemap(self):
        """A sitemap entry: the address and the last change."""
        return self.only("id", "slug", "updated_at")

    @staticmethod
    def shown_pictures():
        """Prefetches of the pictures stories show, each with its own widths in JPEG (the
        image sitemap), for ``prefetch_related_objects`` on a page of them: the sitemap
        index, which reads every story's last change, reads no pictures."""
        widest = Rendition.objects.for_pages(own_widths=True, formats=["jpeg"])
        return [
            Prefetch("images", queryset=Image.objects.only("id").order_by("id")),
            Prefetch("images__renditions", queryset=widest),
        ]

    def batches(self, size=500):
        """The rows in primary-key order, ``size`` at a time, paged by key.

        For jobs over the whole archive: each batch is one small query, so
        memory stays flat whatever the number of rows and no cursor is held.
        """
        last = 0
        while batch := list(self.filter(pk__gt=last).order_by("pk")[:size]):
            yield batch
            last = batch[-1].pk

    def readable_through_api(self, user):
        """What ``user`` may read through the API (visible_to), as the API serves it."""
        return self.visible_to(user).for_api(drafts=user.has_perm(VIEW_ALL_PERMISSION))

    def for_api(self, *, drafts=True):
        """What an API article carries: authors, links, dateline, source, corrections, pictures.

        The linked entities are read with only the fields an article shows
        of them: building a hundred full Person rows for a page is the cost.
        ``published_or_created`` is the time order: a draft, with no
        publication time yet, sorts by its creation time. Without ``drafts``
        (readers and partners see published stories only) it is the
        publication time itself, so the public index serves the order.
        """
        sort_key = Coalesce("published_at", "created_at") if drafts else F("published_at")
        return (
            self.select_related("source", "dateline", "section")
            .prefetch_related(
                Prefetch("authors", queryset=Author.objects.only("id", "slug", "name")),
                Prefetch("people", queryset=Person.objects.only("id", "slug", "name")),
                Prefetch("places", queryset=Place.objects.only("id", "slug", "name", "kind")),
                Prefetch("mentioned_sources", queryset=Source.objects.only("id", "slug", "name")),
                Prefetch(
                    "corrections",
                    queryset=Correction.objects.only("id", "article_id", "text", "created_at"),
                ),
                # Its pictures, each with its renditions: three queries whatever the count.
                Prefetch(
                    "lead_image__renditions",
                    queryset=Rendition.objects.order_by("width", "id"),
                ),
                Prefetch("images", queryset=Image.objects.for_api()),
            )
            .select_related("lead_image__source", "lead_image__place")
            .annotate(published_or_created=sort_key)
        )


def about_condition(kind, ref):
    """The condition "a story about the ``kind`` entity ``ref``" (a key, or an OuterRef to one).

    Subqueries rather than joins, so a story about two of several entities
    asked for is still one row.
    """
    condition = Q()
    if kind.linked:
        inner = OuterRef(ref) if isinstance(ref, OuterRef) else ref
        field = Article._meta.get_field(kind.link_field)
        links = field.remote_field.through.objects.filter(
            **{field.m2m_field_name(): OuterRef("pk"), field.m2m_reverse_field_name(): inner}
        )
        condition |= Q(Exists(links))
    for name in kind.also_about:
        condition |= Q(**{name: ref})
    return condition


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


class Article(SluggedModel):
    headline = models.CharField(max_length=300)
    headline_needs_review = models.BooleanField(
        "headline needs an editor",
        default=False,
        help_text=(
            "Set by the wire desk when it cut the headline from the copy's first sentence; "
            "cleared when an editor writes one."
        ),
    )
    summary = models.TextField(
        blank=True,
        validators=[MaxLengthValidator(SUMMARY_MAX_LENGTH)],
        help_text="One or two sentences: the story's point.",
    )
    # A validator, not max_length: a textarea with maxlength would cut a long
    # paste short in the browser without a word; the form says why instead.
    body = models.TextField(
        blank=True,
        validators=[MaxLengthValidator(BODY_MAX_LENGTH)],
        help_text=(
            "The story's text: paragraphs, subheadings, quotes, lists, bold, italic "
            "and links, in the newsroom's HTML format (plain text becomes paragraphs)."
        ),
    )
    body_text = models.TextField(
        blank=True,
        editable=False,
        help_text="The body as plain text: what search indexes and word counts count.",
    )
    body_html = models.TextField(
        blank=True,
        editable=False,
        help_text="The body as readers see it: rendered and sanitised on save.",
    )
    byline = models.CharField(
        max_length=200,
        blank=True,
        help_text=(
            "Credit text, such as an agency's. Left blank, the story is credited to its "
            'authors and source: "By Jane Doe, Trend".'
        ),
    )
    authors = models.ManyToManyField(Author, blank=True, related_name="articles")
    lead_image = models.ForeignKey(
        Image,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="The picture at the top of the story, in teasers and on shares.",
    )
    # The pictures the story shows, lead and body: kept by the editorial service, for
    # "used in N stories", the publish check on alt text and the outputs' image lists.
    images = models.ManyToManyField(Image, blank=True, editable=False, related_name="articles")
    source = models.ForeignKey(
        Source, on_delete=models.PROTECT, null=True, blank=True, related_name="articles"
    )
    # PROTECT: a section's stories are moved by an editor, each move a recorded edit,
    # before the section can go; SET_NULL would unfile them with no history.
    section = models.ForeignKey(
        Section,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="articles",
        help_text="The part of the paper it runs in. Drafts may have none yet.",
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
    flag = models.CharField(
        max_length=20,
        choices=Flag,
        blank=True,
        help_text="A label on the front and the story page while set; clear it when it is over.",
    )
    published_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="When the story goes public. A future time schedules it.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # When readers last saw the story change: its text revised, or a correction published,
    # after it went public ("Updated 14:05"). A retag or a re-link is no update to them.
    revised_at = models.DateTimeField(null=True, blank=True, editable=False)
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
    # Who last sent the story for review, and when: the desk's review list
    # shows the story waiting longest first, with who is waiting.
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    submitted_at = models.DateTimeField(null=True, blank=True, editable=False)
    version = models.PositiveIntegerField(default=1, editable=False)
    original_text = models.TextField(
        blank=True, editable=False, help_text="The wire copy as received. Never edited."
    )

    objects = ArticleManager()

    # What a save reports as changed (history's comment): the text and the story's place.
    TRACKED_FIELDS = (
        *("headline", "headline_needs_review", "summary", "body", "byline"),
        *("section", "source", "dateline", "slug", "status", "published_at", "lead_image"),
        "flag",
    )
    # A change to these after publication is an update readers are told of.
    REVISED_FIELDS = ("headline", "summary", "body")

    class Meta:
        ordering = ["-published_at", "-id"]
        permissions = [
            ("publish_article", "Can publish, schedule, unpublish and archive articles"),
            ("edit_any_article", "Can edit any article, whoever wrote it and whatever its status"),
            ("view_embargoed", "Can receive published articles before their time (embargo)"),
        ]
        indexes = [
            # The public list: published stories newest first, cut at now().
            models.Index(
                fields=["-published_at", "-id"],
                condition=Q(status=Status.PUBLISHED),
                name="article_public_idx",
            ),
            models.Index(fields=["source", "-published_at"], name="article_source_idx"),
            models.Index(fields=["section", "-published_at"], name="article_section_idx"),
            models.Index(fields=["updated_at", "id"], name="article_updated_idx"),
            models.Index(fields=["-created_at", "-id"], name="article_created_idx"),
            # The desk's date hierarchy: first and last publication times.
            models.Index(fields=["published_at"], name="article_published_idx"),
            # The desk's API order, drafts included (QuerySet.for_api).
            models.Index(
                Coalesce("published_at", "created_at").desc(),
                F("id").desc(),
                name="article_api_desk_order_idx",
            ),
            # The API's ?ordering=headline.
            models.Index(fields=["headline", "id"], name="article_headline_idx"),
            # The dashboard's lists: a user's drafts, the review queue, the flagged
            # headlines; each a few rows of a million.
            models.Index(
                fields=["created_by", "-updated_at", "-id"],
                condition=Q(status=Status.DRAFT),
                name="article_drafts_idx",
            ),
            models.Index(
                fields=["submitted_at", "id"],
                condition=Q(status=Status.REVIEW),
                name="article_review_idx",
            ),
            models.Index(
                fields=["-created_at", "-id"],
                condition=Q(headline_needs_review=True),
                name="article_flagged_idx",
            ),
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

    # The fields an editor types, kept with LF line endings whatever sent them.
    TEXT_FIELDS = ("headline", "summary", "body", "byline")

    def tidy(self):
        """The row as it is stored: LF line endings, the body in its format, and an
        address that follows the headline.

        Browsers send a textarea's line breaks as CRLF, and a paragraph is a blank
        line (LF LF). The body is cleaned to exactly the newsroom's format
        (articles/bodies.py) whoever sent it, and its plain text kept beside it.
        ``original_text`` stays as received.
        """
        for name in self.TEXT_FIELDS:
            setattr(self, name, text.normalize_line_endings(getattr(self, name)))
        self.body = bodies.clean(self.body)
        self.body_text = bodies.to_text(self.body)
        self.follow_headline()

    def follow_headline(self):
        """A story's address follows its headline until it is first published.

        A draft's slug made from its first headline (a wire story's first
        sentence, say) would otherwise outlive the headline an editor writes. A
        slug an editor chose, or one readers may have seen, stays.
        """
        old = getattr(self, "_loaded", {}).get("headline")
        if old is None or old == self.headline or self.published_at is not None:
            return
        if self.stored_status not in (Status.DRAFT, Status.REVIEW):
            return
        made = slugify_text(old, max_length=SLUG_BASE_LENGTH) or self._meta.model_name
        if re.fullmatch(rf"{re.escape(made)}(?:-\d+)?", self.slug or ""):
            self.slug = ""  # made again from the new headline when saved

    def save(self, *args, **kwargs):
        self.tidy()
        # Every write of a stored article moves its version, so API clients'
        # ETags change and an editor holding an older copy is told. Counted
        # by the database, so two writers never produce the same number.
        received_by = self.stored_audience
        if not self._state.adding:
            self.version = F("version") + 1
            if kwargs.get("update_fields") is not None:
                kwargs["update_fields"] = {*kwargs["update_fields"], "version", "updated_at"}
        with transaction.atomic():
            super().save(*args, **kwargs)
            # Leaving the view of clients that could have received it (unpublished,
            # archived, rescheduled; a story under embargo too, which partners hold).
            if received_by.is_wider_than(self.audience):
                ArticleRemoval.record(self, audience=received_by)
        self._loaded = self.tracked_values()

    def delete(self, *args, **kwargs):
        with transaction.atomic():
            ArticleRemoval.record(self, audience=self.stored_audience, deleted=True)
            return super().delete(*args, **kwargs)

    def get_absolute_url(self):
        return slug_address("articles:detail", self.slug)

    def claim(self, expected_version):
        """Lock the row if it is still at ``expected_version``; else raise EditConflict.

        The conditional UPDATE matches and locks the row in one statement (no
        read-then-write), so it holds across processes and servers.
        """
        claimed = Article.objects.filter(pk=self.pk, version=expected_version).update(
            version=F("version")
        )
        if not claimed:
            current = Article.objects.select_related("updated_by").filter(pk=self.pk).first()
            if current is None:
                raise Article.DoesNotExist("This story was deleted after you opened it.")
            raise EditConflict(current)

    @classmethod
    def from_db(cls, db, field_names, values, **kwargs):
        article = super().from_db(db, field_names, values, **kwargs)
        # As stored, so a change of status can be checked against it, a story
        # leaving the public set can be told to API clients, and a save can
        # say which fields it changed.
        article._loaded = article.tracked_values()
        return article

    def tracked_values(self):
        values = {}
        for name in self.TRACKED_FIELDS:
            attname = self._meta.get_field(name).attname
            if attname in self.__dict__:  # not deferred
                values[name] = self.__dict__[attname]
        return values

    def changed_fields(self):
        """The tracked fields whose values differ from those last read or written."""
        loaded = getattr(self, "_loaded", {})
        current = self.tracked_values()
        return [name for name, value in current.items() if loaded.get(name) != value]

    def natural_key(self):
        return (self.slug,)

    def slug_source(self):
        return self.headline

    @property
    def stored_status(self):
        """The status as last read from or written to the database (draft for a new story)."""
        return getattr(self, "_loaded", {}).get("status") or Status.DRAFT

    def check_transition(self, status, *, by=None):
        """Refuse, with a reason, a change of status the workflow or ``by``'s role forbids.

        ``by=None`` is the system itself (a command, the shell): only the
        workflow applies.
        """
        current = Status(self.stored_status)
        status = Status(status)
        if status == current:
            return
        if status not in TRANSITIONS[current]:
            allowed = " or ".join(sorted(ACTIONS[s] for s in TRANSITIONS[current]))
            raise ValidationError(
                f"A story that is {current.label.lower()} cannot be {ACTIONS[status]}; "
                f"it can be {allowed}.",
                code="transition",
            )
        public_move = Status.PUBLISHED in (current, status) or Status.ARCHIVED in (current, status)
        if by is not None and public_move and not by.has_perm(PUBLISH_PERMISSION):
            raise ValidationError(
                f"Only editors can move a story that is {current.label.lower()} "
                f"to {status.label.lower()}.",
                code="permission",
            )

    def statuses_for(self, user):
        """The statuses ``user`` may choose for this story: where it is, and where it may go."""
        current = Status(self.stored_status)
        allowed = [current]
        for status in Status:
            if status in TRANSITIONS[current]:
                try:
                    self.check_transition(status, by=user)
                except ValidationError:
                    continue
                allowed.append(status)
        return [status for status in Status if status in allowed]

    def can_be_edited_by(self, user):
        """Editors edit any story; reporters their own drafts."""
        if user.has_perm(EDIT_ANY_PERMISSION):
            return True
        return (
            user.has_perm("articles.change_article")
            and self.created_by_id == user.pk
            and self.stored_status == Status.DRAFT
        )

    def move_to(self, status, *, by=None, at=None):
        """Change status on this instance after checking the move; the caller saves.

        Publishing keeps a publication time already set (a schedule, or the
        first publication of a story published again) unless ``at`` is
        given, and uses now when there is none. Sending a story for review
        records who sent it and when (the desk's review queue).
        """
        self.check_transition(status, by=by)
        if status == Status.REVIEW and self.stored_status != Status.REVIEW:
            self.submitted_by, self.submitted_at = by, timezone.now()
        self.status = status
        if status == Status.PUBLISHED:
            self.published_at = at or self.published_at or timezone.now()
        if by is not None:
            self.updated_by = by

    def check_correction(self, correction):
        """A correction's text, tidied; refused if empty or if the story is not published."""
        correction = text.normalize_line_endings(correction).strip()
        if not correction:
            raise ValidationError("Say what was wrong and what is right.", code="required")
        if self.stored_status != Status.PUBLISHED:
            raise ValidationError(
                "Only published stories carry public corrections; edit the draft instead.",
                code="transition",
            )
        return correction

    @property
    def audience(self):
        """Who may receive the story as it is (``visible_to``, for one loaded article)."""
        return Audience.of(self.status, self.published_at)

    @property
    def stored_audience(self):
        """Who could receive the story as last read from the database (the desk, for a new one)."""
        loaded = getattr(self, "_loaded", {})
        return Audience.of(loaded.get("status"), loaded.get("published_at"))

    @property
    def is_public(self):
        """``public()`` for one loaded article; the two must agree."""
        return self.audience == Audience.PUBLIC

    @property
    def was_published(self):
        """Whether the story, as last read from or written to the database, was published
        (public or scheduled); None when this copy never read it (a bare instance, loaddata)."""
        loaded = getattr(self, "_loaded", {})
        return loaded["status"] == Status.PUBLISHED if "status" in loaded else None

    @property
    def is_scheduled(self):
        return self.status == Status.PUBLISHED and not self.is_public

    def main_person(self):
        """The person the story is most about: the one its text names first (links
        prefetched; no query)."""
        return self._named_first(self.people.all())

    def main_place(self):
        """The place the story is most about: where it was filed from, else the place its
        text names first."""
        return self.dateline or self._named_first(self.places.all())

    def _named_first(self, entities):
        text = self.linkable_text

        def first_mention(entity):
            found = [text.find(name) for name in entity.names if name and name in text]
            return min(found) if found else len(text)

        return min(entities, key=first_mention, default=None)

    @property
    def updated_for_readers(self):
        """The time of the story's last update to readers, or None if it has had none."""
        if self.revised_at and self.published_at and self.revised_at > self.published_at:
            return self.revised_at
        return None

    def _author_parts(self):
        authors = list(self.authors.all())
        parts = []
        for index, author in enumerate(authors):
            if index:
                parts.append((" and " if index == len(authors) - 1 else ", ", None))
            parts.append((author.name, author))
        return parts

    @property
    def author_names(self):
        """The authors as one phrase, "Jane Doe, John Roe and Ali Veli"; "" for none."""
        return "".join(text for text, _ in self._author_parts())

    @property
    def author_credit(self):
        """The authors' credit, "By Jane Doe and John Roe", in pieces of (text, the author
        it names or None), so a page can link each name; [] without authors."""
        parts = self._author_parts()
        return [("By ", None), *parts] if parts else []

    @property
    def credit_parts(self):
        """The credit line in author_credit's pieces.

        The byline an editor or the wire typed wins. Left blank, the credit is
        made from the authors and the source whenever it is read, so it follows
        a renamed author or a changed source: "By Jane Doe and John Roe, Trend".
        Without either, there is none.
        """
        if self.byline:
            return [(self.byline, None)]
        parts = self.author_credit
        if parts and self.source:
            parts.append((f", {self.source.credit_name}", None))
        return parts

    @property
    def credit_names_source(self):
        """Whether the credit line already names the source ("By Jane Doe, Trend"), so a
        page need not name it again."""
        return not self.byline and self.source is not None and bool(self.author_credit)

    @property
    def credit_line(self):
        """What pages, feeds, structured data and ninjs credit the story to, as text."""
        return "".join(text for text, _ in self.credit_parts)

    @property
    def paragraphs(self):
        # body_text is written on save; a story not yet saved has only its body.
        return text.paragraphs(self.body_text or bodies.to_text(bodies.clean(self.body)))

    @property
    def word_count(self):
        return bodies.word_count(self.body_text)

    @property
    def reading_minutes(self):
        """Minutes to read the body, at 230 words a minute, at least one."""
        return max(1, math.ceil(self.word_count / WORDS_A_MINUTE))

    @property
    def body_markup(self):
        """``body_html`` for templates: rendered by the editorial service from escaped
        text and cleaned by nh3 (rendering.sanitise) when stored, so it is safe to print."""
        return mark_safe(self.body_html)

    @property
    def linkable_text(self):
        """The text linking reads: headline, summary and the body's text."""
        return "\n\n".join(part for part in (self.headline, self.summary, self.body_text) if part)

    def clean(self):
        super().clean()
        if self.status in TRANSITIONS and self.status != self.stored_status:
            try:
                self.check_transition(self.status)
            except ValidationError as error:
                raise ValidationError({"status": error.messages}) from None
        self.check_publication_time()
        self.check_pictures_described()

    def picture_ids(self):
        """The pictures the story shows: its lead image, then the body's, once each."""
        lead = [self.lead_image_id] if self.lead_image_id else []
        return list(dict.fromkeys([*lead, *bodies.image_ids(self.body)]))

    def shown_images(self):
        """The pictures it shows, in the order it shows them, from the prefetched ``images``."""
        order = {pk: index for index, pk in enumerate(self.picture_ids())}
        shown = [image for image in self.images.all() if image.pk in order]
        return sorted(shown, key=lambda image: order[image.pk])

    def show_pictures(self):
        """Keep ``images`` (what "used in N stories" counts) to the pictures it shows."""
        self.images.set(Image.objects.filter(pk__in=self.picture_ids()))

    def check_pictures_described(self):
        """Refuse to make public a story showing a picture with no alt text: readers who
        cannot see it would get nothing, and search engines skip it."""
        if self.status != Status.PUBLISHED:
            return
        bare = Image.objects.filter(pk__in=self.picture_ids(), alt_text="").order_by("pk")
        if missing := [str(image.pk) for image in bare]:
            field = "lead_image" if self.lead_image_id in map(int, missing) else "body"
            raise ValidationError(
                {
                    field: (
                        f"Picture {', '.join(missing)} has no alt text. Describe it in the "
                        "picture library before publishing: readers who cannot see it would "
                        "get nothing."
                    )
                }
            )

    def check_publication_time(self):
        """Refuse a published story without a publication time, naming the field
        (the constraint article_published_has_time would refuse the row)."""
        if self.status == Status.PUBLISHED and self.published_at is None:
            raise ValidationError({"published_at": "A published story needs a publication time."})


class RemovalReason(models.TextChoices):
    UNPUBLISHED = "unpublished", "Returned to draft or review"
    ARCHIVED = "archived", "Archived"
    RESCHEDULED = "rescheduled", "Moved to a future publication time"
    DELETED = "deleted", "Deleted"


class ArticleRemovalQuerySet(models.QuerySet):
    def since(self, moment):
        return self.filter(removed_at__gte=moment).order_by("removed_at", "id")

    def visible_to(self, user):
        """What a client may learn: removals of stories it could have received
        (``Audience.of_user``), so partners hear of a story killed under embargo
        and readers' clients never learn it existed."""
        return self.filter(audience__in=Audience.of_user(user))


class ArticleRemoval(models.Model):
    """A story leaving the view of API clients, so those keeping a mirror can drop it.

    Recorded by Article.save and Article.delete, the only ways a story leaves,
    with the audience that could have received it: a story killed under embargo
    is told to the partners who hold it. A story that comes back is in the
    updated_since feed again.
    """

    article_id = models.BigIntegerField()
    slug = models.SlugField(max_length=120)
    reason = models.CharField(max_length=20, choices=RemovalReason)
    audience = models.CharField(
        max_length=20, choices=Audience, help_text="Who could have received the story."
    )
    removed_at = models.DateTimeField(default=timezone.now)

    objects = ArticleRemovalQuerySet.as_manager()

    class Meta:
        ordering = ["removed_at", "id"]
        indexes = [
            models.Index(fields=["removed_at", "id"], name="removal_since_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(reason__in=RemovalReason.values), name="removal_reason_valid"
            ),
            models.CheckConstraint(
                condition=Q(audience__in=Audience.values), name="removal_audience_valid"
            ),
        ]

    def __str__(self):
        return f"Article {self.article_id} {self.reason} at {self.removed_at:%Y-%m-%d %H:%M}"

    @classmethod
    def record(cls, article, *, audience, deleted=False):
        if deleted:
            reason = RemovalReason.DELETED
        elif article.status == Status.ARCHIVED:
            reason = RemovalReason.ARCHIVED
        elif article.status == Status.PUBLISHED:
            reason = RemovalReason.RESCHEDULED
        else:
            reason = RemovalReason.UNPUBLISHED
        return cls.objects.create(
            article_id=article.pk, slug=article.slug, reason=reason, audience=audience
        )


class CorrectionQuerySet(models.QuerySet):
    def public(self):
        """Corrections readers see: those of public stories."""
        return self.filter(article__in=Article.objects.public())

    def latest_first(self):
        """Newest first, each with its story's headline, address and thumbnail."""
        renditions = Rendition.objects.for_pages(specs=responsive.TEASER_SPECS)
        return (
            self.select_related("article__lead_image")
            .prefetch_related(Prefetch("article__lead_image__renditions", queryset=renditions))
            .order_by("-created_at", "-id")
        )


class Correction(models.Model):
    """A public, dated note on a published story: what was wrong, what is right.

    Corrections are added, never edited or removed: the record is the point.
    """

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="corrections")
    text = models.TextField(help_text="What was wrong and what is right, as readers will see it.")
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )

    objects = CorrectionQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["-created_at"], name="correction_latest_idx")]
        constraints = [
            models.CheckConstraint(condition=~Q(text=""), name="correction_text_not_empty"),
        ]

    def __str__(self):
        return f"Correction of {timezone.localtime(self.created_at):%d %b %Y}"

    def get_absolute_url(self):
        return f"{self.article.get_absolute_url()}#corrections"
