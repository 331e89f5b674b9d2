"""Pictures with wire copy: ninjs associations and NITF media read from the copy (pure),
their files found beside it in an import folder or sent with it to the API, stored once
in the library and placed in the draft; a refused or missing picture never loses the copy."""

import io
import json
import socket

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from rest_framework import status

from articles import editorial, intake, wire
from articles.models import Article, Image, Status
from tests.factories import PASSWORD, UserFactory
from tests.helpers import XSS_CORPUS, api
from tests.pictures import photo, upload

SVG = b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>'
WIRE = "/api/v1/wire/"


@pytest.fixture(autouse=True)
def empty_library(request):
    """The seed's own picture (Baku's) taken out of the library: these tests count what
    the wire stores, from nothing."""
    if "seed" in request.fixturenames:
        request.getfixturevalue("seed")
        Image.objects.all().delete()


def ninjs(associations, headline="Fire at the Ganja depot"):
    """ninjs 2.1 copy from Trend with these associations."""
    return json.dumps(
        {
            "uri": f"urn:trend:{abs(hash(headline))}",
            "type": "text",
            "by": "By Trend",
            "headlines": [{"role": "main", "value": headline}],
            "bodies": [{"contenttype": "text/plain", "value": "Firefighters are at the depot."}],
            "associations": associations,
        }
    ).encode()


def picture(name, href, caption="", by="", width=2000, **extra):
    item = {
        "name": name,
        "uri": f"urn:trend:picture:{href}",
        "type": "picture",
        "renditions": [
            {"name": "thumbnail", "href": f"thumb-{href}", "width": 200},
            {"name": "highres", "href": href, "width": width, "contenttype": "image/jpeg"},
        ],
        **extra,
    }
    if caption:
        item["descriptions"] = [{"role": "caption", "value": caption}]
    if by:
        item["by"] = by
    return item


NITF = b"""<?xml version="1.0" encoding="UTF-8"?>
<nitf>
  <head><title>Fire at the Ganja depot</title></head>
  <body>
    <body.head><hedline><hl1>Fire at the Ganja depot</hl1></hedline><byline>By Trend</byline>
    </body.head>
    <body.content>
      <p>Crews from Baku joined the effort at the edge of the city overnight.</p>
      <media media-type="image">
        <media-reference source="small.jpg" mime-type="image/jpeg" width="200"/>
        <media-reference source="smoke.jpg" mime-type="image/jpeg" width="1600"/>
        <media-caption><p>Smoke over the depot.</p></media-caption>
        <media-producer>Jane Doe</media-producer>
      </media>
      <media media-type="video"><media-reference source="clip.mp4" mime-type="video/mp4"/>
      </media>
      <p>Officials said the blaze started at dawn near the rail line.</p>
    </body.content>
  </body>
</nitf>"""


class TestParsing:
    def test_ninjs_2_associations_are_pictures_with_the_feature_image_leading(self):
        copy = ninjs(
            [
                picture("picture-1", "crowd.jpg", "Residents watch.", by="John Roe"),
                {"name": "logo", "uri": "urn:x", "type": "graphic", "renditions": []},
                picture(
                    "featureimage", "smoke.jpg", "Smoke over the depot.", copyrightnotice="© Trend"
                ),
            ]
        )
        crowd, smoke = wire.parse(copy).pictures
        assert crowd == wire.WirePicture("crowd.jpg", "Residents watch.", "John Roe", "", False)
        assert smoke == wire.WirePicture(
            "smoke.jpg", "Smoke over the depot.", "", "© Trend", is_lead=True
        )

    def test_ninjs_1_associations_by_name_lead_with_the_first(self):
        copy = json.dumps(
            {
                "uri": "urn:trend:1",
                "body_text": "Firefighters are at the depot.",
                "associations": {
                    "main": {
                        "type": "picture",
                        "description_text": "Smoke over the depot.",
                        "byline": "Jane Doe",
                        "renditions": {"original": {"href": "pictures/smoke.jpg"}},
                    },
                    "other": {"type": "picture", "uri": "crowd.jpg"},
                },
            }
        )
        smoke, crowd = wire.parse(copy).pictures
        assert (smoke.reference, smoke.caption, smoke.credit, smoke.is_lead) == (
            "pictures/smoke.jpg",
            "Smoke over the depot.",
            "Jane Doe",
            True,
        )
        assert (crowd.reference, crowd.is_lead) == ("crowd.jpg", False)

    @pytest.mark.parametrize(
        "associations",
        [None, "photo.jpg", [1, "x", None], {"a": 3}, [{"type": "picture"}], [{"type": "text"}]],
    )
    def test_malformed_associations_are_no_pictures(self, associations):
        assert wire.parse(ninjs(associations)).pictures == ()

    @pytest.mark.parametrize("markup", XSS_CORPUS[:6])
    def test_captions_and_credits_are_plain_text(self, markup):
        copy = ninjs([picture("featureimage", "a.jpg", f"Smoke {markup}", by=markup)])
        [found] = wire.parse(copy).pictures
        assert "<" not in found.caption + found.credit
        assert found.caption.startswith("Smoke")

    def test_no_more_than_the_limit(self):
        many = [picture(f"picture-{n}", f"{n}.jpg") for n in range(wire.MAX_PICTURES + 5)]
        assert len(wire.parse(ninjs(many)).pictures) == wire.MAX_PICTURES

    def test_nitf_media_are_pictures_and_their_captions_no_paragraphs(self):
        story = wire.parse(NITF)
        assert story.pictures == (
            wire.WirePicture("smoke.jpg", "Smoke over the depot.", "Jane Doe", is_lead=True),
        )
        assert story.paragraphs == (
            "Crews from Baku joined the effort at the edge of the city overnight.",
            "Officials said the blaze started at dawn near the rail line.",
        )

    def test_copy_without_pictures_has_none(self):
        assert wire.parse(b"By Trend\n\nGanja was shelled.").pictures == ()


@pytest.fixture
def folder(tmp_path):
    """An import folder: copy naming two pictures, and the two picture files."""
    (tmp_path / "smoke.jpg").write_bytes(photo((400, 300), colour=(200, 40, 40)))
    (tmp_path / "crowd.jpg").write_bytes(photo((300, 400), colour=(40, 200, 40)))
    copy = ninjs(
        [
            picture("featureimage", "smoke.jpg", "Smoke over the depot.", by="Jane Doe"),
            picture("picture-1", "crowd.jpg", "<b>Residents</b> watch.", by="John Roe"),
        ]
    )
    (tmp_path / "story.json").write_bytes(copy)
    return tmp_path


def take_in_folder(folder, name="story.json", **options):
    path = folder / name
    return intake.take_in(path.read_bytes(), files=intake.FolderPictures(path), **options)


@pytest.mark.django_db
class TestIntakeFromAFolder:
    def test_the_draft_gets_its_pictures(self, seed, folder):
        result = take_in_folder(folder)
        article = result.article
        assert result.outcome == "created"
        assert [p.outcome for p in result.pictures] == ["stored", "stored"]
        smoke, crowd = (p.image for p in result.pictures)
        assert article.lead_image == smoke
        assert (smoke.caption, smoke.credit, smoke.alt_text) == (
            "Smoke over the depot.",
            "Jane Doe",
            "",
        )
        assert crowd.caption == "Residents watch."
        assert f'<figure data-image="{crowd.pk}">' in article.body
        assert "<figcaption>Residents watch.</figcaption>" in article.body
        assert set(article.images.all()) == {smoke, crowd}
        # New to the library with the agency's copy: the agency's pictures.
        assert article.source.name == "Trend News Agency"
        assert (smoke.source, crowd.source) == (article.source, article.source)
        assert "2 pictures" in result.message
        assert "2 pictures without alt text: describe them before publishing" in result.message

    def test_the_draft_cannot_be_published_until_its_pictures_are_described(self, seed, folder):
        article = take_in_folder(folder).article
        with pytest.raises(ValidationError) as refused:
            editorial.publish(article, by=None)
        assert "lead_image" in refused.value.message_dict
        Image.objects.update(alt_text="Smoke over a fuel depot")
        editorial.publish(Article.objects.get(pk=article.pk), by=None)
        assert Article.objects.get(pk=article.pk).status == Status.PUBLISHED

    def test_a_picture_already_held_is_not_stored_twice(self, seed, folder):
        take_in_folder(folder)
        (folder / "again.json").write_bytes(
            ninjs([picture("featureimage", "smoke.jpg")], headline="A second story")
        )
        result = take_in_folder(folder, "again.json")
        assert [p.outcome for p in result.pictures] == ["held"]
        assert result.article.lead_image == Image.objects.get(caption="Smoke over the depot.")
        assert Image.objects.count() == 2
        assert "1 picture (1 already in the library)" in result.message

    def test_a_picture_already_held_keeps_the_source_the_desk_gave_it(self, seed, folder):
        held = upload((folder / "smoke.jpg").read_bytes())
        assert held.source is None

        result = take_in_folder(folder)

        held.refresh_from_db()
        assert result.pictures[0].image == held and held.source is None
        assert result.pictures[1].image.source == result.article.source

    @pytest.mark.parametrize(
        ("content", "reason"),
        [
            (b"", "empty"),
            (SVG, "SVG is not accepted"),
            (b"<html><script>alert(1)</script></html>", "not a picture"),
            (photo((400, 300))[:500], "damaged"),
        ],
    )
    def test_a_refused_picture_does_not_lose_the_copy(self, seed, folder, content, reason):
        (folder / "smoke.jpg").write_bytes(content)
        result = take_in_folder(folder)
        assert result.outcome == "created"
        refused, kept = result.pictures
        assert (refused.outcome, refused.image) == ("refused", None)
        assert reason in refused.message
        assert f"picture smoke.jpg refused: {refused.message}" in result.message
        assert result.article.lead_image == kept.image  # the first that came through leads
        assert Image.objects.count() == 1

    @pytest.mark.parametrize(
        ("reference", "reason"),
        [
            ("nowhere.jpg", "no file nowhere.jpg beside the copy"),
            ("../outside.jpg", "outside the copy's folder: not read"),
            ("/etc/passwd", "outside the copy's folder: not read"),
            ("sub/../../outside.jpg", "outside the copy's folder: not read"),
            ("link.jpg", "outside the copy's folder: not read"),
            ("", "no picture"),
        ],
    )
    def test_a_reference_is_resolved_beside_the_copy_and_never_outside(
        self, seed, tmp_path, reference, reason
    ):
        folder = tmp_path / "wire"
        folder.mkdir()
        (tmp_path / "outside.jpg").write_bytes(photo((100, 100)))
        (folder / "link.jpg").symlink_to(tmp_path / "outside.jpg")
        copy = ninjs([{"name": "featureimage", "type": "picture", "uri": reference}])
        (folder / "story.json").write_bytes(copy)
        result = take_in_folder(folder)
        assert result.outcome == "created"
        if not reference:
            assert result.pictures == ()  # no reference, no picture
            return
        [missing] = result.pictures
        assert (missing.outcome, missing.message) == ("missing", reason)
        assert not Image.objects.exists()

    def test_an_address_is_matched_by_its_file_name_and_never_fetched(
        self, seed, folder, monkeypatch
    ):
        def no_network(*args, **kwargs):
            raise AssertionError("the intake went to the network")

        monkeypatch.setattr(socket, "create_connection", no_network)
        monkeypatch.setattr(socket.socket, "connect", no_network)
        copy = ninjs([picture("featureimage", "https://photos.trend.az/2020/smoke.jpg?size=xl")])
        (folder / "story.json").write_bytes(copy)
        result = take_in_folder(folder)
        assert [p.outcome for p in result.pictures] == ["stored"]

    def test_a_picture_over_the_limit_is_refused_before_it_is_read(self, seed, folder, settings):
        settings.IMAGE_MAX_BYTES = 1_000
        result = take_in_folder(folder)
        assert [p.outcome for p in result.pictures] == ["refused", "refused"]
        assert "over the limit of 1,000 bytes" in result.pictures[0].message

    def test_pictures_of_an_update_stay_in_the_library(self, seed, folder):
        first = take_in_folder(folder)
        (folder / "story.json").write_bytes(
            json.dumps(
                {
                    **json.loads((folder / "story.json").read_text()),
                    "bodies": [{"value": "Firefighters are at the depot. Two were hurt."}],
                }
            ).encode()
        )
        update = take_in_folder(folder)
        assert update.article == first.article
        assert "not placed in the existing story" in update.message

    def test_a_user_who_may_not_add_pictures(self, seed, folder):
        from django.contrib.auth.models import Permission

        desk = UserFactory()
        desk.user_permissions.add(Permission.objects.get(codename="add_article"))
        result = take_in_folder(folder, by=desk)
        assert result.outcome == "created"
        assert [p.outcome for p in result.pictures] == ["refused", "refused"]
        assert "You may not add pictures." in result.message

    def test_copy_from_standard_input_reports_its_pictures_missing(self, seed, folder):
        result = intake.take_in((folder / "story.json").read_bytes())
        assert [p.message for p in result.pictures] == ["no picture files came with this copy"] * 2
        assert result.article.lead_image is None


@pytest.mark.django_db
class TestImportCommand:
    def run(self, *args):
        out, err = io.StringIO(), io.StringIO()
        call_command("import_wire", *map(str, args), "--no-progress", stdout=out, stderr=err)
        return out.getvalue(), err.getvalue()

    def test_a_folder_of_copy_and_pictures(self, seed, folder):
        (folder / "nitf.xml").write_bytes(NITF)
        (folder / "unnamed.png").write_bytes(photo((50, 50), "PNG"))
        out, err = self.run(folder)
        assert err == ""
        report = "Done: 2 created as drafts, 2 pictures stored, 1 pictures already in the library."
        assert report in out
        assert f"{folder / 'unnamed.png'}: a picture no copy names; not stored" in out
        assert Article.objects.filter(lead_image__isnull=False).count() == 2
        assert Image.objects.count() == 2

    def test_rerunning_stores_nothing_again(self, seed, folder):
        self.run(folder)
        out, _ = self.run(folder)
        assert "Done: 1 skipped as duplicates." in out
        assert Image.objects.count() == 2


def send(client, copy, *pictures, name="story.json"):
    body = {"copy": named(copy, name), "pictures": [named(data, n) for n, data in pictures]}
    return client.post(WIRE, body, format="multipart")


def named(data, name):
    upload = io.BytesIO(data)
    upload.name = name
    return upload


@pytest.fixture
def desk(editor):
    return api(editor)


@pytest.mark.django_db
class TestIntakeThroughTheAPI:
    def test_copy_and_its_pictures_in_one_request(self, seed, desk):
        copy = ninjs([picture("featureimage", "https://x.test/a/smoke.jpg", "Smoke.")])
        response = send(desk, copy, ("smoke.jpg", photo((400, 300))), ("extra.jpg", b"x"))
        assert response.status_code == status.HTTP_201_CREATED
        data = response.json()
        [taken] = data["pictures"]
        assert taken["outcome"] == "stored" and taken["is_lead"]
        assert data["article"]["lead_image"]["id"] == taken["image"]
        assert data["article"]["lead_image"]["caption"] == "Smoke."
        assert data["article"]["lead_image"]["alt_text"] == ""
        assert "without alt text" in data["message"]
        assert Image.objects.count() == 1  # what the copy does not name is not stored

    def test_nitf_with_its_picture(self, seed, desk):
        response = send(desk, NITF, ("smoke.jpg", photo((400, 300))), name="story.xml")
        assert response.status_code == status.HTTP_201_CREATED
        assert response.json()["article"]["lead_image"]["credit"] == "Jane Doe"

    def test_a_refused_picture_is_reported_and_the_copy_kept(self, seed, desk):
        copy = ninjs([picture("featureimage", "smoke.jpg")])
        response = send(desk, copy, ("smoke.jpg", SVG))
        assert response.status_code == status.HTTP_201_CREATED
        [refused] = response.json()["pictures"]
        assert (refused["outcome"], refused["image"]) == ("refused", None)
        assert "SVG is not accepted" in refused["message"]
        assert Article.objects.count() == 2  # the seed's and this one
        assert not Image.objects.exists()

    def test_a_picture_named_but_not_sent_is_missing(self, seed, desk):
        response = send(desk, ninjs([picture("featureimage", "smoke.jpg")]))
        assert response.status_code == status.HTTP_201_CREATED
        assert response.json()["pictures"][0]["message"] == (
            "no file called smoke.jpg came with the copy"
        )

    def test_raw_copy_naming_pictures_reports_them_missing(self, seed, desk):
        copy = ninjs([picture("featureimage", "smoke.jpg")])
        response = desk.generic("POST", WIRE, copy, content_type="application/json")
        assert response.status_code == status.HTTP_201_CREATED
        assert response.json()["pictures"][0]["outcome"] == "missing"

    def test_copy_without_pictures_has_an_empty_list(self, seed, desk):
        response = send(desk, b"By Trend\n\nGanja was shelled.", name="copy.txt")
        assert response.status_code == status.HTTP_201_CREATED
        assert response.json()["pictures"] == []

    @pytest.mark.parametrize(
        ("body", "field"),
        [
            ({}, "copy"),
            ({"pictures": [named(b"x", "a.jpg")]}, "copy"),
            ({"copy": "not a file"}, "copy"),
        ],
    )
    def test_a_form_without_copy_is_a_400(self, seed, desk, body, field):
        response = desk.post(WIRE, body, format="multipart")
        assert response.status_code == status.HTTP_400_BAD_REQUEST
        assert field in response.json()["error"]["fields"]

    def test_bad_copy_in_a_form_is_a_400_with_the_reason(self, seed, desk):
        response = send(desk, b"", ("smoke.jpg", photo((100, 100))))
        assert response.status_code == status.HTTP_400_BAD_REQUEST
        assert "empty" in response.json()["error"]["message"]
        assert not Image.objects.exists()

    def test_too_many_pictures_is_a_400(self, seed, desk):
        many = [(f"{n}.jpg", b"x") for n in range(wire.MAX_PICTURES + 1)]
        response = send(desk, ninjs([]), *many)
        assert response.status_code == status.HTTP_400_BAD_REQUEST
        assert "pictures" in response.json()["error"]["fields"]

    def test_a_huge_form_is_a_413_before_it_is_read(self, seed, desk, settings):
        settings.IMAGE_MAX_BYTES = 1_000
        response = desk.generic(
            "POST",
            WIRE,
            b"not read",
            content_type="multipart/form-data; boundary=x",
            CONTENT_LENGTH=str(wire.MAX_WIRE_BYTES + 100_000),
        )
        assert response.status_code == status.HTTP_413_REQUEST_ENTITY_TOO_LARGE

    def test_a_reader_may_not_send_copy(self, seed):
        reader = UserFactory(password=PASSWORD)
        response = send(api(reader), ninjs([]))
        assert response.status_code == status.HTTP_403_FORBIDDEN
