"""A site page written on the desk in a real browser: the story's body editor, typed into
with the keyboard, saved through the admin's form, read on the site."""

from playwright.sync_api import expect

from articles.models import SitePage
from tests.browser.conftest import body_editor, save, write_body


def test_an_editor_writes_a_page_in_the_body_editor(page, login, editor):
    login(page, editor)
    page.goto("/admin/articles/sitepage/add/")
    page.get_by_label("Title").fill("About the desk")
    write_body(page, "We edit wire copy.", "Write to us. ")
    page.keyboard.press("ControlOrMeta+B")
    page.keyboard.type("Any time.")
    page.get_by_label("Published").check()
    save(page)

    stored = SitePage.objects.get()
    assert stored.slug == "about-the-desk"
    assert (
        stored.body == "<p>We edit wire copy.</p>\n<p>Write to us. <strong>Any time.</strong></p>"
    )

    page.goto("/about-the-desk/")
    expect(page.get_by_role("heading", level=1)).to_have_text("About the desk")
    expect(page.locator(".site-page strong")).to_have_text("Any time.")
    footer = page.get_by_role("navigation", name="About the site")
    expect(footer.get_by_role("link", name="About the desk")).to_have_attribute(
        "href", "/about-the-desk/"
    )


def test_the_body_is_edited_in_the_editor_not_the_textarea(page, login, editor):
    login(page, editor)
    page.goto("/admin/articles/sitepage/add/")
    expect(body_editor(page)).to_be_visible()
    expect(page.locator("textarea#id_body")).to_be_hidden()
    expect(page.get_by_role("toolbar", name="Body formatting")).to_be_visible()
