"""The desk copy set (tests/desk_copy/) measured: `python bench/desk_copy.py` prints the table.

Precision, recall and F1 of links overall and per error class, dateline, byline and
headline accuracy, then every error. Pure: no database, no server.
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.desk_copy import measure  # noqa: E402


def figures():
    """The measure as `bench/run.py` prints it: one row per figure."""
    report = measure.measure()
    rows = {"texts": report.texts}
    for name, score in [("overall", report.links), *sorted(report.per_class.items())]:
        rows[f"links {name}: P / R / F1"] = (
            f"{score.precision:.3f} / {score.recall:.3f} / {score.f1:.3f}"
        )
    for name, count in [
        ("dateline", report.datelines),
        ("byline", report.bylines),
        ("headline", report.headlines),
    ]:
        rows[f"{name} accuracy"] = f"{report.share(count):.3f} ({count}/{report.texts})"
    rows["errors"] = len(report.errors)
    return rows


def main():
    report = measure.measure()
    sys.stdout.write(measure.table(report) + "\n\nErrors:\n\n" + measure.error_list(report) + "\n")


if __name__ == "__main__":
    main()
