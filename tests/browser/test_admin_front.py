"""Arranging the front page in a real browser: the autocompletes, the inline rows, one save."""

from datetime import timedelta

from django.utils import timezone
from playwright.sync_api import expect

from articles.models import FrontPage
from tests.browser.conftest import save
from tests.factories import ArticleFactory, SectionFactory

FRONT_FORM = "/admin/articles/frontpage/"


def pick(page, select, *, typing, option):
    """Pick ``option`` in the select2 autocomplete that follows ``select`` (a CSS selector)."""
    page.locator(f"{select} + .select2 .select2-selection").click()
    page.locator(".select2-container--open .select2-search__field").fill(typing)
    results = page.locator(".select2-container--open .select2-results")
    results.get_by_role("option", name=option, exact=True).click()


def test_an_editor_pins_a_lead_and_a_top_story_and_readers_see_them(page, login, editor):
    now = timezone.now()
    ArticleFactory(
        public=True, headline="Older vote in parliament", published_at=now - timedelta(hours=3)
    )
    ArticleFactory(
        public=True, headline="Budget talks resume", published_at=now - timedelta(hours=2)
    )
    ArticleFactory(
        public=True, headline="Newest wire item", published_at=now - timedelta(minutes=5)
    )
    ArticleFactory(headline="Draft vote never pinned")
    SectionFactory(name="Politics")
    login(page, editor)
    page.goto(FRONT_FORM)  # the list of fronts opens the one front

    pick(page, "#id_lead", typing="vote", option="Older vote in parliament")
    # The story search offers published stories only.
    page.locator("#id_pins-0-article + .select2 .select2-selection").click()
    page.locator(".select2-container--open .select2-search__field").fill("vote")
    results = page.locator(".select2-container--open .select2-results")
    expect(results).to_contain_text("Older vote in parliament")
    expect(results).not_to_contain_text("Draft vote never pinned")
    page.keyboard.press("Escape")
    pick(page, "#id_pins-0-article", typing="Budget", option="Budget talks resume")
    page.locator("#id_blocks-0-section").select_option(label="Politics")
    save(page)

    front = FrontPage.current()
    assert front.lead.headline == "Older vote in parliament"
    assert [pin.article.headline for pin in front.pins.all()] == ["Budget talks resume"]
    assert [block.section.name for block in front.blocks.all()] == ["Politics"]

    page.goto("/")
    main = page.locator("main")
    expect(main).to_contain_text("Older vote in parliament")
    # The lead comes before the pinned top story, which comes before the newest.
    text = main.inner_text()
    assert (
        text.index("Older vote in parliament")
        < text.index("Budget talks resume")
        < text.index("Newest wire item")
    )
    expect(main).not_to_contain_text("Draft vote never pinned")


def test_a_draft_typed_by_its_id_is_refused_with_its_name(page, login, editor):
    ArticleFactory(public=True, headline="A public story")
    draft = ArticleFactory(headline="Still a draft")
    login(page, editor)
    page.goto(FRONT_FORM)
    # A tampered form: the hidden select given the draft's id, as a script could.
    page.locator("#id_pins-0-article").evaluate(
        "(select, id) => { select.add(new Option('x', id, true, true)); }", str(draft.pk)
    )
    with page.expect_navigation():
        page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".errornote, .errorlist").first).to_be_visible()
    expect(page.locator("#content")).to_contain_text("“Still a draft” is not published")
    assert not FrontPage.current().pins.exists()
