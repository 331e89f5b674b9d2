"""The edited front page: what editors pin, what fills the rest, and what readers never see."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone
from reversion.models import Version

from articles import editorial, front_page, history
from articles.models import Article, EditConflict, FrontPage, Status
from articles.models.front import MAX_PINS, TOP_STORIES
from tests.factories import ArticleFactory, SectionFactory

pytestmark = pytest.mark.django_db


def newest(count, **kwargs):
    """``count`` public stories, the last made the newest (one minute apart)."""
    now = timezone.now()
    return [
        ArticleFactory(
            public=True,
            published_at=now - timedelta(minutes=count - index),
            headline=f"Story {index}",
            **kwargs,
        )
        for index in range(count)
    ]


def arrange(by=None, **parts):
    front = FrontPage.current()
    return editorial.arrange_front(by=by, expected_version=front.version, **parts)


def headlines(stories):
    return [story.headline for story in stories]


class TestFilledByPublicationTime:
    def test_with_no_arrangement_the_newest_leads_and_the_next_are_the_top(self):
        stories = newest(TOP_STORIES + 3)
        front = front_page.assemble()
        assert front.lead == stories[-1]
        assert headlines(front.top) == headlines(reversed(stories[2:-1]))
        assert front.blocks == []

    def test_an_empty_newsroom_has_an_empty_front(self):
        front = front_page.assemble()
        assert (front.lead, front.top, front.blocks) == (None, [], [])

    def test_a_pinned_lead_and_pinned_top_stories_come_first_in_their_order(self):
        stories = newest(10)
        old_one, old_two, old_three = stories[:3]
        arrange(lead=old_two, top=[(old_three, None), (old_one, None)])
        front = front_page.assemble()
        assert front.lead == old_two
        assert headlines(front.top[:2]) == ["Story 2", "Story 0"]
        # Then the newest not shown yet, up to the front's size.
        assert headlines(front.top[2:]) == ["Story 9", "Story 8", "Story 7", "Story 6"]
        assert len(front.stories) == len({story.pk for story in front.stories})

    def test_a_pin_that_has_ended_is_no_pin(self):
        stories = newest(4)
        arrange(
            lead=stories[0],
            lead_until=timezone.now() + timedelta(hours=1),
            top=[(stories[1], timezone.now() + timedelta(hours=2))],
        )
        later = timezone.now() + timedelta(hours=3)
        FrontPage.objects.update(lead_until=timezone.now() - timedelta(seconds=1))
        front = front_page.assemble(now=later)
        assert front.lead == stories[-1]  # the newest leads again
        assert stories[1] not in front.top[:1]

    def test_the_front_changes_by_itself_when_its_first_pin_in_force_ends(self):
        stories = newest(3)
        soon = timezone.now() + timedelta(minutes=30)
        later = timezone.now() + timedelta(hours=5)
        arrange(lead=stories[0], lead_until=later, top=[(stories[1], soon)])
        assert front_page.assemble().changes_at == soon
        arrange(lead=stories[0])
        assert front_page.assemble().changes_at is None


class TestOnlyPublicStories:
    """The leak test of the front: pins are read against public() at request time."""

    def test_an_unpublished_or_archived_pin_leaves_the_front_at_once(self, editor):
        lead, top, other = newest(3)
        arrange(lead=lead, top=[(top, None)])
        editorial.unpublish(Article.objects.get(pk=lead.pk), by=editor)
        editorial.archive(Article.objects.get(pk=top.pk), by=editor)
        front = front_page.assemble()
        assert front.stories == [other]

    def test_a_scheduled_pin_appears_at_its_time(self, editor):
        (public,) = newest(1)
        due = ArticleFactory(
            status=Status.PUBLISHED,
            published_at=timezone.now() + timedelta(minutes=5),
            headline="Due at noon",
        )
        arrange(lead=due)
        assert front_page.assemble().stories == [public]
        Article.objects.filter(pk=due.pk).update(published_at=timezone.now())  # noon comes
        assert front_page.assemble().lead == due

    def test_no_draft_review_archived_or_scheduled_story_fills_the_front(self):
        section = SectionFactory(name="Politics")
        for status in (Status.DRAFT, Status.REVIEW, Status.ARCHIVED):
            ArticleFactory(status=status, section=section, headline=f"Hidden {status}")
        ArticleFactory(
            status=Status.PUBLISHED,
            published_at=timezone.now() + timedelta(hours=1),
            section=section,
            headline="Hidden scheduled",
        )
        arrange(blocks=[section])
        front = front_page.assemble()
        assert front.lead is None and front.top == []
        assert front.blocks == [(section, [])]

    def test_pages_never_show_what_is_not_public(self, client, editor):
        section = SectionFactory(name="Politics", slug="politics")
        shown, pulled = newest(2, section=section)
        arrange(lead=pulled, top=[(shown, None)], blocks=[section])
        editorial.unpublish(Article.objects.get(pk=pulled.pk), by=editor)
        ArticleFactory(status=Status.REVIEW, section=section, headline="Hidden review")
        for url in (
            "/",
            "/sections/politics/",
            "/sections/politics/feed/",
            "/sections/politics/feed/atom/",
        ):
            page = client.get(url).content.decode()
            assert "Hidden review" not in page, url
            assert pulled.headline not in page, url
            assert shown.headline in page, url


class TestBlocks:
    def test_each_block_shows_its_sections_newest_stories_not_shown_above(self):
        politics, economy, empty = (SectionFactory(name=n) for n in ("Politics", "Economy", "Arts"))
        newest(3)
        newest(6, section=politics)
        newest(2, section=economy)
        arrange(blocks=[economy, politics, empty])
        front = front_page.assemble()
        shown_above = {story.pk for story in [front.lead, *front.top]}
        (first, first_stories), (second, second_stories), (third, third_stories) = front.blocks
        assert (first, second, third) == (economy, politics, empty)
        assert not shown_above & {story.pk for story in first_stories + second_stories}
        assert len(second_stories) <= 4 and third_stories == []
        for section, stories in front.blocks:
            assert all(story.section_id == section.pk for story in stories)
            assert stories == sorted(stories, key=lambda s: (s.published_at, s.pk), reverse=True)

    def test_a_deleted_section_takes_its_block_with_it(self, editor):
        section = SectionFactory(name="Arts")
        arrange(blocks=[section])
        section.delete()
        assert front_page.assemble().blocks == []


class TestArranging:
    def test_one_save_is_one_revision_saying_what_changed(self, editor):
        first, second = newest(2)
        section = SectionFactory(name="Politics")
        arrange(by=editor, lead=first, top=[(second, None)], blocks=[section])
        versions = list(history.front_versions())
        assert len(versions) == 1
        comment = versions[0].revision.comment
        assert comment == ("Lead: “Story 0”; top stories: “Story 1”; section blocks: Politics.")
        assert versions[0].revision.user == editor
        # The revision holds the pins and blocks as saved.
        held = {v.content_type.model for v in Version.objects.filter(revision=versions[0].revision)}
        assert held == {"frontpage", "frontpin", "frontblock"}
        arrange(by=editor, lead=first, top=[(second, None)], blocks=[])
        assert history.front_versions()[0].revision.comment == "Section blocks: none."

    def test_a_reporter_may_not_arrange_the_front(self, reporter):
        with pytest.raises(PermissionDenied):
            arrange(by=reporter)

    def test_a_colleagues_save_in_between_is_not_overwritten(self, editor):
        first, second = newest(2)
        opened = FrontPage.current().version
        editorial.arrange_front(by=editor, expected_version=opened, lead=first)
        with pytest.raises(EditConflict):
            editorial.arrange_front(by=editor, expected_version=opened, lead=second)
        assert FrontPage.current().lead == first

    @pytest.mark.parametrize("status", [Status.DRAFT, Status.REVIEW, Status.ARCHIVED])
    def test_only_a_published_story_can_be_pinned(self, editor, status):
        story = ArticleFactory(status=status, headline="<script>alert(1)</script>")
        with pytest.raises(ValidationError, match="is not published"):
            arrange(by=editor, top=[(story, None)])
        assert not FrontPage.current().pins.exists()

    def test_a_scheduled_story_can_be_pinned_in_advance(self, editor):
        due = ArticleFactory(
            status=Status.PUBLISHED, published_at=timezone.now() + timedelta(hours=1)
        )
        arrange(by=editor, lead=due)
        assert FrontPage.current().lead == due

    def test_refused_arrangements_say_why(self, editor):
        stories = newest(MAX_PINS + 1)
        section = SectionFactory()
        past = timezone.now() - timedelta(minutes=1)
        for parts, message in [
            ({"lead": stories[0], "top": [(stories[0], None)]}, "on the front once"),
            ({"top": [(s, None) for s in stories]}, f"At most {MAX_PINS}"),
            ({"lead": stories[0], "lead_until": past}, "end in the past"),
            ({"blocks": [section, section]}, "one block"),
        ]:
            with pytest.raises(ValidationError, match=message):
                arrange(by=editor, **parts)
        assert FrontPage.current().version == 1  # nothing was written

    def test_a_pin_whose_story_left_publication_may_stay(self, editor):
        kept, other = newest(2)
        arrange(by=editor, top=[(kept, None)])
        editorial.unpublish(Article.objects.get(pk=kept.pk), by=editor)
        arrange(by=editor, lead=other, top=[(Article.objects.get(pk=kept.pk), None)])
        assert FrontPage.current().pins.get().article_id == kept.pk  # kept, not refused
        assert front_page.assemble().stories == [other]


class TestCache:
    """Arranging the front stales the front, and no other page."""

    def test_arranging_the_front_stales_only_the_front(
        self, client, editor, django_assert_num_queries
    ):
        section = SectionFactory(name="Politics", slug="politics")
        first, second = newest(2, section=section)
        for url in ("/", "/sections/politics/", first.get_absolute_url()):
            client.get(url)
        arrange(by=editor, lead=first)
        with django_assert_num_queries(0):
            assert client.get("/sections/politics/").status_code == 200
            assert client.get(first.get_absolute_url()).status_code == 200
        assert client.get("/").context["front"].lead == first

    def test_the_front_is_not_kept_past_a_pins_end(self, client, editor, stored_pages):
        (story,) = newest(1)
        arrange(by=editor, lead=story, lead_until=timezone.now() + timedelta(seconds=90))
        client.get("/")
        assert stored_pages and 0 < max(timeout for _, timeout in stored_pages) <= 91


class TestRevisedAndFlag:
    def test_a_public_storys_text_edit_or_correction_is_an_update_to_readers(self, editor):
        story = ArticleFactory(public=True)
        assert story.updated_for_readers is None
        editorial.edit(story, by=editor, expected_version=story.version, changes={"body": "New."})
        story.refresh_from_db()
        assert story.updated_for_readers is not None
        first = story.revised_at
        editorial.correct(story, "The date was wrong.", by=editor)
        story.refresh_from_db()
        assert story.revised_at > first

    def test_a_draft_edit_a_retag_or_a_publication_is_not(self, editor):
        story = ArticleFactory()
        editorial.edit(story, by=editor, expected_version=story.version, changes={"body": "New."})
        editorial.publish(story, by=editor)
        story.refresh_from_db()
        editorial.edit(
            story, by=editor, expected_version=story.version, changes={"section": SectionFactory()}
        )
        story.refresh_from_db()
        assert story.revised_at is None

    def test_the_flag_is_an_edit_in_the_history(self, editor):
        story = ArticleFactory(public=True)
        editorial.edit(
            story, by=editor, expected_version=story.version, changes={"flag": "breaking"}
        )
        assert history.versions_of(story)[0].revision.comment == (
            "Changed breaking/developing flag."
        )
        story.refresh_from_db()
        assert story.get_flag_display() == "Breaking"


class TestAdmin:
    """The front's form in the admin, through the test client."""

    @pytest.fixture
    def desk(self, client, editor):
        client.force_login(editor)
        return client

    def form_data(self, front, *, lead="", lead_until=("", ""), pins=(), blocks=()):
        data = {
            "lead": lead,
            "lead_until_0": lead_until[0],
            "lead_until_1": lead_until[1],
            "opened_version": front.version,
            "pins-TOTAL_FORMS": len(pins),
            "pins-INITIAL_FORMS": 0,
            "blocks-TOTAL_FORMS": len(blocks),
            "blocks-INITIAL_FORMS": 0,
        }
        for index, (article, position) in enumerate(pins):
            data |= {
                f"pins-{index}-article": article.pk,
                f"pins-{index}-position": position,
                f"pins-{index}-front": front.pk,
            }
        for index, (section, position) in enumerate(blocks):
            data |= {
                f"blocks-{index}-section": section.pk,
                f"blocks-{index}-position": position,
                f"blocks-{index}-front": front.pk,
            }
        return data

    def url(self):
        return reverse("admin:articles_frontpage_change", args=[FrontPage.current().pk])

    def test_the_list_of_fronts_opens_the_one_front(self, desk):
        response = desk.get(reverse("admin:articles_frontpage_changelist"))
        assert response.status_code == 302 and response["Location"] == self.url()
        assert desk.get(self.url()).status_code == 200

    def test_an_editor_arranges_the_front_in_one_save(self, desk, editor):
        lead, first, second = newest(3)
        section = SectionFactory(name="Politics")
        front = FrontPage.current()
        data = self.form_data(
            front, lead=lead.pk, pins=[(first, 2), (second, 1)], blocks=[(section, 0)]
        )
        response = desk.post(self.url(), data)
        assert response.status_code == 302, response.context and response.context["errors"]
        front = FrontPage.current()
        assert front.lead == lead and front.updated_by == editor and front.version == 2
        assert [pin.article for pin in front.pins.all()] == [second, first]
        assert [block.section for block in front.blocks.all()] == [section]
        assert history.front_versions().count() == 1
        history_page = desk.get(reverse("admin:articles_frontpage_history", args=[front.pk]))
        assert "Lead: “Story 0”" in history_page.content.decode()

    def test_an_unpublished_story_is_refused_with_its_name_and_nothing_is_saved(self, desk):
        draft = ArticleFactory(headline="<b>Not yet</b>")
        front = FrontPage.current()
        response = desk.post(self.url(), self.form_data(front, pins=[(draft, 0)]))
        assert response.status_code == 200
        page = response.content.decode()
        assert "is not published" in page and "&lt;b&gt;Not yet&lt;/b&gt;" in page
        assert not FrontPage.current().pins.exists() and FrontPage.current().version == 1

    def test_a_story_twice_is_refused(self, desk):
        (story,) = newest(1)
        front = FrontPage.current()
        response = desk.post(self.url(), self.form_data(front, lead=story.pk, pins=[(story, 0)]))
        assert response.status_code == 200
        assert "on the front once" in response.content.decode()

    def test_a_colleagues_save_since_opening_is_not_overwritten(self, desk, editor):
        first, second = newest(2)
        opened = FrontPage.current()
        arrange(by=editor, lead=first)
        response = desk.post(self.url(), self.form_data(opened, lead=second.pk))
        assert response.status_code == 200
        assert "after you opened it" in response.content.decode()
        assert FrontPage.current().lead == first

    def test_malformed_input_is_a_form_error(self, desk):
        front = FrontPage.current()
        data = self.form_data(front, lead="1; DROP TABLE articles_article")
        data |= {"lead_until_0": "not a date", "lead_until_1": "25:99"}
        response = desk.post(self.url(), data)
        assert response.status_code == 200
        assert FrontPage.current().version == 1

    def test_the_story_search_offers_published_stories_by_headline(self, desk):
        ArticleFactory(public=True, headline="Pinnable vote")
        ArticleFactory(headline="Draft vote")
        response = desk.get(
            reverse("admin:autocomplete"),
            {
                "term": "vote",
                "app_label": "articles",
                "model_name": "frontpin",
                "field_name": "article",
            },
        )
        assert [row["text"] for row in response.json()["results"]] == ["Pinnable vote"]

    def test_a_reporter_cannot_open_the_front(self, client, reporter):
        client.force_login(reporter)
        assert client.get(self.url()).status_code == 403
