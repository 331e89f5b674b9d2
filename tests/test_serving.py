"""The site as `make serve` runs it (the ``served`` fixture, tests/conftest.py):
gunicorn with several workers, DEBUG off, static files from WhiteNoise.

Without STATIC_MANIFEST: collecting and compressing every app's files takes
half a minute, so WhiteNoise finds them where they live, as in development.
"""

import re

from tests.helpers import SERVED_WORKERS, get


def test_gunicorn_serves_pages_and_static_files(served):
    address, server, log_path = served
    status, headers, page = get(f"{address}/")
    assert (status, headers["Content-Type"]) == (200, "text/html; charset=utf-8")
    stylesheet = re.search(r'<link rel="stylesheet" href="([^"]+)"', page).group(1)
    status, headers, css = get(f"{address}{stylesheet}")
    assert (status, headers.get_content_type()) == (200, "text/css")
    assert "body" in css

    server.terminate()
    assert server.wait(timeout=40) == 0
    log = log_path.read_text()
    assert log.count("Booting worker") == SERVED_WORKERS
    assert "Traceback" not in log
