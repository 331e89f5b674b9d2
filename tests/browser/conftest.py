"""Browser tests: Playwright drives Debian's Chromium against pytest-django's live server.

Only what needs a browser belongs here: JavaScript, focus, phone layout (STYLE rule 23),
and axe-core's accessibility checks of rendered pages (``serious_violations``).
"""

import os
import shutil
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.factories import PASSWORD

# Playwright's sync API keeps an asyncio event loop running in the main thread from the
# first browser test to the end of the session, so Django would refuse every ORM call made
# afterwards (by tests, fixtures and the live server's teardown) as "async-unsafe".
# (The running loop also gives this thread a fresh Django connection object, which is
# why django_db_serialized_rollback has nothing to restore in these tests.)
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = Path("/usr/bin/chromium")
AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
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


def open_page(new_context):
    context = new_context()
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


def serious_violations(page, *, exclude=()):
    """axe-core's serious and critical violations on the page as it stands, described,
    outside the elements ``exclude`` selects."""
    if not page.evaluate("typeof axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE))
    results = page.evaluate(
        "exclude => axe.run(exclude.length ? {exclude} : document, {resultTypes: ['violations']})",
        [[selector] for selector in exclude],
    )
    return [
        f"{violation['id']} ({violation['impact']}): {violation['help']}\n    at "
        + "; ".join(" ".join(node["target"]) for node in violation["nodes"])
        for violation in results["violations"]
        if violation["impact"] in ("serious", "critical")
    ]


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
