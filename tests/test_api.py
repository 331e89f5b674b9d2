"""The REST API for clients: visibility, fields, filters, paging, sync, conditional writes,
roles, limits and errors."""

import base64
import http.client
import json
import random
from collections import Counter
from datetime import UTC, datetime, timedelta
from urllib.parse import urlencode, urlsplit

import pytest
from django.contrib.auth.models import AnonymousUser, Permission
from django.test import Client
from django.utils import timezone
from rest_framework import status
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient
from rest_framework.throttling import SimpleRateThrottle

from articles import editorial, history, wire
from articles.api.renderers import NINJS_MEDIA_TYPE
from articles.models import Article, Author, Place, Section, Status, WireItem
from newsroom.settings import client_address_settings
from tests.factories import (
    PASSWORD,
    ArticleFactory,
    AuthorFactory,
    PersonFactory,
    PlaceFactory,
    SectionFactory,
    SourceFactory,
    UserFactory,
)
from tests.helpers import api, manage, token_for
from tests.seed import SEED_FILE as SEED
from tests.seed import SEED_PLACES

pytestmark = pytest.mark.django_db

ARTICLES = "/api/v1/articles/"
SAMPLES = SEED.parent.parent.parent / "tests" / "wire"
# Past Python's recursion limit, in a few kilobytes.
DEEPLY_NESTED = "[" * 50_000 + "]" * 50_000


def ids(response):
    return [item["id"] for item in response.data["results"]]


def error(response):
    return response.json()["error"]


def detail_url(article):
    return f"{ARTICLES}{article.pk}/"


def at(hours):
    return timezone.now() + timedelta(hours=hours)


def cursor(**tokens):
    """A cursor as the API writes one (its query string in base64), with made-up contents."""
    return base64.b64encode(urlencode(tokens).encode()).decode()


@pytest.fixture
def stories():
    """One story in each state the API distinguishes."""
    return {
        "public": ArticleFactory(headline="Public", public=True),
        "draft": ArticleFactory(headline="Draft"),
        "review": ArticleFactory(headline="Review", status=Status.REVIEW),
        "archived": ArticleFactory(
            headline="Archived", status=Status.ARCHIVED, published_at=at(-5)
        ),
        "scheduled": ArticleFactory(
            headline="Scheduled", status=Status.PUBLISHED, published_at=at(2)
        ),
    }


class TestVisibility:
    def test_anonymous_and_plain_tokens_see_public_articles_only(self, stories):
        for client in (api(), api(UserFactory())):
            response = client.get(ARTICLES)
            assert response.status_code == status.HTTP_200_OK
            assert ids(response) == [stories["public"].pk]
            for name in ("draft", "review", "archived", "scheduled"):
                assert client.get(detail_url(stories[name])).status_code == 404

    def test_the_desk_sees_every_status_and_filters_by_it(self, stories, editor, reporter):
        for user in (editor, reporter):
            assert set(ids(api(user).get(ARTICLES))) == {a.pk for a in stories.values()}
            response = api(user).get(ARTICLES, {"status": ["draft", "review"]})
            assert set(ids(response)) == {stories["draft"].pk, stories["review"].pk}

    def test_status_is_not_a_filter_for_the_public(self, stories):
        response = api().get(ARTICLES, {"status": "draft"})
        assert response.status_code == 400
        assert "status" in error(response)["fields"]

    def test_partners_get_embargoed_stories_marked(self, stories, partner):
        response = api(partner).get(ARTICLES)
        assert set(ids(response)) == {stories["public"].pk, stories["scheduled"].pk}
        embargoed = api(partner).get(detail_url(stories["scheduled"])).data
        assert embargoed["embargoed_until"] == stories[
            "scheduled"
        ].published_at.isoformat().replace("+00:00", "Z")
        assert api(partner).get(detail_url(stories["public"])).data["embargoed_until"] is None
        assert api(partner).get(detail_url(stories["draft"])).status_code == 404

    def test_nobody_else_ever_sees_an_embargoed_story(self, client, stories):
        scheduled = stories["scheduled"]
        assert scheduled.pk not in ids(api().get(ARTICLES))
        assert scheduled.pk not in ids(api(UserFactory()).get(ARTICLES, {"search": "Scheduled"}))
        assert client.get(scheduled.get_absolute_url()).status_code == 404
        assert "Scheduled" not in client.get("/feed/").text


class TestRepresentation:
    def test_the_article_contract(self, seed, editor):
        article = Article.objects.get()
        editorial.correct(article, "An earlier version gave the wrong date.", by=editor)
        editorial.render(article)
        data = api().get(detail_url(article)).data
        assert list(data) == [
            "id",
            "url",
            "api_url",
            "slug",
            "headline",
            "headline_needs_review",
            "summary",
            "body",
            "body_html",
            "body_text",
            "word_count",
            "byline",
            "section",
            "authors",
            "source",
            "people",
            "places",
            "mentioned_sources",
            "dateline",
            "lead_image",
            "images",
            "status",
            "flag",
            "published_at",
            "embargoed_until",
            "created_at",
            "updated_at",
            "revised_at",
            "version",
            "corrections",
        ]
        assert data["flag"] == ""
        # Corrected after it went public: an update readers were told of.
        assert data["revised_at"] == article.revised_at.isoformat().replace("+00:00", "Z")
        assert data["url"] == f"http://testserver{article.get_absolute_url()}"
        assert data["api_url"] == f"http://testserver{detail_url(article)}"
        assert data["source"] == {
            "id": article.source_id,
            "slug": "trend",
            "name": "Trend News Agency",
        }
        assert data["authors"] == []  # an agency's story: credited in its byline
        assert data["section"] == {
            "id": article.section_id,
            "slug": "politics",
            "name": "Politics",
        }
        assert data["people"] == [
            {"id": article.people.get().pk, "slug": "zakir-hasanov", "name": "Zakir Hasanov"}
        ]
        assert {place["slug"] for place in data["places"]} == SEED_PLACES
        assert {"id", "slug", "name", "kind"} == set(data["places"][0])
        assert data["dateline"]["slug"] == "baku"
        assert data["status"] == "published"
        assert data["published_at"] == "2020-10-06T08:00:00Z"
        assert data["corrections"][0]["text"] == "An earlier version gave the wrong date."
        assert '<a href="/places/ganja/" class="mention">Ganja</a>' in data["body_html"]
        assert "original_text" not in data

    def test_ninjs_at_its_own_addresses_is_what_accept_asks_for(self, seed):
        article = Article.objects.get()
        own = api().get(f"{detail_url(article)}ninjs/")
        asked = api().get(detail_url(article), HTTP_ACCEPT=NINJS_MEDIA_TYPE)
        assert own["Content-Type"] == asked["Content-Type"] == NINJS_MEDIA_TYPE
        assert own.json() == asked.json()
        assert own["ETag"] == asked["ETag"] == f'"{article.version}-ninjs"'
        assert api().get(f"{ARTICLES}ninjs/").json()["results"] == [own.json()]

    @pytest.mark.parametrize("model", ["sources", "people", "places"])
    def test_the_entity_contract(self, seed, model):
        data = api().get(f"/api/v1/{model}/").data["results"][0]
        common = ["id", "slug", "name", "aliases"]
        assert list(data)[:4] == common
        assert data["article_count"] == (
            1 if data["slug"] != "ministry-of-defense-of-azerbaijan" else 0
        )
        # What the wire desk matches by, beside the aliases.
        assert {"never_link", "ambiguous"} <= set(data)
        own = {
            "sources": {"kind", "url", "description"},
            "people": {"title", "honorific", "bio", "wikidata_id"},
            "places": {"kind", "parent", "latitude", "longitude", "wikidata_id", "geonames_id"},
        }[model]
        assert own <= set(data)

    def test_entity_counts_are_of_public_articles(self):
        ganja = PlaceFactory(name="Ganja")
        ArticleFactory(public=True, places=[ganja])
        ArticleFactory(places=[ganja])
        data = api().get(f"/api/v1/places/{ganja.pk}/").data
        assert (data["article_count"], data["parent"]) == (1, None)


class TestAuthors:
    """Articles carry their authors; /api/v1/authors/ follows the other entities' rules."""

    def test_the_author_contract(self):
        jane = AuthorFactory(name="Jane Doe", aliases=["J. Doe"], title="Baku correspondent")
        ArticleFactory(public=True, authors=[jane])
        ArticleFactory(authors=[jane])  # a draft: not counted
        data = api().get("/api/v1/authors/").data["results"]
        assert data == [
            {
                "id": jane.pk,
                "slug": "jane-doe",
                "name": "Jane Doe",
                "aliases": ["J. Doe"],
                "title": "Baku correspondent",
                "bio": "",
                "article_count": 1,
            }
        ]

    def test_an_article_is_written_with_author_slugs_and_read_with_refs(self, editor):
        jane, john = AuthorFactory(name="Jane Doe"), AuthorFactory(name="John Roe")
        response = api(editor).post(
            ARTICLES,
            {"headline": "Gas exports rise", "authors": ["jane-doe", john.pk]},
            format="json",
        )
        assert response.status_code == status.HTTP_201_CREATED
        assert response.data["authors"] == [
            {"id": jane.pk, "slug": "jane-doe", "name": "Jane Doe"},
            {"id": john.pk, "slug": "john-roe", "name": "John Roe"},
        ]
        article = Article.objects.get(pk=response.data["id"])
        changed = api(editor).patch(
            detail_url(article),
            {"authors": ["john-roe"]},
            format="json",
            HTTP_IF_MATCH=f'"{article.version}"',
        )
        assert changed.status_code == status.HTTP_200_OK
        assert [author["slug"] for author in changed.data["authors"]] == ["john-roe"]
        latest = history.versions_of(article).first()
        assert latest.revision.comment == "Changed authors."

    def test_filter_by_author(self):
        jane = AuthorFactory(name="Jane Doe")
        by_jane = ArticleFactory(public=True, authors=[jane])
        ArticleFactory(public=True)
        ArticleFactory(authors=[jane])  # a draft
        assert ids(api().get(ARTICLES, {"author": "jane-doe"})) == [by_jane.pk]
        response = api().get(ARTICLES, {"author": "nobody"})
        assert response.status_code == 400
        assert list(error(response)["fields"]) == ["author"]

    def test_writes_need_the_permissions_the_other_entities_need(self, editor, reporter):
        payload = {"name": "Jane Doe", "aliases": [" J. Doe ", "J. Doe"], "title": "Reporter"}
        assert api().post("/api/v1/authors/", payload, format="json").status_code == 401
        assert api(reporter).post("/api/v1/authors/", payload, format="json").status_code == 403
        created = api(editor).post("/api/v1/authors/", payload, format="json")
        assert created.status_code == status.HTTP_201_CREATED
        assert (created.data["slug"], created.data["aliases"]) == ("jane-doe", ["J. Doe"])
        url = f"/api/v1/authors/{created.data['id']}/"
        assert api(reporter).get(url).status_code == 200
        assert api(reporter).patch(url, {"title": "x"}, format="json").status_code == 403
        changed = api(editor).patch(url, {"title": "Baku correspondent"}, format="json")
        assert changed.data["title"] == "Baku correspondent"
        assert api(editor).delete(url).status_code == status.HTTP_204_NO_CONTENT
        assert not Author.objects.exists()

    @pytest.mark.parametrize(
        ("payload", "field"),
        [
            ({"name": ""}, "name"),
            ({"name": "Jane Doe", "aliases": "J. Doe"}, "aliases"),
            ({"name": "Jane\x00 Doe"}, "name"),
            ({"name": "Jane Doe", "slug": "not a slug"}, "slug"),
        ],
    )
    def test_bad_input_is_a_400(self, editor, payload, field):
        response = api(editor).post("/api/v1/authors/", payload, format="json")
        assert response.status_code == 400
        assert field in error(response)["fields"]
        assert not Author.objects.exists()

    def test_the_account_is_not_published(self, editor):
        AuthorFactory(user=editor)
        assert "user" not in api().get("/api/v1/authors/").data["results"][0]


class TestSections:
    """Articles carry their section; /api/v1/sections/ follows the other entities' rules."""

    def test_the_section_contract(self):
        politics = SectionFactory(name="Politics", description="Parliament.", position=2)
        world = SectionFactory(name="World", position=1)
        ArticleFactory(public=True, section=politics)
        ArticleFactory(section=politics)  # a draft: not counted
        data = api().get("/api/v1/sections/").data["results"]
        assert data == [
            {
                "id": world.pk,
                "slug": "world",
                "name": "World",
                "aliases": [],
                "description": "",
                "position": 1,
                "article_count": 0,
            },
            {
                "id": politics.pk,
                "slug": "politics",
                "name": "Politics",
                "aliases": [],
                "description": "Parliament.",
                "position": 2,
                "article_count": 1,
            },
        ]

    def test_an_article_is_filed_by_slug_or_id_and_read_with_a_ref(self, editor):
        politics, economy = SectionFactory(name="Politics"), SectionFactory(name="Economy")
        response = api(editor).post(
            ARTICLES, {"headline": "Budget passes", "section": "politics"}, format="json"
        )
        assert response.status_code == status.HTTP_201_CREATED
        assert response.data["section"] == {
            "id": politics.pk,
            "slug": "politics",
            "name": "Politics",
        }
        article = Article.objects.get(pk=response.data["id"])
        changed = api(editor).patch(
            detail_url(article),
            {"section": economy.pk},
            format="json",
            HTTP_IF_MATCH=f'"{article.version}"',
        )
        assert changed.status_code == status.HTTP_200_OK
        assert changed.data["section"]["slug"] == "economy"
        assert history.versions_of(article).first().revision.comment == "Changed section."
        article.refresh_from_db()
        unfiled = api(editor).patch(
            detail_url(article),
            {"section": None},
            format="json",
            HTTP_IF_MATCH=f'"{article.version}"',
        )
        assert unfiled.data["section"] is None

    def test_an_editor_flags_a_story_and_a_bad_flag_is_a_400(self, editor):
        article = ArticleFactory(public=True)
        flagged = api(editor).patch(
            detail_url(article),
            {"flag": "breaking"},
            format="json",
            HTTP_IF_MATCH=f'"{article.version}"',
        )
        assert flagged.status_code == status.HTTP_200_OK and flagged.data["flag"] == "breaking"
        article.refresh_from_db()
        for bad in ("<script>alert(1)</script>", "urgent", "x" * 10_000):
            response = api(editor).patch(
                detail_url(article),
                {"flag": bad},
                format="json",
                HTTP_IF_MATCH=f'"{article.version}"',
            )
            assert response.status_code == 400
            assert list(error(response)["fields"]) == ["flag"]
        assert Article.objects.get(pk=article.pk).flag == "breaking"

    def test_an_unknown_section_is_a_400(self, editor):
        response = api(editor).post(
            ARTICLES, {"headline": "Ok", "section": "nowhere"}, format="json"
        )
        assert response.status_code == 400
        assert list(error(response)["fields"]) == ["section"]

    def test_filter_by_sections_repeated_for_any(self):
        politics, economy, world = (
            SectionFactory(name=n) for n in ("Politics", "Economy", "World")
        )
        in_politics = ArticleFactory(public=True, section=politics)
        in_economy = ArticleFactory(public=True, section=economy)
        ArticleFactory(public=True, section=world)
        ArticleFactory(public=True)
        ArticleFactory(section=politics)  # a draft
        assert ids(api().get(ARTICLES, {"section": "politics"})) == [in_politics.pk]
        both = api().get(f"{ARTICLES}?section=politics&section=economy")
        assert sorted(ids(both)) == sorted([in_politics.pk, in_economy.pk])

    @pytest.mark.parametrize(
        "value", ["nobody", "politics' OR '1'='1", "1; DROP TABLE articles_section", "\x00"]
    )
    def test_a_bad_section_filter_is_a_400(self, value):
        SectionFactory(name="Politics")
        ArticleFactory(public=True, section=Section.objects.get())
        response = api().get(ARTICLES, {"section": value})
        assert response.status_code == 400
        assert list(error(response)["fields"]) == ["section"]

    def test_writes_need_the_permissions_the_other_entities_need(self, editor, reporter):
        payload = {"name": "Society", "position": 5, "description": "How people live."}
        assert api().post("/api/v1/sections/", payload, format="json").status_code == 401
        assert api(reporter).post("/api/v1/sections/", payload, format="json").status_code == 403
        created = api(editor).post("/api/v1/sections/", payload, format="json")
        assert created.status_code == status.HTTP_201_CREATED
        assert (created.data["slug"], created.data["position"]) == ("society", 5)
        url = f"/api/v1/sections/{created.data['id']}/"
        assert api(reporter).get(url).status_code == 200
        changed = api(editor).patch(url, {"position": 1}, format="json")
        assert changed.data["position"] == 1
        assert api(editor).delete(url).status_code == status.HTTP_204_NO_CONTENT
        assert not Section.objects.exists()

    @pytest.mark.parametrize(
        ("payload", "field"),
        [
            ({"name": ""}, "name"),
            ({"name": "World", "position": -1}, "position"),
            ({"name": "World", "position": "first"}, "position"),
            ({"name": "World", "slug": "not a slug"}, "slug"),
        ],
    )
    def test_bad_input_is_a_400(self, editor, payload, field):
        response = api(editor).post("/api/v1/sections/", payload, format="json")
        assert response.status_code == 400
        assert field in error(response)["fields"]
        assert not Section.objects.exists()


class TestFilters:
    def test_by_entity_slugs_repeated_for_any(self):
        ganja, khizi, baku = (
            PlaceFactory(name="Ganja"),
            PlaceFactory(name="Khizi"),
            PlaceFactory(name="Baku"),
        )
        both = ArticleFactory(public=True, places=[ganja, khizi])
        only_ganja = ArticleFactory(public=True, places=[ganja])
        ArticleFactory(public=True, places=[baku])
        response = api().get(ARTICLES, {"place": ["ganja", "khizi"]})
        assert sorted(ids(response)) == sorted([both.pk, only_ganja.pk])
        hasanov = PersonFactory(name="Zakir Hasanov")
        about = ArticleFactory(public=True, people=[hasanov])
        assert ids(api().get(ARTICLES, {"person": "zakir-hasanov"})) == [about.pk]

    def test_by_source_supplied_or_named(self):
        trend = SourceFactory(name="Trend")
        supplied = ArticleFactory(public=True, source=trend)
        named = ArticleFactory(public=True)
        named.mentioned_sources.add(trend)
        ArticleFactory(public=True)
        assert sorted(ids(api().get(ARTICLES, {"source": "trend"}))) == sorted(
            [supplied.pk, named.pk]
        )

    def test_by_publication_time(self):
        old = ArticleFactory(public=True, published_at=datetime(2020, 1, 1, tzinfo=UTC))
        new = ArticleFactory(public=True, published_at=datetime(2024, 1, 1, tzinfo=UTC))
        assert ids(api().get(ARTICLES, {"published_after": "2023-01-01T00:00:00Z"})) == [new.pk]
        assert ids(api().get(ARTICLES, {"published_before": "2023-01-01T00:00:00+04:00"})) == [
            old.pk
        ]
        assert ids(api().get(ARTICLES, {"published_after": "2019-06-01"})) == [new.pk, old.pk]

    def test_search_uses_the_sites_engine(self):
        wanted = ArticleFactory(public=True, headline="Ganja shelled overnight")
        ArticleFactory(public=True, headline="Mingachevir quiet")
        assert ids(api().get(ARTICLES, {"search": '"Ganja shelled" -Mingachevir'})) == [wanted.pk]

    @pytest.mark.parametrize("field", ["published_at", "updated_at", "headline"])
    def test_ordering_each_way(self, field):
        now = timezone.now()
        first = ArticleFactory(
            headline="A story", public=True, published_at=now - timedelta(days=2)
        )
        second = ArticleFactory(
            headline="B story", public=True, published_at=now - timedelta(days=1)
        )
        assert ids(api().get(ARTICLES, {"ordering": field})) == [first.pk, second.pk]
        assert ids(api().get(ARTICLES, {"ordering": f"-{field}"})) == [second.pk, first.pk]

    @pytest.mark.parametrize(
        ("parameters", "name"),
        [
            ({"place": "nowhere"}, "place"),
            ({"source": "'; DROP TABLE articles_article;--"}, "source"),
            ({"published_after": "yesterday"}, "published_after"),
            ({"published_after": "2024-01-01T10:00:00"}, "published_after"),
            ({"published_before": "2024-13-45T00:00:00Z"}, "published_before"),
            ({"updated_since": "<script>"}, "updated_since"),
            ({"ordering": "body"}, "ordering"),
            ({"ordering": "-; SELECT 1"}, "ordering"),
            ({"plase": "ganja"}, "plase"),
            ({"ordering": "headline,updated_at"}, "ordering"),
            ({"page_size": "lots"}, "page_size"),
            ({"page_size": "²"}, "page_size"),
        ],
    )
    def test_a_bad_value_is_a_400_naming_the_parameter(self, parameters, name):
        ArticleFactory(public=True)
        response = api().get(ARTICLES, parameters)
        assert response.status_code == 400, response.content
        assert error(response)["status"] == 400
        assert name in error(response)["fields"] or name in error(response)["message"]

    @pytest.mark.parametrize("text", ["about", "the with from", "!!!", '""', "-"])
    def test_a_search_with_nothing_to_look_for_is_an_empty_list(self, text):
        ArticleFactory(public=True, headline="About the flood")
        response = api().get(ARTICLES, {"search": text})
        assert (response.status_code, ids(response)) == (200, [])

    def test_a_huge_search_is_an_empty_list(self):
        ArticleFactory(public=True)
        response = api().get(ARTICLES, {"search": "x" * 5000})
        assert (response.status_code, ids(response)) == (200, [])


class TestPaging:
    def test_cursor_pages_and_the_size_limit(self):
        ArticleFactory.create_batch(130, public=True)
        first = api().get(ARTICLES, {"page_size": 1000})
        assert len(first.data["results"]) == 100
        assert "count" not in first.data
        second = api().get(first.data["next"])
        assert len(second.data["results"]) == 30
        assert not set(ids(first)) & set(ids(second))
        assert second.data["next"] is None

    def test_pages_are_stable_while_stories_are_published(self):
        ArticleFactory.create_batch(6, public=True)
        first = api().get(ARTICLES, {"page_size": 3})
        ArticleFactory(public=True, headline="Breaking news")  # newer than everything
        second = api().get(first.data["next"])
        assert len(set(ids(first)) | set(ids(second))) == 6

    @pytest.mark.parametrize(
        "parameters",
        [
            {"cursor": "not-a-cursor"},
            {"cursor": "cD1ub3RhZGF0ZQ=="},  # p=notadate
            {"cursor": cursor(p="notadate"), "ordering": "-published_at"},
            {"cursor": cursor(p="2026-01-02 09:00:00"), "ordering": "updated_at"},
            {"cursor": cursor(p="0001-01-01 00:00:00+01:00"), "ordering": "-updated_at"},
            {"cursor": cursor(p="2026-01-02 09:00:00-21:13"), "ordering": "published_at"},
            {"cursor": cursor(p="A story\x00"), "ordering": "headline"},
            {"cursor": cursor(p="notarank"), "search": "story"},
            {"cursor": cursor(p="nan"), "search": "story"},
            {"cursor": cursor(p="1e999"), "search": "story"},
            {"cursor": cursor(o="-1", p="2026-01-02 09:00:00+00:00")},
            {"cursor": cursor(r="backwards")},
        ],
    )
    def test_a_tampered_cursor_is_a_400_naming_it(self, parameters):
        ArticleFactory.create_batch(3, public=True, headline="A story")
        response = api().get(ARTICLES, parameters)
        assert response.status_code == 400, response.content
        assert list(error(response)["fields"]) == ["cursor"]

    @pytest.mark.parametrize(
        "parameters",
        [
            {},
            {"ordering": "-updated_at"},
            {"ordering": "headline"},
            {"search": "story"},
        ],
    )
    def test_cursors_lead_forward_and_back_in_every_order(self, parameters):
        for n in range(5):
            # Each ranks differently for "story": a cursor pages by one key alone.
            headline = f"Story {n}" + " story" * n
            ArticleFactory(public=True, headline=headline, published_at=at(-n - 1))
        first = api().get(ARTICLES, {**parameters, "page_size": 2})
        second = api().get(first.data["next"])
        assert len(set(ids(first)) | set(ids(second))) == 4
        assert ids(api().get(second.data["previous"])) == ids(first)

    def test_entities_page_by_number(self):
        PlaceFactory.create_batch(60)
        data = api().get("/api/v1/places/", {"page": 2}).data
        assert (data["count"], len(data["results"])) == (60, 10)
        assert api().get("/api/v1/places/", {"page": 9}).status_code == 404


class Mirror:
    """A client's copy of the articles it may read, kept by the README's recipe."""

    def __init__(self, client):
        self.client, self.articles = client, {}
        self.since = datetime(2000, 1, 1, tzinfo=UTC)

    def sync(self):
        removed = self.client.get(f"{ARTICLES}removed/", {"since": self.since.isoformat()}).data
        for removal in removed["results"]:
            self.articles.pop(removal["id"], None)
        url = ARTICLES
        parameters = {"updated_since": self.since.isoformat(), "ordering": "updated_at"}
        while url:
            page = self.client.get(url, parameters).data
            for item in page["results"]:
                self.articles[item["id"]] = item["headline"]
            url, parameters = page["next"], None
        self.since = datetime.fromisoformat(removed["until"].replace("Z", "+00:00"))
        return removed["results"]


def readable_by(user):
    return dict(Article.objects.visible_to(user).values_list("id", "headline"))


class TestIncrementalSync:
    def test_the_mirror_recipe_ends_equal_to_the_public_set(self, editor):
        """The README's recipe, run against every way a story enters or leaves."""
        mirror = Mirror(api())

        def public_set():
            return dict(Article.objects.public().values_list("id", "headline"))

        kept = ArticleFactory(public=True, headline="Kept")
        edited = ArticleFactory(public=True, headline="Before")
        unpublished = ArticleFactory(public=True, headline="Unpublished")
        deleted = ArticleFactory(public=True, headline="Deleted")
        republished = ArticleFactory(public=True, headline="Republished")
        archived = ArticleFactory(public=True, headline="Archived")
        mirror.sync()
        assert mirror.articles == public_set()

        edited.headline = "After"
        edited.save()
        editorial.unpublish(Article.objects.get(pk=unpublished.pk), by=editor)
        Article.objects.get(pk=deleted.pk).delete()
        editorial.unpublish(Article.objects.get(pk=republished.pk), by=editor)
        editorial.publish(Article.objects.get(pk=republished.pk), by=editor)
        editorial.archive(Article.objects.get(pk=archived.pk), by=editor)
        ArticleFactory(public=True, headline="Created")
        due = ArticleFactory(status=Status.PUBLISHED, published_at=at(1), headline="Was scheduled")
        mirror.sync()
        assert mirror.articles == public_set()
        assert mirror.articles[edited.pk] == "After" and kept.pk in mirror.articles

        # A scheduled story goes public with no write at all; the next sync has it.
        Article.objects.filter(pk=due.pk).update(published_at=timezone.now())
        editorial.publish(
            Article.objects.get(pk=kept.pk), by=editor, at=at(3)
        )  # rescheduled: leaves
        mirror.sync()
        assert mirror.articles == public_set()
        assert due.pk in mirror.articles and kept.pk not in mirror.articles

    def test_a_partners_mirror_drops_stories_killed_under_embargo(self, editor, partner):
        """Partners receive stories before their time, so a story unpublished, archived
        or deleted under embargo must leave their mirror before it would go public."""
        mirror, readers = Mirror(api(partner)), Mirror(api())

        def scheduled(headline):
            return ArticleFactory(status=Status.PUBLISHED, published_at=at(2), headline=headline)

        unpublished, archived = scheduled("Unpublished"), scheduled("Archived")
        deleted, deleted_by_api = scheduled("Deleted"), scheduled("Deleted through the API")
        moved, kept = scheduled("Moved to a later embargo"), scheduled("Kept")
        rescheduled = ArticleFactory(public=True, headline="Public, then under embargo")
        mirror.sync(), readers.sync()
        assert mirror.articles == readable_by(partner)

        editorial.unpublish(Article.objects.get(pk=unpublished.pk), by=editor)
        editorial.archive(Article.objects.get(pk=archived.pk), by=editor)
        editorial.delete(Article.objects.get(pk=deleted.pk), by=editor, expected_version=1)
        response = api(editor).delete(detail_url(deleted_by_api), HTTP_IF_MATCH='"1"')
        assert response.status_code == status.HTTP_204_NO_CONTENT
        editorial.publish(Article.objects.get(pk=moved.pk), by=editor, at=at(5))
        editorial.publish(Article.objects.get(pk=rescheduled.pk), by=editor, at=at(3))
        removals = mirror.sync()
        assert mirror.articles == readable_by(partner)
        assert {moved.pk, kept.pk, rescheduled.pk} <= set(mirror.articles)
        assert {(r["id"], r["reason"]) for r in removals} >= {
            (unpublished.pk, "unpublished"),
            (archived.pk, "archived"),
            (deleted.pk, "deleted"),
            (deleted_by_api.pk, "deleted"),
        }
        # Readers' clients never had the embargoed stories, and never hear of them.
        assert [(r["id"], r["reason"]) for r in readers.sync()] == [(rescheduled.pk, "rescheduled")]
        assert readers.articles == readable_by(AnonymousUser())

    def test_removals_say_why_and_hide_drafts_from_the_public(self, editor):
        since = timezone.now().isoformat()
        public = ArticleFactory(public=True)
        editorial.archive(Article.objects.get(pk=public.pk), by=editor)
        draft = ArticleFactory()
        Article.objects.get(pk=draft.pk).delete()
        anonymous = api().get(f"{ARTICLES}removed/", {"since": since}).data["results"]
        assert [(r["id"], r["reason"]) for r in anonymous] == [(public.pk, "archived")]
        desk = api(editor).get(f"{ARTICLES}removed/", {"since": since}).data["results"]
        assert {(r["id"], r["reason"]) for r in desk} == {
            (public.pk, "archived"),
            (draft.pk, "deleted"),
        }

    @pytest.mark.parametrize("since", ["", "yesterday", "2024-01-01T00:00:00"])
    def test_removals_need_an_aware_since(self, since):
        response = api().get(f"{ARTICLES}removed/", {"since": since} if since else {})
        assert response.status_code == 400
        assert "since" in error(response)["fields"]


class TestConditionalRequests:
    def test_etag_and_last_modified_give_304(self):
        article = ArticleFactory(public=True)
        first = api().get(detail_url(article))
        assert first["ETag"] == f'"{article.version}"'
        assert api().get(detail_url(article), HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
        later = api().get(detail_url(article), HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
        assert later.status_code == 304
        Article.objects.get(pk=article.pk).save()
        assert api().get(detail_url(article), HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 200

    def test_a_write_with_the_current_etag_succeeds(self, editor):
        article = ArticleFactory(headline="Old")
        etag = api(editor).get(detail_url(article))["ETag"]
        response = api(editor).patch(
            detail_url(article), {"headline": "New"}, format="json", HTTP_IF_MATCH=etag
        )
        assert response.status_code == 200
        assert response.data["headline"] == "New"
        assert response["ETag"] == f'"{article.version + 1}"'

    def test_the_version_in_the_body_also_works(self, editor):
        article = ArticleFactory(headline="Old")
        response = api(editor).patch(
            detail_url(article), {"headline": "New", "version": article.version}, format="json"
        )
        assert response.status_code == 200

    @pytest.mark.parametrize("method", ["put", "patch", "delete"])
    def test_a_write_without_a_version_is_428(self, editor, method):
        article = ArticleFactory(headline="Kept")
        response = getattr(api(editor), method)(
            detail_url(article), {"headline": "Blind"}, format="json"
        )
        assert response.status_code == 428
        assert error(response)["code"] == "precondition_required"
        assert Article.objects.filter(pk=article.pk, headline="Kept").exists()

    def test_if_match_star_is_not_a_version(self, editor):
        article = ArticleFactory()
        response = api(editor).patch(
            detail_url(article), {"headline": "Blind"}, format="json", HTTP_IF_MATCH="*"
        )
        assert response.status_code == 428

    @pytest.mark.parametrize("method", ["put", "patch", "delete"])
    def test_a_stale_write_is_412_with_the_current_version(self, editor, method):
        article = ArticleFactory(headline="Theirs")
        stale = f'"{article.version}"'
        Article.objects.get(pk=article.pk).save()
        response = getattr(api(editor), method)(
            detail_url(article),
            {"headline": "Mine", "body": "Mine."},
            format="json",
            HTTP_IF_MATCH=stale,
        )
        assert response.status_code == 412
        assert error(response)["current_version"] == article.version + 1
        assert Article.objects.filter(pk=article.pk, headline="Theirs").exists()

    def test_an_editors_admin_save_makes_an_api_write_stale(self, editor):
        article = ArticleFactory(headline="Original", body="Original.")
        etag = api(editor).get(detail_url(article))["ETag"]
        admin = Client()
        admin.force_login(editor)
        from tests.test_admin import change_url, form_data

        assert (
            admin.post(change_url(article), form_data(article, body="Editor's.")).status_code == 302
        )
        response = api(editor).patch(
            detail_url(article), {"body": "Client's."}, format="json", HTTP_IF_MATCH=etag
        )
        assert response.status_code == 412
        assert Article.objects.get(pk=article.pk).body_text == "Editor's."

    def test_an_api_write_makes_an_open_admin_form_stale(self, editor):
        from tests.test_admin import change_url, form_data

        article = ArticleFactory(headline="Original", body="Original.")
        open_form = form_data(article, body="Editor's.")
        response = api(editor).patch(
            detail_url(article),
            {"body": "Client's."},
            format="json",
            HTTP_IF_MATCH=f'"{article.version}"',
        )
        assert response.status_code == 200
        admin = Client()
        admin.force_login(editor)
        page = admin.post(change_url(article), open_form)
        assert page.status_code == 200
        assert "saved this story at" in " ".join(page.context["adminform"].form.non_field_errors())
        assert Article.objects.get(pk=article.pk).body_text == "Client's."

    def test_delete_with_the_current_version(self, editor):
        article = ArticleFactory(public=True)
        response = api(editor).delete(detail_url(article), HTTP_IF_MATCH=f'"{article.version}"')
        assert response.status_code == 204
        assert not Article.objects.filter(pk=article.pk).exists()


class TestWrites:
    def test_create_links_and_records(self, seed, editor):
        response = api(editor).post(
            ARTICLES,
            {
                "headline": "Ganja shelled",
                "body": "Ganja was shelled by Armenia.",
                "source": "trend",
            },
            format="json",
        )
        assert response.status_code == 201
        article = Article.objects.get(pk=response.data["id"])
        assert (article.status, article.created_by, article.source.slug) == (
            Status.DRAFT,
            editor,
            "trend",
        )
        assert {p["slug"] for p in response.data["places"]} == {"ganja", "armenia"}
        assert 'class="mention"' in response.data["body_html"]
        assert response["ETag"] == f'"{article.version}"'

    def test_mass_assignment_changes_nothing(self, editor):
        other = UserFactory()
        response = api(editor).post(
            ARTICLES,
            {
                "headline": "Honest",
                "id": 999999,
                "version": 77,
                "created_by": other.pk,
                "updated_by": other.pk,
                "created_at": "2001-01-01T00:00:00Z",
                "updated_at": "2001-01-01T00:00:00Z",
                "body_html": "<script>alert(1)</script>",
            },
            format="json",
        )
        article = Article.objects.get(pk=response.data["id"])
        assert article.pk != 999999 and article.version == 1
        assert article.created_by == editor and article.updated_by == editor
        assert article.created_at.year == timezone.now().year
        assert "<script>" not in article.body_html

    def test_links_an_editor_removed_stay_removed(self, seed, editor):
        article = ArticleFactory(body="Ganja was shelled.")
        article.places.add(Place.objects.get(slug="ganja"))
        response = api(editor).patch(
            detail_url(article), {"places": []}, format="json", HTTP_IF_MATCH=f'"{article.version}"'
        )
        assert response.data["places"] == []
        assert [p.slug for p in article.rejected_places.all()] == ["ganja"]

    @pytest.mark.parametrize(
        ("payload", "field"),
        [
            ({"headline": ""}, "headline"),
            ({"headline": "x" * 10_000}, "headline"),
            ({"headline": "Ok", "body": "x" * 1_000_001}, "body"),
            ({"headline": "Ok", "source": "nowhere"}, "source"),
            ({"headline": "Ok", "places": ["ganja", 12345678]}, "places"),
            ({"headline": "Ok", "places": [{"bad": True}]}, "places"),
            ({"headline": "Ok", "places": ["gan\x00ja"]}, "places"),
            ({"headline": "Ok", "source": "\x00"}, "source"),
            ({"headline": "Ok", "authors": ["nobody"]}, "authors"),
            ({"headline": "Ok", "authors": "jane-doe"}, "authors"),
            ({"headline": "Ok", "published_at": "2026-01-02T09:00:00"}, "published_at"),
            ({"headline": "Ok", "status": "deleted"}, "status"),
            ({"headline": "Ok", "slug": "not a slug"}, "slug"),
        ],
    )
    def test_bad_input_is_a_400_and_saves_nothing(self, seed, editor, payload, field):
        count = Article.objects.count()
        response = api(editor).post(ARTICLES, payload, format="json")
        assert response.status_code == 400
        assert field in error(response)["fields"]
        assert Article.objects.count() == count

    @pytest.mark.parametrize(
        ("method", "path"), [("post", ARTICLES), ("patch", "article"), ("post", "/api/v1/people/")]
    )
    def test_json_nested_too_deep_is_a_400(self, editor, method, path):
        article = ArticleFactory()
        url = detail_url(article) if path == "article" else path
        response = api(editor).generic(
            method.upper(),
            url,
            DEEPLY_NESTED,
            content_type="application/json",
            HTTP_IF_MATCH=f'"{article.version}"',
        )
        assert response.status_code == 400
        assert (error(response)["code"], error(response)["message"]) == (
            "parse_error",
            "JSON parse error - nested too deeply.",
        )

    def test_json_nested_too_deep_for_a_token_is_a_400(self):
        response = APIClient().generic(
            "POST", "/api/v1/auth/token/", DEEPLY_NESTED, content_type="application/json"
        )
        assert response.status_code == 400
        assert error(response)["code"] == "parse_error"

    def test_malformed_json_is_a_400(self, editor):
        response = api(editor).generic(
            "POST", ARTICLES, "{not json", content_type="application/json"
        )
        assert response.status_code == 400
        assert error(response)["code"] == "parse_error"

    @pytest.mark.parametrize("when", [-1, 2], ids=["public", "scheduled"])
    @pytest.mark.parametrize("method", ["patch", "put"])
    def test_a_published_story_without_a_time_is_a_400_naming_it(self, editor, method, when):
        article = ArticleFactory(status=Status.PUBLISHED, published_at=at(when))
        response = getattr(api(editor), method)(
            detail_url(article),
            {"headline": article.headline, "published_at": None},
            format="json",
            HTTP_IF_MATCH=f'"{article.version}"',
        )
        assert response.status_code == 400, response.content
        assert list(error(response)["fields"]) == ["published_at"]
        assert Article.objects.get(pk=article.pk).published_at == article.published_at

    @pytest.mark.parametrize("path", [ARTICLES, "/api/v1/people/", "/api/v1/auth/token/"])
    def test_a_body_over_the_limit_is_a_413(self, editor, settings, path):
        body = json.dumps({"headline": "Long", "name": "Long", "body": "x" * 10_000_000})
        response = api(editor).generic("POST", path, body, content_type="application/json")
        assert response.status_code == 413
        assert error(response)["code"] == "too_large"
        assert f"{settings.DATA_UPLOAD_MAX_MEMORY_SIZE:,} bytes" in error(response)["message"]

    def test_markup_is_stored_as_text(self, editor, client):
        hostile = "<script>alert('x')</script>"
        response = api(editor).post(
            ARTICLES,
            {"headline": hostile, "body": f"<p>Calm.</p>{hostile}", "status": "published"},
            format="json",
        )
        article = Article.objects.get(pk=response.data["id"])
        assert article.headline == hostile  # a text field keeps the text
        assert article.body == "<p>Calm.</p>"  # the body keeps its format and nothing else
        assert "<script>" not in article.body_html
        assert "<script>alert" not in client.get(article.get_absolute_url()).text


class TestRolesAndWorkflow:
    def test_writes_need_the_model_permissions(self):
        article = ArticleFactory()
        nobody = api(UserFactory())
        assert nobody.post(ARTICLES, {"headline": "x"}, format="json").status_code == 403
        assert api().post(ARTICLES, {"headline": "x"}, format="json").status_code == 401
        response = nobody.delete(detail_url(article), HTTP_IF_MATCH=f'"{article.version}"')
        assert response.status_code == 403
        assert Article.objects.filter(pk=article.pk).exists()

    def test_a_reporter_drafts_and_submits_but_cannot_publish(self, reporter):
        client = api(reporter)
        created = client.post(ARTICLES, {"headline": "Mine", "status": "published"}, format="json")
        assert created.status_code == 403
        created = client.post(ARTICLES, {"headline": "Mine"}, format="json")
        article = Article.objects.get(pk=created.data["id"])
        response = client.patch(
            detail_url(article), {"status": "review"}, format="json", HTTP_IF_MATCH=created["ETag"]
        )
        assert (response.status_code, response.data["status"]) == (200, "review")
        response = client.patch(
            detail_url(article),
            {"status": "published"},
            format="json",
            HTTP_IF_MATCH=response["ETag"],
        )
        assert response.status_code == 403
        assert error(response)["code"] == "permission_denied"

    def test_a_reporter_cannot_touch_others_stories_or_delete(self, reporter, editor):
        theirs = ArticleFactory(created_by=editor)
        client = api(reporter)
        version = f'"{theirs.version}"'
        assert (
            client.patch(
                detail_url(theirs), {"headline": "x"}, format="json", HTTP_IF_MATCH=version
            ).status_code
            == 403
        )
        own = ArticleFactory(created_by=reporter)
        assert client.delete(detail_url(own), HTTP_IF_MATCH=f'"{own.version}"').status_code == 403

    def test_an_illegal_move_is_a_400(self, editor):
        article = ArticleFactory(status=Status.ARCHIVED, published_at=at(-1))
        response = api(editor).patch(
            detail_url(article),
            {"status": "review"},
            format="json",
            HTTP_IF_MATCH=f'"{article.version}"',
        )
        assert response.status_code == 400
        assert "cannot be submitted for review" in error(response)["fields"]["status"][0]

    def test_an_editor_publishes_now_or_schedules(self, editor):
        article = ArticleFactory()
        response = api(editor).patch(
            detail_url(article),
            {"status": "published"},
            format="json",
            HTTP_IF_MATCH=f'"{article.version}"',
        )
        assert response.data["published_at"] is not None
        assert Article.objects.public().filter(pk=article.pk).exists()
        later = ArticleFactory()
        response = api(editor).patch(
            detail_url(later),
            {"status": "published", "published_at": at(5).isoformat()},
            format="json",
            HTTP_IF_MATCH=f'"{later.version}"',
        )
        assert response.data["embargoed_until"] is not None
        assert Article.objects.scheduled().filter(pk=later.pk).exists()

    def test_entity_writes_need_permissions(self, editor, reporter):
        assert (
            api(reporter).post("/api/v1/places/", {"name": "Shusha"}, format="json").status_code
            == 403
        )
        response = api(editor).post(
            "/api/v1/places/",
            {"name": "Shusha", "aliases": [" Şuşa ", "Şuşa"], "kind": "city", "parent": None},
            format="json",
        )
        assert response.status_code == 201
        assert (response.data["slug"], response.data["aliases"]) == ("shusha", ["Şuşa"])

    def test_never_link_phrases_are_written_tidied_and_checked(self, editor):
        response = api(editor).post(
            "/api/v1/places/",
            {
                "name": "Georgia",
                "never_link": [" Georgia   Tech ", "Georgia Tech", "state of Georgia"],
                "ambiguous": True,
            },
            format="json",
        )
        assert response.status_code == 201
        assert response.data["never_link"] == ["Georgia Tech", "state of Georgia"]
        assert response.data["ambiguous"] is True
        url = f"/api/v1/places/{response.data['id']}/"
        for bad in ("Georgia Tech", [None], ["x" * 201], ["Georgia"], ["<script>"] * 101):
            answer = api(editor).patch(url, {"never_link": bad}, format="json")
            assert answer.status_code == 400, bad
            assert list(error(answer)["fields"]) == ["never_link"]
        assert Place.objects.get(pk=response.data["id"]).never_link == [
            "Georgia Tech",
            "state of Georgia",
        ]

    def test_an_entity_still_referred_to_cannot_be_deleted(self, editor):
        source = SourceFactory()
        ArticleFactory(source=source)
        response = api(editor).delete(f"/api/v1/sources/{source.pk}/")
        assert response.status_code == 409
        assert error(response)["code"] == "conflict"

    def test_a_parent_named_with_a_null_character_is_a_400(self, editor):
        response = api(editor).post(
            "/api/v1/places/", {"name": "Shusha", "parent": "aze\x00rbaijan"}, format="json"
        )
        assert response.status_code == 400
        assert list(error(response)["fields"]) == ["parent"]

    def test_a_place_cannot_lie_inside_itself(self, editor):
        country = PlaceFactory(name="Country")
        city = PlaceFactory(name="City", parent=country)
        response = api(editor).patch(
            f"/api/v1/places/{country.pk}/", {"parent": city.slug}, format="json"
        )
        assert response.status_code == 400
        assert "parent" in error(response)["fields"]


class TestAuthentication:
    def test_session_writes_need_the_csrf_token(self, editor):
        client = APIClient(enforce_csrf_checks=True)
        client.force_login(editor)
        response = client.post(ARTICLES, {"headline": "x"}, format="json")
        assert response.status_code == 403
        assert "CSRF" in error(response)["message"]
        assert client.get(ARTICLES).status_code == 200

    @pytest.mark.parametrize(
        ("body", "content_type"),
        [
            ('{"username": "editor", "password": "%s"}', "application/json"),
            ("username=editor&password=%s", "application/x-www-form-urlencoded"),
        ],
    )
    def test_a_token_for_a_username_and_password_as_json_or_a_form(
        self, editor, body, content_type
    ):
        response = APIClient().generic(
            "POST", "/api/v1/auth/token/", body % PASSWORD, content_type=content_type
        )
        assert response.status_code == 200, response.content
        assert response.data["token"] == token_for(editor)

    def test_writes_take_json_alone(self, editor):
        response = api(editor).post(ARTICLES, {"headline": "A form"}, format="multipart")
        assert response.status_code == status.HTTP_415_UNSUPPORTED_MEDIA_TYPE
        assert error(response)["code"] == "unsupported_media_type"
        assert not Article.objects.exists()

    def test_a_bad_token_is_401(self):
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION="Token not-a-token")
        response = client.get(ARTICLES)
        assert response.status_code == 401
        assert response["WWW-Authenticate"] == "Token"

    def test_tokens_are_issued_with_the_command(self, editor):
        from io import StringIO

        from django.core.management import call_command

        out = StringIO()
        call_command("drf_create_token", "editor", stdout=out)
        assert Token.objects.get(user=editor).key in out.getvalue()


class TestLimitsAndErrors:
    def test_throttled_clients_get_429_with_retry_after(self, settings):
        settings.REST_FRAMEWORK = {
            **settings.REST_FRAMEWORK,
            "DEFAULT_THROTTLE_RATES": {"anon": "2/minute", "user": "2/minute"},
        }
        from rest_framework.settings import api_settings
        from rest_framework.throttling import SimpleRateThrottle

        api_settings.reload()
        SimpleRateThrottle.THROTTLE_RATES = api_settings.DEFAULT_THROTTLE_RATES
        try:
            client = api()
            assert [client.get(ARTICLES).status_code for _ in range(2)] == [200, 200]
            response = client.get(ARTICLES)
            assert response.status_code == 429
            assert int(response["Retry-After"]) > 0
            assert error(response)["code"] == "throttled"
            assert error(response)["retry_after"] > 0
        finally:
            settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK}
            api_settings.reload()
            SimpleRateThrottle.THROTTLE_RATES = api_settings.DEFAULT_THROTTLE_RATES

    @pytest.mark.parametrize("proxies", [0, 1])
    def test_a_made_up_x_forwarded_for_does_not_escape_the_limit(
        self, settings, monkeypatch, proxies
    ):
        """Anonymous clients are counted by the address our outermost proxy saw
        (TRUSTED_PROXY_COUNT), never by what they wrote in X-Forwarded-For."""
        if proxies:
            behind_proxies = client_address_settings(proxies)
            settings.REST_FRAMEWORK = {
                **settings.REST_FRAMEWORK,
                "NUM_PROXIES": behind_proxies["NUM_PROXIES"],
            }
        else:
            assert settings.TRUSTED_PROXY_COUNT == 0  # the settings as they come
        monkeypatch.setattr(
            SimpleRateThrottle, "THROTTLE_RATES", {"anon": "3/minute", "user": "3/minute"}
        )
        made_up = random.Random(22)

        def forwarded():
            address = ".".join(str(made_up.randrange(1, 255)) for _ in range(4))
            # Our proxy appends the address it saw to whatever the client sent.
            return f"{address}, 198.51.100.9" if proxies else address

        client = api()
        within = [client.get(ARTICLES, HTTP_X_FORWARDED_FOR=forwarded()) for _ in range(3)]
        assert [response.status_code for response in within] == [200, 200, 200]
        beyond = [client.get(ARTICLES, HTTP_X_FORWARDED_FOR=forwarded()) for _ in range(300)]
        assert Counter(response.status_code for response in beyond) == {429: 300}
        assert error(beyond[-1])["code"] == "throttled"

    @pytest.mark.parametrize(
        ("method", "url", "code"),
        [
            ("get", "/api/v1/articles/999999/", 404),
            ("get", "/api/v1/nothing-here/", 404),
            ("put", "/api/v1/articles/removed/", 405),
            ("get", "/api/v1/articles/?ordering=nope", 400),
            ("post", "/api/v1/articles/", 401),
        ],
    )
    def test_every_error_has_the_one_shape(self, method, url, code):
        response = getattr(api(), method)(url)
        assert response.status_code == code
        body = response.json()
        assert set(body) == {"error"}
        assert body["error"]["status"] == code
        assert body["error"]["message"]
        assert body["error"]["code"]

    def test_a_server_error_is_json_too(self, monkeypatch):
        from articles.api import views

        def explode(*args, **kwargs):
            raise RuntimeError("boom")

        monkeypatch.setattr(views.ArticleViewSet, "list", explode)
        client = APIClient(raise_request_exception=False)
        response = client.get(ARTICLES)
        assert response.status_code == 500
        assert response.json()["error"]["code"] == "server_error"
        assert "boom" not in response.content.decode()

    def test_unacceptable_format_is_406(self):
        response = api().get(ARTICLES, HTTP_ACCEPT="application/xml")
        assert response.status_code == 406
        assert error(response)["code"] == "not_acceptable"


class TestFixedQueries:
    @pytest.mark.parametrize("n", [1, 100])
    def test_article_list(self, django_assert_max_num_queries, n):
        places, people = PlaceFactory.create_batch(3), PersonFactory.create_batch(3)
        authors, source = AuthorFactory.create_batch(2), SourceFactory()
        section = SectionFactory()
        for _ in range(n):
            article = ArticleFactory(
                public=True,
                places=places,
                people=people,
                authors=authors,
                source=source,
                section=section,
            )
            article.mentioned_sources.add(source)
        client = api()
        # Pictures add three (tests/test_api_images.py counts them with pictures).
        with django_assert_max_num_queries(9):
            response = client.get(ARTICLES, {"page_size": 100})
        assert len(response.data["results"]) == n

    @pytest.mark.parametrize("n", [1, 100])
    @pytest.mark.parametrize("model", ["places", "people", "sources", "authors", "sections"])
    def test_entity_lists(self, django_assert_max_num_queries, n, model):
        for _ in range(n):
            ArticleFactory(
                public=True,
                places=[PlaceFactory()],
                people=[PersonFactory()],
                authors=[AuthorFactory()],
                section=SectionFactory(),
            )
        with django_assert_max_num_queries(2):
            assert api().get(f"/api/v1/{model}/", {"page_size": 100}).status_code == 200


def post_wire(client, data, content_type="text/plain", **headers):
    return client.generic("POST", "/api/v1/wire/", data, content_type=content_type, **headers)


# A desk user with a token, on the served site's database; prints the token.
DESK_WITH_TOKEN = """
from django.contrib.auth.models import Permission, User
from rest_framework.authtoken.models import Token
desk = User.objects.create(username="desk")
desk.user_permissions.add(Permission.objects.get(codename="add_article"))
print(Token.objects.create(user=desk).key)
"""


def post_chunked(address, token, chunks):
    """POST ``chunks`` to the wire desk as a chunked upload (no Content-Length)."""
    connection = http.client.HTTPConnection(urlsplit(address).netloc, timeout=10)
    try:
        connection.request(
            "POST",
            "/api/v1/wire/",
            body=iter(chunks),
            headers={"Authorization": f"Token {token}", "Content-Type": "text/plain"},
            encode_chunked=True,
        )
        response = connection.getresponse()
        return response.status, json.loads(response.read())
    finally:
        connection.close()


@pytest.fixture
def wire_client():
    """A client authenticated by token as a user who may add articles."""
    user = UserFactory(username="desk")
    user.user_permissions.add(Permission.objects.get(codename="add_article"))
    return api(user)


class TestWireIntake:
    def test_copy_becomes_a_draft(self, seed, wire_client):
        response = post_wire(wire_client, SEED.read_bytes())
        assert response.status_code == status.HTTP_201_CREATED
        assert response.data["outcome"] == "created"
        article = response.data["article"]
        assert article["status"] == "draft"
        assert article["source"]["slug"] == "trend"
        assert {p["slug"] for p in article["people"]} == {"zakir-hasanov"}
        assert len(article["places"]) == 8
        assert article["headline_needs_review"] is True
        assert Article.objects.get(pk=article["id"]).created_by.username == "desk"

    def test_the_same_copy_again_points_at_the_article(self, seed, wire_client):
        first = post_wire(wire_client, SEED.read_bytes())
        again = post_wire(wire_client, SEED.read_bytes())
        assert again.status_code == status.HTTP_200_OK
        assert again.data["outcome"] == "duplicate"
        assert again.data["article"]["id"] == first.data["article"]["id"]

    @pytest.mark.parametrize(
        ("sample", "content_type", "detected"),
        [
            ("ninjs1_trend.json", "application/json", "ninjs"),
            ("nitf_trend.xml", "application/xml", "nitf"),
            ("nitf_trend.xml", "text/plain", "nitf"),
        ],
    )
    def test_agency_formats_are_detected_from_the_body(
        self, seed, wire_client, sample, content_type, detected
    ):
        response = post_wire(wire_client, (SAMPLES / sample).read_bytes(), content_type)
        assert response.status_code == status.HTTP_201_CREATED
        assert WireItem.objects.get().format == detected

    @pytest.mark.parametrize(
        ("body", "reason"),
        [
            (b"", "empty"),
            (b"By Trend\n\n", "no body"),
            (b"\x00\x01\x02binary", "binary"),
            ("Gäncä".encode("latin-1"), "not UTF-8"),
            (b"{not json", "malformed JSON"),
            ((SAMPLES / "billion_laughs.xml").read_bytes(), "entity declarations"),
        ],
    )
    def test_bad_copy_is_a_400_with_the_reason(self, seed, wire_client, body, reason):
        response = post_wire(wire_client, body)
        assert response.status_code == status.HTTP_400_BAD_REQUEST
        assert reason in error(response)["message"]
        assert not WireItem.objects.exists()

    def test_copy_over_the_limit_is_a_413(self, seed, wire_client):
        response = post_wire(wire_client, b"x" * (wire.MAX_WIRE_BYTES + 1))
        assert response.status_code == status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
        assert error(response)["code"] == "too_large"
        assert not WireItem.objects.exists()

    def test_strict_refuses_an_unknown_byline(self, seed, wire_client):
        response = wire_client.generic(
            "POST", "/api/v1/wire/?strict=1", b"By Nobody\n\nGanja.", content_type="text/plain"
        )
        assert response.status_code == status.HTTP_400_BAD_REQUEST
        assert "unknown byline" in error(response)["message"]

    def test_anonymous_clients_are_refused(self, seed):
        response = post_wire(APIClient(), SEED.read_bytes())
        assert response.status_code == status.HTTP_401_UNAUTHORIZED
        assert not WireItem.objects.exists()

    def test_users_without_the_add_permission_are_refused(self, seed):
        response = post_wire(api(UserFactory()), SEED.read_bytes())
        assert response.status_code == status.HTTP_403_FORBIDDEN
        assert "permission to add articles" in error(response)["message"]
        assert not WireItem.objects.exists()

    @pytest.mark.parametrize(
        ("sample", "content_type"),
        [
            (SEED, "text/plain"),
            (SAMPLES / "ninjs1_trend.json", "application/json"),
            (SAMPLES / "nitf_trend.xml", "application/xml"),
            (SEED, "application/x-www-form-urlencoded"),  # what curl --data-binary sends
        ],
    )
    def test_an_editors_session_takes_in_copy_with_the_csrf_token(
        self, seed, editor, sample, content_type
    ):
        client = APIClient(enforce_csrf_checks=True)
        client.force_login(editor)
        client.get("/admin/")  # the desk's pages hand out the CSRF cookie
        copy = sample.read_bytes()
        refused = post_wire(client, copy, content_type)
        assert refused.status_code == status.HTTP_403_FORBIDDEN
        assert "CSRF" in error(refused)["message"]
        response = post_wire(
            client, copy, content_type, HTTP_X_CSRFTOKEN=client.cookies["csrftoken"].value
        )
        assert response.status_code == status.HTTP_201_CREATED, response.content
        assert Article.objects.get(pk=response.data["article"]["id"]).created_by == editor

    def test_a_chunked_upload_is_read_and_held_to_the_limit(self, served, served_env):
        """Chunked bodies come without Content-Length, through a real server (gunicorn)."""
        address = served[0]
        desk = manage("shell", "--verbosity", "0", "-c", DESK_WITH_TOKEN, env=served_env)
        assert desk.returncode == 0, desk.stderr
        token = desk.stdout.split()[-1]
        code, body = post_chunked(address, token, [b"By Trend\n\n", b"Ganja was shelled."])
        assert (code, body["outcome"]) == (201, "created")
        assert body["article"]["body_text"] == "Ganja was shelled."
        over_the_limit = [b"Ganja. " * 10_000] * (wire.MAX_WIRE_BYTES // 70_000 + 1)
        code, body = post_chunked(address, token, over_the_limit)
        assert (code, body["error"]["code"]) == (413, "too_large")
