"""Article history: every editorial action is one revision, in django-reversion's tables.

The editorial service records the story once per action, in its final state
(text, links, reader HTML), through reversion's revision API; everything here
reads what reversion stored: the history page, comparisons, and what a restore
or a recovery brings back.
"""

import reversion
from django.contrib.auth import get_user_model
from django.utils import timezone
from reversion.models import Version

from articles import bodies, diffs, kinds
from articles.models import Article, FrontBlock, FrontPage, FrontPin, Place, Section, Source, Status

COMPARED_TEXT = ("headline", "summary", "body", "byline")
# What each field is called in the history, by the name reversion stores it under.
FIELD_LABELS = {
    "headline": "headline",
    "headline_needs_review": "headline flag",
    "summary": "summary",
    "body": "body",
    "byline": "byline",
    "section_id": "section",
    "source_id": "source",
    "dateline_id": "dateline",
    "lead_image_id": "lead picture",
    "slug": "slug",
    "status": "status",
    "flag": "breaking/developing flag",
    "published_at": "publication time",
    **{
        kind.link_field: Article._meta.get_field(kind.link_field).verbose_name
        for kind in kinds.LINKED
    },
}
# What a restore brings back: the story as written and linked.
RESTORED_FIELDS = (
    *("headline", "headline_needs_review", "summary", "body", "byline"),
    *("section_id", "source_id", "dateline_id"),
)


def register():
    """Put articles under reversion (from AppConfig.ready)."""
    # Rejections are linking's bookkeeping, not part of the story's history.
    if not reversion.is_registered(Article):
        reversion.register(Article, exclude=kinds.rejected_fields())
    # The front is recorded whole: its lead, pins and blocks, as one revision a save.
    if not reversion.is_registered(FrontPage):
        reversion.register(FrontPin)
        reversion.register(FrontBlock)
        reversion.register(FrontPage, follow=("pins", "blocks"))


def record(article, *, by, comment):
    """Store the article as it now stands as one revision: who, when, why."""
    with reversion.create_revision(manage_manually=True):
        reversion.set_user(by)
        reversion.set_comment(comment)
        reversion.add_to_revision(article)


def _until(moment):
    return f" (until {timezone.localtime(moment):%d %b %H:%M})" if moment else ""


def describe_front(front):
    """The front's arrangement in words, part by part, as its history compares it."""
    lead = f"“{front.lead.headline}”{_until(front.lead_until)}" if front.lead_id else "the newest"
    pins = front.pins.select_related("article").order_by("position", "id")
    blocks = front.blocks.select_related("section").order_by("position", "id")
    return {
        "lead": lead,
        "top stories": ", ".join(f"“{pin.article.headline}”{_until(pin.until)}" for pin in pins)
        or "the newest",
        "section blocks": ", ".join(block.section.name for block in blocks) or "none",
    }


def front_comment(before, after):
    """One sentence for the front's history: "Lead: “…”; top stories: “…”, “…”."."""
    parts = [f"{part}: {after[part]}" for part in after if before[part] != after[part]]
    if not parts:
        return "Saved without changes."
    sentence = "; ".join(parts)
    return f"{sentence[0].upper()}{sentence[1:]}."


def front_versions():
    """The front's revisions, newest first, with who made them."""
    return (
        Version.objects.get_for_model(FrontPage)
        .select_related("revision__user")
        .order_by("-revision__date_created", "-pk")
    )


def label(name):
    """The history's word for a model field (``source`` or ``source_id``)."""
    attname = Article._meta.get_field(name).attname
    return FIELD_LABELS.get(attname, FIELD_LABELS.get(name, name))


def versions_of(article):
    """The article's revisions, newest first, with who made them."""
    return (
        Version.objects.get_for_object(article)
        .select_related("revision__user")
        .order_by("-revision__date_created", "-pk")
    )


def version_at(article, number):
    """The revision recorded when the article was at version ``number``, if any."""
    return next(
        (v for v in versions_of(article) if v.field_dict.get("version") == number),
        None,
    )


def _comparable(fields):
    return {
        name: sorted(value) if isinstance(value, list) else value
        for name, value in fields.items()
        if name in FIELD_LABELS
    }


def changed_fields(older, newer):
    """Labels of the fields that differ between two revisions' field dicts."""
    older, newer = _comparable(older), _comparable(newer)
    return [label for name, label in FIELD_LABELS.items() if older.get(name) != newer.get(name)]


def timeline(article):
    """(version, changed field labels) for each revision, newest first."""
    versions = list(versions_of(article))
    rows = []
    for index, version in enumerate(versions):
        older = versions[index + 1].field_dict if index + 1 < len(versions) else {}
        rows.append((version, changed_fields(older, version.field_dict)))
    return rows


def compare(version, article):
    """How ``article`` as it stands differs from ``version``: word diffs and link changes."""
    then = version.field_dict
    texts = {
        name: diffs.word_diff(
            _readable(name, then.get(name)), _readable(name, getattr(article, name))
        )
        for name in COMPARED_TEXT
    }
    links = {}
    for kind in kinds.LINKED:
        before = set(then.get(kind.link_field, []))
        now = set(getattr(article, kind.link_field).values_list("pk", flat=True))
        names = dict(kind.model.objects.filter(pk__in=before | now).values_list("pk", "name"))
        links[FIELD_LABELS[kind.link_field]] = {
            "added": sorted(names[pk] for pk in now - before if pk in names),
            "removed": sorted(names[pk] for pk in before - now if pk in names),
        }
    return texts, links


def _readable(name, value):
    """Text as an editor compares it: the body's words, not its markup (nor plain text of
    a revision older than the format)."""
    if name == "body":
        return bodies.to_text(bodies.clean(value or ""))
    return value or ""


def deleted_articles():
    """The last revision of each deleted article, most recently deleted first."""
    return (
        Version.objects.get_deleted(Article)
        .select_related("revision__user")
        .order_by("-revision__date_created", "-pk")
    )


def restorable_fields(version):
    """A revision's text and references, without entities deleted since."""
    then = version.field_dict
    fields = {name: then.get(name) for name in RESTORED_FIELDS}
    for name, model in (("section_id", Section), ("source_id", Source), ("dateline_id", Place)):
        if fields[name] is not None and not model.objects.filter(pk=fields[name]).exists():
            fields[name] = None
    return fields


def restorable_links(version):
    """{link field: ids} of a revision, leaving out entities deleted since."""
    then = version.field_dict
    return {
        kind.link_field: list(
            kind.model.objects.filter(pk__in=then.get(kind.link_field, [])).values_list(
                "pk", flat=True
            )
        )
        for kind in kinds.LINKED
    }


def rebuilt_article(version):
    """A deleted article as its last revision had it, unsaved, as a draft under its old id."""
    then = version.field_dict
    author = then.get("created_by_id")
    article = Article(
        pk=int(version.object_id),
        **restorable_fields(version),
        original_text=then.get("original_text") or "",
        created_by_id=author if get_user_model().objects.filter(pk=author).exists() else None,
        status=Status.DRAFT,
        published_at=then.get("published_at"),
        version=(then.get("version") or 0) + 1,
    )
    # The old address may belong to another story by now.
    if not Article.objects.filter(slug=then.get("slug")).exists():
        article.slug = then.get("slug")
    return article
