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

from articles import bodies

ROOT = Path(__file__).resolve().parent.parent
# Gunicorn workers of the ``served`` site (conftest.py).
SERVED_WORKERS = 2

# Markup that would run in a reader's or an editor's browser if any of it got through: for
# every way into a story's body (the form, the editor's paste and restore, the API).
XSS_CORPUS = [
    "<script>alert(1)</script>",
    '<img src=x onerror="alert(1)">',
    "<img/src=x/onerror=alert(1)>",
    "<svg/onload=alert(1)>",
    '<a href="javascript:alert(1)">a javascript: link</a>',
    '<a href="JaVaScRiPt:alert(1)">in mixed case</a>',
    '<a href=" javascript:alert(1)">after a space</a>',
    '<a href="java&#x09;script:alert(1)">with an entity</a>',
    '<a href="data:text/html,&lt;script&gt;alert(1)&lt;/script&gt;">a data: link</a>',
    '<a href="//evil.example/">a protocol-relative link</a>',
    '<svg onload="alert(1)"><circle r="1"></circle></svg>',
    "<svg><script>alert(1)</script></svg>",
    '<iframe src="javascript:alert(1)"></iframe>',
    '<iframe srcdoc="&lt;script&gt;alert(1)&lt;/script&gt;"></iframe>',
    '<object data="data:text/html,alert(1)"></object>',
    '<p style="background:url(javascript:alert(1))" onclick="alert(1)">a styled paragraph</p>',
    '<details open ontoggle="alert(1)">a details element</details>',
    '<form><button formaction="javascript:alert(1)">a button</button></form>',
    '<math><mi xlink:href="javascript:alert(1)">math</mi></math>',
    '<figure data-image="1" onmouseover="alert(1)"><figcaption onclick="alert(1)">a caption'
    "</figcaption></figure>",
    '<blockquote class="pull-quote" style="color:red"><p>a quote</p></blockquote>',
    '<a href="/people/x/" data-link="person:1 onclick=alert(1)">a bad data-link</a>',
    "<!--<img src=x onerror=alert(1)>-->",
    '<noscript><p title="</noscript><img src=x onerror=alert(1)>"></noscript>',
    "<style>@import 'javascript:alert(1)';</style>",
    '<body onload="alert(1)"><p>a body</p></body>',
]


def assert_body_in_the_format(body):
    """Only the body format's tags and attributes (articles/bodies.py), with the addresses,
    links and pictures it allows: nothing a browser would run."""
    allowed = {
        **dict.fromkeys(["p", "h2", "h3", "ul", "ol", "li", "strong", "em", "br"], set()),
        **{"a": {"href", "data-link"}, "blockquote": {"class"}, "figcaption": set()},
        "figure": {"data-image"},
    }
    for node in bodies._walk(bodies.parse(body)):
        if node.tag:
            assert node.tag in allowed, node.tag
            assert set(node.attrs) <= allowed[node.tag], node.attrs
            assert bodies.HREF.match(node.attrs.get("href", "/")), node.attrs
            assert bodies.DATA_LINK.match(node.attrs.get("data-link", "person:1")), node.attrs
            assert node.attrs.get("class", bodies.PULL_QUOTE) == bodies.PULL_QUOTE, node.attrs


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
