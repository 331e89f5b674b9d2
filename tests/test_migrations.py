"""Data migrations, run on rows as an older release stored them."""

from datetime import UTC, datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE_TIDY = [("articles", "0010_indexes_for_a_large_archive")]
TIDY = [("articles", "0011_tidy_stored_text")]


@pytest.fixture
def migrate():
    """Move the test database to a migration; back to the latest afterwards."""

    def to(target):
        executor = MigrationExecutor(connection)
        executor.migrate(target)
        return executor.loader.project_state(target).apps

    yield to
    to(MigrationExecutor(connection).loader.graph.leaf_nodes())


@pytest.mark.django_db(transaction=True)
def test_stored_text_gets_lf_line_endings(migrate):
    old = migrate(BEFORE_TIDY)
    article = old.get_model("articles", "Article").objects.create(
        headline="Ganja\r\nshelled",
        slug="ganja-shelled",
        body="First paragraph.\r\n\r\nSecond paragraph.",
        body_html="<p>First paragraph. Second paragraph.</p>",
        summary="One\rline.",
        status="published",
        published_at=datetime(2020, 10, 6, 8, 0, 0, 123456, tzinfo=UTC),
        original_text="As received:\r\n\r\nkept.",
    )
    old.get_model("articles", "Correction").objects.create(article=article, text="It was\r\nwrong.")

    new = migrate(TIDY)

    stored = new.get_model("articles", "Article").objects.get(pk=article.pk)
    assert stored.body == "First paragraph.\n\nSecond paragraph."
    assert (stored.headline, stored.summary) == ("Ganja\nshelled", "One\nline.")
    assert stored.body_html == ""  # rendered again by relink, from the repaired body
    assert stored.published_at == datetime(2020, 10, 6, 8, 0, 0, 123456, tzinfo=UTC)
    assert stored.original_text == "As received:\r\n\r\nkept."  # the copy as received
    assert new.get_model("articles", "Correction").objects.get().text == "It was\nwrong."


@pytest.mark.django_db(transaction=True)
def test_untouched_rows_stay_as_they_are(migrate):
    old = migrate(BEFORE_TIDY)
    article = old.get_model("articles", "Article").objects.create(
        headline="Calm", slug="calm", body="One.\n\nTwo.", body_html="<p>One.</p>\n<p>Two.</p>"
    )
    new = migrate(TIDY)
    stored = new.get_model("articles", "Article").objects.get(pk=article.pk)
    assert (stored.body, stored.body_html) == ("One.\n\nTwo.", "<p>One.</p>\n<p>Two.</p>")


BEFORE_FORMAT = [("articles", "0013_removal_audience")]


@pytest.mark.django_db(transaction=True)
def test_plain_bodies_become_the_format_and_stay_searchable(migrate):
    from articles import search
    from articles.models import Article

    old = migrate(BEFORE_FORMAT)
    story = old.get_model("articles", "Article").objects.create(
        headline="Harvest",
        slug="harvest",
        body="Farmers near Ganja\nbrought in barley.\n\n* Not a list, and <b>not bold</b>.",
        status="published",
        published_at=datetime(2020, 10, 6, 8, 0, tzinfo=UTC),
    )

    migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())

    stored = Article.objects.get(pk=story.pk)
    assert stored.body == (
        "<p>Farmers near Ganja brought in barley.</p>\n"
        "<p>* Not a list, and &lt;b&gt;not bold&lt;/b&gt;.</p>"
    )
    assert stored.body_text == (
        "Farmers near Ganja brought in barley.\n\n* Not a list, and <b>not bold</b>."
    )
    assert list(search.search(Article.objects.all(), "barley")) == [stored]

    back = migrate(BEFORE_FORMAT)
    assert back.get_model("articles", "Article").objects.get(pk=story.pk).body == (
        "Farmers near Ganja brought in barley.\n\n* Not a list, and <b>not bold</b>."
    )


BEFORE_DASHBOARD = [("articles", "0014_formatted_bodies")]
DASHBOARD = [("articles", "0015_desk_dashboard")]


@pytest.mark.django_db(transaction=True)
def test_stories_in_review_keep_their_last_change_as_their_submission(migrate):
    old = migrate(BEFORE_DASHBOARD)
    User = old.get_model("auth", "User")
    Article = old.get_model("articles", "Article")
    reporter = User.objects.create(username="reporter")
    waiting = Article.objects.create(headline="Waiting", slug="waiting", status="review")
    drafted = Article.objects.create(headline="Drafted", slug="drafted", status="draft")
    changed = datetime(2020, 10, 6, 8, 0, tzinfo=UTC)
    Article.objects.filter(pk__in=[waiting.pk, drafted.pk]).update(
        updated_at=changed, updated_by=reporter
    )

    new = migrate(DASHBOARD)

    stored = new.get_model("articles", "Article").objects
    assert stored.filter(pk=waiting.pk).values_list("submitted_at", "submitted_by").get() == (
        changed,
        reporter.pk,
    )
    assert stored.filter(pk=drafted.pk).values_list("submitted_at", "submitted_by").get() == (
        None,
        None,
    )


@pytest.mark.django_db(transaction=True)
def test_the_desks_roles_gain_authors_and_lose_them_when_undone(migrate):
    def codenames(apps, group):
        permissions = apps.get_model("auth", "Group").objects.get(name=group).permissions
        return set(
            permissions.filter(codename__endswith="_author").values_list("codename", flat=True)
        )

    old = migrate([("articles", "0016_authors")])
    for group in ("Editor", "Reporter"):  # as 0004 made them (transactional tests empty tables)
        old.get_model("auth", "Group").objects.get_or_create(name=group)
    assert codenames(old, "Editor") == codenames(old, "Reporter") == set()

    new = migrate([("articles", "0017_author_roles")])
    assert codenames(new, "Editor") == {
        "add_author",
        "change_author",
        "delete_author",
        "view_author",
    }
    assert codenames(new, "Reporter") == {"view_author"}

    undone = migrate([("articles", "0016_authors")])
    assert codenames(undone, "Editor") == codenames(undone, "Reporter") == set()


@pytest.mark.django_db(transaction=True)
def test_the_desks_roles_gain_section_rules_and_lose_them_when_undone(migrate):
    def codenames(apps, group):
        permissions = apps.get_model("auth", "Group").objects.get(name=group).permissions
        return set(
            permissions.filter(codename__endswith="_sectionrule").values_list("codename", flat=True)
        )

    old = migrate([("articles", "0023_front_roles")])
    for group in ("Editor", "Reporter"):  # as 0004 made them (transactional tests empty tables)
        old.get_model("auth", "Group").objects.get_or_create(name=group)
    assert codenames(old, "Editor") == codenames(old, "Reporter") == set()

    new = migrate([("articles", "0024_section_rules")])
    assert codenames(new, "Editor") == {
        "add_sectionrule",
        "change_sectionrule",
        "delete_sectionrule",
        "view_sectionrule",
    }
    assert codenames(new, "Reporter") == {"view_sectionrule"}

    undone = migrate([("articles", "0023_front_roles")])
    assert codenames(undone, "Editor") == codenames(undone, "Reporter") == set()


@pytest.mark.django_db(transaction=True)
def test_editors_gain_the_front_page_and_lose_it_when_undone(migrate):
    def codenames(apps, group):
        permissions = apps.get_model("auth", "Group").objects.get(name=group).permissions
        return set(
            permissions.filter(codename__endswith="_frontpage").values_list("codename", flat=True)
        )

    old = migrate([("articles", "0022_front_page")])
    for group in ("Editor", "Reporter"):  # as 0004 made them (transactional tests empty tables)
        old.get_model("auth", "Group").objects.get_or_create(name=group)
    assert codenames(old, "Editor") == set()
    new = migrate([("articles", "0023_front_roles")])
    assert codenames(new, "Editor") == {"change_frontpage", "view_frontpage"}
    assert codenames(new, "Reporter") == set()
    undone = migrate([("articles", "0022_front_page")])
    assert codenames(undone, "Editor") == set()
