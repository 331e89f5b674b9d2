"""The site as `make serve` runs it (the ``served`` fixture, tests/conftest.py):
gunicorn with several workers, DEBUG off, static files from WhiteNoise.

Without STATIC_MANIFEST: collecting and compressing every app's files takes
half a minute, so WhiteNoise finds them where they live, as in development.
"""

import re

from tests.helpers import SERVED_WORKERS, get, manage


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


PUBLISH = """
from articles import editorial
from articles.models import Article
article = editorial.create(Article(headline="Minister resigns", body="He did."), by=None)
editorial.publish(article, by=None)
print(article.get_absolute_url())
"""
UNPUBLISH = """
from articles import editorial
from articles.models import Article
editorial.unpublish(Article.objects.get(headline="Minister resigns"), by=None)
"""


def test_a_retracted_story_leaves_every_worker_at_once_without_redis(served, served_env):
    """Each worker caches pages; without Redis they share the database's cache table."""
    address, _server, _log_path = served
    env = served_env
    published = manage("shell", "--no-imports", "-c", PUBLISH, env=env)
    assert published.returncode == 0, published.stderr
    url = address + published.stdout.strip().splitlines()[-1]
    # Enough requests that every worker has served, and cached, the page.
    assert {get(url)[0] for _ in range(4 * SERVED_WORKERS)} == {200}

    retracted = manage("shell", "--no-imports", "-c", UNPUBLISH, env=env)
    assert retracted.returncode == 0, retracted.stderr

    assert {get(url)[0] for _ in range(6 * SERVED_WORKERS)} == {404}
