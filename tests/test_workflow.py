"""The story's workflow, roles, corrections and conditional saves: the model's rules, applied
by the editorial service."""

import threading
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone
from reversion.models import Version

from articles import editorial
from articles.models import Article, EditConflict, Status
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db

ALL = list(Status)
ALLOWED = {
    (Status.DRAFT, Status.REVIEW),
    (Status.DRAFT, Status.PUBLISHED),
    (Status.REVIEW, Status.DRAFT),
    (Status.REVIEW, Status.PUBLISHED),
    (Status.PUBLISHED, Status.DRAFT),
    (Status.PUBLISHED, Status.ARCHIVED),
    (Status.ARCHIVED, Status.DRAFT),
}


def stored(status):
    """An article saved with ``status``, read back as any surface would read it."""
    published_at = timezone.now() - timedelta(hours=1) if status != Status.DRAFT else None
    article = ArticleFactory(status=status, published_at=published_at)
    return Article.objects.get(pk=article.pk)


@pytest.mark.parametrize("current", ALL)
@pytest.mark.parametrize("target", ALL)
def test_transitions_live_in_one_table(current, target):
    article = stored(current)
    if current == target or (current, target) in ALLOWED:
        article.check_transition(target)
    else:
        with pytest.raises(ValidationError) as refused:
            article.check_transition(target)
        assert refused.value.code == "transition"
        assert "cannot be" in refused.value.messages[0]


def test_an_illegal_move_says_what_is_possible():
    article = stored(Status.ARCHIVED)
    with pytest.raises(ValidationError, match="archived cannot be published; it can be returned"):
        editorial.publish(article, by=None)


@pytest.mark.parametrize(
    ("current", "target"),
    [
        (Status.DRAFT, Status.PUBLISHED),
        (Status.REVIEW, Status.PUBLISHED),
        (Status.PUBLISHED, Status.DRAFT),
        (Status.PUBLISHED, Status.ARCHIVED),
        (Status.ARCHIVED, Status.DRAFT),
    ],
)
def test_reporters_cannot_move_stories_in_or_out_of_public_view(reporter, editor, current, target):
    article = stored(current)
    with pytest.raises(ValidationError, match="Only editors") as refused:
        article.check_transition(target, by=reporter)
    assert refused.value.code == "permission"
    article.check_transition(target, by=editor)


def test_reporters_draft_and_submit(reporter):
    article = Article.objects.get(pk=ArticleFactory(created_by=reporter).pk)
    editorial.submit(article, by=reporter)
    article = Article.objects.get(pk=article.pk)
    assert article.status == Status.REVIEW
    assert article.statuses_for(reporter) == [Status.DRAFT, Status.REVIEW]


def test_what_each_role_may_choose(reporter, editor):
    draft = stored(Status.DRAFT)
    assert draft.statuses_for(reporter) == [Status.DRAFT, Status.REVIEW]
    assert draft.statuses_for(editor) == [Status.DRAFT, Status.REVIEW, Status.PUBLISHED]
    assert stored(Status.ARCHIVED).statuses_for(editor) == [Status.DRAFT, Status.ARCHIVED]


def test_reporters_edit_their_own_drafts_only(reporter, editor):
    own = ArticleFactory(created_by=reporter)
    assert Article.objects.get(pk=own.pk).can_be_edited_by(reporter)
    assert not ArticleFactory(created_by=editor).can_be_edited_by(reporter)
    editorial.submit(own, by=reporter)
    assert not Article.objects.get(pk=own.pk).can_be_edited_by(reporter)
    assert Article.objects.get(pk=own.pk).can_be_edited_by(editor)


def test_publishing_now(editor):
    article = stored(Status.DRAFT)
    before = timezone.now()
    editorial.publish(article, by=editor)
    article = Article.objects.get(pk=article.pk)
    assert article.status == Status.PUBLISHED
    assert before <= article.published_at <= timezone.now()
    assert article.is_public
    assert article.updated_by == editor


def test_publishing_at_a_future_time_schedules(editor):
    article = stored(Status.REVIEW)
    at = timezone.now() + timedelta(hours=2)
    editorial.publish(article, by=editor, at=at)
    article = Article.objects.get(pk=article.pk)
    assert article.is_scheduled
    assert not Article.objects.public().filter(pk=article.pk).exists()
    assert Article.objects.scheduled().filter(pk=article.pk).exists()


def test_republishing_keeps_the_first_publication_time(editor):
    article = stored(Status.PUBLISHED)
    first = article.published_at
    editorial.unpublish(article, by=editor)
    editorial.publish(Article.objects.get(pk=article.pk), by=editor)
    assert Article.objects.get(pk=article.pk).published_at == first


def test_each_move_is_a_revision(editor):
    article = stored(Status.DRAFT)
    editorial.submit(article, by=editor)
    editorial.publish(article, by=editor)
    editorial.archive(article, by=editor)
    comments = [version.revision.comment for version in Version.objects.get_for_object(article)]
    assert comments == ["Archived.", "Published.", "Submitted for review."]


class TestVersions:
    def test_every_save_moves_the_version(self):
        article = ArticleFactory()
        assert article.version == 1
        article.save()
        assert article.version == 2
        article.save(update_fields=["headline"])
        assert article.version == 3
        assert Article.objects.get(pk=article.pk).version == 3

    def test_two_stale_copies_cannot_reuse_a_number(self):
        article = ArticleFactory()
        first, second = Article.objects.get(pk=article.pk), Article.objects.get(pk=article.pk)
        first.save()
        second.save(update_fields=["status"])
        assert Article.objects.get(pk=article.pk).version == 3

    def test_a_save_on_top_of_a_stale_version_is_refused(self, editor):
        article = ArticleFactory()
        mine, theirs = Article.objects.get(pk=article.pk), Article.objects.get(pk=article.pk)
        theirs.headline = "Their headline"
        editorial.edit(theirs, expected_version=1, by=editor)
        mine.headline = "My headline"
        with pytest.raises(EditConflict, match="editor saved this story at") as conflict:
            editorial.edit(mine, expected_version=1, by=None)
        assert conflict.value.current.version == 2
        assert Article.objects.get(pk=article.pk).headline == "Their headline"

    def test_a_save_of_a_deleted_story_says_so(self):
        article = ArticleFactory()
        Article.objects.filter(pk=article.pk).delete()
        with pytest.raises(Article.DoesNotExist, match="deleted"):
            editorial.edit(article, expected_version=1, by=None)


@pytest.mark.django_db(transaction=True)
def test_of_two_simultaneous_saves_exactly_one_wins():
    """Two real connections save the same version at once: one wins, one is told."""
    article = ArticleFactory()
    barrier, outcomes = threading.Barrier(2), []

    def save(headline):
        try:
            copy = Article.objects.get(pk=article.pk)
            copy.headline = headline
            barrier.wait()
            editorial.edit(copy, expected_version=1, by=None)
            outcomes.append(("saved", headline))
        except EditConflict:
            outcomes.append(("refused", headline))
        finally:
            connection.close()

    threads = [threading.Thread(target=save, args=(name,)) for name in ("A's", "B's")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcome for outcome, _ in outcomes) == ["refused", "saved"]
    winner = next(headline for outcome, headline in outcomes if outcome == "saved")
    stored_article = Article.objects.get(pk=article.pk)
    assert (stored_article.headline, stored_article.version) == (winner, 2)


class TestCorrections:
    def test_a_published_story_is_corrected_in_public(self, editor):
        article = stored(Status.PUBLISHED)
        version, updated = article.version, article.updated_at
        editorial.correct(
            article, "  An earlier version gave the wrong date of the meeting.  ", by=editor
        )
        correction = article.corrections.get()
        assert correction.text == "An earlier version gave the wrong date of the meeting."
        article = Article.objects.get(pk=article.pk)
        assert article.version == version + 1
        assert article.updated_at > updated
        assert list(article.corrections.all()) == [correction]

    @pytest.mark.parametrize("status", [Status.DRAFT, Status.REVIEW, Status.ARCHIVED])
    def test_only_published_stories_carry_corrections(self, status):
        with pytest.raises(ValidationError, match="Only published stories"):
            editorial.correct(stored(status), "Something was wrong.", by=None)

    def test_an_empty_correction_is_refused(self):
        with pytest.raises(ValidationError, match="what was wrong"):
            editorial.correct(stored(Status.PUBLISHED), "   ", by=None)

    def test_corrections_are_kept_in_order(self):
        article = stored(Status.PUBLISHED)
        editorial.correct(article, "First.", by=None)
        editorial.correct(Article.objects.get(pk=article.pk), "Second.", by=None)
        assert [c.text for c in article.corrections.all()] == ["First.", "Second."]
