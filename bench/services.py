"""Servers for the load test and the fault checks: the site under gunicorn, and
throwaway Redis and PostgreSQL instances that can be stopped without touching
the shared ones on 6379 and 5432.

Every process started here is started by its own object and stopped by its own
pid, so nothing else on the machine is ever signalled.
"""

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
PG_BIN = Path("/usr/lib/postgresql/15/bin")
# The shared PostgreSQL server that scratch databases are made on.
POSTGRES = os.environ.get("BENCH_POSTGRES", "postgres://root@127.0.0.1:5432")
# Production settings, plain HTTP on loopback (and Django's test client), and no
# throttling of the load.
PRODUCTION = {
    "DEBUG": "0",
    "SECRET_KEY": "bench-only-secret-key-never-use-in-production-0123456789",
    "SECURE_SSL_REDIRECT": "0",
    "ALLOWED_HOSTS": "localhost,127.0.0.1,testserver",
    "API_THROTTLE_ANON": "1000000/minute",
    "API_THROTTLE_USER": "1000000/minute",
}


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def site_env(database_url, redis_url=None, **extra):
    # Only what is set here: nothing from the caller's shell leaks in.
    env = {k: v for k, v in os.environ.items() if k not in {"REDIS_URL", "BIND", "DEBUG"}}
    env.update(PRODUCTION, DATABASE_URL=database_url, **extra)
    if redis_url:
        env["REDIS_URL"] = redis_url
    return env


def manage(*args, env, capture=False):
    result = subprocess.run(
        [PYTHON, "manage.py", *args],
        cwd=ROOT,
        env={**env, "LOG_LEVEL": "WARNING"},
        check=True,
        stdout=subprocess.PIPE if capture else subprocess.DEVNULL,
        text=True,
    )
    return result.stdout


def shell(code, *, env):
    """What ``code`` prints, run by `manage.py shell` on the given database."""
    return manage("shell", "--no-imports", "-c", code, env=env, capture=True)


def fetch(url, *, data=None, headers=None, timeout=10):
    """(status, body, seconds); connection failures are status 0."""
    request = urllib.request.Request(url, data=data, headers=headers or {})
    start = time.perf_counter()
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            status, body = response.status, response.read()
    except urllib.error.HTTPError as error:
        status, body = error.code, error.read()
    except OSError as error:
        status, body = 0, str(error).encode()
    return status, body.decode("utf-8", "replace"), time.perf_counter() - start


def wait_until(condition, *, seconds, step=0.1):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(step)
    return False


class Site:
    """The site under gunicorn (newsroom/gunicorn.py) on a free loopback port."""

    def __init__(self, env, *, workers=None, log_path=None):
        self.port = free_port()
        self.address = f"http://127.0.0.1:{self.port}"
        self.env = {**env, "HOST": "127.0.0.1", "PORT": str(self.port)}
        if workers:
            self.env["WEB_CONCURRENCY"] = str(workers)
        self.log_path = log_path or Path(tempfile.mkstemp(prefix="gunicorn-", suffix=".log")[1])
        self.process = None

    def start(self):
        with self.log_path.open("w") as log:
            self.process = subprocess.Popen(
                [PYTHON, "-m", "gunicorn", "-c", "newsroom/gunicorn.py", "newsroom.wsgi"],
                cwd=ROOT,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        if not wait_until(lambda: self.get("/healthz")[0] == 200, seconds=30):
            self.stop()
            raise RuntimeError(f"gunicorn did not come up; see {self.log_path}")
        return self

    def get(self, path, **kwargs):
        return fetch(f"{self.address}{path}", **kwargs)

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=40)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()


class ThrowawayRedis:
    """A redis-server of our own, in the foreground so we hold its pid."""

    def __init__(self, port):
        self.port = port
        self.url = f"redis://127.0.0.1:{port}/0"
        self.process = None

    def start(self):
        self.process = subprocess.Popen(
            ["redis-server", "--bind", "127.0.0.1", "--port", str(self.port)]
            + ["--save", "", "--appendonly", "no"],
            stdout=subprocess.DEVNULL,
        )
        if not wait_until(lambda: self.cli("ping") == "PONG", seconds=10):
            raise RuntimeError(f"redis-server did not start on port {self.port}")
        return self

    def cli(self, *args):
        result = subprocess.run(
            ["redis-cli", "-p", str(self.port), *args], capture_output=True, text=True
        )
        return result.stdout.strip()

    def info(self, name):
        for line in self.cli("info", "stats").splitlines():
            if line.startswith(f"{name}:"):
                return int(line.split(":")[1])
        return 0

    def keys(self, pattern):
        return [key for key in self.cli("--scan", "--pattern", pattern).splitlines() if key]

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)

    def pause(self):
        self.process.send_signal(signal.SIGSTOP)

    def resume(self):
        self.process.send_signal(signal.SIGCONT)

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        if self.process and self.process.poll() is None:
            self.resume()
        self.stop()


class ThrowawayPostgres:
    """A PostgreSQL 15 cluster in a temporary folder, trust auth for ``root``.

    initdb refuses to run as root, so as root the cluster belongs to the
    postgres system user; the shared cluster on 5432 is never touched.
    """

    def __init__(self, port):
        self.port = port
        self.folder = Path(tempfile.mkdtemp(prefix="newsroom-pg-"))
        self.data = self.folder / "data"
        self.server = f"postgres://root@127.0.0.1:{port}"

    def run(self, *command):
        command = [str(part) for part in command]
        if os.geteuid() == 0:
            shutil.chown(self.folder, "postgres")
            command = ["su", "postgres", "-c", " ".join(command)]
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL)

    def create(self):
        self.run(PG_BIN / "initdb", "-D", self.data, "-U", "root", "-A", "trust", "--no-sync")
        return self

    def start(self):
        options = f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1"
        self.run(
            PG_BIN / "pg_ctl", "-D", self.data, "-l", self.folder / "log", "-w",
            "-o", f"'{options}'", "start",
        )  # fmt: skip

    def stop(self, mode="fast"):
        self.run(PG_BIN / "pg_ctl", "-D", self.data, "-m", mode, "-w", "stop")

    def is_running(self):
        return (self.data / "postmaster.pid").exists()

    def createdb(self, name):
        subprocess.run(
            ["createdb", "-h", "127.0.0.1", "-p", str(self.port), "-U", "root", name], check=True
        )
        return f"{self.server}/{name}"

    def __enter__(self):
        self.create().start()
        return self

    def __exit__(self, *exc):
        try:
            if self.is_running():
                self.stop("immediate")
        finally:
            shutil.rmtree(self.folder, ignore_errors=True)


@contextmanager
def scratch_database(server, name):
    """A fresh database on ``server`` (a postgres:// URL without a name), dropped afterwards."""
    host_options = ["-h", "127.0.0.1", "-p", server.rsplit(":", 1)[1], "-U", "root"]
    subprocess.run(["dropdb", *host_options, "--if-exists", name], check=True)
    subprocess.run(["createdb", *host_options, name], check=True)
    try:
        yield f"{server}/{name}"
    finally:
        subprocess.run(["dropdb", *host_options, "--if-exists", "--force", name], check=False)


def generate(env, *, articles, people, places, seed=1):
    manage("migrate", "--noinput", env=env)
    manage("createcachetable", env=env)  # the cache of a site served without Redis
    manage(
        "generate_newsroom",
        f"--articles={articles}",
        f"--people={people}",
        f"--places={places}",
        f"--seed={seed}",
        "--no-progress",
        env=env,
    )


TARGETS = """
import json, random
from articles.models import Article, Place
from articles.synthetic import VOCABULARY
rng = random.Random(1)
public = Article.objects.public()
articles = list(public.order_by("pk").values_list("slug", flat=True))
places = Place.objects.filter(articles__in=public).order_by().distinct()
places = list(places.values_list("slug", flat=True))
words = [w for w in VOCABULARY if len(w) > 3]
print(json.dumps({
    "articles": rng.sample(articles, min(300, len(articles))),
    "places": rng.sample(places, min(60, len(places))),
    "searches": [" ".join(rng.sample(words, rng.choice([1, 2]))) for _ in range(40)],
}))
"""


def targets(env):
    """Addresses worth asking for: public articles, places with stories, search words."""
    return json.loads(shell(TARGETS, env=env))
