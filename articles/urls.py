from django.urls import path

from articles import views

app_name = "articles"

urlpatterns = [
    path("", views.ArticleListView.as_view(), name="home"),
    path("articles/<slug:slug>/", views.ArticleDetailView.as_view(), name="detail"),
    path("people/<slug:slug>/", views.PersonDetailView.as_view(), name="person"),
    path("places/<slug:slug>/", views.PlaceDetailView.as_view(), name="place"),
    path("sources/<slug:slug>/", views.SourceDetailView.as_view(), name="source"),
    path("corrections/", views.CorrectionListView.as_view(), name="corrections"),
]
