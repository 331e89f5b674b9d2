from django.urls import path

from articles.api import views

app_name = "api"

urlpatterns = [
    path("articles/<int:pk>/", views.ArticleDetailView.as_view(), name="article-detail"),
    path("wire/", views.WireIntakeView.as_view(), name="wire"),
]
