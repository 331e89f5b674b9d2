"""Plain functions the test modules share; shared fixtures are in conftest.py."""

import socket
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path

from django.urls import reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

ROOT = Path(__file__).resolve().parent.parent
# Gunicorn workers of the ``served`` site (conftest.py).
SERVED_WORKERS = 2


def token_for(user):
    """``user``'s API token key, issued on first use as drf_create_token would."""
    token, _ = Token.objects.get_or_create(user=user)
    return token.key


def api(user=None):
    """An API client: anonymous, or sending ``user``'s token as a partner's script does."""
    client = APIClient()
    if user is not None:
        client.credentials(HTTP_AUTHORIZATION=f"Token {token_for(user)}")
    return client


def change_url(article):
    return reverse("admin:articles_article_change", args=[article.pk])


def free_port():
    """A port on 127.0.0.1 that nothing listens on, for a server a test starts."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def manage(*args, env, timeout=120):
    """Run ``python manage.py ARGS`` to the end in a process of its own, as an operator does.

    ``env`` is its whole environment: each caller decides what it keeps of the
    test run's own (SECRET_KEY, DATABASE_URL, REDIS_URL...). Output is captured as text.
    """
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def start_manage(*args, env):
    """``manage``, left running: its output is read as it comes, and it may be killed."""
    return subprocess.Popen(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def get(url):
    """(status, headers, text), without raising for an error status."""
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status, response.headers, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read().decode()
