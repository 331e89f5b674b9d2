"""The settings module, checked the way an operator runs it: in a fresh process."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

PRODUCTION = {
    "DEBUG": "0",
    "SECRET_KEY": "x7#kq2!vL9m@pR4t$wZ8nB3yC6fH1jD5gS0aE-uI_oP+lK=rT&xV^eN*cM)qW(zY",
    "ALLOWED_HOSTS": "news.example.org",
    "DATABASE_URL": "postgres://newsroom@db.example.org:5432/newsroom",
    "REDIS_URL": "redis://cache.example.org:6379/0",
}


def manage(*args, env):
    # Drop what the test run itself sets, so each case starts from a bare environment.
    ours = {
        "SECRET_KEY",
        "DEBUG",
        "SECURE_SSL_REDIRECT",
        "DATABASE_URL",
        "REDIS_URL",
        "DJANGO_ALLOW_ASYNC_UNSAFE",
    }
    base = {k: v for k, v in os.environ.items() if k not in ours}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**base, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_is_clean():
    result = manage("check", env={"DEBUG": "1"})
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_check_deploy_is_clean_in_production():
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_refuses_to_start_without_a_secret_key_when_debug_is_off():
    env = {k: v for k, v in PRODUCTION.items() if k != "SECRET_KEY"}
    result = manage("check", env=env)
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_a_bad_boolean_is_a_clear_error():
    result = manage("check", env={**PRODUCTION, "DEBUG": "maybe"})
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
