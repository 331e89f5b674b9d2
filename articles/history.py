"""Article history: every editorial save is one revision (django-reversion's tables).

Revisions are written explicitly, once per save, from the article's final state
(its text and its links), rather than collected by signals on every write along
the way: one save is one entry in the history, and it costs two inserts. The
stored form is reversion's own (Django's JSON serialisation), so reversion's
admin history, comparison and recovery of deleted articles read it unchanged.
"""

import json

from django.contrib.contenttypes.models import ContentType
from django.core import serializers
from django.core.serializers.json import DjangoJSONEncoder
from django.db import router
from django.utils import timezone
from reversion.models import Revision, Version

# The links a revision keeps; an editor's rejections are linking's bookkeeping.
VERSIONED_LINKS = ("people", "places", "mentioned_sources")


def record(article, *, by=None, comment, links=None):
    """Store the article as it now stands as a new revision: who, when, why.

    ``links`` ({field: ids}) saves reading the links back when the caller has
    just written them; otherwise they are read, one query per kind.
    """
    if links is None:
        links = {
            name: list(getattr(article, name).values_list("pk", flat=True))
            for name in VERSIONED_LINKS
        }
    fields = [field.name for field in article._meta.concrete_fields]
    data = serializers.serialize("python", [article], fields=fields)
    data[0]["fields"].update({name: sorted(links.get(name, ())) for name in VERSIONED_LINKS})
    revision = Revision.objects.create(date_created=timezone.now(), user=by, comment=comment)
    return Version.objects.create(
        revision=revision,
        object_id=str(article.pk),
        content_type=ContentType.objects.get_for_model(article),
        db=router.db_for_write(type(article), instance=article),
        format="json",
        serialized_data=json.dumps(data, cls=DjangoJSONEncoder),
        object_repr=str(article),
    )


# What a restore brings back: the story as written and linked. Status and
# publication time stay as they are, because moving a story in or out of public
# view is a workflow decision, not an edit.
RESTORED_FIELDS = (
    "headline",
    "headline_needs_review",
    "summary",
    "body",
    "byline",
    "source_id",
    "dateline_id",
)
COMPARED_TEXT = ("headline", "summary", "body", "byline")
FIELD_LABELS = {
    "headline": "headline",
    "headline_needs_review": "headline flag",
    "summary": "summary",
    "body": "body",
    "byline": "byline",
    "source_id": "source",
    "dateline_id": "dateline",
    "slug": "slug",
    "status": "status",
    "published_at": "publication time",
    "people": "people",
    "places": "places",
    "mentioned_sources": "sources mentioned",
}


def versions_of(article):
    """The article's revisions, newest first, with who made them."""
    return (
        Version.objects.get_for_object(article)
        .select_related("revision__user")
        .order_by("-revision__date_created", "-pk")
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
    from articles import diffs
    from articles.models import Person, Place, Source

    then = version.field_dict
    texts = {
        name: diffs.word_diff(then.get(name) or "", getattr(article, name))
        for name in COMPARED_TEXT
    }
    links = {}
    for name, model in (("people", Person), ("places", Place), ("mentioned_sources", Source)):
        before = set(then.get(name, []))
        now = set(getattr(article, name).values_list("pk", flat=True))
        names = dict(model.objects.filter(pk__in=before | now).values_list("pk", "name"))
        links[FIELD_LABELS[name]] = {
            "added": sorted(names[pk] for pk in now - before if pk in names),
            "removed": sorted(names[pk] for pk in before - now if pk in names),
        }
    return texts, links


def restore(article, version, *, by, expected_version):
    """Bring back ``version``'s text and links as a new revision.

    Conflict-safe: raises EditConflict if the story was saved after the
    editor looked at the comparison.
    """
    from django.db import transaction

    from articles import editing

    then = version.field_dict
    for name, value in _restorable(then).items():
        setattr(article, name, value)
    with transaction.atomic():
        article.save_checked(expected_version=expected_version, by=by)
        _restore_links(article, then)
        when = timezone.localtime(version.revision.date_created)
        comment = f"Restored the revision of {when:%d %b %Y %H:%M}."
        editing.saved(article, by=by, comment=comment, link=False)
    return article


def deleted_articles():
    """The last revision of each deleted article, most recently deleted first."""
    from articles.models import Article

    return (
        Version.objects.get_deleted(Article)
        .select_related("revision__user")
        .order_by("-revision__date_created", "-pk")
    )


def recover(version, *, by):
    """Bring a deleted article back, as a draft, from its last revision."""
    from django.contrib.auth import get_user_model
    from django.db import transaction

    from articles import editing
    from articles.models import Article, Status

    then = version.field_dict
    author = then.get("created_by_id")
    article = Article(
        pk=int(version.object_id),
        **_restorable(then),
        original_text=then.get("original_text") or "",
        created_by_id=author if get_user_model().objects.filter(pk=author).exists() else None,
        status=Status.DRAFT,
        published_at=then.get("published_at"),
        version=(then.get("version") or 0) + 1,
        updated_by=by,
    )
    # The old address may belong to another story by now.
    if not Article.objects.filter(slug=then.get("slug")).exists():
        article.slug = then.get("slug")
    with transaction.atomic():
        article.save(force_insert=True)
        _restore_links(article, then)
        editing.saved(article, by=by, comment="Recovered after deletion, as a draft.", link=False)
    return article


def _restorable(then):
    """The restored fields of a revision, without references to entities deleted since."""
    from articles.models import Place, Source

    fields = {name: then.get(name) for name in RESTORED_FIELDS}
    for name, model in (("source_id", Source), ("dateline_id", Place)):
        if fields[name] is not None and not model.objects.filter(pk=fields[name]).exists():
            fields[name] = None
    return fields


def _restore_links(article, then):
    """Set the article's links to a revision's, leaving out entities deleted since."""
    from articles.models import Person, Place, Source

    for name, model in (("people", Person), ("places", Place), ("mentioned_sources", Source)):
        existing = model.objects.filter(pk__in=then.get(name, [])).values_list("pk", flat=True)
        getattr(article, name).set(list(existing))
