"""The wire desk's management commands, run as an operator runs them."""

import io
import shutil
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from articles import wire
from articles.models import Article, Place, Source, WireItem, WireOutcome
from tests.seed import SEED_FILE as SEED

SAMPLES = Path(__file__).resolve().parent / "wire"

pytestmark = pytest.mark.django_db


def run(*args, stdin=None, monkeypatch=None):
    out, err = io.StringIO(), io.StringIO()
    if stdin is not None:
        monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(stdin), encoding="utf-8"))
    call_command(*args, "--no-progress", stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


@pytest.fixture
def wire_folder(tmp_path):
    """A folder as an agency feed leaves it: good copy, bad copy, nested folders."""
    (tmp_path / "nested" / "deeper").mkdir(parents=True)
    shutil.copy(SEED, tmp_path / "seed.txt")
    shutil.copy(SAMPLES / "nitf_trend.xml", tmp_path / "nested" / "story.xml")
    shutil.copy(SAMPLES / "ninjs1_trend.json", tmp_path / "nested" / "deeper" / "story.json")
    (tmp_path / "empty.txt").write_bytes(b"")
    # Binary, but no picture: a picture file beside copy is read with the copy naming it.
    (tmp_path / "binary.bin").write_bytes(b"\x00\x01\x02\x03 not text\x00\x00")
    (tmp_path / "latin1.txt").write_bytes("By Trend\n\nGäncä".encode("latin-1"))
    (tmp_path / "no-body.txt").write_text("By Trend\n\n")
    (tmp_path / "huge.txt").write_bytes(b"By Trend\n\n" + b"word " * (wire.MAX_WIRE_BYTES // 5))
    (tmp_path / ".hidden.txt").write_text("By Trend\n\nA file an editor's tool left behind.")
    return tmp_path


def test_a_folder_imports_good_copy_and_reports_bad(seed, wire_folder):
    with pytest.raises(CommandError, match="5 of 8 files failed"):
        run("import_wire", str(wire_folder))
    # The NITF file is a first take of the seed story, so the seed's full text,
    # read after it, revises that draft rather than making a second one.
    assert WireItem.objects.filter(outcome=WireOutcome.CREATED).count() == 2
    assert WireItem.objects.filter(outcome=WireOutcome.REVISED).count() == 1
    assert Article.objects.count() == 3


def test_the_report_names_each_bad_file_and_its_reason(seed, wire_folder, capsys):
    out, err = io.StringIO(), io.StringIO()
    with pytest.raises(CommandError):
        call_command("import_wire", str(wire_folder), "--no-progress", stdout=out, stderr=err)
    report = out.getvalue()
    assert "Done: 2 created as drafts, 1 revised drafts in place, 5 failed." in report
    for name, reason in [
        ("empty.txt", "empty"),
        ("binary.bin", "binary"),
        ("latin1.txt", "not UTF-8"),
        ("no-body.txt", "no body"),
        ("huge.txt", "larger than"),
    ]:
        assert f"{wire_folder / name}: {reason}" in report
    assert ".hidden" not in report + err.getvalue()


def test_rerunning_skips_what_was_imported(seed, wire_folder):
    for bad in ["empty.txt", "binary.bin", "latin1.txt", "no-body.txt", "huge.txt"]:
        (wire_folder / bad).unlink()
    run("import_wire", str(wire_folder))
    out, _ = run("import_wire", str(wire_folder))
    assert "Done: 3 skipped as duplicates." in out
    assert "already received" in out
    assert WireItem.objects.count() == 3


def test_standard_input(seed, monkeypatch):
    out, _ = run("import_wire", "-", "-v", "2", stdin=SEED.read_bytes(), monkeypatch=monkeypatch)
    assert "<stdin>: new draft" in out
    assert Article.objects.filter(original_text=SEED.read_text()).count() == 2


def test_standard_input_over_the_limit_is_refused(seed, monkeypatch):
    with pytest.raises(CommandError, match="1 of 1 files failed"):
        run("import_wire", "-", stdin=b"x" * (wire.MAX_WIRE_BYTES + 10), monkeypatch=monkeypatch)


def test_a_missing_path_is_a_usage_error(seed):
    with pytest.raises(CommandError, match="No file or folder at /no/such/place"):
        run("import_wire", "/no/such/place")


def test_strict_fails_files_with_unknown_bylines(seed, tmp_path):
    (tmp_path / "unknown.txt").write_text("By Caspian Wire\n\nGanja was calm on Tuesday.")
    with pytest.raises(CommandError, match="1 of 1 files failed"):
        run("import_wire", "--strict", str(tmp_path))
    assert not WireItem.objects.exists()


def test_strict_takes_copy_whose_dateline_names_a_known_agency(seed, tmp_path):
    (tmp_path / "known.txt").write_text(
        "Ganja calm after shelling\n\nGANJA, Dec. 1 (TREND) - Ganja was calm on Tuesday.\n\n"
        "(Reporting by John Roe; Editing by Jane Doe)"
    )
    (tmp_path / "unknown.txt").write_text("GANJA (Caspian Wire) - Ganja was calm on Tuesday.")
    with pytest.raises(CommandError, match="1 of 2 files failed"):
        run("import_wire", "--strict", str(tmp_path))
    article = WireItem.objects.get().article
    assert (article.headline, article.source.slug) == ("Ganja calm after shelling", "trend")
    assert article.byline == "Reporting by John Roe; Editing by Jane Doe"
    assert not Source.objects.filter(name__in=["John Roe", "Caspian Wire"]).exists()


def test_an_unknown_user_is_refused(seed):
    with pytest.raises(CommandError, match="No user called 'nobody'"):
        run("import_wire", "--user", "nobody", str(SEED))


def test_relink_dry_run_then_relink(seed, tmp_path):
    (tmp_path / "story.txt").write_text(
        "By Trend\n\nShelling hit Tartar overnight, the ministry said.\n\n"
        "Residents of Tartar spent the night in shelters."
    )
    run("import_wire", str(tmp_path))
    article = Article.objects.get(headline__startswith="Shelling hit Tartar")
    assert not article.places.exists()
    version = article.version
    Place.objects.create(name="Terter", aliases=["Tartar"], kind="district")

    out, _ = run("relink", "--dry-run")
    assert "Shelling hit Tartar overnight, the ministry said: +place Terter" in out
    assert "Done: 1 articles would change, 0 bodies rendered." in out
    assert not article.places.exists()

    out, _ = run("relink")
    assert "Done: 1 articles changed, 0 bodies rendered." in out
    article.refresh_from_db()
    assert [place.name for place in article.places.all()] == ["Terter"]
    assert article.version == version + 1

    assert 'href="/places/terter/"' in article.body_html
    out, _ = run("relink")
    assert "Done: 0 articles changed, 0 bodies rendered." in out


def test_relink_never_restores_a_link_an_editor_removed(seed, tmp_path):
    (tmp_path / "story.txt").write_text("By Trend\n\nGanja was shelled overnight.")
    run("import_wire", str(tmp_path))
    article = Article.objects.get(headline__startswith="Ganja was shelled")
    ganja = article.places.get()
    article.places.remove(ganja)
    article.rejected_places.add(ganja)
    out, _ = run("relink")
    assert "Done: 0 articles changed, 0 bodies rendered." in out
    assert not article.places.exists()


def test_relink_renders_bodies_that_were_never_rendered(seed):
    # As after loading fixtures, which save past Article.save.
    Article.objects.update(body_html="")
    out, _ = run("relink")
    assert "Done: 0 articles changed, 1 bodies rendered." in out
    assert 'href="/places/ganja/"' in Article.objects.get().body_html
    out, _ = run("relink", "--render")
    assert "1 bodies rendered." in out
