"""Fault checks: `make faults`, or `python bench/faults.py [NAME ...]` (all when no name).

The site runs under gunicorn against a throwaway PostgreSQL cluster (port
5440) and a throwaway redis-server (port 6390), which are stopped, hung and
restarted; the shared servers on 5432 and 6379 are never touched. Each check
prints PASS or FAIL with what it measured; the script exits 1 if any failed.

redis-stopped       Redis stopped while serving: pages still answer, caching comes back
redis-hung          Redis frozen (SIGSTOP): pages answer within the cache's timeout
postgres-restarted  PostgreSQL crashed and restarted under load: errors are fast and
                    clean, the site recovers without a restart, no acknowledged write lost
pytest              tests/test_faults.py (concurrent writers, a killed wire import) on
                    SQLite and on the throwaway PostgreSQL
"""

import json
import os
import random
import subprocess
import sys
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from services import (  # noqa: E402 - bench/ is not a package
    PYTHON,
    ROOT,
    Site,
    ThrowawayPostgres,
    ThrowawayRedis,
    generate,
    shell,
    site_env,
    targets,
    wait_until,
)

POSTGRES_PORT = 5440
REDIS_PORT = 6390
FAST_SECONDS = 2.0
# A stack trace or the driver's own words; /healthz naming the error's class is by design.
TRACEBACK_MARKS = ("Traceback", 'File "', "psycopg", "connection failed", "Connection refused")
OUTCOMES = []

CREATE_DESK_USER = """
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from rest_framework.authtoken.models import Token
user = get_user_model().objects.create_user("wiredesk", is_staff=True)
user.groups.add(Group.objects.get(name="Editor"))
print(Token.objects.create(user=user).key)
"""


def report(name, passed, details):
    OUTCOMES.append((name, passed))
    sys.stdout.write(f"{'PASS' if passed else 'FAIL'} {name}: {details}\n")
    sys.stdout.flush()


def ok(status):
    return 200 <= status < 400


@dataclass
class Newsroom:
    """The throwaway database every check serves, with addresses worth asking for."""

    database_url: str
    token: str
    targets: dict
    postgres: ThrowawayPostgres

    def pages(self, rng=random):
        """One address of each kind; searches are new each time, so never cached."""
        words = rng.sample(self.targets["searches"], 2)
        return {
            "home": "/",
            "article": f"/articles/{rng.choice(self.targets['articles'])}/",
            "place": f"/places/{rng.choice(self.targets['places'])}/",
            "search": f"/search/?q={words[0].split()[0]}+{words[1].split()[0]}",
            "API list": "/api/v1/articles/?page_size=20",
            "feed": "/feed/",
        }


def request_log_queries(site, path):
    """SQL queries of the last logged request for ``path``, from the JSON request log."""
    for line in reversed(site.log_path.read_text().splitlines()):
        if not line.startswith("{"):
            continue
        entry = json.loads(line)
        if entry.get("path") == path:
            return entry.get("queries")
    return None


# --- Redis ------------------------------------------------------------------------


def check_redis_stopped(newsroom):
    env = site_env(newsroom.database_url)
    with (
        ThrowawayRedis(REDIS_PORT) as redis,
        Site({**env, "REDIS_URL": redis.url}, workers=2) as site,
    ):
        pages = newsroom.pages()
        warm = {kind: site.get(path)[0] for kind, path in pages.items()}
        cached_before = len(redis.keys("*pages:*"))
        redis.stop()
        answers, deadline = [], time.monotonic() + 6
        while time.monotonic() < deadline:
            for kind, path in newsroom.pages().items():
                status, body, seconds = site.get(path)
                answers.append((kind, status, seconds))
        failed = Counter(f"{kind} {status}" for kind, status, _ in answers if status != 200)
        slowest = max(seconds for *_, seconds in answers)
        report(
            "redis-stopped: pages answer while Redis is down",
            all(status == 200 for status in warm.values()) and not failed and cached_before > 0,
            f"{len(answers)} requests in 6 s with Redis down, "
            + (f"failures: {dict(failed)}" if failed else "all 200")
            + f"; slowest {slowest * 1000:.0f} ms; {cached_before} pages were cached before",
        )

        redis.start()
        restarted = time.monotonic()

        def cached_again():
            # Served whole from Redis, by every worker: several answers in a row
            # with no SQL. (A key under pages:* is not enough: the generation
            # number is written before any page is, and another worker may
            # still be waiting out its retry time.)
            for _ in range(6):
                site.get("/")
                if request_log_queries(site, "/") != 0:
                    return False
            return True

        resumed = wait_until(cached_again, seconds=20, step=0.25)
        after = time.monotonic() - restarted
        hits = redis.info("keyspace_hits")
        status, _, seconds = site.get("/")
        served_from_cache = status == 200 and redis.info("keyspace_hits") > hits
        queries = request_log_queries(site, "/")
        report(
            "redis-stopped: caching resumes when Redis is back",
            resumed and served_from_cache and queries in (None, 0),
            f"pages cached in Redis again {after:.1f} s after it restarted; the next / "
            f"was a Redis hit in {seconds * 1000:.1f} ms"
            + (f" with {queries} SQL queries (request log)" if queries is not None else ""),
        )
        warnings = site.log_path.read_text().count("is unreachable")
        sys.stdout.write(f"     ({warnings} 'Redis unreachable' warnings logged)\n")


def check_redis_hung(newsroom):
    env = site_env(newsroom.database_url)
    with (
        ThrowawayRedis(REDIS_PORT) as redis,
        Site({**env, "REDIS_URL": redis.url}, workers=2) as site,
    ):
        for path in newsroom.pages().values():
            site.get(path)
        redis.pause()
        try:
            answers = []
            deadline = time.monotonic() + 6
            while time.monotonic() < deadline:
                for kind, path in newsroom.pages().items():
                    status, _, seconds = site.get(path, timeout=35)
                    answers.append((kind, status, seconds))
        finally:
            redis.resume()
        failed = Counter(f"{kind} {status}" for kind, status, _ in answers if status != 200)
        slowest = max(seconds for *_, seconds in answers)
        report(
            "redis-hung: pages answer in time while Redis does not reply",
            not failed and slowest <= FAST_SECONDS,
            f"{len(answers)} requests in 6 s, "
            + (f"failures: {dict(failed)}" if failed else "all 200")
            + f"; slowest {slowest * 1000:.0f} ms",
        )


# --- PostgreSQL -------------------------------------------------------------------


@dataclass
class Answer:
    kind: str
    started: float
    ended: float
    status: int
    clean: bool
    body: str
    article_id: int | None = None

    @property
    def seconds(self):
        return self.ended - self.started


@dataclass
class Load:
    """A few readers and one wire desk writing, until stopped."""

    site: Site
    newsroom: Newsroom
    readers: int = 3
    answers: list = field(default_factory=list)
    running: threading.Event = field(default_factory=threading.Event)

    def ask(self, kind, path, **kwargs):
        started = time.monotonic()
        status, body, _ = self.site.get(path, **kwargs)
        clean = not any(mark in body for mark in TRACEBACK_MARKS)
        answer = Answer(kind, started, time.monotonic(), status, clean, body[:300])
        if status == 201:
            answer.article_id = json.loads(body)["article"]["id"]
        self.answers.append(answer)

    def read(self, seed):
        rng = random.Random(seed)
        while self.running.is_set():
            for kind, path in self.newsroom.pages(rng).items():
                self.ask(kind, path)
            self.ask("healthz", "/healthz")

    def write(self):
        from articles import synthetic

        rng = synthetic.generator(99)
        headers = {"Authorization": f"Token {self.newsroom.token}"}
        while self.running.is_set():
            copy = synthetic.wire_story(rng, agency="Fault Desk", word_count=120)
            self.ask("wire POST", "/api/v1/wire/", data=copy.encode(), headers=headers)

    def __enter__(self):
        self.running.set()
        self.threads = [threading.Thread(target=self.read, args=(n,)) for n in range(self.readers)]
        self.threads.append(threading.Thread(target=self.write))
        for thread in self.threads:
            thread.start()
        return self

    def __exit__(self, *exc):
        self.running.clear()
        for thread in self.threads:
            thread.join()


def tally(answers):
    counts = Counter(f"{a.kind} {a.status or 'no answer'}" for a in answers)
    return ", ".join(f"{key} ×{n}" for key, n in sorted(counts.items())) or "none"


def check_postgres_restarted(newsroom):
    postgres = newsroom.postgres
    with Site(site_env(newsroom.database_url), workers=3) as site, Load(site, newsroom) as load:
        time.sleep(3)
        stopping = time.monotonic()
        postgres.stop("immediate")
        stopped = time.monotonic()
        time.sleep(6)
        starting = time.monotonic()
        postgres.start()
        started = time.monotonic()
        wait_until(lambda: site.get("/healthz")[0] == 200, seconds=30, step=0.05)
        recovered = time.monotonic()
        time.sleep(4)
        log = site.log_path.read_text()
        never_restarted = site.process.poll() is None and "WORKER TIMEOUT" not in log
    answers = load.answers
    before = [a for a in answers if a.ended < stopping]
    down = [a for a in answers if a.started > stopped and a.ended < starting]
    after = [a for a in answers if a.started > recovered]
    failures = [a for a in answers if not ok(a.status)]

    report(
        "postgres-restarted: all well before the crash",
        before and all(ok(a.status) for a in before),
        f"{len(before)} requests, " + tally([a for a in before if not ok(a.status)]) + " failed",
    )
    slow = [a for a in failures if a.seconds > FAST_SECONDS]
    dirty = [a for a in failures if not a.clean]
    slowest = max((a.seconds for a in failures), default=0)
    report(
        "postgres-restarted: failed requests fail fast, without a traceback",
        not slow and not dirty,
        f"{len(failures)} failed requests, slowest {slowest * 1000:.0f} ms "
        f"(limit {FAST_SECONDS:.0f} s); {len(dirty)} with a traceback or driver error in the body",
    )
    failed_down = [a for a in down if not ok(a.status)]
    report(
        "postgres-restarted: 503 while the database is down",
        failed_down and all(a.status == 503 for a in failed_down),
        f"while down ({starting - stopped:.1f} s): " + tally(down),
    )
    for kind, status in sorted({(a.kind, a.status) for a in failed_down}):
        body = next(a.body for a in failed_down if (a.kind, a.status) == (kind, status))
        sys.stdout.write(f"     {kind} {status}: {' '.join(body.split())[:110]}\n")
    report(
        "postgres-restarted: recovers without restarting gunicorn",
        after and all(ok(a.status) for a in after) and never_restarted,
        f"/healthz 200 again {recovered - started:.2f} s after PostgreSQL accepted "
        f"connections (start took {started - starting:.1f} s); after that {len(after)} "
        f"requests, " + tally([a for a in after if not ok(a.status)]) + " failed",
    )
    acknowledged = [a.article_id for a in answers if a.status == 201]
    found = json.loads(
        shell(
            "import json; from articles.models import Article;"
            f"ids = {acknowledged!r};"
            "print(json.dumps({'found': Article.objects.filter(pk__in=ids).count(),"
            " 'without_wire_item': Article.objects.filter(wire_items__isnull=True,"
            " original_text__gt='').count()}))",
            env=site_env(newsroom.database_url),
        )
    )
    report(
        "postgres-restarted: no acknowledged write lost",
        found["found"] == len(acknowledged) and found["without_wire_item"] == 0,
        f"{len(acknowledged)} wire copies answered 201, {found['found']} found after the "
        f"restart; {found['without_wire_item']} wire articles without their wire item; "
        f"wire POSTs: {tally([a for a in answers if a.kind == 'wire POST'])}",
    )


# --- The pytest checks -------------------------------------------------------------


def check_pytest(newsroom):
    runs = {
        "SQLite": {},
        "PostgreSQL": {"DATABASE_URL": f"{newsroom.postgres.server}/newsroom_faults_pytest"},
    }
    for label, extra in runs.items():
        env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}}
        start = time.monotonic()
        result = subprocess.run(
            [PYTHON, "-m", "pytest", "tests/test_faults.py", "-q", "-p", "no:cacheprovider"],
            cwd=ROOT,
            env={**env, **extra},
            capture_output=True,
            text=True,
        )
        summary = result.stdout.strip().splitlines()[-1] if result.stdout.strip() else ""
        report(
            f"pytest tests/test_faults.py on {label}",
            result.returncode == 0,
            f"{summary} ({time.monotonic() - start:.0f} s)",
        )
        if result.returncode:
            sys.stdout.write(result.stdout[-3000:] + result.stderr[-2000:])


CHECKS = {
    "redis-stopped": check_redis_stopped,
    "redis-hung": check_redis_hung,
    "postgres-restarted": check_postgres_restarted,
    "pytest": check_pytest,
}


def main(names):
    for name in names:
        if name not in CHECKS:
            sys.exit(f"No check called {name!r}; choose from {', '.join(CHECKS)}")
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")
    with ThrowawayPostgres(POSTGRES_PORT) as postgres:
        database_url = postgres.createdb("newsroom_faults")
        env = site_env(database_url)
        generate(env, articles=500, people=100, places=100)
        newsroom = Newsroom(
            database_url=database_url,
            token=shell(CREATE_DESK_USER, env=env).strip(),
            targets=targets(env),
            postgres=postgres,
        )
        for name in names or CHECKS:
            try:
                CHECKS[name](newsroom)
            except Exception as error:  # noqa: BLE001 - a check that crashes has failed
                report(name, False, f"the check itself failed: {error!r}")
            if not postgres.is_running():
                postgres.start()
    failed = [name for name, passed in OUTCOMES if not passed]
    sys.stdout.write(
        f"\n{len(OUTCOMES) - len(failed)} of {len(OUTCOMES)} checks passed"
        + (f"; failed: {', '.join(failed)}\n" if failed else "\n")
    )
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main(sys.argv[1:])
