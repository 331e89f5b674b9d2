"""The body editor (static/desk/editor/) in a real browser: a story formatted with the
keyboard alone, links chosen in a dialog, what pasting and restoring do, the stored
format it writes (unchanged by bodies.clean), and that nothing hostile runs or breaks the
page's Content-Security-Policy. Its link search is tested in tests/test_body_editor.py."""

import pytest
from playwright.sync_api import expect

from articles import bodies
from articles.models import Article, Autosave, Person, Status
from tests.browser.conftest import body_editor, save, serious_violations, write_body
from tests.factories import ArticleFactory, PersonFactory
from tests.helpers import XSS_CORPUS, assert_body_in_the_format, change_url

ADD_ARTICLE = "/admin/articles/article/add/"

# Every construct of the format, as bodies.clean writes it: the editor gives each back
# exactly.
STORED = [
    "<p>Plain &amp; simple: 3 &lt; 4 &gt; 2, \"quoted\" and 'quoted'.</p>",
    "<h2>A subheading</h2>\n<h3>A minor one</h3>\n<p>Gəncə, Şuşa\u00a0and İsmayıllı.</p>",
    "<blockquote>\n<p>First.</p>\n<p>Second.</p>\n</blockquote>\n"
    '<blockquote class="pull-quote">\n<p>Pulled.</p>\n</blockquote>',
    "<ul>\n<li>One</li>\n<li>Two</li>\n</ul>\n<ol>\n<li>First</li>\n<li>Second</li>\n</ol>",
    "<p><strong>Bold</strong>, <em>italic</em>, <em><strong>both</strong></em> and a<br>break.</p>",
    '<p><a href="https://example.org/?a=1&amp;b=2">an address</a>, '
    '<a href="mailto:desk@newsroom.test">mail</a>, <a href="/places/ganja/">a page</a>, '
    '<a href="/people/zakir-hasanov/" data-link="person:12">a person</a>, '
    '<a data-link="article:3">a story</a> and <a href="https://example.org/"><em>an '
    "<strong>emphatic</strong></em> link</a>.</p>",
    '<figure data-image="12">\n<figcaption>A <em>captioned</em> picture</figcaption>\n</figure>\n'
    '<figure data-image="3">\n</figure>\n<p>After the pictures.</p>',
]
# What other programs write: read as the nearest thing in the format.
FOREIGN = [
    "<h1>Title</h1><h4>Small</h4><b>bold</b> <i>italic</i><div>In a div</div><div>Another</div>",
    "<ul><li><p>Item with a paragraph</p><ul><li>nested</li></ul></li></ul>",
    "<blockquote>Loose text<p>and a paragraph</p></blockquote>",
    '<meta charset="utf-8"><b style="font-weight:normal;" id="docs-internal-guid-1"><p dir="ltr">'
    '<span style="font-weight:700;">Docs bold</span> and <span style="font-style:italic;">'
    "italic</span></p></b>",
    "<p>  spaces  at   the ends  </p><p> </p><p><br></p>",
    "<table><tr><td>A cell</td><td>another</td></tr></table>",
]


def tab_to(page, target, *, most=8):
    """Press Tab until ``target`` has the focus, as someone at the keyboard does."""
    for _ in range(most):
        page.keyboard.press("Tab")
        if target.evaluate("node => node === document.activeElement"):
            return
    raise AssertionError(f"{most} presses of Tab never reached {target}")


def load(page, body):
    """Put ``body`` into the form as desk.js's restore does: the textarea, then an input event."""
    page.locator("#id_body").evaluate(
        "(area, body) => { area.value = body; area.dispatchEvent(new Event('input')); }", body
    )
    return page.locator("#id_body").input_value()


def paste(page, *, html):
    """Paste ``html`` into the focused editor as a clipboard that keeps markup as it is hands
    it over (Chromium's own clipboard cleans markup on the way in)."""
    page.evaluate(
        """html => {
            const data = new DataTransfer();
            data.setData("text/html", html);
            data.setData("text/plain", "");
            document.activeElement.dispatchEvent(
                new ClipboardEvent("paste", {clipboardData: data, bubbles: true, cancelable: true})
            );
        }""",
        html,
    )


@pytest.fixture
def csp_reports(page):
    """What the page's Content-Security-Policy refuses, as the page and its console report it."""
    reports = []
    page.on(
        "console",
        lambda message: (
            reports.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    page.expose_function("reportViolation", lambda report: reports.append(report))
    page.add_init_script(
        "document.addEventListener('securitypolicyviolation', event => "
        "window.reportViolation(`${event.violatedDirective}: ${event.blockedURI}`))"
    )
    return reports


@pytest.fixture
def alerts(page):
    """Every alert, confirm or prompt the page opens: what an injected script would do first."""
    opened = []
    page.on("dialog", lambda dialog: (opened.append(dialog.message), dialog.dismiss()))
    return opened


def test_a_story_written_with_the_keyboard_alone_reads_the_same_on_the_public_page(
    page, second_page, login, reporter, editor, seed
):
    hasanov = Person.objects.get(slug="zakir-hasanov")
    keys = page.keyboard
    login(page, reporter)
    page.goto(ADD_ARTICLE)
    page.get_by_role("textbox", name="Headline").focus()

    keys.type("Talks to resume next week")
    tab_to(page, body_editor(page))
    keys.type("The defense ministry said talks would resume.")
    keys.press("Enter")
    keys.type("What was agreed")
    keys.press("Control+Alt+2")
    keys.press("Enter")
    keys.press("Control+Shift+8")
    keys.type("A ceasefire from Monday")
    keys.press("Enter")
    keys.type("Prisoners exchanged")
    keys.press("Enter")
    keys.press("Enter")  # an empty item ends the list
    keys.press("Control+Shift+B")
    keys.type("We will not retreat.")
    keys.press("Enter")
    keys.press("Enter")  # an empty paragraph ends the quote
    keys.type("So said Zakir Hasanov")
    keys.press("Control+Shift+ArrowLeft")
    keys.press("Control+Shift+ArrowLeft")  # the name selected
    keys.press("Control+K")
    dialog = page.get_by_role("dialog", name="Link")
    expect(dialog.get_by_role("combobox")).to_be_focused()
    keys.type("Hasanov")
    expect(dialog.get_by_role("option", name="Zakir Hasanov — person")).to_be_visible()
    keys.press("ArrowDown")
    keys.press("Enter")
    expect(dialog).to_be_hidden()
    expect(body_editor(page)).to_be_focused()
    keys.type(" on Monday.")
    written = page.locator("#id_body").input_value()
    save(page, "Submit for review")

    article = Article.objects.get(headline="Talks to resume next week")
    assert article.body == (
        "<p>The defense ministry said talks would resume.</p>\n"
        "<h2>What was agreed</h2>\n"
        "<ul>\n<li>A ceasefire from Monday</li>\n<li>Prisoners exchanged</li>\n</ul>\n"
        "<blockquote>\n<p>We will not retreat.</p>\n</blockquote>\n"
        f'<p>So said <a href="/people/zakir-hasanov/" data-link="person:{hasanov.pk}">'
        "Zakir Hasanov</a> on Monday.</p>"
    )
    assert article.body == written  # as the editor wrote it: clean() had nothing to change
    assert article.status == Status.REVIEW
    assert hasanov in article.people.all()  # the editor's link is a link of the story

    login(second_page, editor)
    second_page.goto(change_url(article))
    save(second_page, "Publish now")
    article = Article.objects.get(pk=article.pk)
    assert article.is_public
    second_page.goto(article.get_absolute_url())

    story = second_page.locator(".story .body")
    expect(story.locator("h2")).to_have_text(["What was agreed"])
    expect(story.locator("ul > li")).to_have_text(
        ["A ceasefire from Monday", "Prisoners exchanged"]
    )
    expect(story.locator("blockquote > p")).to_have_text(["We will not retreat."])
    expect(story.locator(f'a[href="{hasanov.get_absolute_url()}"]')).to_have_text("Zakir Hasanov")


def test_the_toolbar_is_one_tab_stop_with_the_arrow_keys_inside(page, login, editor):
    article = ArticleFactory(body="<p>Some words.</p>")
    login(page, editor)
    page.goto(change_url(article))
    toolbar = page.get_by_role("toolbar", name="Body formatting")
    first = toolbar.get_by_role("button", name="Paragraph")
    last = toolbar.get_by_role("button", name="Redo")
    text = body_editor(page)
    page.get_by_role("textbox", name="Summary").focus()

    page.keyboard.press("Tab")
    expect(first).to_be_focused()
    page.keyboard.press("ArrowRight")
    expect(toolbar.get_by_role("button", name="Subheading", exact=True)).to_be_focused()
    page.keyboard.press("End")
    expect(last).to_be_focused()
    page.keyboard.press("ArrowRight")
    expect(first).to_be_focused()  # round again
    page.keyboard.press("ArrowLeft")
    expect(last).to_be_focused()
    page.keyboard.press("Home")
    expect(first).to_be_focused()
    page.keyboard.press("Tab")
    expect(text).to_be_focused()

    # Back into the toolbar where it was left, and out again to the text.
    page.keyboard.press("Shift+Tab")
    expect(first).to_be_focused()
    page.keyboard.press("Escape")
    expect(text).to_be_focused()
    page.keyboard.press("Alt+F10")
    expect(first).to_be_focused()
    page.keyboard.press("Tab")
    expect(text).to_be_focused()
    page.keyboard.press("Tab")
    expect(page.get_by_role("textbox", name="Byline")).to_be_focused()  # no trap


def test_the_buttons_say_what_the_text_is_and_give_it_the_focus_back(page, login, editor):
    article = ArticleFactory(body="<h2>A subheading</h2>\n<p>Some <strong>bold</strong> words.</p>")
    login(page, editor)
    page.goto(change_url(article))
    toolbar = page.get_by_role("toolbar", name="Body formatting")
    button = {
        name: toolbar.get_by_role("button", name=name, exact=True)
        for name in ("Subheading", "Bold", "Italic", "Bulleted list", "Undo", "Remove link")
    }
    text = body_editor(page)
    text.focus()
    page.keyboard.press("ControlOrMeta+Home")

    expect(button["Subheading"]).to_have_attribute("aria-pressed", "true")
    expect(button["Bold"]).to_have_attribute("aria-pressed", "false")
    expect(button["Undo"]).to_have_attribute("aria-disabled", "true")
    expect(button["Remove link"]).to_have_attribute("aria-disabled", "true")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Home")
    for _ in range(7):
        page.keyboard.press("ArrowRight")  # "Some bo|ld"
    expect(button["Subheading"]).to_have_attribute("aria-pressed", "false")
    expect(button["Bold"]).to_have_attribute("aria-pressed", "true")

    # Pressed from the keyboard: the text is formatted and has the focus again.
    page.keyboard.press("Alt+F10")
    page.keyboard.press("End")
    for _ in range(6):
        page.keyboard.press("ArrowLeft")  # from Redo, past Undo, Picture, the links, Numbered list
    expect(button["Bulleted list"]).to_be_focused()
    page.keyboard.press("Enter")

    expect(text).to_be_focused()
    expect(button["Bulleted list"]).to_have_attribute("aria-pressed", "true")
    expect(button["Undo"]).to_have_attribute("aria-disabled", "false")
    assert page.locator("#id_body").input_value() == (
        "<h2>A subheading</h2>\n<ul>\n<li>Some <strong>bold</strong> words.</li>\n</ul>"
    )
    page.keyboard.press("Control+Shift+8")  # pressed again: a paragraph again
    assert page.locator("#id_body").input_value() == (
        "<h2>A subheading</h2>\n<p>Some <strong>bold</strong> words.</p>"
    )


def test_a_block_command_turns_every_selected_line_into_one_kind(page, login, editor):
    article = ArticleFactory(
        body="<p>Before.</p>\n<ul>\n<li>One</li>\n<li>Two</li>\n<li>Three</li>\n</ul>\n<p>After.</p>"
    )
    login(page, editor)
    page.goto(change_url(article))
    text = body_editor(page)
    text.focus()
    page.keyboard.press("ControlOrMeta+Home")

    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")  # in "Two"
    page.keyboard.press("Control+Alt+0")
    assert page.locator("#id_body").input_value() == (
        "<p>Before.</p>\n<ul>\n<li>One</li>\n</ul>\n<p>Two</p>\n<ul>\n<li>Three</li>\n</ul>\n"
        "<p>After.</p>"
    )
    page.keyboard.press("Control+Shift+8")  # back into the list, which is one list again
    page.keyboard.press("ControlOrMeta+A")
    page.keyboard.press("Control+Shift+B")
    assert page.locator("#id_body").input_value() == (
        "<blockquote>\n<p>Before.</p>\n<p>One</p>\n<p>Two</p>\n<p>Three</p>\n<p>After.</p>\n"
        "</blockquote>"
    )
    page.keyboard.press("ControlOrMeta+z")
    page.keyboard.press("ControlOrMeta+z")
    assert page.locator("#id_body").input_value() == article.body


def test_the_link_dialog_holds_the_focus_and_gives_it_back(page, login, editor):
    article = ArticleFactory(body="<p>Read the report today.</p>")
    login(page, editor)
    page.goto(change_url(article))
    text = body_editor(page)
    dialog = page.get_by_role("dialog", name="Link")
    address = dialog.get_by_role("textbox", name="Or an address")
    text.focus()
    page.keyboard.press("ControlOrMeta+Home")
    for _ in range(9):
        page.keyboard.press("ArrowRight")
    page.keyboard.press("Control+Shift+ArrowRight")  # "report"

    page.keyboard.press("Control+K")
    expect(dialog.get_by_role("combobox", name="Person, place, source or story")).to_be_focused()
    for key in ["Tab"] * 5 + ["Shift+Tab"] * 5:  # round the dialog, both ways
        page.keyboard.press(key)
        assert page.evaluate("document.activeElement.closest('dialog') !== null")
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()
    expect(text).to_be_focused()
    assert page.locator("#id_body").input_value() == "<p>Read the report today.</p>"

    page.keyboard.press("Control+K")
    address.focus()
    page.keyboard.type("javascript:alert(1)")
    page.keyboard.press("Enter")
    expect(dialog.locator(".body-link-error")).to_contain_text("An address starts with")
    expect(address).to_have_attribute("aria-invalid", "true")
    expect(address).to_be_focused()
    address.fill("")
    page.keyboard.type("https://example.org/report")
    page.keyboard.press("Enter")

    expect(dialog).to_be_hidden()
    expect(text).to_be_focused()
    linked = '<p>Read the <a href="https://example.org/report">report</a> today.</p>'
    assert page.locator("#id_body").input_value() == linked
    page.keyboard.press("ArrowLeft")
    page.keyboard.press("ArrowLeft")  # inside the link: the dialog shows its address
    page.keyboard.press("Control+K")
    expect(address).to_have_value("https://example.org/report")
    dialog.get_by_role("button", name="Cancel").click()
    page.get_by_role("button", name="Remove link").click()
    assert page.locator("#id_body").input_value() == "<p>Read the report today.</p>"


def test_a_story_is_linked_by_its_headline(page, login, editor):
    linked = ArticleFactory(public=True, headline="Bridge reopens after repairs")
    article = ArticleFactory(body="<p>See also</p>")
    login(page, editor)
    page.goto(change_url(article))
    body_editor(page).focus()
    page.keyboard.press("ControlOrMeta+End")
    page.keyboard.type(": ")

    page.keyboard.press("Control+K")
    page.keyboard.type("bridge reop")
    page.get_by_role("option", name="Bridge reopens after repairs — article").click()

    assert page.locator("#id_body").input_value() == (
        f'<p>See also: <a href="{linked.get_absolute_url()}" data-link="article:{linked.pk}">'
        "Bridge reopens after repairs</a></p>"
    )


def test_wire_copy_typed_or_pasted_stays_paragraphs_of_its_own_characters(page, login, editor):
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    login(page, editor)
    page.goto(ADD_ARTICLE)
    page.get_by_role("textbox", name="Headline").fill("Wire copy")
    body_editor(page).focus()

    page.evaluate(
        "text => navigator.clipboard.writeText(text)",
        "1994. The war ended.\n\n* Not a list\n\n#hashtag and http://example.org",
    )
    page.keyboard.press("ControlOrMeta+V")
    page.keyboard.press("Enter")
    page.keyboard.type("1. Typed, not a list")
    page.keyboard.press("Enter")
    page.keyboard.type("> not a quote, ## not a heading, **not bold** and _not italic_")
    save(page)

    assert Article.objects.get(headline="Wire copy").body == (
        "<p>1994. The war ended.</p>\n<p>* Not a list</p>\n"
        "<p>#hashtag and http://example.org</p>\n<p>1. Typed, not a list</p>\n"
        "<p>&gt; not a quote, ## not a heading, **not bold** and _not italic_</p>"
    )


def test_hostile_markup_pasted_is_stored_clean_and_runs_nothing(
    page, login, editor, alerts, csp_reports
):
    login(page, editor)
    page.goto(ADD_ARTICLE)
    page.get_by_role("textbox", name="Headline").fill("Pasted from anywhere")
    body_editor(page).focus()

    paste(page, html="".join(XSS_CORPUS))
    save(page, "Publish now")

    article = Article.objects.get(headline="Pasted from anywhere")
    assert_body_in_the_format(article.body)
    assert "alert" not in article.body
    page.goto(article.get_absolute_url())
    expect(page.locator(".story .body")).to_contain_text("a styled paragraph")
    assert page.locator(".story .body script, .story .body svg, .story .body iframe").count() == 0
    assert alerts == []
    assert csp_reports == []  # the browser never even met the handlers and styles


def test_a_hostile_autosave_restored_runs_nothing(page, login, editor, alerts, csp_reports):
    article = ArticleFactory(body="<p>Saved text.</p>")
    Autosave.keep(user=editor, article=article, fields={"body": "".join(XSS_CORPUS)})
    login(page, editor)
    page.goto(change_url(article))

    page.locator("#autosave-restore").click()

    expect(body_editor(page)).to_contain_text("a styled paragraph")
    restored = page.locator("#id_body").input_value()
    assert bodies.clean(restored) == restored
    assert_body_in_the_format(restored)
    assert "alert" not in restored
    assert alerts == []
    assert csp_reports == []


@pytest.mark.parametrize("body", STORED)
def test_a_stored_body_comes_back_from_the_editor_as_it_was(page, login, editor, body):
    assert bodies.clean(body) == body  # the format itself, as the database keeps it
    login(page, editor)
    page.goto(ADD_ARTICLE)

    assert load(page, body) == body


@pytest.mark.parametrize("markup", FOREIGN)
def test_what_the_editor_makes_of_other_markup_is_in_the_format(page, login, editor, markup):
    login(page, editor)
    page.goto(ADD_ARTICLE)

    written = load(page, markup)

    assert bodies.clean(written) == written
    # The same characters, in the same order (a block's end may be a space, or none).
    assert "".join(bodies.to_text(written).split()) == "".join(
        bodies.to_text(bodies.clean(markup)).split()
    )


def test_a_picture_and_its_caption_come_through_editing(page, login, editor):
    article = ArticleFactory(
        body='<p>Before.</p>\n<figure data-image="12">\n<figcaption>Old caption</figcaption>\n'
        "</figure>\n<p>After.</p>"
    )
    login(page, editor)
    page.goto(change_url(article))
    expect(body_editor(page).locator("figure")).to_have_attribute("data-image", "12")

    body_editor(page).get_by_text("Old caption").click()
    page.keyboard.press("End")
    page.keyboard.type(", now longer")
    page.keyboard.press("ControlOrMeta+End")
    page.keyboard.type(" Still after.")
    save(page)

    assert Article.objects.get(pk=article.pk).body == (
        '<p>Before.</p>\n<figure data-image="12">\n<figcaption>Old caption, now longer'
        "</figcaption>\n</figure>\n<p>After. Still after.</p>"
    )


def test_the_change_form_with_the_editor_is_accessible(axe_page, login, editor, seed):
    article = ArticleFactory(body=STORED[5])
    login(axe_page, editor)
    axe_page.goto(change_url(article))
    expect(body_editor(axe_page)).to_be_visible()

    serious = serious_violations(axe_page)
    assert not serious, "\n".join(serious)
    body_editor(axe_page).focus()
    axe_page.keyboard.press("Control+K")
    axe_page.keyboard.type("Ganja")
    expect(axe_page.get_by_role("option", name="Ganja — place")).to_be_visible()
    axe_page.keyboard.press("ArrowDown")
    serious = serious_violations(axe_page)
    assert not serious, "\n".join(serious)


def test_the_editor_keeps_to_the_content_security_policy(page, login, editor, csp_reports):
    person = PersonFactory(name="Leyla Aliyeva")
    article = ArticleFactory(body="\n".join(STORED))
    login(page, editor)
    page.goto(change_url(article))
    write_body(page, "")

    paste(page, html=FOREIGN[3])  # a Google Docs copy: its styles become bold and italic
    page.keyboard.press("Control+I")  # no more italic
    page.keyboard.type(" with ")
    page.keyboard.press("Control+K")
    page.keyboard.type("Leyla")
    page.get_by_role("option", name="Leyla Aliyeva — person").click()
    page.get_by_role("button", name="Bold").click()
    page.keyboard.type(" in bold")
    save(page, "Save and continue editing")

    body = Article.objects.get(pk=article.pk).body
    assert body == (
        "<p><strong>Docs bold</strong> and <em>italic</em> with "
        f'<a href="/people/leyla-aliyeva/" data-link="person:{person.pk}">Leyla Aliyeva</a>'
        "<strong> in bold</strong></p>"
    )
    assert csp_reports == []


def test_without_javascript_the_body_is_a_textarea(new_context, login, editor):
    page = new_context(java_script_enabled=False).new_page()
    login(page, editor)
    page.goto(ADD_ARTICLE)
    page.get_by_role("textbox", name="Headline").fill("Typed without JavaScript")
    body = page.locator("textarea#id_body")
    expect(body).to_be_visible()
    expect(page.locator(".body-editor")).to_have_count(0)

    # As a person types there: Enter twice between paragraphs (the browser sends CRLF).
    body.press_sequentially("First paragraph.")
    body.press("Enter")
    body.press("Enter")
    body.press_sequentially("Second one.")
    save(page)

    stored = Article.objects.get(headline="Typed without JavaScript")
    assert stored.body == "<p>First paragraph.</p>\n<p>Second one.</p>"
