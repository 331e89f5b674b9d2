from django.urls import path
from rest_framework.routers import SimpleRouter

from articles.api import views
from newsroom.logins import ObtainTokenView

app_name = "api"

router = SimpleRouter()
router.register("articles", views.ArticleViewSet, basename="article")
router.register("sources", views.SourceViewSet, basename="source")
router.register("people", views.PersonViewSet, basename="person")
router.register("places", views.PlaceViewSet, basename="place")

urlpatterns = [
    # Before the router, whose articles/<pk>/ would not match "removed" anyway.
    path("articles/removed/", views.RemovedArticlesView.as_view(), name="removed"),
    path("wire/", views.WireIntakeView.as_view(), name="wire"),
    path("auth/token/", ObtainTokenView.as_view(), name="token"),
    *router.urls,
]
