"""Sitemaps: every public story, entity page and site page, and a Google News sitemap of
the last two days.

A story's entry lists the pictures it shows (Google's image sitemap, ``image:image``
in templates/sitemap.xml), each at its widest JPEG, at an absolute address.
"""

from datetime import timedelta
from urllib.parse import urljoin

from django.contrib.sitemaps import Sitemap
from django.db.models import prefetch_related_objects
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from articles import kinds, responsive
from articles.models import Article, SitePage

NEWS_WINDOW = timedelta(hours=48)
NEWS_LIMIT = 1000  # Google News reads at most 1,000 stories per sitemap


class ArticleSitemap(Sitemap):
    changefreq = "daily"
    limit = 10_000

    def items(self):
        return Article.objects.public().for_sitemap().order_by("-published_at", "-id")

    def lastmod(self, article):
        return article.updated_at

    def get_urls(self, page=1, site=None, protocol=None):
        urls = super().get_urls(page, site, protocol)
        prefetch_related_objects([url["item"] for url in urls], *Article.objects.shown_pictures())
        # MEDIA_URL may be a path on this site (the default) or a storage's own address.
        base = f"{self.get_protocol(protocol)}://{self.get_domain(site)}/"
        for url in urls:
            widest = (responsive.widest(image) for image in url["item"].images.all())
            url["images"] = [urljoin(base, rendition.url) for rendition in widest if rendition]
        return urls


class EntitySitemap(Sitemap):
    """The pages of one kind's entities that have a public story."""

    changefreq = "daily"
    limit = 10_000

    def __init__(self, kind):
        self.kind = kind

    def items(self):
        return self.kind.model.objects.in_the_news().only("slug", "updated_at").order_by("pk")

    def lastmod(self, entity):
        return entity.updated_at


class PagesSitemap(Sitemap):
    changefreq = "hourly"

    def items(self):
        return [
            "articles:home",
            *(kind.index_url_name for kind in kinds.KINDS),
            "articles:corrections",
        ]

    def location(self, name):
        return reverse(name)


class SitePageSitemap(Sitemap):
    """The site's own published pages (About, Contact...)."""

    changefreq = "monthly"

    def items(self):
        return SitePage.objects.public().only("slug", "updated_at").order_by("pk")

    def lastmod(self, page):
        return page.updated_at


SITEMAPS = {
    "pages": PagesSitemap,
    "site-pages": SitePageSitemap,
    "articles": ArticleSitemap,
    **{kind.plural: EntitySitemap(kind) for kind in kinds.KINDS},
}


def news_sitemap(request):
    """Google News sitemap: public stories of the last 48 hours, newest first."""
    since = timezone.now() - NEWS_WINDOW
    articles = (
        Article.objects.public()
        .filter(published_at__gte=since)
        .only("slug", "headline", "published_at")
        .order_by("-published_at", "-id")[:NEWS_LIMIT]
    )
    return render(
        request,
        "articles/news_sitemap.xml",
        {"articles": articles},
        content_type="application/xml; charset=utf-8",
    )
