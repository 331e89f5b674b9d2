"""The reader site for people using a screen reader, a keyboard or a phone.

axe-core (npm, see package.json) checks each page for serious and critical violations:
at the desktop's width, and at a phone's in the light and the dark colour scheme, colour
contrast (WCAG AA) included; the phone-width and skip-link checks need a real layout and
real focus.
"""

import pytest
from playwright.sync_api import expect

from articles import editorial
from articles.models import Article, Source
from tests.browser.conftest import PHONE_WIDTH, TIMEOUT_MS, reader_page, serious_violations
from tests.factories import ArticleFactory, AuthorFactory

PHONE = {"viewport": {"width": 360, "height": 740}, "is_mobile": True, "has_touch": True}
SEED_ARTICLE = "seed article"  # its address comes from the database, once seeded
AUTHORED_ARTICLE = "authored article"  # a staff author's story (corrected_seed)
READER_PAGES = [
    "/",
    SEED_ARTICLE,
    "/places/ganja/",
    "/people/zakir-hasanov/",
    "/sources/trend/",
    "/authors/jane-doe/",
    AUTHORED_ARTICLE,
    "/places/",
    "/authors/",
    "/search/?q=Iskander",
    "/search/?q=xylophone",
    "/corrections/",
    "/about/",
    "/corrections-policy/",
]


@pytest.fixture
def phone(new_context):
    context = new_context(**PHONE)
    context.set_default_timeout(TIMEOUT_MS)
    return context.new_page()


@pytest.fixture
def corrected_seed(seed, editor):
    """The seed newsroom with a public correction, and a story two staff authors wrote,
    so the markup of both is checked too."""
    editorial.correct(
        Article.objects.get(), "An earlier version gave the wrong date for the meeting.", by=editor
    )
    jane = AuthorFactory(name="Jane Doe", title="Baku correspondent", bio="Covers energy.")
    ArticleFactory(
        public=True,
        headline="Gas exports rise",
        byline="",
        source=Source.objects.get(slug="trend"),
        authors=[jane, AuthorFactory(name="John Roe")],
    )


def visit(page, url):
    if url == SEED_ARTICLE:
        url = Article.objects.get(authors=None).get_absolute_url()  # the agency's story
    elif url == AUTHORED_ARTICLE:
        url = Article.objects.get(headline="Gas exports rise").get_absolute_url()
    response = page.goto(url)
    assert response.ok, f"{url} answered {response.status}"


@pytest.mark.parametrize("url", READER_PAGES)
def test_no_serious_accessibility_violations(axe_page, corrected_seed, url):
    visit(axe_page, url)

    serious = serious_violations(axe_page)

    assert not serious, f"{url}:\n" + "\n".join(serious)


@pytest.mark.parametrize("url", READER_PAGES)
def test_no_serious_accessibility_violations_in_the_dark_scheme(
    new_context, axe_script, corrected_seed, url
):
    """The dark palette (prefers-color-scheme: dark) keeps every contrast AA too."""
    context = new_context(bypass_csp=True, color_scheme="dark")
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    visit(page, url)
    assert page.evaluate("matchMedia('(prefers-color-scheme: dark)').matches")

    serious = serious_violations(page)

    assert not serious, f"{url} (dark):\n" + "\n".join(serious)


@pytest.mark.parametrize("url", READER_PAGES)
def test_no_sideways_scrolling_on_a_phone(phone, corrected_seed, url):
    visit(phone, url)

    width = phone.evaluate("document.documentElement.scrollWidth")

    assert width <= 360, f"{url} is {width} px wide on a 360 px phone"


@pytest.mark.parametrize("name", ["front", "section", "article", "author"])
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_no_serious_violations_on_a_phone_in_either_colour_scheme(
    new_context, axe_script, reader_newsroom, scheme, name
):
    page = reader_page(new_context, width=PHONE_WIDTH, scheme=scheme, bypass_csp=True)
    url = reader_newsroom.pages[name]
    response = page.goto(url)
    assert response.ok, f"{url} answered {response.status}"
    assert page.evaluate("matchMedia('(prefers-color-scheme: dark)').matches") == (scheme == "dark")

    serious = serious_violations(page, must_check=["color-contrast"])

    assert not serious, f"{url} ({scheme}, {PHONE_WIDTH} px):\n" + "\n".join(serious)
    assert reader_newsroom.draft.headline not in page.content()


def test_the_skip_link_shows_when_tabbed_to_and_jumps_to_the_content(phone, seed):
    visit(phone, "/")
    skip = phone.get_by_role("link", name="Skip to content")
    expect(skip).not_to_be_in_viewport()

    phone.keyboard.press("Tab")

    expect(skip).to_be_focused()
    expect(skip).to_be_in_viewport(ratio=1)
    phone.keyboard.press("Enter")
    expect(phone.locator("main#content")).to_be_focused()
