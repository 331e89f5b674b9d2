"""The reader site as people see it: full-page screenshots of its main pages on a desktop
and a phone, in the light scheme and the phone's dark one, saved to QUALITY_FOLDER for
review (named at the end of the run) while each page is checked to fit its screen.
"""

import pytest

from tests.browser.conftest import DESKTOP_WIDTH, PHONE_WIDTH, reader_page, save_screenshot

VIEWS = [(DESKTOP_WIDTH, "light"), (PHONE_WIDTH, "light"), (PHONE_WIDTH, "dark")]
# Every picture on the page that has not arrived, or arrived broken.
MISSING_PICTURES = "[...document.images].filter(i => !(i.complete && i.naturalWidth > 0))"
MISSING_SOURCES = f"{MISSING_PICTURES}.map(i => i.currentSrc || i.src)"


def show_every_picture(page):
    """Scroll to the end so lazy pictures load, wait for them, and go back to the top.

    Polled from here: wait_for_function's in-page polling is an eval, which the site's
    Content-Security-Policy refuses.
    """
    page.evaluate("window.scrollTo(0, document.documentElement.scrollHeight)")
    for _ in range(100):
        if not page.evaluate(f"{MISSING_PICTURES}.length"):
            break
        page.wait_for_timeout(100)
    page.evaluate("window.scrollTo(0, 0)")


@pytest.mark.parametrize("name", ["front", "article", "section"])
@pytest.mark.parametrize(("width", "scheme"), VIEWS)
def test_the_page_fits_its_screen_with_every_picture_shown(
    new_context, reader_newsroom, width, scheme, name
):
    page = reader_page(new_context, width=width, scheme=scheme)
    url = reader_newsroom.pages[name]
    response = page.goto(url)
    assert response.ok, f"{url} answered {response.status}"
    show_every_picture(page)

    save_screenshot(page, f"{name}-{width}-{scheme}")

    used = page.evaluate("document.documentElement.scrollWidth")
    assert used <= width, f"{url} is {used} px wide on a {width} px screen"
    assert page.locator("main img").count() > 0
    assert page.evaluate(MISSING_SOURCES) == []
    assert reader_newsroom.draft.headline not in page.content()
