"""Pictures in the API: /api/v1/images/ (who sees what, the image object, filters, paging,
upload, corrections) and the pictures on articles."""

import io
import threading
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone
from rest_framework import status

from articles import bodies
from articles.models import Article, Image, Status
from tests.factories import (
    ArticleFactory,
    ImageFactory,
    PlaceFactory,
    SourceFactory,
    UserFactory,
)
from tests.helpers import XSS_CORPUS, api
from tests.pictures import photo

pytestmark = pytest.mark.django_db

IMAGES = "/api/v1/images/"
ARTICLES = "/api/v1/articles/"
SVG = b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>'


def ids(response):
    return [item["id"] for item in response.json()["results"]]


def error(response):
    return response.json()["error"]


def image_url(image):
    return f"{IMAGES}{image.pk}/"


def a_file(data, name="photo.jpg"):
    upload = io.BytesIO(data)
    upload.name = name
    return upload


def send(client, data, name="photo.jpg", **description):
    return client.post(IMAGES, {"file": a_file(data, name), **description}, format="multipart")


def figure(image, caption="In the body."):
    return f"<p>Text.</p>{bodies.figure(image.pk, caption)}"


@pytest.fixture
def library():
    """A picture on a public story, one inline in a public story, one on a draft, one unused."""
    lead, inline, drafted, unused = ImageFactory.create_batch(4)
    ArticleFactory(public=True, lead_image=lead)
    ArticleFactory(public=True, body=figure(inline))
    ArticleFactory(lead_image=drafted)
    ArticleFactory(status=Status.PUBLISHED, published_at=timezone.now() + timedelta(hours=2))
    return {"lead": lead, "inline": inline, "drafted": drafted, "unused": unused}


class TestVisibility:
    def test_readers_see_the_pictures_of_public_stories_only(self, library):
        for client in (api(), api(UserFactory())):
            response = client.get(IMAGES)
            assert response.status_code == status.HTTP_200_OK
            assert set(ids(response)) == {library["lead"].pk, library["inline"].pk}
            for name in ("drafted", "unused"):
                assert client.get(image_url(library[name])).status_code == 404

    def test_the_desk_sees_the_whole_library(self, library, editor, reporter):
        for user in (editor, reporter):
            assert set(ids(api(user).get(IMAGES))) == {image.pk for image in library.values()}

    def test_a_picture_leaves_with_its_story(self, library, editor):
        story = Article.objects.get(lead_image=library["lead"])
        story.status = Status.DRAFT
        story.save()
        assert api().get(image_url(library["lead"])).status_code == 404

    def test_a_partner_sees_the_pictures_of_embargoed_stories(self, partner):
        image = ImageFactory()
        ArticleFactory(
            status=Status.PUBLISHED,
            published_at=timezone.now() + timedelta(hours=2),
            lead_image=image,
        )
        assert ids(api(partner).get(IMAGES)) == [image.pk]
        assert ids(api().get(IMAGES)) == []


class TestRepresentation:
    def test_the_image_object(self, editor):
        baku = PlaceFactory(name="Baku")
        image = ImageFactory(source=SourceFactory(name="Trend"), place=baku, focal_x=0.25)
        data = api(editor).get(image_url(image)).json()
        assert list(data) == [
            *("id", "api_url", "alt_text", "caption", "credit", "copyright", "credit_line"),
            *("source", "place", "taken_at", "format", "width", "height", "bytes"),
            *("focal_point", "uploaded_at", "updated_at", "renditions"),
        ]
        assert data["api_url"] == f"http://testserver{image_url(image)}"
        assert data["credit_line"] == "Jane Doe / Trend"
        assert data["source"]["name"] == "Trend"
        assert data["place"] == {"id": baku.pk, "slug": "baku", "name": "Baku", "kind": "city"}
        assert data["focal_point"] == {"x": 0.25, "y": 0.5}
        assert (data["width"], data["height"], data["bytes"]) == (3000, 2000, 1_500_000)
        assert len(data["renditions"]) == image.renditions.count()
        w640 = next(r for r in data["renditions"] if (r["spec"], r["format"]) == ("w640", "webp"))
        rendition = image.rendition("w640", "webp")
        assert w640 == {
            "spec": "w640",
            "format": "webp",
            "width": 640,
            "height": rendition.height,
            "url": f"http://testserver/media/{rendition.file.name}",
            "content_type": "image/webp",
            "bytes": 10_000,
        }

    def test_no_original_and_nothing_private_is_listed(self, editor):
        data = api(editor).get(image_url(ImageFactory())).json()
        assert not {"file", "content_hash", "metadata", "uploaded_by", "original_name"} & set(data)
        assert all("/originals/" not in r["url"] for r in data["renditions"])


class TestFilters:
    def test_by_source_place_and_search(self, editor):
        trend, baku = SourceFactory(name="Trend", slug="trend"), PlaceFactory(slug="baku")
        from_trend = ImageFactory(source=trend, caption="Oil rigs off the coast")
        in_baku = ImageFactory(place=baku)
        ImageFactory()
        client = api(editor)
        assert ids(client.get(IMAGES, {"source": "trend"})) == [from_trend.pk]
        assert ids(client.get(IMAGES, {"place": "baku"})) == [in_baku.pk]
        assert ids(client.get(IMAGES, {"search": "rigs"})) == [from_trend.pk]

    def test_uploaded_and_updated_since(self, editor):
        old, new = ImageFactory(), ImageFactory()
        Image.objects.filter(pk=old.pk).update(
            uploaded_at=timezone.now() - timedelta(days=3),
            updated_at=timezone.now() - timedelta(days=3),
        )
        since = (timezone.now() - timedelta(days=1)).isoformat()
        client = api(editor)
        assert ids(client.get(IMAGES, {"uploaded_since": since})) == [new.pk]
        assert ids(client.get(IMAGES, {"updated_since": since})) == [new.pk]

    @pytest.mark.parametrize(
        ("parameter", "value"),
        [
            ("source", "x' OR '1'='1"),
            ("place", "1; DROP TABLE articles_image; --"),
            ("uploaded_since", "yesterday"),
            ("updated_since", "2026-01-01T09:00:00"),
            ("colour", "red"),
            ("page_size", "-1"),
        ],
    )
    def test_a_bad_parameter_is_a_400_naming_it(self, editor, parameter, value):
        ImageFactory()
        response = api(editor).get(IMAGES, {parameter: value})
        assert response.status_code == status.HTTP_400_BAD_REQUEST
        assert parameter in error(response)["fields"]
        assert Image.objects.count() == 1

    def test_sql_in_a_search_is_only_words(self, editor):
        ImageFactory()
        response = api(editor).get(IMAGES, {"search": "' OR 1=1 --"})
        assert response.status_code == status.HTTP_200_OK
        assert ids(response) == []

    def test_pages(self, editor):
        images = ImageFactory.create_batch(5)
        page = api(editor).get(IMAGES, {"page_size": 2}).json()
        assert page["count"] == 5
        assert [item["id"] for item in page["results"]] == [images[4].pk, images[3].pk]
        assert page["next"].endswith("page=2&page_size=2")


class TestFixedQueries:
    @pytest.mark.parametrize("n", [3, 30])
    def test_the_image_list(self, django_assert_max_num_queries, n):
        source, place = SourceFactory(), PlaceFactory()
        for _ in range(n):
            ArticleFactory(public=True, lead_image=ImageFactory(source=source, place=place))
        with django_assert_max_num_queries(3):
            response = api().get(IMAGES, {"page_size": 100})
        assert len(response.json()["results"]) == n

    @pytest.mark.parametrize("n", [3, 30])
    def test_the_article_list_with_pictures(self, django_assert_max_num_queries, n):
        source = SourceFactory()
        for _ in range(n):
            inline = ImageFactory(source=source)
            ArticleFactory(public=True, lead_image=ImageFactory(source=source), body=figure(inline))
        with django_assert_max_num_queries(9):
            response = api().get(ARTICLES, {"page_size": 100})
        results = response.json()["results"]
        assert len(results) == n
        assert all(len(article["images"]) == 2 for article in results)

    @pytest.mark.parametrize("n", [3, 30])
    def test_the_ninjs_list_with_pictures(self, django_assert_max_num_queries, n):
        for _ in range(n):
            ArticleFactory(public=True, lead_image=ImageFactory(), body=figure(ImageFactory()))
        with django_assert_max_num_queries(9):
            response = api().get(f"{ARTICLES}ninjs/", {"page_size": 100})
        assert all(len(item["associations"]) == 2 for item in response.json()["results"])


class TestUpload:
    def test_a_reporter_uploads_a_picture(self, reporter, client):
        response = send(api(reporter), photo((400, 300)), alt_text="A tanker", caption="At sea.")
        assert response.status_code == status.HTTP_201_CREATED
        data = response.json()
        image = Image.objects.get(pk=data["id"])
        assert (image.alt_text, image.caption) == ("A tanker", "At sea.")
        assert image.uploaded_by == reporter
        assert len(data["renditions"]) == image.renditions.count() > 0
        served = client.get(data["renditions"][0]["url"].removeprefix("http://testserver"))
        assert served.status_code == status.HTTP_200_OK
        assert served["Content-Type"] == data["renditions"][0]["content_type"]

    def test_the_same_file_again_is_the_image_held_with_200(self, editor):
        data = photo((400, 300))
        first = send(api(editor), data, caption="First")
        again = send(api(editor), data, name="other-name.jpg", caption="Second")
        assert (first.status_code, again.status_code) == (201, 200)
        assert again.json()["id"] == first.json()["id"]
        assert again.json()["caption"] == "First"
        assert Image.objects.count() == 1

    def test_the_source_and_place_are_given_by_slug(self, editor):
        SourceFactory(name="Trend", slug="trend")
        PlaceFactory(name="Baku", slug="baku")
        response = send(api(editor), photo((400, 300)), source="trend", place="baku")
        assert response.status_code == status.HTTP_201_CREATED
        assert (response.json()["source"]["slug"], response.json()["place"]["slug"]) == (
            "trend",
            "baku",
        )

    @pytest.mark.parametrize(
        ("data", "reason"),
        [
            (b"", "empty"),
            (b"Just some text, not a picture at all.", "not a picture"),
            (SVG, "SVG is not accepted"),
            (photo((400, 300))[:600], "damaged or cut short"),
            (photo((400, 300)) + b"<html><script>alert(1)</script></html>", None),
        ],
        ids=["empty", "text", "svg", "truncated", "polyglot"],
    )
    def test_a_refused_file_is_a_400_saying_why_and_stores_nothing(
        self, editor, media_root, data, reason
    ):
        response = send(api(editor), data)
        if reason is None:  # a JPEG with HTML after it: the picture, re-encoded, is taken
            assert response.status_code == status.HTTP_201_CREATED
            return
        assert response.status_code == status.HTTP_400_BAD_REQUEST
        assert error(response)["code"] == "refused"
        assert reason in error(response)["message"]
        assert reason in error(response)["fields"]["file"][0]
        assert not Image.objects.exists()
        assert not any(path.is_file() for path in media_root.rglob("*"))

    @pytest.mark.parametrize("size", [(1, 1), (1000, 1), (1, 600)])
    def test_a_picture_of_a_few_pixels_has_every_rendition(self, editor, size):
        response = send(api(editor), photo(size, "PNG"))
        assert response.status_code == status.HTTP_201_CREATED
        assert all(r["width"] >= 1 and r["height"] >= 1 for r in response.json()["renditions"])

    def test_too_many_pixels_is_refused(self, editor, settings):
        settings.IMAGE_MAX_PIXELS = 10_000
        response = send(api(editor), photo((400, 300)))
        assert response.status_code == status.HTTP_400_BAD_REQUEST
        assert "pixels; the limit is 10,000" in error(response)["message"]

    def test_a_file_over_the_limit_is_refused(self, editor, settings):
        settings.IMAGE_MAX_BYTES = 1_000
        response = send(api(editor), photo((400, 300)))
        assert response.status_code == status.HTTP_400_BAD_REQUEST
        assert "the limit is 1,000" in error(response)["message"]

    def test_a_huge_request_is_a_413_before_it_is_read(self, editor, settings):
        settings.IMAGE_MAX_BYTES = 1_000
        client = api(editor)
        response = client.generic(
            "POST",
            IMAGES,
            b"not read",
            content_type="multipart/form-data; boundary=x",
            CONTENT_LENGTH=str(10_000_000),
        )
        assert response.status_code == status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
        assert error(response)["code"] == "too_large"

    @pytest.mark.parametrize(
        ("body", "code"),
        [
            ({}, status.HTTP_400_BAD_REQUEST),
            ({"file": "not a file"}, status.HTTP_400_BAD_REQUEST),
        ],
    )
    def test_a_missing_file_is_a_400(self, editor, body, code):
        response = api(editor).post(IMAGES, body, format="multipart")
        assert response.status_code == code
        assert "file" in error(response)["fields"]

    def test_json_is_not_an_upload(self, editor):
        response = api(editor).post(IMAGES, {"file": "x"}, format="json")
        assert response.status_code == status.HTTP_415_UNSUPPORTED_MEDIA_TYPE

    def test_a_description_over_its_length_is_a_400_and_stores_nothing(self, editor):
        response = send(api(editor), photo((400, 300)), alt_text="x" * 301)
        assert response.status_code == status.HTTP_400_BAD_REQUEST
        assert "alt_text" in error(response)["fields"]
        assert not Image.objects.exists()

    def test_hostile_text_is_kept_as_text(self, editor):
        caption = "\n".join(XSS_CORPUS[:5])
        response = send(api(editor), photo((400, 300)), caption=caption, credit="<b>Jane</b>")
        assert response.status_code == status.HTTP_201_CREATED
        assert response["Content-Type"] == "application/json"
        image = Image.objects.get()
        assert (image.caption, image.credit) == (caption, "<b>Jane</b>")
        assert response.json()["caption"] == caption

    def test_anonymous_clients_and_readers_may_not_upload(self):
        assert send(api(), photo((100, 100))).status_code == status.HTTP_401_UNAUTHORIZED
        assert send(api(UserFactory()), photo((100, 100))).status_code == 403
        assert not Image.objects.exists()

    @pytest.mark.django_db(transaction=True)
    def test_the_same_file_sent_at_the_same_moment_is_one_image(self, editor):
        if connection.vendor == "sqlite":
            pytest.skip("SQLite serialises writers: the race cannot happen there")
        data = photo((400, 300))
        codes, failures = [], []

        def upload():
            try:
                codes.append(send(api(editor), data).status_code)
            except Exception as failure:  # noqa: BLE001 - the test reports it
                failures.append(failure)
            finally:
                connection.close()

        threads = [threading.Thread(target=upload) for _ in range(3)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert failures == []
        assert sorted(codes) in ([200, 200, 201], [200, 201, 201], [201, 201, 201])
        assert Image.objects.count() == 1


class TestDescribe:
    def test_the_desk_corrects_the_description(self, reporter):
        image = ImageFactory(alt_text="")
        response = api(reporter).patch(
            image_url(image),
            {"alt_text": "Firefighters at the scene", "credit": "John Roe", "caption": ""},
            format="json",
        )
        assert response.status_code == status.HTTP_200_OK
        image.refresh_from_db()
        assert (image.alt_text, image.credit, image.caption) == (
            "Firefighters at the scene",
            "John Roe",
            "",
        )
        assert response.json()["credit_line"] == "John Roe"

    def test_moving_the_focal_point_remakes_the_crops(self, editor):
        created = send(api(editor), photo((600, 300))).json()
        before = {(r["spec"], r["format"]): r["url"] for r in created["renditions"]}
        response = api(editor).patch(
            f"{IMAGES}{created['id']}/", {"focal_point": {"x": 0.1, "y": 0.5}}, format="json"
        )
        assert response.status_code == status.HTTP_200_OK
        assert response.json()["focal_point"] == {"x": 0.1, "y": 0.5}
        after = {(r["spec"], r["format"]): r["url"] for r in response.json()["renditions"]}
        assert after[("1x1-400", "jpeg")] != before[("1x1-400", "jpeg")]
        assert after[("w320", "jpeg")] == before[("w320", "jpeg")]  # no crop, same picture

    @pytest.mark.parametrize(
        ("body", "field"),
        [
            ({"focal_point": {"x": 1.5, "y": 0.5}}, "focal_point"),
            ({"focal_point": "middle"}, "focal_point"),
            ({"alt_text": "x" * 301}, "alt_text"),
            ({"source": "no-such-agency"}, "source"),
            ({"taken_at": "last week"}, "taken_at"),
        ],
    )
    def test_a_bad_value_is_a_400_naming_it(self, editor, body, field):
        image = ImageFactory()
        response = api(editor).patch(image_url(image), body, format="json")
        assert response.status_code == status.HTTP_400_BAD_REQUEST
        assert field in error(response)["fields"]
        assert Image.objects.get().alt_text == image.alt_text

    def test_the_file_and_its_size_cannot_be_changed(self, editor):
        image = ImageFactory()
        response = api(editor).patch(image_url(image), {"width": 1, "format": "gif"}, format="json")
        assert response.status_code == status.HTTP_200_OK
        assert (response.json()["width"], response.json()["format"]) == (3000, "jpeg")

    def test_only_the_desk_changes_pictures(self, library):
        image = library["lead"]
        assert api().patch(image_url(image), {"alt_text": "x"}, format="json").status_code == 401
        reader = api(UserFactory())
        assert reader.patch(image_url(image), {"alt_text": "x"}, format="json").status_code == 403
        assert Image.objects.get(pk=image.pk).alt_text == image.alt_text

    def test_put_and_delete_are_not_offered(self, editor):
        image = ImageFactory()
        assert api(editor).put(image_url(image), {}, format="json").status_code == 405
        assert api(editor).delete(image_url(image)).status_code == 405


class TestArticlePictures:
    def test_an_article_carries_its_lead_and_every_picture_it_shows(self):
        lead, inline = ImageFactory(), ImageFactory()
        story = ArticleFactory(public=True, lead_image=lead, body=figure(inline))
        data = api().get(f"{ARTICLES}{story.pk}/").json()
        assert data["lead_image"]["id"] == lead.pk
        assert data["lead_image"]["renditions"][0]["url"].startswith("http://testserver/media/")
        assert [image["id"] for image in data["images"]] == [lead.pk, inline.pk]
        listed = api().get(ARTICLES).json()["results"][0]
        assert (listed["lead_image"]["id"], len(listed["images"])) == (lead.pk, 2)

    def test_a_story_without_pictures(self):
        story = ArticleFactory(public=True)
        data = api().get(f"{ARTICLES}{story.pk}/").json()
        assert (data["lead_image"], data["images"]) == (None, [])

    def test_the_lead_image_is_written_by_id(self, editor):
        image = ImageFactory()
        created = api(editor).post(
            ARTICLES, {"headline": "Fire in Ganja", "lead_image": image.pk}, format="json"
        )
        assert created.status_code == status.HTTP_201_CREATED
        assert created.json()["lead_image"]["id"] == image.pk
        assert [picture["id"] for picture in created.json()["images"]] == [image.pk]
        story = Article.objects.get()
        assert list(story.images.all()) == [image]
        cleared = api(editor).patch(
            f"{ARTICLES}{story.pk}/",
            {"lead_image": None},
            format="json",
            HTTP_IF_MATCH=created["ETag"],
        )
        assert cleared.status_code == status.HTTP_200_OK
        assert (cleared.json()["lead_image"], cleared.json()["images"]) == (None, [])

    @pytest.mark.parametrize("value", [999_999, "a-slug", {"id": 1}, True])
    def test_a_lead_image_that_is_not_in_the_library_is_a_400(self, editor, value):
        response = api(editor).post(
            ARTICLES, {"headline": "Fire", "lead_image": value}, format="json"
        )
        assert response.status_code == status.HTTP_400_BAD_REQUEST
        assert "lead_image" in error(response)["fields"]
        assert not Article.objects.exists()

    def test_publishing_with_an_undescribed_lead_image_is_a_400_naming_it(self, editor):
        bare = ImageFactory(alt_text="")
        response = api(editor).post(
            ARTICLES,
            {"headline": "Fire", "lead_image": bare.pk, "status": "published"},
            format="json",
        )
        assert response.status_code == status.HTTP_400_BAD_REQUEST
        assert "has no alt text" in error(response)["fields"]["lead_image"][0]
        assert not Article.objects.exists()

        draft = ArticleFactory(lead_image=bare)
        response = api(editor).patch(
            f"{ARTICLES}{draft.pk}/",
            {"status": "published"},
            format="json",
            HTTP_IF_MATCH=f'"{draft.version}"',
        )
        assert response.status_code == status.HTTP_400_BAD_REQUEST
        assert "lead_image" in error(response)["fields"]
        assert Article.objects.get().status == Status.DRAFT
