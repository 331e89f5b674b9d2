from datetime import timedelta

import pytest
from django.utils import timezone

from articles.models import Status
from tests.factories import ArticleFactory, PersonFactory, PlaceFactory

pytestmark = pytest.mark.django_db


def test_home_shows_the_seed_article(client, seed):
    response = client.get("/")
    assert response.status_code == 200
    assert "Azerbaijan’s defense minister warns" in response.text


def test_article_page_shows_the_story(client, seed):
    response = client.get(
        "/articles/azerbaijans-defense-minister-warns-of-retaliation-if-armenia-fires-iskander/"
    )
    assert response.status_code == 200
    assert "Hasanov instructed the Azerbaijani troops" in response.text
    assert 'href="/places/ganja/"' in response.text
    assert 'href="/people/zakir-hasanov/"' in response.text
    assert '<time datetime="2020-10-06T08:00:00+00:00">' in response.text


@pytest.mark.parametrize(
    "attributes",
    [
        {"status": Status.DRAFT},
        {"status": Status.REVIEW},
        {"status": Status.ARCHIVED, "published_at": timezone.now() - timedelta(days=1)},
        {"status": Status.PUBLISHED, "published_at": timezone.now() + timedelta(days=1)},
    ],
    ids=["draft", "review", "archived", "scheduled"],
)
def test_non_public_articles_reach_no_page(client, attributes):
    place, person = PlaceFactory(), PersonFactory()
    article = ArticleFactory(headline="Secret story", places=[place], people=[person], **attributes)
    assert client.get(article.get_absolute_url()).status_code == 404
    for url in ["/", place.get_absolute_url(), person.get_absolute_url()]:
        response = client.get(url)
        assert response.status_code == 200
        assert "Secret story" not in response.text


def test_missing_article_is_404(client):
    assert client.get("/articles/never-was/").status_code == 404


@pytest.mark.parametrize("n", [1, 30])
def test_home_queries_are_fixed(client, django_assert_max_num_queries, n):
    ArticleFactory.create_batch(n, public=True)
    with django_assert_max_num_queries(2):
        assert client.get("/").status_code == 200


@pytest.mark.parametrize("n", [1, 30])
def test_place_page_queries_are_fixed(client, django_assert_max_num_queries, n):
    place = PlaceFactory(parent=PlaceFactory())
    for _ in range(n):
        ArticleFactory(public=True, places=[place])
    with django_assert_max_num_queries(4):
        assert client.get(place.get_absolute_url()).status_code == 200


@pytest.mark.parametrize("n", [1, 30])
def test_article_page_queries_are_fixed(client, django_assert_max_num_queries, n):
    people = PersonFactory.create_batch(n)
    places = PlaceFactory.create_batch(n)
    article = ArticleFactory(public=True, people=people, places=places)
    with django_assert_max_num_queries(4):
        assert client.get(article.get_absolute_url()).status_code == 200
