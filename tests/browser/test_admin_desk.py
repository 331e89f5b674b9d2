"""The editors' desk in a real browser: sign-in, select2 autocompletes, the workflow buttons."""

import pytest
from playwright.sync_api import expect

from articles.models import Article, Status
from tests.browser.conftest import save, write_body
from tests.factories import ArticleFactory, AuthorFactory
from tests.helpers import change_url

ADD_ARTICLE = "/admin/articles/article/add/"


def choose(page, field, *, typing, option):
    """Pick ``option`` in an admin autocomplete (select2) after typing ``typing``."""
    search_for(page, field, typing)
    suggestions(page).get_by_role("option", name=option, exact=True).click()


def search_for(page, field, typing):
    page.locator(f"#id_{field} + .select2 .select2-selection").click()
    page.locator(".select2-container--open .select2-search__field").fill(typing)


def suggestions(page):
    return page.locator(".select2-container--open .select2-results")


def test_an_editor_signs_in_and_finds_the_seed_article(page, login, editor, seed):
    login(page, editor)
    expect(page.get_by_role("heading", name="Dashboard", exact=True)).to_be_visible()

    page.locator("#articles-article").get_by_role("link", name="Articles").click()

    expect(page.locator("#result_list")).to_contain_text(
        "Azerbaijan’s defense minister warns of retaliation"
    )


def test_an_editor_writes_a_draft_with_autocompleted_links(page, login, editor, seed):
    # Neither text names a place or an agency, so only the widgets can link them.
    headline = "Schools reopen after the holiday"
    login(page, editor)
    page.goto(ADD_ARTICLE)
    page.get_by_role("textbox", name="Headline").fill(headline)
    page.get_by_role("textbox", name="Body").fill("Pupils went back to class on Monday.")
    choose(page, "source", typing="Trend", option="Trend News Agency")
    choose(page, "places", typing="Gan", option="Ganja")

    save(page)

    expect(page.locator("#result_list")).to_contain_text(headline)
    article = Article.objects.get(headline=headline)
    assert article.status == Status.DRAFT
    assert article.source.slug == "trend"
    assert list(article.places.values_list("slug", flat=True)) == ["ganja"]


def test_an_editor_credits_a_draft_to_its_authors_by_name_or_alias(page, login, editor, seed):
    AuthorFactory(name="Jane Doe", aliases=["Canan Doe"])
    AuthorFactory(name="John Roe")
    headline = "Harvest begins in the south"
    login(page, editor)
    page.goto(ADD_ARTICLE)
    page.get_by_role("textbox", name="Headline").fill(headline)
    choose(page, "authors", typing="Canan", option="Jane Doe")
    choose(page, "authors", typing="Roe", option="John Roe")

    save(page)

    expect(page.locator("#result_list")).to_contain_text(headline)
    article = Article.objects.get(headline=headline)
    assert sorted(article.authors.values_list("name", flat=True)) == ["Jane Doe", "John Roe"]
    assert article.credit_line == "By Jane Doe and John Roe"


def test_the_autocompletes_are_named_by_their_labels_for_screen_readers(page, login, editor, seed):
    login(page, editor)
    page.goto(ADD_ARTICLE)
    # Named as the admin names every field, by its label ("Dateline:").
    dateline = page.get_by_role("combobox", name="Dateline:", exact=True)
    expect(dateline).to_be_visible()
    expect(page.get_by_role("searchbox", name="Places", exact=True)).to_be_visible()

    choose(page, "dateline", typing="Gan", option="Ganja")

    # Once chosen, the box says both what it is and what was chosen.
    expect(page.get_by_role("combobox", name="Dateline: Ganja", exact=True)).to_be_visible()


@pytest.mark.parametrize(("alias", "place"), [("Gəncə", "Ganja"), ("Azerbaijani", "Azerbaijan")])
def test_the_place_autocomplete_finds_a_place_by_alias(page, login, editor, seed, alias, place):
    login(page, editor)
    page.goto(ADD_ARTICLE)

    search_for(page, "places", alias)

    expect(suggestions(page).get_by_role("option", name=place, exact=True)).to_be_visible()


def workflow_buttons(page):
    return page.locator("#workflow button")


def test_a_reporter_submits_a_draft_for_review(page, login, reporter, seed):
    headline = "Council meets on Tuesday"
    login(page, reporter)
    page.goto(ADD_ARTICLE)
    page.get_by_role("textbox", name="Headline").fill(headline)
    page.get_by_role("textbox", name="Body").fill("The council will meet to discuss the budget.")

    # A reporter may draft and submit; publishing and archiving are an editor's.
    expect(workflow_buttons(page)).to_have_text(["Submit for review"])
    page.get_by_role("button", name="Submit for review").click()

    expect(page.locator(".messagelist .success")).to_have_text("Created; submitted for review.")
    article = Article.objects.get(headline=headline)
    assert article.status == Status.REVIEW
    assert article.created_by == reporter
    # Once in review it is the editors' to publish: the reporter may not change it.
    expect(workflow_buttons(page)).to_have_count(0)


def test_an_editor_publishes_with_one_click(page, login, editor):
    article = ArticleFactory(headline="Bridge reopens", status=Status.REVIEW)
    login(page, editor)
    page.goto(change_url(article))
    expect(workflow_buttons(page)).to_have_text(["Publish now", "Schedule", "Return to draft"])

    page.get_by_role("button", name="Publish now").click()

    expect(page.locator(".messagelist .success")).to_have_text("Published.")
    assert Article.objects.get(pk=article.pk).is_public
    expect(workflow_buttons(page)).to_have_text(["Unpublish", "Archive"])


def test_preview_shows_a_draft_with_a_note_for_the_editor(page, login, editor):
    article = ArticleFactory(headline="Bridge to reopen in spring")
    login(page, editor)
    page.goto(change_url(article))

    page.locator("#preview-link").click()

    expect(page).to_have_url(f"/admin/articles/article/{article.pk}/preview/")
    expect(page.get_by_role("heading", name=article.headline)).to_be_visible()
    expect(page.get_by_role("note")).to_contain_text("readers cannot see it yet")


def test_paragraphs_typed_into_the_body_are_paragraphs_on_the_public_page(page, login, editor):
    article = ArticleFactory(public=True, body="Old text.")
    login(page, editor)
    page.goto(change_url(article))

    write_body(page, "First paragraph.", "Second one.", "Third one.")
    save(page)

    page.goto(article.get_absolute_url())
    expect(page.locator(".story .body p")).to_have_text(
        ["First paragraph.", "Second one.", "Third one."]
    )
    stored = Article.objects.get(pk=article.pk)
    assert stored.body_text == "First paragraph.\n\nSecond one.\n\nThird one."


def test_publishing_a_correction_saves_the_edits_made_with_it(page, login, editor):
    article = ArticleFactory(public=True, headline="Ganja shelled overnight")
    login(page, editor)
    page.goto(change_url(article))
    page.locator("#id_headline").fill("Ganja shelled on Tuesday night")
    page.locator("#correction-text").fill("An earlier version gave the wrong night.")

    page.get_by_role("button", name="Publish correction").click()

    expect(page.locator(".messagelist .success")).to_have_text("Correction published.")
    expect(page.locator("#id_headline")).to_have_value("Ganja shelled on Tuesday night")
    stored = Article.objects.get(pk=article.pk)
    assert stored.headline == "Ganja shelled on Tuesday night"
    assert [c.text for c in stored.corrections.all()] == [
        "An earlier version gave the wrong night."
    ]


def test_a_correction_sent_with_save_is_kept_not_lost(page, login, editor):
    article = ArticleFactory(public=True)
    login(page, editor)
    page.goto(change_url(article))
    page.locator("#correction-text").fill("Typed, then Save pressed by mistake.")

    page.get_by_role("button", name="Save", exact=True).click()

    expect(page.locator("#correction-text")).to_have_value("Typed, then Save pressed by mistake.")
    expect(page.locator(".errorlist")).to_contain_text("Press “Publish correction”")
    assert not Article.objects.get(pk=article.pk).corrections.exists()
