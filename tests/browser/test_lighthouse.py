"""Lighthouse's accessibility, best-practices and SEO audits of the reader site, and its
measure of layout shift, on a phone (Lighthouse's default emulation) against the live server.

Lighthouse (npm, see package.json) drives Debian's Chromium itself. Only the loopback
address is reachable, and Lighthouse is asked for nothing that would leave it: no error
reports, no full-page screenshot. Its timings are not asserted (they belong in bench/);
each page's scores go to QUALITY_FOLDER/lighthouse.json.
"""

import json
import os
import shutil
import subprocess

import pytest

from tests.browser.conftest import CHROMIUM, ROOT, record_lighthouse, unavailable

LIGHTHOUSE = ROOT / "node_modules" / "lighthouse" / "cli" / "index.js"
CATEGORIES = ["accessibility", "best-practices", "seo"]
# Lighthouse measures layout shift in its performance run; only these audits of it are
# asked for: the total, and the elements that moved.
LAYOUT_SHIFT = "cumulative-layout-shift"
SHIFTED = "layout-shifts"
CHROME_FLAGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
TIMEOUT_S = 60
# Lighthouse's own trace recording sometimes misses the page load on a busy machine
# ("NO_NAVSTART: … Please run Lighthouse again"): a fault of the tool, not of the page,
# which it asks to be run again. Only that is retried; a failed audit never is.
RUN_AGAIN = "Please run Lighthouse again"
ATTEMPTS = 3


@pytest.fixture(scope="session")
def lighthouse():
    """The Lighthouse command line, which `make test` installs with npm ci."""
    if shutil.which("node") is None:
        unavailable("node not found, so Lighthouse cannot run (apt-get install npm)")
    if not LIGHTHOUSE.exists():
        unavailable(f"Lighthouse not installed at {LIGHTHOUSE} (run `make test` or `npm ci`)")
    if not CHROMIUM.exists():
        unavailable(f"Chromium not found at {CHROMIUM} (apt-get install chromium)")

    def run(url):
        """Lighthouse's report (its JSON ``lhr``) on ``url``."""
        for attempt in range(1, ATTEMPTS + 1):
            done = subprocess.run(
                [
                    "node",
                    str(LIGHTHOUSE),
                    url,
                    f"--only-categories={','.join(CATEGORIES)}",
                    f"--only-audits={LAYOUT_SHIFT},{SHIFTED}",
                    f"--chrome-flags={' '.join(CHROME_FLAGS)}",
                    "--disable-full-page-screenshot",
                    "--no-enable-error-reporting",
                    "--max-wait-for-load=15000",
                    "--output=json",
                    "--output-path=stdout",
                    "--quiet",
                ],
                env={**os.environ, "CHROME_PATH": str(CHROMIUM)},
                capture_output=True,
                text=True,
                timeout=TIMEOUT_S,
                check=False,
            )
            said = done.stderr if done.returncode else json.loads(done.stdout).get("runtimeError")
            if attempt < ATTEMPTS and RUN_AGAIN in str(said or ""):
                continue
            assert done.returncode == 0, f"Lighthouse failed on {url}:\n{done.stderr[-3000:]}"
            report = json.loads(done.stdout)
            assert "runtimeError" not in report, f"{url}: {report['runtimeError']}"
            return report

    return run


def describe(item):
    """One offending item of an audit, as a person would look for it: the element's
    selector and markup, the file and line, and the item's other values."""
    described = []
    for key, value in item.items():
        if isinstance(value, dict) and value.get("type") == "node":
            described.append(f"{value.get('selector', '')} {value.get('snippet', '')}".strip())
        elif isinstance(value, dict) and value.get("type") == "source-location":
            described.append(f"{value.get('url')}:{value.get('line')}")
        elif isinstance(value, str | int | float) and value != "":
            described.append(f"{key}: {value}")
    return "; ".join(described)[:500] or json.dumps(item)[:500]


def failing_audits(report, category):
    """The audits that cost ``category`` points, with their titles and what fails them."""
    lines = []
    for ref in report["categories"][category]["auditRefs"]:
        audit = report["audits"][ref["id"]]
        if ref["weight"] == 0 or audit["score"] is None or audit["score"] >= 1:
            continue
        lines.append(f"  {audit['id']}: {audit['title']} (score {audit['score']})")
        items = (audit.get("details") or {}).get("items") or []
        lines += [f"      {describe(item)}" for item in items[:10]]
        if len(items) > 10:
            lines.append(f"      … and {len(items) - 10} more")
        if audit.get("explanation"):
            lines.append(f"      {audit['explanation']}")
    return lines


@pytest.mark.parametrize("name", ["front", "article"])
def test_lighthouse_finds_nothing_to_fix_and_nothing_shifts(
    live_server, reader_newsroom, lighthouse, name
):
    report = lighthouse(live_server.url + reader_newsroom.pages[name])

    scores = {category: report["categories"][category]["score"] for category in CATEGORIES}
    layout_shift = report["audits"][LAYOUT_SHIFT]["numericValue"]
    record_lighthouse(name, {**scores, LAYOUT_SHIFT: layout_shift})
    problems = []
    for category, score in scores.items():
        if score != 1:
            problems += [f"{category} scores {score}:", *failing_audits(report, category)]
    if layout_shift != 0:
        shifts = (report["audits"][SHIFTED].get("details") or {}).get("items") or []
        problems += [f"layout shifts by {layout_shift}:", *(f"  {describe(i)}" for i in shifts)]
    page = f"{name} ({report['finalDisplayedUrl']})"
    warnings = [f"  {warning}" for warning in report.get("runWarnings", [])]
    assert not problems, "\n".join([page, *problems, *warnings])
