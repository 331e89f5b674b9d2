"""A story's life on the desk, clicked through: review, schedule, publish, bulk moves,
history and restore, public corrections. The rules behind each step are tested in
tests/test_admin.py and tests/test_workflow.py; these show the screens fit together."""

from datetime import timedelta

from django.utils import timezone
from playwright.sync_api import expect

from articles.models import Article, Status
from tests.browser.conftest import save, write_body
from tests.factories import ArticleFactory
from tests.helpers import change_url

CHANGELIST = "/admin/articles/article/"


def set_publication_time(page, when):
    local = timezone.localtime(when)
    page.locator("#id_published_at_0").fill(f"{local:%Y-%m-%d}")
    page.locator("#id_published_at_1").fill(f"{local:%H:%M:%S}")


def press(page, button):
    with page.expect_navigation():
        page.locator("#workflow").get_by_role("button", name=button, exact=True).click()
    expect(page.locator(".messagelist .success")).to_be_visible()


def row_of(page, headline):
    return page.locator("#result_list tbody tr", has_text=headline)


def test_a_story_goes_from_review_to_scheduled_to_public(
    page, second_page, login, reporter, editor, client
):
    article = ArticleFactory(headline="Harvest starts early", created_by=reporter)
    login(page, reporter)
    page.goto(change_url(article))
    press(page, "Submit for review")
    assert Article.objects.get(pk=article.pk).status == Status.REVIEW

    login(second_page, editor)
    second_page.goto(change_url(article))
    set_publication_time(second_page, timezone.now() + timedelta(days=1))
    press(second_page, "Schedule")
    expect(second_page.locator(".messagelist .success")).to_contain_text("Scheduled for")
    second_page.goto(CHANGELIST)
    expect(row_of(second_page, article.headline).locator(".field-status_label")).to_have_text(
        "Scheduled"
    )
    assert client.get(article.get_absolute_url()).status_code == 404

    second_page.goto(change_url(article))
    press(second_page, "Publish now")
    second_page.goto(CHANGELIST)
    expect(row_of(second_page, article.headline).locator(".field-status_label")).to_have_text(
        "Published"
    )
    assert client.get(article.get_absolute_url()).status_code == 200


def test_a_bulk_publish_reports_what_moved_and_what_was_refused(page, login, editor):
    drafts = ArticleFactory.create_batch(2)
    archived = ArticleFactory(headline="Old news", status=Status.ARCHIVED)
    login(page, editor)
    page.goto(CHANGELIST)

    for article in [*drafts, archived]:
        row_of(page, article.headline).locator("input[name=_selected_action]").check()
    page.locator("select[name=action]").select_option("publish")
    page.locator(".actions button[name=index]").click()

    messages = page.locator(".messagelist li")
    expect(messages.filter(has_text="stories moved.")).to_have_text("2 stories moved.")
    expect(messages.filter(has_text="refused.")).to_contain_text("1 refused. “Old news”: ")
    assert Article.objects.public().count() == 2


def test_an_earlier_revision_is_compared_and_restored(page, login, editor):
    article = ArticleFactory(body="Armenia occupied 20 percent.")
    login(page, editor)
    page.goto(change_url(article))
    save(page, "Save and continue editing")
    write_body(page, "Armenia occupied 25 percent.")
    save(page, "Save and continue editing")

    page.get_by_role("link", name="History").click()
    revisions = page.locator("#revisions .revision")
    expect(revisions).to_have_count(2)
    expect(revisions.first).to_contain_text("editor")
    expect(revisions.first).to_contain_text("Changed body.")

    revisions.last.get_by_role("link", name="Compare with current").click()
    expect(page.locator("#diff-body del")).to_have_text("20")
    expect(page.locator("#diff-body ins")).to_have_text("25")
    page.locator("#restore-revision").click()

    expect(page.locator(".messagelist .success")).to_have_text(
        "Revision restored as a new revision."
    )
    expect(page.locator("#id_body")).to_have_value("<p>Armenia occupied 20 percent.</p>")
    page.get_by_role("link", name="History").click()
    expect(page.locator("#revisions .revision")).to_have_count(3)


def test_a_correction_is_published_on_the_story_and_the_corrections_page(page, login, editor):
    article = ArticleFactory(public=True, headline="Ganja shelled overnight")
    correction = "An earlier version gave the wrong date."
    login(page, editor)
    page.goto(change_url(article))

    page.locator("#correction-text").fill(correction)
    page.locator("#add-correction-button").click()

    expect(page.locator(".messagelist .success")).to_have_text("Correction published.")
    expect(page.locator("#corrections")).to_contain_text(correction)
    page.goto(article.get_absolute_url())
    expect(page.locator("section#corrections")).to_contain_text(correction)
    page.goto("/corrections/")
    expect(page.get_by_role("link", name=article.headline)).to_be_visible()
