"""Receivers (articles/invalidation.py): every way a row changes makes what depends on it stale."""

import pytest
from django.core.management import call_command

from articles import linking, page_cache, versions
from articles.models import Place
from tests.factories import ArticleFactory, ImageFactory, PlaceFactory

pytestmark = pytest.mark.django_db


def gazetteer_version():
    return versions.current(linking.GAZETTEER_VERSION_KEY)


def test_loaddata_makes_pages_and_gazetteers_stale():
    pages, names = page_cache.generation(), gazetteer_version()
    call_command("loaddata", "fixtures/newsroom.json", verbosity=0)
    assert page_cache.generation() != pages
    assert gazetteer_version() != names
    # The seed's places are known to linking at once, without a restart.
    assert linking.gazetteer().resolve("place", "Ganja") == Place.objects.get(slug="ganja").pk


def test_a_new_alias_saved_anywhere_reaches_the_gazetteer():
    place = PlaceFactory(name="Ganja")
    assert linking.gazetteer().resolve("place", "Gəncə") is None
    place.aliases = ["Gəncə"]
    place.save()  # as the admin's form, the API or the shell would
    assert linking.gazetteer().resolve("place", "Gəncə") == place.pk


def test_an_entity_saved_without_a_change_of_names_keeps_the_gazetteer():
    place = Place.objects.get(pk=PlaceFactory(name="Ganja").pk)
    names = gazetteer_version()
    place.kind = "region"
    place.save()
    assert gazetteer_version() == names


def test_a_link_changed_alone_makes_pages_stale():
    article, place = ArticleFactory(public=True), PlaceFactory()
    pages = page_cache.generation()
    article.places.add(place)
    assert page_cache.generation() != pages


def test_a_deleted_entity_leaves_the_gazetteer():
    place = PlaceFactory(name="Ganja")
    assert linking.gazetteer().resolve("place", "Ganja") == place.pk
    place.delete()
    assert linking.gazetteer().resolve("place", "Ganja") is None


def test_a_picture_described_or_deleted_makes_pages_stale_and_a_new_one_does_not():
    pages = page_cache.generation()
    image = ImageFactory()
    assert page_cache.generation() == pages  # on no page yet
    ArticleFactory(public=True, lead_image=image)
    pages = page_cache.generation()
    image.alt_text = "Now described"
    image.save()
    described = page_cache.generation()
    assert described != pages
    image.delete()
    assert page_cache.generation() != described
