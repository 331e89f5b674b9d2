"""The site's own pages (About, Contact, the corrections policy, the terms): written by
editors in the story body format, each at a top-level address of its own."""

import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import URLResolver, get_resolver

from articles import bodies
from articles.models.base import SluggedModel, slug_address

# What can begin a slug: the part of a route's first segment before a converter or a dot
# ("sitemap-<section>.xml" is "sitemap", "robots.txt" is "robots").
_STEM = re.compile(r"[A-Za-z0-9_-]*")


def first_segments(patterns, prefix=""):
    """The first path segment of every address ``patterns`` (a URLconf's) can match,
    cut to what a slug could spell, each once."""
    found = set()
    for pattern in patterns:
        route = prefix + str(pattern.pattern).removeprefix("^")
        segment = route.split("/", 1)[0]
        if isinstance(pattern, URLResolver) and not segment:
            found |= first_segments(pattern.url_patterns, route)
            continue
        stem = _STEM.match(segment).group().strip("-_").lower()
        if stem:  # "<slug:slug>/" (the site pages' own) spells no fixed segment
            found.add(stem)
    return found


def reserved_slugs():
    """Slugs a site page may not take: the first segments of the site's own addresses.

    Read from the URLconf, so a new address reserves its name without a list to keep;
    the static and media prefixes too, which a web server or WhiteNoise may answer
    before the URLconf is asked.
    """
    reserved = first_segments(get_resolver().url_patterns)
    for prefix in (settings.STATIC_URL, settings.MEDIA_URL):
        if prefix and prefix.startswith("/"):
            reserved.add(prefix.strip("/").split("/", 1)[0].lower())
    reserved.discard("")
    return reserved


class SitePageQuerySet(models.QuerySet):
    def public(self):
        """What readers may see: published pages. A hidden page is a 404."""
        return self.filter(published=True)

    def for_footer(self):
        """Every page's footer: the published pages in the desk's order, titles and slugs."""
        return self.public().order_by("footer_position", "title", "id").only("id", "slug", "title")

    def showing(self, image):
        """Pages whose body places ``image`` (its figure, as bodies.figure writes it)."""
        return self.filter(body__contains=f'data-image="{int(image.pk)}"')


class SitePageManager(models.Manager.from_queryset(SitePageQuerySet)):
    def get_by_natural_key(self, slug):
        return self.get(slug=slug)


class SitePage(SluggedModel):
    """A page about the site, at ``/<slug>/``; in the footer of every page once published."""

    title = models.CharField(max_length=200)
    description = models.CharField(
        max_length=300,
        blank=True,
        help_text="A sentence for search engines and link previews (the meta description).",
    )
    body = models.TextField(blank=True)
    footer_position = models.PositiveSmallIntegerField(
        default=0, help_text="Its place in the footer of every page: lower comes first."
    )
    published = models.BooleanField(
        default=False, help_text="Unpublished, readers get “not found” at its address."
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = SitePageManager()

    class Meta:
        ordering = ["footer_position", "title", "id"]
        indexes = [models.Index(fields=["footer_position", "title"], name="sitepage_footer_idx")]
        constraints = [
            models.CheckConstraint(
                condition=~Q(title=""), name="articles_sitepage_title_not_empty"
            ),
        ]

    def __str__(self):
        return self.title

    def natural_key(self):
        return (self.slug,)

    def slug_source(self):
        return self.title

    def get_absolute_url(self):
        return slug_address("articles:site-page", self.slug)

    def reserved_slugs(self):
        return reserved_slugs()

    def clean(self):
        super().clean()
        if self.slug and self.slug.lower() in reserved_slugs():
            raise ValidationError(
                {
                    "slug": f"“{self.slug}” is the address of a part of the site; "
                    "choose another slug for this page."
                }
            )

    @classmethod
    def from_db(cls, db, field_names, values, **kwargs):
        instance = super().from_db(db, field_names, values, **kwargs)
        instance._was_published = instance.__dict__.get("published")
        return instance

    def reaches_readers(self, *, created=False):
        """Whether a change to the page can change a public page: it is published, or
        was as last read. A hidden page edited is on no page, and its change must not
        show outside, not even as a new Last-Modified. A copy that never read the row
        (loaddata, a bare instance) may be replacing a published page: it counts."""
        was_published = False if created else getattr(self, "_was_published", None)
        return self.published or was_published is not False

    def save(self, *args, **kwargs):
        # Whoever sent it (the admin, loaddata, the shell), the body is the format and
        # nothing else: no script or event handler survives to a page.
        self.body = bodies.clean(self.body)
        super().save(*args, **kwargs)
        self._was_published = self.published
