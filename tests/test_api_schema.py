"""The OpenAPI schema and the API agree: the document is valid and complete, the docs
are served locally, and schemathesis finds no answer the schema does not describe."""

import json
import re
from datetime import timedelta

import pytest
import schemathesis
import yaml
from django.contrib.staticfiles import finders
from django.core import signals
from django.core.cache import cache
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import close_old_connections, transaction
from django.utils import timezone
from drf_spectacular.validation import validate_schema
from jsonschema import Draft202012Validator
from rest_framework import status
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)
from schemathesis.config import SchemathesisConfig

from articles import kinds
from articles.api.filters import ArticleFilter, AwareDateTimeField
from articles.models import Article, Image, Status
from newsroom.wsgi import application
from tests.factories import ArticleFactory, AuthorFactory
from tests.helpers import token_for
from tests.pictures import photo, upload
from tests.test_ninjs import NINJS, ninjs_errors

ARTICLE_PARAMETERS = {
    "source",
    "person",
    "place",
    "published_after",
    "published_before",
    "updated_since",
    "status",
    "search",
    "ordering",
    "cursor",
    "page_size",
}
ERROR_REF = {"$ref": "#/components/schemas/Error"}
# Request bodies are JSON but the wire desk's (raw copy, or copy and pictures in a form)
# and a picture upload's (a form with the file).
WIRE_MEDIA_TYPES = {"text/plain", "application/json", "application/xml", "multipart/form-data"}
REQUEST_MEDIA_TYPES = {
    "/api/v1/wire/": WIRE_MEDIA_TYPES,
    "/api/v1/images/": {"multipart/form-data"},
}


@pytest.fixture
def openapi(client):
    response = client.get("/api/schema/", {"format": "json"})
    assert response.status_code == status.HTTP_200_OK
    return response.json()


def operations(document):
    for path, item in document["paths"].items():
        for method, operation in item.items():
            if method in {"get", "post", "put", "patch", "delete"}:
                yield path, method, operation


class TestSchemaDocument:
    def test_yaml_by_default_json_on_request_and_the_same(self, client, openapi):
        response = client.get("/api/schema/")

        assert response.status_code == status.HTTP_200_OK
        assert response["Content-Type"].startswith("application/vnd.oai.openapi")
        assert yaml.safe_load(response.content) == openapi
        assert openapi["openapi"].startswith("3.")

    def test_every_reference_resolves_however_often_it_is_generated(self, client):
        # Each answer is generated anew; a schema a hook rewrote in place must not
        # come back rewritten, referring to a component of an earlier answer.
        for _ in range(2):
            document = client.get("/api/schema/", {"format": "json"}).json()
            text = json.dumps(document)
            references = set(re.findall(r'"\$ref": "#/components/schemas/([^"]+)"', text))
            assert references <= set(document["components"]["schemas"])

    def test_is_a_valid_openapi_document(self, openapi):
        # drf-spectacular's validator: the OpenAPI 3.0 meta-schema, with jsonschema.
        # (openapi-spec-validator is not installed.)
        validate_schema(openapi)

    def test_article_list_lists_every_filter(self, openapi):
        parameters = openapi["paths"]["/api/v1/articles/"]["get"]["parameters"]
        names = {parameter["name"] for parameter in parameters}

        assert names >= ARTICLE_PARAMETERS
        assert names >= set(ArticleFilter.base_filters)
        assert all(parameter["in"] == "query" for parameter in parameters)

    def test_removed_articles_require_since(self, openapi):
        [since] = openapi["paths"]["/api/v1/articles/removed/"]["get"]["parameters"]

        assert (since["name"], since["required"]) == ("since", True)
        assert since["schema"]["format"] == "date-time"

    @pytest.mark.parametrize(
        ("method", "codes"),
        [
            ("get", {"400", "401", "404", "429"}),
            ("post", {"400", "401", "403", "429"}),
            ("put", {"400", "401", "403", "404", "429"}),
            ("patch", {"400", "401", "403", "404", "429"}),
            ("delete", {"401", "403", "404", "429"}),
        ],
    )
    def test_every_operation_documents_its_errors(self, openapi, method, codes):
        checked = 0
        for path, operation_method, operation in operations(openapi):
            if operation_method != method:
                continue
            expected = set(codes)
            if path == "/api/v1/articles/{id}/" and method in {"put", "patch", "delete"}:
                expected |= {"412", "428"}  # conditional writes
            responses = operation["responses"]
            assert expected <= set(responses), (method, path)
            for code in expected | {"500"}:
                content = responses[code]["content"]
                assert content == {"application/json": {"schema": ERROR_REF}}, (method, path)
            checked += 1
        assert checked

    def test_request_bodies_are_json_but_the_uploads(self, openapi):
        checked = 0
        for path, method, operation in operations(openapi):
            if "requestBody" in operation:
                media_types = set(operation["requestBody"]["content"])
                expected = REQUEST_MEDIA_TYPES.get(path, {"application/json"})
                assert media_types == expected, (method, path)
                checked += 1
        assert checked

    @pytest.mark.parametrize("method", ["put", "patch", "delete"])
    def test_article_writes_declare_if_match(self, openapi, method):
        parameters = openapi["paths"]["/api/v1/articles/{id}/"][method]["parameters"]
        [header] = [parameter for parameter in parameters if parameter["in"] == "header"]
        assert (header["name"], header["required"]) == ("If-Match", True)

    def test_reads_are_open_to_anonymous_clients_and_writes_are_not(self, openapi):
        for path, method, operation in operations(openapi):
            # No security of its own: the document declares none overall, so anyone.
            anonymous = {} in operation.get("security", [{}])
            assert anonymous == (method == "get" or path == "/api/v1/auth/token/"), (method, path)

    def test_ninjs_has_operations_and_a_component_of_its_own(self, openapi):
        paths = openapi["paths"]
        ninjs = {"$ref": "#/components/schemas/NinjsArticle"}
        detail = paths["/api/v1/articles/{id}/ninjs/"]["get"]["responses"]["200"]["content"]
        assert detail == {NINJS: {"schema": ninjs}}
        listed = paths["/api/v1/articles/ninjs/"]["get"]["responses"]["200"]["content"]
        page_ref = {"$ref": "#/components/schemas/PaginatedNinjsArticleList"}
        assert listed == {NINJS: {"schema": page_ref}}
        page = openapi["components"]["schemas"]["PaginatedNinjsArticleList"]
        assert page["properties"]["results"]["items"] == ninjs
        # The JSON operations answer ninjs to Accept, but are not asked for it by ?format=.
        for path, method, operation in operations(openapi):
            if path.startswith("/api/v1/articles/") and "ninjs" not in path:
                names = {parameter["name"] for parameter in operation.get("parameters", [])}
                assert "format" not in names, (method, path)

    @pytest.mark.parametrize(
        ("path", "maximum"), [("/api/v1/articles/", 100), ("/api/v1/places/", 200)]
    )
    def test_page_size_has_its_bounds(self, openapi, path, maximum):
        parameters = openapi["paths"][path]["get"]["parameters"]
        [page_size] = [parameter for parameter in parameters if parameter["name"] == "page_size"]
        assert (page_size["schema"]["minimum"], page_size["schema"]["maximum"]) == (1, maximum)

    @pytest.mark.parametrize(
        "moment",
        [
            "2026-01-02T09:00:00Z",
            "2026-01-02T09:00:00+14:00",
            "2026-01-02T09:00:00-13:59",
            "2026-01-02T09:00:00+14:01",
            "2026-01-02T09:00:00-21:13",
        ],
    )
    def test_moments_in_the_schema_are_those_the_filters_take(self, openapi, moment):
        parameters = openapi["paths"]["/api/v1/articles/"]["get"]["parameters"]
        [schema] = [p["schema"] for p in parameters if p["name"] == "updated_since"]
        [since] = openapi["paths"]["/api/v1/articles/removed/"]["get"]["parameters"]
        assert since["schema"] == schema
        try:
            AwareDateTimeField().clean(moment)
        except DjangoValidationError:
            taken = False
        else:
            taken = True
        assert bool(re.search(schema["pattern"], moment)) is taken

    def test_error_component_is_the_one_error_shape(self, client, openapi):
        validator = Draft202012Validator(openapi["components"]["schemas"]["Error"])
        response = client.get("/api/v1/articles/", {"published_after": "yesterday"})

        assert response.status_code == status.HTTP_400_BAD_REQUEST
        assert list(validator.iter_errors(response.json())) == []
        assert response.json()["error"]["fields"].keys() == {"published_after"}


class TestDocs:
    def test_swagger_ui_is_served_from_local_static_files(self, client):
        response = client.get("/api/docs/")

        assert response.status_code == status.HTTP_200_OK
        page = response.content.decode()
        assert not re.search(r"https?://", page)
        assets = re.findall(r'(?:src|href)="([^"]+)"', page)
        static = [asset for asset in assets if asset.startswith("/static/")]
        assert len(static) >= 3  # the bundle, its preset and the stylesheet
        for asset in static:
            assert finders.find(asset.removeprefix("/static/")), asset

    def test_swagger_ui_settings_script_points_at_the_local_schema(self, client):
        page = client.get("/api/docs/").content.decode()
        [script] = re.findall(r'<script src="(/api/docs/\?script=[^"]*)"', page)

        response = client.get(script)

        assert response.status_code == status.HTTP_200_OK
        body = response.content.decode()
        assert "/api/schema/" in body
        assert not re.search(r"https?://", body)


# Schemathesis: every operation, fuzzed in-process, anonymously and as an editor.

FUZZ_CONFIG = SchemathesisConfig.from_dict(
    {
        "seed": 20201006,
        # Each operation is one pytest test in one transaction; Hypothesis's
        # timing and fixture health checks misread that.
        "suppress-health-check": ["all"],
        "generation": {
            "mode": "all",  # valid and invalid input
            "max-examples": 25,
            "deterministic": True,
            "database": "none",
        },
        # The coverage phase makes hundreds of cases per write operation
        # (minutes); fuzzing alone stays bounded by max-examples.
        "phases": {"coverage": {"enabled": False}, "stateful": {"enabled": False}},
    }
)
API = schemathesis.openapi.from_wsgi("/api/schema/?format=json", application, config=FUZZ_CONFIG)
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
MODELS = {
    "articles": Article,
    "images": Image,
    **{kind.plural: kind.model for kind in kinds.KINDS},
}


def content_type(response):
    return (response.headers.get("content-type") or [""])[0]


def is_ninjs(response):
    return content_type(response).startswith(NINJS)


@pytest.fixture
def in_process(db):
    """Keep the test's connection across requests, as Django's test client does: the
    handler closes it after each request, and the test's transaction with it."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def newsroom(seed, in_process):
    """The seed story, with a real picture as its lead (stored, so a focal point can remake
    it), and the seed entities, plus a draft by a staff author and a scheduled story."""
    story = Article.objects.get()
    story.lead_image = upload(photo((200, 150)), alt_text="Smoke over the city")
    story.save()
    story.show_pictures()
    ArticleFactory(headline="A draft on the desk", authors=[AuthorFactory(name="Jane Doe")])
    ArticleFactory(
        headline="A story under embargo",
        status=Status.PUBLISHED,
        published_at=timezone.now() + timedelta(days=1),
    )


@pytest.fixture
def editor_token(editor):
    return token_for(editor)


def aim(case):
    """Point odd generated ids at rows that exist (and a quarter of the article writes at
    the current version) and even ones at rows that do not, so the fuzzing reaches real
    objects and real writes, the same ones on SQLite and PostgreSQL (whose ids differ)."""
    generated = (case.path_parameters or {}).get("id")
    if type(generated) is not int or generated <= 0:
        return
    model = MODELS[case.path.split("/")[3]]
    fields = ("pk", "version") if model is Article else ("pk", "pk")
    existing = list(model.objects.order_by("pk").values_list(*fields))
    if generated % 2 == 0 or not existing:
        case.path_parameters["id"] = (existing[-1][0] if existing else 0) + generated
        return
    pk, version = existing[generated // 2 % len(existing)]
    case.path_parameters["id"] = pk
    if model is Article and case.method in {"PUT", "PATCH", "DELETE"} and generated % 4 == 1:
        case.headers = {**(case.headers or {}), "If-Match": f'"{version}"'}


def call_and_check(case, headers=None):
    """One request, as its own transaction would be on a server, then the checks."""
    aim(case)
    # DRF's throttles read their rates when imported, so overriding DEFAULT_THROTTLE_RATES
    # would not lift them; they count in the cache.
    cache.clear()
    with transaction.atomic():
        response = case.call(headers=headers)
        if response.status_code >= 500:
            transaction.set_rollback(True)  # as the failed request's own transaction would
    case.validate_response(response, checks=CHECKS, headers=headers)
    if is_ninjs(response) and response.status_code < 300:
        check_ninjs(response)
    elif response.status_code >= 400:
        error = json.loads(response.content)["error"]
        assert error["status"] == response.status_code


def check_ninjs(response):
    data = json.loads(response.content)
    items = data.get("results", [data])
    assert [ninjs_errors(item) for item in items] == [[] for _ in items]


@API.parametrize()
def test_anonymous(case, newsroom):
    call_and_check(case)


@API.parametrize()
def test_editor(case, newsroom, editor_token):
    call_and_check(case, headers={"Authorization": f"Token {editor_token}"})


# Mismatches the fuzzing once found, one request each, through the same checks.


def call(path, method, *, editor_token=None, **case):
    operation = API[path][method]
    headers = {"Authorization": f"Token {editor_token}"} if editor_token else None
    with transaction.atomic():
        response = operation.Case(**case).call(headers=headers)
        if response.status_code >= 500:
            transaction.set_rollback(True)
    operation.Case(**case).validate_response(response, checks=CHECKS, headers=headers)
    return response


def error_fields(response):
    """The parameters or fields a 400 names, in the one error shape."""
    return set(response.json()["error"]["fields"])


def test_errors_asked_for_as_ninjs_come_as_json(newsroom):
    response = call(
        "/api/v1/articles/{id}/", "GET", path_parameters={"id": 0}, query={"format": "ninjs"}
    )

    assert response.status_code == status.HTTP_404_NOT_FOUND
    assert content_type(response) == "application/json"


def test_ninjs_bodies_are_documented(newsroom):
    pk = Article.objects.public().get().pk
    response = call(
        "/api/v1/articles/{id}/", "GET", path_parameters={"id": pk}, query={"format": "ninjs"}
    )

    assert response.status_code == status.HTTP_200_OK
    assert is_ninjs(response)


def test_an_unknown_format_on_post_is_a_documented_404(newsroom):
    response = call(
        "/api/v1/articles/",
        "POST",
        query={"format": "xml"},
        body={"headline": "Hello"},
        media_type="application/json",
    )

    assert response.status_code == status.HTTP_404_NOT_FOUND


def test_a_write_asking_for_ninjs_reads_json(newsroom, editor_token):
    response = call(
        "/api/v1/articles/",
        "POST",
        editor_token=editor_token,
        query={"format": "ninjs"},
        body={"headline": "Hello"},
        media_type="application/json",
    )

    assert response.status_code == status.HTTP_201_CREATED
    assert Article.objects.filter(headline="Hello").count() == 1


def test_an_unknown_parameter_on_delete_is_a_documented_400(newsroom, editor_token):
    pk = Article.objects.public().get().pk
    response = call(
        "/api/v1/articles/{id}/",
        "DELETE",
        editor_token=editor_token,
        path_parameters={"id": pk},
        query={"x": "1"},
    )

    assert response.status_code == status.HTTP_400_BAD_REQUEST
    assert error_fields(response) == {"x"}
    assert Article.objects.filter(pk=pk).exists()


def test_a_duplicate_source_name_is_a_400(newsroom, editor_token):
    response = call(
        "/api/v1/sources/",
        "POST",
        editor_token=editor_token,
        body={"name": "trend news agency"},
        media_type="application/json",
    )

    assert response.status_code == status.HTTP_400_BAD_REQUEST
    assert error_fields(response) == {"name"}


def test_a_created_entity_has_its_article_count(newsroom, editor_token):
    response = call(
        "/api/v1/people/",
        "POST",
        editor_token=editor_token,
        body={"name": "Ilham Aliyev"},
        media_type="application/json",
    )

    assert response.status_code == status.HTTP_201_CREATED
    assert response.json()["article_count"] == 0


@pytest.mark.parametrize(
    ("path", "name", "value"),
    [
        ("/api/v1/articles/", "published_after", "0001-01-01T00:00:00+01:00"),
        ("/api/v1/articles/", "updated_since", "9999-12-31T23:59:59-01:00"),
        ("/api/v1/articles/removed/", "since", "0001-01-01T00:00:00+01:00"),
    ],
)
def test_a_moment_out_of_range_is_a_400(newsroom, path, name, value):
    response = call(path, "GET", query={name: value})

    assert response.status_code == status.HTTP_400_BAD_REQUEST
    assert error_fields(response) == {name}


@pytest.mark.parametrize(
    ("path", "name"),
    [
        ("/api/v1/articles/removed/", "since"),
        ("/api/v1/articles/", "published_after"),
        ("/api/v1/articles/", "updated_since"),
    ],
)
def test_a_zone_no_database_can_store_is_a_400(newsroom, path, name):
    response = call(path, "GET", query={name: "2020-01-01T00:00:00-21:13"})

    assert response.status_code == status.HTTP_400_BAD_REQUEST
    assert error_fields(response) == {name}
