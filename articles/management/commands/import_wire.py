import sys
from collections import Counter
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from articles import intake, wire

OUTCOME_LABELS = {
    "created": "created as drafts",
    "revised": "revised drafts in place",
    "pending": "updates waiting for an editor",
    "duplicate": "skipped as duplicates",
}


def read_stdin():
    stdin = getattr(sys.stdin, "buffer", sys.stdin)
    # One byte past the limit is enough to refuse an oversized stream.
    return stdin.read(wire.MAX_WIRE_BYTES + 1)


class Command(BaseCommand):
    help = (
        "Import agency copy (plain text, ninjs JSON or NITF XML) as linked draft articles. "
        "Takes files, folders (read recursively) or - for standard input. Each file is "
        "imported in its own transaction; bad files are reported and skipped."
    )

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", metavar="PATH", help="file, folder or -")
        parser.add_argument(
            "--strict",
            action="store_true",
            help="fail a file whose byline names no known source, instead of creating one",
        )
        parser.add_argument(
            "--user", help="username recorded as the importer (default: nobody in particular)"
        )
        parser.add_argument("--no-progress", action="store_true", help="hide the progress bar")

    def handle(self, *args, paths, strict, user, no_progress, verbosity, **options):
        importer = self.importer(user)
        files = self.collect(paths)
        counts, failures = Counter(), []
        progress = tqdm(
            files,
            desc="Importing",
            unit="file",
            file=sys.stderr,
            disable=True if no_progress else None,  # None: only on a terminal
        )
        for name, read in progress:
            try:
                result = intake.take_in(read(), origin=name, by=importer, strict=strict)
            except wire.WireError as error:
                failures.append((name, str(error)))
                with tqdm.external_write_mode():
                    self.stderr.write(f"{name}: {error}")
                continue
            counts[result.outcome] += 1
            if result.outcome != "created" or verbosity > 1:
                with tqdm.external_write_mode():
                    self.stdout.write(f"{name}: {result.message}")
        self.report(counts, failures)
        if failures:
            raise CommandError(f"{len(failures)} of {len(files)} files failed")

    def importer(self, username):
        if username is None:
            return None
        try:
            return get_user_model().objects.get_by_natural_key(username)
        except get_user_model().DoesNotExist:
            raise CommandError(f"No user called {username!r}") from None

    def collect(self, paths):
        """(name, reader) pairs; a reader returns the bytes or raises WireError."""
        files = []
        for path in paths:
            if path == "-":
                files.append(("<stdin>", read_stdin))
            elif not Path(path).exists():
                raise CommandError(f"No file or folder at {path}")
            else:
                files += [
                    (str(file), lambda file=file: intake.read_wire_file(file))
                    for file in intake.wire_files([path])
                ]
        return files

    def report(self, counts, failures):
        parts = [f"{counts[key]} {label}" for key, label in OUTCOME_LABELS.items() if counts[key]]
        if failures:
            parts.append(f"{len(failures)} failed")
        self.stdout.write(("Done: " + ", ".join(parts) + ".") if parts else "Nothing to import.")
        for name, reason in failures:
            self.stdout.write(self.style.ERROR(f"  failed: {name}: {reason}"))
