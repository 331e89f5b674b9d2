"""The public site's addresses: the contract with readers, search engines and feed readers."""

from django.urls import path

from articles import feeds, kinds, page_cache, views
from articles.page_cache import cached_page

app_name = "articles"


def page(view, **initkwargs):
    return cached_page(view.as_view(**initkwargs), query=view.query_parameters)


# The front: kept under its arrangement's version too (and not past a pin's end).
front = cached_page(
    views.HomeView.as_view(), query=views.HomeView.query_parameters, scope=page_cache.FRONT
)


def entity_pages(kind):
    """/people/, /people/<slug>/, /people/<slug>/feed/ and its Atom twin, for each kind."""
    return [
        path(f"{kind.plural}/", page(views.EntityIndexView, kind=kind), name=kind.plural),
        path(
            f"{kind.plural}/<slug:slug>/", page(views.EntityDetailView, kind=kind), name=kind.name
        ),
        path(
            f"{kind.plural}/<slug:slug>/feed/",
            cached_page(feeds.EntityFeed(kind)),
            name=f"{kind.name}-feed",
        ),
        path(
            f"{kind.plural}/<slug:slug>/feed/atom/",
            cached_page(feeds.EntityAtomFeed(kind)),
            name=f"{kind.name}-atom-feed",
        ),
    ]


urlpatterns = [
    path("", front, name="home"),
    path("articles/<slug:slug>/", page(views.ArticleDetailView), name="detail"),
    *[pattern for kind in kinds.KINDS for pattern in entity_pages(kind)],
    path("search/", page(views.SearchView), name="search"),
    path("corrections/", page(views.CorrectionListView), name="corrections"),
    path("feed/", cached_page(feeds.LatestArticlesFeed()), name="feed"),
    path("feed/atom/", cached_page(feeds.LatestArticlesAtomFeed()), name="atom-feed"),
    # Last, and the URLconf's first segments are slugs no site page may take
    # (SitePage.clean): a site page never shadows another address.
    path("<slug:slug>/", page(views.SitePageView), name="site-page"),
]
