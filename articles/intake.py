"""The wire desk's intake: agency copy in, linked draft articles out.

``wire.py`` parses and fingerprints (pure); this module does the database work
around it: skip copy seen before, find the agency and the authors its byline
names, chain an agency's re-sent story to the article it updates, and hand the
story to the editorial service (``editorial.py``), which creates the draft or
revises it, links and records it like any other save. Each piece of copy is
taken in inside its own transaction, so a failure or a killed process never
leaves half an article behind.
"""

from dataclasses import dataclass
from pathlib import Path

from django.db import IntegrityError, transaction
from django.utils import timezone

from articles import bodies, editorial, kinds, linking, wire
from articles.models import (
    Article,
    EditConflict,
    Source,
    SourceKind,
    Status,
    WireFingerprint,
    WireItem,
    WireOutcome,
)

# How many near-duplicate candidates a new copy is compared with; band keys are
# selective, so real candidates are a handful even in a large archive.
MAX_CANDIDATES = 50

DUPLICATE = "duplicate"
ADD_SOURCE_PERMISSION = "articles.add_source"


@dataclass(frozen=True)
class IntakeResult:
    """What happened to one piece of copy."""

    outcome: str  # a WireOutcome value (created, revised, pending) or "duplicate"
    article: Article
    wire_item: WireItem
    message: str

    @property
    def created(self):
        return self.outcome == WireOutcome.CREATED


def take_in(data, *, origin="", by=None, strict=False):
    """Turn one piece of agency copy (bytes or str) into a draft, an update or a skip.

    Raises ``wire.WireError`` with a readable reason for copy that cannot be
    taken in (empty, binary, not UTF-8, too large, no body, hostile XML, and
    with ``strict`` an unknown byline).
    """
    story = wire.parse(data)
    content_hash = wire.content_hash(story)
    if seen := _seen_before(content_hash):
        return seen
    try:
        with transaction.atomic():
            return _take_in_story(story, content_hash, origin=origin, by=by, strict=strict)
    except IntegrityError:
        # A concurrent intake of the same copy won the unique content hash.
        if seen := _seen_before(content_hash):
            return seen
        raise


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


def _take_in_story(story, content_hash, *, origin, by, strict):
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
        result = _create_draft(story, item, credits=credits, by=by)
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
    return Credits(
        source_id, tuple(dict.fromkeys(author_ids)), "" if told_all else story.byline[:200]
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


def _create_draft(story, item, *, credits, by):
    article = Article(
        headline=story.headline[:300],
        headline_needs_review=story.headline_derived,
        summary=story.summary,
        # Escaped into paragraphs here: wire copy is text, whatever it looks like.
        body=bodies.from_plain_text(story.body),
        byline=credits.byline,
        source_id=credits.source_id,
        dateline_id=linking.gazetteer().resolve("place", story.dateline)
        if story.dateline
        else None,
        original_text=story.text,
    )
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
