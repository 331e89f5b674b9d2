"""Articles as IPTC ninjs 2.1, checked against a JSON Schema of the properties we emit
(tests/ninjs/) and against the article they come from."""

import json
import re
from datetime import datetime, timedelta
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.utils import timezone
from jsonschema import Draft202012Validator, FormatChecker
from rest_framework import status

from articles import editorial
from articles.api.serializers import ArticleSerializer
from articles.models import Article, Status
from tests.factories import (
    ArticleFactory,
    AuthorFactory,
    ImageFactory,
    PersonFactory,
    PlaceFactory,
    SourceFactory,
)

NINJS = "application/vnd.iptc.ninjs+json"
SCHEMA = json.loads((Path(__file__).parent / "ninjs" / "ninjs-2.1-subset.schema.json").read_text())

# jsonschema checks "uri" only with rfc3987 or rfc3986-validator installed, and
# "date-time" only with rfc3339-validator; without them both formats pass
# anything. So the two are checked here, with the standard library.
FORMATS = FormatChecker()
URI_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*$")
RFC3339 = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$", re.I)


@FORMATS.checks("uri", raises=ValueError)
def is_uri(value):
    """An absolute URI (RFC 3986): a scheme, then a host or a path, no spaces."""
    if not isinstance(value, str):
        return True
    parts = urlsplit(value)  # ValueError for a malformed host such as "http://[::1"
    return bool(
        URI_SCHEME.match(parts.scheme)
        and (parts.netloc or parts.path)
        and not re.search(r'[\s<>"{}|\\^`]', value)
    )


@FORMATS.checks("date-time", raises=ValueError)
def is_date_time(value):
    """RFC 3339: a full date and time with a zone; fromisoformat rejects day 31 of June."""
    if not isinstance(value, str):
        return True
    return bool(RFC3339.match(value)) and datetime.fromisoformat(value) is not None


VALIDATOR = Draft202012Validator(SCHEMA, format_checker=FORMATS)


def ninjs_errors(document):
    return [f"{error.json_path}: {error.message}" for error in VALIDATOR.iter_errors(document)]


def when(text):
    return datetime.fromisoformat(text)


@pytest.fixture
def seed_article(seed):
    return Article.objects.get()


def get_ninjs(client, article):
    response = client.get(f"/api/v1/articles/{article.pk}/", HTTP_ACCEPT=NINJS)
    assert response.status_code == status.HTTP_200_OK
    assert response["Content-Type"] == NINJS
    return response.json()


class TestSchema:
    """The schema and its format checks catch what they should: else a green run proves nothing."""

    VALID = {
        "uri": "http://testserver/api/v1/articles/1/",
        "versioncreated": "2020-10-06T08:00:00Z",
        "pubstatus": "usable",
        "places": [{"name": "Azerbaijan", "uri": "https://www.wikidata.org/wiki/Q227"}],
    }

    def test_is_a_valid_draft_2020_12_schema(self):
        Draft202012Validator.check_schema(SCHEMA)

    def test_accepts_a_minimal_document(self):
        assert ninjs_errors(self.VALID) == []
        assert ninjs_errors({"uri": "urn:newsroom:article:1"}) == []

    @pytest.mark.parametrize(
        "change",
        [
            {"uri": "not a uri"},
            {"uri": "/api/v1/articles/1/"},
            {"uri": "http://[::1"},
            {"versioncreated": "2020-10-06 08:00"},
            {"versioncreated": "2020-10-06T08:00:00"},
            {"versioncreated": "2020-06-31T08:00:00Z"},
            {"pubstatus": "published"},
            {"type": "article"},
            {"version": 1},
            {"places": [{"name": "Azerbaijan", "uri": "Q227"}]},
            {"places": [{"name": "Azerbaijan", "wikidata": "Q227"}]},
            {"headlines": [{"role": "main"}]},
            {"bodies": [{"value": "Text.", "wordcount": "two"}]},
            {"api_url": "http://testserver/api/v1/articles/1/"},
        ],
        ids=lambda change: json.dumps(change),
    )
    def test_rejects(self, change):
        assert ninjs_errors({**self.VALID, **change})

    def test_requires_uri(self):
        assert ninjs_errors({"version": "1"})


class TestSeedArticle:
    def test_detail_validates(self, client, seed_article):
        assert ninjs_errors(get_ninjs(client, seed_article)) == []

    def test_list_validates(self, client, seed_article):
        response = client.get("/api/v1/articles/", {"format": "ninjs"})

        assert response.status_code == status.HTTP_200_OK
        assert response["Content-Type"] == NINJS
        page = response.json()
        assert set(page) == {"next", "previous", "results"}
        assert len(page["results"]) == 1
        assert [ninjs_errors(item) for item in page["results"]] == [[]]

    def test_properties_match_the_article(self, client, seed_article):
        article = seed_article
        data = get_ninjs(client, article)

        assert data["uri"] == f"http://testserver/api/v1/articles/{article.pk}/"
        assert data["standard"] == {
            "name": "ninjs",
            "version": "2.1",
            "schema": "http://www.iptc.org/std/ninjs/ninjs-schema_2.1.json",
        }
        assert data["type"] == "text"
        assert data["representationtype"] == "full"
        assert data["version"] == str(article.version) == "1"
        assert when(data["firstcreated"]) == article.created_at
        assert when(data["versioncreated"]) == article.updated_at
        assert data["pubstatus"] == "usable"
        assert data["language"] == "en"
        assert data["slugline"] == article.slug
        assert data["headlines"] == [
            {"role": "main", "contenttype": "text/plain", "value": article.headline}
        ]
        assert data["descriptions"] == [
            {"role": "summary", "contenttype": "text/plain", "value": article.summary}
        ]
        assert data["by"] == "By Trend"
        assert data["located"] == "Baku"
        assert data["copyrightholder"] == "Trend News Agency"
        assert data["infosources"] == [
            {
                "name": "Trend News Agency",
                "role": "source",
                "uri": "http://testserver/sources/trend/",
            }
        ]
        assert data["altids"] == [{"role": "newsroom-id", "value": str(article.pk)}]
        assert "embargoed" not in data

    def test_bodies_plain_and_html(self, client, seed_article):
        article = seed_article
        editorial.render(article)  # as `make run`'s relink does after loaddata

        plain, html = get_ninjs(client, article)["bodies"]

        assert plain == {
            "role": "main",
            "contenttype": "text/plain",
            "value": article.body_text,
            "charcount": len(article.body_text),
            "wordcount": len(article.body_text.split()),
        }
        assert html == {"role": "main", "contenttype": "text/html", "value": article.body_html}
        assert html["value"].startswith("<p>")

    def test_people_places_and_organisations(self, client, seed_article):
        data = get_ninjs(client, seed_article)

        assert data["people"] == [
            {
                "name": "Zakir Hasanov",
                "rel": "mentioned",
                "uri": "http://testserver/people/zakir-hasanov/",
                "literal": "zakir-hasanov",
            }
        ]
        places = {place["literal"]: place for place in data["places"]}
        assert set(places) == set(seed_article.places.values_list("slug", flat=True))
        assert places["azerbaijan"] == {
            "name": "Azerbaijan",
            "rel": "mentioned",
            "uri": "https://www.wikidata.org/wiki/Q227",
            "literal": "azerbaijan",
        }
        assert places["armenia"]["uri"] == "https://www.wikidata.org/wiki/Q399"
        assert places["ganja"]["uri"] == "http://testserver/places/ganja/"
        assert data["organisations"] == [
            {
                "name": "Trend News Agency",
                "rel": "mentioned",
                "uri": "http://testserver/sources/trend/",
                "literal": "trend",
            }
        ]

    def test_the_section_is_the_subject(self, client, seed_article):
        data = get_ninjs(client, seed_article)
        assert data["subject"] == [
            {
                "name": "Politics",
                "rel": "section",
                "uri": "http://testserver/sections/politics/",
                "literal": "politics",
            }
        ]

    def test_a_story_filed_nowhere_has_no_subject(self, client, seed_article, editor):
        editorial.edit(
            seed_article,
            by=editor,
            expected_version=seed_article.version,
            changes={"section": None},
        )
        assert "subject" not in get_ninjs(client, seed_article)

    def test_entity_uris_without_wikidata_are_their_public_pages(self, client, seed_article):
        data = get_ninjs(client, seed_article)
        uris = [
            entity["uri"]
            for kind in ("people", "places", "organisations", "infosources", "subject")
            for entity in data[kind]
            if entity["uri"].startswith("http://testserver/")
        ]

        assert uris
        for uri in uris:
            assert client.get(urlsplit(uri).path).status_code == status.HTTP_200_OK, uri


class TestAuthors:
    """ninjs has no authors property: they are people whose rel is "author", and ``by``
    is the story's credit line."""

    @pytest.fixture
    def article(self, db):
        return ArticleFactory(
            public=True,
            byline="",
            source=SourceFactory(name="Trend News Agency", short_name="Trend"),
            authors=[AuthorFactory(name="Jane Doe")],
            people=[PersonFactory(name="Zakir Hasanov")],
        )

    def test_authors_are_people_by_rel_and_by_is_the_credit(self, client, article):
        data = get_ninjs(client, article)
        assert ninjs_errors(data) == []
        assert data["by"] == "By Jane Doe, Trend"
        assert data["people"] == [
            {
                "name": "Jane Doe",
                "rel": "author",
                "uri": "http://testserver/authors/jane-doe/",
                "literal": "jane-doe",
            },
            {
                "name": "Zakir Hasanov",
                "rel": "mentioned",
                "uri": "http://testserver/people/zakir-hasanov/",
                "literal": "zakir-hasanov",
            },
        ]
        assert client.get("/authors/jane-doe/").status_code == status.HTTP_200_OK

    def test_a_typed_byline_is_by(self, client, article):
        Article.objects.filter(pk=article.pk).update(byline="By Trend")
        assert get_ninjs(client, article)["by"] == "By Trend"

    def test_no_credit_no_by(self, client, db):
        data = get_ninjs(client, ArticleFactory(public=True, byline="", source=None))
        assert "by" not in data
        assert ninjs_errors(data) == []


class TestPubstatus:
    @pytest.mark.parametrize(
        ("article_status", "pubstatus"),
        [
            (Status.PUBLISHED, "usable"),
            (Status.DRAFT, "withheld"),
            (Status.REVIEW, "withheld"),
            (Status.ARCHIVED, "canceled"),
        ],
    )
    def test_follows_the_status(self, client, editor, article_status, pubstatus):
        article = ArticleFactory(
            status=article_status, published_at=timezone.now() - timedelta(days=1)
        )
        client.force_login(editor)

        data = get_ninjs(client, article)

        assert data["pubstatus"] == pubstatus
        assert ninjs_errors(data) == []

    def test_drafts_are_not_served_to_anonymous_clients(self, client, db):
        draft = ArticleFactory()

        response = client.get(f"/api/v1/articles/{draft.pk}/", HTTP_ACCEPT=NINJS)

        assert response.status_code == status.HTTP_404_NOT_FOUND


def test_correction_is_a_description(client, editor):
    article = ArticleFactory(public=True, summary="")
    editorial.correct(article, "The minister spoke on Tuesday, not Monday.", by=editor)
    correction = article.corrections.get()

    data = get_ninjs(client, article)

    [description] = data["descriptions"]
    assert description.keys() == {"role", "contenttype", "value"}
    assert (description["role"], description["contenttype"]) == ("correction", "text/plain")
    moment, text = description["value"].split(": ", 1)
    assert when(moment) == correction.created_at
    assert text == "The minister spoke on Tuesday, not Monday."
    assert data["version"] == str(Article.objects.get(pk=article.pk).version)
    assert ninjs_errors(data) == []


class TestEmbargo:
    def test_partner_receives_the_publication_time_as_embargoed(self, client, partner):
        article = ArticleFactory(
            status=Status.PUBLISHED, published_at=timezone.now() + timedelta(hours=2)
        )
        client.force_login(partner)

        data = get_ninjs(client, article)

        assert when(data["embargoed"]) == article.published_at
        assert data["pubstatus"] == "usable"
        assert ninjs_errors(data) == []

    def test_partner_list_carries_embargoed_items(self, client, partner):
        scheduled = ArticleFactory(
            status=Status.PUBLISHED, published_at=timezone.now() + timedelta(hours=2)
        )
        public = ArticleFactory(public=True)
        client.force_login(partner)

        response = client.get("/api/v1/articles/", {"format": "ninjs"}, HTTP_ACCEPT=NINJS)

        items = {item["altids"][0]["value"]: item for item in response.json()["results"]}
        assert set(items) == {str(scheduled.pk), str(public.pk)}
        assert when(items[str(scheduled.pk)]["embargoed"]) == scheduled.published_at
        assert "embargoed" not in items[str(public.pk)]
        assert [ninjs_errors(item) for item in items.values()] == [[], []]

    def test_anonymous_clients_do_not_see_embargoed_stories(self, client, db):
        article = ArticleFactory(
            status=Status.PUBLISHED, published_at=timezone.now() + timedelta(hours=2)
        )

        response = client.get(f"/api/v1/articles/{article.pk}/", HTTP_ACCEPT=NINJS)

        assert response.status_code == status.HTTP_404_NOT_FOUND


class TestContentNegotiation:
    def test_accept_header_and_format_parameter_give_the_same_document(self, client, seed_article):
        by_header = client.get(f"/api/v1/articles/{seed_article.pk}/", HTTP_ACCEPT=NINJS)
        by_parameter = client.get(f"/api/v1/articles/{seed_article.pk}/", {"format": "ninjs"})

        for response in (by_header, by_parameter):
            assert response.status_code == status.HTTP_200_OK
            assert response["Content-Type"] == NINJS
            assert response["ETag"] == f'"{seed_article.version}-ninjs"'
            assert "Accept" in response["Vary"]
        assert by_parameter.json() == by_header.json()

    def test_format_parameter_does_not_leak_into_the_uri(self, client, seed_article):
        """``uri`` identifies the item, so it is the same whichever way ninjs was asked for."""
        expected = f"http://testserver/api/v1/articles/{seed_article.pk}/"

        detail = client.get(f"/api/v1/articles/{seed_article.pk}/", {"format": "ninjs"})
        listed = client.get("/api/v1/articles/", {"format": "ninjs"})

        assert detail.json()["uri"] == expected
        assert listed.json()["results"][0]["uri"] == expected

    @pytest.mark.parametrize("accept", [None, "application/json", "*/*"])
    def test_json_is_the_default_and_unchanged(self, client, seed_article, accept):
        headers = {"HTTP_ACCEPT": accept} if accept else {}

        response = client.get(f"/api/v1/articles/{seed_article.pk}/", **headers)

        assert response.status_code == status.HTTP_200_OK
        assert response["Content-Type"] == "application/json"
        assert response["ETag"] == f'"{seed_article.version}"'
        data = response.json()
        assert list(data) == ArticleSerializer.Meta.fields
        assert data["id"] == seed_article.pk
        assert data["headline"] == seed_article.headline
        assert data["version"] == seed_article.version

    def test_json_list_is_unchanged(self, client, seed_article):
        response = client.get("/api/v1/articles/")

        assert response["Content-Type"] == "application/json"
        page = response.json()
        assert set(page) == {"next", "previous", "results"}
        assert list(page["results"][0]) == ArticleSerializer.Meta.fields

    def test_etags_differ_between_representations(self, client, seed_article):
        url = f"/api/v1/articles/{seed_article.pk}/"
        json_etag = client.get(url)["ETag"]

        response = client.get(url, HTTP_ACCEPT=NINJS, HTTP_IF_NONE_MATCH=json_etag)

        assert response.status_code == status.HTTP_200_OK
        assert response["Content-Type"] == NINJS


class TestList:
    def test_cursor_envelope_with_ninjs_items(self, client, db):
        person = PersonFactory(wikidata_id="Q42")
        place = PlaceFactory()
        ArticleFactory.create_batch(3, public=True, people=[person], places=[place])

        first = client.get("/api/v1/articles/", {"format": "ninjs", "page_size": 2})

        page = first.json()
        assert set(page) == {"next", "previous", "results"}
        assert page["previous"] is None
        assert "cursor=" in page["next"]
        assert "format=ninjs" in page["next"]
        assert len(page["results"]) == 2
        assert [ninjs_errors(item) for item in page["results"]] == [[], []]
        assert page["results"][0]["people"][0]["uri"] == "https://www.wikidata.org/wiki/Q42"

        second = client.get(page["next"])

        assert second["Content-Type"] == NINJS
        rest = second.json()
        assert rest["next"] is None
        assert len(rest["results"]) == 1
        assert ninjs_errors(rest["results"][0]) == []
        uris = {item["uri"] for item in page["results"] + rest["results"]}
        assert len(uris) == 3

    def test_items_are_in_the_same_order_as_json(self, client, db):
        ArticleFactory.create_batch(3, public=True)

        as_json = client.get("/api/v1/articles/").json()["results"]
        as_ninjs = client.get("/api/v1/articles/", HTTP_ACCEPT=NINJS).json()["results"]

        assert [item["altids"][0]["value"] for item in as_ninjs] == [
            str(item["id"]) for item in as_json
        ]


def test_every_entity_kind_has_a_uri(client, db):
    """Entities without a Wikidata id still get an absolute uri (their public page)."""
    article = ArticleFactory(public=True, people=[PersonFactory()], places=[PlaceFactory()])

    data = get_ninjs(client, article)

    for entity in data["people"] + data["places"] + data["infosources"]:
        assert entity["uri"].startswith("http://testserver/")
    assert ninjs_errors(data) == []


@pytest.mark.django_db
class TestPictures:
    def test_the_lead_and_inline_pictures_are_associations(self, client):
        trend = SourceFactory(name="Trend")
        lead = ImageFactory(source=trend, caption="Smoke over Ganja.", copyright="© Trend 2020")
        inline = ImageFactory(caption="", credit="", alt_text="Rescuers at work")
        body = f'<p>Text.</p><figure data-image="{inline.pk}"><figcaption>x</figcaption></figure>'
        article = ArticleFactory(public=True, lead_image=lead, body=body)
        document = get_ninjs(client, article)
        assert ninjs_errors(document) == []
        feature, picture = document["associations"]
        assert (feature["name"], picture["name"]) == ("featureimage", "picture-1")
        assert feature["type"] == "picture"
        assert feature["uri"] == f"http://testserver/api/v1/images/{lead.pk}/"
        assert feature["by"] == "Jane Doe / Trend"
        assert feature["copyrightnotice"] == "© Trend 2020"
        assert feature["copyrightholder"] == "Trend"
        assert feature["descriptions"][0] == {
            "role": "caption",
            "contenttype": "text/plain",
            "value": "Smoke over Ganja.",
        }
        rendition = lead.rendition("16x9-1200", "jpeg")
        assert {
            "name": "16x9-1200-jpeg",
            "href": f"http://testserver/media/{rendition.file.name}",
            "contenttype": "image/jpeg",
            "width": rendition.width,
            "height": rendition.height,
            "sizeinbytes": rendition.byte_size,
        } in feature["renditions"]
        assert len(feature["renditions"]) == lead.renditions.count()
        assert "by" not in picture
        assert picture["descriptions"] == [
            {"role": "alternative-text", "contenttype": "text/plain", "value": "Rescuers at work"}
        ]

    def test_a_story_without_pictures_has_no_associations(self, client):
        document = get_ninjs(client, ArticleFactory(public=True))
        assert "associations" not in document
