"""Browser tests: Playwright drives Debian's Chromium against pytest-django's live server.

Only what needs a browser belongs here: JavaScript, focus, phone layout (STYLE rule 23),
axe-core's accessibility checks of rendered pages (``serious_violations``), Lighthouse's
audits, and full-page screenshots of the reader site for people to look at
(``QUALITY_FOLDER``, named at the end of the run).
"""

import json
import os
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest
from playwright.sync_api import expect

from articles import reader_html
from articles.models import Article
from tests.factories import PASSWORD, ArticleFactory, AuthorFactory, SectionFactory, SourceFactory
from tests.pictures import photo, renditions_remembered, upload

# Playwright's sync API keeps an asyncio event loop running in the main thread from the
# first browser test to the end of the session, so Django would refuse every ORM call made
# afterwards (by tests, fixtures and the live server's teardown) as "async-unsafe".
# (The running loop also gives this thread a fresh Django connection object, which is
# why django_db_serialized_rollback has nothing to restore in these tests.)
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
# Where the screenshots and lighthouse.json go: overwritten on every run, never committed.
QUALITY_FOLDER = Path(os.environ.get("NEWSROOM_SCREENSHOTS") or ROOT / ".screenshots")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
TIMEOUT_MS = 10_000

expect.set_options(timeout=TIMEOUT_MS)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """pytest-playwright's launch options (--headed, --slowmo) plus Debian's Chromium.

    No browser is downloaded: CI must have Chromium installed, so there a missing
    browser fails every browser test instead of skipping them unnoticed.
    """
    if not CHROMIUM.exists():
        reason = f"Chromium not found at {CHROMIUM} (apt-get install chromium)"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(reason, pytrace=False)
        pytest.skip(reason)
    return {**browser_type_launch_args, "executable_path": str(CHROMIUM), "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args, live_server):
    """Every page talks to the live server, so tests write ``page.goto("/admin/")``.

    live_server.url is http://localhost:PORT. Chromium keeps the Secure session and CSRF
    cookies (DEBUG is off) over plain HTTP there, as it treats localhost as secure.
    """
    return {**browser_context_args, "base_url": live_server.url}


def unavailable(reason):
    """Skip a test whose tool is missing here; under CI=true, fail it, so it is not lost."""
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(reason, pytrace=False)
    pytest.skip(reason)


def open_page(new_context):
    context = new_context()
    context.set_default_timeout(TIMEOUT_MS)
    return context.new_page()


PHONE_WIDTH, DESKTOP_WIDTH = 390, 1280


def reader_page(new_context, *, width, scheme="light", **options):
    """A page as a reader's phone (``width`` under 800 px) or desktop shows the site, in
    the light or dark colour ``scheme``."""
    phone = width < 800
    context = new_context(
        viewport={"width": width, "height": 844 if phone else 800},
        is_mobile=phone,
        has_touch=phone,
        color_scheme=scheme,
        **options,
    )
    context.set_default_timeout(TIMEOUT_MS)
    return context.new_page()


@pytest.fixture
def page(new_context):
    return open_page(new_context)


@pytest.fixture
def second_page(new_context):
    """A page in a second, independent browser context: another person at another desk."""
    return open_page(new_context)


@pytest.fixture(scope="session")
def axe_script():
    """axe-core's file, which `make test` installs with npm ci."""
    if not AXE.exists():
        if shutil.which("npm") is None:
            reason = "npm not found, so axe-core cannot be installed (apt-get install npm)"
        else:
            reason = f"axe-core not installed at {AXE} (run `make test` or `npm ci`)"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(reason, pytrace=False)
        pytest.skip(reason)
    return AXE


@pytest.fixture
def axe_page(new_context, axe_script):
    """A page that lets axe in: the site's Content-Security-Policy would block its script."""
    context = new_context(bypass_csp=True)
    context.set_default_timeout(TIMEOUT_MS)
    return context.new_page()


def serious_violations(page, *, exclude=(), must_check=()):
    """axe-core's serious and critical violations on the page as it stands, described,
    outside the elements ``exclude`` selects.

    Each rule in ``must_check`` must have found something to check (passed, failed or
    left for review): a rule that met nothing would otherwise pass unseen.
    """
    if not page.evaluate("typeof axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE))
    results = page.evaluate(
        "exclude => axe.run(exclude.length ? {exclude} : document, {resultTypes: ['violations']})",
        [[selector] for selector in exclude],
    )
    checked = {
        rule["id"] for kind in ("violations", "passes", "incomplete") for rule in results[kind]
    }
    unchecked = sorted(set(must_check) - checked)
    assert not unchecked, f"axe checked nothing with {unchecked} at {page.url}"
    return [
        f"{violation['id']} ({violation['impact']}): {violation['help']}\n    at "
        + "; ".join(" ".join(node["target"]) for node in violation["nodes"])
        for violation in results["violations"]
        if violation["impact"] in ("serious", "critical")
    ]


# The small newsroom of reader_newsroom: its stories, and their pictures' colours.
COLOURS = [(30, 90, 160), (160, 60, 40), (40, 130, 70), (90, 60, 140)]
HEADLINES = [
    "Gas exports rise for a third month",
    "Central bank holds its rate at seven per cent",
    "New oil field starts production in the Caspian",
    "Grain harvest beats forecasts in the west",
]
BODY = (
    "<p>Exports of natural gas rose for a third month in a row, the energy ministry said on "
    "Tuesday, as two new fields in the Caspian came on stream.</p>"
    "<p>Shipments through the southern pipeline reached their highest level since the line "
    "opened, and officials expect the rise to continue into the winter.</p>"
    "<p>Analysts said the figures reflected higher demand in Europe, where buyers have been "
    "looking for new suppliers, and a recovery in prices on the spot market.</p>"
)


@pytest.fixture
def login():
    """``login(page, user)``: sign in through the admin's login form, as a person would."""

    def sign_in(page, user, *, password=PASSWORD):
        page.goto("/admin/login/")
        page.get_by_label("Username").fill(user.get_username())
        page.get_by_label("Password").fill(password)
        page.get_by_role("button", name="Log in").click()
        expect(page.get_by_role("button", name="Log out")).to_be_visible()
        return page

    return sign_in


def save(page, button="Save"):
    """Press a save button; fail with the form's errors if the admin did not save."""
    with page.expect_navigation():
        page.get_by_role("button", name=button, exact=True).click()
    expect(page.locator(".messagelist .success, .errornote").first).to_be_visible()
    errors = page.locator(".errornote, .errorlist")
    assert errors.count() == 0, "\n".join(errors.all_inner_texts())


def body_editor(page):
    """The body's editor (static/desk/editor/), which stands in for the hidden textarea."""
    return page.get_by_role("textbox", name="Body")


def write_body(page, *paragraphs):
    """Replace the body with ``paragraphs``, typed as an editor types: Enter between them."""
    body_editor(page).click()
    page.keyboard.press("ControlOrMeta+A")
    page.keyboard.press("Delete")
    for number, paragraph in enumerate(paragraphs):
        if number:
            page.keyboard.press("Enter")
        page.keyboard.type(paragraph)


@dataclass
class ReaderNewsroom:
    """A small newsroom's public addresses, and the draft that none of them may show."""

    pages: dict
    draft: Article


@pytest.fixture
def reader_newsroom(db):
    """Four public stories with lead pictures in one section by one author, one of them
    showing a second picture in its body, and a draft in the same section by the same author.

    The pictures are real files, large enough for a phone's dense screen, so the checks
    judge the pages and not thumbnails blown up.
    """
    section = SectionFactory(name="Economy", slug="economy")
    author = AuthorFactory(
        name="Leyla Aliyeva", title="Energy correspondent", bio="Covers oil, gas and markets."
    )
    source = SourceFactory(name="Newsroom Wire", slug="newsroom-wire")
    stories = []
    with renditions_remembered():
        for number, (headline, colour) in enumerate(zip(HEADLINES, COLOURS, strict=True)):
            lead = upload(
                photo(colour=colour),
                alt_text=f"Tankers at the terminal, view {number + 1}",
                caption="Tankers wait at the oil terminal.",
                credit="Newsroom",
            )
            stories.append(
                ArticleFactory(
                    public=True,
                    headline=headline,
                    summary="Exports rose for a third month as new fields came on stream.",
                    body=BODY,
                    byline="",
                    source=source,
                    section=section,
                    lead_image=lead,
                    authors=[author],
                )
            )
        inline = upload(
            photo((1024, 640), colour=(200, 160, 40)),
            alt_text="The pipeline crossing the river",
            caption="The pipeline crosses the Kura river near Mingachevir.",
            credit="Newsroom",
        )
    pictured = stories[0]
    pictured.body = BODY.replace("</p>", f'</p><figure data-image="{inline.pk}"></figure>', 1)
    pictured.save()
    pictured.show_pictures()
    for story in stories:
        reader_html.render(story)
    draft = ArticleFactory(
        headline="Unpublished draft: the minister resigns",
        body=BODY,
        source=source,
        section=section,
        authors=[author],
    )
    return ReaderNewsroom(
        pages={
            "front": "/",
            "section": section.get_absolute_url(),
            "article": pictured.get_absolute_url(),
            "author": author.get_absolute_url(),
        },
        draft=draft,
    )


# What this run wrote to QUALITY_FOLDER, named in the closing summary.
_SAVED = []
_LIGHTHOUSE_SCORES = {}


def save_screenshot(page, name):
    """Save the whole of ``page`` as QUALITY_FOLDER/``name``.png, for people to look at."""
    QUALITY_FOLDER.mkdir(parents=True, exist_ok=True)
    path = QUALITY_FOLDER / f"{name}.png"
    page.screenshot(path=path, full_page=True, animations="disabled")
    _SAVED.append(path)
    return path


def record_lighthouse(name, scores):
    """Keep ``name``'s Lighthouse scores in QUALITY_FOLDER/lighthouse.json, with this
    run's other pages."""
    _LIGHTHOUSE_SCORES[name] = scores
    QUALITY_FOLDER.mkdir(parents=True, exist_ok=True)
    path = QUALITY_FOLDER / "lighthouse.json"
    path.write_text(json.dumps(_LIGHTHOUSE_SCORES, indent=2, sort_keys=True) + "\n")
    if path not in _SAVED:
        _SAVED.append(path)


def pytest_terminal_summary(terminalreporter):
    if not _SAVED:
        return
    screenshots = sum(path.suffix == ".png" for path in set(_SAVED))
    terminalreporter.section("reader site: screenshots and Lighthouse scores")
    terminalreporter.write_line(f"{QUALITY_FOLDER}: {screenshots} screenshots")
    for name, scores in sorted(_LIGHTHOUSE_SCORES.items()):
        figures = ", ".join(f"{key} {value}" for key, value in scores.items())
        terminalreporter.write_line(f"Lighthouse {name}: {figures}")
