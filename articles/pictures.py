"""What happens when a picture comes in or is changed: one function per action.

The admin, the API and the wire intake call these. A file is checked and decoded
(``imaging.open_picture``), stored once under its content hash through Django's
storage API (never under the name it was sent with), described from its own
metadata where the caller says nothing, and its renditions made there and then,
so no reader's request ever makes one. The same file sent twice is the image
already held. A refused file stores nothing.
"""

import contextlib
from datetime import datetime

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.utils import timezone

from articles import imaging
from articles.imaging import Refused
from articles.models import Image, Place, Rendition, Source

ADD_PERMISSION = "articles.add_image"
CHANGE_PERMISSION = "articles.change_image"
DELETE_PERMISSION = "articles.delete_image"
# What the desk may correct after upload; the rest is the file's.
DESCRIPTION_FIELDS = ("alt_text", "caption", "credit", "copyright", "source", "taken_at", "place")

__all__ = [
    *("Refused", "upload", "describe", "set_focal_point", "read", "regenerate", "delete"),
    *("share_card", "share_card_address"),
]


def read(file, *, limit=None):
    """The bytes of an uploaded file, refusing one over the limit without reading it all."""
    limit = settings.IMAGE_MAX_BYTES if limit is None else limit
    if getattr(file, "size", None) and file.size > limit:
        raise Refused(f"The file is {file.size:,} bytes; the limit is {limit:,}.")
    file.seek(0)
    data = file.read(limit + 1)
    if len(data) > limit:
        raise Refused(f"The file is over the limit of {limit:,} bytes.")
    return data


def upload(data, *, by, name="", **description):
    """The image of ``data`` (bytes), and whether it is new: stored, described, rendered.

    ``description`` sets fields (alt_text, caption, credit, copyright, source,
    taken_at, place); what is not given is taken from the file's IPTC, XMP or
    EXIF, as the desk would read it. An image already held is returned as it is:
    its description is the desk's, not the upload's.
    """
    if by is not None and not by.has_perm(ADD_PERMISSION):
        raise PermissionDenied("You may not add pictures.")
    picture = imaging.open_picture(
        data, max_bytes=settings.IMAGE_MAX_BYTES, max_pixels=settings.IMAGE_MAX_PIXELS
    )
    held = Image.objects.filter(content_hash=picture.content_hash).first()
    if held is not None:
        return held, False
    fields = {**_from_metadata(picture.metadata), **_given(description)}
    image = Image(
        content_hash=picture.content_hash,
        format=picture.format,
        width=picture.width,
        height=picture.height,
        byte_size=picture.byte_size,
        original_name=_display_name(name),
        metadata=picture.metadata,
        uploaded_by=by,
        **fields,
    )
    stored = []
    try:
        image.file.name = _store(f"originals/{_fanout(image)}.{picture.format}", data, stored)
        with transaction.atomic():
            image.save()
            _make_renditions(image, picture, stored)
    except IntegrityError:
        # The same file, uploaded at the same moment by someone else: theirs is the one.
        _discard(stored)
        return Image.objects.get(content_hash=picture.content_hash), False
    except BaseException:
        _discard(stored)
        raise
    return image, True


def describe(image, *, by, **changes):
    """Correct what the desk says about a picture; a focal point remakes its crops."""
    if by is not None and not by.has_perm(CHANGE_PERMISSION):
        raise PermissionDenied("You may not change pictures.")
    focal = (changes.pop("focal_x", image.focal_x), changes.pop("focal_y", image.focal_y))
    for field_name, value in changes.items():
        if field_name not in DESCRIPTION_FIELDS:
            raise ValueError(f"{field_name} is not part of a picture's description.")
        setattr(image, field_name, value)
    if focal != (image.focal_x, image.focal_y):
        return set_focal_point(image, *focal, by=by)
    image.full_clean()
    image.save()
    return image


def set_focal_point(image, x, y, *, by):
    """Move the focal point (fractions of width and height) and remake the renditions."""
    if by is not None and not by.has_perm(CHANGE_PERMISSION):
        raise PermissionDenied("You may not change pictures.")
    image.focal_x, image.focal_y = _fraction(x), _fraction(y)
    regenerate(image)
    return image


def regenerate(image):
    """Make every rendition of ``image`` again from its original (new settings, focus)."""
    with default_storage.open(image.file.name, "rb") as original:
        data = original.read()
    picture = imaging.open_picture(data, max_bytes=len(data), max_pixels=10**12)
    old = list(image.renditions.values_list("file", flat=True))
    stored = []
    try:
        with transaction.atomic():
            image.save()
            image.renditions.all().delete()
            _make_renditions(image, picture, stored)
    except BaseException:
        _discard(stored)
        raise
    # Content-hashed names: a file the new set still uses is kept.
    _discard(set(old) - set(stored))


def delete(image, *, by):
    """Delete a picture: the stories and entities showing it lose it (their links to it
    are set to nothing), and its files (original and renditions) go once the deletion is
    committed, so a deletion rolled back still has them."""
    if by is not None and not by.has_perm(DELETE_PERMISSION):
        raise PermissionDenied("You may not delete pictures.")
    names = [image.file.name, *image.renditions.values_list("file", flat=True)]
    with transaction.atomic():
        image.delete()
        transaction.on_commit(lambda: _discard(names))


def share_card(article, *, site_name):
    """Draw and store the share card of a story without a picture: (url, width, height).

    Named by what it shows, so it is drawn once per headline and date, and a
    changed headline gets a new address (caches keep the old one a year). Called
    when a story is saved and by the seed and render commands, never by a page.
    """
    name, date_text = _share_card_name(article, site_name)
    if not default_storage.exists(name):
        data = imaging.share_card(article.headline, site_name, date_text)
        _store(name, data, [])
    return share_card_address(article, site_name=site_name)


def share_card_address(article, *, site_name):
    """(url, width, height) of the story's share card, with no storage I/O: what a page
    names as its og:image (``share_card`` made it when the story was saved)."""
    name, _ = _share_card_name(article, site_name)
    _, width, height = imaging.SOCIAL
    return default_storage.url(name), width, height


def _share_card_name(article, site_name):
    when = timezone.localtime(article.published_at or article.created_at or timezone.now())
    date_text = f"{when.day} {when:%B %Y}"
    key = imaging.sha256(f"{article.headline}\n{site_name}\n{date_text}".encode())[:20]
    return f"cards/{key[:2]}/{key}.jpg", date_text


# ---------------------------------------------------------------------------------------


def _make_renditions(image, picture, stored):
    kept = settings.IMAGE_KEPT_METADATA
    credit = image.credit_line if "credit" in kept else ""
    copyright_line = image.copyright if "copyright" in kept else ""
    focal = (image.focal_x, image.focal_y)
    rows = []
    made = imaging.render_set(picture, focal=focal, credit=credit, copyright=copyright_line)
    for rendition in made:
        digest = imaging.sha256(rendition.data)[:12]
        ext = "jpg" if rendition.format == "jpeg" else rendition.format
        name = f"renditions/{_fanout(image)}/{rendition.spec.name}.{digest}.{ext}"
        rows.append(
            Rendition(
                image=image,
                spec=rendition.spec.name,
                format=rendition.format,
                width=rendition.width,
                height=rendition.height,
                byte_size=len(rendition.data),
                file=_store(name, rendition.data, stored),
            )
        )
    Rendition.objects.bulk_create(rows)


def _store(name, data, stored):
    """Save ``data`` at ``name`` (content-addressed: a file already there is the same)."""
    if not default_storage.exists(name):
        name = default_storage.save(name, ContentFile(data))
    stored.append(name)
    return name


def _discard(names):
    for name in names:
        with contextlib.suppress(OSError):
            default_storage.delete(name)


def _fanout(image):
    return f"{image.content_hash[:2]}/{image.content_hash}"


def _display_name(name):
    """The sent name as text to show (never a path): its last part, printable, short."""
    name = str(name or "").replace("\\", "/").rsplit("/", 1)[-1]
    return "".join(ch for ch in name if ch.isprintable())[:255]


def _fraction(value):
    value = float(value)
    if not 0 <= value <= 1:
        raise ValueError("A focal point is inside the picture: between 0 and 1.")
    return value


def _given(description):
    unknown = set(description) - set(DESCRIPTION_FIELDS)
    if unknown:
        raise ValueError(f"Not part of a picture's description: {', '.join(sorted(unknown))}.")
    return {name: value for name, value in description.items() if value not in (None, "")}


def _from_metadata(metadata):
    """The description as the file gives it: the desk sees it and may correct it."""
    fields = {
        "caption": metadata.get("caption", "")[:4000],
        "credit": (metadata.get("creator") or "")[:200],
        "copyright": (metadata.get("copyright") or "")[:300],
    }
    if agency := metadata.get("source") or metadata.get("credit"):
        fields["source"] = Source.objects.filter(name__iexact=agency[:200]).first()
    if city := metadata.get("city") or metadata.get("country"):
        fields["place"] = Place.objects.filter(name__iexact=city[:200]).first()
    if taken := metadata.get("taken_at"):
        try:
            moment = datetime.fromisoformat(taken)
        except ValueError:
            moment = None
        if moment is not None and timezone.is_naive(moment):
            moment = timezone.make_aware(moment)
        fields["taken_at"] = moment
    return {name: value for name, value in fields.items() if value not in (None, "")}
