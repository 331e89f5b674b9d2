"""The seed newsroom that `make run` loads."""

import importlib.util
import io

import pytest
from django.core.files.storage import default_storage
from django.core.management import call_command
from PIL import Image as PILImage
from PIL import ImageChops, ImageStat

from articles import editorial, imaging
from articles.models import (
    Article,
    Image,
    Person,
    Place,
    Section,
    SectionRule,
    SitePage,
    Source,
    Status,
)
from tests.factories import ImageFactory
from tests.helpers import ROOT
from tests.seed import SEED_PEOPLE, SEED_PLACES, SEED_SOURCES, SEED_TEXT

pytestmark = pytest.mark.django_db


def test_seed_article_is_the_wire_copy(seed):
    article = Article.objects.get()
    raw = SEED_TEXT
    assert article.original_text == raw
    assert article.byline == "By Trend"
    assert article.source.slug == "trend"
    assert article.status == Status.PUBLISHED
    assert article.published_at.date().isoformat() == "2020-10-06"
    assert article.paragraphs[0].startswith("Azerbaijani Defense Minister, Colonel-General")
    assert len(article.paragraphs) == 10
    # Every paragraph of the wire copy is in the body, word for word.
    assert all(paragraph in raw for paragraph in article.paragraphs)
    assert article in Article.objects.public()


def test_seed_article_links_exactly_its_entities(seed):
    article = Article.objects.get()
    assert {p.slug for p in article.people.all()} == SEED_PEOPLE
    assert {p.slug for p in article.places.all()} == SEED_PLACES
    assert {s.slug for s in article.mentioned_sources.all()} == SEED_SOURCES
    assert article.dateline.slug == "baku"
    assert article.section.slug == "politics"


def test_seed_sections_are_the_papers_in_their_order(seed):
    assert [section.name for section in Section.objects.for_navigation()] == [
        *("Politics", "Economy", "Region", "World", "Society")
    ]


def test_seed_site_pages_are_in_the_footer_in_their_order(seed, client):
    pages = [(page.slug, page.title) for page in SitePage.objects.for_footer()]
    assert pages == [
        ("about", "About the newsroom"),
        ("contact", "Contact"),
        ("corrections-policy", "Corrections policy"),
        ("terms", "Terms of use"),
    ]
    for page in SitePage.objects.all():
        page.full_clean()  # no reserved slug, no overlong title
        assert client.get(page.get_absolute_url()).status_code == 200
    assert "desk@example.org" in SitePage.objects.get(slug="contact").body
    assert 'href="/corrections/"' in SitePage.objects.get(slug="corrections-policy").body


def test_seed_files_the_ministrys_stories_in_politics(seed):
    rule = SectionRule.objects.get()
    assert (rule.section.slug, rule.kind.name, rule.entity.slug) == (
        "politics",
        "source",
        "ministry-of-defense-of-azerbaijan",
    )


def test_seed_entities_carry_their_facts(seed):
    trend = Source.objects.get(slug="trend")
    assert "Trend" in trend.aliases
    assert trend.kind == "agency"
    assert Source.objects.get(slug="ministry-of-defense-of-azerbaijan").kind == "government"
    hasanov = Person.objects.get(slug="zakir-hasanov")
    assert (hasanov.honorific, hasanov.title) == (
        "Colonel-General",
        "Minister of Defense of Azerbaijan",
    )
    azerbaijan = Place.objects.get(slug="azerbaijan")
    assert "Azerbaijani" in azerbaijan.aliases
    assert azerbaijan.wikidata_id == "Q227"
    assert azerbaijan.parent.slug == "south-caucasus"
    assert Place.objects.get(slug="ganja").parent == azerbaijan
    assert "Nagorno Karabakh" in Place.objects.get(slug="nagorno-karabakh").aliases
    for place in Place.objects.exclude(kind="region"):
        place.full_clean()
        assert place.latitude is not None and place.longitude is not None


def test_loading_twice_duplicates_nothing(seed):
    models = (Article, Source, Person, Place, Section, SectionRule, SitePage)
    counts = [model.objects.count() for model in models]
    call_command("load_seed", stdout=io.StringIO())
    assert [model.objects.count() for model in models] == counts
    assert counts == [1, 2, 1, 9, 5, 1, 4]
    assert Article.objects.get().places.count() == 8


def test_loading_again_keeps_what_editors_changed(seed, editor):
    """`make run` loads the seed every time: it creates what is missing, and that is all."""
    article = Article.objects.get()
    editorial.edit(
        article, by=editor, expected_version=article.version, changes={"byline": "By the desk"}
    )
    version = Article.objects.get().version
    hasanov = Person.objects.get(slug="zakir-hasanov")
    hasanov.title = "Former Minister of Defense"
    hasanov.save()
    Place.objects.get(slug="khizi").delete()
    contact = SitePage.objects.get(slug="contact")
    contact.title = "Write to us"
    contact.save()

    out = io.StringIO()
    call_command("load_seed", stdout=out)

    stored = Article.objects.get()
    assert (stored.byline, stored.version) == ("By the desk", version)
    assert Person.objects.get(slug="zakir-hasanov").title == "Former Minister of Defense"
    assert Place.objects.filter(slug="khizi").exists()  # missing, so made again
    assert SitePage.objects.get(slug="contact").title == "Write to us"
    assert "1 created, 22 already there" in out.getvalue()


SEED_PICTURE = ROOT / "fixtures" / "pictures" / "baku.jpg"


def test_baku_has_the_newsrooms_own_picture(seed):
    image = Place.objects.get(slug="baku").image

    assert image is not None
    assert image.content_hash == imaging.sha256(SEED_PICTURE.read_bytes())
    assert (image.format, image.width, image.height) == ("jpeg", 1200, 800)
    assert image.byte_size < 150_000
    assert image.alt_text.startswith("A drawing of Baku")
    assert image.credit == "Newsroom" and image.credit_line == "Newsroom"
    assert image.copyright == "© Newsroom"
    made = {(r.spec, r.format) for r in image.renditions.all()}
    assert made == {(spec.name, fmt) for spec, fmts in imaging.specs_for(1200) for fmt in fmts}
    for rendition in image.renditions.all():
        assert default_storage.exists(rendition.file.name)


def test_the_seed_story_keeps_its_generated_share_card(seed):
    article = Article.objects.get()

    assert article.lead_image is None
    assert not article.images.exists()


def test_loading_again_stores_the_picture_once(seed):
    image = Place.objects.get(slug="baku").image
    files = set(image.renditions.values_list("file", flat=True))

    out = io.StringIO()
    call_command("load_seed", stdout=out)

    assert Image.objects.get() == image
    assert set(Image.objects.get().renditions.values_list("file", flat=True)) == files
    assert Place.objects.get(slug="baku").image == image
    assert "Seed pictures: 0 added, 1 already held." in out.getvalue()


def test_loading_again_keeps_the_picture_an_editor_chose(seed):
    chosen = ImageFactory()
    Place.objects.filter(slug="baku").update(image=chosen)

    call_command("load_seed", stdout=io.StringIO())

    assert Place.objects.get(slug="baku").image == chosen


def test_the_drawing_script_makes_the_committed_picture(tmp_path, monkeypatch):
    """fixtures/draw_baku.py is how the picture was made: it makes it again (pixels within
    a JPEG encoder's rounding of the committed file)."""
    spec = importlib.util.spec_from_file_location("draw_baku", ROOT / "fixtures" / "draw_baku.py")
    draw_baku = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(draw_baku)
    monkeypatch.setattr(draw_baku, "OUT", tmp_path / "pictures" / "baku.jpg")

    drawn = PILImage.open(draw_baku.main()).convert("RGB")
    committed = PILImage.open(SEED_PICTURE).convert("RGB")

    assert drawn.size == committed.size == (1200, 800)
    difference = ImageStat.Stat(ImageChops.difference(drawn, committed)).mean
    assert max(difference) < 1.0
