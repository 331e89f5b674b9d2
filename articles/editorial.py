"""What happens when an editor or a client acts on a story: one function per action.

The admin, the API, the wire intake, the history views and the management
commands call these functions and repeat none of their steps. Every action runs
in one transaction, in the same order:

1. check: the user may do this to this story, and the status move is legal
   (the rules are the model's: ``can_be_edited_by``, ``check_transition``);
2. claim: the story is still at the version the editor read (``Article.claim``),
   so nobody's newer save is overwritten; a conflict raises ``EditConflict``;
3. save the story;
4. link: the links the editor set, the links they removed (remembered, so
   linking never puts them back), and every entity the text names;
5. render the reader HTML from the text, the links and the pictures (and, once
   committed, draw the share card of a published story without a picture);
6. record one revision: who, and one comment in one vocabulary whatever the
   surface ("Published; changed headline and body.").

What goes stale because of the rows written (cached pages, the gazetteer) is
not decided here: receivers in ``invalidation.py`` follow every write.

``by`` is the user acting; ``None`` is the system itself (a command, the shell),
to which only the workflow applies.
"""

import functools

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from articles import bodies, history, kinds, linking, pictures, reader_html
from articles.models import Article, FrontBlock, FrontPage, FrontPin, Handled, Status, WireOutcome
from articles.models.articles import ACTIONS
from articles.models.front import check_blocks, check_pins

ADD_PERMISSION = "articles.add_article"
DELETE_PERMISSION = "articles.delete_article"
CORRECT_PERMISSION = "articles.add_correction"
ARRANGE_PERMISSION = "articles.change_frontpage"


# Creating ---------------------------------------------------------------------------


def create(article, *, by, links=None, from_wire=False):
    """Save the new story ``article`` (unsaved, its fields set), linked to ``links``.

    ``links`` is {link field: entities} as an editor chose them; the entities the
    text names are linked too. A status other than draft is a move from draft
    (an editor may create a story published).
    """
    _require(by is None or by.has_perm(ADD_PERMISSION), "You may not create stories.")
    with transaction.atomic():
        moved = _move(article, article.status, by=by) if article.status != Status.DRAFT else None
        article.check_pictures_described()
        article.created_by = article.created_by or by
        article.updated_by = by
        verb = "Created from agency copy" if from_wire else "Created"
        _commit(article, by=by, links=links, new=True, summary=[verb, moved])
    return article


# Editing and moving ---------------------------------------------------------------------


def edit(article, *, by, expected_version, changes=None, links=None, status=None, correction=""):
    """Change a story: its fields, its links, its status and a public correction, at once.

    ``changes`` is {field: value}, ``links`` {link field: entities}; fields the
    caller already set on ``article`` (a ModelForm does) count as changes too.
    ``status`` (or a status set on ``article``) moves the story; publishing
    without a time publishes now. ``correction`` adds a public correction.
    """
    for name, value in (changes or {}).items():
        setattr(article, name, value)
    if by is not None and "headline" in article.changed_fields():
        article.headline_needs_review = False  # a person wrote this one
    return _edit(
        article,
        by=by,
        expected_version=expected_version,
        links=links,
        status=status,
        correction=correction,
    )


def move(article, status, *, by, at=None, expected_version=None):
    """Move the story to ``status`` alone; ``at`` is a publication time to set.

    ``expected_version`` defaults to the version of this copy of the story.
    """
    changes = {"published_at": at} if at is not None else None
    return _edit(
        article,
        by=by,
        expected_version=article.version if expected_version is None else expected_version,
        changes=changes,
        status=status,
    )


def submit(article, *, by, expected_version=None):
    return move(article, Status.REVIEW, by=by, expected_version=expected_version)


def publish(article, *, by, at=None, expected_version=None):
    """Publish now, at ``at``, or at the time already set (a future time schedules)."""
    return move(article, Status.PUBLISHED, by=by, at=at, expected_version=expected_version)


def unpublish(article, *, by, expected_version=None):
    return move(article, Status.DRAFT, by=by, expected_version=expected_version)


def archive(article, *, by, expected_version=None):
    return move(article, Status.ARCHIVED, by=by, expected_version=expected_version)


def correct(article, text, *, by, expected_version=None):
    """Correct a published story in public: a dated note, and its modification time moves."""
    return _edit(
        article,
        by=by,
        expected_version=article.version if expected_version is None else expected_version,
        correction=text,
    )


def accept_link(article, entity, *, by, expected_version):
    """Link one entity the editor chose (a suggestion); a link they had removed comes back."""
    kind = kinds.of(entity)
    linked = list(getattr(article, kind.link_field).all())
    return _edit(
        article,
        by=by,
        expected_version=expected_version,
        links={kind.link_field: [*linked, entity]},
        summary=[f"Linked {entity.name}"],
    )


def reject_link(article, entity, *, by, expected_version):
    """Unlink one entity the text names: the rejection is remembered, so linking keeps off."""
    kind = kinds.of(entity)
    kept = [linked for linked in getattr(article, kind.link_field).all() if linked.pk != entity.pk]
    return _edit(
        article,
        by=by,
        expected_version=expected_version,
        links={kind.link_field: kept},
        summary=[f"Unlinked {entity.name}"],
    )


def relink(article):
    """Link what the text names after entity names or aliases changed (the system's edit)."""
    return _edit(
        article,
        by=None,
        expected_version=article.version,
        summary=["Linked after names or aliases changed"],
    )


def delete(article, *, by, expected_version):
    """Delete the story; its last revision stays, so it can be recovered."""
    _require(by is None or by.has_perm(DELETE_PERMISSION), "You may not delete stories.")
    with transaction.atomic():
        article.claim(expected_version)
        history.record(article, by=by, comment="Deleted.")
        article.delete()


# History --------------------------------------------------------------------------------


def restore(article, version, *, by, expected_version):
    """Bring back ``version``'s text and links as a new revision.

    Status and publication time stay as they are: moving a story in or out of
    public view is a workflow decision, not an edit.
    """
    when = timezone.localtime(version.revision.date_created)
    return _edit(
        article,
        by=by,
        expected_version=expected_version,
        changes=history.restorable_fields(version),
        links=history.restorable_links(version),
        summary=[f"Restored the revision of {when:%d %b %Y %H:%M}"],
    )


def recover(version, *, by):
    """Bring a deleted story back, as a draft, from its last revision."""
    _require(by is None or by.has_perm(DELETE_PERMISSION), "You may not recover stories.")
    article = history.rebuilt_article(version)
    article.updated_by = by
    with transaction.atomic():
        _commit(
            article,
            by=by,
            links=history.restorable_links(version),
            new=True,
            summary=["Recovered after deletion, as a draft"],
        )
    return article


# The front page ---------------------------------------------------------------------------


def arrange_front(*, by, expected_version, lead=None, lead_until=None, top=(), blocks=()):
    """Arrange the front in one save: the ``lead`` story (or None: the newest leads) until
    ``lead_until``, the ``top`` stories as [(story, until)] in order, and the ``blocks``
    as sections in order. One revision in the front's history, whoever saved it."""
    _require(by is None or by.has_perm(ARRANGE_PERMISSION), "You may not arrange the front.")
    top, blocks = list(top), list(blocks)
    with transaction.atomic():
        front = FrontPage.current()
        check_pins(lead=lead, lead_until=lead_until, top=top, pinned=front.pinned_ids())
        check_blocks(blocks)
        before = history.describe_front(front)
        front.claim(expected_version)
        front.lead, front.lead_until = lead, lead_until if lead is not None else None
        front.updated_by = by
        front.save()
        front.pins.all().delete()
        FrontPin.objects.bulk_create(
            FrontPin(front=front, article=article, position=index, until=until)
            for index, (article, until) in enumerate(top)
        )
        front.blocks.all().delete()
        FrontBlock.objects.bulk_create(
            FrontBlock(front=front, section=section, position=index)
            for index, section in enumerate(blocks)
        )
        after = history.describe_front(front)
        history.record(front, by=by, comment=history.front_comment(before, after))
    return front


# Agency updates ---------------------------------------------------------------------------


def revise_from_wire(article, *, by, body, text, headline=""):
    """Put an agency's update of a draft nobody has edited into the draft itself."""
    return _edit(
        article,
        by=by,
        expected_version=article.version,
        changes=_agency_copy(article, body=body, text=text, headline=headline),
        summary=["Revised in place by an agency update"],
    )


def accept_update(item, *, by):
    """Apply a pending agency update to its story, as a new revision."""
    with transaction.atomic():
        article = Article.objects.get(pk=item.article_id)
        _edit(
            article,
            by=by,
            expected_version=article.version,
            changes=_agency_copy(article, body=item.body_text, text=item.text),
            summary=["Accepted an agency update"],
        )
        _decide(item, WireOutcome.ACCEPTED, by=by)
    return article


def ignore_update(item, *, by):
    article = Article.objects.get(pk=item.article_id)
    _require_editable(article, by)
    _decide(item, WireOutcome.IGNORED, by=by)


def take_from_inbox(item, *, by):
    """``by`` takes a new wire draft to work on: it leaves the inbox, recorded as theirs."""
    return _leave_inbox(item, Handled.TAKEN, by=by)


def dismiss_from_inbox(item, *, by):
    """The new wire draft leaves the inbox untouched: it stays a draft, on the list."""
    return _leave_inbox(item, Handled.DISMISSED, by=by)


def _leave_inbox(item, handled, *, by):
    # Deciding on a draft is working on it: whoever may not edit it may not either.
    article = Article.objects.get(pk=item.article_id)
    _require_editable(article, by)
    item.leave_inbox(handled, by=by)  # raises AlreadyHandled when someone was quicker
    return article


def _agency_copy(article, *, body, text, headline=""):
    """What an agency's update changes: the body (its text, as paragraphs) and the copy."""
    changes = {"body": bodies.from_plain_text(body), "original_text": text}
    # A machine-made headline follows the copy; an editor's headline stays.
    if headline and article.headline_needs_review:
        changes["headline"] = headline[:300]
    return changes


def _decide(item, outcome, *, by):
    if item.outcome != WireOutcome.PENDING:
        raise ValueError(f"This update was already {item.get_outcome_display().lower()}.")
    item.outcome = outcome
    item.decided_by = by
    item.decided_at = timezone.now()
    item.save(update_fields=["outcome", "decided_by", "decided_at"])


# The steps ---------------------------------------------------------------------------------


def _edit(
    article,
    *,
    by,
    expected_version,
    changes=None,
    links=None,
    status=None,
    correction="",
    summary=(),
):
    _require_editable(article, by)
    with transaction.atomic():
        for name, value in (changes or {}).items():
            setattr(article, name, value)
        target = status or article.status
        if target != article.stored_status:
            moved = _move(article, target, by=by)
        elif target == Status.PUBLISHED and "published_at" in article.changed_fields():
            moved = _going_public(article)  # a scheduled story now, or at another time
        else:
            moved = None
        article.check_publication_time()
        article.check_pictures_described()
        if correction:
            correction = article.check_correction(correction)
            _require(by is None or by.has_perm(CORRECT_PERMISSION), "You may not correct stories.")
        article.claim(expected_version)
        if correction:
            article.corrections.create(text=correction, created_by=by)
        if by is not None:
            article.updated_by = by
        _commit(
            article,
            by=by,
            links=links,
            summary=[*summary, moved, "Correction published" if correction else None],
            moved=moved is not None,
            corrected=bool(correction),
        )
    return article


def _move(article, status, *, by):
    """Check and make the status move; the words history uses for it."""
    article.move_to(status, by=by)
    if status == Status.PUBLISHED:
        return _going_public(article)
    return ACTIONS[Status(status)].capitalize()


def _going_public(article):
    if article.is_scheduled:
        when = timezone.localtime(article.published_at)
        return f"Scheduled for {when:%d %b %Y %H:%M} ({when.tzname()})"
    return "Published"


def _commit(article, *, by, links=None, new=False, summary=(), moved=False, corrected=False):
    """Save, link, render and record: the steps every action ends with."""
    article.tidy()  # before comparing: a CRLF the browser sent is not a change
    changed = [] if new else article.changed_fields()
    if moved:
        changed = [name for name in changed if name not in ("status", "published_at")]
    revised = corrected or any(name in Article.REVISED_FIELDS for name in changed)
    if revised and not moved and article.is_public:
        article.revised_at = timezone.now()  # "Updated 14:05" on its page and teasers
    before = {} if new or links is None else _linked(article)
    article.save(force_insert=new and article.pk is not None)
    if links is not None:
        for field, entities in links.items():
            getattr(article, field).set(entities)
        after = _linked(article)
        linking.remember_rejections(article, before=before, after=after)
        changed += [
            kind.link_field
            for kind in kinds.LINKED
            if before.get(kind.name, set()) != after.get(kind.name, set()) and not new
        ]
    article.show_pictures()
    linking.link_editor_choices(article)
    linking.link_article(article, new=new and not links)
    render(article)
    if article.status == Status.PUBLISHED and not article.lead_image_id:
        # Its og:image, drawn once it is saved (a rolled-back save draws nothing), so
        # no page ever draws one; a failure to store it is logged, never the save's.
        transaction.on_commit(
            functools.partial(pictures.share_card, article, site_name=settings.SITE_NAME),
            robust=True,
        )
    history.record(article, by=by, comment=_comment(summary, changed))


def _linked(article):
    """{kind: {linked ids}} of every kind, authors too (history names each change)."""
    return {
        kind.name: set(getattr(article, kind.link_field).values_list("id", flat=True))
        for kind in kinds.LINKED
    }


def render(article):
    """Render the story's reader HTML again from its text and links, and store it.

    Derived from what is saved, so it is written on its own and is not an edit:
    no new version, no revision (``relink --render`` after rendering changed).
    """
    reader_html.render(article)


def _comment(summary, changed):
    """One sentence for the history: "Published; changed headline and body."."""
    parts = [part for part in summary if part]
    if changed:
        labels = [history.label(name) for name in dict.fromkeys(changed)]
        listed = labels[0] if len(labels) == 1 else f"{', '.join(labels[:-1])} and {labels[-1]}"
        parts.append(f"Changed {listed}")
    if not parts:
        return "Saved without changes."
    first, *rest = parts
    return "; ".join([first, *(part[0].lower() + part[1:] for part in rest)]) + "."


def _require(allowed, message):
    if not allowed:
        raise PermissionDenied(message)


def _require_editable(article, by):
    _require(by is None or article.can_be_edited_by(by), "You may not change this story.")
