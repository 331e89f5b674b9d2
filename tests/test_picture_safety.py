"""Hostile and odd files through the one way a picture comes in (``pictures.upload``) and
the one way a reader fetches one (the media view at /media/): what is refused, with the
reason and nothing stored; what is accepted, with nothing of the file's second life in
what readers are served."""

import gzip
import io
import struct
import zlib

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image as PILImage
from PIL import ImageCms, ImageFile

from articles import pictures
from articles.models import Image, Rendition
from tests.pictures import BODY_SERIAL, EXIF_IFD, GPS_IFD, photo

pytestmark = pytest.mark.django_db

SCRIPT = b"<html><body><script>alert(document.cookie)</script></body></html>"
ACCEPTED = ["JPEG", "PNG", "WEBP", "AVIF", "GIF"]
CONTENT_TYPES = {"avif": "image/avif", "webp": "image/webp", "jpeg": "image/jpeg"}


def stored_files(root):
    return sorted(path for path in root.rglob("*") if path.is_file())


def refused(data, media_root, *words):
    """Upload ``data``: it must be refused with a reason naming ``words``, storing nothing."""
    with pytest.raises(pictures.Refused) as refusal:
        pictures.upload(data, by=None, name="photo.jpg")
    message = str(refusal.value)
    for word in words:
        assert word.lower() in message.lower(), message
    assert not Image.objects.exists()
    assert not Rendition.objects.exists()
    assert stored_files(media_root) == []
    return message


def rendition_bytes(image):
    for rendition in image.renditions.all():
        with default_storage.open(rendition.file.name, "rb") as file:
            yield rendition, file.read()


def png_chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png_claiming(width, height):
    """A PNG whose header promises ``width`` × ``height`` pixels, with almost no data."""
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + png_chunk(b"IHDR", header)
        + png_chunk(b"IDAT", zlib.compress(b"\x00" * 1024))
        + png_chunk(b"IEND", b"")
    )


def with_png_chunk(png, chunk):
    """``png`` with ``chunk`` right after its header (IHDR ends at byte 33)."""
    return png[:33] + chunk + png[33:]


def polyglot():
    """A valid JPEG that is also an HTML page: the script in a comment (COM) segment and
    again after the end of the image, where browsers sniffing for HTML would find it."""
    jpeg = photo((400, 300))
    comment = b"\xff\xfe" + struct.pack(">H", len(SCRIPT) + 2) + SCRIPT
    return jpeg[:2] + comment + jpeg[2:] + SCRIPT


@pytest.fixture
def no_decoding(monkeypatch):
    """Any attempt to decode pixels fails the test: a bomb is refused from its header."""

    def load(self):
        raise AssertionError("the picture was decoded")

    monkeypatch.setattr(ImageFile.ImageFile, "load", load)


class TestPolyglot:
    def test_it_is_accepted_as_a_jpeg_and_no_rendition_carries_the_script(self, media_root):
        image, _ = pictures.upload(polyglot(), by=None, name="page.html")

        assert image.format == "jpeg"
        assert image.renditions.count() > 0
        for rendition, data in rendition_bytes(image):
            assert SCRIPT not in data, rendition.file.name
            assert b"<script" not in data.lower(), rendition.file.name

    def test_readers_get_it_as_a_picture_never_as_html(self, client):
        image, _ = pictures.upload(polyglot(), by=None, name="page.html")

        for rendition in image.renditions.all():
            response = client.get(rendition.url)
            assert response.status_code == 200
            assert response["Content-Type"] == CONTENT_TYPES[rendition.format]
            assert response["X-Content-Type-Options"] == "nosniff"
            assert b"<script" not in b"".join(response.streaming_content).lower()


class TestPixelBombs:
    @pytest.mark.parametrize("size", [(50_000, 50_000), (12_000, 12_000)])
    def test_a_png_promising_too_many_pixels_is_refused_from_its_header(
        self, media_root, no_decoding, size
    ):
        refused(png_claiming(*size), media_root, "pixels", "limit is 100,000,000")

    def test_a_gif_promising_too_many_pixels_is_refused_from_its_header(
        self, media_root, no_decoding
    ):
        gif = bytearray(photo((10, 10), "GIF"))
        gif[6:10] = struct.pack("<HH", 50_000, 50_000)  # the logical screen

        refused(bytes(gif), media_root, "pixels")

    def test_a_small_gif_with_a_huge_frame_is_refused(self, media_root, no_decoding):
        gif = bytearray(photo((10, 10), "GIF"))
        frame = gif.index(b"\x2c", 13)  # the image descriptor: left, top, width, height
        gif[frame + 5 : frame + 9] = struct.pack("<HH", 12_000, 12_000)

        refused(bytes(gif), media_root, "pixels")

    def test_the_newsroom_limit_is_the_one_applied_not_pillows(self, monkeypatch, settings):
        # Pillow's own guard warns at its limit and refuses at twice it: neither stands in
        # for IMAGE_MAX_PIXELS, in either direction.
        monkeypatch.setattr(PILImage, "MAX_IMAGE_PIXELS", 10_000)
        image, _ = pictures.upload(photo((160, 100)), by=None)  # 16,000 pixels
        assert image.width == 160

        settings.IMAGE_MAX_PIXELS = 1_000
        with pytest.raises(pictures.Refused, match="limit is 1,000 pixels"):
            pictures.upload(photo((40, 30)), by=None)


class TestDamagedFiles:
    @pytest.mark.parametrize("keep", [0.9, 0.5, 0.1])
    def test_a_truncated_jpeg_is_refused(self, media_root, keep):
        data = photo((400, 300))

        refused(data[: int(len(data) * keep)], media_root, "damaged or cut short")

    def test_a_jpeg_with_garbage_in_its_pixels_is_refused_or_decoded_never_a_crash(self):
        data = bytearray(photo((400, 300)))
        data[len(data) // 2 : len(data) // 2 + 200] = b"\xff\x00" * 100
        try:
            image, _ = pictures.upload(bytes(data), by=None)
        except pictures.Refused as refusal:
            assert "damaged" in str(refusal)
        else:
            assert image.renditions.exists()

    @pytest.mark.parametrize("kind", ["zTXt", "iTXt", "many"])
    def test_png_text_chunks_expanding_past_the_limit_are_refused(self, media_root, kind):
        two_megabytes = zlib.compress(b"A" * 2 * 2**20)
        chunks = {
            "zTXt": png_chunk(b"zTXt", b"Comment\x00\x00" + two_megabytes),
            "iTXt": png_chunk(b"iTXt", b"Comment\x00\x01\x00\x00\x00" + two_megabytes),
            # Each under a chunk's limit, together past the memory all text may take.
            "many": png_chunk(b"zTXt", b"Comment\x00\x00" + zlib.compress(b"A" * 10**6)) * 70,
        }
        data = with_png_chunk(photo((400, 300), "PNG"), chunks[kind])

        refused(data, media_root, "more text than a picture may")

    def test_a_large_text_chunk_within_the_limit_reaches_no_rendition(self):
        note = b"SECRET-NOTE " * 40_000  # 480 KB of text, compressed
        data = with_png_chunk(
            photo((400, 300), "PNG"), png_chunk(b"zTXt", b"Comment\x00\x00" + zlib.compress(note))
        )

        image, _ = pictures.upload(data, by=None)

        for rendition, stored in rendition_bytes(image):
            assert b"SECRET-NOTE" not in stored, rendition.file.name


class TestRefusedKinds:
    SVG = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'

    @pytest.mark.parametrize(
        "data",
        [
            SVG,
            b'<?xml version="1.0" encoding="UTF-8"?>\n' + SVG,
            b"\xef\xbb\xbf<?xml version='1.0'?>" + SVG,
            b'<!-- drawn by hand -->\n<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN">' + SVG,
            gzip.compress(SVG),
            gzip.compress(b'<?xml version="1.0"?>' + SVG),
        ],
        ids=["plain", "prolog", "bom", "doctype", "svgz", "svgz-prolog"],
    )
    def test_svg_is_refused_saying_why(self, media_root, data):
        refused(data, media_root, "SVG is not accepted", "script")

    def test_html_named_jpg_is_refused(self, media_root):
        refused(b"<!doctype html>" + SCRIPT, media_root, "not a picture")

    @pytest.mark.parametrize("kind", ["BMP", "TIFF", "ICO", "PPM"])
    def test_other_picture_formats_are_refused_by_name(self, media_root, kind):
        buffer = io.BytesIO()
        PILImage.new("RGB", (64, 48), "teal").save(buffer, kind)

        refused(buffer.getvalue(), media_root, f"{kind} files are not accepted", "JPEG, PNG")

    def test_pdf_is_refused(self, media_root):
        buffer = io.BytesIO()
        PILImage.new("RGB", (64, 48), "teal").save(buffer, "PDF")

        refused(buffer.getvalue(), media_root, "not a picture", "JPEG, PNG, WebP, AVIF or GIF")

    @pytest.mark.parametrize("data", [b"", b"\xff", b"\x00" * 4096, b"GIF89a"])
    def test_empty_and_meaningless_files_are_refused(self, media_root, data):
        refused(data, media_root)


class TestAcceptedKinds:
    @pytest.mark.parametrize("kind", ACCEPTED)
    def test_each_accepted_format_is_stored_with_every_rendition(self, kind):
        image, created = pictures.upload(photo((400, 300), kind), by=None)

        assert created
        assert image.format == kind.lower()
        assert (image.width, image.height) == (400, 300)
        for rendition, data in rendition_bytes(image):
            opened = PILImage.open(io.BytesIO(data))
            assert opened.format.lower() == rendition.format
            assert opened.size == (rendition.width, rendition.height)

    def test_an_animated_gif_becomes_a_still_of_its_first_frame(self):
        frames = [PILImage.new("RGB", (120, 90), colour) for colour in ("red", "blue", "lime")]
        buffer = io.BytesIO()
        frames[0].save(buffer, "GIF", save_all=True, append_images=frames[1:], duration=100)

        image, _ = pictures.upload(buffer.getvalue(), by=None)

        for rendition, data in rendition_bytes(image):
            opened = PILImage.open(io.BytesIO(data))
            assert getattr(opened, "n_frames", 1) == 1, rendition.file.name
            red, green, blue = opened.convert("RGB").getpixel((5, 5))
            assert red > 200 and green < 60 and blue < 60, rendition.file.name

    def test_a_transparent_gif_keeps_its_transparency_where_the_format_can(self):
        still = PILImage.new("P", (120, 90), 0)
        still.putpalette([255, 255, 255, 200, 30, 30] + [0] * 762)
        still.paste(1, (60, 0, 120, 90))
        buffer = io.BytesIO()
        still.save(buffer, "GIF", transparency=0)

        image, _ = pictures.upload(buffer.getvalue(), by=None)

        webp = image.renditions.get(spec="w120", format="webp")  # its own width
        with default_storage.open(webp.file.name, "rb") as file:
            opened = PILImage.open(io.BytesIO(file.read())).convert("RGBA")
        assert opened.getpixel((5, 5))[3] == 0  # transparent
        assert opened.getpixel((webp.width - 5, 5))[3] == 255  # the red half

    def test_a_colour_profile_is_applied_and_not_carried(self):
        srgb = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
        buffer = io.BytesIO()
        PILImage.open(io.BytesIO(photo((400, 300)))).save(buffer, "JPEG", icc_profile=srgb)

        image, _ = pictures.upload(buffer.getvalue(), by=None)

        for rendition, data in rendition_bytes(image):
            assert "icc_profile" not in PILImage.open(io.BytesIO(data)).info, rendition.file.name

    def test_a_broken_colour_profile_is_ignored(self):
        buffer = io.BytesIO()
        PILImage.open(io.BytesIO(photo((400, 300)))).save(
            buffer, "JPEG", icc_profile=b"not a profile" * 20
        )

        image, _ = pictures.upload(buffer.getvalue(), by=None)

        assert image.renditions.exists()

    def test_a_cmyk_jpeg_is_served_in_rgb(self):
        buffer = io.BytesIO()
        PILImage.new("CMYK", (400, 300), (0, 255, 255, 0)).save(buffer, "JPEG")

        image, _ = pictures.upload(buffer.getvalue(), by=None)

        for rendition, data in rendition_bytes(image):
            assert PILImage.open(io.BytesIO(data)).mode in ("RGB", "RGBA"), rendition.format


class TestSizeLimit:
    def test_one_byte_over_the_limit_is_refused_and_the_exact_limit_accepted(
        self, media_root, settings
    ):
        data = photo((400, 300))
        settings.IMAGE_MAX_BYTES = len(data) - 1
        refused(data, media_root, f"the limit is {len(data) - 1:,}")

        settings.IMAGE_MAX_BYTES = len(data)
        image, created = pictures.upload(data, by=None)
        assert created and image.byte_size == len(data)

    def test_reading_an_upload_stops_at_the_limit(self, settings):
        data = photo((400, 300))
        settings.IMAGE_MAX_BYTES = len(data) - 1

        with pytest.raises(pictures.Refused, match="limit"):
            pictures.read(SimpleUploadedFile("photo.jpg", data))

        settings.IMAGE_MAX_BYTES = len(data)
        assert pictures.read(SimpleUploadedFile("photo.jpg", data)) == data

    def test_an_upload_that_lies_about_its_size_is_still_cut_at_the_limit(self, settings):
        upload = SimpleUploadedFile("photo.jpg", photo((400, 300)))
        settings.IMAGE_MAX_BYTES = upload.size - 1
        upload.size = 10  # a declared size is not believed

        with pytest.raises(pictures.Refused, match="over the limit"):
            pictures.read(upload)


class TestPrivateMetadata:
    @pytest.mark.parametrize("kind", ["JPEG", "PNG", "WEBP", "AVIF"])
    def test_no_rendition_of_any_format_carries_gps_or_the_camera_serial(self, kind):
        image, _ = pictures.upload(photo((400, 300), kind, gps=True), by=None)

        assert image.metadata["has_gps"], "the test file carries GPS"
        for rendition, data in rendition_bytes(image):
            opened = PILImage.open(io.BytesIO(data))
            exif = opened.getexif()
            assert not exif.get_ifd(GPS_IFD), rendition.file.name
            assert BODY_SERIAL not in exif.get_ifd(EXIF_IFD), rendition.file.name
            assert b"SERIAL-0042" not in data and b"Camera Maker" not in data
