from django.conf import settings
from django.contrib import admin
from django.contrib.sitemaps import views as sitemap_views
from django.templatetags.static import static
from django.urls import include, path
from django.utils.functional import lazy
from django.views.generic import RedirectView
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from articles import sitemaps, views
from articles.page_cache import cached_page

# Under /api/, errors answer in the API's JSON shape; elsewhere, Django's pages.
handler400 = "newsroom.errors.bad_request"
handler403 = "newsroom.errors.permission_denied"
handler404 = "newsroom.errors.not_found"
handler500 = "newsroom.errors.server_error"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/", include("articles.api.urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
    path(
        "sitemap.xml",
        cached_page(sitemap_views.index),
        {"sitemaps": sitemaps.SITEMAPS, "sitemap_url_name": "sitemap-section"},
        name="sitemap",
    ),
    path(
        "sitemap-<section>.xml",
        cached_page(sitemap_views.sitemap, query=("p",)),  # a long section's pages
        {"sitemaps": sitemaps.SITEMAPS},
        name="sitemap-section",
    ),
    path("news-sitemap.xml", cached_page(sitemaps.news_sitemap), name="news-sitemap"),
    path("robots.txt", cached_page(views.robots_txt), name="robots"),
    path("healthz", views.healthz, name="healthz"),
    # Pictures, when MEDIA_URL is the app's own (the default; README, "Pictures").
    *(
        [path(f"{settings.MEDIA_URL.strip('/')}/<path:name>", views.media, name="media")]
        if settings.MEDIA_URL.startswith("/")
        else []
    ),
    # Browsers ask for /favicon.ico whatever the page says. Lazy: with STATIC_MANIFEST the
    # file's hashed name is known once collectstatic has run, not when this module loads.
    path(
        "favicon.ico",
        RedirectView.as_view(url=lazy(static, str)("favicon.svg"), permanent=True),
    ),
    path("", include("articles.urls")),
]
