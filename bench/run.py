"""Newsroom benchmarks: `python bench/run.py [NAME ...]` (all when no name is given)."""

import json
import os
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

from measure import timings
from services import POSTGRES, PRODUCTION, PYTHON, ROOT, manage, scratch_database, site_env

sys.path.insert(0, str(ROOT))
RESULTS = ROOT / "bench" / "results"


def timed(function):
    """Median seconds of five calls, after one warm-up call."""
    return timings(function, 5)[0]


def bench_linking():
    """Articles per second, 600-word articles, gazetteers of 10 and 100,000 entities."""
    from articles import synthetic
    from articles.matching import Entity, Gazetteer

    rng = synthetic.generator(1)
    seed_entities = [Entity("place", n, synthetic.name(rng, words=1), ()) for n in range(1, 6)] + [
        Entity("person", n, synthetic.name(rng), ()) for n in range(6, 11)
    ]
    names = [entity.name for entity in seed_entities]
    articles = [
        "\n\n".join(synthetic.paragraphs(rng, word_count=600, names=rng.sample(names, 4)))
        for _ in range(200)
    ]
    small = Gazetteer(seed_entities)
    start = time.perf_counter()
    large = Gazetteer(
        seed_entities
        + [
            Entity(("person", "place", "source")[n % 3], 100 + n, synthetic.name(rng), ())
            for n in range(100_000 - len(seed_entities))
        ]
    )
    build = time.perf_counter() - start

    def link_all(gazetteer):
        for text in articles:
            gazetteer.entities_in(text)

    small_time = timed(lambda: link_all(small))
    large_time = timed(lambda: link_all(large))
    seed_refs = {(entity.kind, entity.id) for entity in seed_entities}
    for text in articles:
        assert large.entities_in(text) & seed_refs == small.entities_in(text), (
            "the large gazetteer must find what the small one does"
        )
    return {
        "articles": len(articles),
        "gazetteer 10: articles/s": round(len(articles) / small_time),
        "gazetteer 100,000: articles/s": round(len(articles) / large_time),
        "ratio (100,000 / 10 time)": round(large_time / small_time, 2),
        "100,000-entity build: s": round(build, 2),
    }


def write_wire_files(folder, count):
    from articles import synthetic

    rng = synthetic.generator(2)
    places = ["Ganja", "Mingachevir", "Khizi", "Absheron", "Baku", "Armenia", "Azerbaijan"]
    for n in range(count):
        text = synthetic.wire_story(
            rng, agency="Trend", word_count=300, names=rng.sample(places, 3) + ["Zakir Hasanov"]
        )
        (folder / f"{n:05d}.txt").write_text(text, encoding="utf-8")


@contextmanager
def scratch_databases(folder, name):
    """{label: DATABASE_URL}: an SQLite file in ``folder`` and, when the server is up,
    a fresh PostgreSQL database dropped afterwards."""
    databases = {"SQLite": f"sqlite:///{folder}/{name}.sqlite3"}
    postgres_name = f"newsroom_bench_{name}_{os.getpid()}"
    if subprocess.run(["createdb", "-h", "127.0.0.1", postgres_name]).returncode == 0:
        databases["PostgreSQL"] = f"{POSTGRES}/{postgres_name}"
    try:
        yield databases
    finally:
        subprocess.run(["dropdb", "-h", "127.0.0.1", "--if-exists", postgres_name])


def worker(name, env):
    """Run bench/<name>.py in its own process and return the figures it writes."""
    with tempfile.NamedTemporaryFile(suffix=".json") as out:
        subprocess.run(
            [PYTHON, f"bench/{name}.py", out.name],
            cwd=ROOT,
            env=env,
            check=True,
            stdout=subprocess.DEVNULL,
        )
        return json.loads(Path(out.name).read_text())


def bench_wire_import():
    """Files per second through `import_wire`, linking included, into each database."""
    count = int(os.environ.get("BENCH_WIRE_FILES", "10000"))
    results = {"files": count}
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "wire"
        folder.mkdir()
        write_wire_files(folder, count)
        with scratch_databases(tmp, "wire") as databases:
            for label, url in databases.items():
                env = site_env(url)
                manage("migrate", "--noinput", env=env)
                manage("loaddata", "fixtures/newsroom.json", env=env)
                start = time.perf_counter()
                manage("import_wire", str(folder), "--no-progress", env=env)
                elapsed = time.perf_counter() - start
                results[f"{label}: files/s"] = round(count / elapsed)
    return results


def bench_api_list():
    """The API's article list (100 items) beside .values() and a plain DRF viewset."""
    results = {}
    with tempfile.TemporaryDirectory() as tmp, scratch_databases(tmp, "api") as databases:
        for label, url in databases.items():
            figures = worker("api_list", site_env(url, PAGE_CACHE_SECONDS="0"))
            newsroom, floor, plain = (
                figures["newsroom"],
                figures["values_floor"],
                figures["plain_drf"],
            )
            results[f"{label}: Newsroom list, median / p95 ms"] = (
                f"{newsroom['median_ms']} / {newsroom['p95_ms']}"
            )
            results[f"{label}: .values() + orjson floor, median ms"] = floor["median_ms"]
            results[f"{label}: plain DRF ModelSerializer, median ms"] = plain["median_ms"]
            results[f"{label}: Newsroom / floor"] = round(
                newsroom["median_ms"] / floor["median_ms"], 1
            )
            results[f"{label}: plain DRF / Newsroom"] = round(
                plain["median_ms"] / newsroom["median_ms"], 1
            )
    return results


def bench_pages():
    """Pages, feeds, API and admin at two archive sizes on PostgreSQL, each beside its floor."""
    sizes = [10_000, int(os.environ.get("BENCH_LARGE", "1000000"))]
    figures, results = {}, {}
    for size in sizes:
        name = f"newsroom_bench_pages_{size}_{os.getpid()}"
        with scratch_database(POSTGRES, name) as url:
            env = site_env(url, os.environ.get("BENCH_REDIS", "redis://127.0.0.1:6379/14"))
            manage("migrate", "--noinput", env=env)
            entities = str(max(2_000, size // 50))
            start = time.perf_counter()
            manage(
                "generate_newsroom",
                *("--articles", str(size), "--people", entities, "--places", entities),
                "--no-progress",
                env=env,
            )
            results[f"generate {size:,} articles: s"] = round(time.perf_counter() - start)
            figures[size] = worker("pages", env)
    small, large = (figures[size] for size in sizes)
    for page, large_page in large.items():
        if not isinstance(large_page, dict) or "queries" not in large_page:
            continue
        small_page = small[page]
        growth = large_page["median_ms"] / small_page["median_ms"]
        results[page] = (
            f"{small_page['median_ms']} / {small_page['p95_ms']} ms ({small_page['queries']} q)"
            f" → {large_page['median_ms']} / {large_page['p95_ms']} ms"
            f" ({large_page['queries']} q); ×{growth:.2f} with size;"
            f" ×{large_page['ratio_to_floor']} its floor"
        )
    newsroom, plain = large["api list (100)"], large["plain drf list (100)"]
    results["plain DRF / Newsroom API list (large)"] = round(
        plain["median_ms"] / newsroom["median_ms"], 1
    )
    cached = large["cached home"]
    results["cached home / bare view (large)"] = (
        f"{cached['median_ms']} / {cached['bare_view_ms']} ms = ×{cached['ratio_to_bare_view']}"
        f" ({cached['cache']})"
    )
    return results


def bench_renditions():
    """The full rendition set of a 24-megapixel JPEG, beside Wagtail's of the same file."""
    figures = worker("renditions", dict(os.environ))
    results = {
        "source": figures["source"],
        "renditions (specs × formats)": figures["renditions"],
        "Newsroom: median s (runs)": f"{figures['newsroom_median_s']} ({figures['newsroom_s']})",
        "Newsroom: CPU s (every thread)": figures["newsroom_cpu_s"],
        "one rendition at a time (first version): median s (runs)": (
            f"{figures['one_at_a_time_median_s']} ({figures['one_at_a_time_s']})"
        ),
        "one at a time: CPU s": figures["one_at_a_time_cpu_s"],
        "one at a time / Newsroom time": round(
            figures["one_at_a_time_median_s"] / figures["newsroom_median_s"], 1
        ),
        "Newsroom: bytes of the set": f"{figures['newsroom_bytes']:,}",
    }
    if "wagtail_median_s" not in figures:
        results["Wagtail"] = figures["wagtail"]
        return results
    results[f"{figures['wagtail_version']}: median s (runs)"] = (
        f"{figures['wagtail_median_s']} ({figures['wagtail_s']})"
    )
    results["Wagtail: CPU s"] = figures["wagtail_cpu_s"]
    results["Wagtail: bytes of the set"] = f"{figures['wagtail_bytes']:,}"
    results["Wagtail / Newsroom time"] = round(
        figures["wagtail_median_s"] / figures["newsroom_median_s"], 1
    )
    return results


def bench_desk_copy():
    """Links, datelines and bylines on the labelled desk copy set (tests/desk_copy/)."""
    import desk_copy

    return desk_copy.figures()


BENCHMARKS = {
    "linking": bench_linking,
    "desk_copy": bench_desk_copy,
    "wire_import": bench_wire_import,
    "api_list": bench_api_list,
    "pages": bench_pages,
    "renditions": bench_renditions,
}


def main(names):
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")
    for name, value in PRODUCTION.items():
        os.environ.setdefault(name, value)
    import django

    django.setup()
    RESULTS.mkdir(exist_ok=True)
    for name in names or BENCHMARKS:
        if name not in BENCHMARKS:
            sys.exit(f"No benchmark called {name!r}; choose from {', '.join(BENCHMARKS)}")
        result = BENCHMARKS[name]()
        (RESULTS / f"{name}.json").write_text(json.dumps(result, indent=2))
        sys.stdout.write(f"\n## {name}\n\n| measure | value |\n|---|---|\n")
        for key, value in result.items():
            sys.stdout.write(f"| {key} | {value} |\n")


if __name__ == "__main__":
    main(sys.argv[1:])
