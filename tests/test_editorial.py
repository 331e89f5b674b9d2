"""The one write path: every surface's save is the editorial service's, step for step.

Each surface below acts on a story, and the same action taken by calling the
editorial service directly on a twin story is the reference: the same history
comment, the same links, the same reader HTML, and the cached pages made stale.
"""

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from articles import editorial, history, intake, kinds, page_cache
from articles.models import Article, Status
from tests.factories import AuthorFactory, PlaceFactory, SourceFactory
from tests.test_admin import form_data

pytestmark = pytest.mark.django_db

BEFORE = (
    "The minister met farmers in the north on Monday to talk about this year's harvest.\n\n"
    "They spoke for two hours about prices, water and the roads to the markets."
)
AFTER = f"{BEFORE}\n\nIn Ganja the talks were calm, Trend reported."


@pytest.fixture
def entities(db):
    return {"place": PlaceFactory(name="Ganja"), "source": SourceFactory(name="Trend")}


def draft(by, body=BEFORE):
    return editorial.create(Article(headline="Harvest talks", body=body), by=by)


def wire_copy(body):
    return f"By Trend\n\n{body}"


def fresh(article):
    return Article.objects.get(pk=article.pk)


def outcome(article):
    """What a save leaves behind, in the terms a reader, a client and an editor see."""
    article = fresh(article)
    last = history.versions_of(article).first()
    links = {
        kind.name: sorted(getattr(article, kind.link_field).values_list("name", flat=True))
        for kind in kinds.LINKED
    }
    return {
        "comment": last.revision.comment,
        "links": links,
        "body_html": article.body_html,
        "status": article.status,
        "revisions": history.versions_of(article).count(),
    }


def admin_client(user):
    client = Client()
    client.force_login(user)
    return client


def api_client(user):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")
    return client


# Each surface: (set up its story, act through the surface, act on a twin through the service).


def through_admin(editor):
    article = draft(editor)
    response = admin_client(editor).post(
        reverse("admin:articles_article_change", args=[article.pk]),
        form_data(article, body=AFTER),
    )
    assert response.status_code == 302
    twin = draft(editor)
    editorial.edit(twin, by=editor, expected_version=twin.version, changes={"body": AFTER})
    return article, twin


def through_api(editor):
    article = draft(editor)
    response = api_client(editor).patch(
        f"/api/v1/articles/{article.pk}/",
        {"body": AFTER},
        format="json",
        HTTP_IF_MATCH=f'"{article.version}"',
    )
    assert response.status_code == 200
    twin = draft(editor)
    editorial.edit(twin, by=editor, expected_version=twin.version, changes={"body": AFTER})
    return article, twin


def through_the_wire_desk(editor):
    article = intake.take_in(wire_copy(BEFORE), by=editor).article
    assert intake.take_in(wire_copy(AFTER), by=editor).outcome == "revised"
    twin = editorial.create(
        Article(headline=article.headline, headline_needs_review=True, body=BEFORE),
        by=editor,
        from_wire=True,
    )
    editorial.revise_from_wire(twin, by=editor, body=AFTER, text=wire_copy(AFTER))
    return article, twin


def through_a_history_restore(editor):
    def with_old_revision():
        article = draft(editor, body=AFTER)
        editorial.edit(
            article, by=editor, expected_version=article.version, changes={"body": BEFORE}
        )
        return article, history.versions_of(article).last()

    article, version = with_old_revision()
    response = admin_client(editor).post(
        reverse("admin:articles_article_restore", args=[article.pk, version.pk]),
        {"version": fresh(article).version},
    )
    assert response.status_code == 302
    twin, twin_version = with_old_revision()
    editorial.restore(twin, twin_version, by=editor, expected_version=fresh(twin).version)
    return article, twin


def through_a_bulk_action(editor):
    article = draft(editor, body=AFTER)
    response = admin_client(editor).post(
        reverse("admin:articles_article_changelist"),
        {"action": "publish", "_selected_action": [article.pk]},
    )
    assert response.status_code == 302
    twin = draft(editor, body=AFTER)
    editorial.publish(twin, by=editor)
    return article, twin


@pytest.mark.parametrize(
    "surface",
    [
        through_admin,
        through_api,
        through_the_wire_desk,
        through_a_history_restore,
        through_a_bulk_action,
    ],
)
def test_every_surface_saves_as_the_service_does(editor, entities, surface):
    generation = page_cache.generation()
    article, twin = surface(editor)
    # Cached pages go stale exactly when a story readers may see changed (invalidation.py):
    # the bulk action publishes; every other surface edits a draft, on no public page.
    published = {fresh(article).status, fresh(twin).status} == {Status.PUBLISHED}
    assert (page_cache.generation() != generation) == published
    done, reference = outcome(article), outcome(twin)
    assert done == reference
    # And the save did what it says: the text names Ganja and Trend, linked once.
    assert done["links"]["place"] == ["Ganja"]
    assert done["body_html"].count('class="mention"') == 2


def test_the_same_edit_reads_the_same_in_the_history_whatever_the_surface(editor, entities):
    admin, _ = through_admin(editor)
    api, _ = through_api(editor)
    assert outcome(admin)["comment"] == outcome(api)["comment"] == "Changed body."


def test_a_status_move_and_an_edit_are_one_revision(editor, entities):
    article = draft(editor)
    editorial.edit(
        article,
        by=editor,
        expected_version=article.version,
        changes={"body": AFTER, "headline": "Calm in Ganja"},
        status=Status.PUBLISHED,
    )
    assert outcome(article)["comment"] == "Published; changed headline and body."
    assert outcome(article)["revisions"] == 2


def test_a_submission_through_any_surface_records_who_sent_it(reporter, entities):
    story = draft(reporter)
    client = Client()
    client.force_login(reporter)
    client.post(
        reverse("admin:articles_article_change", args=[story.pk]),
        form_data(story, status=Status.REVIEW),
    )
    stored = fresh(story)
    assert (stored.status, stored.submitted_by) == (Status.REVIEW, reporter)
    assert stored.submitted_at is not None


@pytest.mark.parametrize("decide", [editorial.take_from_inbox, editorial.dismiss_from_inbox])
def test_deciding_on_a_wire_draft_is_for_who_may_edit_it(editor, reporter, entities, decide):
    item = intake.take_in(wire_copy(BEFORE)).wire_item  # imported by no one: not a reporter's
    with pytest.raises(PermissionDenied):
        decide(item, by=reporter)
    article = decide(item, by=editor)
    item.refresh_from_db()
    assert (item.decided_by, item.decided_at is not None) == (editor, True)
    # The story itself is untouched: no revision, no new version.
    assert (fresh(article).version, outcome(article)["revisions"]) == (1, 1)


class TestAuthors:
    """A story's authors are links like any other: set by the service, recorded and
    restored by history; but linking never adds one from the text."""

    def test_set_changed_recorded_and_restored(self, editor, entities):
        jane, john = AuthorFactory(name="Jane Doe"), AuthorFactory(name="John Roe")
        article = editorial.create(
            Article(headline="Harvest talks", body=BEFORE), by=editor, links={"authors": [jane]}
        )
        first = history.versions_of(article).first()
        editorial.edit(
            article, by=editor, expected_version=article.version, links={"authors": [jane, john]}
        )
        assert outcome(article)["links"]["author"] == ["Jane Doe", "John Roe"]
        assert outcome(article)["comment"] == "Changed authors."
        assert history.timeline(fresh(article))[0][1] == ["authors"]
        _texts, links = history.compare(first, fresh(article))
        assert links["authors"] == {"added": ["John Roe"], "removed": []}

        article = fresh(article)
        editorial.restore(article, first, by=editor, expected_version=article.version)
        assert outcome(article)["links"]["author"] == ["Jane Doe"]

    def test_linking_never_adds_an_author_named_in_the_text(self, editor, entities):
        AuthorFactory(name="Jane Doe")
        article = draft(editor, body=f"{BEFORE}\n\nJane Doe was in Ganja.")
        editorial.relink(fresh(article))
        assert outcome(article)["links"]["author"] == []
        assert outcome(article)["links"]["place"] == ["Ganja"]
