"""Faults the newsroom must survive: writers colliding, an import killed half way.

The service faults (Redis or PostgreSQL stopped under a running site) need
throwaway servers and take minutes: they are `make faults` (bench/faults.py).
"""

import json
import os
import signal
import subprocess
import threading
import time
from collections import Counter
from itertools import count
from urllib.parse import urlsplit

import dj_database_url
import pytest
from django.db import connection
from django.test import Client
from rest_framework.test import APIClient

from articles import editorial, intake, synthetic
from articles.models import Article, EditConflict, WireOutcome
from tests.factories import ArticleFactory
from tests.helpers import change_url, manage, start_manage
from tests.test_admin import form_data

WRITING_SECONDS = 3
SEED_PLACES = ["Ganja", "Mingachevir", "Khizi", "Absheron", "Baku", "Armenia", "Azerbaijan"]


def wire_copy(rng):
    names = rng.sample(SEED_PLACES, 3) + ["Zakir Hasanov"]
    return synthetic.wire_story(rng, agency="Trend", word_count=200, names=names)


@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_queue_or_conflict_and_never_fail(seed, editor):
    """Admin saves, API writes and wire intake at once, for a few seconds.

    On SQLite every writer waits its turn (IMMEDIATE transactions, busy
    timeout): nobody sees "database is locked". Two saves of the same version
    end in one save and one clean conflict, so no save is lost.
    """
    shared = [ArticleFactory(body=f"Story {n} from Baku.") for n in range(3)]
    stop_at = time.monotonic() + WRITING_SECONDS
    outcomes, errors, lock = [], [], threading.Lock()
    copy_numbers = count()

    def record(kind, outcome, article_id=None):
        with lock:
            outcomes.append((kind, outcome, article_id))

    def admin_saves(n):
        client = Client()
        client.force_login(editor)
        # Every other save is of a story nobody else edits, so some always go through.
        own = ArticleFactory(body="A story only this editor edits.")
        while time.monotonic() < stop_at:
            article = own if n % 2 else shared[n % len(shared)]
            n += 1
            response = client.post(change_url(article), form_data(article, summary=f"Edit {n}."))
            if response.status_code == 302:
                record("admin", "saved", article.pk)
            elif response.status_code == 200 and "saved this story at" in response.text:
                record("admin", "conflict")
            else:
                raise AssertionError(f"admin save answered {response.status_code}")

    def api_writes(n):
        client = APIClient()
        client.force_authenticate(editor)
        while time.monotonic() < stop_at:
            n += 1
            created = client.post(
                "/api/v1/articles/",
                {"headline": f"API story {threading.get_ident()} {n}", "body": "From Ganja."},
                format="json",
            )
            assert created.status_code == 201, created.content
            record("api", "created", created.data["id"])
            article = shared[n % len(shared)]
            version = Article.objects.values_list("version", flat=True).get(pk=article.pk)
            changed = client.patch(
                f"/api/v1/articles/{article.pk}/",
                {"byline": f"By desk {n}"},
                format="json",
                HTTP_IF_MATCH=f'"{version}"',
            )
            if changed.status_code == 200:
                record("api", "saved", article.pk)
            elif changed.status_code == 412:
                record("api", "conflict")
            else:
                raise AssertionError(f"API change answered {changed.status_code}")

    def model_saves(n):
        while time.monotonic() < stop_at:
            article = Article.objects.get(pk=shared[n % len(shared)].pk)
            n += 1
            article.headline = f"Checked save {n}"
            try:
                editorial.edit(article, expected_version=article.version, by=editor)
            except EditConflict:
                record("model", "conflict")
            else:
                record("model", "saved", article.pk)

    def wire_intake(n):
        rng = synthetic.generator(n)
        while time.monotonic() < stop_at:
            # Every third copy is one another thread may be taking in too.
            number = next(copy_numbers)
            text = wire_copy(synthetic.generator(number % 5) if number % 3 == 0 else rng)
            result = intake.take_in(text.encode(), origin=f"thread {n}")
            record("wire", result.outcome, result.article.pk)

    def run(writer, n):
        try:
            writer(n)
        except Exception as error:  # noqa: BLE001 - every error fails the test below
            with lock:
                errors.append(f"{writer.__name__}: {error!r}")
        finally:
            connection.close()

    writers = [
        admin_saves,
        admin_saves,
        api_writes,
        api_writes,
        model_saves,
        wire_intake,
        wire_intake,
    ]
    threads = [threading.Thread(target=run, args=(w, n)) for n, w in enumerate(writers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    kinds = {kind for kind, outcome, _ in outcomes if outcome in ("saved", "created")}
    assert kinds == {"admin", "api", "model", "wire"}
    # Every acknowledged write is there, and every save of a shared story moved
    # its version exactly once: none was lost to another.
    created = [pk for kind, outcome, pk in outcomes if outcome == WireOutcome.CREATED]
    assert Article.objects.filter(pk__in=created).count() == len(set(created)) == len(created)
    saves = Counter(pk for _, outcome, pk in outcomes if outcome == "saved")
    for pk in saves.keys() | {article.pk for article in shared}:
        assert Article.objects.get(pk=pk).version == 1 + saves[pk]


# --- An import killed half way -------------------------------------------------------

WIRE_FILES = 300
KILL_AFTER = 60

INTEGRITY = """
import json
from reversion.models import Version
from articles import linking
from articles.models import Article, WireItem
imported = Article.objects.filter(pk__gt={watermark})
versions = Version.objects.get_for_model(Article).values_list("object_id", flat=True)
history = {{int(pk) for pk in versions}}
print(json.dumps({{
    "articles": imported.count(),
    "wire_items": WireItem.objects.filter(article__pk__gt={watermark}).count(),
    "files": WireItem.objects.values("origin").distinct().count(),
    "without_wire_item": imported.filter(wire_items__isnull=True).count(),
    "without_fingerprints": WireItem.objects.filter(fingerprints__isnull=True).count(),
    "unrendered": imported.filter(body_html="").count(),
    "unlinked": sum(1 for a in imported if any(linking.links_to_add(a).values())),
    "without_history": sum(1 for pk in imported.values_list("pk", flat=True) if pk not in history),
}}))
"""
WHOLE = {
    "without_wire_item": 0,
    "without_fingerprints": 0,
    "unrendered": 0,
    "unlinked": 0,
    "without_history": 0,
}


@pytest.fixture
def scratch_database(tmp_path):
    """A database of its own for the import, on the suite's engine: an SQLite
    file, or a fresh database on the suite's PostgreSQL server, dropped afterwards."""
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        yield f"sqlite:///{tmp_path}/import.sqlite3"
        return
    server = dj_database_url.parse(url)
    name = f"newsroom_faults_{os.getpid()}"
    options = ["-h", server["HOST"] or "127.0.0.1", "-p", str(server["PORT"] or 5432)]
    options += ["-U", server["USER"]] if server["USER"] else []
    env = {**os.environ, "PGPASSWORD": server["PASSWORD"] or ""}
    subprocess.run(["dropdb", *options, "--if-exists", name], env=env, check=True)
    subprocess.run(["createdb", *options, name], env=env, check=True)
    try:
        yield urlsplit(url)._replace(path=f"/{name}").geturl()
    finally:
        subprocess.run(["dropdb", *options, "--if-exists", "--force", name], env=env, check=True)


def on_database(database_url):
    """The test run's environment, on ``database_url`` and without its Redis."""
    env = {k: v for k, v in os.environ.items() if k not in {"REDIS_URL", "DATABASE_URL"}}
    return {**env, "DATABASE_URL": database_url, "PYTHONUNBUFFERED": "1"}


def finished(*args, database_url):
    result = manage(*args, env=on_database(database_url))
    assert result.returncode == 0, result.stderr
    return result.stdout


def integrity(database_url, watermark):
    code = INTEGRITY.format(watermark=watermark)
    return json.loads(finished("shell", "--no-imports", "-c", code, database_url=database_url))


def test_a_killed_import_leaves_no_half_article_and_a_rerun_finishes(scratch_database, tmp_path):
    folder = tmp_path / "wire"
    folder.mkdir()
    rng = synthetic.generator(7)
    for n in range(WIRE_FILES):
        (folder / f"{n:04d}.txt").write_text(wire_copy(rng), encoding="utf-8")
    finished("migrate", "--noinput", database_url=scratch_database)
    watermark = finished(
        "shell",
        "--no-imports",
        "-c",
        "from django.core.management import call_command; from articles.models import Article;"
        "call_command('loaddata', 'fixtures/newsroom.json', verbosity=0);"
        "print(Article.objects.order_by('-pk').values_list('pk', flat=True).first() or 0)",
        database_url=scratch_database,
    ).strip()

    # -v 2 reports each file once its transaction has committed.
    first = start_manage(
        "import_wire", str(folder), "--no-progress", "-v", "2", env=on_database(scratch_database)
    )
    try:
        reported = 0
        for line in first.stdout:
            reported += line.endswith(": new draft\n")
            if reported == KILL_AFTER:
                first.send_signal(signal.SIGKILL)
                break
    finally:
        first.kill()
        first.communicate()
    assert reported == KILL_AFTER, "the import ended before it could be killed"
    after_kill = integrity(scratch_database, watermark)
    assert KILL_AFTER <= after_kill["articles"] < WIRE_FILES
    assert after_kill["wire_items"] == after_kill["articles"] == after_kill["files"]
    assert after_kill | WHOLE == after_kill

    summary = finished("import_wire", str(folder), "--no-progress", database_url=scratch_database)
    done = summary.strip().splitlines()[-1]
    imported_before = after_kill["articles"]
    assert done == (
        f"Done: {WIRE_FILES - imported_before} created as drafts, "
        f"{imported_before} skipped as duplicates."
    )
    after_rerun = integrity(scratch_database, watermark)
    assert after_rerun == {
        "articles": WIRE_FILES,
        "wire_items": WIRE_FILES,
        "files": WIRE_FILES,
        **WHOLE,
    }
