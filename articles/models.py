"""The newsroom's domain: sources, people and places, and the articles that mention them.

Business rules live here, once: what "public" means is ``ArticleQuerySet.public()``,
and every surface (pages, feeds, sitemaps, search, API) calls it.
"""

import reversion
from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import IntegrityError, models, transaction
from django.db.models import F, Q
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property

from articles import wire
from articles.slugs import slugify_text

SLUG_MAX_LENGTH = 120
SLUG_BASE_LENGTH = 80  # leaves room for a "-123" collision suffix

wikidata_id_validator = RegexValidator(
    r"^Q[1-9][0-9]*$", "A Wikidata id looks like Q227: the letter Q and a number."
)


class SluggedModel(models.Model):
    """A model with a unique ASCII slug, generated from ``slug_source`` when left blank."""

    slug = models.SlugField(
        max_length=SLUG_MAX_LENGTH,
        unique=True,
        blank=True,
        help_text="Part of the public address. Left blank, it is made from the name.",
    )

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if self.slug:
            return super().save(*args, **kwargs)
        # Two editors saving "Ganja" at once both see "ganja" free; the unique
        # index decides, and the loser takes the next suffix instead of an error.
        for _attempt in range(10):
            self.slug = self.next_free_slug()
            try:
                with transaction.atomic():
                    return super().save(*args, **kwargs)
            except IntegrityError:
                if not self.slug_taken(self.slug):
                    raise
        raise IntegrityError(f"Could not find a free slug for {self!s}")

    def slug_source(self):
        raise NotImplementedError

    def slug_taken(self, slug):
        return type(self)._default_manager.filter(slug=slug).exclude(pk=self.pk).exists()

    def next_free_slug(self):
        base = slugify_text(self.slug_source(), max_length=SLUG_BASE_LENGTH)
        base = base or self._meta.model_name
        taken = set(
            type(self)
            ._default_manager.filter(slug__startswith=base)
            .exclude(pk=self.pk)
            .values_list("slug", flat=True)
        )
        if base not in taken:
            return base
        suffix = 2
        while f"{base}-{suffix}" in taken:
            suffix += 1
        return f"{base}-{suffix}"


GAZETTEER_VERSION_KEY = "linking:gazetteer-version"


def bump_gazetteer_version():
    """Tell every process that entity names changed, so linkers rebuild their automaton."""
    try:
        cache.incr(GAZETTEER_VERSION_KEY)
    except ValueError:  # the key expired or was never set
        cache.set(GAZETTEER_VERSION_KEY, 1, timeout=None)


def gazetteer_changed():
    # Now, for this transaction's own linking, and again at commit: another
    # process that rebuilt in between read the names before they were committed.
    bump_gazetteer_version()
    transaction.on_commit(bump_gazetteer_version)


class EntityManager(models.Manager):
    def get_by_natural_key(self, slug):
        return self.get(slug=slug)


class Entity(SluggedModel):
    """Something an article can mention: found in text by its name and aliases."""

    name = models.CharField(max_length=200)
    aliases = models.JSONField(
        default=list,
        blank=True,
        help_text=(
            "Other names the wire uses, as a list: spellings, short forms and, for places, "
            'demonyms such as "Azerbaijani".'
        ),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = EntityManager()

    class Meta:
        abstract = True
        ordering = ["name", "id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(name=""), name="%(app_label)s_%(class)s_name_not_empty"
            ),
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        # Rebuilding the linker's automaton is costly with a large gazetteer:
        # only a new entity or a change of its names calls for it.
        names_changed = getattr(self, "_loaded_names", None) != self.names
        super().save(*args, **kwargs)
        if names_changed:
            gazetteer_changed()
            self._loaded_names = self.names

    def delete(self, *args, **kwargs):
        result = super().delete(*args, **kwargs)
        gazetteer_changed()
        return result

    @classmethod
    def from_db(cls, db, field_names, values, **kwargs):
        instance = super().from_db(db, field_names, values, **kwargs)
        loaded = {"name", "aliases"} <= set(field_names)
        instance._loaded_names = instance.names if loaded else None
        return instance

    def natural_key(self):
        return (self.slug,)

    def slug_source(self):
        return self.name

    def clean(self):
        super().clean()
        if not isinstance(self.aliases, list) or not all(
            isinstance(alias, str) for alias in self.aliases
        ):
            raise ValidationError({"aliases": "Aliases must be a list of names."})
        # Tidy, drop blanks and repeats, keep the editor's order.
        tidy = [" ".join(alias.split()) for alias in self.aliases]
        self.aliases = list(dict.fromkeys(alias for alias in tidy if alias and alias != self.name))

    @property
    def names(self):
        """Every name the entity is known by: its name first, then its aliases."""
        return [self.name, *self.aliases]


class SourceKind(models.TextChoices):
    AGENCY = "agency", "News agency"
    OUTLET = "outlet", "News outlet"
    GOVERNMENT = "government", "Government body"
    ORGANISATION = "organisation", "Organisation"
    OTHER = "other", "Other"


class Source(Entity):
    kind = models.CharField(max_length=20, choices=SourceKind, default=SourceKind.OTHER)
    url = models.URLField(blank=True)
    description = models.TextField(blank=True)
    needs_review = models.BooleanField(
        default=False,
        help_text="Made by the wire desk from an unknown byline: check its name, kind and aliases.",
    )

    class Meta(Entity.Meta):
        constraints = [
            *Entity.Meta.constraints,
            # Bylines resolve by name, so two sources may not share one.
            models.UniqueConstraint(Lower("name"), name="articles_source_name_unique"),
            models.CheckConstraint(
                condition=Q(kind__in=SourceKind.values), name="articles_source_kind_valid"
            ),
        ]

    def get_absolute_url(self):
        return reverse("articles:source", kwargs={"slug": self.slug})


class Person(Entity):
    title = models.CharField(
        max_length=200, blank=True, help_text='For example "Minister of Defense of Azerbaijan".'
    )
    honorific = models.CharField(
        max_length=100, blank=True, help_text='Rank or honorific, e.g. "Colonel-General".'
    )
    bio = models.TextField(blank=True)
    wikidata_id = models.CharField(
        "Wikidata id", max_length=20, blank=True, validators=[wikidata_id_validator]
    )

    class Meta(Entity.Meta):
        verbose_name_plural = "people"

    def get_absolute_url(self):
        return reverse("articles:person", kwargs={"slug": self.slug})


class PlaceKind(models.TextChoices):
    COUNTRY = "country", "Country"
    REGION = "region", "Region"
    CITY = "city", "City"
    DISTRICT = "district", "District"
    OTHER = "other", "Other"


class Place(Entity):
    kind = models.CharField(max_length=20, choices=PlaceKind, default=PlaceKind.OTHER)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        help_text="The place this one lies in: a city's country, a country's region.",
    )
    latitude = models.DecimalField(
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
    )
    longitude = models.DecimalField(
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
    )
    wikidata_id = models.CharField(
        "Wikidata id", max_length=20, blank=True, validators=[wikidata_id_validator]
    )
    geonames_id = models.CharField(
        "GeoNames id",
        max_length=20,
        blank=True,
        validators=[RegexValidator(r"^[1-9][0-9]*$", "A GeoNames id is a number.")],
    )

    class Meta(Entity.Meta):
        constraints = [
            *Entity.Meta.constraints,
            models.CheckConstraint(
                condition=Q(kind__in=PlaceKind.values), name="articles_place_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(latitude__isnull=True) | Q(latitude__gte=-90, latitude__lte=90),
                name="articles_place_latitude_range",
            ),
            models.CheckConstraint(
                condition=Q(longitude__isnull=True) | Q(longitude__gte=-180, longitude__lte=180),
                name="articles_place_longitude_range",
            ),
            models.CheckConstraint(
                condition=Q(latitude__isnull=True, longitude__isnull=True)
                | Q(latitude__isnull=False, longitude__isnull=False),
                name="articles_place_coordinates_paired",
            ),
            models.CheckConstraint(
                condition=Q(parent__isnull=True) | ~Q(parent=F("pk")),
                name="articles_place_not_own_parent",
            ),
        ]

    def get_absolute_url(self):
        return reverse("articles:place", kwargs={"slug": self.slug})

    def clean(self):
        super().clean()
        # The database refuses a place that is its own parent; a longer loop
        # (A in B in A) needs a walk up the chain.
        seen = {self.pk} if self.pk else set()
        ancestor = self.parent
        while ancestor is not None:
            if ancestor.pk in seen:
                raise ValidationError({"parent": "A place cannot lie inside itself."})
            seen.add(ancestor.pk)
            ancestor = ancestor.parent


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
        """The copy's paragraphs as the article would hold them, read from the text."""
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
