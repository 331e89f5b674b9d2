"""Picture files for the tests, made here with Pillow: no photograph is shipped.

``photo`` draws a picture with shapes (so encoders have detail to work on) and can
carry what agencies' files carry: EXIF (with GPS and a camera serial), XMP and IPTC.
"""

import io
import struct
from contextlib import contextmanager

import pytest
from PIL import Image, ImageDraw

from articles import imaging, pictures

GPS_IFD, EXIF_IFD = 0x8825, 0x8769
ARTIST, COPYRIGHT, ORIENTATION, MAKE, MODEL = 0x013B, 0x8298, 0x0112, 0x010F, 0x0110
BODY_SERIAL, DATE_ORIGINAL = 0xA431, 0x9003

# Renditions of the tests' standard pictures (the seed's, ``photo``'s), made once per test
# run: about a hundred and fifty tests load the seed, and a picture's set is the same every
# time (same bytes, same description).
_RENDITIONS = {}


def photo(
    size=(1200, 800),
    format="JPEG",
    *,
    colour=(30, 90, 160),
    exif=None,
    gps=False,
    orientation=None,
    xmp=None,
    iptc=None,
    mode="RGB",
):
    """The bytes of a picture file of ``size``; ``colour`` makes one differ from another."""
    image = Image.new(mode, size, colour if mode != "RGBA" else (*colour, 200))
    draw = ImageDraw.Draw(image)
    width, height = size
    for step in range(0, width, max(1, width // 24)):
        draw.line((step, 0, width - step, height), fill=(step % 256, 200, 80), width=3)
    draw.ellipse((width // 3, height // 3, width // 2, height // 2), fill=(240, 200, 40))
    tags = Image.Exif()
    for tag, value in (exif or {}).items():
        tags[tag] = value
    if orientation:
        tags[ORIENTATION] = orientation
    if gps:
        ifd = tags.get_ifd(GPS_IFD)
        ifd.update({1: "N", 2: (40.0, 22.0, 30.0), 3: "E", 4: (49.0, 52.0, 10.0)})
        tags.get_ifd(EXIF_IFD)[BODY_SERIAL] = "SERIAL-0042"
        tags[MAKE], tags[MODEL] = "Camera Maker", "Model X"
    options = {}
    if len(tags) or gps:
        options["exif"] = tags.tobytes()
    if xmp is not None:
        options["xmp"] = xmp.encode() if isinstance(xmp, str) else xmp
    buffer = io.BytesIO()
    image.save(buffer, format, **options)
    data = buffer.getvalue()
    return with_iptc(data, iptc) if iptc else data


def with_iptc(jpeg, datasets):
    """``jpeg`` with an APP13 (Photoshop) segment holding IPTC IIM ``datasets``:
    {(record, dataset): text}, as agencies' picture desks write them."""
    iim = b"".join(
        struct.pack(">BBBH", 0x1C, record, number, len(value.encode())) + value.encode()
        for (record, number), value in datasets.items()
    )
    if len(iim) % 2:
        iim += b"\x00"
    resource = b"8BIM" + struct.pack(">H", 0x0404) + b"\x00\x00" + struct.pack(">I", len(iim))
    payload = b"Photoshop 3.0\x00" + resource + iim
    segment = b"\xff\xed" + struct.pack(">H", len(payload) + 2) + payload
    return jpeg[:2] + segment + jpeg[2:]


def xmp_packet(**fields):
    """An XMP packet with Dublin Core and Photoshop fields: description, creator,
    rights, Credit, City, Country, DateCreated."""
    dc = {"description", "creator", "rights"}
    parts = []
    for name, value in fields.items():
        if name in dc:
            container = "rdf:Seq" if name == "creator" else "rdf:Alt"
            parts.append(
                f"<dc:{name}><{container}><rdf:li>{value}</rdf:li></{container}></dc:{name}>"
            )
        else:
            parts.append(f"<photoshop:{name}>{value}</photoshop:{name}>")
    return (
        '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF '
        'xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
        '<rdf:Description xmlns:dc="http://purl.org/dc/elements/1.1/" '
        'xmlns:photoshop="http://ns.adobe.com/photoshop/1.0/">'
        + "".join(parts)
        + "</rdf:Description></rdf:RDF></x:xmpmeta>"
    )


def upload(data=None, *, by=None, **description):
    """A real library image: stored, described, rendered."""
    image, _ = pictures.upload(data or photo(), by=by, name="photo.jpg", **description)
    return image


@contextmanager
def renditions_remembered():
    """Uploads inside encode each picture's renditions once per test run, not each time.

    Only the encoding is remembered: files are stored and rows written for real.
    """
    render_set = imaging.render_set

    def remembered(picture, **options):
        key = (picture.content_hash, tuple(sorted(options.items())))
        if key not in _RENDITIONS:
            _RENDITIONS[key] = render_set(picture, **options)
        return _RENDITIONS[key]

    with pytest.MonkeyPatch.context() as patched:
        patched.setattr(imaging, "render_set", remembered)
        yield
