"""The picture record and its renditions (articles/pictures.py, articles/imaging.py):
what an upload stores, what it reads from the file, what readers get, what it refuses."""

import io
import threading

import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.db import connection
from PIL import Image as PILImage

from articles import editorial, imaging, pictures
from articles.models import Image, Rendition, Status
from tests.factories import ArticleFactory, ImageFactory, PlaceFactory, SourceFactory
from tests.pictures import (
    ARTIST,
    BODY_SERIAL,
    COPYRIGHT,
    EXIF_IFD,
    GPS_IFD,
    photo,
    upload,
    xmp_packet,
)


def opened(rendition):
    with default_storage.open(rendition.file.name, "rb") as file:
        return PILImage.open(io.BytesIO(file.read()))


class TestUpload:
    def test_a_picture_is_stored_by_its_hash_with_every_rendition(self, db):
        data = photo((3000, 2000))

        image, new = pictures.upload(data, by=None, name="../../etc/passwd.jpg")

        assert new
        assert image.content_hash == imaging.sha256(data)
        assert image.file.name == f"originals/{image.content_hash[:2]}/{image.content_hash}.jpeg"
        assert image.original_name == "passwd.jpg"
        assert (image.format, image.width, image.height, image.byte_size) == (
            "jpeg",
            3000,
            2000,
            len(data),
        )
        made = {(r.spec, r.format): (r.width, r.height) for r in image.renditions.all()}
        assert made[("w2048", "avif")] == (2048, 1365)
        assert made[("w320", "jpeg")] == (320, 213)
        assert made[("16x9-1200", "webp")] == (1200, 675)
        assert made[("4x3-1200", "jpeg")] == (1200, 900)
        assert made[("1x1-1200", "avif")] == (1200, 1200)
        assert made[("social", "jpeg")] == (1200, 630)
        assert len(made) == 5 * 3 + 9 * 3 + 1
        for rendition in image.renditions.all():
            assert opened(rendition).size == (rendition.width, rendition.height)
            assert opened(rendition).format.lower() == rendition.format

    def test_a_rendition_is_never_wider_than_the_picture(self, db):
        image = upload(photo((500, 400)))

        widths = sorted({r.width for r in image.renditions.filter(spec__startswith="w")})
        assert widths == [320, 500]
        assert image.renditions.get(spec="16x9-1200", format="jpeg").width == 500

    def test_the_same_file_twice_is_one_image(self, db):
        data = photo()
        first, _ = pictures.upload(data, by=None)

        again, new = pictures.upload(data, by=None, caption="A second caption")

        assert (again.pk, new) == (first.pk, False)
        assert Image.objects.count() == 1
        assert again.caption == first.caption

    @pytest.mark.django_db(transaction=True)
    def test_the_same_file_at_the_same_moment_is_one_image(self):
        if connection.vendor == "sqlite":
            pytest.skip("SQLite serialises writers: the race cannot happen there")
        data = photo((800, 600))
        results, errors = [], []

        def send():
            try:
                results.append(pictures.upload(data, by=None)[0].pk)
            except Exception as error:  # noqa: BLE001 - the test reports it
                errors.append(error)
            finally:
                connection.close()

        threads = [threading.Thread(target=send) for _ in range(3)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()

        assert errors == []
        assert len(set(results)) == 1 and Image.objects.count() == 1


class TestMetadata:
    def test_iptc_is_read_into_the_description(self, db):
        source = SourceFactory(name="Trend")
        place = PlaceFactory(name="Baku")
        iptc = {
            (2, 120): "Residents gather in the square.",
            (2, 80): "Jane Doe",
            (2, 110): "Trend",
            (2, 116): "© Trend 2026",
            (2, 55): "20261130",
            (2, 60): "101500+0400",
            (2, 90): "Baku",
            (2, 101): "Azerbaijan",
        }

        image = upload(photo(iptc=iptc))

        assert image.caption == "Residents gather in the square."
        assert (image.credit, image.copyright) == ("Jane Doe", "© Trend 2026")
        assert (image.source, image.place) == (source, place)
        assert image.taken_at.isoformat().startswith("2026-11-30T10:15:00")
        assert image.metadata["country"] == "Azerbaijan"

    def test_xmp_is_read_when_there_is_no_iptc(self, db):
        xmp = xmp_packet(
            description="Flooded road near Ganja", creator="Ali Aliyev", rights="CC BY 4.0"
        )

        image = upload(photo(xmp=xmp))

        assert (image.caption, image.credit, image.copyright) == (
            "Flooded road near Ganja",
            "Ali Aliyev",
            "CC BY 4.0",
        )

    def test_what_the_desk_gives_wins_over_the_file(self, db):
        image = upload(photo(iptc={(2, 120): "From the file"}), caption="From the desk")

        assert image.caption == "From the desk"
        assert image.metadata["caption"] == "From the file"

    def test_an_exif_rotated_photo_is_stored_upright(self, db):
        image = upload(photo((1200, 800), orientation=6))

        assert (image.width, image.height) == (800, 1200)
        assert image.renditions.get(spec="w640", format="jpeg").height == 960


class TestNothingPrivateLeaks:
    def test_renditions_carry_no_gps_or_serial_only_the_credit_lines(self, db):
        data = photo(gps=True, exif={ARTIST: "Jane Doe", COPYRIGHT: "Agency"})
        assert PILImage.open(io.BytesIO(data)).getexif().get_ifd(GPS_IFD)  # the file has GPS

        image = upload(data, copyright="© Agency")

        assert image.metadata["has_gps"] is True
        for rendition in image.renditions.all():
            exif = opened(rendition).getexif()
            assert not exif.get_ifd(GPS_IFD), rendition
            assert BODY_SERIAL not in exif.get_ifd(EXIF_IFD), rendition
            assert set(exif) <= {ARTIST, COPYRIGHT}, (rendition, dict(exif))
            assert exif.get(COPYRIGHT) == "(c) Agency"  # EXIF is ASCII
            assert imaging.read_metadata(opened(rendition))["copyright"] == "© Agency"  # XMP

    def test_renditions_keep_nothing_when_the_newsroom_keeps_nothing(self, db, settings):
        settings.IMAGE_KEPT_METADATA = []

        image = upload(photo(exif={ARTIST: "Jane Doe", COPYRIGHT: "© Agency"}))

        for rendition in image.renditions.all():
            assert not opened(rendition).getexif(), rendition
            assert "xmp" not in opened(rendition).info, rendition


class TestFocalPoint:
    def test_crops_follow_the_focal_point_and_widths_do_not_change(self, db):
        image = upload(photo((2400, 800)))
        before = {(r.spec, r.format): r.file.name for r in image.renditions.all()}

        pictures.set_focal_point(image, 0.9, 0.5, by=None)

        after = {(r.spec, r.format): r.file.name for r in image.renditions.all()}
        assert (image.focal_x, image.focal_y) == (0.9, 0.5)
        assert after[("w640", "jpeg")] == before[("w640", "jpeg")]
        assert after[("1x1-400", "jpeg")] != before[("1x1-400", "jpeg")]
        assert not default_storage.exists(before[("1x1-400", "jpeg")])
        assert default_storage.exists(after[("1x1-400", "jpeg")])

    @pytest.mark.parametrize("point", [(-0.1, 0.5), (0.5, 1.5), ("left", 0.5)])
    def test_a_focal_point_outside_the_picture_is_refused(self, db, point):
        image = upload()

        with pytest.raises(ValueError):
            pictures.set_focal_point(image, *point, by=None)


class TestRefused:
    def test_nothing_is_stored_for_a_refused_file(self, db, media_root):
        with pytest.raises(pictures.Refused):
            pictures.upload(photo()[:2000], by=None)

        assert not Image.objects.exists() and not Rendition.objects.exists()
        assert not any(path.is_file() for path in media_root.rglob("*"))

    @pytest.mark.parametrize("step", ["encode", "store"])
    def test_a_failure_while_rendering_stores_nothing(self, db, media_root, monkeypatch, step):
        # Either an encoder failing (in the pool of threads) or the storage filling up,
        # after some renditions are already stored.
        target, name = (imaging, "encode") if step == "encode" else (default_storage, "save")
        real = getattr(target, name)
        calls = []

        def fail(*args, **kwargs):
            calls.append(1)
            if len(calls) > 3:
                raise RuntimeError("disk full")
            return real(*args, **kwargs)

        monkeypatch.setattr(target, name, fail)

        with pytest.raises(RuntimeError):
            pictures.upload(photo(), by=None)

        assert len(calls) > 3
        assert not Image.objects.exists() and not Rendition.objects.exists()
        assert not any(path.is_file() for path in media_root.rglob("*"))


class TestPublishing:
    def test_a_story_showing_a_picture_without_alt_text_cannot_be_published(self, editor):
        picture = ImageFactory(alt_text="")
        article = ArticleFactory(lead_image=picture)

        with pytest.raises(ValidationError) as refused:
            editorial.publish(article, by=editor)

        assert "no alt text" in str(refused.value.message_dict["lead_image"])
        article.refresh_from_db()
        assert article.status == Status.DRAFT

    def test_a_body_picture_without_alt_text_is_named_too(self, editor):
        picture = ImageFactory(alt_text="")
        article = ArticleFactory(body=f'<p>Text.</p><figure data-image="{picture.pk}"></figure>')

        with pytest.raises(ValidationError) as refused:
            editorial.publish(article, by=editor)

        assert f"Picture {picture.pk} has no alt text" in str(refused.value.message_dict["body"])

    def test_described_pictures_publish_and_count_their_stories(self, editor):
        lead, inline = ImageFactory(), ImageFactory()
        article = ArticleFactory(body=f'<p>Text.</p><figure data-image="{inline.pk}"></figure>')

        editorial.edit(
            article, by=editor, expected_version=article.version, changes={"lead_image": lead}
        )
        editorial.publish(article, by=editor)

        counts = dict(Image.objects.with_use().values_list("pk", "use_count"))
        assert counts == {lead.pk: 1, inline.pk: 1}
        assert set(Image.objects.shown_by(type(article).objects.public())) == {lead, inline}


class TestRenderSet:
    def test_the_set_made_on_every_core_is_the_set_made_one_by_one(self):
        # Encoders are deterministic: any difference is threads sharing what they must not.
        picture = imaging.open_picture(
            photo((1200, 800), gps=True), max_bytes=10**8, max_pixels=10**8
        )
        options = {"focal": (0.3, 0.6), "credit": "Jane Doe", "copyright": "© Agency"}

        made = imaging.render_set(picture, **options)

        expected = [
            (spec.name, fmt, imaging.render(picture, spec, fmt, **options))
            for spec, formats in imaging.specs_for(picture.image.width)
            for fmt in formats
        ]
        assert [(r.spec.name, r.format, (r.data, r.width, r.height)) for r in made] == expected
