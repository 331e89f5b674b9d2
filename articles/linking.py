"""Linking stories to the entities their text names: the Django side of the matcher.

``matching.py`` finds mentions in a string; this module loads the gazetteer it
matches against from the database, keeps it per process until an entity's names
change anywhere, and reads and writes a story's links. The editorial service
(``editorial.py``) calls it; nothing else writes links.

Precision comes first: a wrong link sends a reader to the wrong person's page,
while a missing one is a click for the editor, who is shown the suggestions.
"""

import threading

from django.db import transaction

from articles import bodies, kinds, versions
from articles.matching import Entity, Gazetteer
from articles.models import Article

# Moved whenever an entity's names or aliases change (invalidation.py), so every
# process rebuilds its automaton on its next look.
GAZETTEER_VERSION_KEY = "linking:gazetteer-version"

# {which: (gazetteer version, Gazetteer)}, shared by every request of the process.
_loaded = {}
_loading = threading.Lock()


def bump_gazetteer_version():
    versions.move(GAZETTEER_VERSION_KEY)


def names_changed():
    """Tell every process that entity names changed.

    Now, for this transaction's own linking, and again at commit: another
    process that rebuilt in between read the names before they were committed.
    """
    bump_gazetteer_version()
    transaction.on_commit(bump_gazetteer_version)


# What the matcher needs beyond names, by model: a person's title ("President
# Aliyev"), a place's parent (which places go together). Read in the same query.
_EXTRA_FIELDS = {"person": {"title": "title"}, "place": {"parent": "parent_id"}}


def load_entities(of_kinds):
    for kind in of_kinds:
        extra = _EXTRA_FIELDS.get(kind.name, {})
        fields = ["id", "name", "aliases", "never_link", "ambiguous", *extra.values()]
        rows = kind.model.objects.order_by().values_list(*fields)
        for pk, name, aliases, never_link, ambiguous, *values in rows.iterator(chunk_size=10_000):
            yield Entity(
                kind.name,
                pk,
                name,
                tuple(aliases or ()),
                never_link=tuple(never_link or ()),
                ambiguous=ambiguous,
                **dict(zip(extra, values, strict=True)),
            )


def _kept(which, of_kinds):
    """The process's gazetteer of ``of_kinds``, rebuilt only after an entity's names changed."""
    version = versions.current(GAZETTEER_VERSION_KEY)
    loaded = _loaded.get(which)
    if loaded is None or loaded[0] != version:
        with _loading:
            loaded = _loaded.get(which)
            if loaded is None or loaded[0] != version:
                loaded = _loaded[which] = (version, Gazetteer(load_entities(of_kinds)))
    return loaded[1]


def gazetteer():
    """The names a story's text is matched against: people, places and sources."""
    return _kept("text", kinds.LINKED_FROM_TEXT)


def bylines():
    """The authors' names and aliases, for reading wire bylines alone.

    A gazetteer of its own, so that no author is ever found in a story's text.
    """
    return _kept("bylines", (kinds.AUTHOR,))


def forget_gazetteer():
    """Drop this process's gazetteers (tests, and bulk loads that bypass the ORM)."""
    _loaded.clear()


def find_mentions(text, context=()):
    return gazetteer().find_mentions(text, context)


def story_context(article, *, linked=()):
    """What the matcher knows of a story besides its text: its source and section, and
    (for marking mentions once links exist) the entities it is linked to.

    Support for an ambiguous name: a Trend story's "Trend" is the agency.
    """
    context = set(linked)
    if article.source_id:
        context.add(("source", article.source_id))
    if article.section_id:
        context.add(("section", article.section_id))
    return context


def found_links(article):
    """{kind: {entity id}} that the article's text mentions."""
    found = {kind.name: set() for kind in kinds.LINKED_FROM_TEXT}
    for kind, pk in gazetteer().entities_in(article.linkable_text, story_context(article)):
        found[kind].add(pk)
    return found


def current_links(article):
    """{kind: ({linked ids}, {rejected ids})} as stored."""
    return {
        kind.name: (
            set(getattr(article, kind.link_field).values_list("id", flat=True)),
            set(getattr(article, kind.rejected_field).values_list("id", flat=True)),
        )
        for kind in kinds.LINKED_FROM_TEXT
    }


def links_to_add(article):
    """{kind: {entity id}} mentioned in the text, not linked and not rejected by an editor."""
    found, current = found_links(article), current_links(article)
    return {kind: found[kind] - linked - rejected for kind, (linked, rejected) in current.items()}


def link_article(article, *, new=False):
    """Link every entity the text mentions, except those an editor removed.

    Only ever adds: a link an editor made by hand is never taken away, and a
    link an editor removed stays removed. ``new`` skips reading the links of an
    article just created, which has none. Returns what was added.
    """
    added = found_links(article) if new else links_to_add(article)
    for name, ids in added.items():
        if ids:
            getattr(article, kinds.BY_NAME[name].link_field).add(*ids)
    return added


def remember_rejections(article, *, before, after):
    """Record the links an editor removed although the text names them.

    ``before`` and ``after`` are {kind: {ids}} around the editor's save. A link
    the editor adds back is no longer rejected.
    """
    found = found_links(article)
    for kind in kinds.LINKED_FROM_TEXT:
        rejected = getattr(article, kind.rejected_field)
        removed = (before.get(kind.name, set()) - after.get(kind.name, set())) & found[kind.name]
        if removed:
            rejected.add(*removed)
        restored = after.get(kind.name, set()) - before.get(kind.name, set())
        if restored:
            rejected.remove(*restored)


def mention_links(article):
    """{(kind, id): address} of the entities the story is linked to, for its reader HTML."""
    return {
        (kind.name, entity.pk): entity.get_absolute_url()
        for kind in kinds.LINKED_FROM_TEXT
        for entity in getattr(article, kind.link_field).only("pk", "slug")
    }


def link_editor_choices(article):
    """Link the entities an editor linked in the body by choosing them.

    Such a link is the editor's decision that the story is about the entity:
    it counts as a link of the story, and is no longer a rejected one.
    """
    for name, ids in _by_kind(bodies.editor_links(article.body)).items():
        kind = kinds.BY_NAME.get(name)
        if kind is None:
            continue  # a link to a story, not to an entity
        existing = list(kind.model.objects.filter(pk__in=ids).values_list("pk", flat=True))
        if existing:
            getattr(article, kind.link_field).add(*existing)
            if kind.rejected_field:
                getattr(article, kind.rejected_field).remove(*existing)


def addresses(refs):
    """{(kind, id): current address} of the entities and stories an editor linked to."""
    found = {}
    for name, ids in _by_kind(refs).items():
        model = Article if name == "article" else getattr(kinds.BY_NAME.get(name), "model", None)
        if model is None:
            continue
        for target in model.objects.filter(pk__in=ids).only("pk", "slug"):
            found[(name, target.pk)] = target.get_absolute_url()
    return found


def _by_kind(refs):
    grouped = {}
    for name, pk in refs:
        grouped.setdefault(name, []).append(pk)
    return grouped
