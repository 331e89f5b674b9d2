import sys
import time

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from articles.generate import Counts, generate_newsroom


class Command(BaseCommand):
    help = (
        "Generate a deterministic synthetic newsroom (sources, places, people, articles over "
        "twenty years, a few per cent drafts, scheduled and archived) for benchmarks and load "
        "tests. Fast: PostgreSQL COPY, ids assigned up front."
    )

    def add_arguments(self, parser):
        parser.add_argument("--articles", type=int, default=10_000, help="default 10,000")
        parser.add_argument("--people", type=int, default=2_000, help="default 2,000")
        parser.add_argument("--places", type=int, default=2_000, help="default 2,000")
        parser.add_argument("--sources", type=int, default=40, help="default 40")
        parser.add_argument("--seed", type=int, default=1, help="the same seed, the same newsroom")
        parser.add_argument("--no-progress", action="store_true", help="hide the progress bar")

    def handle(self, *args, articles, people, places, sources, seed, no_progress, **options):
        for label, value in [("articles", articles), ("people", people), ("places", places)]:
            if value < (0 if label == "articles" else 1):
                raise CommandError(f"--{label} must be at least {0 if label == 'articles' else 1}")
        if sources < 1:
            raise CommandError("--sources must be at least 1")
        counts = Counts(articles=articles, people=people, places=places, sources=sources)
        bar = tqdm(
            total=articles,
            desc="Generating",
            unit="article",
            file=sys.stderr,
            disable=True if no_progress else None,
        )
        start = time.perf_counter()
        try:
            generate_newsroom(counts, seed=seed, progress=bar.update)
        except ValueError as error:
            raise CommandError(str(error)) from None
        finally:
            bar.close()
        elapsed = time.perf_counter() - start
        self.stdout.write(
            self.style.SUCCESS(
                f"Generated {articles:,} articles, {people:,} people, {places:,} places and "
                f"{sources:,} sources in {elapsed:.1f} s (seed {seed})."
            )
        )
