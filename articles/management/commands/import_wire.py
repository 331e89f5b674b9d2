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
PICTURE_LABELS = {
    intake.STORED: "pictures stored",
    intake.HELD: "pictures already in the library",
    intake.REFUSED: "pictures refused",
    intake.MISSING: "pictures missing",
}


def read_stdin():
    stdin = getattr(sys.stdin, "buffer", sys.stdin)
    # One byte past the limit is enough to refuse an oversized stream.
    return stdin.read(wire.MAX_WIRE_BYTES + 1)


class Command(BaseCommand):
    help = (
        "Import agency copy (plain text, ninjs JSON or NITF XML) as linked draft articles. "
        "Takes files, folders (read recursively) or - for standard input. Each file is "
        "imported in its own transaction; bad files are reported and skipped. Pictures "
        "the copy names (ninjs associations, NITF media) are read from files beside it, "
        "never from the network; picture files are not taken for copy."
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
        self.pictures_read, self.picture_files = set(), []
        files = self.collect(paths)
        counts, failures, kept = Counter(), [], Counter()
        progress = tqdm(
            files,
            desc="Importing",
            unit="file",
            file=sys.stderr,
            disable=True if no_progress else None,  # None: only on a terminal
        )
        for name, read, beside in progress:
            try:
                result = intake.take_in(
                    read(), origin=name, by=importer, strict=strict, files=beside
                )
            except wire.WireError as error:
                failures.append((name, str(error)))
                with tqdm.external_write_mode():
                    self.stderr.write(f"{name}: {error}")
                continue
            counts[result.outcome] += 1
            kept.update(picture.outcome for picture in result.pictures)
            if result.outcome != "created" or result.pictures or verbosity > 1:
                with tqdm.external_write_mode():
                    self.stdout.write(f"{name}: {result.message}")
        for picture in self.picture_files:
            if picture.resolve() not in self.pictures_read:
                self.stdout.write(f"{picture}: a picture no copy names; not stored")
        self.report(counts, failures, kept)
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
        """(name, reader, pictures) triples; a reader returns the bytes or raises
        WireError, and pictures finds the files the copy names beside it."""
        files = []
        for path in paths:
            if path == "-":
                files.append(("<stdin>", read_stdin, None))
            elif not Path(path).exists():
                raise CommandError(f"No file or folder at {path}")
            else:
                for file in intake.wire_files([path]):
                    if Path(path).is_dir() and intake.is_picture_file(file):
                        self.picture_files.append(file)  # read with the copy naming it
                        continue
                    beside = intake.FolderPictures(file, read=self.pictures_read)
                    files.append((str(file), lambda file=file: intake.read_wire_file(file), beside))
        return files

    def report(self, counts, failures, kept):
        parts = [f"{counts[key]} {label}" for key, label in OUTCOME_LABELS.items() if counts[key]]
        parts += [f"{kept[key]} {label}" for key, label in PICTURE_LABELS.items() if kept[key]]
        if failures:
            parts.append(f"{len(failures)} failed")
        self.stdout.write(("Done: " + ", ".join(parts) + ".") if parts else "Nothing to import.")
        for name, reason in failures:
            self.stdout.write(self.style.ERROR(f"  failed: {name}: {reason}"))
