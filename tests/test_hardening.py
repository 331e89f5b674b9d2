"""What an attacker or an accident meets: login lockouts, security headers, request
limits, error pages that tell nothing, and the request log an operator reads."""

import json
import logging
from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.db import DataError, InterfaceError, OperationalError, connections
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework import status
from rest_framework.authtoken.models import Token

from newsroom import settings as newsroom_settings
from newsroom.request_log import JSONFormatter
from tests.factories import PASSWORD, ArticleFactory, UserFactory
from tests.helpers import api

LOGIN = "/admin/login/"
TOKEN = "/api/v1/auth/token/"


@pytest.fixture
def desk_user(db):
    return UserFactory(username="desk", is_staff=True, is_superuser=True)


def admin_login(client, password, **extra):
    return client.post(LOGIN, {"username": "desk", "password": password}, **extra)


def token_login(client, password, **extra):
    body = {"username": "desk", "password": password}
    return client.post(TOKEN, body, content_type="application/json", **extra)


# Login brute force (django-axes): LOGIN_FAILURE_LIMIT failures per username and address.


class TestAdminLockout:
    def test_one_failure_short_of_the_limit_a_right_password_still_logs_in(
        self, client, desk_user, settings
    ):
        for _ in range(settings.LOGIN_FAILURE_LIMIT - 1):
            assert admin_login(client, "wrong").status_code == status.HTTP_200_OK
        response = admin_login(client, PASSWORD)
        assert response.status_code == status.HTTP_302_FOUND
        assert client.get("/admin/").status_code == status.HTTP_200_OK

    def test_at_the_limit_even_the_right_password_is_refused(self, client, desk_user, settings):
        for _ in range(settings.LOGIN_FAILURE_LIMIT - 1):
            admin_login(client, "wrong")
        assert admin_login(client, "wrong").status_code == status.HTTP_429_TOO_MANY_REQUESTS

        response = admin_login(client, PASSWORD)
        assert response.status_code == status.HTTP_429_TOO_MANY_REQUESTS
        assert response["Retry-After"] == str(settings.LOGIN_LOCKOUT_MINUTES * 60)
        page = response.content.decode()
        assert "Too many failed logins" in page
        assert f"Try again in {settings.LOGIN_LOCKOUT_MINUTES} minutes" in page
        assert client.get("/admin/").status_code == status.HTTP_302_FOUND  # still signed out

    def test_the_lock_is_for_that_username_from_that_address(self, client, desk_user, settings):
        UserFactory(username="colleague", is_staff=True)
        for _ in range(settings.LOGIN_FAILURE_LIMIT):
            admin_login(client, "wrong")
        elsewhere = Client(REMOTE_ADDR="192.0.2.7")
        assert admin_login(elsewhere, PASSWORD).status_code == status.HTTP_302_FOUND
        colleague = client.post(LOGIN, {"username": "colleague", "password": PASSWORD})
        assert colleague.status_code == status.HTTP_302_FOUND

    def test_the_lock_lifts_after_the_lockout_minutes(self, client, desk_user, settings):
        for _ in range(settings.LOGIN_FAILURE_LIMIT):
            admin_login(client, "wrong")
        AccessAttempt.objects.update(
            attempt_time=timezone.now() - timedelta(minutes=settings.LOGIN_LOCKOUT_MINUTES + 1)
        )
        assert admin_login(client, PASSWORD).status_code == status.HTTP_302_FOUND

    def test_behind_a_trusted_proxy_the_forwarded_address_counts(self, client, desk_user, settings):
        behind_one_proxy = newsroom_settings.client_address_settings(1)
        settings.AXES_IPWARE_META_PRECEDENCE_ORDER = behind_one_proxy[
            "AXES_IPWARE_META_PRECEDENCE_ORDER"
        ]
        settings.AXES_IPWARE_PROXY_COUNT = behind_one_proxy["AXES_IPWARE_PROXY_COUNT"]
        for n in range(settings.LOGIN_FAILURE_LIMIT):
            # An attacker's made-up address to the left changes nothing.
            admin_login(client, "wrong", HTTP_X_FORWARDED_FOR=f"10.0.0.{n}, 198.51.100.9")
        locked = admin_login(client, PASSWORD, HTTP_X_FORWARDED_FOR="198.51.100.9")
        assert locked.status_code == status.HTTP_429_TOO_MANY_REQUESTS
        other = admin_login(client, PASSWORD, HTTP_X_FORWARDED_FOR="198.51.100.10")
        assert other.status_code == status.HTTP_302_FOUND


class TestTokenEndpoint:
    def test_a_username_and_password_get_the_users_token(self, client, desk_user):
        response = token_login(client, PASSWORD)
        assert response.status_code == status.HTTP_200_OK
        assert response.json() == {"token": Token.objects.get(user=desk_user).key}
        again = token_login(client, PASSWORD)
        assert again.json() == response.json()

    def test_a_wrong_password_is_a_400_in_the_error_shape(self, client, desk_user):
        response = token_login(client, "wrong")
        assert response.status_code == status.HTTP_400_BAD_REQUEST
        assert response.json()["error"]["message"] == "Unable to log in with provided credentials."

    def test_one_failure_short_of_the_limit_a_right_password_still_gets_the_token(
        self, client, desk_user, settings
    ):
        for _ in range(settings.LOGIN_FAILURE_LIMIT - 1):
            assert token_login(client, "wrong").status_code == status.HTTP_400_BAD_REQUEST
        assert token_login(client, PASSWORD).status_code == status.HTTP_200_OK

    def test_at_the_limit_even_the_right_password_is_refused(self, client, desk_user, settings):
        for _ in range(settings.LOGIN_FAILURE_LIMIT - 1):
            token_login(client, "wrong")
        assert token_login(client, "wrong").status_code == status.HTTP_429_TOO_MANY_REQUESTS

        response = token_login(client, PASSWORD)
        assert response.status_code == status.HTTP_429_TOO_MANY_REQUESTS
        seconds = settings.LOGIN_LOCKOUT_MINUTES * 60
        assert response["Retry-After"] == str(seconds)
        error = response.json()["error"]
        assert (error["status"], error["code"]) == (429, "locked_out")
        assert error["message"].startswith("Too many failed logins for this username")
        assert not Token.objects.exists()

    def test_admin_and_api_failures_count_together(self, client, desk_user, settings):
        for n in range(settings.LOGIN_FAILURE_LIMIT):
            (admin_login if n % 2 else token_login)(client, "wrong")
        assert token_login(client, PASSWORD).status_code == status.HTTP_429_TOO_MANY_REQUESTS
        assert admin_login(client, PASSWORD).status_code == status.HTTP_429_TOO_MANY_REQUESTS


# Security headers on every kind of response.

SURFACES = ["/", LOGIN, "/api/v1/articles/"]


@pytest.mark.parametrize("url", SURFACES, ids=["page", "admin", "api"])
def test_security_headers(client, db, url):
    ArticleFactory(public=True)
    response = client.get(url, secure=True)
    assert response.status_code == status.HTTP_200_OK
    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "frame-ancestors 'none'" in policy
    assert "object-src 'none'" in policy


# Request limits: refused with a 400 before any view runs.


class TestRequestLimits:
    def test_an_oversized_post_to_the_admin_is_a_400(self, client, settings):
        body = "username=desk&password=" + "x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1)
        response = client.post(LOGIN, body, content_type="application/x-www-form-urlencoded")
        assert response.status_code == status.HTTP_400_BAD_REQUEST
        assert "Traceback" not in response.content.decode()

    def test_an_oversized_save_by_an_editor_is_a_400(self, client, editor, settings):
        client.force_login(editor)
        body = "headline=" + "x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1)
        response = client.post(
            "/admin/articles/article/add/", body, content_type="application/x-www-form-urlencoded"
        )
        assert response.status_code == status.HTTP_400_BAD_REQUEST

    def test_too_many_fields_is_a_400(self, client, settings):
        body = "&".join(f"f{n}=1" for n in range(settings.DATA_UPLOAD_MAX_NUMBER_FIELDS + 1))
        response = client.post(LOGIN, body, content_type="application/x-www-form-urlencoded")
        assert response.status_code == status.HTTP_400_BAD_REQUEST

    def test_the_limits_are_set(self, settings):
        assert settings.DATA_UPLOAD_MAX_MEMORY_SIZE == 5 * 1024 * 1024
        assert settings.DATA_UPLOAD_MAX_NUMBER_FIELDS == 1000
        assert settings.FILE_UPLOAD_MAX_MEMORY_SIZE == 2_621_440


# With DEBUG off, errors tell readers nothing about the code.


def home_page_raising(monkeypatch, error):
    """The home page, as a reader gets it when building it raises ``error``."""
    from articles import views

    def fail(*args, **kwargs):
        raise error

    monkeypatch.setattr(views.HomeView, "get_queryset", fail)
    return Client(raise_request_exception=False).get("/")


def assert_in_the_sites_design(page):
    """The reader site's header (name, every section, search) and a way home."""
    assert '<a class="site-name" href="/">Newsroom</a>' in page
    for section in ("/people/", "/places/", "/sources/", "/corrections/"):
        assert f'href="{section}"' in page
    assert 'role="search"' in page and 'action="/search/"' in page
    assert '<a href="/">front page</a>' in page
    assert '<link rel="stylesheet" href="/static/css/site.css">' in page


class TestErrorPages:
    def test_an_exception_in_a_public_view_is_the_sites_500_page(self, db, monkeypatch):
        response = home_page_raising(monkeypatch, RuntimeError("secret internals"))
        assert response.status_code == status.HTTP_500_INTERNAL_SERVER_ERROR
        page = response.content.decode()
        assert "<h1>Something went wrong</h1>" in page
        assert_in_the_sites_design(page)
        for leak in ("Traceback", "secret internals", "RuntimeError", "articles/views.py"):
            assert leak not in page

    def test_the_500_page_needs_no_database(self, monkeypatch):
        # No django_db: pytest-django refuses every query, so the page is built without one.
        response = home_page_raising(monkeypatch, RuntimeError("the database is on fire"))
        assert response.status_code == status.HTTP_500_INTERNAL_SERVER_ERROR
        assert_in_the_sites_design(response.content.decode())

    @pytest.mark.parametrize("url", ["/no-such-page/", "/articles/never-existed/", "/?page=9"])
    def test_a_missing_page_is_the_sites_404_page(self, client, db, settings, url):
        assert not settings.DEBUG
        response = client.get(url)
        assert response.status_code == status.HTTP_404_NOT_FOUND
        page = response.content.decode()
        assert "<h1>Page not found</h1>" in page
        assert_in_the_sites_design(page)

    @pytest.mark.parametrize("error", [OperationalError, InterfaceError])
    def test_a_database_that_does_not_answer_is_a_503_page(self, db, monkeypatch, error):
        message = "connection to server at 10.0.0.5 failed: Connection refused"
        response = home_page_raising(monkeypatch, error(message))
        assert response.status_code == status.HTTP_503_SERVICE_UNAVAILABLE
        assert response["Retry-After"] == "5"
        page = response.content.decode()
        assert "Back in a moment" in page
        for leak in ("Traceback", "10.0.0.5", "Connection refused", error.__name__):
            assert leak not in page

    def test_the_api_says_unavailable_in_its_error_shape(self, db, monkeypatch):
        from articles.api import views

        def unreachable(*args, **kwargs):
            raise OperationalError("server closed the connection unexpectedly")

        monkeypatch.setattr(views.ArticleViewSet, "get_queryset", unreachable)
        response = Client(raise_request_exception=False).get("/api/v1/articles/")
        assert response.status_code == status.HTTP_503_SERVICE_UNAVAILABLE
        assert response["Retry-After"] == "5"
        assert response.json() == {
            "error": {
                "status": 503,
                "code": "unavailable",
                "message": "The database is not answering; try again in a few seconds.",
                "retry_after": 5,
            }
        }

    def test_other_database_errors_stay_500(self, db, monkeypatch):
        response = home_page_raising(monkeypatch, DataError("value too long"))
        assert response.status_code == status.HTTP_500_INTERNAL_SERVER_ERROR

    def test_an_unknown_address_is_the_plain_404_page(self, client, db):
        response = client.get("/no/such/page/")
        assert response.status_code == status.HTTP_404_NOT_FOUND
        assert "URLconf" not in response.content.decode()


# The request log: one JSON line per request.


@pytest.fixture
def request_log(caplog):
    """Turn the request log on (the test run turns it off) and catch its records."""
    logger = logging.getLogger("newsroom.requests")
    logger.addHandler(caplog.handler)  # it does not propagate to the root logger
    caplog.set_level(logging.INFO, logger="newsroom.requests")
    yield caplog
    logger.removeHandler(caplog.handler)


def logged(caplog):
    return [record.fields for record in caplog.records if record.name == "newsroom.requests"]


class TestRequestLog:
    def test_one_line_with_every_field(self, client, db, request_log):
        ArticleFactory.create_batch(2, public=True)
        with CaptureQueriesContext(connections["default"]) as queries:
            response = client.get("/", HTTP_X_REQUEST_ID="lb-7f3a")
        [line] = logged(request_log)
        assert line.pop("duration_ms") > 0
        assert line == {
            "method": "GET",
            "path": "/",
            "status": 200,
            "queries": len(queries),
            "user_id": None,
            "request_id": "lb-7f3a",
        }
        assert response["X-Request-ID"] == "lb-7f3a"

    def test_the_signed_in_user_and_a_fresh_id(self, client, editor, request_log):
        client.force_login(editor)
        response = client.get("/admin/")
        [line] = logged(request_log)
        assert line["user_id"] == editor.pk
        assert line["status"] == 200
        assert line["queries"] > 0
        assert len(line["request_id"]) == 32
        assert response["X-Request-ID"] == line["request_id"]

    def test_the_api_user_behind_a_token(self, editor, request_log):
        api(editor).get("/api/v1/articles/")
        [line] = logged(request_log)
        assert line["user_id"] == editor.pk

    def test_a_made_up_request_id_is_replaced(self, client, db, request_log):
        response = client.get("/healthz", HTTP_X_REQUEST_ID='x"}\n{"forged": 1')
        [line] = logged(request_log)
        assert line["request_id"] == response["X-Request-ID"]
        assert len(line["request_id"]) == 32

    def test_a_server_error_is_logged_as_500(self, db, request_log, monkeypatch):
        from articles import views

        monkeypatch.setattr(views.HomeView, "get_queryset", lambda view: 1 / 0)
        Client(raise_request_exception=False).get("/")
        assert logged(request_log)[-1]["status"] == 500

    def test_formatted_as_one_json_object(self, client, db, request_log):
        client.get("/robots.txt")
        [record] = [r for r in request_log.records if r.name == "newsroom.requests"]
        entry = json.loads(JSONFormatter().format(record))
        assert entry["level"] == "INFO"
        assert entry["logger"] == "newsroom.requests"
        assert entry["message"] == "GET /robots.txt 200"
        assert entry["path"] == "/robots.txt"
        assert entry["time"].endswith("+00:00")

    def test_quiet_in_the_test_run(self, client, db, caplog):
        response = client.get("/healthz")
        assert not [r for r in caplog.records if r.name == "newsroom.requests"]
        assert len(response["X-Request-ID"]) == 32
