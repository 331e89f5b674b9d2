"""The public site's addresses: the contract with readers, search engines and feed readers."""

from django.urls import path

from articles import feeds, views
from articles.page_cache import cached_page

app_name = "articles"


def page(view):
    return cached_page(view.as_view())


urlpatterns = [
    path("", page(views.HomeView), name="home"),
    path("articles/<slug:slug>/", page(views.ArticleDetailView), name="detail"),
    path("people/", page(views.PersonIndexView), name="people"),
    path("people/<slug:slug>/", page(views.PersonDetailView), name="person"),
    path("people/<slug:slug>/feed/", cached_page(feeds.PersonFeed()), name="person-feed"),
    path("places/", page(views.PlaceIndexView), name="places"),
    path("places/<slug:slug>/", page(views.PlaceDetailView), name="place"),
    path("places/<slug:slug>/feed/", cached_page(feeds.PlaceFeed()), name="place-feed"),
    path("sources/", page(views.SourceIndexView), name="sources"),
    path("sources/<slug:slug>/", page(views.SourceDetailView), name="source"),
    path("sources/<slug:slug>/feed/", cached_page(feeds.SourceFeed()), name="source-feed"),
    path("search/", page(views.SearchView), name="search"),
    path("corrections/", page(views.CorrectionListView), name="corrections"),
    path("feed/", cached_page(feeds.LatestArticlesFeed()), name="feed"),
    path("feed/atom/", cached_page(feeds.LatestArticlesAtomFeed()), name="atom-feed"),
]
