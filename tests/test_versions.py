"""Version numbers in the shared cache survive the cache losing them."""

from django.core.cache import cache

from articles import linking, versions
from articles.linking import GAZETTEER_VERSION_KEY
from tests.factories import PersonFactory


def test_a_version_moves_and_a_lost_one_never_comes_back():
    first = versions.current("test:version")
    versions.move("test:version")
    assert versions.current("test:version") == first + 1
    cache.delete("test:version")
    versions.move("test:version")
    assert versions.current("test:version") not in (first, first + 1)


def test_a_lost_gazetteer_version_still_brings_in_a_new_name(db):
    linking.forget_gazetteer()
    cache.delete(GAZETTEER_VERSION_KEY)
    linking.gazetteer()  # this process builds at a new version
    cache.delete(GAZETTEER_VERSION_KEY)  # as Redis restarting or evicting it would
    person = PersonFactory(name="Ilham Aliyev")  # another change moves the version
    assert ("person", person.pk) in linking.gazetteer().entities_in("Ilham Aliyev spoke.")
