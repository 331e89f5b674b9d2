"""The wire desk's intake: agency copy in, linked draft articles out.

``wire.py`` parses and fingerprints (pure); this module does the database work
around it: skip copy seen before, find the agency and the authors its byline
names, chain an agency's re-sent story to the article it updates, and hand the
story to the editorial service (``editorial.py``), which creates the draft or
revises it, links and records it like any other save. Each piece of copy is
taken in inside its own transaction, so a failure or a killed process never
leaves half an article behind.

Pictures the copy names (ninjs associations, NITF media) come from files that
arrived with it: beside the copy in an import folder (``FolderPictures``) or in
the same upload (``SentPictures``), never from the network. Each goes into the
library through the picture service (the same file twice is one image) before
the story's transaction, and a refused one is reported without losing the copy.
Their alt text stays empty: an editor describes them before the story can be
published.
"""

import dataclasses
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone

from articles import bodies, editorial, kinds, linking, pictures, wire
from articles.models import (
    Article,
    EditConflict,
    Place,
    Section,
    SectionRule,
    Source,
    SourceKind,
    Status,
    WireFingerprint,
    WireItem,
    WireOutcome,
)
from articles.models.section_rules import RULE_KINDS

# How many near-duplicate candidates a new copy is compared with; band keys are
# selective, so real candidates are a handful even in a large archive.
MAX_CANDIDATES = 50

DUPLICATE = "duplicate"
ADD_SOURCE_PERMISSION = "articles.add_source"


# What became of a picture the copy names.
STORED, HELD, REFUSED, MISSING = "stored", "held", "refused", "missing"


@dataclass(frozen=True)
class PictureResult:
    """One picture the copy named: its reference, the library image it is (if any), and
    what happened (stored new, already held, refused, missing) in words."""

    reference: str
    outcome: str
    message: str
    image: object = None  # an Image, for stored and held pictures
    is_lead: bool = False


@dataclass(frozen=True)
class IntakeResult:
    """What happened to one piece of copy, and to the pictures it named."""

    outcome: str  # a WireOutcome value (created, revised, pending) or "duplicate"
    article: Article
    wire_item: WireItem
    message: str
    pictures: tuple[PictureResult, ...] = ()

    @property
    def created(self):
        return self.outcome == WireOutcome.CREATED


class PictureUnavailable(Exception):
    """A picture's file is not among those that came with the copy; the message says why."""


def take_in(data, *, origin="", by=None, strict=False, files=None):
    """Turn one piece of agency copy (bytes or str) into a draft, an update or a skip.

    ``files`` finds the pictures the copy names (``FolderPictures``,
    ``SentPictures``); without it they are reported missing. A new draft gets
    them: the lead picture as its lead image, the others placed after its text.

    Raises ``wire.WireError`` with a readable reason for copy that cannot be
    taken in (empty, binary, not UTF-8, too large, no body, hostile XML, and
    with ``strict`` an unknown byline).
    """
    story = wire.parse(data)
    content_hash = wire.content_hash(story)
    if seen := _seen_before(content_hash):
        return seen
    taken = tuple(take_picture(picture, files, by=by) for picture in story.pictures)
    try:
        with transaction.atomic():
            result = _take_in_story(
                story, content_hash, origin=origin, by=by, strict=strict, taken=taken
            )
    except IntegrityError:
        # A concurrent intake of the same copy won the unique content hash.
        if seen := _seen_before(content_hash):
            return seen
        raise
    if not taken:
        return result
    _credit_agency(taken, result.article.source, by=by)
    message = "; ".join([result.message, *_picture_notes(result, taken)])
    return dataclasses.replace(result, pictures=taken, message=message)


def take_picture(picture, files, *, by):
    """One picture the copy names, into the library (a file held already is that image)."""
    try:
        if files is None:
            raise PictureUnavailable("no picture files came with this copy")
        name, data = files.read(picture.reference)
        description = {"caption": picture.caption[:4000], "credit": picture.credit[:200]}
        description["copyright"] = picture.copyright[:300]
        image, created = pictures.upload(data, by=by, name=name, **description)
    except PictureUnavailable as missing:
        return PictureResult(picture.reference, MISSING, str(missing), is_lead=picture.is_lead)
    except (pictures.Refused, PermissionDenied) as refusal:
        return PictureResult(picture.reference, REFUSED, str(refusal), is_lead=picture.is_lead)
    if created:
        return PictureResult(picture.reference, STORED, "stored", image, picture.is_lead)
    return PictureResult(
        picture.reference, HELD, "already in the library", image, is_lead=picture.is_lead
    )


def _credit_agency(taken, source, *, by):
    """Pictures new to the library that came with the copy are the copy's agency's, unless
    the file named another; a picture already held keeps what the desk says of it."""
    if source is None:
        return
    for picture in taken:
        if picture.outcome == STORED and picture.image.source_id is None:
            pictures.describe(picture.image, by=by, source=source)


def _picture_notes(result, taken):
    """What the desk should know about the copy's pictures, for the result's message."""
    usable = [picture for picture in taken if picture.image is not None]
    notes = []
    if usable:
        held = sum(picture.outcome == HELD for picture in usable)
        counted = f"{len(usable)} picture{'s' if len(usable) != 1 else ''}"
        notes.append(f"{counted} ({held} already in the library)" if held else counted)
        if result.outcome != WireOutcome.CREATED:
            notes.append("pictures kept in the library, not placed in the existing story")
    notes += [f"picture {p.reference} {p.outcome}: {p.message}" for p in taken if not p.image]
    bare = [picture for picture in usable if not picture.image.alt_text]
    if bare and result.outcome == WireOutcome.CREATED:
        notes.append(
            f"{len(bare)} picture{'s' if len(bare) != 1 else ''} without alt text: "
            "describe them before publishing"
        )
    return notes


class FolderPictures:
    """The picture files beside a copy file: a reference is resolved in the copy's
    folder and never outside it (no ``..``, no absolute path, no link out); an
    address is matched by its file name there, never fetched."""

    def __init__(self, copy_path, *, read=None):
        self.folder = Path(copy_path).resolve().parent
        self.read_paths = set() if read is None else read  # every file read, resolved

    def read(self, reference):
        relative = local_reference(reference)
        path = (self.folder / relative).resolve()
        if not path.is_relative_to(self.folder):
            raise PictureUnavailable("outside the copy's folder: not read")
        if not path.is_file():
            raise PictureUnavailable(f"no file {relative} beside the copy")
        limit = settings.IMAGE_MAX_BYTES
        if path.stat().st_size > limit:
            raise pictures.Refused(f"The file is over the limit of {limit:,} bytes.")
        self.read_paths.add(path)
        return path.name, path.read_bytes()


class SentPictures:
    """Picture files sent with the copy in one request, matched by file name."""

    def __init__(self, uploads):
        self.uploads = {PurePosixPath(upload.name or "").name: upload for upload in uploads}

    def read(self, reference):
        name = PurePosixPath(local_reference(reference)).name
        upload = self.uploads.get(name)
        if upload is None:
            raise PictureUnavailable(f"no file called {name} came with the copy")
        return name, pictures.read(upload)


def local_reference(reference):
    """Where to look for a reference's file, as a relative path: an address (http:,
    file:, anything with a scheme) by its file name alone, so nothing is fetched."""
    parts = urlsplit(reference)
    if parts.scheme or parts.netloc:
        name = PurePosixPath(unquote(parts.path)).name
        if not name:
            raise PictureUnavailable("an address with no file name")
        return name
    path = unquote(parts.path)
    if not path.strip() or "\x00" in path:
        raise PictureUnavailable("an empty reference")
    return path


# The first bytes of the picture files an import folder may hold beside the copy.
PICTURE_SIGNATURES = (b"\xff\xd8\xff", b"\x89PNG\r\n\x1a\n", b"GIF87a", b"GIF89a")


def is_picture_file(path):
    """Whether the file is a picture (by its first bytes, not its name): read with the
    copy that names it, not taken in as copy."""
    with Path(path).open("rb") as file:
        head = file.read(16)
    return (
        head.startswith(PICTURE_SIGNATURES)
        or (head[:4] == b"RIFF" and head[8:12] == b"WEBP")
        or (head[4:8] == b"ftyp" and head[8:12] in {b"avif", b"avis"})
    )


def _seen_before(content_hash):
    # Most copy is new: probe the unique index alone before loading anything.
    item_id = WireItem.objects.filter(content_hash=content_hash).values_list("pk", flat=True)
    if not item_id:
        return None
    item = WireItem.objects.select_related("article").get(pk=item_id[0])
    return IntakeResult(
        DUPLICATE,
        item.article,
        item,
        f"already received on {timezone.localtime(item.received_at):%d %b %Y %H:%M}"
        f" as “{item.article.headline}”",
    )


def _take_in_story(story, content_hash, *, origin, by, strict, taken=()):
    credits = credits_for(story, strict=strict, by=by)
    source_id = credits.source_id
    shingles = wire.shingles(story.body)
    # Only the same agency's copy can be an earlier take of a story, so the
    # agency is part of the key and a look-up is one index probe per band.
    keys = [f"{source_id}/{band}" for band in wire.minhash_bands(shingles)] if source_id else []
    earlier, similarity = _earlier_copy(story, source_id, shingles, keys)
    item = WireItem(
        source_id=source_id,
        format=story.format,
        agency_id=story.agency_id[:300],
        byline=story.byline[:200],
        headline=story.headline[:300],
        text=story.text,
        content_hash=content_hash,
        origin=origin[:500],
        sent_at=story.sent_at,
        received_by=by,
        similarity=similarity,
    )
    if earlier is None:
        result = _create_draft(story, item, credits=credits, by=by, taken=taken)
    else:
        result = _update_story(story, item, earlier, by=by)
    item.save()
    WireFingerprint.objects.bulk_create(
        [WireFingerprint(wire_item=item, key=key) for key in dict.fromkeys(keys)]
    )
    return result


@dataclass(frozen=True)
class Credits:
    """Who a piece of copy is credited to, in the newsroom's records."""

    source_id: int | None
    author_ids: tuple[int, ...]
    byline: str  # the credit text the story keeps; "" when the records say it all


def credits_for(story, *, strict=False, by=None):
    """The Source of the byline's agency and the Authors of its reporters, by name or alias.

    A reporter the newsroom knows is linked as an author; one it does not know
    stays in the byline as credit text and never becomes a source. A byline
    whose every name is a record (its reporters authors, its agency the source)
    is left blank, so the story's credit is made from the records and follows
    them ("By Jane Doe, Trend"); one naming an agency alone stays as sent.

    An unknown agency becomes a new Source marked for review, unless ``by`` may
    not add sources: then the story keeps its byline as credit text and no
    source. ``strict`` refuses copy from a sender the newsroom does not know: an
    unknown agency, or no known agency or author at all.
    """
    sources, authors = linking.gazetteer(), linking.bylines()
    agency = story.agency
    source_id = sources.resolve("source", agency) if agency else None
    if not agency and story.reported_by:
        # "…, Trend reports": the agency only when it is one the newsroom knows.
        source_id = sources.resolve("source", story.reported_by)
    author_ids, unknown = [], []
    for name in story.reporters:
        if (author_id := authors.resolve("author", name)) is not None:
            author_ids.append(author_id)
        elif source_id is None and (named := sources.resolve("source", name)) is not None:
            source_id = named  # "By Trend, Baku": the agency came first
        else:
            unknown.append(name)
    # A lone name taken for an agency by its shape may be an author's ("By Bahruz").
    lone = agency if source_id is None and agency and not story.reporters else None
    if lone and (author_id := authors.resolve("author", lone)) is not None:
        author_ids.append(author_id)
        agency = ""
    if source_id is None and agency:
        source_id = _unknown_agency(story, agency, strict=strict, by=by)
    elif source_id is None and not author_ids and strict:
        if not story.reporters:
            raise wire.WireError("no byline: cannot tell which agency sent it")
        raise wire.WireError(f"unknown byline “{story.byline}”: no source or author is called that")
    told_all = author_ids and not unknown and (source_id is not None or not agency)
    # A credit line's reporters nobody knows stay as its text ("Reporting by …").
    credit_text = story.byline or story.credit
    return Credits(
        source_id, tuple(dict.fromkeys(author_ids)), "" if told_all else credit_text[:200]
    )


def _unknown_agency(story, agency, *, strict, by):
    """A new Source for review named after an agency nobody knows, or None."""
    if strict:
        raise wire.WireError(f"unknown byline “{story.byline}”: no source is called that")
    if by is not None and not by.has_perm(ADD_SOURCE_PERMISSION):
        return None
    source, _ = Source.objects.get_or_create(
        name__iexact=agency[:200],
        defaults={"name": agency[:200], "kind": SourceKind.AGENCY, "needs_review": True},
    )
    return source.pk


def _earlier_copy(story, source_id, shingles, keys):
    """The copy this one updates, and how similar they are; (None, None) if it is new.

    Only copy from the same agency counts. The agency's own story id decides
    when both carry one; otherwise near-duplicate text does (see wire.py for the
    measure and its threshold).
    """
    if source_id is None:
        return None, None
    if story.agency_id:
        same_id = (
            WireItem.objects.filter(source_id=source_id, agency_id=story.agency_id)
            .select_related("article")
            .order_by("-received_at", "-id")
            .first()
        )
        if same_id is not None:
            return same_id, wire.similarity(shingles, wire.shingles(same_id.body_text))
    if not keys:
        return None, None
    # A plain index probe: DISTINCT with LIMIT tempts the planner into walking
    # another index over the whole table when its statistics are stale.
    matches = WireFingerprint.objects.filter(key__in=keys).values_list("wire_item_id", flat=True)
    candidate_ids = list(dict.fromkeys(matches.order_by()))[:MAX_CANDIDATES]
    best, best_score = None, 0.0
    for candidate in WireItem.objects.filter(pk__in=candidate_ids).select_related("article"):
        score = wire.similarity(shingles, wire.shingles(candidate.body_text))
        if score > best_score:
            best, best_score = candidate, score
    if best is None or best_score < wire.SIMILARITY_THRESHOLD:
        return None, None
    return best, best_score


def proposed_section(subjects):
    """The section the copy's subjects name (by name or alias), for the editor to confirm."""
    if not subjects:
        return None
    sections = Section.objects.for_navigation().only("id", "name", "aliases")
    return wire.propose_section(subjects, [(s.pk, s.names) for s in sections])


def ruled_section(article):
    """The section of the first rule (by position) naming an entity the new draft is
    about: one its text names (what linking will link it to), its supplying source or
    its dateline (``kinds.Kind.also_about``). One query, however many rules there are.

    Read before the draft is saved, so its first revision has it filed; ``article``
    is tidied (its body's text is what linking reads).
    """
    about = linking.found_links(article)  # a new draft's links: all that its text names
    for kind in RULE_KINDS:
        for name in kind.also_about:
            if (pk := getattr(article, f"{name}_id")) is not None:
                about[kind.name].add(pk)
    return SectionRule.objects.matching(about).values_list("section_id", flat=True).first()


def dateline_place(story):
    """The Place the dateline names, by name or alias whatever its case, or None
    (``wire.dateline_place``: a US state's city is only that state's)."""
    places = linking.gazetteer()
    return wire.dateline_place(story, lambda name: places.resolve("place", name), _parent_names)


def _parent_names(place_id):
    parent = Place.objects.filter(pk=place_id).values_list("parent__name", "parent__aliases")
    name, aliases = parent.first() or (None, None)
    return [name, *(aliases or [])] if name else []


def _create_draft(story, item, *, credits, by, taken=()):
    usable = [picture for picture in taken if picture.image is not None]
    # The copy's lead picture, or the first that came through when it did not.
    lead = next((picture for picture in usable if picture.is_lead), usable[0] if usable else None)
    placed = dict.fromkeys(p.image.pk for p in usable if lead is None or p.image != lead.image)
    captions = {picture.image.pk: picture.image.caption for picture in usable}
    article = Article(
        headline=story.headline[:300],
        headline_needs_review=story.headline_derived,
        summary=story.summary,
        # Escaped into paragraphs here: wire copy is text, whatever it looks like.
        body="\n".join(
            [bodies.from_plain_text(story.body)]
            + [bodies.figure(pk, captions[pk]) for pk in placed]
        ),
        lead_image=lead.image if lead else None,
        byline=credits.byline,
        source_id=credits.source_id,
        dateline_id=dateline_place(story),
        original_text=story.text,
    )
    article.tidy()
    # The copy's own subjects first; a rule only when none of them names a section.
    article.section_id = proposed_section(story.subjects) or ruled_section(article)
    links = {kinds.AUTHOR.link_field: credits.author_ids} if credits.author_ids else None
    editorial.create(article, by=by, links=links, from_wire=True)
    item.article = article
    item.outcome = WireOutcome.CREATED
    return IntakeResult(WireOutcome.CREATED, article, item, "new draft")


def _update_story(story, item, earlier, *, by):
    """Revise an untouched draft in place; anything else waits for an editor."""
    article = earlier.article
    item.article = article
    last_applied = article.wire_items.applied().order_by("-received_at", "-id").first()
    untouched = last_applied is not None and article.body_text == last_applied.body_text
    # Only as one who may edit the draft: anyone else's copy waits like any update.
    may_revise = by is None or article.can_be_edited_by(by)
    if article.status in (Status.DRAFT, Status.REVIEW) and untouched and may_revise:
        try:
            with transaction.atomic():
                editorial.revise_from_wire(
                    article, by=by, body=story.body, text=story.text, headline=story.headline
                )
        except EditConflict:
            article.refresh_from_db()
        else:
            item.outcome = WireOutcome.REVISED
            return IntakeResult(WireOutcome.REVISED, article, item, "draft revised in place")
    item.outcome = WireOutcome.PENDING
    return IntakeResult(
        WireOutcome.PENDING, article, item, "update waiting for an editor to accept or ignore"
    )


def wire_files(paths):
    """Every file under ``paths`` (files, or folders read recursively), in a stable order.

    Hidden files and folders (a leading dot) are skipped: editors' tools leave them.
    """
    for path in map(Path, paths):
        if path.is_dir():
            for child in sorted(path.rglob("*")):
                relative = child.relative_to(path).parts
                if child.is_file() and not any(part.startswith(".") for part in relative):
                    yield child
        else:
            yield path


def read_wire_file(path):
    """The file's bytes, refusing a missing or oversized file before reading it."""
    if not path.is_file():
        raise wire.WireError("no such file")
    _check_size(path.stat().st_size)
    return path.read_bytes()


def read_upload(upload):
    """An uploaded file's bytes (a Django UploadedFile), refusing an oversized one
    from its size, before reading it into memory."""
    _check_size(upload.size)
    return upload.read()


def _check_size(size):
    if size > wire.MAX_WIRE_BYTES:
        raise wire.WireError(f"larger than {wire.MAX_WIRE_BYTES:,} bytes ({size:,} bytes)")
