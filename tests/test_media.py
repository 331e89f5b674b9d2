"""The media view (/media/, articles/views.py: media): renditions and share cards only,
cached for a year, typed, never sniffed; everything else is a 404."""

import pytest

from articles import pictures
from tests.factories import ArticleFactory
from tests.pictures import photo

pytestmark = pytest.mark.django_db

IMMUTABLE = "public, max-age=31536000, immutable"
CONTENT_TYPES = {"avif": "image/avif", "webp": "image/webp", "jpeg": "image/jpeg"}


@pytest.fixture
def image():
    image, _ = pictures.upload(photo((400, 300)), by=None, name="photo.jpg")
    return image


def body(response):
    return b"".join(response.streaming_content) if response.streaming else response.content


def test_every_rendition_is_served_typed_and_cached_for_a_year(client, image):
    for rendition in image.renditions.all():
        response = client.get(rendition.url)

        assert response.status_code == 200
        assert response["Content-Type"] == CONTENT_TYPES[rendition.format]
        assert response["Cache-Control"] == IMMUTABLE
        assert response["X-Content-Type-Options"] == "nosniff"
        assert int(response["Content-Length"]) == rendition.byte_size
        assert len(body(response)) == rendition.byte_size


def test_a_share_card_is_served(client):
    url, width, height = pictures.share_card(ArticleFactory(), site_name="Newsroom")

    response = client.get(url)

    assert (response.status_code, response["Content-Type"]) == (200, "image/jpeg")
    assert response["Cache-Control"] == IMMUTABLE
    assert response["X-Content-Type-Options"] == "nosniff"
    assert (width, height) == (1200, 630)


def test_head_answers_the_headers_without_the_file(client, image):
    rendition = image.renditions.get(spec="w320", format="webp")

    response = client.head(rendition.url)

    assert response.status_code == 200
    assert response["Content-Type"] == "image/webp"
    assert response["Cache-Control"] == IMMUTABLE
    assert body(response) == b""


def test_a_cached_copy_is_confirmed_without_the_file(client, image):
    rendition = image.renditions.get(spec="w320", format="avif")
    etag = client.get(rendition.url)["ETag"]

    response = client.get(rendition.url, headers={"If-None-Match": etag})

    assert response.status_code == 304
    assert response.content == b""
    assert response["ETag"] == etag
    assert response["Cache-Control"] == IMMUTABLE
    assert client.get(rendition.url, headers={"If-None-Match": '"other"'}).status_code == 200


def test_writes_are_not_allowed(client, image):
    url = image.renditions.first().url

    for method in (client.post, client.put, client.delete):
        assert method(url).status_code == 405


def test_the_original_is_never_served(client, image):
    assert image.file.name.startswith("originals/")

    assert client.get(f"/media/{image.file.name}").status_code == 404


@pytest.mark.parametrize(
    "path",
    [
        "../newsroom/settings.py",
        "renditions/../../newsroom/settings.py",
        "renditions/%2e%2e/%2e%2e/newsroom/settings.py",
        "renditions%2f..%2f..%2fmanage.py",
        "/etc/passwd",
        "//etc/passwd",
        "renditions\\..\\..\\manage.py",
        "renditions/ab/..%5c..%5cmanage.py",
        "cards/../originals/x.jpg",
        "renditions/",
        "renditions/nothing.jpg",
        "cards/00/0000000000000000000000.jpg.html",
        "cards/00/00000000000000000000.html",
        "cards/00/00000000000000000000.svg",
        "cards/00/00000000000000000000.jpg",  # the right shape, not stored
        "originals/00/" + "0" * 64 + ".jpeg",
        "renditions/00/" + "0" * 64 + "/w320.000000000000.jpg%00.html",
        "favicon.svg",
    ],
)
def test_anything_else_is_not_found(client, path):
    response = client.get(f"/media/{path}")

    assert response.status_code == 404


def test_a_traversal_to_a_real_rendition_is_not_followed(client, image):
    rendition = image.renditions.first()
    first, rest = rendition.file.name.split("/", 1)

    assert client.get(f"/media/{first}/../{first}/{rest}").status_code == 404
    assert client.get(f"/media/{first}/%2e/{rest}").status_code == 404
    assert client.get(rendition.url).status_code == 200
