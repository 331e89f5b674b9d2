"""Worker for `bench/run.py pages`: run with DATABASE_URL pointing at a generated newsroom.

For each page: median and 95th percentile time through Django's full stack,
its SQL query count, and its ratio to the floor — the time of its own SQL
replayed raw plus a bare Django view returning the same bytes. Also the API
list against a plain DRF ModelSerializer viewset and a .values() query of the
same page, search timings, and a cached page against the bare view.
Writes one JSON object to the file named by its argument.
"""

import json
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.contrib.auth.models import Group  # noqa: E402
from django.core.cache import cache  # noqa: E402
from django.db import connection  # noqa: E402
from django.http import HttpResponse  # noqa: E402
from django.test import Client, override_settings  # noqa: E402
from django.urls import include, path  # noqa: E402
from measure import timings as median_and_p95  # noqa: E402

from articles.models import Article, Place  # noqa: E402
from articles.roles import create_roles  # noqa: E402

ROUNDS = int(os.environ.get("BENCH_ROUNDS", "25"))
BARE_BYTES = {}


def bare(request, key):
    return HttpResponse(BARE_BYTES[key], content_type="text/plain")


def plain_drf_list(request):
    from api_list import PlainViewSet

    return PlainViewSet.as_view({"get": "list"})(request)


urlpatterns = [
    path("bench/bare/<str:key>/", bare),
    path("bench/plain-drf/", plain_drf_list),
    path("", include("newsroom.urls")),
]


class Recorder:
    """Counts and keeps the SQL a request runs, to count it and replay it raw."""

    def __init__(self):
        self.queries = []

    def __call__(self, execute, sql, params, many, context):
        self.queries.append((sql, params, many))
        return execute(sql, params, many, context)


def timings(function):
    return median_and_p95(function, ROUNDS)


def replay(queries):
    with connection.cursor() as cursor:
        for sql, params, many in queries:
            if many:
                continue  # writes (sessions) are not part of a read's floor
            cursor.execute(sql, params)
            if cursor.description:
                cursor.fetchall()


def measure(client, key, url):
    def fetch():
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code, response.content[:200])
        return response

    recorder = Recorder()
    with connection.execute_wrapper(recorder):
        content = fetch().content
    median, p95 = timings(fetch)
    BARE_BYTES[key] = content
    floor_view, _ = timings(lambda: client.get(f"/bench/bare/{key}/"))
    floor_sql, _ = timings(lambda: replay(recorder.queries))
    floor = floor_view + floor_sql
    return {
        "median_ms": round(median * 1000, 2),
        "p95_ms": round(p95 * 1000, 2),
        "queries": len(recorder.queries),
        "floor_ms": round(floor * 1000, 2),
        "ratio_to_floor": round(median / floor, 2),
    }


def editor_client():
    create_roles(django.apps.apps)
    user, _ = get_user_model().objects.get_or_create(
        username="bench-editor", defaults={"is_staff": True}
    )
    user.groups.add(Group.objects.get(name="Editor"))
    client = Client()
    client.force_login(user)
    return client


def main():
    article = Article.objects.public().order_by("-published_at").first()
    place = Place.objects.filter(kind="city", articles__status="published").order_by("pk").first()
    word = article.headline.split()[2].lower()
    phrase = " ".join(article.headline.split()[1:3]).lower()
    pages = {
        "home": "/",
        "home, page 50": "/?page=50",
        "article": article.get_absolute_url(),
        "place": place.get_absolute_url(),
        "search (one word)": f"/search/?q={word}",
        "search (phrase)": f'/search/?q="{phrase}"',
        "rss feed": "/feed/",
        "api list (100)": "/api/v1/articles/?page_size=100",
        "api detail": f"/api/v1/articles/{article.pk}/",
    }
    results = {"articles": Article.objects.count()}
    with override_settings(ROOT_URLCONF=__name__, PAGE_CACHE_SECONDS=0):
        client = Client()
        for key, url in pages.items():
            results[key] = measure(client, key, url)
        results["admin changelist"] = measure(editor_client(), "admin", "/admin/articles/article/")
        results["plain drf list (100)"] = measure(client, "plain", "/bench/plain-drf/")

    # The page cache (Redis when REDIS_URL is set): a cached page beside the bare view.
    with override_settings(ROOT_URLCONF=__name__, PAGE_CACHE_SECONDS=300):
        cache.clear()
        client = Client()
        client.get("/")
        cached, _ = timings(lambda: client.get("/"))
        bare_view, _ = timings(lambda: client.get("/bench/bare/home/"))
        results["cached home"] = {
            "median_ms": round(cached * 1000, 2),
            "bare_view_ms": round(bare_view * 1000, 2),
            "ratio_to_bare_view": round(cached / bare_view, 2),
            "cache": settings.CACHES["default"]["BACKEND"].rsplit(".", 1)[-1],
        }
    # A file, not stdout: the request log writes its JSON lines there.
    Path(sys.argv[1]).write_text(json.dumps(results))


if __name__ == "__main__":
    main()
