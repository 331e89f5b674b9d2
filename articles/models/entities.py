"""Sources, people and places: what articles mention, found by name and alias; and
authors, the newsroom's own writers, who write articles rather than appear in them."""

from django.apps import apps
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator, slug_re
from django.db import models
from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Lower

from articles import kinds, responsive, text
from articles.models.base import SluggedModel, slug_address

WIKIDATA = "https://www.wikidata.org/wiki/"

wikidata_id_validator = RegexValidator(
    r"^Q[1-9][0-9]*$", "A Wikidata id looks like Q227: the letter Q and a number."
)


class UnicodeJSONEncoder(DjangoJSONEncoder):
    """JSON with letters as letters: SQLite searches the stored text, and "Gəncə"
    stored as "G\\u0259nc\\u0259" would never match a search for it."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **{**kwargs, "ensure_ascii": False})


class EntityQuerySet(models.QuerySet):
    def for_page(self):
        """What an entity's own page shows of it: its facts and its picture."""
        renditions = apps.get_model("articles", "Rendition").objects
        return self.select_related("image__source").prefetch_related(
            Prefetch(
                "image__renditions",
                queryset=renditions.for_pages(specs=responsive.PORTRAIT_SPECS),
            )
        )

    def with_slug(self, slug):
        """The entity at ``slug`` as a visitor typed it (a filter's parameter).

        Text that cannot be a slug names nothing, without a query: PostgreSQL
        refuses a NUL anywhere in a query, and no slug has one.
        """
        return self.filter(slug=slug) if slug_re.match(slug) else self.none()

    def in_the_news(self):
        """Entities with at least one public story: what indexes and sitemaps list.

        An entity made for a draft (a source from an unknown byline, say) is not
        listed before a story about it is public: the lists would tell outsiders
        what the desk is working on.
        """
        article_model = apps.get_model("articles", "Article")
        stories = article_model.objects.public().about_kind(kinds.of(self.model), OuterRef("pk"))
        return self.filter(Exists(stories))

    def with_story_counts(self):
        """Each row's number of public stories about it, counted for the fetched rows only."""
        # By name: the article model is defined beside this one and refers to it.
        article_model = apps.get_model("articles", "Article")
        stories = (
            article_model.objects.public()
            .about_kind(kinds.of(self.model), OuterRef("pk"))
            .order_by()
            .annotate(one=Value(1))
            .values("one")
            .annotate(n=Count("*"))
            .values("n")
        )
        return self.annotate(
            story_count=Coalesce(Subquery(stories, output_field=IntegerField()), 0)
        )

    def link_choices(self, term):
        """What the body editor's link dialog offers for ``term``: the entities whose name
        or an alias contains it, those whose name starts with it first, read with what a
        choice shows (name and address)."""
        return (
            self.filter(Q(name__icontains=term) | Q(aliases__icontains=term))
            .order_by(Case(When(name__istartswith=term, then=0), default=1), "name", "id")
            .only("id", "name", "slug")
        )


class EntityManager(models.Manager.from_queryset(EntityQuerySet)):
    def get_by_natural_key(self, slug):
        return self.get(slug=slug)


class Entity(SluggedModel):
    """Something an article can mention: found in text by its name and aliases."""

    name = models.CharField(max_length=200)
    aliases = models.JSONField(
        default=list,
        blank=True,
        encoder=UnicodeJSONEncoder,
        help_text=(
            "Other names the wire uses, as a list: spellings, short forms and, for places, "
            'demonyms such as "Azerbaijani".'
        ),
    )
    never_link = models.JSONField(
        "never link",
        default=list,
        blank=True,
        encoder=UnicodeJSONEncoder,
        help_text=(
            "Longer names that contain one of its names but are something else, as a list: "
            '"Trend Micro", "Georgia Tech". The wire desk never links them to it.'
        ),
    )
    ambiguous = models.BooleanField(
        default=False,
        help_text=(
            "Its name is also a common word or names something else (Georgia, Turkey, Trend): "
            "the wire desk links it only when the story supports it."
        ),
    )
    image = models.ForeignKey(
        "articles.Image",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="A portrait, a view or a logo, for the page about them.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = EntityManager()

    # What the wire desk's matcher reads of an entity: a change to any re-links.
    LINKING_FIELDS = ("name", "aliases", "never_link", "ambiguous")

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
        # Descriptions and biographies typed in a browser arrive with CRLF line breaks.
        for field in self._meta.concrete_fields:
            if isinstance(field, models.TextField):
                setattr(
                    self, field.attname, text.normalize_line_endings(getattr(self, field.attname))
                )
        super().save(*args, **kwargs)
        self._loaded_names = self._linking_state()

    @classmethod
    def from_db(cls, db, field_names, values, **kwargs):
        instance = super().from_db(db, field_names, values, **kwargs)
        loaded = set(cls.LINKING_FIELDS) <= set(field_names)
        instance._loaded_names = instance._linking_state() if loaded else None
        return instance

    def _linking_state(self):
        return tuple(getattr(self, field) for field in self.LINKING_FIELDS)

    def natural_key(self):
        return (self.slug,)

    def slug_source(self):
        return self.name

    def get_absolute_url(self):
        return slug_address(kinds.of(self).url_name, self.slug)

    @property
    def wikidata_url(self):
        wikidata_id = getattr(self, "wikidata_id", "")
        return f"{WIKIDATA}{wikidata_id}" if wikidata_id else ""

    def clean(self):
        super().clean()
        if not _is_list_of_text(self.aliases):
            raise ValidationError({"aliases": "Aliases must be a list of names."})
        if not _is_list_of_text(self.never_link):
            raise ValidationError({"never_link": "Never-link phrases must be a list of names."})
        self.aliases = [alias for alias in _tidy(self.aliases) if alias != self.name]
        self.never_link = _tidy(self.never_link)
        clashes = {phrase.casefold() for phrase in self.never_link} & {
            name.casefold() for name in self.names
        }
        if clashes:
            raise ValidationError(
                {"never_link": "A name or alias cannot also be a phrase never linked to it."}
            )

    @property
    def names(self):
        """Every name the entity is known by: its name first, then its aliases."""
        return [self.name, *self.aliases]

    @property
    def names_changed(self):
        """Whether what linking reads differs from what is stored (always, for an entity
        not read back): names, aliases, never-link phrases, ambiguity, a title, a parent.

        Rebuilding the linker's automaton is costly with a large gazetteer: only a
        new entity or such a change calls for it.
        """
        return getattr(self, "_loaded_names", None) != self._linking_state()


def _is_list_of_text(value):
    return isinstance(value, list) and all(isinstance(item, str) for item in value)


def _tidy(names):
    """One space between words, no blanks or repeats, the editor's order kept."""
    tidy = (" ".join(name.split()) for name in names)
    return list(dict.fromkeys(name for name in tidy if name))


class SourceKind(models.TextChoices):
    AGENCY = "agency", "News agency"
    OUTLET = "outlet", "News outlet"
    GOVERNMENT = "government", "Government body"
    ORGANISATION = "organisation", "Organisation"
    OTHER = "other", "Other"


class Source(Entity):
    kind = models.CharField(max_length=20, choices=SourceKind, default=SourceKind.OTHER)
    short_name = models.CharField(
        max_length=100,
        blank=True,
        help_text='How a credit line names it: "Trend" for Trend News Agency. Blank: its name.',
    )
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

    @property
    def credit_name(self):
        """The name a story's credit line gives it ("By Jane Doe, Trend")."""
        return self.short_name or self.name

    def clean(self):
        super().clean()
        # Bylines resolve by name: two sources may not share one, whatever its case.
        same = Source.objects.filter(name__iexact=self.name).exclude(pk=self.pk)
        if self.name and same.exists():
            raise ValidationError({"name": "There is already a source with this name."})


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

    LINKING_FIELDS = (*Entity.LINKING_FIELDS, "title")

    class Meta(Entity.Meta):
        verbose_name_plural = "people"


class Author(Entity):
    """A staff writer: credited on the stories they wrote, not one a story is about.

    Found by name and alias only in a wire byline ("By Jane Doe – Trend:"),
    never in running text.
    """

    title = models.CharField(
        max_length=200, blank=True, help_text='Role or title, e.g. "Baku correspondent".'
    )
    bio = models.TextField(blank=True, help_text="A short biography for their page.")
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="author",
        help_text="Their account on the desk, if they have one.",
    )


class SectionQuerySet(EntityQuerySet):
    def for_navigation(self):
        """The site's navigation: every section in the desk's order, names and addresses."""
        return self.order_by("position", "name", "id").only("id", "slug", "name")


class Section(Entity):
    """A part of the paper (Politics, Economy...): a story is filed in one at most.

    Its aliases are the names agencies' subject codes use for it ("Business" for
    Economy), so the wire desk can propose it; they are never looked for in the text.
    """

    description = models.TextField(blank=True, help_text="A sentence or two for its page.")
    position = models.PositiveSmallIntegerField(
        default=0, help_text="Its place in the site's navigation: lower comes first."
    )

    objects = EntityManager.from_queryset(SectionQuerySet)()

    class Meta(Entity.Meta):
        ordering = ["position", "name", "id"]
        indexes = [models.Index(fields=["position", "name"], name="section_navigation_idx")]


class PlaceQuerySet(EntityQuerySet):
    def for_page(self):
        # Up to the region of a district's city: the parent chain in one query.
        return super().for_page().select_related("parent__parent__parent")


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

    objects = EntityManager.from_queryset(PlaceQuerySet)()

    LINKING_FIELDS = (*Entity.LINKING_FIELDS, "parent_id")

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
