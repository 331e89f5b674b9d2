"""The desk dashboard and the wire inbox, clicked through: copy pasted and uploaded into
the inbox, the drafts found with their links, a story scheduled in the change form seen
on the dashboard; both pages checked by axe-core and laid out at desktop and tablet width.
The rules behind each list and result are tested in tests/test_admin_dashboard.py and
tests/test_admin_inbox.py."""

import re
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from articles import editorial, intake
from articles.models import Article, WireItem
from tests.browser.conftest import TIMEOUT_MS, serious_violations
from tests.browser.test_desk_history import press, set_publication_time
from tests.factories import ArticleFactory
from tests.helpers import change_url
from tests.seed import SEED_TEXT
from tests.test_admin_dashboard import every_kind_of_story

WIRE_FILES = Path(__file__).resolve().parents[1] / "wire"
INBOX = "/admin/articles/article/inbox/"
WIDTHS = {"desktop": 1280, "tablet": 768}


def take_in(page):
    with page.expect_navigation():
        page.get_by_role("button", name="Take in").click()
    return page.locator("#inbox-results")


def test_pasted_copy_becomes_a_draft_found_with_its_links(page, login, editor, seed):
    login(page, editor)
    page.locator("#user-tools").get_by_role("link", name="Wire inbox").click()
    page.get_by_label("Paste copy").fill(SEED_TEXT)

    results = take_in(page)

    row = results.locator("tr", has_text="Pasted copy")
    expect(row).to_contain_text("New draft")
    article = WireItem.objects.get(origin="inbox: pasted").article
    expect(row.get_by_role("link", name="Zakir Hasanov", exact=True)).to_be_visible()
    expect(row.get_by_role("link", name="Ganja", exact=True)).to_be_visible()
    expect(row.get_by_role("link", name="Trend News Agency").first).to_be_visible()
    row.get_by_role("link", name=article.headline).click()
    expect(page).to_have_url(re.compile(re.escape(change_url(article)) + "$"))
    expect(page.get_by_role("textbox", name="Headline")).to_have_value(article.headline)


def test_two_files_uploaded_at_once_are_two_results_and_one_is_taken(page, login, editor, seed):
    login(page, editor)
    page.goto(INBOX)
    page.get_by_label("Or choose files").set_input_files(
        [
            {
                "name": "quiet.txt",
                "mimeType": "text/plain",
                "buffer": b"By Trend\n\nA quiet day in Ganja, residents said on Tuesday.",
            },
            {
                "name": "azertac.json",
                "mimeType": "application/json",
                "buffer": (WIRE_FILES / "ninjs2_azertac.json").read_bytes(),
            },
        ]
    )

    results = take_in(page)

    expect(results.locator("tbody tr")).to_have_count(2)
    expect(results.locator("tr", has_text="quiet.txt")).to_contain_text("New draft")
    expect(results.locator("tr", has_text="azertac.json")).to_contain_text("New draft")
    drafts = page.locator("#inbox-drafts tbody tr")
    expect(drafts).to_have_count(2)
    quiet = WireItem.objects.get(origin="inbox: quiet.txt").article
    drafts.filter(has_text=quiet.headline).get_by_role("button", name="Take").click()
    expect(page).to_have_url(re.compile(re.escape(change_url(quiet)) + "$"))
    page.goto(INBOX)
    expect(page.locator("#inbox-drafts tbody tr")).to_have_count(1)


def test_a_story_scheduled_in_the_change_form_is_on_the_dashboard(page, login, editor):
    article = ArticleFactory(headline="Budget day", created_by=editor)
    when = timezone.now() + timedelta(days=1)
    login(page, editor)
    expect(page.locator("#my-drafts")).to_contain_text("Budget day")

    page.goto(change_url(article))
    set_publication_time(page, when)
    press(page, "Schedule")
    page.locator("#site-name").get_by_role("link").click()

    scheduled = page.locator("#scheduled")
    expect(scheduled.get_by_role("link", name="Budget day")).to_be_visible()
    local = timezone.localtime(when)
    expect(scheduled.locator("tr", has_text="Budget day")).to_contain_text(
        f"{local.day} {local:%b %Y, %H:%M}"
    )
    expect(page.locator("#my-drafts")).not_to_contain_text("Budget day")


@pytest.fixture
def busy_desk(seed, editor, reporter):
    """Every list of the dashboard and the inbox with something in it."""
    every_kind_of_story(editor, reporter)
    article = intake.take_in(SEED_TEXT).article
    body = article.body.replace("special service meeting", "meeting")
    editorial.edit(article, by=editor, expected_version=article.version, changes={"body": body})
    intake.take_in(SEED_TEXT + "\n\nThe ministry said the front line remained tense.\n")
    intake.take_in("By Trend\n\nA quiet day in Ganja, residents said on Tuesday.")
    Article.objects.filter(pk=article.pk).update(headline_needs_review=True)


def inbox_with_results(page):
    page.goto(INBOX)
    page.get_by_label("Paste copy").fill("By Trend\n\nThe harvest in Khizi began a week early.")
    page.get_by_label("Or choose files").set_input_files(
        [{"name": "broken.json", "mimeType": "application/json", "buffer": b"{"}]
    )
    take_in(page)


@pytest.mark.parametrize("screen", ["dashboard", "inbox"])
def test_no_serious_accessibility_violations(axe_page, login, editor, busy_desk, screen):
    login(axe_page, editor)
    if screen == "inbox":
        inbox_with_results(axe_page)
        expect(axe_page.locator(".word-diff ins").first).to_be_visible()

    serious = serious_violations(axe_page)

    assert not serious, f"{screen}:\n" + "\n".join(serious)


@pytest.mark.parametrize("width", WIDTHS.values(), ids=WIDTHS.keys())
@pytest.mark.parametrize("screen", ["dashboard", "inbox"])
def test_no_sideways_scrolling(new_context, login, editor, busy_desk, screen, width):
    context = new_context(viewport={"width": width, "height": 900})
    context.set_default_timeout(TIMEOUT_MS)
    page = login(context.new_page(), editor)
    if screen == "inbox":
        inbox_with_results(page)

    scrolled = page.evaluate("document.documentElement.scrollWidth")

    assert scrolled <= width, f"the {screen} is {scrolled} px wide at {width} px"
