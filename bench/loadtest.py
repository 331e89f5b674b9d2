"""Load test: `make loadtest`, or `bench/loadtest.py [--seconds S] [--users N] [--articles N]`.

Gunicorn (newsroom/gunicorn.py, default workers) serves a generated newsroom
in a scratch PostgreSQL database (dropped afterwards), twice: with Redis as
the cache (a throwaway redis-server, not the shared one) and with the
database's cache table (what a site without Redis shares). Locust, headless
on the same machine, keeps a fixed number of clients asking from 127.0.0.1
for a fixed time, mixing reader pages, searches and API lists. Prints
requests/s and p50/p95 latency per kind of request, writes
bench/results/loadtest.json, and exits 1 if any request got an error status
(400 or more) or no answer, or the server logged an error.
"""

import argparse
import csv
import json
import os
import resource
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from services import (  # noqa: E402 - bench/ is not a package
    POSTGRES,
    PYTHON,
    ROOT,
    Site,
    ThrowawayRedis,
    generate,
    scratch_database,
    site_env,
    targets,
)

REDIS_PORT = 6391
RESULTS = ROOT / "bench" / "results"


def run_locust(site, *, seconds, users, targets_path, folder):
    prefix = folder / "locust"
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    output = subprocess.run(
        [PYTHON, "-m", "locust", "-f", "bench/locustfile.py", "--headless"]
        + ["--users", str(users), "--spawn-rate", str(users), "--run-time", f"{seconds}s"]
        + ["--host", site.address, "--csv", str(prefix), "--only-summary"]
        + ["--loglevel", "WARNING", "--stop-timeout", "5"],
        cwd=ROOT,
        env={**os.environ, "LOADTEST_TARGETS": str(targets_path)},
        check=False,  # locust exits 1 on failed requests; the figures say which
        capture_output=True,
        text=True,
    )
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    with open(f"{prefix}_stats.csv", newline="") as stats:
        rows = list(csv.DictReader(stats))
    failures = Path(f"{prefix}_failures.csv").read_text().splitlines()[1:]
    if failures:
        failures.append(output.stderr[-3000:])
    figures = {
        ("all" if row["Name"] == "Aggregated" else row["Name"]): {
            "requests": int(row["Request Count"]),
            "errors": int(row["Failure Count"]),
            "requests/s": round(float(row["Requests/s"]), 1),
            "p50 ms": int(float(row["50%"])),
            "p95 ms": int(float(row["95%"])),
        }
        for row in rows
    }
    figures["all"]["load generator, cores"] = round(cpu / seconds, 2)
    return figures, failures


def server_errors(site):
    log = site.log_path.read_text()
    return [line for line in log.splitlines() if " ERROR " in line or "Traceback" in line]


def table(results):
    labels = list(results)
    lines = [
        "| request | " + " | ".join(f"{label}: req/s, p50 / p95 ms" for label in labels) + " |",
        "|---|" + "---|" * len(labels),
    ]
    kinds = [kind for kind in results[labels[0]]["figures"] if kind != "all"] + ["all"]
    for kind in kinds:
        cells = []
        for label in labels:
            figures = results[label]["figures"].get(kind)
            cells.append(
                f"{figures['requests/s']:,} req/s, {figures['p50 ms']} / {figures['p95 ms']} ms"
                if figures
                else "–"
            )
        lines.append(f"| {kind} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=int, default=40, help="per run (default 40)")
    parser.add_argument("--users", type=int, default=16, help="concurrent clients (default 16)")
    parser.add_argument("--articles", type=int, default=5000, help="generated (default 5,000)")
    options = parser.parse_args()

    results, failed = {}, False
    RESULTS.mkdir(exist_ok=True)
    with (
        tempfile.TemporaryDirectory() as tmp,
        scratch_database(POSTGRES, f"newsroom_loadtest_{os.getpid()}") as database_url,
        ThrowawayRedis(REDIS_PORT) as redis,
    ):
        folder = Path(tmp)
        env = site_env(database_url)
        generate(env, articles=options.articles, people=500, places=500)
        targets_path = folder / "targets.json"
        targets_path.write_text(json.dumps(targets(env)))
        for label, redis_url in [("Redis", redis.url), ("database cache", None)]:
            log_path = RESULTS / f"loadtest-{label.replace(' ', '-')}.log"
            with Site(site_env(database_url, redis_url), log_path=log_path) as site:
                figures, failures = run_locust(
                    site,
                    seconds=options.seconds,
                    users=options.users,
                    targets_path=targets_path,
                    folder=folder,
                )
            log = site.log_path.read_text()
            # Workers recycled after GUNICORN_MAX_REQUESTS boot again: not more workers.
            workers = log.count("Booting worker") - log.count("Autorestarting worker")
            errors = server_errors(site)
            results[label] = {"workers": workers, "figures": figures, "server errors": errors}
            if figures["all"]["errors"] or errors:
                failed = True
                sys.stderr.write(f"{label}: {len(failures)} kinds of failure; see {log_path}\n")
                sys.stderr.write("\n".join(failures + errors[:20]) + "\n")

    (RESULTS / "loadtest.json").write_text(json.dumps(results, indent=2))
    workers = results["Redis"]["workers"]
    sys.stdout.write(
        f"\n## Load test: {options.articles:,} articles in PostgreSQL, gunicorn with "
        f"{workers} workers, {options.users} clients for {options.seconds} s each, "
        f"{os.cpu_count()} cores shared with the load generator\n\n{table(results)}\n\n"
    )
    for label, result in results.items():
        total = result["figures"]["all"]
        sys.stdout.write(
            f"{label}: {total['requests']:,} requests, {total['errors']} errors, "
            f"{len(result['server errors'])} server error lines logged; locust used "
            f"{total['load generator, cores']} of the {os.cpu_count()} cores\n"
        )
    sys.stdout.write("FAIL\n" if failed else "PASS: no error responses\n")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
