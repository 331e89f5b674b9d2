import io

import pytest
from django.core.cache import cache
from django.core.management import call_command
from rest_framework.settings import api_settings
from rest_framework.throttling import SimpleRateThrottle

from articles import linking


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    # Hashing a password properly takes a third of a second, by design.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


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
    """The seed newsroom from fixtures/, as `make run` loads it."""
    call_command("load_seed", stdout=io.StringIO())
    call_command("relink", "--no-progress", stdout=io.StringIO())  # renders the seed's body
