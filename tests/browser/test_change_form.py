"""The change form laid out for writing: columns on a wide screen, one on a tablet, and
the headline's length counted as it is typed."""

import pytest
from playwright.sync_api import expect

from tests.factories import ArticleFactory
from tests.helpers import change_url


@pytest.mark.parametrize(("width", "side_by_side"), [(1280, True), (820, False)])
def test_links_and_publication_sit_beside_the_story_on_a_wide_screen(
    page, login, editor, width, side_by_side
):
    page.set_viewport_size({"width": width, "height": 900})
    article = ArticleFactory()
    login(page, editor)
    page.goto(change_url(article))
    main = page.locator(".desk-column-main").bounding_box()
    side = page.locator(".desk-column-side").bounding_box()
    headline = page.locator("#id_headline").bounding_box()
    if side_by_side:
        assert side["x"] >= main["x"] + main["width"] - 1
        assert abs(side["y"] - main["y"]) < 5
    else:
        assert side["y"] >= main["y"] + main["height"] - 1
    # The headline takes its column's width, whatever the screen.
    assert headline["width"] > main["width"] * 0.9
    # Nothing spills out of the page sideways.
    assert page.evaluate("document.documentElement.scrollWidth") <= width


def test_the_headline_counts_its_characters_and_warns_past_what_search_shows(page, login, editor):
    article = ArticleFactory(headline="Short")
    login(page, editor)
    page.goto(change_url(article))
    count = page.locator("#headline-count")
    expect(count).to_have_text("5 characters")
    page.locator("#id_headline").fill("x" * 111)
    expect(count).to_have_text("111 characters: search engines show only the first 110.")
    expect(count).to_have_class("desk-too-long")
