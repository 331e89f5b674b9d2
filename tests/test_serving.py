"""The site as `make serve` runs it: gunicorn with several workers, DEBUG off,
static files from WhiteNoise.

Without STATIC_MANIFEST: collecting and compressing every app's files takes
half a minute, so WhiteNoise finds them where they live, as in development.
"""

import os
import re
import subprocess
import sys
import time
import urllib.error
import urllib.request

import pytest

from tests.helpers import ROOT, free_port, manage

WORKERS = 2


def get(url):
    """(status, headers, text), without raising for an error status."""
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status, response.headers, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read().decode()


@pytest.fixture
def served(tmp_path):
    """The site under gunicorn on a free port, on a fresh SQLite database."""
    port = free_port()
    # As production runs without Redis: the cache is the database's table, shared.
    ours = {"REDIS_URL", "BIND", "STATIC_MANIFEST", "CACHE_BACKEND"}
    env = {k: v for k, v in os.environ.items() if k not in ours}
    env.update(
        DATABASE_URL=f"sqlite:///{tmp_path}/served.sqlite3",
        DEBUG="0",
        SECURE_SSL_REDIRECT="0",
        HOST="127.0.0.1",
        PORT=str(port),
        WEB_CONCURRENCY=str(WORKERS),
    )
    for command in (["migrate", "--noinput"], ["createcachetable"]):
        done = manage(*command, env=env)
        assert done.returncode == 0, done.stderr
    log_path = tmp_path / "gunicorn.log"
    with log_path.open("w") as log:
        server = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-c", "newsroom/gunicorn.py", "newsroom.wsgi"],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    address = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and server.poll() is None:
            try:
                if get(f"{address}/healthz")[0] == 200:
                    break
            except OSError:
                time.sleep(0.1)
        assert server.poll() is None, log_path.read_text()
        yield address, server, log_path, env
    finally:
        server.terminate()
        server.wait(timeout=40)


def test_gunicorn_serves_pages_and_static_files(served):
    address, server, log_path, _env = served
    status, headers, page = get(f"{address}/")
    assert (status, headers["Content-Type"]) == (200, "text/html; charset=utf-8")
    stylesheet = re.search(r'<link rel="stylesheet" href="([^"]+)"', page).group(1)
    status, headers, css = get(f"{address}{stylesheet}")
    assert (status, headers.get_content_type()) == (200, "text/css")
    assert "body" in css

    server.terminate()
    assert server.wait(timeout=40) == 0
    log = log_path.read_text()
    assert log.count("Booting worker") == WORKERS
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


def test_a_retracted_story_leaves_every_worker_at_once_without_redis(served):
    """Each worker caches pages; without Redis they share the database's cache table."""
    address, server, log_path, env = served
    published = manage("shell", "--no-imports", "-c", PUBLISH, env=env)
    assert published.returncode == 0, published.stderr
    url = address + published.stdout.strip().splitlines()[-1]
    # Enough requests that every worker has served, and cached, the page.
    assert {get(url)[0] for _ in range(4 * WORKERS)} == {200}

    retracted = manage("shell", "--no-imports", "-c", UNPUBLISH, env=env)
    assert retracted.returncode == 0, retracted.stderr

    assert {get(url)[0] for _ in range(6 * WORKERS)} == {404}
