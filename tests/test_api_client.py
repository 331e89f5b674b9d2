"""The API through a client generated from its OpenAPI document, as a partner would
build one: openapi-python-client, run on the schema the site serves, its output
imported unmodified and used against a live server. A generated client reads the
document literally, so what it gets wrong here the document says wrong."""

import importlib
import io
import json
import os
import pkgutil
import subprocess
import sys
import urllib.request
from datetime import timedelta
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from django.utils import timezone
from rest_framework import status

from articles.models import Article
from tests.factories import PASSWORD, ArticleFactory, PlaceFactory
from tests.helpers import token_for
from tests.pictures import photo
from tests.test_api import SAMPLES

PACKAGE = "newsroom_api_client"  # from the document's title, "Newsroom API"
VENV_BIN = Path(sys.executable).parent


@pytest.fixture(scope="module")
def generated(live_server, tmp_path_factory):
    """The client package, generated once for this module from /api/schema/."""
    folder = tmp_path_factory.mktemp("client")
    with urllib.request.urlopen(f"{live_server.url}/api/schema/?format=json") as response:
        (folder / "openapi.json").write_bytes(response.read())
    # The generator formats its output with ruff, which is the virtualenv's.
    env = {**os.environ, "PATH": f"{VENV_BIN}{os.pathsep}{os.environ.get('PATH', '')}"}
    result = subprocess.run(
        [
            VENV_BIN / "openapi-python-client",
            "generate",
            "--path",
            folder / "openapi.json",
            "--output-path",
            folder / PACKAGE,
            "--meta",
            "none",
        ],
        cwd=folder,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    sys.path.insert(0, str(folder))
    try:
        yield importlib.import_module(PACKAGE)
    finally:
        sys.path.remove(str(folder))
        for name in [name for name in sys.modules if name.split(".")[0] == PACKAGE]:
            del sys.modules[name]


def module(name):
    return importlib.import_module(f"{PACKAGE}.{name}")


def operation(name):
    return module(f"api.v1.{name}")


def reader(generated, live_server):
    return generated.Client(base_url=live_server.url, raise_on_unexpected_status=True)


def cursor_of(link):
    return parse_qs(urlsplit(link).query)["cursor"][0]


def test_every_generated_module_imports(generated):
    names = [info.name for info in pkgutil.walk_packages(generated.__path__, f"{PACKAGE}.")]
    for name in names:
        importlib.import_module(name)
    assert f"{PACKAGE}.api.v1.v1_wire_create" in names  # no operation left out


def test_a_reader_lists_follows_the_cursor_filters_and_reads_ninjs(generated, live_server):
    ganja = PlaceFactory(name="Ganja")
    now = timezone.now()
    stories = [
        ArticleFactory(public=True, published_at=now - timedelta(days=n), headline=f"Story {n}")
        for n in range(1, 6)
    ]
    stories[2].places.add(ganja)
    client = reader(generated, live_server)
    list_articles = operation("v1_articles_list")

    seen, page = [], list_articles.sync(client=client, page_size=2)
    while True:
        seen += [article.id for article in page.results]
        if not page.next_:
            break
        page = list_articles.sync(client=client, page_size=2, cursor=cursor_of(page.next_))
    assert seen == [story.pk for story in stories]

    about_ganja = list_articles.sync(client=client, place=["ganja"])
    assert [article.id for article in about_ganja.results] == [stories[2].pk]
    recent = list_articles.sync(client=client, published_after=now - timedelta(days=2, hours=1))
    assert [article.id for article in recent.results] == [stories[0].pk, stories[1].pk]

    ninjs = operation("v1_articles_ninjs_retrieve").sync(id=stories[2].pk, client=client)
    assert isinstance(ninjs, module("models").NinjsArticle)
    assert ninjs.headlines[0].value == "Story 3"
    assert [place.literal for place in ninjs.places] == ["ganja"]
    assert ninjs.uri == f"{live_server.url}/api/v1/articles/{stories[2].pk}/"
    ninjs_page = operation("v1_articles_ninjs_list").sync(client=client, page_size=2)
    assert [item.altids[0].value for item in ninjs_page.results] == [
        str(story.pk) for story in stories[:2]
    ]


def test_an_editor_creates_and_edits_with_if_match(generated, live_server, editor):
    models = module("models")
    token = (
        operation("v1_auth_token_create")
        .sync(
            client=reader(generated, live_server),
            body=models.AuthTokenRequest(username=editor.username, password=PASSWORD),
        )
        .token
    )
    desk = generated.AuthenticatedClient(base_url=live_server.url, token=token, prefix="Token")

    created = operation("v1_articles_create").sync_detailed(
        client=desk,
        body=models.ArticleRequest(headline="Ganja shelled", body="Ganja was shelled."),
    )
    assert created.status_code == status.HTTP_201_CREATED
    article = created.parsed
    assert Article.objects.get(pk=article.id).created_by == editor

    edit = operation("v1_articles_partial_update")
    edited = edit.sync_detailed(
        id=article.id,
        client=desk,
        body=models.PatchedArticleRequest(headline="Ganja shelled overnight"),
        if_match=created.headers["ETag"],
    )
    assert edited.status_code == status.HTTP_200_OK
    assert edited.parsed.headline == "Ganja shelled overnight"

    stale = edit.sync_detailed(
        id=article.id,
        client=desk,
        body=models.PatchedArticleRequest(headline="Lost update"),
        if_match=created.headers["ETag"],
    )
    assert stale.status_code == status.HTTP_412_PRECONDITION_FAILED
    assert stale.parsed.error.current_version == edited.parsed.version
    assert Article.objects.get(pk=article.id).headline == "Ganja shelled overnight"

    copy = json.loads((SAMPLES / "ninjs1_trend.json").read_text())
    taken_in = operation("v1_wire_create").sync_detailed(
        client=desk, body=models.V1WireCreateJsonBody.from_dict(copy)
    )
    assert taken_in.status_code == status.HTTP_201_CREATED
    assert taken_in.parsed.outcome == models.OutcomeEnum.CREATED


def test_an_editor_adds_an_author_and_credits_a_story_to_them(generated, live_server, editor):
    models = module("models")
    desk = generated.AuthenticatedClient(
        base_url=live_server.url, token=token_for(editor), prefix="Token"
    )
    author = operation("v1_authors_create").sync(
        client=desk, body=models.AuthorRequest(name="Jane Doe", title="Baku correspondent")
    )
    assert (author.slug, author.article_count) == ("jane-doe", 0)

    created = operation("v1_articles_create").sync(
        client=desk,
        body=models.ArticleRequest(
            headline="Gas exports rise",
            authors=[author.slug],
            status=models.StatusEnum.PUBLISHED,
            published_at=timezone.now() - timedelta(minutes=1),
        ),
    )
    assert [credited.slug for credited in created.authors] == ["jane-doe"]

    client = reader(generated, live_server)
    by_jane = operation("v1_articles_list").sync(client=client, author=["jane-doe"])
    assert [article.id for article in by_jane.results] == [created.id]
    listed = operation("v1_authors_list").sync(client=client)
    assert [(found.name, found.article_count) for found in listed.results] == [("Jane Doe", 1)]
    ninjs = operation("v1_articles_ninjs_retrieve").sync(id=created.id, client=client)
    assert ninjs.by == "By Jane Doe"
    assert [(person.rel, person.literal) for person in ninjs.people] == [("author", "jane-doe")]


def test_an_editor_uploads_a_picture_and_a_reader_gets_it_on_the_story(
    generated, live_server, editor
):
    models = module("models")
    types = module("types")
    desk = generated.AuthenticatedClient(
        base_url=live_server.url, token=token_for(editor), prefix="Token"
    )
    upload = operation("v1_images_create")
    sent = upload.sync_detailed(
        client=desk,
        body=models.ImageUploadRequest(
            file=types.File(payload=io.BytesIO(photo((400, 300))), file_name="smoke.jpg"),
            alt_text="Smoke over the depot",
            caption="<script>alert(1)</script> Smoke",
        ),
    )
    assert sent.status_code == status.HTTP_201_CREATED
    image = sent.parsed
    assert image.caption == "<script>alert(1)</script> Smoke"
    assert {(r.spec, r.format_) for r in image.renditions} >= {("w320", "webp"), ("social", "jpeg")}

    refused = upload.sync_detailed(
        client=desk,
        body=models.ImageUploadRequest(
            file=types.File(payload=io.BytesIO(b"<svg onload=alert(1)>"), file_name="x.jpg")
        ),
    )
    assert refused.status_code == status.HTTP_400_BAD_REQUEST
    assert "SVG" in refused.parsed.error.message

    story = operation("v1_articles_create").sync(
        client=desk,
        body=models.ArticleRequest(
            headline="Depot fire",
            body="Firefighters are at the depot.",
            lead_image=image.id,
            status=models.StatusEnum.PUBLISHED,
            published_at=timezone.now() - timedelta(minutes=1),
        ),
    )
    client = reader(generated, live_server)
    read = operation("v1_articles_retrieve").sync(id=story.id, client=client)
    assert read.lead_image.id == image.id
    assert [picture.id for picture in read.images] == [image.id]
    w320 = next(r for r in read.lead_image.renditions if (r.spec, r.format_) == ("w320", "jpeg"))
    with urllib.request.urlopen(w320.url) as served:
        assert served.headers["Content-Type"] == "image/jpeg"
    listed = operation("v1_images_list").sync(client=client)
    assert [found.id for found in listed.results] == [image.id]
    ninjs = operation("v1_articles_ninjs_retrieve").sync(id=story.id, client=client)
    assert ninjs.associations[0].name == "featureimage"
