import io
import os
import re
import subprocess
import sys
import time

import pytest
from django.core.cache import cache
from django.core.management import call_command
from rest_framework.settings import api_settings
from rest_framework.throttling import SimpleRateThrottle

from articles import linking, page_cache
from tests.helpers import ROOT, SERVED_WORKERS, free_port, get, manage
from tests.pictures import renditions_remembered


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    # Hashing a password properly takes a third of a second, by design.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path_factory):
    """Each test stores pictures in a folder of its own, never in the project's media/."""
    settings.MEDIA_ROOT = tmp_path_factory.mktemp("media")
    return settings.MEDIA_ROOT


@pytest.fixture(autouse=True)
def fresh_cache():
    """Each test starts with an empty cache and no gazetteer left from another test's data."""
    cache.clear()
    linking.forget_gazetteer()
    yield
    linking.forget_gazetteer()


@pytest.fixture(autouse=True)
def fresh_throttles(fresh_cache, monkeypatch):
    """Each test meets the API's throttles as a new process would: configured rates, no history.

    DRF copies the rates onto SimpleRateThrottle once, at import, and no settings
    change updates them, so a test that lowers REST_FRAMEWORK's rates would leave
    them to every later test. The history is kept in SimpleRateThrottle.cache, which
    is django.core.cache.cache itself (a proxy to the current default cache, not a
    backend bound at import), so fresh_cache's clear() empties it. A test that swaps
    settings.CACHES for a Redis of its own empties that one itself (test_deployment).
    """
    assert SimpleRateThrottle.cache is cache
    monkeypatch.setattr(SimpleRateThrottle, "THROTTLE_RATES", api_settings.DEFAULT_THROTTLE_RATES)


@pytest.fixture
def roles(db):
    """The Reporter and Editor groups, as the data migration makes them.

    Transactional tests empty every table afterwards, migrations' rows
    included, so tests that need the groups ask for them here.
    """
    from django.apps import apps

    from articles.roles import create_roles

    create_roles(apps)


@pytest.fixture
def editor(roles):
    from tests.factories import staff

    return staff("editor", "Editor")


@pytest.fixture
def reporter(roles):
    from tests.factories import staff

    return staff("reporter", "Reporter")


@pytest.fixture
def partner(roles):
    """An API client in the Partner group: published stories before their time."""
    from django.contrib.auth.models import Group

    from tests.factories import UserFactory

    user = UserFactory(username="partner")
    user.groups.add(Group.objects.get(name="Partner"))
    return user


@pytest.fixture
def seed(db):
    """The seed newsroom from fixtures/, as `make run` loads it.

    Its picture is uploaded and stored for real each time; only the encoding of its
    renditions is done once per run and remembered.
    """
    with renditions_remembered():
        call_command("load_seed", stdout=io.StringIO())
    call_command("relink", "--no-progress", stdout=io.StringIO())  # renders the seed's body


@pytest.fixture
def served_env(tmp_path):
    """The environment of the ``served`` site: a fresh, migrated SQLite database and a
    free port. Pass it to ``helpers.manage`` to work on the site's database."""
    # As production runs without Redis: the cache is the database's table, shared.
    ours = {"REDIS_URL", "BIND", "STATIC_MANIFEST", "CACHE_BACKEND"}
    env = {k: v for k, v in os.environ.items() if k not in ours}
    env.update(
        DATABASE_URL=f"sqlite:///{tmp_path}/served.sqlite3",
        DEBUG="0",
        SECURE_SSL_REDIRECT="0",
        HOST="127.0.0.1",
        PORT=str(free_port()),
        WEB_CONCURRENCY=str(SERVED_WORKERS),
        MEDIA_ROOT=str(tmp_path / "media"),
    )
    for command in (["migrate", "--noinput"], ["createcachetable"]):
        done = manage(*command, env=env)
        assert done.returncode == 0, done.stderr
    return env


@pytest.fixture
def served(served_env, tmp_path):
    """The site under gunicorn, as `make serve` runs it: (address, server, log path)."""
    log_path = tmp_path / "gunicorn.log"
    with log_path.open("w") as log:
        server = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-c", "newsroom/gunicorn.py", "newsroom.wsgi"],
            cwd=ROOT,
            env=served_env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    address = f"http://127.0.0.1:{served_env['PORT']}"
    try:
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and server.poll() is None:
            try:
                if get(f"{address}/healthz")[0] == 200:
                    break
            except OSError:
                time.sleep(0.1)
        assert server.poll() is None, log_path.read_text()
        yield address, server, log_path
    finally:
        server.terminate()
        server.wait(timeout=40)


# A page's key in the page cache (articles/page_cache.py): its generation (and its
# scope's version), then the address's hash.
PAGE_KEY = re.compile(r"pages:\d+(?:\.\d+)?:[0-9a-f]{64}")


@pytest.fixture
def stored_pages(monkeypatch):
    """The keys and timeouts of the pages the cache is asked to keep, in order."""
    stored = []
    real_set = page_cache.cache.set

    def set_and_note(key, value, timeout=None):
        if PAGE_KEY.fullmatch(key):
            stored.append((key, timeout))
        return real_set(key, value, timeout)

    monkeypatch.setattr(page_cache.cache, "set", set_and_note)
    return stored
