"""The synthetic newsroom behind the benchmarks and load tests."""

import io
from datetime import UTC, datetime

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.utils import timezone

from articles import search
from articles.generate import Counts, generate_newsroom
from articles.models import Article, Person, Place, Source, Status

# Bulk loading drops and rebuilds indexes and runs VACUUM, which need real
# transactions rather than the test's wrapping one.
pytestmark = pytest.mark.django_db(transaction=True)

ANCHOR = datetime(2026, 1, 1, 12, tzinfo=UTC)
SMALL = Counts(articles=300, people=40, places=60, sources=5)


def snapshot():
    return list(
        Article.objects.order_by("pk").values_list(
            "slug", "headline", "body", "status", "published_at", "source__name"
        )
    )


def index_names():
    with connection.cursor() as cursor:
        return sorted(connection.introspection.get_constraints(cursor, Article._meta.db_table))


def test_the_counts_asked_for_are_written():
    assert generate_newsroom(SMALL, seed=3, anchor=ANCHOR) == 300
    assert Article.objects.count() == 300
    assert Person.objects.count() == 40
    assert Place.objects.count() == 60
    assert Source.objects.count() == 5


def test_the_same_seed_gives_the_same_newsroom():
    generate_newsroom(SMALL, seed=7, anchor=ANCHOR)
    first = snapshot()
    call_command("flush", "--no-input")
    generate_newsroom(SMALL, seed=7, anchor=ANCHOR)
    assert snapshot() == first


def test_a_seed_already_loaded_is_refused_and_another_adds_alongside():
    generate_newsroom(SMALL, seed=1, anchor=ANCHOR)
    with pytest.raises(ValueError, match="seed 1"):
        generate_newsroom(SMALL, seed=1, anchor=ANCHOR)
    generate_newsroom(SMALL, seed=2, anchor=ANCHOR)
    assert Article.objects.count() == 600
    # Sequences were moved past the ids written, so the desk can keep working.
    article = Article.objects.create(headline="After the generator", body="Text.")
    assert article.pk > max(Article.objects.exclude(pk=article.pk).values_list("pk", flat=True))


def test_the_desk_holds_drafts_reviews_scheduled_and_archived_stories():
    generate_newsroom(Counts(articles=2_000, people=50, places=50, sources=4), seed=5)
    total = Article.objects.count()
    public = Article.objects.public().count()
    scheduled = Article.objects.scheduled().count()
    drafts = Article.objects.filter(status=Status.DRAFT).count()
    archived = Article.objects.filter(status=Status.ARCHIVED).count()
    assert 0.90 < public / total < 0.97
    for share in (scheduled, drafts, archived):
        assert 0.003 < share / total < 0.05
    assert not Article.objects.filter(status=Status.DRAFT, published_at__isnull=False).exists()
    # Twenty years of archive.
    oldest = Article.objects.public().order_by("published_at").first().published_at
    assert (timezone.now() - oldest).days > 365 * 15


def test_every_article_is_linked_and_rendered_with_its_links():
    generate_newsroom(SMALL, seed=4, anchor=ANCHOR)
    article = Article.objects.for_detail().get(pk=Article.objects.order_by("pk")[10].pk)
    assert 1 <= article.people.count() <= 3
    assert 2 <= article.places.count() <= 4
    assert article.dateline in article.places.all()
    for entity in [*article.people.all(), *article.places.all()]:
        assert entity.get_absolute_url() in article.body_html
    assert not Article.objects.filter(people=None).exists()


def test_pages_and_search_work_on_what_was_generated(client):
    generate_newsroom(SMALL, seed=6, anchor=ANCHOR)
    article = Article.objects.public().order_by("-published_at").first()
    assert client.get("/").status_code == 200
    response = client.get(article.get_absolute_url())
    assert response.status_code == 200
    assert article.headline in response.text
    word = article.headline.split()[0]
    assert search.search(Article.objects.public(), word).exists()


def test_bulk_loading_leaves_every_index_in_place():
    before = index_names()
    generate_newsroom(SMALL, seed=8, anchor=ANCHOR)
    assert index_names() == before


def test_the_command_reports_what_it_wrote():
    out = io.StringIO()
    call_command(
        "generate_newsroom",
        "--articles=50",
        "--people=5",
        "--places=5",
        "--sources=2",
        "--seed=9",
        "--no-progress",
        stdout=out,
    )
    assert "Generated 50 articles, 5 people, 5 places and 2 sources" in out.getvalue()
    assert Article.objects.count() == 50


@pytest.mark.parametrize(
    "arguments, message",
    [
        (["--articles=-1"], "--articles must be at least 0"),
        (["--people=0"], "--people must be at least 1"),
        (["--places=0"], "--places must be at least 1"),
        (["--sources=0"], "--sources must be at least 1"),
    ],
)
def test_the_command_refuses_impossible_counts(arguments, message):
    with pytest.raises(CommandError, match=message):
        call_command("generate_newsroom", *arguments, "--no-progress", stdout=io.StringIO())
    assert not Article.objects.exists()


def test_the_command_refuses_a_seed_already_used():
    arguments = ["--articles=5", "--people=2", "--places=2", "--sources=1", "--no-progress"]
    call_command("generate_newsroom", *arguments, stdout=io.StringIO())
    with pytest.raises(CommandError, match="already here"):
        call_command("generate_newsroom", *arguments, stdout=io.StringIO())
    assert Article.objects.count() == 5


def test_malformed_counts_are_a_usage_error():
    with pytest.raises(CommandError, match="invalid int value"):
        call_command("generate_newsroom", "--articles=lots", stdout=io.StringIO())
