"""Two editors on one story, and work kept between saves: what the desk's JavaScript and the
conflict check do in a browser (the endpoints themselves are tested in tests/test_admin.py)."""

import re

import pytest
from playwright.sync_api import expect
from reversion.models import Version

from articles.models import Article
from tests.browser.conftest import body_editor, save, write_body
from tests.factories import ArticleFactory, staff
from tests.helpers import change_url


@pytest.fixture
def alice(roles):
    """A second editor, at another desk."""
    return staff("alice", "Editor")


@pytest.fixture
def quick_desk(settings):
    """Heartbeats and autosaves every second, so tests wait a second, not half a minute."""
    settings.PRESENCE_HEARTBEAT_SECONDS = 1
    settings.AUTOSAVE_SECONDS = 1


def body_of(article):
    return Article.objects.get(pk=article.pk).body_text


def test_two_editors_edits_to_different_fields_are_both_kept(
    page, second_page, login, editor, alice
):
    article = ArticleFactory(headline="Bridge to reopen", body="The bridge will reopen in May.")
    login(page, alice)
    page.goto(change_url(article))
    save(page, "Save and continue editing")  # the revision both editors start from
    login(second_page, editor)
    second_page.goto(change_url(article))

    write_body(page, "The bridge will reopen in June.")
    save(page)
    second_page.locator("#id_headline").fill("Bridge to reopen in summer")
    save(second_page)

    expect(second_page.locator(".messagelist .info").first).to_contain_text(
        re.compile(
            "alice saved this story after you opened it; their changes to the body are kept", re.I
        )
    )
    stored = Article.objects.get(pk=article.pk)
    assert (stored.headline, stored.body_text) == (
        "Bridge to reopen in summer",
        "The bridge will reopen in June.",
    )


def test_a_paragraph_both_editors_changed_is_theirs_to_choose(
    page, second_page, login, editor, alice
):
    article = ArticleFactory(body="The bridge will reopen in May.\n\nTolls stay as they are.")
    login(page, alice)
    page.goto(change_url(article))
    save(page, "Save and continue editing")
    login(second_page, editor)
    second_page.goto(change_url(article))

    write_body(page, "The bridge will reopen in June.", "Tolls stay as they are.")
    save(page)
    write_body(second_page, "The bridge will reopen in July.", "Tolls will rise.")
    second_page.get_by_role("button", name="Save", exact=True).click()

    expect(second_page.locator(".errorlist.nonfield")).to_contain_text("alice saved this story at")
    conflict = second_page.locator("#edit-conflict")
    expect(conflict.locator(".word-diff del")).to_have_text("May.")
    expect(conflict.locator(".word-diff ins")).to_have_text("June.")
    expect(conflict.locator("#choose-body-0")).to_contain_text("The bridge will reopen in June.")
    assert body_of(article) == "The bridge will reopen in June.\n\nTolls stay as they are."

    conflict.get_by_role("radio", name=re.compile("^Yours")).check()
    save(second_page)

    # Their paragraph is the editor's choice; the other paragraph was only the editor's.
    assert body_of(article) == "The bridge will reopen in July.\n\nTolls will rise."


def test_each_editor_sees_who_else_has_the_story_open(
    page, second_page, login, editor, alice, quick_desk
):
    article = ArticleFactory()
    login(page, editor)
    page.goto(change_url(article))
    expect(page.locator("#presence")).to_be_hidden()

    login(second_page, alice)
    second_page.goto(change_url(article))

    expect(second_page.locator("#presence")).to_have_text("Also open by: editor")
    expect(page.locator("#presence")).to_have_text("Also open by: alice")  # without a reload


def test_an_editor_who_leaves_the_story_is_no_longer_shown(
    page, second_page, login, editor, alice, quick_desk
):
    article = ArticleFactory()
    login(page, editor)
    page.goto(change_url(article))
    login(second_page, alice)
    second_page.goto(change_url(article))
    expect(page.locator("#presence")).to_have_text("Also open by: alice")

    second_page.goto("/admin/")

    expect(page.locator("#presence")).to_be_hidden()


def type_and_close_without_saving(page, article, body):
    """Type into the story until the desk has autosaved it, then close the tab."""
    page.goto(change_url(article))
    write_body(page, body)
    expect(page.locator("#autosave-status")).to_have_text(
        re.compile(r"^Unsaved changes autosaved at \d\d:\d\d:\d\d\.$")
    )
    page.close()


def test_typed_text_is_autosaved_and_restored_after_the_tab_is_closed(
    page, login, editor, quick_desk
):
    article = ArticleFactory(body="Saved text.")
    revisions = Version.objects.get_for_object(article).count()
    login(page, editor)
    type_and_close_without_saving(page, article, "Typed but never saved.")

    reopened = page.context.new_page()
    reopened.goto(change_url(article))
    expect(reopened.locator("#autosave-offer")).to_be_visible()
    expect(reopened.locator("#autosave-offer")).to_contain_text("You have unsaved changes from")
    expect(reopened.locator("#id_body")).to_have_value("<p>Saved text.</p>")
    expect(body_editor(reopened)).to_have_text("Saved text.")
    reopened.locator("#autosave-restore").click()

    expect(body_editor(reopened)).to_have_text("Typed but never saved.")
    expect(reopened.locator("#id_body")).to_have_value("<p>Typed but never saved.</p>")
    expect(reopened.locator("#autosave-offer")).to_be_hidden()
    assert body_of(article) == "Saved text."
    assert Version.objects.get_for_object(article).count() == revisions


def test_a_discarded_autosave_is_not_offered_again(page, login, editor, quick_desk):
    article = ArticleFactory(body="Saved text.")
    login(page, editor)
    type_and_close_without_saving(page, article, "Typed but never saved.")
    reopened = page.context.new_page()
    reopened.goto(change_url(article))

    with reopened.expect_response(lambda response: "/autosave/discard/" in response.url):
        reopened.locator("#autosave-discard").click()

    expect(reopened.locator("#autosave-offer")).to_be_hidden()
    expect(reopened.locator("#id_body")).to_have_value("<p>Saved text.</p>")
    reopened.reload()
    expect(reopened.locator("#id_body")).to_have_value("<p>Saved text.</p>")
    expect(reopened.locator("#autosave-offer")).to_be_hidden()
