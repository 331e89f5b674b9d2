"""RSS 2.0 and Atom feeds of public stories: the site's, and each entity's (kinds.py).

A feed reader is told exactly what is text and what is HTML. Headlines and
summaries are text an editor or the wire typed: Atom marks them text, and RSS,
whose readers treat a description as HTML, carries the description HTML-escaped,
so a "<a href=…>" in a lead shows as those characters, never as a link. The body
goes out as its reader HTML, sanitised when saved (``body_html``).

A story's lead image goes out as feed readers look for it: RSS carries Media RSS
``media:content`` (address, type, size, caption and credit) and one ``enclosure``
(address, bytes, type); Atom a ``link rel="enclosure"``. Every address absolute.
"""

import copy

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.http.request import split_domain_port
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed, Enclosure, Rss201rev2Feed
from django.utils.html import escape

from articles import responsive
from articles.models import Article

FEED_LENGTH = 30
MEDIA_RSS = "http://search.yahoo.com/mrss/"
# A feed reader shows the picture in a column: a screen's width, not the original's.
PICTURE_WIDTH = 1024


class StoryRssFeed(Rss201rev2Feed):
    """RSS with the description as escaped text and the body in content:encoded."""

    def rss_attributes(self):
        return {
            **super().rss_attributes(),
            "xmlns:content": "http://purl.org/rss/1.0/modules/content/",
            "xmlns:media": MEDIA_RSS,
        }

    def add_item_elements(self, handler, item):
        description = item["description"]
        if description is not None:
            description = escape(description)
        super().add_item_elements(handler, {**item, "description": description})
        if item["body_html"]:
            handler.addQuickElement("content:encoded", item["body_html"])
        if picture := item["picture"]:
            handler.startElement(
                "media:content",
                {
                    "url": picture["url"],
                    "type": picture["type"],
                    "width": str(picture["width"]),
                    "height": str(picture["height"]),
                    "medium": "image",
                },
            )
            if picture["description"]:
                handler.addQuickElement(
                    "media:description", picture["description"], {"type": "plain"}
                )
            if picture["credit"]:
                handler.addQuickElement("media:credit", picture["credit"])
            handler.endElement("media:content")


class StoryAtomFeed(Atom1Feed):
    """Atom with the summary as text (Django marks it html) and the body as HTML content."""

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, {**item, "description": None})
        if item["description"] is not None:
            handler.addQuickElement("summary", item["description"], {"type": "text"})
        if item["body_html"]:
            handler.addQuickElement("content", item["body_html"], {"type": "html"})


class LatestArticlesFeed(Feed):
    """The latest public stories, newest first."""

    feed_type = StoryRssFeed
    description = "The latest stories from the newsroom."

    def __call__(self, request, *args, **kwargs):
        # One instance serves every request, in every thread (urls.py): what an
        # item needs of the request goes on a copy made for this request alone.
        feed = copy.copy(self)
        feed.request = request
        return Feed.__call__(feed, request, *args, **kwargs)

    def title(self, obj=None):
        return f"{settings.SITE_NAME}: latest stories"

    def link(self, obj=None):
        return reverse("articles:home")

    def items(self, obj=None):
        return Article.objects.public().for_feed()[:FEED_LENGTH]

    def item_title(self, article):
        return article.headline

    def item_description(self, article):
        return article.summary or (article.paragraphs[0] if article.paragraphs else "")

    def item_extra_kwargs(self, article):
        return {"body_html": article.body_html, "picture": self.picture(article)}

    def picture(self, article):
        """The lead image as the item carries it, or None."""
        image = article.lead_image
        rendition = responsive.widest(image, up_to=PICTURE_WIDTH)
        if rendition is None:
            return None
        return {
            "url": self.request.build_absolute_uri(rendition.url),
            "type": rendition.content_type,
            "width": rendition.width,
            "height": rendition.height,
            "length": rendition.byte_size,
            "description": image.caption or image.alt_text,
            "credit": image.credit_line,
        }

    def item_enclosures(self, article):
        picture = self.picture(article)
        if picture is None:
            return []
        return [Enclosure(picture["url"], str(picture["length"]), picture["type"])]

    def item_pubdate(self, article):
        return article.published_at

    def item_updateddate(self, article):
        return article.updated_at

    def item_author_name(self, article):
        if names := article.author_names:
            return names
        return article.source.name if article.source else settings.SITE_NAME

    def item_categories(self, article):
        section = [article.section] if article.section else []
        return [entity.name for entity in (*section, *article.places.all(), *article.people.all())]

    def item_guid(self, article):
        """A tag: URI (RFC 4151), absolute as Atom requires and permanent: the host the
        feed is served from, the day the story was created and its id. An edit
        changes neither (a slug or a publication time it may), so a reader never
        sees an edited story as a new one."""
        host, _port = split_domain_port(self.request.get_host())
        return f"tag:{host},{article.created_at:%Y-%m-%d}:articles/{article.pk}"

    item_guid_is_permalink = False


class LatestArticlesAtomFeed(LatestArticlesFeed):
    feed_type = StoryAtomFeed
    subtitle = LatestArticlesFeed.description


class EntityFeed(LatestArticlesFeed):
    """The latest public stories about one entity of ``kind`` (or by one author)."""

    def __init__(self, kind):
        super().__init__()
        self.kind = kind

    def get_object(self, request, slug):
        return get_object_or_404(self.kind.model, slug=slug)

    def title(self, entity):
        return f"{settings.SITE_NAME}: {entity.name}"

    def link(self, entity):
        return entity.get_absolute_url()

    def description(self, entity):
        return f"The latest stories {self.kind.preposition} {entity.name}."

    def items(self, entity):
        return Article.objects.public().about(entity).for_feed()[:FEED_LENGTH]


class EntityAtomFeed(EntityFeed):
    feed_type = StoryAtomFeed

    def subtitle(self, entity):
        return self.description(entity)
