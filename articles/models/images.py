"""Pictures: the library's images and the renditions readers are served.

An image is its file, stored once by content hash (the same file uploaded twice is
one image), with what the newsroom says about it (alt text, caption, credit,
copyright, source, date, place) and where to crop it (the focal point). Readers
never get the original: only renditions, made from it at upload, re-encoded with
no metadata but the credit lines the newsroom keeps (``articles/imaging.py``).
"""

from django.conf import settings
from django.db import models
from django.db.models import Count, Prefetch, Q

from articles import imaging
from articles.models.entities import Place, Source

# The desk's previews: the library's thumbnails, the chooser's, the picture dialog's.
THUMBNAIL_WIDTH = 320


class ImageQuerySet(models.QuerySet):
    def with_renditions(self):
        """Each image with its renditions, in one more query whatever the count."""
        return self.prefetch_related(
            Prefetch("renditions", queryset=Rendition.objects.order_by("width", "id"))
        )

    def with_thumbnail(self):
        """Each image with ``thumbnail``: its smallest JPEG width rendition (320 pixels
        wide, or the picture's own width if narrower), the desk's preview, in one more
        query whatever the count and without reading the other renditions."""
        return self.prefetch_related(
            Prefetch(
                "renditions",
                queryset=Rendition.objects.filter(
                    format="jpeg", spec__startswith="w", width__lte=THUMBNAIL_WIDTH
                ).order_by("width", "id"),
                to_attr="thumbnails",
            )
        )

    def for_api(self):
        """What an API image object carries: its source, place and renditions, in two queries."""
        return self.select_related("source", "place").with_renditions()

    def with_use(self):
        """Each image with ``use_count``: the stories that show it (lead or body)."""
        return self.annotate(use_count=Count("articles", distinct=True))

    def visible_to(self, user, *, stories):
        """The whole library for the desk (staff who may view pictures); for anyone else,
        the pictures shown by ``stories``: those they may read (``Article.visible_to``)."""
        if user.is_staff and user.has_perm("articles.view_image"):
            return self
        return self.shown_by(stories)

    def shown_by(self, articles):
        """Pictures the stories ``articles`` show: ``Article.objects.public()`` for readers."""
        return self.filter(pk__in=articles.values("images"))

    def search(self, term):
        words = term.split()
        query = Q()
        for word in words:
            query &= (
                Q(caption__icontains=word)
                | Q(alt_text__icontains=word)
                | Q(credit__icontains=word)
                | Q(copyright__icontains=word)
                | Q(source__name__icontains=word)
                | Q(original_name__icontains=word)
            )
        return self.filter(query)


class Image(models.Model):
    file = models.FileField(max_length=200, editable=False)
    content_hash = models.CharField(
        max_length=64, unique=True, editable=False, help_text="SHA-256 of the file's bytes."
    )
    format = models.CharField(max_length=4, editable=False)  # jpeg, png, webp, avif, gif
    width = models.PositiveIntegerField(editable=False)
    height = models.PositiveIntegerField(editable=False)
    byte_size = models.PositiveBigIntegerField(editable=False)
    original_name = models.CharField(
        max_length=255, blank=True, editable=False, help_text="The uploaded file's name."
    )
    alt_text = models.CharField(
        max_length=300,
        blank=True,
        help_text=(
            "What the picture shows, for readers who cannot see it. A story using the picture "
            "cannot be published without it."
        ),
    )
    caption = models.TextField(blank=True)
    credit = models.CharField(max_length=200, blank=True, help_text="The photographer.")
    copyright = models.CharField(
        max_length=300, blank=True, help_text="The copyright or licence line."
    )
    source = models.ForeignKey(
        Source,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="images",
        help_text="The agency that supplied it.",
    )
    taken_at = models.DateTimeField(null=True, blank=True)
    place = models.ForeignKey(
        Place, on_delete=models.SET_NULL, null=True, blank=True, related_name="images"
    )
    # Where the picture's subject is, as fractions of its width and height: crops keep it.
    focal_x = models.FloatField(default=0.5)
    focal_y = models.FloatField(default=0.5)
    metadata = models.JSONField(
        default=dict,
        blank=True,
        editable=False,
        help_text="What was read from the file on upload (IPTC, XMP, EXIF).",
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ImageQuerySet.as_manager()

    class Meta:
        ordering = ["-uploaded_at", "-id"]
        indexes = [models.Index(fields=["-uploaded_at", "-id"], name="image_uploaded_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(focal_x__gte=0, focal_x__lte=1, focal_y__gte=0, focal_y__lte=1),
                name="image_focal_point_inside",
            ),
        ]

    def __str__(self):
        return self.caption[:80] or self.alt_text[:80] or self.original_name or f"Image {self.pk}"

    @property
    def credit_line(self):
        """ "Photo: Jane Doe / Trend" — who to credit under the picture."""
        names = [name for name in (self.credit, self.source and self.source.name) if name]
        return " / ".join(dict.fromkeys(names))

    @property
    def thumbnail(self):
        """The desk's preview rendition, from ``with_thumbnail()``; None if it has none."""
        thumbnails = getattr(self, "thumbnails", None)
        if thumbnails is None:
            raise AttributeError("thumbnail needs ImageQuerySet.with_thumbnail().")
        return thumbnails[0] if thumbnails else None

    def rendition(self, spec, format="jpeg"):
        """The rendition ``spec`` in ``format`` from the prefetched renditions, or None."""
        for rendition in self.renditions.all():
            if rendition.spec == spec and rendition.format == format:
                return rendition
        return None


class RenditionQuerySet(models.QuerySet):
    def for_pages(self, *, specs=None, formats=None, own_widths=False):
        """What a page reads of a rendition (its address and size), narrowest first; only
        ``specs``, ``formats`` or the picture's ``own_widths`` (not its crops) when that
        is all it shows: thirty teasers need six renditions of each picture, not 43."""
        renditions = self.only(
            *("id", "image_id", "spec", "format", "width", "height", "byte_size", "file")
        )
        if specs is not None:
            renditions = renditions.filter(spec__in=specs)
        if formats is not None:
            renditions = renditions.filter(format__in=formats)
        if own_widths:
            renditions = renditions.filter(spec__regex=rf"^{imaging.WIDTH_SPEC.pattern}$")
        return renditions.order_by("width", "id")


class Rendition(models.Model):
    """One size and format of an image, as readers are served it."""

    image = models.ForeignKey(Image, on_delete=models.CASCADE, related_name="renditions")
    spec = models.CharField(max_length=20)  # "w640", "16x9-1200", "social"
    format = models.CharField(max_length=4)  # avif, webp, jpeg
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    byte_size = models.PositiveBigIntegerField()
    file = models.FileField(max_length=200)

    objects = RenditionQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["image", "spec", "format"], name="rendition_one_per_spec_and_format"
            ),
        ]

    def __str__(self):
        return f"{self.spec}.{self.format}"

    @property
    def url(self):
        return self.file.url

    @property
    def content_type(self):
        return f"image/{self.format}"
