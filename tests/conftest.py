import pytest
from django.core.cache import cache
from django.core.management import call_command

from articles import linking


@pytest.fixture(autouse=True)
def fresh_cache():
    """Each test starts with an empty cache and no gazetteer left from another test's data."""
    cache.clear()
    linking.forget_gazetteer()
    yield
    linking.forget_gazetteer()


@pytest.fixture
def seed(db):
    """The seed newsroom from fixtures/, as `make run` loads it."""
    call_command("loaddata", "fixtures/newsroom.json", verbosity=0)
    linking.forget_gazetteer()  # loaddata saves raw, past Entity.save()
