"""The wire desk's intake: copy in, linked drafts out, nothing duplicated or half-done."""

import json
import threading

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from reversion.models import Version

from articles import editorial, intake, linking, wire
from articles.models import (
    Article,
    Person,
    Place,
    Section,
    SectionRule,
    Source,
    Status,
    WireItem,
    WireOutcome,
)
from tests.factories import AuthorFactory
from tests.helpers import ROOT, api
from tests.seed import SEED_PEOPLE, SEED_PLACES, SEED_SOURCES, SEED_TEXT

ADDED_PARAGRAPH = (
    "\n\nThe ministry said the situation on the front line remained tense on October 6.\n"
)

pytestmark = pytest.mark.django_db

WIRE = "/api/v1/wire/"


def slugs(related):
    return {entity.slug for entity in related.all()}


def take_in(text, **kwargs):
    return intake.take_in(text.encode("utf-8"), origin="test", **kwargs)


def test_seed_copy_becomes_a_linked_draft(seed, editor):
    result = take_in(SEED_TEXT, by=editor)
    article = result.article
    assert result.outcome == WireOutcome.CREATED
    assert article.status == Status.DRAFT
    assert article.original_text == SEED_TEXT
    assert article.byline == "By Trend"
    assert article.source.slug == "trend"
    assert article.headline_needs_review
    assert article.headline.startswith("Azerbaijani Defense Minister")
    assert len(article.headline) <= wire.HEADLINE_MAX_LENGTH
    assert article.created_by == editor
    assert slugs(article.people) == SEED_PEOPLE
    assert slugs(article.places) == SEED_PLACES
    assert slugs(article.mentioned_sources) == SEED_SOURCES
    assert article.wire_items.get().outcome == WireOutcome.CREATED
    assert Version.objects.get_for_object(article).count() == 1


@pytest.mark.parametrize(
    "resent",
    [
        SEED_TEXT,
        "\ufeff" + SEED_TEXT.replace("\n", "\r\n"),
        SEED_TEXT.replace("\n\n", "\n\n\n\n").replace(".\n", ".   \n"),
    ],
    ids=["same", "crlf-and-bom", "extra-whitespace"],
)
def test_copy_received_twice_is_skipped(seed, resent):
    first = take_in(SEED_TEXT)
    again = take_in(resent)
    assert again.outcome == intake.DUPLICATE
    assert again.article == first.article
    assert "already received" in again.message
    assert Article.objects.count() == 2  # the seed's own article and this one
    assert WireItem.objects.count() == 1


def test_an_update_of_an_untouched_draft_revises_it_in_place(seed):
    first = take_in(SEED_TEXT).article
    result = take_in(SEED_TEXT + ADDED_PARAGRAPH)
    assert result.outcome == WireOutcome.REVISED
    article = Article.objects.get(pk=first.pk)
    assert article.body_text.endswith("remained tense on October 6.")
    assert article.version == first.version + 1
    assert article.original_text == SEED_TEXT + ADDED_PARAGRAPH
    assert Version.objects.get_for_object(article).count() == 2
    assert result.wire_item.similarity >= wire.SIMILARITY_THRESHOLD
    assert Article.objects.count() == 2


def test_a_corrected_figure_is_an_update(seed):
    first = take_in(SEED_TEXT).article
    result = take_in(SEED_TEXT.replace("20 percent", "25 percent"))
    assert result.outcome == WireOutcome.REVISED
    assert "25 percent" in Article.objects.get(pk=first.pk).body


def test_an_update_of_an_edited_draft_waits_for_an_editor(seed):
    article = take_in(SEED_TEXT).article
    article.body = article.body.replace("special service meeting", "meeting")
    article.save()
    result = take_in(SEED_TEXT + ADDED_PARAGRAPH)
    assert result.outcome == WireOutcome.PENDING
    article.refresh_from_db()
    assert "remained tense" not in article.body
    assert "special service meeting" not in article.body


def test_an_update_of_a_published_story_is_accepted_or_ignored(seed, editor):
    article = take_in(SEED_TEXT).article
    Article.objects.filter(pk=article.pk).update(
        status=Status.PUBLISHED, published_at=article.created_at
    )
    pending = take_in(SEED_TEXT + ADDED_PARAGRAPH).wire_item
    assert pending.outcome == WireOutcome.PENDING
    assert "remained tense" not in Article.objects.get(pk=article.pk).body

    accepted = editorial.accept_update(pending, by=editor)
    assert "remained tense" in accepted.body
    assert accepted.status == Status.PUBLISHED
    pending.refresh_from_db()
    assert (pending.outcome, pending.decided_by) == (WireOutcome.ACCEPTED, editor)

    another = take_in(SEED_TEXT + ADDED_PARAGRAPH + "\n\nA third version.").wire_item
    editorial.ignore_update(another, by=editor)
    another.refresh_from_db()
    assert another.outcome == WireOutcome.IGNORED
    assert "third version" not in Article.objects.get(pk=article.pk).body
    with pytest.raises(ValueError, match="already"):
        editorial.ignore_update(another, by=editor)


def test_an_unrelated_story_from_the_same_agency_is_new(seed):
    take_in(SEED_TEXT)
    other = (
        "By Trend\n\nThe Central Bank of Azerbaijan kept its refinancing rate unchanged "
        "at 6.5 percent on Friday, citing stable inflation and a steady manat.\n\n"
        "The bank's board will meet again in six weeks to review monetary policy."
    )
    assert take_in(other).outcome == WireOutcome.CREATED


def test_the_same_story_from_another_agency_is_not_an_update(seed):
    take_in(SEED_TEXT)
    assert take_in(SEED_TEXT.replace("By Trend", "By Azertac")).outcome == WireOutcome.CREATED


def test_an_unknown_byline_creates_a_source_for_review(seed):
    result = take_in("By Caspian Wire\n\nGanja was calm on Tuesday, residents said.")
    source = result.article.source
    assert (source.name, source.needs_review, source.kind) == ("Caspian Wire", True, "agency")
    again = take_in("By caspian wire\n\nMingachevir was calm on Wednesday, residents said.")
    assert again.article.source == source


def test_strict_refuses_an_unknown_byline(seed):
    with pytest.raises(wire.WireError, match="unknown byline"):
        take_in("By Caspian Wire\n\nGanja was calm on Tuesday.", strict=True)
    assert not Source.objects.filter(name="Caspian Wire").exists()
    assert WireItem.objects.count() == 0


def test_a_byline_alias_resolves_the_source(seed):
    result = take_in("By Trend News\n\nGanja was calm on Tuesday, residents said.")
    assert result.article.source.slug == "trend"


@pytest.mark.parametrize(
    "data",
    [b"", b"   \n\n", b"By Trend\n\n", b"\x89PNG\r\n\x1a\n\x00\x00", "Gäncä".encode("latin-1")],
    ids=["empty", "blank", "no-body", "binary", "latin-1"],
)
def test_bad_copy_is_refused_and_leaves_nothing(seed, data):
    with pytest.raises(wire.WireError):
        intake.take_in(data)
    assert WireItem.objects.count() == 0
    assert Article.objects.count() == 1


def test_agency_ids_chain_updates_whatever_the_text(seed):
    def ninjs(body):
        return (
            '{"uri": "urn:trend:2020:1001", "headline": "Ganja shelled", "byline": "By Trend", '
            f'"body_text": "{body}"}}'
        )

    first = take_in(ninjs("Ganja was shelled overnight, officials said."))
    second = take_in(ninjs("Officials now say the shelling of Ganja killed two people."))
    assert second.article == first.article
    assert second.outcome == WireOutcome.REVISED
    assert "killed two people" in Article.objects.get(pk=first.article.pk).body


def test_an_editors_headline_survives_a_revision(seed):
    article = take_in(SEED_TEXT).article
    Article.objects.filter(pk=article.pk).update(
        headline="Hasanov orders strikes", headline_needs_review=False
    )
    take_in(SEED_TEXT + ADDED_PARAGRAPH)
    assert Article.objects.get(pk=article.pk).headline == "Hasanov orders strikes"


def test_a_losing_concurrent_intake_reports_a_duplicate(seed, monkeypatch):
    take_in(SEED_TEXT)
    # As if another process inserted the same copy between our check and our
    # insert: the first look finds nothing, the unique hash refuses the insert.
    real_seen_before, looks = intake._seen_before, []

    def seen_before(content_hash):
        looks.append(content_hash)
        return None if len(looks) == 1 else real_seen_before(content_hash)

    monkeypatch.setattr(intake, "_seen_before", seen_before)
    result = take_in(SEED_TEXT)
    assert result.outcome == intake.DUPLICATE
    assert len(looks) == 2
    assert Article.objects.count() == 2


@pytest.mark.django_db(transaction=True)
def test_simultaneous_intakes_of_the_same_copy_create_one_article(seed):
    results, errors = [], []
    barrier = threading.Barrier(2)

    def run():
        try:
            barrier.wait()
            results.append(take_in(SEED_TEXT).outcome)
        except Exception as error:  # noqa: BLE001 - reported by the assertion below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sorted(results) == [WireOutcome.CREATED, intake.DUPLICATE]
    assert WireItem.objects.count() == 1


def test_a_personal_byline_resolves_its_agency(seed):
    result = take_in("By Jane Doe, Trend\n\nGanja was calm on Tuesday, residents said.")
    assert result.article.source.slug == "trend"
    unknown = take_in("By Jane Doe, Caspian Wire\n\nKhizi was calm on Tuesday, residents said.")
    assert unknown.article.source.name == "Caspian Wire"


def test_hostile_copy_is_stored_as_text(seed):
    result = take_in(
        "By Trend\n\n<script>alert('x')</script> Ganja'; DROP TABLE articles_article;-- was calm."
    )
    article = Article.objects.get(pk=result.article.pk)
    assert "<script>alert('x')</script>" in article.body_text  # wire copy is text, exactly
    assert "&lt;script&gt;alert" in article.body and "<script>" not in article.body
    assert "DROP TABLE" in article.body_text
    assert Article.objects.count() == 2
    assert slugs(article.places) == {"ganja"}


def test_a_revision_keeps_the_text_and_the_links(seed):
    article = take_in(SEED_TEXT).article
    version = Version.objects.get_for_object(article).get()
    fields = version.field_dict
    assert fields["body"] == article.body
    assert sorted(fields["places"]) == sorted(article.places.values_list("pk", flat=True))
    assert fields["people"] == list(article.people.values_list("pk", flat=True))
    assert version.revision.comment == "Created from agency copy."


def ninjs(uri, body, *, by="By Trend"):
    return json.dumps(
        {
            "uri": uri,
            "headlines": [{"value": "Talks"}],
            "by": by,
            "bodies": [{"role": "main", "contenttype": "text/plain", "value": body}],
        }
    )


class TestTheWireDoorObeysTheDesksPermissions:
    """POST /api/v1/wire/ is a write like any other (the editorial service decides)."""

    def test_a_reporter_cannot_rewrite_someone_elses_draft(self, seed, editor, reporter):
        first = api(editor).post(
            WIRE, ninjs("urn:trend:1", "The talks began."), content_type="application/json"
        )
        assert first.status_code == 201
        again = api(reporter).post(
            WIRE,
            ninjs("urn:trend:1", "The talks began. They ended in the night."),
            content_type="application/json",
        )
        assert (again.status_code, again.json()["outcome"]) == (200, "pending")
        article = Article.objects.get(pk=first.json()["article"]["id"])
        assert (article.body_text, article.updated_by) == ("The talks began.", editor)

    def test_a_reporter_creates_no_source_for_an_unknown_agency(self, seed, reporter):
        response = api(reporter).post(
            WIRE,
            ninjs("urn:x:1", "A quiet day.", by="By Jane Doe, Unknown Wire"),
            content_type="application/json",
        )
        assert response.status_code == 201
        article = Article.objects.get(pk=response.json()["article"]["id"])
        assert (article.source, article.byline) == (None, "By Jane Doe, Unknown Wire")
        assert not Source.objects.filter(name="Unknown Wire").exists()

    def test_an_editor_still_creates_one_for_review(self, seed, editor):
        response = api(editor).post(
            WIRE,
            ninjs("urn:x:2", "A quiet day.", by="By Jane Doe, Unknown Wire"),
            content_type="application/json",
        )
        assert response.status_code == 201
        assert Source.objects.get(name="Unknown Wire").needs_review


class TestDatelineLedCopy:
    COPY = (
        "By Trend\n\nBAKU, December 1. The defense minister warned of a firm answer to any "
        "provocation.\n\nHe spoke at a meeting in Baku."
    )

    def test_the_dateline_is_a_dateline_not_the_headline(self, seed, editor):
        article = intake.take_in(self.COPY, by=editor).article
        assert article.headline == "The defense minister warned of a firm answer to any provocation"
        assert article.dateline.slug == "baku"
        assert "baku-december-1" not in article.slug

    def test_a_drafts_address_follows_the_headline_an_editor_writes(self, seed, editor):
        article = intake.take_in(self.COPY, by=editor).article
        editorial.edit(
            article,
            by=editor,
            expected_version=article.version,
            changes={"headline": "Minister warns of firm answer"},
        )
        assert Article.objects.get(pk=article.pk).slug == "minister-warns-of-firm-answer"

    def test_a_published_storys_address_stays(self, seed, editor):
        article = intake.take_in(self.COPY, by=editor).article
        editorial.publish(article, by=editor)
        first = Article.objects.get(pk=article.pk).slug
        article = Article.objects.get(pk=article.pk)
        editorial.edit(
            article, by=editor, expected_version=article.version, changes={"headline": "New"}
        )
        assert Article.objects.get(pk=article.pk).slug == first

    def test_a_slug_the_editor_chose_stays(self, seed, editor):
        article = intake.take_in(self.COPY, by=editor).article
        editorial.edit(
            article,
            by=editor,
            expected_version=article.version,
            changes={"slug": "minister-warning"},
        )
        article = Article.objects.get(pk=article.pk)
        editorial.edit(
            article, by=editor, expected_version=article.version, changes={"headline": "Other"}
        )
        assert Article.objects.get(pk=article.pk).slug == "minister-warning"


class NeverRead:
    """An upload as Django hands it over, its size known; reading it fails the test."""

    name = "huge.txt"

    def __init__(self, size):
        self.size = size

    def read(self):
        raise AssertionError("the upload was read")


def test_an_oversized_upload_is_refused_before_it_is_read():
    with pytest.raises(wire.WireError, match=r"larger than 1,000,000 bytes \(1,000,001 bytes\)"):
        intake.read_upload(NeverRead(wire.MAX_WIRE_BYTES + 1))


def test_an_upload_within_the_limit_is_read():
    upload = SimpleUploadedFile("story.txt", b"By Trend\n\nGanja was calm.")
    assert intake.read_upload(upload) == b"By Trend\n\nGanja was calm."


class TestBylinesNamingReporters:
    """A reporter in a wire byline links a known author, or stays credit text; a
    reporter's name never becomes a source. (Trend is the seed's agency.)"""

    LEAD = "\n\nGanja was calm on Tuesday, residents said."

    @pytest.fixture
    def jane(self, seed):
        AuthorFactory(name="Bahruz")  # a one-word name, shaped like an agency's
        return AuthorFactory(name="Jane Doe", aliases=["J. Doe"])

    # name: (byline, source slug, authors, byline kept, credit readers see)
    CASES = {
        "known reporter – agency:": (
            "By Jane Doe – Trend:",
            "trend",
            ["Jane Doe"],
            "",
            "By Jane Doe, Trend",
        ),
        "known reporter, agency": (
            "By Jane Doe, Trend",
            "trend",
            ["Jane Doe"],
            "",
            "By Jane Doe, Trend",
        ),
        "known reporter by an alias": (
            "By J. Doe – Trend:",
            "trend",
            ["Jane Doe"],
            "",
            "By Jane Doe, Trend",
        ),
        "known reporter alone": ("By Jane Doe", None, ["Jane Doe"], "", "By Jane Doe"),
        "unknown reporter – agency:": (
            "By John Roe – Trend:",
            "trend",
            [],
            "By John Roe – Trend",
            "By John Roe – Trend",
        ),
        "unknown reporter alone": ("By John Roe", None, [], "By John Roe", "By John Roe"),
        "known and unknown reporters": (
            "By Jane Doe and John Roe, Trend",
            "trend",
            ["Jane Doe"],
            "By Jane Doe and John Roe, Trend",
            "By Jane Doe and John Roe, Trend",
        ),
        "agency alone, as sent": ("By Trend", "trend", [], "By Trend", "By Trend"),
        "agency first, then a reporter": (
            "By Trend, John Roe",
            "trend",
            [],
            "By Trend, John Roe",
            "By Trend, John Roe",
        ),
        "a known author's one-word name": ("By Bahruz", None, ["Bahruz"], "", "By Bahruz"),
        "known reporter, unknown agency": (
            "By Jane Doe, Caspian Wire",
            "caspian-wire",
            ["Jane Doe"],
            "",
            "By Jane Doe, Caspian Wire",
        ),
    }

    @pytest.mark.parametrize(
        ("byline", "source", "authors", "kept", "credit"), CASES.values(), ids=CASES.keys()
    )
    def test_through_the_intake(self, jane, editor, byline, source, authors, kept, credit):
        sources_before = set(Source.objects.values_list("name", flat=True))
        article = take_in(byline + self.LEAD, by=editor).article
        article = Article.objects.for_detail().get(pk=article.pk)
        assert (article.source.slug if article.source else None) == source
        assert [author.name for author in article.authors.all()] == authors
        assert (article.byline, article.credit_line) == (kept, credit)
        new_sources = set(Source.objects.values_list("name", flat=True)) - sources_before
        assert new_sources <= {"Caspian Wire"}  # an agency, never a reporter

    def test_an_alias_added_since_the_last_copy_is_known_at_once(self, jane, editor):
        assert take_in("By Jane Doe" + self.LEAD, by=editor).article.authors.get() == jane
        jane.aliases = ["Canan Doe"]
        jane.save()
        again = take_in("By Canan Doe\n\nKhizi was calm on Wednesday.", by=editor).article
        assert again.authors.get() == jane

    def test_a_reporter_alone_creates_no_source_named_after_them(self, seed, editor):
        article = take_in("By Jane Doe" + self.LEAD, by=editor).article
        assert article.source is None
        assert not Source.objects.filter(name__icontains="Jane Doe").exists()

    def test_an_authors_name_in_the_text_links_no_author(self, jane, editor):
        article = take_in("By Trend\n\nJane Doe reported from Ganja on Tuesday.", by=editor).article
        assert list(article.authors.all()) == []
        assert [m.kind for m in linking.find_mentions("Jane Doe went to Ganja.")] == ["place"]

    def test_a_reporter_who_may_not_add_sources_still_links_the_author(self, jane, reporter):
        article = take_in("By Jane Doe, Unknown Wire" + self.LEAD, by=reporter).article
        assert list(article.authors.all()) == [jane]
        # The agency is in no record, so the byline keeps it as credit text.
        assert (article.source, article.byline) == (None, "By Jane Doe, Unknown Wire")

    @pytest.mark.parametrize(
        "byline", ["By John Roe – Trend:", "By Jane Doe"], ids=["known agency", "known author"]
    )
    def test_strict_takes_copy_from_a_known_sender(self, jane, byline):
        assert take_in(byline + self.LEAD, strict=True).created

    @pytest.mark.parametrize(
        "byline",
        ["By Jane Doe, Caspian Wire", "By John Roe"],
        ids=["unknown agency", "nobody known"],
    )
    def test_strict_refuses_a_sender_nobody_knows(self, jane, byline):
        with pytest.raises(wire.WireError, match="unknown byline"):
            take_in(byline + self.LEAD, strict=True)
        assert set(Source.objects.values_list("slug", flat=True)) == {
            "trend",
            "ministry-of-defense-of-azerbaijan",
        }

    def test_over_the_api(self, jane, editor):
        response = api(editor).post(
            WIRE,
            ninjs("urn:trend:9", "A quiet day.", by="By Jane Doe – Trend:"),
            content_type="application/json",
        )
        assert response.status_code == 201
        article = response.json()["article"]
        assert [author["slug"] for author in article["authors"]] == ["jane-doe"]
        assert (article["byline"], article["source"]["slug"]) == ("", "trend")


NINJS_WITH_SUBJECTS = {
    "uri": "urn:newsroom:test:subjects",
    "by": "Trend",
    "headlines": [{"role": "main", "value": "Budget passes"}],
    "bodies": [{"role": "main", "contenttype": "text/plain", "value": "Parliament voted."}],
}


@pytest.mark.parametrize(
    ("subject", "section"),
    [("Politics", "politics"), ("government", "politics"), ("Sport", None)],
)
def test_the_desk_proposes_a_section_from_the_copys_subjects(seed, subject, section):
    copy = {**NINJS_WITH_SUBJECTS, "subject": [{"name": subject}]}
    sections = Section.objects.count()
    result = take_in(json.dumps(copy))
    assert result.outcome == "created"
    article = Article.objects.get(pk=result.article.pk)
    assert (article.section.slug if article.section else None) == section
    assert article.status == Status.DRAFT  # the editor confirms it
    assert Section.objects.count() == sections  # never made from copy


def test_nitf_pubdata_proposes_the_section_the_agency_ran_it_in(seed):
    # Its tobject subject names no section of ours; its pubdata's section does.
    copy = (ROOT / "tests" / "wire" / "nitf_pubdata.xml").read_text(encoding="utf-8")
    article = take_in(copy.replace('tobject.subject.type="Economy, Business and Finance"', ""))
    assert article.article.section.slug == "politics"


def filed(result):
    section = Article.objects.get(pk=result.article.pk).section
    return section.slug if section else None


class TestSectionRules:
    """Copy whose subjects name no section is filed by the first rule naming an entity the
    draft is about: linked from its text, the agency that supplied it, its dateline."""

    @pytest.fixture
    def rule(self, seed):
        def make(section, entity, position=0):
            kind = type(entity)._meta.model_name
            return SectionRule.objects.create(
                section=Section.objects.get(slug=section), position=position, **{kind: entity}
            )

        return make

    def test_the_seeds_rule_files_a_story_naming_the_ministry(self, seed, editor):
        result = take_in(
            "By Trend\n\nThe Azerbaijani Defense Ministry reported a quiet night.", by=editor
        )
        assert filed(result) == "politics"
        article = Article.objects.get(pk=result.article.pk)
        assert article.status == Status.DRAFT  # the editor confirms it
        assert slugs(article.mentioned_sources) == {"ministry-of-defense-of-azerbaijan"}
        # Filed in the one revision the draft is created with.
        (version,) = Version.objects.get_for_object(article)
        assert version.field_dict["section_id"] == article.section_id

    @pytest.mark.parametrize(
        ("model", "slug", "text"),
        [
            (Person, "zakir-hasanov", "Zakir Hasanov inspected the troops."),
            (Place, "ganja", "Shells fell on Ganja overnight."),
            (Source, "trend", "Prices rose on Tuesday."),  # the agency that supplied it
        ],
        ids=["person", "place", "supplying-source"],
    )
    def test_a_rule_on_an_entity_the_draft_is_about(self, rule, model, slug, text):
        rule("society", model.objects.get(slug=slug))
        assert filed(take_in(f"By Trend\n\n{text}")) == "society"

    def test_a_rule_on_the_dateline_place(self, rule):
        # NITF's dateline is not in the text: the story is filed from Baku all the same.
        rule("region", Place.objects.get(slug="baku"))
        copy = (ROOT / "tests" / "wire" / "nitf_trend.xml").read_text(encoding="utf-8")
        result = take_in(copy)
        assert not result.article.places.filter(slug="baku").exists()
        assert filed(result) == "region"

    def test_a_rule_on_an_entity_the_draft_is_not_about_files_nothing(self, rule):
        rule("world", Place.objects.get(slug="armenia"))
        assert filed(take_in("By Trend\n\nShells fell on Ganja overnight.")) is None

    def test_no_rule_and_no_subject_files_nothing(self, seed):
        SectionRule.objects.all().delete()
        sections = Section.objects.count()
        result = take_in("By Trend\n\nThe Azerbaijani Defense Ministry reported a quiet night.")
        assert filed(result) is None
        assert Section.objects.count() == sections  # never made

    @pytest.mark.parametrize(
        ("hasanov", "ganja", "expected"),
        [(2, 1, "society"), (1, 2, "world"), (0, 0, "world")],  # a tie: the older rule
        ids=["ganja-first", "hasanov-first", "tie"],
    )
    def test_the_first_rule_by_position_wins(self, rule, hasanov, ganja, expected):
        rule("world", Person.objects.get(slug="zakir-hasanov"), position=hasanov)
        rule("society", Place.objects.get(slug="ganja"), position=ganja)
        copy = "By Trend\n\nZakir Hasanov visited Ganja, where shells fell overnight."
        assert filed(take_in(copy)) == expected

    def test_the_copys_subjects_win_over_rules(self, rule):
        rule("society", Place.objects.get(slug="ganja"))
        copy = {
            **NINJS_WITH_SUBJECTS,
            "subject": [{"name": "Sport"}, {"name": "Business"}],
            "bodies": [{"role": "main", "contenttype": "text/plain", "value": "Ganja's mill."}],
        }
        assert filed(take_in(json.dumps(copy))) == "economy"

    def test_subjects_naming_no_section_leave_it_to_the_rules(self, rule):
        rule("society", Place.objects.get(slug="ganja"))
        copy = {
            **NINJS_WITH_SUBJECTS,
            "subject": [{"name": "Sport"}],
            "bodies": [{"role": "main", "contenttype": "text/plain", "value": "Ganja's mill."}],
        }
        assert filed(take_in(json.dumps(copy))) == "society"

    def test_a_rule_goes_with_its_section(self, rule):
        sport = Section.objects.create(name="Sport")
        rule("sport", Place.objects.get(slug="ganja"))
        sport.delete()
        assert not SectionRule.objects.filter(section__slug="sport").exists()
        assert filed(take_in("By Trend\n\nShells fell on Ganja overnight.")) is None

    def test_a_rule_goes_with_its_entity(self, rule):
        nobody = Person.objects.create(name="Elmar Mammadov")
        rule("world", nobody)
        nobody.delete()
        assert SectionRule.objects.count() == 1  # the seed's own rule

    def test_rules_cost_one_query_however_many(self, seed):
        """The same queries with 1 rule as with 20 (two agencies, so neither copy is the
        other's update)."""
        names = ["Alpha", "Bravo", "Delta", "Echo", "Foxtrot", "Golf", "Hotel", "India"]
        names += ["Juliett", "Kilo", "Lima", "Mike", "November", "Oscar", "Papa", "Quebec"]
        names += ["Romeo", "Sierra", "Tango", "Uniform"]
        towns = [Place.objects.create(name=f"{name}abad", kind="city") for name in names]
        Source.objects.create(name="Caspian Wire", kind="agency")
        world = Section.objects.get(slug="world")
        mentions = ", ".join(town.name for town in towns)
        take_in("By Trend\n\nA quiet day at sea.")  # the gazetteers and caches, warm
        counts = []
        for agency, rules in (("Trend", towns[:1]), ("Caspian Wire", towns)):
            SectionRule.objects.exclude(place=None).delete()
            SectionRule.objects.bulk_create([SectionRule(section=world, place=t) for t in rules])
            with CaptureQueriesContext(connection) as queries:
                result = take_in(f"By {agency}\n\nFloods reached {mentions}.")
            assert result.created and filed(result) == "world"
            assert result.article.places.count() == len(towns)
            read = [q for q in queries.captured_queries if "articles_sectionrule" in q["sql"]]
            assert len(read) == 1  # the rules, in one query
            counts.append(len(queries))
        assert counts[0] == counts[1]


class TestDatelinesLinkThePlace:
    REUTERS = (
        "Azerbaijan opens talks\n\n"
        "BAKU, Dec. 1 (Reuters) - Azerbaijan said on Monday it would open talks.\n\n"
        "Talks start next week.\n\n"
        "(Reporting by Nailia Bagirova; Editing by Mark Trevelyan)"
    )

    @pytest.fixture
    def athens(self, seed):
        greece = Place.objects.create(name="Greece", kind="country")
        return Place.objects.create(name="Athens", aliases=["Athína"], parent=greece)

    def test_a_headline_line_is_the_headline_and_slug(self, seed, editor):
        article = intake.take_in(self.REUTERS, by=editor).article
        assert article.headline == "Azerbaijan opens talks"
        assert article.headline_needs_review is False
        assert article.slug == "azerbaijan-opens-talks"
        assert article.dateline.name == "Baku"
        assert "Reporting by" not in article.body
        assert article.byline == "Reporting by Nailia Bagirova; Editing by Mark Trevelyan"
        assert not Source.objects.filter(name__icontains="Bagirova").exists()

    def test_a_credit_line_is_credit_text_not_authors(self, seed, editor):
        AuthorFactory(name="Nailia Bagirova")
        article = intake.take_in(self.REUTERS, by=editor).article
        assert list(article.authors.all()) == []
        assert article.byline.startswith("Reporting by Nailia Bagirova")

    @pytest.mark.parametrize(
        "dateline", ["BAKU, Dec. 1 (Trend) -", "Baku, May 21, Trend.", "BAKU:", "baku –"]
    )
    def test_the_dateline_resolves_by_name_whatever_its_case(self, seed, editor, dateline):
        copy = f"By Trend\n\n{dateline} The minister spoke on Monday."
        article = intake.take_in(copy, by=editor).article
        assert (article.dateline.name if article.dateline else None) == (
            None if dateline == "baku –" else "Baku"
        )

    def test_the_dateline_resolves_by_alias(self, seed, editor):
        Place.objects.filter(name="Ganja").update(aliases=["Gəncə"])
        copy = "By Trend\n\nGƏNCƏ (Trend) – The city was calm on Tuesday."
        assert intake.take_in(copy, by=editor).article.dateline.name == "Ganja"

    def test_the_places_page_lists_stories_filed_from_it(self, seed, editor, client):
        article = intake.take_in(self.REUTERS, by=editor).article
        editorial.publish(article, by=editor)
        response = client.get(article.dateline.get_absolute_url())
        assert response.status_code == 200
        assert "Azerbaijan opens talks" in response.text

    def test_a_us_state_keeps_the_capital_of_greece_out(self, athens, editor):
        copy = "By Trend\n\nATHENS, Ga. (AP) — A man was arrested on Tuesday."
        article = intake.take_in(copy, by=editor).article
        assert article.dateline is None
        copy = "By Trend\n\nATHENS (AP) — A protest marched to parliament."
        assert intake.take_in(copy, by=editor).article.dateline == athens

    @pytest.mark.parametrize(
        "held",
        [{"name": "Athens, Ga."}, {"name": "Athens", "aliases": ["Athens, Georgia"]}, "parent"],
    )
    def test_the_american_city_links_when_the_gazetteer_holds_it(self, athens, editor, held):
        if held == "parent":
            state = Place.objects.create(name="Georgia (U.S. state)", aliases=["Ga."])
            city = Place.objects.create(name="Athens", parent=state, slug="athens-ga")
            Place.objects.filter(pk=athens.pk).update(name="Athina", aliases=[])
        else:
            athens.delete()
            city = Place.objects.create(**held, slug="athens-ga")
        copy = "By Trend\n\nATHENS, Ga. (AP) — A man was arrested on Tuesday."
        assert intake.take_in(copy, by=editor).article.dateline == city

    def test_a_dateline_agency_is_a_known_sender_for_strict(self, seed):
        copy = "By John Roe\n\nBAKU (Trend) – The minister spoke on Monday."
        article = intake.take_in(copy, strict=True).article
        assert article.source.slug == "trend"
        assert article.byline == "By John Roe"  # an unknown reporter is credit text

    def test_strict_refuses_an_unknown_dateline_agency(self, seed):
        copy = "BAKU (Caspian Wire) – The minister spoke on Monday."
        with pytest.raises(wire.WireError, match="unknown byline"):
            intake.take_in(copy, strict=True)


class TestTheLeadNamesTheAgency:
    def test_a_known_agency_the_lead_names_is_the_source(self, seed):
        copy = "TEHRAN – Pezeshkian will visit Baku next week, Trend reports citing the ministry."
        article = intake.take_in(copy, strict=True).article
        assert article.source.slug == "trend"

    def test_an_unknown_one_makes_no_source(self, seed):
        before = set(Source.objects.values_list("pk", flat=True))
        copy = "TEHRAN – Pezeshkian will visit Baku next week, Caspian Wire reports."
        assert intake.take_in(copy).article.source is None
        assert set(Source.objects.values_list("pk", flat=True)) == before
        with pytest.raises(wire.WireError, match="no byline"):
            intake.take_in(copy.replace("next week", "soon"), strict=True)
