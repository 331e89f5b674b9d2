"""The settings module, checked the way an operator runs it: in a fresh process."""

import json
import os

import pytest

from tests.helpers import manage

PRODUCTION = {
    "DEBUG": "0",
    "SECRET_KEY": "x7#kq2!vL9m@pR4t$wZ8nB3yC6fH1jD5gS0aE-uI_oP+lK=rT&xV^eN*cM)qW(zY",
    "ALLOWED_HOSTS": "news.example.org",
    "DATABASE_URL": "postgres://newsroom@db.example.org:5432/newsroom",
    "REDIS_URL": "redis://cache.example.org:6379/0",
}


def bare(env):
    """``env`` over this environment less what the test run itself sets, so each case
    starts from a bare environment."""
    ours = {
        "SECRET_KEY",
        "DEBUG",
        "SECURE_SSL_REDIRECT",
        "DATABASE_URL",
        "REDIS_URL",
        "DJANGO_ALLOW_ASYNC_UNSAFE",
        "REQUEST_LOG",
        "CACHE_BACKEND",
    }
    return {**{k: v for k, v in os.environ.items() if k not in ours}, **env}


def test_check_is_clean():
    result = manage("check", env=bare({"DEBUG": "1"}))
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_check_deploy_is_clean_in_production():
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=bare(PRODUCTION))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_refuses_to_start_without_a_secret_key_when_debug_is_off():
    env = {k: v for k, v in PRODUCTION.items() if k != "SECRET_KEY"}
    result = manage("check", env=bare(env))
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_a_bad_boolean_is_a_clear_error():
    result = manage("check", env=bare({**PRODUCTION, "DEBUG": "maybe"}))
    assert result.returncode != 0
    assert "DEBUG must be a boolean" in result.stderr


@pytest.mark.django_db
def test_migrations_match_the_models():
    from django.core.management import call_command

    call_command("makemigrations", "--check", "--dry-run", verbosity=0)


def test_database_options_suit_the_engine(settings):
    database = settings.DATABASES["default"]
    if database["ENGINE"] == "django.db.backends.sqlite3":
        assert "journal_mode=WAL" in database["OPTIONS"]["init_command"]
        assert database["OPTIONS"]["transaction_mode"] == "IMMEDIATE"
    else:
        assert database["ENGINE"] == "django.db.backends.postgresql"
        assert database["OPTIONS"]["connect_timeout"] > 0
        assert database["CONN_HEALTH_CHECKS"]


def settings_of(env, *expressions):
    """The values of ``expressions`` (over ``settings``) in a fresh process with ``env``."""
    code = (
        "import json; from django.conf import settings; "
        f"print(json.dumps([{', '.join(expressions)}], default=str))"
    )
    result = manage("shell", "--no-imports", "-c", code, env=bare(env))
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_check_deploy_is_clean_with_every_production_option():
    env = {
        **PRODUCTION,
        "DATABASE_REPLICA_URL": "postgres://newsroom@replica.example.org:5432/newsroom",
        "STATIC_MANIFEST": "1",
        "TRUSTED_PROXY_COUNT": "1",
    }
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=bare(env))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_redis_gives_a_resilient_cache_and_sessions_kept_in_the_database():
    cache, sessions = settings_of(
        {**PRODUCTION, "REDIS_TIMEOUT_SECONDS": "0.2"},
        "settings.CACHES['default']",
        "settings.SESSION_ENGINE",
    )
    assert cache["BACKEND"] == "newsroom.cache.ResilientRedisCache"
    assert cache["LOCATION"] == PRODUCTION["REDIS_URL"]
    assert cache["OPTIONS"] == {
        "SOCKET_CONNECT_TIMEOUT": 0.2,
        "SOCKET_TIMEOUT": 0.2,
        "RETRY_SECONDS": 5,
    }
    assert sessions == "django.contrib.sessions.backends.cached_db"


def test_without_redis_production_shares_the_database_cache():
    """Several app processes without Redis: one cache for all of them, never one each."""
    env = {k: v for k, v in PRODUCTION.items() if k != "REDIS_URL"}
    backend, sessions = settings_of(
        env, "settings.CACHES['default']['BACKEND']", "settings.SESSION_ENGINE"
    )
    assert backend == "django.core.cache.backends.db.DatabaseCache"
    # Not the memory cache: each app server would have its own sessions.
    assert sessions == "django.contrib.sessions.backends.db"


def test_a_per_process_cache_in_production_is_a_deploy_warning():
    env = {k: v for k, v in PRODUCTION.items() if k != "REDIS_URL"}
    result = manage(
        "check", "--deploy", "--fail-level", "WARNING", env=bare({**env, "CACHE_BACKEND": "memory"})
    )
    assert result.returncode != 0
    assert "newsroom.W001" in result.stderr + result.stdout


def test_development_keeps_a_memory_cache():
    (backend,) = settings_of({"DEBUG": "1"}, "settings.CACHES['default']['BACKEND']")
    assert backend == "django.core.cache.backends.locmem.LocMemCache"


def test_an_unknown_cache_backend_is_a_clear_error():
    result = manage("check", env=bare({**PRODUCTION, "REDIS_URL": "", "CACHE_BACKEND": "files"}))
    assert result.returncode != 0
    assert "CACHE_BACKEND must be database or memory" in result.stderr


def test_a_replica_url_adds_the_alias_the_router_and_the_middleware():
    replica = "postgres://reader@replica.example.org:5432/newsroom"
    databases, routers, middleware = settings_of(
        {**PRODUCTION, "DATABASE_REPLICA_URL": replica},
        "settings.DATABASES",
        "settings.DATABASE_ROUTERS",
        "settings.MIDDLEWARE",
    )
    assert databases["replica"]["HOST"] == "replica.example.org"
    assert databases["replica"]["USER"] == "reader"
    assert databases["replica"]["TEST"]["MIRROR"] == "default"
    assert databases["replica"]["OPTIONS"]["connect_timeout"] == 5
    assert routers == ["newsroom.routers.ReplicaRouter"]
    auth = middleware.index("django.contrib.auth.middleware.AuthenticationMiddleware")
    assert middleware[auth + 1] == "newsroom.routers.ReplicaReadsMiddleware"


def test_without_a_replica_url_nothing_is_routed():
    databases, routers, middleware = settings_of(
        PRODUCTION, "list(settings.DATABASES)", "settings.DATABASE_ROUTERS", "settings.MIDDLEWARE"
    )
    assert (databases, routers) == (["default"], [])
    assert "newsroom.routers.ReplicaReadsMiddleware" not in middleware


def test_login_limits_and_static_files_from_the_environment():
    env = {
        **PRODUCTION,
        "LOGIN_FAILURE_LIMIT": "3",
        "LOGIN_LOCKOUT_MINUTES": "30",
        "STATIC_MANIFEST": "1",
    }
    limit, cool_off, storage, finders = settings_of(
        env,
        "settings.AXES_FAILURE_LIMIT",
        "settings.AXES_COOLOFF_TIME.total_seconds()",
        "settings.STORAGES['staticfiles']['BACKEND']",
        "settings.WHITENOISE_USE_FINDERS",
    )
    assert (limit, cool_off) == (3, 1800)
    assert storage == "whitenoise.storage.CompressedManifestStaticFilesStorage"
    assert finders is False


def test_a_bad_number_is_a_clear_error():
    result = manage("check", env=bare({**PRODUCTION, "REDIS_TIMEOUT_SECONDS": "soon"}))
    assert result.returncode != 0
    assert "REDIS_TIMEOUT_SECONDS must be a number" in result.stderr


def test_each_request_is_one_json_line_on_stdout():
    code = (
        "from django.test import Client; "
        "Client(HTTP_HOST='localhost').get('/healthz', HTTP_X_REQUEST_ID='probe-1')"
    )
    env = {"DEBUG": "0", "SECRET_KEY": PRODUCTION["SECRET_KEY"], "SECURE_SSL_REDIRECT": "0"}
    result = manage("shell", "--no-imports", "-c", code, env=bare(env))
    assert result.returncode == 0, result.stderr
    [line] = [json.loads(line) for line in result.stdout.splitlines() if line.startswith("{")]
    assert line["logger"] == "newsroom.requests"
    assert (line["method"], line["path"], line["status"]) == ("GET", "/healthz", 200)
    assert (line["queries"], line["user_id"], line["request_id"]) == (1, None, "probe-1")
