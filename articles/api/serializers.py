"""Serializers map fields, nothing more: no queries of their own (views prefetch),
no rules (those are on the models)."""

from rest_framework import serializers

from articles.models import (
    Article,
    Author,
    Correction,
    Image,
    Person,
    Place,
    Rendition,
    Section,
    Source,
)
from articles.models.articles import ArticleRemoval
from articles.models.base import address


def absolute(request, path):
    """``request.build_absolute_uri(path)``, with the scheme and host worked out once."""
    base = getattr(request, "_absolute_base", None)
    if base is None:
        base = request._absolute_base = request.build_absolute_uri("/").rstrip("/")
    return f"{base}{path}"


class EntityRef(serializers.RelatedField):
    """A linked entity: written as its slug (or id), read as {id, slug, name[, kind]}."""

    default_error_messages = {
        "does_not_exist": "No {model} has the slug or id {value!r}.",
        "invalid": "Give a slug (text) or an id (number).",
        "null_characters": "Null characters are not allowed.",
    }

    def __init__(self, *, with_kind=False, **kwargs):
        self.with_kind = with_kind
        super().__init__(**kwargs)

    def to_representation(self, entity):
        data = {"id": entity.pk, "slug": entity.slug, "name": entity.name}
        if self.with_kind:
            data["kind"] = entity.kind
        return data

    def to_internal_value(self, data):
        if isinstance(data, dict):
            data = data.get("slug", data.get("id"))
        queryset = self.get_queryset()
        model = queryset.model._meta.verbose_name
        if isinstance(data, bool) or not isinstance(data, str | int):
            self.fail("invalid")
        if isinstance(data, str) and "\x00" in data:
            self.fail("null_characters")  # as for text fields: PostgreSQL refuses them
        lookup = {"pk": data} if isinstance(data, int) else {"slug": data}
        entity = queryset.filter(**lookup).first()
        if entity is None:
            self.fail("does_not_exist", model=model, value=data)
        return entity


class CorrectionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Correction
        fields = ["text", "created_at"]


class RenditionSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField(help_text="Where readers get it (absolute).")
    content_type = serializers.CharField(read_only=True, help_text="image/avif, webp or jpeg.")
    bytes = serializers.IntegerField(source="byte_size", read_only=True)

    class Meta:
        model = Rendition
        fields = ["spec", "format", "width", "height", "url", "content_type", "bytes"]

    def get_url(self, rendition) -> str:
        return absolute(self.context["request"], rendition.url)


class FocalPointSerializer(serializers.Serializer):
    """Where the picture's subject is, as fractions of its width and height: crops keep it."""

    x = serializers.FloatField(min_value=0, max_value=1, source="focal_x")
    y = serializers.FloatField(min_value=0, max_value=1, source="focal_y")


class ImageSerializer(serializers.ModelSerializer):
    """A library picture as clients read it: its description and every rendition."""

    api_url = serializers.SerializerMethodField(help_text="This image in the API.")
    source = EntityRef(queryset=Source.objects.all(), required=False, allow_null=True)
    place = EntityRef(queryset=Place.objects.all(), required=False, allow_null=True, with_kind=True)
    credit_line = serializers.CharField(
        read_only=True, help_text="Who to credit under the picture: credit / source."
    )
    focal_point = FocalPointSerializer(source="*", required=False)
    bytes = serializers.IntegerField(source="byte_size", read_only=True)
    renditions = RenditionSerializer(many=True, read_only=True)

    class Meta:
        model = Image
        fields = [
            *("id", "api_url", "alt_text", "caption", "credit", "copyright", "credit_line"),
            *("source", "place", "taken_at", "format", "width", "height", "bytes"),
            *("focal_point", "uploaded_at", "updated_at", "renditions"),
        ]
        read_only_fields = ["id", "format", "width", "height", "uploaded_at", "updated_at"]

    def get_api_url(self, image) -> str:
        return absolute(self.context["request"], address("api:image-detail", pk=image.pk))


class ImageUploadSerializer(serializers.Serializer):
    """A picture file and, optionally, what the desk says about it (multipart/form-data).

    What is not given is read from the file's own IPTC, XMP or EXIF."""

    file = serializers.FileField(
        allow_empty_file=True,  # an empty file is refused with the reason, as any other
        help_text="JPEG, PNG, WebP, AVIF or GIF; recognised by its content, never its name.",
    )
    alt_text = serializers.CharField(max_length=300, required=False, allow_blank=True)
    caption = serializers.CharField(max_length=4000, required=False, allow_blank=True)
    credit = serializers.CharField(max_length=200, required=False, allow_blank=True)
    copyright = serializers.CharField(max_length=300, required=False, allow_blank=True)
    source = EntityRef(queryset=Source.objects.all(), required=False, allow_null=True)
    place = EntityRef(queryset=Place.objects.all(), required=False, allow_null=True)
    taken_at = serializers.DateTimeField(required=False, allow_null=True)


class ImageRef(serializers.PrimaryKeyRelatedField):
    """A library picture: written as its id, read as the image object with its renditions."""

    default_error_messages = {
        "does_not_exist": "No picture in the library has the id {pk_value}.",
        "incorrect_type": "Give a picture's id (a number), not {data_type}.",
    }

    def use_pk_only_optimization(self):
        return False

    def to_representation(self, image):
        return ImageSerializer(image, context=self.context).data


class ArticleSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField(help_text="The public page (once public).")
    api_url = serializers.SerializerMethodField(help_text="This article in the API.")
    section = EntityRef(queryset=Section.objects.all(), required=False, allow_null=True)
    authors = EntityRef(queryset=Author.objects.all(), many=True, required=False)
    source = EntityRef(queryset=Source.objects.all(), required=False, allow_null=True)
    people = EntityRef(queryset=Person.objects.all(), many=True, required=False)
    places = EntityRef(queryset=Place.objects.all(), many=True, required=False, with_kind=True)
    mentioned_sources = EntityRef(queryset=Source.objects.all(), many=True, required=False)
    dateline = EntityRef(
        queryset=Place.objects.all(), required=False, allow_null=True, with_kind=True
    )
    lead_image = ImageRef(
        queryset=Image.objects.all(),
        required=False,
        allow_null=True,
        help_text="The picture at the top of the story: its id when writing.",
    )
    images = ImageSerializer(
        source="shown_images",
        many=True,
        read_only=True,
        help_text="Every picture the story shows, lead first, then the body's in order.",
    )
    corrections = CorrectionSerializer(many=True, read_only=True)
    body_text = serializers.CharField(
        read_only=True, help_text="The body as plain text, for clients that show no markup."
    )
    word_count = serializers.IntegerField(read_only=True, help_text="Words in the body.")
    embargoed_until = serializers.SerializerMethodField(
        help_text="For embargoed delivery: the publication time of a story not yet public."
    )

    class Meta:
        model = Article
        fields = [
            "id",
            "url",
            "api_url",
            "slug",
            "headline",
            "headline_needs_review",
            "summary",
            "body",
            "body_html",
            "body_text",
            "word_count",
            "byline",
            "section",
            "authors",
            "source",
            "people",
            "places",
            "mentioned_sources",
            "dateline",
            "lead_image",
            "images",
            "status",
            "flag",
            "published_at",
            "embargoed_until",
            "created_at",
            "updated_at",
            "revised_at",
            "version",
            "corrections",
        ]
        read_only_fields = [
            *("id", "body_html", "body_text", "word_count"),
            *("created_at", "updated_at", "revised_at", "version"),
        ]
        extra_kwargs = {"slug": {"required": False}}

    def get_url(self, article) -> str:
        return absolute(self.context["request"], article.get_absolute_url())

    def get_api_url(self, article) -> str:
        return absolute(self.context["request"], address("api:article-detail", pk=article.pk))

    def get_embargoed_until(self, article) -> str | None:
        if article.published_at and article.is_scheduled:
            return serializers.DateTimeField().to_representation(article.published_at)
        return None

    def validate_published_at(self, value):
        # Aware times only: a bare "2026-01-02T09:00" means different moments
        # in different newsrooms.
        raw = self.initial_data.get("published_at")
        if isinstance(raw, str) and raw and value is not None and not _has_zone(raw):
            raise serializers.ValidationError(
                "Give a time zone, e.g. 2026-01-02T09:00:00Z or 2026-01-02T09:00:00+04:00."
            )
        return value


def _has_zone(text):
    text = text.strip()
    return text.endswith(("Z", "z")) or (len(text) > 6 and text[-6] in "+-" and text[-3] == ":")


class EntitySerializer(serializers.ModelSerializer):
    article_count = serializers.IntegerField(
        source="story_count", read_only=True, help_text="Public articles about it."
    )
    aliases = serializers.ListField(
        child=serializers.CharField(max_length=200), required=False, max_length=100
    )
    never_link = serializers.ListField(
        child=serializers.CharField(max_length=200),
        required=False,
        max_length=100,
        help_text='Longer names never linked to it: "Trend Micro", "Georgia Tech".',
    )

    def validate(self, attrs):
        # The object as it would be saved, so the model's own rules can judge it.
        current = _current(self.instance)
        for name in attrs:
            current.pop(self.Meta.model._meta.get_field(name).attname, None)
        instance = self.Meta.model(**current, **attrs)
        instance.pk = self.instance.pk if self.instance else None
        # The model's own rules (tidy aliases, no loops of parents, coordinates).
        instance.clean()
        for tidied in ("aliases", "never_link"):
            if tidied in attrs:
                attrs[tidied] = getattr(instance, tidied)
        return attrs


def _current(instance):
    if instance is None:
        return {}
    return {
        field.attname: getattr(instance, field.attname)
        for field in instance._meta.concrete_fields
        if field.attname != "id"
    }


class SourceSerializer(EntitySerializer):
    class Meta:
        model = Source
        fields = [
            "id",
            "slug",
            "name",
            "aliases",
            "never_link",
            "ambiguous",
            "kind",
            "url",
            "description",
            "article_count",
        ]
        extra_kwargs = {"slug": {"required": False}}


class PersonSerializer(EntitySerializer):
    class Meta:
        model = Person
        fields = [
            "id",
            "slug",
            "name",
            "aliases",
            "never_link",
            "ambiguous",
            "title",
            "honorific",
            "bio",
            "wikidata_id",
            "article_count",
        ]
        extra_kwargs = {"slug": {"required": False}}


class SectionSerializer(EntitySerializer):
    # Sections and authors are never looked for in a story's text.
    never_link = None
    article_count = serializers.IntegerField(
        source="story_count", read_only=True, help_text="Public articles filed in it."
    )

    class Meta:
        model = Section
        fields = ["id", "slug", "name", "aliases", "description", "position", "article_count"]
        extra_kwargs = {"slug": {"required": False}}


class AuthorSerializer(EntitySerializer):
    never_link = None

    class Meta:
        model = Author
        fields = ["id", "slug", "name", "aliases", "title", "bio", "article_count"]
        extra_kwargs = {"slug": {"required": False}}


class PlaceSerializer(EntitySerializer):
    parent = EntityRef(queryset=Place.objects.all(), required=False, allow_null=True)

    class Meta:
        model = Place
        fields = [
            "id",
            "slug",
            "name",
            "aliases",
            "never_link",
            "ambiguous",
            "kind",
            "parent",
            "latitude",
            "longitude",
            "wikidata_id",
            "geonames_id",
            "article_count",
        ]
        extra_kwargs = {"slug": {"required": False}}


class RemovalSerializer(serializers.ModelSerializer):
    id = serializers.IntegerField(source="article_id", help_text="The article's id.")

    class Meta:
        model = ArticleRemoval
        fields = ["id", "slug", "reason", "removed_at"]


class RemovalPageSerializer(serializers.Serializer):
    """What left the public set since a moment, and until when this answer is complete."""

    since = serializers.DateTimeField()
    until = serializers.DateTimeField(
        help_text="Pass this as ?since= next time: nothing before it is missed."
    )
    results = RemovalSerializer(many=True)


# Named in the schema (settings.SPECTACULAR_SETTINGS): two enums both called "outcome"
# would otherwise be renamed, and every generated client with them.
WIRE_OUTCOMES = ["created", "revised", "pending", "duplicate"]
PICTURE_OUTCOMES = ["stored", "held", "refused", "missing"]


class WirePictureSerializer(serializers.Serializer):
    """What became of one picture the copy named."""

    reference = serializers.CharField(help_text="The picture's file as the copy names it.")
    outcome = serializers.ChoiceField(
        choices=PICTURE_OUTCOMES,
        help_text="Stored new, already held (the same file), refused or missing.",
    )
    message = serializers.CharField(help_text="Why, for a refused or missing picture.")
    image = serializers.IntegerField(
        source="image.pk",
        read_only=True,
        allow_null=True,
        help_text="The library image's id, when there is one.",
    )
    is_lead = serializers.BooleanField(help_text="The copy's lead picture.")


class WireResultSerializer(serializers.Serializer):
    """What the wire desk did with one piece of copy, and with the pictures it named."""

    outcome = serializers.ChoiceField(choices=WIRE_OUTCOMES)
    message = serializers.CharField()
    article = ArticleSerializer()
    pictures = WirePictureSerializer(many=True)


class WireUploadSerializer(serializers.Serializer):
    """Copy and the picture files it names, in one multipart/form-data request."""

    copy = serializers.FileField(help_text="The copy: plain text, ninjs JSON or NITF XML.")
    pictures = serializers.ListField(
        child=serializers.FileField(),
        required=False,
        help_text="Picture files the copy names, matched by file name.",
    )
