"""Several app servers: the Redis cache (and the site without it), sessions, the
read replica and static files, each against the real thing."""

import logging
import os
import shutil
import subprocess
import time
from datetime import timedelta
from urllib.parse import urlencode

import pytest
import redis
from django.contrib.sessions.models import Session
from django.core.cache import cache
from django.core.management import call_command
from django.db import connections, router
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_redis import get_redis_connection

from articles.models import Article
from newsroom.routers import REPLICA
from tests.factories import (
    PASSWORD,
    ArticleFactory,
    PersonFactory,
    PlaceFactory,
    SourceFactory,
    UserFactory,
)
from tests.helpers import api, free_port

TEST_REDIS_URL = "redis://127.0.0.1:6379/15"
CACHE_LOGGER = "newsroom.cache"


def redis_cache(location, **options):
    """CACHES as settings.py writes it when REDIS_URL is set."""
    return {
        "default": {
            "BACKEND": "newsroom.cache.ResilientRedisCache",
            "LOCATION": location,
            "KEY_PREFIX": "newsroom-test",
            "OPTIONS": {"SOCKET_CONNECT_TIMEOUT": 0.5, "SOCKET_TIMEOUT": 0.5, **options},
        }
    }


def redis_answers(url):
    try:
        return redis.Redis.from_url(url, socket_connect_timeout=0.5).ping()
    except redis.exceptions.ConnectionError:
        return False


def skip_or_fail(reason):
    # As the browser tests do: CI must have what it needs; a laptop may lack it.
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(reason)
    pytest.skip(reason)


@pytest.fixture
def real_redis(settings):
    """The cache on a real Redis: REDIS_URL's, or database 15 on this machine."""
    url = settings.REDIS_URL or TEST_REDIS_URL
    if not redis_answers(url):
        skip_or_fail(f"No Redis at {url}")
    settings.CACHES = redis_cache(url)
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
    cache.clear()  # FLUSHDB: the test database only
    yield
    cache.clear()


@pytest.fixture
def dead_redis(settings, caplog):
    """REDIS_URL pointing at a closed port, as settings.py would configure it."""
    settings.CACHES = redis_cache("redis://127.0.0.1:1/15", RETRY_SECONDS=5)
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
    caplog.set_level(logging.INFO, logger=CACHE_LOGGER)
    return caplog


@pytest.fixture
def own_redis(settings):
    """A Redis server of this test's own, to stop and start again."""
    binary = shutil.which("redis-server")
    if binary is None:
        skip_or_fail("redis-server is not installed")
    port = free_port()
    url = f"redis://127.0.0.1:{port}/0"
    command = [
        binary,
        "--port",
        str(port),
        "--bind",
        "127.0.0.1",
        "--save",
        "",
        "--appendonly",
        "no",
    ]
    servers = []

    def start():
        server = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        servers.append(server)
        deadline = time.monotonic() + 10
        while not redis_answers(url):
            assert time.monotonic() < deadline, "redis-server did not start"
            time.sleep(0.02)

    def stop():
        server = servers.pop()
        server.terminate()
        server.wait(timeout=10)

    start()
    settings.CACHES = redis_cache(url, RETRY_SECONDS=0)
    yield start, stop
    while servers:
        stop()


def cache_warnings(caplog):
    return [r for r in caplog.records if r.name == CACHE_LOGGER and r.levelno == logging.WARNING]


# Redis down: a miss, never an error page.


@pytest.fixture
def newsroom(db):
    person, place, source = PersonFactory(), PlaceFactory(), SourceFactory()
    article = ArticleFactory(public=True, people=[person], places=[place], source=source)
    return {"article": article, "person": person, "place": place, "source": source}


def public_urls(newsroom):
    article, person, place, source = (
        newsroom[name] for name in ("article", "person", "place", "source")
    )
    since = (timezone.now() - timedelta(days=1)).isoformat()
    return [
        "/",
        article.get_absolute_url(),
        "/people/",
        person.get_absolute_url(),
        f"/people/{person.slug}/feed/",
        "/places/",
        place.get_absolute_url(),
        f"/places/{place.slug}/feed/",
        "/sources/",
        source.get_absolute_url(),
        f"/sources/{source.slug}/feed/",
        "/search/?q=story",
        "/corrections/",
        "/feed/",
        "/feed/atom/",
        "/sitemap.xml",
        "/sitemap-articles.xml",
        "/news-sitemap.xml",
        "/robots.txt",
        "/healthz",
        "/admin/login/",
        "/api/v1/articles/",
        f"/api/v1/articles/{article.pk}/",
        f"/api/v1/articles/removed/?{urlencode({'since': since})}",
        "/api/v1/people/",
        "/api/v1/places/",
        "/api/v1/sources/",
    ]


class TestRedisDown:
    def test_every_page_answers_and_the_outage_is_logged_once(self, client, newsroom, dead_redis):
        for url in public_urls(newsroom):
            assert client.get(url).status_code == 200, url
        # Tried once, then left alone for retry_seconds: one warning, not one per call.
        [warning] = cache_warnings(dead_redis)
        assert "Redis at 127.0.0.1:1 is unreachable" in warning.getMessage()

    def test_an_editor_logs_in_and_saves(self, client, newsroom, editor, dead_redis):
        response = client.post("/admin/login/", {"username": "editor", "password": PASSWORD})
        assert response.status_code == 302
        assert client.get("/admin/").status_code == 200
        # Saving an entity bumps the page generation and the gazetteer version (incr).
        person = newsroom["person"]
        person.name = "Renamed Person"
        person.save()
        assert client.get(person.get_absolute_url(), follow=True).status_code == 200

    def test_api_throttles_and_tokens_still_answer(self, newsroom, editor, dead_redis):
        client = api(editor)
        assert client.get("/api/v1/articles/?status=draft").status_code == 200

    def test_the_cache_api_answers_as_an_empty_cache(self, dead_redis):
        assert cache.get("missing", "default") == "default"
        assert cache.add("key", 1) is False
        assert cache.set("key", 1) is None
        assert cache.get_many(["key"]) == {}
        assert cache.set_many({"a": 1, "b": 2}) == ["a", "b"]
        assert cache.has_key("key") is False
        assert cache.touch("key") is False
        assert cache.delete("key") is False
        with pytest.raises(ValueError):
            cache.incr("key")  # callers catch this for a missing key
        with pytest.raises(ValueError):
            cache.decr("key")
        assert cache.get_or_set("key", 7) == 7


class TestRealRedis:
    def test_values_round_trip(self, real_redis):
        cache.set("story", {"headline": "Gəncə", "version": 3})
        assert cache.get("story") == {"headline": "Gəncə", "version": 3}
        assert cache.add("story", "other") is False
        assert cache.add("count", 1) is True
        assert cache.incr("count", 5) == 6
        assert cache.get_many(["story", "count", "none"]) == {
            "story": {"headline": "Gəncə", "version": 3},
            "count": 6,
        }
        assert cache.delete("story") is True
        assert cache.get("story") is None

    def test_one_client_serves_every_call(self, real_redis):
        client = get_redis_connection(write=True)
        cache.set("reused", 1)
        assert cache.get("reused") == 1
        assert get_redis_connection(write=True) is client
        assert get_redis_connection(write=False) is client  # one server: reads use it too

    def test_incr_of_a_missing_key_raises_value_error(self, real_redis):
        with pytest.raises(ValueError):
            cache.incr("never-set")

    def test_sessions_are_in_the_database_and_survive_a_flush(self, client, editor, real_redis):
        response = client.post("/admin/login/", {"username": "editor", "password": PASSWORD})
        assert response.status_code == 302
        assert Session.objects.count() == 1
        cache.clear()
        assert client.get("/admin/").status_code == 200

    def test_the_cache_comes_back_by_itself(self, own_redis, caplog):
        start, stop = own_redis
        caplog.set_level(logging.INFO, logger=CACHE_LOGGER)
        cache.set("key", "before")
        stop()
        assert cache.get("key", "missed") == "missed"
        cache.set("key", "dropped")
        assert len(cache_warnings(caplog)) == 2
        start()  # a new, empty server on the same port
        cache.set("key", "after")
        assert cache.get("key") == "after"
        assert "answers again" in caplog.records[-1].getMessage()

    def test_after_a_failure_redis_is_left_alone_for_retry_seconds(
        self, own_redis, settings, caplog
    ):
        start, stop = own_redis
        settings.CACHES = redis_cache(settings.CACHES["default"]["LOCATION"], RETRY_SECONDS=60)
        caplog.set_level(logging.INFO, logger=CACHE_LOGGER)
        stop()
        assert cache.get("key") is None
        start()
        assert cache.set("key", "value") is None  # not tried: the server is not asked
        assert cache.get("key") is None
        assert len(cache_warnings(caplog)) == 1


# The read replica: anonymous readers on the replica, the desk and every write on the primary.


@pytest.fixture(scope="module")
def replica_alias(django_db_setup, django_db_blocker):
    """A "replica" alias on the test database, as TEST MIRROR makes it in settings.py.

    Module-scoped so that it exists before pytest-django sets up each test's
    databases. Queries through it are its own, so they can be told apart.
    """
    default = connections["default"].settings_dict
    connections.settings[REPLICA] = {**default, "TEST": {**default["TEST"], "MIRROR": "default"}}
    yield
    connections[REPLICA].close()
    del connections[REPLICA]
    del connections.settings[REPLICA]


@pytest.fixture
def replica(replica_alias, settings):
    """What DATABASE_REPLICA_URL turns on: the router, and the middleware that marks reads."""
    settings.DATABASE_ROUTERS = ["newsroom.routers.ReplicaRouter"]
    auth = settings.MIDDLEWARE.index("django.contrib.auth.middleware.AuthenticationMiddleware")
    settings.MIDDLEWARE = [
        *settings.MIDDLEWARE[: auth + 1],
        "newsroom.routers.ReplicaReadsMiddleware",
        *settings.MIDDLEWARE[auth + 1 :],
    ]


def queries_by_alias(request_):
    with (
        CaptureQueriesContext(connections["default"]) as primary,
        CaptureQueriesContext(connections[REPLICA]) as secondary,
    ):
        response = request_()
    return response, len(primary), len(secondary)


# Committed data, so that the replica's own connection sees it.
REPLICA_DB = pytest.mark.django_db(transaction=True, databases=["default", REPLICA])


@REPLICA_DB
class TestReadReplica:
    @pytest.mark.parametrize("url", ["/", "/api/v1/articles/", "/people/"])
    def test_anonymous_reads_go_to_the_replica(self, client, replica, url):
        ArticleFactory(public=True, people=[PersonFactory()])
        response, primary, secondary = queries_by_alias(lambda: client.get(url))
        assert response.status_code == 200
        assert (primary, secondary > 0) == (0, True)

    def test_the_admin_reads_from_the_primary(self, client, replica, editor):
        ArticleFactory()
        client.force_login(editor)
        response, primary, secondary = queries_by_alias(
            lambda: client.get("/admin/articles/article/")
        )
        assert response.status_code == 200
        assert (primary > 0, secondary) == (True, 0)

    def test_a_signed_in_reader_of_public_pages_reads_from_the_primary(
        self, client, replica, editor
    ):
        ArticleFactory(public=True)
        client.force_login(editor)
        response, primary, secondary = queries_by_alias(lambda: client.get("/"))
        assert response.status_code == 200
        assert (primary > 0, secondary) == (True, 0)

    def test_an_authenticated_api_request_reads_from_the_primary(self, replica, editor):
        ArticleFactory()
        client = api(editor)
        response, primary, secondary = queries_by_alias(
            lambda: client.get("/api/v1/articles/?status=draft")
        )
        assert response.status_code == 200
        assert response.json()["results"]
        assert (primary > 0, secondary) == (True, 0)

    def test_a_post_writes_to_the_primary(self, client, replica):
        UserFactory(username="someone")
        response, primary, secondary = queries_by_alias(
            lambda: client.post("/admin/login/", {"username": "someone", "password": "wrong"})
        )
        assert response.status_code == 200  # the form again, with its error
        assert (primary > 0, secondary) == (True, 0)

    def test_an_authenticated_api_write_goes_to_the_primary(self, replica, editor):
        client = api(editor)
        response, primary, secondary = queries_by_alias(
            lambda: client.post(
                "/api/v1/articles/", {"headline": "From the desk"}, content_type="application/json"
            )
        )
        assert response.status_code == 201
        assert Article.objects.filter(headline="From the desk").exists()
        assert (primary > 0, secondary) == (True, 0)

    def test_outside_a_request_everything_uses_the_primary(self, client, replica):
        client.get("/")
        assert router.db_for_read(Article) == "default"
        assert router.db_for_write(Article) == "default"
        assert router.allow_migrate("default", "articles") is True
        assert router.allow_migrate(REPLICA, "articles") is False


# Static files: WhiteNoise, with DEBUG off.


class TestStaticFiles:
    def test_whitenoise_comes_right_after_the_security_middleware(self, settings):
        security = settings.MIDDLEWARE.index("django.middleware.security.SecurityMiddleware")
        assert settings.MIDDLEWARE[security + 1] == "whitenoise.middleware.WhiteNoiseMiddleware"

    def test_served_without_collectstatic(self, client):
        response = client.get("/static/favicon.svg")
        assert response.status_code == 200
        assert response["Content-Type"] == "image/svg+xml"
        assert b"<svg" in b"".join(response.streaming_content)

    def test_collected_with_a_manifest_and_served_forever(self, settings, tmp_path, db):
        settings.STATIC_ROOT = tmp_path
        settings.STORAGES = {
            **settings.STORAGES,
            "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
        }
        settings.WHITENOISE_USE_FINDERS = settings.WHITENOISE_AUTOREFRESH = False
        # Our own files only: compressing every app's (the API docs' bundles) takes half a minute.
        settings.STATICFILES_FINDERS = ["django.contrib.staticfiles.finders.FileSystemFinder"]
        call_command("collectstatic", "--noinput", verbosity=0)
        client = Client()

        page = client.get("/")
        hashed = next(
            line.split('href="', 1)[1].split('"', 1)[0]
            for line in page.content.decode().splitlines()
            if 'rel="stylesheet"' in line
        )
        assert hashed.startswith("/static/") and hashed.count(".") >= 2  # name.<hash>.css
        response = client.get(hashed, HTTP_ACCEPT_ENCODING="gzip")
        assert response.status_code == 200
        assert response["Content-Encoding"] == "gzip"
        assert "immutable" in response["Cache-Control"]
