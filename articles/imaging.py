"""Picture files with Pillow: what a file is, what it says about itself, and its renditions.

Pure: bytes in, bytes and facts out; storing them is ``articles/pictures.py``. A file is
recognised by its content, never by its name or declared type: Pillow opens and decodes
it whole, so a truncated or corrupt file is refused before anything is stored, and a file
whose header promises more pixels than the limit is refused before it is decoded (a
decompression bomb costs nothing). Renditions are re-encoded from pixels with no
metadata but the credit lines the newsroom keeps: no GPS, no camera serial, and nothing
of a polyglot's second life survives.
"""

import gzip
import hashlib
import io
import os
import re
import unicodedata
import warnings
import zlib
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime
from xml.sax.saxutils import escape

import defusedxml.ElementTree as SafeET
from PIL import (
    Image,
    ImageCms,
    ImageDraw,
    ImageFont,
    ImageOps,
    IptcImagePlugin,
    PngImagePlugin,
    UnidentifiedImageError,
)

FORMATS = {"JPEG": "jpeg", "PNG": "png", "WEBP": "webp", "AVIF": "avif", "GIF": "gif"}
ACCEPTED = "JPEG, PNG, WebP, AVIF or GIF"
# What readers are served, best first: browsers take the first they can show.
OUTPUT_FORMATS = ("avif", "webp", "jpeg")
# Widths of the picture as taken, for srcset; never wider than the original.
WIDTHS = (320, 640, 1024, 1600, 2048)
# The aspect ratios Google asks for (16:9, 4:3, 1:1), at teaser and full widths.
CROPS = {"16x9": (16, 9), "4x3": (4, 3), "1x1": (1, 1)}
CROP_WIDTHS = (400, 800, 1200)
SOCIAL = ("social", 1200, 630)  # Open Graph's large card; JPEG, which every scraper reads
LARGEST = max(WIDTHS)

ENCODER_OPTIONS = {
    "avif": {"format": "AVIF", "quality": 60, "speed": 8},
    "webp": {"format": "WEBP", "quality": 80, "method": 4},
    "jpeg": {"format": "JPEG", "quality": 82, "optimize": True, "progressive": True},
}
# EXIF tags: what a rendition may carry (the credit lines), and what the desk reads.
_ARTIST, _COPYRIGHT, _ORIENTATION = 0x013B, 0x8298, 0x0112
_DESCRIPTION, _MAKE, _MODEL = 0x010E, 0x010F, 0x0110
_EXIF_IFD, _GPS_IFD, _DATE_ORIGINAL, _BODY_SERIAL = 0x8769, 0x8825, 0x9003, 0xA431
_IPTC = {
    (2, 5): "title",
    (2, 55): "date",
    (2, 60): "time",
    (2, 80): "creator",
    (2, 90): "city",
    (2, 101): "country",
    (2, 110): "credit",
    (2, 115): "source",
    (2, 116): "copyright",
    (2, 120): "caption",
}
_XMP = {
    "{http://purl.org/dc/elements/1.1/}description": "caption",
    "{http://purl.org/dc/elements/1.1/}creator": "creator",
    "{http://purl.org/dc/elements/1.1/}rights": "copyright",
    "{http://purl.org/dc/elements/1.1/}title": "title",
    "{http://ns.adobe.com/photoshop/1.0/}Credit": "credit",
    "{http://ns.adobe.com/photoshop/1.0/}Source": "source",
    "{http://ns.adobe.com/photoshop/1.0/}DateCreated": "date",
    "{http://ns.adobe.com/photoshop/1.0/}City": "city",
    "{http://ns.adobe.com/photoshop/1.0/}Country": "country",
    "{http://iptc.org/std/Iptc4xmpCore/1.0/xmlns/}CountryName": "country",
}
_RDF_LI = "{http://www.w3.org/1999/02/22-rdf-syntax-ns#}li"
_SVG = re.compile(
    rb"^(?:\xef\xbb\xbf)?\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(?:!DOCTYPE\s+)?svg", re.I | re.S
)
_SRGB = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB"))


class Refused(ValueError):
    """A file that is not a picture the newsroom takes; the message says why."""


@dataclass
class Picture:
    """A decoded picture and what was read from its file."""

    image: Image.Image  # upright (EXIF orientation applied), at most LARGEST wide
    format: str  # jpeg, png, webp, avif, gif
    width: int  # of the original, upright
    height: int
    content_hash: str
    byte_size: int
    metadata: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Spec:
    name: str
    width: int
    ratio: tuple | None = None  # None: the picture's own
    height: int | None = None  # a fixed box (the social card)

    def size_for(self, width, height):
        """(width, height) of this rendition of a ``width`` × ``height`` picture."""
        if self.height:
            return self.width, self.height
        if self.ratio:
            across, down = self.ratio
            out = max(1, min(self.width, width, height * across // down))
            # A picture a pixel or two high still has a crop: never a side of nothing.
            return out, max(1, out * down // across)
        out = min(self.width, width)
        return out, max(1, round(height * out / width))


WIDTH_SPEC = re.compile(r"w[0-9]+")


def is_width(spec_name):
    """Whether ``spec_name`` is one of the picture's own widths ("w640"), not a crop."""
    return WIDTH_SPEC.fullmatch(spec_name) is not None


def specs_for(width):
    """The renditions of a picture ``width`` pixels wide, each with its formats."""
    # Widths above the picture's are not made: the largest is the picture's own.
    widths = sorted({min(w, width) for w in WIDTHS})
    specs = [(Spec(f"w{w}", w), OUTPUT_FORMATS) for w in widths]
    for name, ratio in CROPS.items():
        specs += [(Spec(f"{name}-{w}", w, ratio), OUTPUT_FORMATS) for w in CROP_WIDTHS]
    specs.append((Spec(SOCIAL[0], SOCIAL[1], height=SOCIAL[2]), ("jpeg",)))
    return specs


def sha256(data):
    return hashlib.sha256(data).hexdigest()


def open_picture(data, *, max_bytes, max_pixels):
    """``data`` decoded, or ``Refused`` with the reason."""
    if not data:
        raise Refused("The file is empty.")
    if len(data) > max_bytes:
        raise Refused(f"The file is {len(data):,} bytes; the limit is {max_bytes:,}.")
    if _is_svg(data):
        raise Refused(f"SVG is not accepted (it can carry script): send a {ACCEPTED} file.")
    try:
        with warnings.catch_warnings():
            # The newsroom's own limit (max_pixels) is checked below, from the header,
            # before any pixel is decoded; Pillow's warning would apply another one.
            # Its error (twice its limit) still stops a bomb inside Image.open.
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data))
            kind = FORMATS.get(image.format)
            if kind is None:
                raise Refused(f"{image.format} files are not accepted: send a {ACCEPTED} file.")
            width, height = image.size
            if width * height > max_pixels:
                raise Refused(
                    f"The picture is {width:,} × {height:,} pixels; "
                    f"the limit is {max_pixels:,} pixels."
                )
            metadata = read_metadata(image)
            if kind == "jpeg":
                # Decode at the largest size needed, not 24 megapixels: JPEG's DCT scaling.
                image.draft("RGB", (LARGEST, LARGEST))
            image.load()
    except Refused:
        raise
    except Image.DecompressionBombError as error:
        raise Refused(
            f"The picture has too many pixels; the limit is {max_pixels:,} pixels."
        ) from error
    except UnidentifiedImageError as error:
        raise Refused(f"This is not a picture: send a {ACCEPTED} file.") from error
    except ValueError as error:
        if "MAX_TEXT" in str(error):  # Pillow's guards on PNG text chunks that expand
            raise Refused(
                "The file carries more text than a picture may: PNG text chunks expanding "
                f"past {PngImagePlugin.MAX_TEXT_CHUNK:,} bytes each or "
                f"{PngImagePlugin.MAX_TEXT_MEMORY:,} in all."
            ) from error
        raise Refused(f"The file is damaged or cut short ({error}).") from error
    except (OSError, SyntaxError, EOFError, zlib.error) as error:
        raise Refused(f"The file is damaged or cut short ({error}).") from error
    upright = _in_srgb(_resamplable(ImageOps.exif_transpose(image)))
    if metadata.get("orientation", 1) in (5, 6, 7, 8):
        width, height = height, width
    # The pixels renditions are made from: no wider than the widest rendition.
    upright.thumbnail((LARGEST, LARGEST * 4), Image.Resampling.LANCZOS, reducing_gap=3.0)
    # Nothing of the file rides along into a rendition: Pillow writes a JPEG comment
    # (a polyglot's HTML) or an ICC profile it finds in ``info`` into what it saves.
    upright.info = {}
    return Picture(
        image=upright,
        format=kind,
        width=width,
        height=height,
        content_hash=sha256(data),
        byte_size=len(data),
        metadata=metadata,
    )


def read_metadata(image):
    """What the file says about itself: IPTC and XMP captions and credits, EXIF facts.

    Keys: caption, title, creator, credit, copyright, source, taken_at (ISO 8601),
    city, country, orientation, camera, has_gps. Missing ones are absent.
    """
    found = {}
    exif = image.getexif()
    for key, tag in (("caption", _DESCRIPTION), ("creator", _ARTIST), ("copyright", _COPYRIGHT)):
        if value := _text(exif.get(tag)):
            found[key] = value
    if orientation := exif.get(_ORIENTATION):
        found["orientation"] = int(orientation)
    if camera := " ".join(filter(None, (_text(exif.get(_MAKE)), _text(exif.get(_MODEL))))):
        found["camera"] = camera
    details = exif.get_ifd(_EXIF_IFD)
    if taken := _exif_time(details.get(_DATE_ORIGINAL)):
        found["taken_at"] = taken
    found["has_gps"] = bool(exif.get_ifd(_GPS_IFD))
    # XMP then IPTC: agencies write both; IPTC IIM is the older and the more often right.
    found.update(_xmp(image.info.get("xmp")))
    found.update(_iptc(image))
    if "date" in found:
        date = found.pop("date")
        found.setdefault("taken_at", _iptc_time(date, found.pop("time", "")) or date)
    found.pop("time", None)
    return found


def render(picture, spec, fmt, *, focal=(0.5, 0.5), credit="", copyright=""):
    """The rendition ``spec`` of ``picture`` in ``fmt``: (bytes, width, height).

    Cropped around ``focal`` (fractions of the width and height) for a ratio or a fixed
    box. The file carries no metadata but ``credit`` and ``copyright`` (EXIF Artist and
    Copyright).
    """
    out = _resized(picture.image, spec, focal)
    return encode(out, fmt, credit=credit, copyright=copyright), *out.size


@dataclass(frozen=True)
class Rendered:
    """One rendition's file, made and not yet stored."""

    spec: Spec
    format: str
    data: bytes
    width: int
    height: int


def render_set(picture, *, focal=(0.5, 0.5), credit="", copyright=""):
    """Every rendition of ``picture`` (``specs_for``), each spec in each of its formats.

    Each spec is resized once for all its formats, and the specs are made on every core:
    Pillow lets go of the GIL while it resamples and encodes, and an upload is the one
    moment the work is done (readers never wait on it). One thread makes all of a
    spec's files: ``Image.save`` keeps its options on the image, so two threads saving
    one image at once would each encode with the other's.
    """

    def one_spec(item):
        spec, formats = item
        image = _resized(picture.image, spec, focal)
        return [
            Rendered(spec, fmt, encode(image, fmt, credit=credit, copyright=copyright), *image.size)
            for fmt in formats
        ]

    with ThreadPoolExecutor(max_workers=os.process_cpu_count() or 1) as pool:
        return [
            made for spec in pool.map(one_spec, specs_for(picture.image.width)) for made in spec
        ]


def _resized(source, spec, focal):
    """``source`` cut to ``spec``'s shape around ``focal`` and resized to its size."""
    width, height = spec.size_for(*source.size)
    box = _crop_box(source.size, (width, height), focal)
    return source.resize((width, height), Image.Resampling.LANCZOS, box=box, reducing_gap=2.0)


def encode(image, fmt, *, credit="", copyright=""):
    """``image`` as a ``fmt`` file carrying only ``credit`` and ``copyright``: in XMP, as
    written, and in EXIF (Artist, Copyright), which holds ASCII only ("©" as "(c)")."""
    if fmt == "jpeg" or image.mode not in ("RGB", "RGBA"):
        image = _flatten(image) if fmt == "jpeg" else image.convert("RGBA")
    options = dict(ENCODER_OPTIONS[fmt])
    if credit or copyright:
        exif = Image.Exif()
        if credit:
            exif[_ARTIST] = _ascii(credit)
        if copyright:
            exif[_COPYRIGHT] = _ascii(copyright)
        options["exif"] = exif.tobytes()
        options["xmp"] = _credit_packet(credit, copyright)
    buffer = io.BytesIO()
    image.save(buffer, **options)
    return buffer.getvalue()


def share_card(headline, site_name, date_text):
    """A 1200 × 630 JPEG for a story without a picture: headline, site name and date."""
    width, height = SOCIAL[1], SOCIAL[2]
    card = Image.new("RGB", (width, height), "#f6f4ef")
    draw = ImageDraw.Draw(card)
    margin = 72
    draw.rectangle((0, 0, width, 14), fill="#1f3a5f")
    small = ImageFont.load_default(size=30)
    draw.text((margin, 70), site_name, font=small, fill="#1f3a5f")
    size, lines = _fit(draw, headline, width - 2 * margin, 330)
    font = ImageFont.load_default(size=size)
    y = 150
    for line in lines:
        draw.text((margin, y), line, font=font, fill="#111111")
        y += round(size * 1.2)
    draw.text((margin, height - 90), date_text, font=small, fill="#555555")
    return encode(card, "jpeg")


# ---------------------------------------------------------------------------------------


def _crop_box(size, target, focal):
    """The largest box of ``target``'s shape inside ``size``, centred on ``focal``."""
    src_w, src_h = size
    tw, th = target
    if src_w * th > src_h * tw:  # wider than the target: cut the sides
        box_w, box_h = src_h * tw / th, src_h
    else:
        box_w, box_h = src_w, src_w * th / tw
    fx, fy = focal
    left = min(max(fx * src_w - box_w / 2, 0), src_w - box_w)
    top = min(max(fy * src_h - box_h / 2, 0), src_h - box_h)
    return (left, top, left + box_w, top + box_h)


def _is_svg(data):
    """SVG, plain or gzip'd (svgz), with or without its XML prolog."""
    head = data[:4096]
    if head[:2] == b"\x1f\x8b":
        try:
            head = gzip.GzipFile(fileobj=io.BytesIO(data)).read(4096)
        except (OSError, EOFError, zlib.error):
            return False
    return bool(_SVG.match(head))


def _resamplable(image):
    """``image`` in a mode that resizes smoothly: a palette (GIF, PNG-8) or 16-bit
    picture would be resized pixel by pixel, and its transparency lives in ``info``."""
    if image.mode in ("RGB", "RGBA", "L", "LA", "CMYK") and "transparency" not in image.info:
        return image
    has_alpha = "transparency" in image.info or image.mode in ("PA", "RGBa", "La")
    return image.convert("RGBA" if has_alpha else "RGB")


def _in_srgb(image):
    """``image`` in sRGB, from the colour profile the file carries: browsers show an
    untagged picture as sRGB, and renditions carry no profile (it is file metadata)."""
    profile = image.info.get("icc_profile")
    if not profile or image.mode not in ("RGB", "RGBA", "CMYK"):
        return image
    try:
        source = ImageCms.ImageCmsProfile(io.BytesIO(profile))
        mode = "RGBA" if image.mode == "RGBA" else "RGB"
        return ImageCms.profileToProfile(image, source, _SRGB, outputMode=mode)
    except (ImageCms.PyCMSError, OSError, ValueError):
        # A broken profile is no profile: the pixels are taken as they are.
        return image


def _flatten(image):
    """RGB on white: JPEG has no transparency."""
    if image.mode in ("RGBA", "LA", "P", "PA"):
        image = image.convert("RGBA")
        background = Image.new("RGB", image.size, "white")
        background.paste(image, mask=image.getchannel("A"))
        return background
    return image.convert("RGB")


def _fit(draw, text, width, height):
    """The largest font size at which ``text`` fits the box, and its lines (the last
    cut short with an ellipsis when even the smallest size does not fit)."""
    for size in (72, 64, 56, 48, 42, 36):
        font = ImageFont.load_default(size=size)
        lines = _wrap(draw, text, font, width)
        if len(lines) * size * 1.2 <= height:
            return size, lines
    most = int(height // (size * 1.2))
    if len(lines) > most:
        lines = [*lines[: most - 1], lines[most - 1] + " …"]
    return size, lines


def _wrap(draw, text, font, width):
    lines, line = [], ""
    for word in text.split():
        candidate = f"{line} {word}".strip()
        if line and draw.textlength(candidate, font=font) > width:
            lines.append(line)
            line = word
        else:
            line = candidate
    return [*lines, line] if line else lines


def _ascii(text):
    text = text.replace("©", "(c)").replace("℗", "(p)").replace("®", "(r)")
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()


def _credit_packet(credit, copyright):
    fields = []
    if credit:
        fields.append(
            f"<dc:creator><rdf:Seq><rdf:li>{escape(credit)}</rdf:li></rdf:Seq></dc:creator>"
        )
    if copyright:
        fields.append(
            f'<dc:rights><rdf:Alt><rdf:li xml:lang="x-default">{escape(copyright)}</rdf:li>'
            "</rdf:Alt></dc:rights>"
        )
    return (
        '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF '
        'xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description '
        f'rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/">{"".join(fields)}'
        "</rdf:Description></rdf:RDF></x:xmpmeta>"
    ).encode()


def _text(value):
    if isinstance(value, bytes):
        value = value.decode("utf-8", "replace")
    if isinstance(value, str):
        return " ".join(value.replace("\x00", " ").split())
    return ""


def _exif_time(value):
    try:
        return datetime.strptime(_text(value), "%Y:%m:%d %H:%M:%S").isoformat()
    except ValueError:
        return None


def _iptc_time(date, time):
    try:
        day = datetime.strptime(date[:8], "%Y%m%d")
    except ValueError:
        return None
    if re.fullmatch(r"\d{6}([+-]\d{4})?", time or ""):
        moment = datetime.strptime(time[:6], "%H%M%S")
        day = day.replace(hour=moment.hour, minute=moment.minute, second=moment.second)
    return day.isoformat()


def _iptc(image):
    try:
        info = IptcImagePlugin.getiptcinfo(image) or {}
    except (SyntaxError, ValueError, IndexError, OSError):
        return {}
    found = {}
    for key, name in _IPTC.items():
        value = info.get(key)
        if isinstance(value, list):
            value = "; ".join(_text(part) for part in value)
        if value := _text(value):
            found[name] = value
    return found


def _xmp(packet):
    if not packet:
        return {}
    if isinstance(packet, str):
        packet = packet.encode("utf-8")
    try:
        root = SafeET.fromstring(packet.strip(b"\x00").strip())
    except Exception:  # noqa: BLE001 - a broken XMP packet is no metadata, not a refusal
        return {}
    found = {}
    for element in root.iter():
        name = _XMP.get(element.tag)
        if name is None:
            continue
        parts = [_text(li.text) for li in element.iter(_RDF_LI)] or [_text(element.text)]
        if value := "; ".join(part for part in parts if part):
            found.setdefault(name, value)
    # Attributes of rdf:Description hold the short ones (photoshop:City="Baku").
    for element in root.iter():
        for attribute, value in element.attrib.items():
            if (name := _XMP.get(attribute)) and (value := _text(value)):
                found.setdefault(name, value)
    return found
