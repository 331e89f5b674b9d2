"""Sources, people and places: what articles mention, found by name and alias."""

from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models, transaction
from django.db.models import Count, F, IntegerField, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce, Lower

from articles import page_cache, versions
from articles.models.base import SluggedModel, slug_address

wikidata_id_validator = RegexValidator(
    r"^Q[1-9][0-9]*$", "A Wikidata id looks like Q227: the letter Q and a number."
)


GAZETTEER_VERSION_KEY = "linking:gazetteer-version"


def bump_gazetteer_version():
    """Tell every process that entity names changed, so linkers rebuild their automaton."""
    versions.move(GAZETTEER_VERSION_KEY)


def gazetteer_changed():
    # Now, for this transaction's own linking, and again at commit: another
    # process that rebuilt in between read the names before they were committed.
    bump_gazetteer_version()
    transaction.on_commit(bump_gazetteer_version)


class UnicodeJSONEncoder(DjangoJSONEncoder):
    """JSON with letters as letters: SQLite searches the stored text, and "Gəncə"
    stored as "G\\u0259nc\\u0259" would never match a search for it."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **{**kwargs, "ensure_ascii": False})


class EntityQuerySet(models.QuerySet):
    def with_story_counts(self):
        """Each row's number of public stories about it, counted for the fetched rows only."""
        from articles.models.articles import Article, about_condition

        stories = (
            Article.objects.public()
            .filter(about_condition(self.model, OuterRef("pk")))
            .order_by()
            .annotate(one=Value(1))
            .values("one")
            .annotate(n=Count("*"))
            .values("n")
        )
        return self.annotate(
            story_count=Coalesce(Subquery(stories, output_field=IntegerField()), 0)
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
        page_cache.newsroom_changed()
        if names_changed:
            gazetteer_changed()
            self._loaded_names = self.names

    def delete(self, *args, **kwargs):
        result = super().delete(*args, **kwargs)
        gazetteer_changed()
        page_cache.newsroom_changed()
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
        return slug_address("articles:source", self.slug)

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

    class Meta(Entity.Meta):
        verbose_name_plural = "people"

    def get_absolute_url(self):
        return slug_address("articles:person", self.slug)


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
        return slug_address("articles:place", self.slug)

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
