"""RSS 2.0 and Atom feeds of public stories: the site's, and each entity's (kinds.py)."""

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed

from articles.models import Article

FEED_LENGTH = 30


class LatestArticlesFeed(Feed):
    """The latest public stories, newest first."""

    description = "The latest stories from the newsroom."

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

    def item_pubdate(self, article):
        return article.published_at

    def item_updateddate(self, article):
        return article.updated_at

    def item_author_name(self, article):
        return article.source.name if article.source else settings.SITE_NAME

    def item_categories(self, article):
        return [entity.name for entity in (*article.places.all(), *article.people.all())]

    def item_guid(self, article):
        return f"{reverse('articles:home')}articles/{article.pk}"

    item_guid_is_permalink = False


class LatestArticlesAtomFeed(LatestArticlesFeed):
    feed_type = Atom1Feed
    subtitle = LatestArticlesFeed.description


class EntityFeed(LatestArticlesFeed):
    """The latest public stories about one entity of ``kind``."""

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
        return f"The latest stories about {entity.name}."

    def items(self, entity):
        return Article.objects.public().about(entity).for_feed()[:FEED_LENGTH]
