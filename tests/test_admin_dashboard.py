"""The desk dashboard, the admin's home: each list, its bound and its link, the desk's name."""

from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils import timezone

from articles import editorial
from articles.admin_site import DASHBOARD_ROWS
from articles.models import Article, Handled, Status
from tests.factories import ArticleFactory, UserFactory, WireItemFactory
from tests.test_admin import client_for

pytestmark = pytest.mark.django_db

DASHBOARD = reverse("admin:index")
CHANGELIST = reverse("admin:articles_article_changelist")
LISTS = ["my_drafts", "in_review", "scheduled", "published", "flagged"]


def soon(**delta):
    return timezone.now() + timedelta(**delta)


def ago(**delta):
    return timezone.now() - timedelta(**delta)


def headlines(response, name):
    return [story.headline for story in response.context["stories"][name]]


def every_kind_of_story(editor, reporter):
    """One story or more for each list, and some that belong on none."""
    made = {
        "mine": ArticleFactory(headline="My draft", created_by=editor),
        "theirs": ArticleFactory(headline="Their draft", created_by=reporter),
        "first_in": ArticleFactory(headline="Waiting since dawn", created_by=reporter),
        "later_in": ArticleFactory(headline="Waiting since noon", created_by=reporter),
        "tomorrow": ArticleFactory(
            headline="Tomorrow", status=Status.PUBLISHED, published_at=soon(days=1)
        ),
        "in_an_hour": ArticleFactory(
            headline="In an hour", status=Status.PUBLISHED, published_at=soon(hours=1)
        ),
        "fresh": ArticleFactory(
            headline="Fresh", status=Status.PUBLISHED, published_at=ago(hours=2)
        ),
        "old": ArticleFactory(headline="Old", status=Status.PUBLISHED, published_at=ago(days=2)),
        "flagged": ArticleFactory(headline="Cut from the copy", headline_needs_review=True),
        "archived": ArticleFactory(headline="Archived", status=Status.ARCHIVED),
    }
    for key in ("first_in", "later_in"):
        editorial.submit(made[key], by=reporter)
    Article.objects.filter(pk=made["first_in"].pk).update(submitted_at=ago(hours=6))
    return made


class TestLists:
    def test_each_list_holds_its_stories_in_its_order(self, editor, reporter):
        every_kind_of_story(editor, reporter)

        response = client_for(editor).get(DASHBOARD)

        assert response.status_code == 200
        assert headlines(response, "my_drafts") == ["My draft"]
        assert headlines(response, "in_review") == ["Waiting since dawn", "Waiting since noon"]
        assert headlines(response, "scheduled") == ["In an hour", "Tomorrow"]
        assert headlines(response, "published") == ["Fresh"]
        assert headlines(response, "flagged") == ["Cut from the copy"]

    def test_the_review_list_says_who_submitted_and_when(self, editor, reporter, settings):
        settings.TIME_ZONE = "Asia/Baku"
        story = ArticleFactory(headline="Harvest starts early", created_by=reporter)
        editorial.submit(story, by=reporter)
        at = datetime(2020, 10, 6, 8, 0, tzinfo=UTC)
        Article.objects.filter(pk=story.pk).update(submitted_at=at)

        page = client_for(editor).get(DASHBOARD).text

        row = page[page.index("Harvest starts early") :].split("</tr>")[0]
        assert "reporter" in row
        assert "6 Oct 2020, 12:00" in row  # Baku is UTC+04:00
        assert "Submitted (Asia/Baku)" in page

    def test_scheduled_stories_are_said_to_be_under_embargo_with_their_times(
        self, editor, settings
    ):
        settings.TIME_ZONE = "Asia/Baku"
        ArticleFactory(
            headline="Budget day",
            status=Status.PUBLISHED,
            published_at=datetime(2999, 3, 1, 6, 30, tzinfo=UTC),
        )

        page = client_for(editor).get(DASHBOARD).text

        assert "Scheduled — partners hold these under embargo" in page
        assert "Goes public (Asia/Baku)" in page
        assert "1 Mar 2999, 10:30" in page
        assert '<time datetime="2999-03-01T06:30:00+00:00">' in page

    def test_the_inbox_lists_new_wire_drafts_until_someone_decides(self, editor):
        waiting = WireItemFactory(article__headline="Fresh off the wire")
        WireItemFactory(article__headline="Taken already", handled=Handled.TAKEN)
        WireItemFactory(article__headline="Sent for review", article__status=Status.REVIEW)

        response = client_for(editor).get(DASHBOARD)

        assert [item.article.headline for item in response.context["inbox"]] == [
            "Fresh off the wire"
        ]
        assert reverse("admin:articles_article_change", args=[waiting.article_id]) in response.text
        assert reverse("admin:articles_article_inbox") in response.text

    @pytest.mark.parametrize("name", LISTS)
    def test_each_list_links_to_all_of_its_stories(self, editor, reporter, name):
        every_kind_of_story(editor, reporter)
        client = client_for(editor)
        dashboard = client.get(DASHBOARD)

        link = dashboard.context["all_of"][name]
        listed = client.get(link)

        assert urlsplit(link).path == CHANGELIST
        assert listed.status_code == 200
        assert {story.headline for story in listed.context["cl"].result_list} == set(
            headlines(dashboard, name)
        )

    def test_lists_are_cut_at_their_bound(self, editor):
        for _ in range(DASHBOARD_ROWS + 2):
            ArticleFactory(created_by=editor)
        client = client_for(editor)

        response = client.get(DASHBOARD)
        everything = client.get(response.context["all_of"]["my_drafts"])

        assert len(response.context["stories"]["my_drafts"]) == DASHBOARD_ROWS
        assert len(everything.context["cl"].result_list) == DASHBOARD_ROWS + 2

    def test_what_the_desk_typed_is_escaped(self, editor):
        ArticleFactory(headline="<script>alert(1)</script>", created_by=editor)
        WireItemFactory(article__headline="<img src=x onerror=alert(2)>")

        page = client_for(editor).get(DASHBOARD).text

        assert "<script>alert(1)</script>" not in page
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
        assert "<img src=x" not in page

    @pytest.mark.parametrize("n", [3, 300])
    def test_queries_are_fixed_whatever_the_number_of_stories(
        self, editor, reporter, django_assert_max_num_queries, n
    ):
        for number in range(n):
            match number % 6:
                case 0:
                    ArticleFactory(created_by=editor, updated_by=reporter)
                case 1:
                    ArticleFactory(
                        status=Status.REVIEW,
                        submitted_by=reporter,
                        submitted_at=ago(minutes=number),
                    )
                case 2:
                    ArticleFactory(status=Status.PUBLISHED, published_at=soon(minutes=number + 1))
                case 3:
                    ArticleFactory(status=Status.PUBLISHED, published_at=ago(minutes=number))
                case 4:
                    ArticleFactory(headline_needs_review=True)
                case 5:
                    WireItemFactory(received_by=reporter)
        client = client_for(editor)
        client.get(DASHBOARD)  # the session and permissions, as for every later page

        with django_assert_max_num_queries(10):
            response = client.get(DASHBOARD)

        assert response.status_code == 200
        shown = [len(response.context["stories"][name]) for name in LISTS]
        assert shown == [min(DASHBOARD_ROWS, (n + 5 - i) // 6) for i in range(5)]


class TestWhoSeesWhat:
    def test_signing_in_is_needed(self, client):
        response = client.get(DASHBOARD)
        assert response.status_code == 302
        assert response.url.startswith(reverse("admin:login"))

    def test_a_reporter_sees_the_lists_and_the_inbox(self, reporter, editor):
        ArticleFactory(headline="Mine, a reporter's", created_by=reporter)
        ArticleFactory(headline="The editor's", created_by=editor)

        response = client_for(reporter).get(DASHBOARD)

        assert headlines(response, "my_drafts") == ["Mine, a reporter's"]
        assert response.context["inbox"] == []

    def test_staff_who_may_not_read_stories_see_only_what_they_may(self, db):
        clerk = UserFactory(username="clerk", is_staff=True)
        clerk.user_permissions.add(Permission.objects.get(codename="view_source"))
        ArticleFactory(headline="Not for the clerk", created_by=clerk)

        response = client_for(clerk).get(DASHBOARD)

        assert response.status_code == 200
        assert "stories" not in response.context and "inbox" not in response.context
        assert "Not for the clerk" not in response.text
        assert "Wire inbox" not in response.text
        assert reverse("admin:articles_source_changelist") in response.text

    def test_every_model_is_still_listed_below(self, editor):
        page = client_for(editor).get(DASHBOARD).text
        assert "Everything on the desk" in page
        assert 'id="articles-article"' in page
        assert reverse("admin:articles_wireitem_changelist") in page


class TestBranding:
    def test_the_desk_is_named_after_the_newsroom(self, editor):
        page = client_for(editor).get(DASHBOARD).text
        assert '<div id="site-name"><a href="/admin/">Newsroom desk</a></div>' in page
        assert "<title>Dashboard | Newsroom desk</title>" in page
        assert "<h1>Dashboard</h1>" in page
        assert "Django" not in page

    def test_every_page_and_the_login_carry_the_name(self, editor, client, settings):
        settings.SITE_NAME = "Daily Planet"
        login = client.get(reverse("admin:login")).text
        listing = client_for(editor).get(CHANGELIST).text
        for page in (login, listing):
            assert "Daily Planet desk" in page
            assert "Django administration" not in page and "Django site admin" not in page

    def test_the_header_links_the_dashboard_and_the_inbox(self, editor):
        page = client_for(editor).get(CHANGELIST).text
        header = page[page.index('id="user-tools"') :].split("</div>")[0]
        assert f'href="{DASHBOARD}">Dashboard</a>' in header
        assert f'href="{reverse("admin:articles_article_inbox")}">Wire inbox</a>' in header
