import pytest


@pytest.fixture
def seed(db):
    """The seed newsroom from fixtures/, as `make run` loads it."""
    from django.core.management import call_command

    call_command("loaddata", "fixtures/newsroom.json", verbosity=0)
