"""The desk's pictures in a real browser: files uploaded by the file input and by a
drop, the lead picture chosen with its preview, the focal point clicked and the crops
remade, a picture put in the body with the keyboard alone, and axe-core on the library,
the upload page and a picture's form. The server side is in tests/test_admin_pictures.py."""

import base64

from playwright.sync_api import expect

from articles.models import Article, Image
from tests.browser.conftest import body_editor, save, serious_violations
from tests.browser.test_admin_desk import choose
from tests.factories import ArticleFactory, ImageFactory
from tests.helpers import change_url
from tests.pictures import photo, upload

LIBRARY = "/admin/articles/image/"
UPLOAD = "/admin/articles/image/upload/"
SMALL = (400, 300)


def picture_form(image):
    return f"/admin/articles/image/{image.pk}/change/"


def file_payload(name, data):
    return {"name": name, "mimeType": "image/jpeg", "buffer": data}


def drop(page, selector, name, data):
    """Drop a file on ``selector`` as a file manager does: a drop event carrying it."""
    page.evaluate(
        """([selector, name, encoded]) => {
            const bytes = Uint8Array.from(atob(encoded), c => c.charCodeAt(0));
            const data = new DataTransfer();
            data.items.add(new File([bytes], name, {type: "image/jpeg"}));
            const zone = document.querySelector(selector);
            for (const type of ["dragenter", "dragover", "drop"]) {
                zone.dispatchEvent(new DragEvent(type, {dataTransfer: data, bubbles: true,
                                                        cancelable: true}));
            }
        }""",
        [selector, name, base64.b64encode(data).decode()],
    )


def test_files_chosen_and_dropped_are_uploaded_and_each_says_what_became_of_it(
    page, login, reporter
):
    login(page, reporter)
    page.goto(LIBRARY)
    page.locator(".object-tools").get_by_role("link", name="Upload pictures").click()
    expect(page).to_have_url(UPLOAD)

    page.get_by_label("Pictures").set_input_files(
        [
            file_payload("square.jpg", photo(SMALL, colour=(200, 30, 30))),
            file_payload('"><script>.jpg', b"not a picture"),
        ]
    )
    expect(page.locator("#upload-chosen")).to_contain_text("2 files chosen")
    with page.expect_navigation():
        page.get_by_role("button", name="Upload").click()

    results = page.locator("#upload-results tbody tr")
    expect(results).to_have_count(2)
    expect(results.nth(0)).to_contain_text("square.jpg")
    expect(results.nth(0)).to_contain_text("New picture")
    # Shown as text (Chromium sends the quote as %22): no script ran, none was made.
    expect(results.nth(1).locator(".upload-name")).to_contain_text("><script>.jpg")
    assert page.locator("#upload-results script").count() == 0
    expect(results.nth(1)).to_contain_text("Refused: This is not a picture")

    with page.expect_navigation():
        drop(page, "[data-drop-zone]", "dropped.jpg", photo(SMALL, colour=(30, 200, 30)))
    expect(page.locator("#upload-results tbody tr")).to_have_count(1)
    expect(page.locator("#upload-results")).to_contain_text("dropped.jpg")
    expect(page.locator("#upload-results")).to_contain_text("New picture")
    assert sorted(Image.objects.values_list("original_name", flat=True)) == [
        "dropped.jpg",
        "square.jpg",
    ]

    dropped = Image.objects.get(original_name="dropped.jpg")
    page.locator("#upload-results").get_by_role("link").click()
    expect(page).to_have_url(picture_form(dropped))
    thumbnail = page.locator(".focal-picture")
    expect(thumbnail).to_be_visible()
    assert thumbnail.evaluate("img => img.naturalWidth") > 0  # served from /media/


def test_the_lead_picture_is_chosen_by_its_caption_with_a_preview(page, login, editor):
    ImageFactory(caption="Harvest in Ganja", alt_text="Wheat fields")
    picture = upload(photo(SMALL), caption="Ministers meet in Baku", alt_text="Two ministers")
    story = ArticleFactory()
    login(page, editor)
    page.goto(change_url(story))
    preview = page.locator("#id_lead_image_preview")
    expect(preview).to_contain_text("No picture chosen.")

    choose(page, "lead_image", typing="ministers", option="Ministers meet in Baku")

    image = preview.get_by_role("img", name="Two ministers")
    expect(image).to_be_visible()
    assert image.evaluate("img => img.decode().then(() => img.naturalWidth)") > 0
    expect(preview.get_by_role("link", name="Describe this picture")).to_have_attribute(
        "href", picture_form(picture)
    )
    save(page)
    story.refresh_from_db()
    assert story.lead_image == picture


def test_clicking_the_picture_sets_the_focal_point_and_saving_remakes_the_crops(
    page, login, reporter
):
    picture = upload(photo((800, 400)), alt_text="A wide view")
    login(page, reporter)
    page.goto(picture_form(picture))
    marker = page.locator(".focal-marker")
    expect(marker).to_be_visible()  # at the centre, where the focal point starts
    square = page.locator(".picture-crop", has_text="1x1").locator("img")
    before = square.get_attribute("src")

    shown = page.locator(".focal-picture")
    box = shown.bounding_box()
    shown.click(position={"x": box["width"] * 0.1, "y": box["height"] * 0.8})

    assert abs(float(page.get_by_label("Focal point, across").input_value()) - 0.1) < 0.01
    assert abs(float(page.get_by_label("Focal point, down").input_value()) - 0.8) < 0.01
    spot = marker.bounding_box()
    assert abs(spot["x"] + spot["width"] / 2 - (box["x"] + box["width"] * 0.1)) < 3
    page.get_by_label("Focal point, across").fill("0.2")  # the keyboard's way
    spot = marker.bounding_box()
    assert abs(spot["x"] + spot["width"] / 2 - (box["x"] + box["width"] * 0.2)) < 3

    save(page, "Save and continue editing")
    picture.refresh_from_db()
    assert (picture.focal_x, round(picture.focal_y, 2)) == (0.2, 0.8)
    after = page.locator(".picture-crop", has_text="1x1").locator("img")
    assert after.get_attribute("src") != before
    assert after.evaluate("img => img.decode().then(() => img.naturalWidth)") > 0


def test_a_picture_is_put_in_the_body_with_the_keyboard_alone(page, login, editor):
    picture = ImageFactory(caption="Ministers meet", credit="Ann Lee", alt_text="Two ministers")
    ImageFactory(caption="Harvest", credit="Bob")
    story = ArticleFactory(body="<p>First paragraph.</p>\n<p>Second paragraph.</p>")
    keys = page.keyboard
    login(page, editor)
    page.goto(change_url(story))
    body_editor(page).focus()
    keys.press("Control+Home")

    keys.press("Control+Alt+P")
    dialog = page.get_by_role("dialog", name="Picture")
    expect(dialog.get_by_role("combobox")).to_be_focused()
    expect(dialog.get_by_role("option")).to_have_count(2)  # the newest, before any typing
    keys.type("ministers")
    expect(dialog.get_by_role("option")).to_have_count(1)
    keys.press("ArrowDown")
    keys.press("Enter")
    expect(dialog).to_be_hidden()
    expect(body_editor(page)).to_be_focused()
    keys.type("Then the talks.")

    expected = (
        "<p>First paragraph.</p>\n"
        f'<figure data-image="{picture.pk}">\n<figcaption>Ministers meet — Ann Lee</figcaption>\n'
        "</figure>\n<p>Then the talks.Second paragraph.</p>"
    )
    assert page.locator("#id_body").input_value() == expected
    save(page)
    story = Article.objects.get(pk=story.pk)
    assert story.body == expected
    assert list(story.images.all()) == [picture]


def test_the_toolbar_button_opens_the_dialog_and_escape_closes_it(page, login, editor):
    story = ArticleFactory(body="<p>Words.</p>")
    login(page, editor)
    page.goto(change_url(story))
    page.get_by_role("button", name="Picture…").click()
    dialog = page.get_by_role("dialog", name="Picture")
    expect(dialog).to_be_visible()
    expect(dialog).to_contain_text("No picture in the library matches.")
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()
    expect(body_editor(page)).to_be_focused()


def test_the_library_the_upload_page_and_a_picture_form_are_accessible(axe_page, login, editor):
    picture = upload(photo(SMALL), caption="Ministers meet", alt_text="Two ministers")
    ImageFactory(alt_text="", caption="Undescribed")
    ArticleFactory(lead_image=picture)
    login(axe_page, editor)

    axe_page.goto(LIBRARY)
    expect(axe_page.locator("#result_list")).to_be_visible()
    assert serious_violations(axe_page) == []

    axe_page.goto(UPLOAD)
    axe_page.get_by_label("Pictures").set_input_files(
        [file_payload("a.jpg", photo(SMALL, colour=(9, 9, 9))), file_payload("b.jpg", b"x")]
    )
    with axe_page.expect_navigation():
        axe_page.get_by_role("button", name="Upload").click()
    expect(axe_page.locator("#upload-results")).to_be_visible()
    assert serious_violations(axe_page) == []

    axe_page.goto(picture_form(picture))
    expect(axe_page.locator(".focal-marker")).to_be_visible()
    assert serious_violations(axe_page) == []

    axe_page.goto(f"/admin/articles/image/{picture.pk}/delete/")
    expect(axe_page.locator("#picture-losing")).to_be_visible()
    assert serious_violations(axe_page) == []
