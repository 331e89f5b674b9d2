from django.urls import path
from rest_framework.routers import SimpleRouter

from articles.api import auth, views

app_name = "api"

router = SimpleRouter()
router.register("articles", views.ArticleViewSet, basename="article")
for viewset in views.ENTITY_VIEWSETS:
    router.register(viewset.kind.plural, viewset, basename=viewset.kind.name)
router.register("images", views.ImageViewSet, basename="image")

urlpatterns = [
    # Before the router, whose articles/<pk>/ would not match "removed" anyway.
    path("articles/removed/", views.RemovedArticlesView.as_view(), name="removed"),
    path("wire/", views.WireIntakeView.as_view(), name="wire"),
    path("auth/token/", auth.ObtainTokenView.as_view(), name="token"),
    *router.urls,
]
