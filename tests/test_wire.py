import json
import os
import subprocess
import sys
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest

from articles import wire
from articles.wire import WireError

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "fixtures" / "wire" / "000_286466b8b7328494.txt"
SAMPLES = Path(__file__).resolve().parent / "wire"
BAKU_TIME = timezone(timedelta(hours=4))


def sample(name):
    return (SAMPLES / name).read_bytes()


@pytest.fixture
def seed_text():
    return SEED.read_text(encoding="utf-8")


@pytest.fixture
def seed(seed_text):
    return wire.parse(SEED.read_bytes())


class TestSeed:
    def test_byline_and_agency(self, seed):
        assert seed.format == "text"
        assert seed.byline == "By Trend"
        assert seed.agency == "Trend"

    def test_paragraphs_are_the_files_paragraphs(self, seed, seed_text):
        assert len(seed.paragraphs) == 10
        for paragraph in seed.paragraphs:
            assert paragraph in seed_text
        assert seed.paragraphs[0].startswith("Azerbaijani Defense Minister, Colonel-General")
        assert seed.paragraphs[-1].endswith("and the surrounding districts.")
        assert seed.body == "\n\n".join(seed.paragraphs)

    def test_headline_is_derived_from_the_first_sentence(self, seed):
        assert seed.headline_derived is True
        assert seed.headline.startswith("Azerbaijani Defense Minister")
        assert len(seed.headline) <= wire.HEADLINE_MAX_LENGTH
        lead = seed.paragraphs[0]
        assert lead.startswith(seed.headline)
        assert lead[len(seed.headline)] == " "
        assert seed.headline[-1].isalnum()

    def test_plain_text_has_no_dateline_or_agency_metadata(self, seed):
        assert seed.dateline == ""
        assert seed.summary == ""
        assert seed.agency_id == ""
        assert seed.sent_at is None

    def test_keeps_the_text_as_received(self, seed, seed_text):
        assert seed.text == seed_text

    def test_messy_resend_has_the_same_paragraphs_and_hash(self, seed, seed_text):
        lines = [f"{line}  " if line else " \t" for line in seed_text.split("\n")]
        messy = "\ufeff" + "\r\n".join(lines).replace(" \t\r\n", " \t\r\n\r\n\r\n")
        assert "  \r\n \t\r\n\r\n\r\n" in messy
        resent = wire.parse(messy.encode("utf-8"))
        assert resent.paragraphs == seed.paragraphs
        assert resent.byline == seed.byline
        assert wire.content_hash(resent) == wire.content_hash(seed)
        assert resent.text == messy.removeprefix("\ufeff")

    def test_str_input_is_parsed_like_bytes(self, seed, seed_text):
        assert wire.parse(seed_text) == seed

    def test_content_hash_changes_with_the_text(self, seed, seed_text):
        corrected = wire.parse(seed_text.replace("20 percent", "25 percent"))
        assert len(wire.content_hash(seed)) == 64
        assert wire.content_hash(corrected) != wire.content_hash(seed)


class TestPlainText:
    def test_dateline_is_read_and_the_paragraph_kept(self):
        lead = "BAKU, Azerbaijan, Oct. 6 (Trend) — The minister met Mr. Aliyev. He left."
        story = wire.parse_text(f"BY AZERTAC\n\n{lead}\n\nA second paragraph.")
        assert story.dateline == "BAKU"
        assert story.paragraphs[0] == lead
        assert story.byline == "BY AZERTAC"
        assert story.agency == "AZERTAC"
        assert story.headline == "The minister met Mr. Aliyev"

    @pytest.mark.parametrize(
        ("lead", "dateline"),
        [
            ("GƏNCƏ, Azerbaijan, Oct. 11 (Trend) — Missiles hit the city.", "GƏNCƏ"),
            ("NAGORNO-KARABAKH, Oct. 6 — Fighting continued.", "NAGORNO-KARABAKH"),
            ("Azerbaijan responded, the ministry said, with a counter-offensive.", ""),
            ("Azerbaijan responded with a counter-offensive along the entire front.", ""),
            ("U.S., Russia and France called for a ceasefire.", ""),
            ("UN, in a statement, called for calm.", ""),
        ],
    )
    def test_dateline_only_for_a_capitalised_place(self, lead, dateline):
        assert wire.parse_text(f"By Trend\n\n{lead}").dateline == dateline

    def test_byline_line_directly_followed_by_the_lead(self):
        story = wire.parse_text("By Trend\nBAKU, Oct. 6 — The minister spoke.")
        assert story.byline == "By Trend"
        assert story.paragraphs == ("BAKU, Oct. 6 — The minister spoke.",)

    def test_a_lead_starting_with_by_is_not_a_byline(self):
        story = wire.parse_text("By noon on Tuesday\nthe troops had reached the river.")
        assert story.byline == ""
        assert story.agency == ""
        assert story.paragraphs == ("By noon on Tuesday the troops had reached the river.",)

    def test_without_byline(self):
        story = wire.parse_text("One paragraph.\n\n\n\nAnother paragraph.")
        assert story.byline == ""
        assert story.paragraphs == ("One paragraph.", "Another paragraph.")


class TestBylines:
    """Who a byline names (wire.read_byline), in every shape agencies send it."""

    # name: (byline, reporters, agency)
    CASES = {
        "an agency": ("By Trend", (), "Trend"),
        "an agency in capitals": ("BY AZERTAC", (), "AZERTAC"),
        "an agency of two words": ("By Caspian Wire", (), "Caspian Wire"),
        "an agency's alias": ("By Trend News", (), "Trend News"),
        "reporter, comma, agency": ("By Jane Doe, Trend", ("Jane Doe",), "Trend"),
        "reporter, en dash, agency, colon": ("By Jane Doe – Trend:", ("Jane Doe",), "Trend"),
        "reporter, em dash, agency": ("By Jane Doe — Trend", ("Jane Doe",), "Trend"),
        "reporter, spaced hyphen, agency": ("By Jane Doe - Trend:", ("Jane Doe",), "Trend"),
        "a reporter alone": ("By Jane Doe", ("Jane Doe",), ""),
        "two reporters": ("By Jane Doe and John Roe", ("Jane Doe", "John Roe"), ""),
        "two reporters, comma": ("By Jane Doe, John Roe", ("Jane Doe", "John Roe"), ""),
        "three reporters and an agency": (
            "By Jane Doe, John Roe & Ali Veli – Trend:",
            ("Jane Doe", "John Roe", "Ali Veli"),
            "Trend",
        ),
        "a reporter and an agency nobody knows": (
            "By Jane Doe, Caspian Wire",
            ("Jane Doe",),
            "Caspian Wire",
        ),
        "a hyphenated name": ("By Jean-Paul Martin – AFP:", ("Jean-Paul Martin",), "AFP"),
        "initials and particles": ("By J. van der Berg", ("J. van der Berg",), ""),
        "letters beyond ASCII": ("By Nargiz Sadıxova – Trend:", ("Nargiz Sadıxova",), "Trend"),
        "a list is never one agency": ("By Reuters and AFP", ("Reuters", "AFP"), ""),
        "an agency, then a reporter": ("By Trend, Jane Doe", ("Trend", "Jane Doe"), ""),
        "ninjs by, a reporter without By": ("Jane Doe", ("Jane Doe",), ""),
        "ninjs by, an agency without By": ("Trend", (), "Trend"),
        "no byline": ("", (), ""),
    }

    @pytest.mark.parametrize(("byline", "reporters", "agency"), CASES.values(), ids=CASES.keys())
    def test_read_byline(self, byline, reporters, agency):
        assert wire.read_byline(byline) == wire.Credit(reporters, agency)

    # name: (name, reads as a person's)
    NAMES = {
        "first and last name": ("Jane Doe", True),
        "an initial": ("J. Doe", True),
        "particles": ("Ursula von der Leyen", True),
        "a particle with a hyphen": ("Mahammad al-Hassan", True),
        "an apostrophe": ("Seán O'Brien", True),
        "Azerbaijani letters": ("Nargiz Sadıxova", True),
        "one word": ("Trend", False),
        "an acronym": ("AZERTAC", False),
        "an organisation's word": ("Caspian Wire", False),
        "news": ("Trend News", False),
        "the": ("The Guardian", False),
        "capitals": ("APA PRESS", False),
        "a web address": ("Trend.az Baku", False),
        "a number": ("Jane Doe 3", False),
        "lower case": ("jane doe", False),
    }

    @pytest.mark.parametrize(("name", "person"), NAMES.values(), ids=NAMES.keys())
    def test_looks_like_a_person(self, name, person):
        assert wire.looks_like_a_person(name) is person

    def test_a_reporters_byline_line_ends_with_a_colon(self):
        story = wire.parse_text("By Jane Doe – Trend:\n\nBAKU, Oct. 6 — The minister spoke.")
        assert (story.byline, story.reporters, story.agency) == (
            "By Jane Doe – Trend",
            ("Jane Doe",),
            "Trend",
        )
        assert story.paragraphs == ("BAKU, Oct. 6 — The minister spoke.",)

    def test_the_lead_may_follow_the_byline_line_at_once(self):
        story = wire.parse_text("By Jane Doe – Trend:\nThe minister spoke in Baku.")
        assert story.byline == "By Jane Doe – Trend"
        assert story.paragraphs == ("The minister spoke in Baku.",)

    def test_a_colon_without_an_agency_is_a_lead(self):
        story = wire.parse_text("By the end of talks:\n\nNothing was agreed.")
        assert story.byline == ""
        assert story.paragraphs[0] == "By the end of talks:"

    def test_ninjs_by_names_the_reporter_and_the_copyright_holder_the_agency(self):
        story = wire.parse(
            '{"uri": "urn:x:1", "by": "By Jane Doe", "copyrightholder": "Trend", '
            '"body_text": "The minister spoke."}'
        )
        assert (story.reporters, story.agency) == (("Jane Doe",), "Trend")

    def test_nitf_byline_with_a_reporter(self):
        story = wire.parse(
            "<nitf><body><body.head><byline>By <person>Jane Doe</person>, Trend</byline>"
            "</body.head><body.content><p>The minister spoke.</p></body.content></body></nitf>"
        )
        assert (story.byline, story.reporters, story.agency) == (
            "By Jane Doe, Trend",
            ("Jane Doe",),
            "Trend",
        )


class TestNormalisation:
    def test_normalize(self):
        text = "\ufeffBy Trend \r\n\r\n\r\nOne\u00a0two\u2009three \rwrapped\t \n\n\n\n  \nLast  "
        assert wire.normalize(text) == "By Trend\n\nOne two three\nwrapped\n\nLast"

    def test_split_paragraphs_joins_wrapped_lines(self):
        text = "First  line\nwrapped here.\n\n \n\nSecond\u00a0paragraph.\r\n"
        assert wire.split_paragraphs(text) == ["First line wrapped here.", "Second paragraph."]

    def test_split_paragraphs_of_nothing(self):
        assert wire.split_paragraphs(" \n\n \r\n") == []


class TestDeriveHeadline:
    def test_abbreviations_do_not_end_the_sentence(self):
        lead = (
            "On Sept. 27 the Col. Gen. said U.S. and U.N. observers led by J. Smith "
            "counted 3.5 times more shells. No. 2 was next."
        )
        assert wire.derive_headline([lead]) == (
            "On Sept. 27 the Col. Gen. said U.S. and U.N. observers led by J. Smith "
            "counted 3.5 times more shells"
        )

    def test_question_mark_is_kept(self):
        assert wire.derive_headline(["Will talks resume? Nobody knows."]) == "Will talks resume?"

    def test_long_sentence_is_cut_at_a_word(self):
        lead = (
            "The minister, speaking to reporters in the capital after a four-hour meeting "
            "of the security council, said that the government would, for the time being, "
            "keep all border crossings closed."
        )
        headline = wire.derive_headline([lead])
        assert len(headline) <= wire.HEADLINE_MAX_LENGTH
        assert lead.startswith(headline)
        assert lead[len(headline)] in " ,"
        assert headline[-1] not in ",:;-—"
        assert headline.rsplit(" ", 1)[-1] not in {"the", "for", "of", "would"}

    def test_a_word_longer_than_the_limit_is_cut(self):
        assert wire.derive_headline(["x" * 200]) == "x" * wire.HEADLINE_MAX_LENGTH

    def test_first_non_empty_paragraph(self):
        assert wire.derive_headline(["", "Talks resumed. More later."]) == "Talks resumed"
        assert wire.derive_headline([]) == ""


class TestNinjs:
    def test_ninjs_1(self):
        story = wire.parse(sample("ninjs1_trend.json"))
        assert story.format == "ninjs"
        assert story.headline == (
            "Azerbaijan's gas exports via Southern Gas Corridor rise in September"
        )
        assert story.headline_derived is False
        assert story.byline == "By Trend"
        assert story.agency == "Trend"
        assert story.dateline == "Baku"
        assert story.agency_id == "urn:newsml:trend.az:20201007:2891144"
        assert story.sent_at == datetime(2020, 10, 7, 9, 15, tzinfo=BAKU_TIME)
        assert story.summary.startswith("Gas exports through the Southern Gas Corridor")

    def test_ninjs_1_prefers_the_html_body_for_its_paragraph_breaks(self):
        story = wire.parse(sample("ninjs1_trend.json"))
        assert story.paragraphs == (
            "BAKU, Azerbaijan, Oct. 7 (Trend) — Azerbaijan exported 1.1 billion cubic meters "
            "of natural gas through the Southern Gas Corridor in September, the Ministry of "
            "Energy said on Wednesday.",
            "The figure is 8 percent higher than in August, according to the ministry’s "
            "monthly report.",
            "Most of the volume went to Turkey via the Trans-Anatolian Pipeline.",
        )

    def test_ninjs_2(self):
        story = wire.parse(sample("ninjs2_azertac.json"))
        assert story.headline == "Ganja comes under missile fire for the second time in a week"
        assert story.headline_derived is False
        assert story.byline == ""
        assert story.agency == "AZERTAC"
        assert story.dateline == "Ganja"
        assert story.agency_id == "http://azertag.az/en/xeber/1612345"
        assert story.sent_at == datetime(2020, 10, 8, 14, 30, tzinfo=UTC)
        assert story.summary == "Residential areas of Ganja were hit by missiles on Thursday."
        assert story.paragraphs == (
            "Residential areas of Ganja, Azerbaijan's second largest city, were hit by "
            "missiles on Thursday, the Prosecutor General's Office said.",
            "According to preliminary information, several houses were destroyed.",
            "Emergency services are working at the scene.",
        )

    def test_ninjs_2_html_body_without_headline(self):
        story = wire.parse(
            '{"uri": "urn:x:1", "by": "By Report", "bodies": [{"contenttype": "text/html", '
            '"value": "<div><p>BAKU, Oct. 6 \\u2014 Talks <i>resumed</i>. Late.</p>'
            '<p>Second.</p></div>"}], "versioncreated": "2020-10-06T10:00:00"}'
        )
        assert story.paragraphs == ("BAKU, Oct. 6 — Talks resumed. Late.", "Second.")
        assert story.headline == "Talks resumed"
        assert story.headline_derived is True
        assert story.dateline == "BAKU"
        assert story.sent_at is None  # no offset: the moment cannot be placed

    def test_html_body_without_paragraph_elements(self):
        story = wire.parse_ninjs(
            '{"uri": "u", "body_html": "<div>One line<br>wrapped.</div><div>Two.</div>"}'
        )
        assert story.paragraphs == ("One line wrapped.", "Two.")

    def test_hostile_markup_comes_out_as_plain_text(self):
        story = wire.parse(sample("ninjs2_hostile.json"))
        assert story.headline == "Minister visits Ganja"
        assert story.byline == "By Trend"
        assert story.paragraphs == (
            "The minister visited Ganja on Monday.",
            "He met residents & officials. Escaped markup is text.",
        )
        for field in (story.headline, story.byline, story.summary, *story.paragraphs):
            assert "<" not in field
            assert "alert" not in field
            assert "cookie" not in field


class TestNitf:
    def test_nitf_with_namespace(self):
        story = wire.parse(sample("nitf_trend.xml"))
        assert story.format == "nitf"
        assert story.headline == "Defense Minister Hasanov holds special service meeting"
        assert story.headline_derived is False
        assert story.byline == "By Trend"
        assert story.agency == "Trend"
        assert story.dateline == "Baku"
        assert story.summary == "Azerbaijan's defense minister chaired a special service meeting."
        assert story.agency_id == "TREND-2020-10-06-0042"
        assert story.sent_at == datetime(2020, 10, 6, 12, 0, tzinfo=BAKU_TIME)
        assert len(story.paragraphs) == 3
        assert story.paragraphs[0] == (
            "Azerbaijani Defense Minister, Colonel-General Zakir Hasanov chaired the holding "
            "of a special service meeting on October 6, Trend reports referring to the ministry."
        )
        assert "use Iskander tactical missile systems" in story.paragraphs[2]

    def test_nitf_without_namespace(self):
        story = wire.parse(sample("nitf_plain.xml"))
        assert story.headline == "Vienna extends tram line to Seestadt"
        assert story.byline == ""
        assert story.agency == "APA"
        assert story.dateline == "VIENNA"
        assert story.agency_id == "APA-0417"
        assert story.sent_at == datetime(2020, 10, 6, 8, 30, tzinfo=timezone(timedelta(hours=2)))
        assert story.paragraphs[1] == "Construction is due to start next spring."

    def test_hostile_markup_comes_out_as_plain_text(self):
        story = wire.parse(sample("nitf_hostile.xml"))
        assert story.headline == "Breaking news from Baku"
        assert story.paragraphs == (
            "First paragraph. Still the first paragraph.",
            "Second paragraph & more.",
        )
        assert story.sent_at is None

    def test_nitf_without_headline_derives_one(self):
        story = wire.parse(
            b"<nitf><body><body.content><p>Talks resumed on Monday. Later more.</p>"
            b"</body.content></body></nitf>"
        )
        assert story.headline == "Talks resumed on Monday"
        assert story.headline_derived is True


def test_a_public_doctype_is_read_not_fetched():
    # Real NITF feeds declare their DTD; it is neither fetched nor needed.
    story = wire.parse(sample("dtd.xml"))
    assert story.format == "nitf"
    assert story.paragraphs == ("A story that asks for its DTD to be fetched.",)


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        pytest.param(b"", "empty: no bytes received", id="empty"),
        pytest.param(b" \r\n\t\n \xc2\xa0", "empty: only whitespace", id="whitespace"),
        pytest.param(
            b"a" * (wire.MAX_WIRE_BYTES + 1),
            "too large: 1,000,001 bytes, the limit is 1,000,000 bytes",
            id="too-large",
        ),
        pytest.param(
            b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00",
            "binary data, not text (contains NUL bytes)",
            id="png",
        ),
        pytest.param(b"By Trend\n\nText\x00more", "binary data", id="nul"),
        pytest.param(
            b"\x01\x02\x03\x04\x05\x06 abc",
            "binary data, not text (mostly control characters)",
            id="control-characters",
        ),
        pytest.param(
            "Café in Baku".encode("latin-1"),
            "not UTF-8 text (invalid byte at offset 3)",
            id="latin-1",
        ),
        pytest.param(b"By Trend\r\n\r\n", "no body", id="byline-only"),
        pytest.param(b'{"uri": "urn:x", "headline": ', "malformed JSON", id="malformed-json"),
        pytest.param(b'{"a":' * 100_000, "malformed JSON (nested too deeply)", id="deep-json"),
        pytest.param(b'[{"uri": "urn:x"}]', "JSON array, not a ninjs object", id="json-array"),
        pytest.param(
            b'{"headline": "H", "body_text": "Text."}',
            "not ninjs: no uri",
            id="json-without-uri",
        ),
        pytest.param(b'{"uri": "urn:x", "headline": "H"}', "no body", id="ninjs-without-body"),
        pytest.param(
            sample("malformed.xml"),
            "malformed XML (mismatched tag: line 3, column 48)",
            id="malformed-xml",
        ),
        pytest.param(
            sample("not_nitf.xml"),
            "XML that is not NITF (the root element is <rss>)",
            id="not-nitf",
        ),
        pytest.param(
            b"<nitf><body><body.content><p> </p></body.content></body></nitf>",
            "no body",
            id="nitf-without-body",
        ),
        pytest.param(
            sample("billion_laughs.xml"),
            "XML with entity declarations or external references is refused",
            id="billion-laughs",
        ),
        pytest.param(
            sample("external_entity.xml"),
            "XML with entity declarations or external references is refused",
            id="external-entity",
        ),
        pytest.param(
            b'<?xml version="1.0"?><!DOCTYPE nitf [<!ENTITY agency "Trend">]>'
            b"<nitf><body><body.content><p>By &agency;</p></body.content></body></nitf>",
            "XML with entity declarations or external references is refused",
            id="internal-entity",
        ),
    ],
)
def test_refused_copy_says_why(data, reason):
    with pytest.raises(WireError) as refused:
        wire.parse(data)
    assert str(refused.value).startswith(reason)
    assert isinstance(refused.value, ValueError)


def test_external_entity_reads_no_file():
    with pytest.raises(WireError) as refused:
        wire.parse_nitf(sample("external_entity.xml").decode())
    assert "root:" not in str(refused.value)
    assert refused.value.__context__ is None or "root:" not in str(refused.value.__context__)


def test_str_input_gets_the_same_limits():
    with pytest.raises(WireError, match="too large"):
        wire.parse("a" * (wire.MAX_WIRE_BYTES + 1))
    with pytest.raises(WireError, match="no body"):
        wire.parse("\ufeffBy Trend")


def test_decode_strips_the_bom():
    assert wire.decode(b"\xef\xbb\xbfBy Trend\n\nText.") == "By Trend\n\nText."


def test_text_starting_with_a_bracket_is_plain_text():
    story = wire.parse(b"[UPDATE] Talks resumed on Monday.\n\nMore to follow.")
    assert story.format == "text"
    assert story.paragraphs[0] == "[UPDATE] Talks resumed on Monday."


class TestSimilarity:
    @pytest.fixture
    def unrelated(self):
        return wire.parse(sample("unrelated.txt"))

    def test_added_paragraph_is_an_update(self, seed):
        extended = seed.body + "\n\nAzerbaijan's foreign ministry said talks could resume."
        score = wire.similarity(wire.shingles(seed.body), wire.shingles(extended))
        assert score >= wire.SIMILARITY_THRESHOLD

    def test_corrected_figure_is_an_update(self, seed):
        corrected = seed.body.replace("20 percent", "25 percent")
        assert corrected != seed.body
        score = wire.similarity(wire.shingles(seed.body), wire.shingles(corrected))
        assert score >= wire.SIMILARITY_THRESHOLD

    def test_unrelated_story_is_not(self, seed, unrelated):
        assert abs(len(unrelated.body) - len(seed.body)) < 400
        score = wire.similarity(wire.shingles(seed.body), wire.shingles(unrelated.body))
        assert score < 0.2

    def test_bands_of_near_duplicates_meet(self, seed):
        original = wire.minhash_bands(wire.shingles(seed.body))
        extended = seed.body + "\n\nAzerbaijan's foreign ministry said talks could resume."
        corrected = seed.body.replace("20 percent", "25 percent")
        for update in (extended, corrected):
            assert set(original) & set(wire.minhash_bands(wire.shingles(update)))

    def test_bands_of_unrelated_stories_do_not(self, seed, unrelated):
        seed_bands = wire.minhash_bands(wire.shingles(seed.body))
        unrelated_bands = wire.minhash_bands(wire.shingles(unrelated.body))
        assert not set(seed_bands) & set(unrelated_bands)

    def test_band_keys(self, seed):
        bands = wire.minhash_bands(wire.shingles(seed.body))
        assert len(bands) == 16
        assert [key[:3] for key in bands] == [f"{band:02d}:" for band in range(16)]
        assert all(len(key) == 19 for key in bands)
        assert wire.minhash_bands(wire.shingles(seed.body)) == bands
        assert len(wire.minhash_bands(wire.shingles(seed.body), bands=4, rows=5)) == 4
        assert wire.minhash_bands(frozenset()) == []

    def test_bands_are_the_same_in_another_process(self, seed):
        code = (
            "from pathlib import Path; from articles import wire; "
            f"story = wire.parse(Path({str(SEED)!r}).read_bytes()); "
            "print(','.join(wire.minhash_bands(wire.shingles(story.body))))"
        )
        other = subprocess.run(
            [sys.executable, "-c", code],
            cwd=ROOT,
            env={**os.environ, "PYTHONHASHSEED": "12345"},
            capture_output=True,
            text=True,
            check=True,
        )
        assert other.stdout.strip().split(",") == wire.minhash_bands(wire.shingles(seed.body))

    def test_shingles_are_stable_64_bit_ints(self):
        # Computed once; a change of hashing invalidates every stored key.
        assert wire.shingles("Azerbaijani Defense Minister") == frozenset({18351799238108523439})
        assert wire.shingles("AZERBAIJANI defense, minister!") == wire.shingles(
            "Azerbaijani Defense Minister"
        )

    def test_shingle_counts(self):
        assert len(wire.shingles("one two three four five")) == 3
        assert len(wire.shingles("one two")) == 1
        assert wire.shingles("") == frozenset()
        assert wire.shingles(" — ") == frozenset()

    def test_similarity_edges(self):
        a = wire.shingles("one two three four")
        assert wire.similarity(a, a) == 1.0
        assert wire.similarity(frozenset(), frozenset()) == 0.0
        assert wire.similarity(a, frozenset()) == 0.0


class TestSubjects:
    def test_ninjs_subject_names(self):
        story = wire.parse_ninjs(
            '{"uri": "u", "body_text": "Talks resumed.", "subject": [{"name": " Politics "}, '
            '{"name": "<b>Economy</b>"}, {"name": "Politics"}, {"code": "x"}, "World", '
            '{"name": 7}]}'
        )
        assert story.subjects == ("Politics", "Economy")

    def test_a_subject_that_is_not_a_list_names_nothing(self):
        story = wire.parse_ninjs('{"uri": "u", "body_text": "Talks.", "subject": "Politics"}')
        assert story.subjects == ()

    def test_nitf_tobject_subjects(self):
        story = wire.parse_nitf(
            '<nitf><head><tobject tobject.type="news"><tobject.subject '
            'tobject.subject.refnum="11000000" tobject.subject.type="Politics" '
            'tobject.subject.matter="Defence"/><tobject.subject tobject.subject.type="World"/>'
            "</tobject></head><body><body.content><p>Talks resumed.</p></body.content></body>"
            "</nitf>"
        )
        assert story.subjects == ("Politics", "Defence", "World")

    def test_nitf_pubdata_sections_come_after_the_tobject_subjects(self):
        story = wire.parse(sample("nitf_pubdata.xml"))
        assert story.subjects == (
            "Economy, Business and Finance",
            "Budget",
            "Politics",  # the web edition's section
            "Parliament",  # the print edition's
        )

    @pytest.mark.parametrize(
        ("pubdata", "expected"),
        [
            ('<pubdata position.section="  World "/>', ("World",)),
            ('<pubdata type="print" position.sequence="4"/>', ()),  # no section: nothing
            ('<pubdata position.section=""/>', ()),
            ('<pubdata type="Politics" name="Politics"/>', ()),  # only position.section counts
            # Markup is dropped, a script with its content, as from every subject.
            ('<pubdata position.section="&lt;script&gt;x&lt;/script&gt;World"/>', ("World",)),
            (
                '<pubdata position.section="World"/><pubdata position.section="world"/>',
                ("World", "world"),
            ),
            (
                f'<pubdata position.section="{"Politics " * 2000}"/>',
                (("Politics " * 2000).strip(),),
            ),
        ],
        ids=["padded", "no-section", "empty", "other-attributes", "markup", "two", "huge"],
    )
    def test_nitf_pubdata_section(self, pubdata, expected):
        story = wire.parse_nitf(
            f"<nitf><head>{pubdata}</head><body><body.content><p>Talks resumed.</p>"
            "</body.content></body></nitf>"
        )
        assert story.subjects == expected

    def test_a_subject_and_a_pubdata_naming_one_section_are_one_subject(self):
        story = wire.parse_nitf(
            '<nitf><head><tobject><tobject.subject tobject.subject.type="Politics"/></tobject>'
            '<pubdata position.section="Politics"/></head><body><body.content><p>Talks.</p>'
            "</body.content></body></nitf>"
        )
        assert story.subjects == ("Politics",)

    @pytest.mark.parametrize(
        ("subjects", "expected"),
        [
            (("politics",), 1),
            (("Business",), 2),
            (("Sport", "ECONOMY", "Politics"), 2),  # the copy's first subject that matches
            (("Sport",), None),
            ((), None),
            (("Polit",), None),  # whole names only
        ],
    )
    def test_propose_section_by_name_or_alias(self, subjects, expected):
        sections = [(1, ["Politics", "Government"]), (2, ["Economy", "Business"])]
        assert wire.propose_section(subjects, sections) == expected


class TestDatelineShapes:
    """Datelines as agencies file them (wire.read_dateline), and what parsing makes of them."""

    @pytest.mark.parametrize(
        ("lead", "place", "region", "state", "agency", "rest"),
        [
            ("BAKU, Dec. 1 (Reuters) - Azerbaijan said.", "BAKU", "", "", "Reuters", "Azerbaijan"),
            ("BAKU: The minister met envoys.", "BAKU", "", "", "", "The minister"),
            ("TEHRAN – Iran said on Monday.", "TEHRAN", "", "", "", "Iran said"),
            ("TEHRAN — Iran said on Monday.", "TEHRAN", "", "", "", "Iran said"),
            ("BISHKEK (Reuters) - Kyrgyzstan said.", "BISHKEK", "", "", "Reuters", "Kyrgyzstan"),
            ("Baku, May 21, AZERTAC. The president met.", "Baku", "", "", "AZERTAC", "The pres"),
            ("MOSCOW, December 1. /TASS/. The ministry said.", "MOSCOW", "", "", "TASS", "The m"),
            ("ATHENS, Ga. (AP) — A man was held.", "ATHENS", "Ga.", "Georgia", "AP", "A man"),
            ("AUSTIN, Texas (AP) — Lawmakers met.", "AUSTIN", "Texas", "Texas", "AP", "Lawmakers"),
            ("NEW YORK, 1 December 2026 (AP) -- Stocks rose.", "NEW YORK", "", "", "AP", "Stocks"),
            (
                "BAKU, Azerbaijan, Oct. 6 (Trend) — He spoke.",
                "BAKU",
                "Azerbaijan",
                "",
                "Trend",
                "He",
            ),
            ("ANKARA, 01.12.2026 (AA) - Turkey said.", "ANKARA", "", "", "AA", "Turkey"),
            ("BAKU, DEC 1 (APA) - URGENT", "BAKU", "", "", "APA", "URGENT"),
            ("MOSCOW, Dec 1 – RIA Novosti. Talks.", "MOSCOW", "", "", "RIA Novosti", "Talks"),
            ("Baku, Azerbaijan, Dec. 1", "Baku", "Azerbaijan", "", "", ""),
            ("BAKU, December 1", "BAKU", "", "", "", ""),
        ],
    )
    def test_shapes(self, lead, place, region, state, agency, rest):
        dateline = wire.read_dateline(lead)
        assert (dateline.place, dateline.region, dateline.state, dateline.agency) == (
            place,
            region,
            state,
            agency,
        )
        assert lead[dateline.end :].startswith(rest)

    @pytest.mark.parametrize(
        "lead",
        [
            "Azerbaijan responded, the ministry said, with a counter-offensive.",
            "U.S. troops left the base.",
            "UPDATE: talks resumed.",
            "BREAKING – talks resumed.",
            "The minister (pictured) said - nothing.",
            "Baku is calm.",
            "x" * 100_000,
            "",
        ],
    )
    def test_not_datelines(self, lead):
        assert wire.read_dateline(lead) is None

    @pytest.mark.parametrize(
        ("copy", "agency"),
        [
            ("BAKU, Dec. 1 (Reuters) - Azerbaijan said it would talk.", "Reuters"),
            ("MOSCOW, December 1. /TASS/. The ministry said it would talk.", "TASS"),
            ("Baku, May 21, AZERTAC\n\nThe president received the envoy.", "AZERTAC"),
            ("By Trend\n\nBISHKEK (Reuters) - Talks went on.", "Trend"),
        ],
    )
    def test_the_dateline_names_the_agency_when_no_byline_does(self, copy, agency):
        assert wire.parse_text(copy).agency == agency

    def test_a_us_state_is_exposed(self):
        story = wire.parse_text("ATHENS, Ga. (AP) — A man was arrested on Tuesday.")
        assert (story.dateline, story.dateline_region, story.dateline_state) == (
            "ATHENS",
            "Ga.",
            "Georgia",
        )
        assert story.headline == "A man was arrested on Tuesday"

    def test_a_dash_after_the_place_alone(self):
        story = wire.parse_text("TEHRAN – Iran said on Monday it would talk.")
        assert story.dateline == "TEHRAN"
        assert story.headline == "Iran said on Monday it would talk"


class TestHeadlineLines:
    LEAD = "BAKU, December 1. The defense minister warned of a firm answer."

    def test_a_headline_line_above_the_text_is_the_headline(self):
        story = wire.parse_text(f"Minister warns of firm answer\n\n{self.LEAD}\n\nMore.")
        assert story.headline == "Minister warns of firm answer"
        assert story.headline_derived is False
        assert story.paragraphs == (self.LEAD, "More.")
        assert story.dateline == "BAKU"

    def test_a_dateline_on_the_line_under_the_headline(self):
        copy = "Russia and Azerbaijan discuss transit\nMOSCOW, December 1. /TASS/. Talks went on."
        story = wire.parse_text(copy)
        assert story.headline == "Russia and Azerbaijan discuss transit"
        assert story.paragraphs == ("MOSCOW, December 1. /TASS/. Talks went on.",)
        assert (story.dateline, story.agency) == ("MOSCOW", "TASS")

    @pytest.mark.parametrize(
        ("copy", "reporters", "agency", "dateline"),
        [
            pytest.param(
                "Azerbaijan, Turkmenistan discuss energy\n\nBaku, Azerbaijan, Dec. 1\n\n"
                "By Jane Doe – Trend:\n\nThe two countries discussed energy.",
                ("Jane Doe",),
                "Trend",
                "Baku",
                id="trend",
            ),
            pytest.param(
                "Azerbaijan, Turkmenistan discuss energy\n\nBaku, 1 December, AZERNEWS\n\n"
                "By Aisel Mammadova\n\nThe two countries discussed energy.",
                ("Aisel Mammadova",),
                "AZERNEWS",
                "Baku",
                id="azernews",
            ),
            pytest.param(
                "Azerbaijan, Turkmenistan discuss energy\n"
                "MOSCOW, Dec 1 – RIA Novosti. The two countries discussed energy.",
                (),
                "RIA Novosti",
                "MOSCOW",
                id="ria",
            ),
        ],
    )
    def test_a_byline_under_a_dateline_line(self, copy, reporters, agency, dateline):
        story = wire.parse_text(copy)
        assert story.headline == "Azerbaijan, Turkmenistan discuss energy"
        assert (story.reporters, story.agency, story.dateline) == (reporters, agency, dateline)
        assert story.paragraphs[-1].endswith("The two countries discussed energy.")
        assert not any(paragraph.startswith("By ") for paragraph in story.paragraphs)

    @pytest.mark.parametrize(
        ("copy", "headline", "dateline"),
        [
            ("AZERBAIJAN, US SIGN CLIMATE CHARTER\n\nBy AzerNews\n\nThey signed.", None, ""),
            (
                "RUSSIA, KAZAKHSTAN AGREE ON PIPELINE\nASTANA, December 1. /TASS/. They agreed.",
                None,
                "ASTANA",
            ),
        ],
    )
    def test_a_headline_in_capitals_is_no_dateline(self, copy, headline, dateline):
        story = wire.parse_text(copy)
        assert story.headline == copy.partition("\n")[0]
        assert story.headline_derived is False
        assert story.dateline == dateline
        assert story.agency in {"AzerNews", "TASS"}

    def test_headline_then_byline(self):
        story = wire.parse_text("Talks resume in Baku\n\nBy Jane Doe – Trend:\n\nTalks resumed.")
        assert (story.headline, story.byline) == ("Talks resume in Baku", "By Jane Doe – Trend")
        assert (story.reporters, story.agency) == (("Jane Doe",), "Trend")
        assert story.paragraphs == ("Talks resumed.",)

    @pytest.mark.parametrize(
        "copy",
        [
            "BAKU, December 1\n\nThe defense minister warned of a firm answer.",
            "BAKU, December 1\nThe defense minister warned of a firm answer.",
            "By Trend\n\nBAKU, December 1\n\nThe defense minister warned of a firm answer.",
            "Baku, Azerbaijan, Dec. 1\n\nThe defense minister warned of a firm answer.",
        ],
    )
    def test_the_dateline_is_never_the_headline(self, copy):
        story = wire.parse_text(copy)
        assert story.headline == "The defense minister warned of a firm answer"
        assert story.headline_derived is True
        assert story.dateline in {"BAKU", "Baku"}
        assert "warned of a firm answer." in story.body  # nothing lost

    @pytest.mark.parametrize(
        "copy",
        [
            "The minister spoke at length.\n\nHe left.",  # a one-line lead ends with a stop
            "the minister spoke\n\nHe left.",
            "A single line only",
        ],
    )
    def test_a_lead_is_not_a_headline(self, copy):
        story = wire.parse_text(copy)
        assert story.headline_derived is True
        assert story.body.startswith(copy.split("\n")[0])

    def test_a_dateline_with_nothing_after_it_is_refused(self):
        with pytest.raises(wire.WireError, match="no body after the dateline"):
            wire.parse_text("BAKU, December 1")


class TestCreditLines:
    def test_a_closing_credit_line_is_no_paragraph(self):
        copy = (
            "BAKU, Dec 1 (Reuters) - Azerbaijan said on Monday it would talk.\n\n"
            "Talks start next week.\n\n"
            "(Reporting by Nailia Bagirova in Baku and Felix Light; Editing by Mark Trevelyan)"
        )
        story = wire.parse_text(copy)
        assert story.paragraphs[-1] == "Talks start next week."
        assert story.credit == (
            "Reporting by Nailia Bagirova in Baku and Felix Light; Editing by Mark Trevelyan"
        )
        assert story.reporters == ()  # credit text, not a byline
        assert story.agency == "Reuters"
        assert story.dateline == "BAKU"

    def test_a_credit_line_ending_the_last_paragraph(self):
        story = wire.parse_text(
            "Talks went on. He left. (Writing by Jane Doe; Editing by John Roe)\n"
        )
        assert story.paragraphs == ("Talks went on. He left.",)
        assert story.credit == "Writing by Jane Doe; Editing by John Roe"

    def test_a_byline_names_the_reporters_before_a_credit_line(self):
        story = wire.parse_text("By Jane Doe, Trend\n\nTalks went on.\n\n(Editing by John Roe)")
        assert (story.reporters, story.agency, story.credit) == (
            ("Jane Doe",),
            "Trend",
            "Editing by John Roe",
        )

    def test_the_credit_line_counts_for_a_resend(self):
        one = wire.parse_text("Talks went on.\n\n(Reporting by Jane Doe)")
        other = wire.parse_text("Talks went on.\n\n(Reporting by John Roe)")
        assert wire.content_hash(one) != wire.content_hash(other)

    def test_a_parenthesis_in_the_text_stays(self):
        story = wire.parse_text("Talks went on (the ministry said).")
        assert story.paragraphs == ("Talks went on (the ministry said).",)
        assert story.credit == ""


class TestMalformedPlainText:
    @pytest.mark.parametrize(
        "copy",
        [
            "BAKU, Dec. 1 (Reuters) - " + "word " * 150_000,
            "Headline\r\n\r\nBAKU,\tDec. 1 (Reuters)\t-\tTalks went on.\r\n",
            "<b>BAKU</b>, Dec. 1 (Reuters) - <script>alert(1)</script> Talks.",
            "BAKU, Dec. 1 (" + "(" * 5000 + "Reuters) - Talks.",
            "By " + "Jane " * 5000 + "\n\nTalks went on.",
            ("x" * 300 + "\n\n") * 3,
            "\t\n\r\nBAKU: \n\nTalks went on.",
            "(Reporting by Jane Doe)\n\nTalks went on.",
            "'; DROP TABLE articles; --\n\nTalks went on.",
            "BAKU" + " -" * 300_000,
            "BAKU, " + "Dec. 1 " * 100_000,
            "MOSCOW, December 1. " + "/" * 500_000,
            "Talks. " + "(Reporting by Jane Doe; " * 30_000 + ")",
        ],
    )
    def test_nothing_crashes_and_nothing_is_lost(self, copy):
        story = wire.parse_text(copy)
        # A credit line's parentheses are its frame, not its words.
        kept = " ".join([story.headline, story.body, story.byline, story.credit])
        words = {word.strip("()") for word in kept.split()}
        assert {word.strip("()") for word in wire.normalize(copy).split()} - {""} <= words
        assert story.headline.strip()
        assert story.text == copy

    def test_crlf_and_tabs_read_like_lf_and_spaces(self):
        plain = wire.parse_text("Talks resume\n\nBAKU, Dec. 1 (Reuters) - Talks went on.")
        messy = wire.parse_text("Talks resume\r\n\r\nBAKU,\tDec. 1\t(Reuters) -\tTalks went on.")
        assert (messy.headline, messy.paragraphs, messy.dateline, messy.agency) == (
            plain.headline,
            plain.paragraphs,
            plain.dateline,
            plain.agency,
        )


class TestStructuredDatelines:
    def test_ninjs_located_with_a_us_state(self):
        story = wire.parse(
            json.dumps({"uri": "urn:x", "located": "Athens, Ga.", "body_text": "A man was held."})
        )
        assert (story.dateline, story.dateline_region, story.dateline_state) == (
            "Athens",
            "Ga.",
            "Georgia",
        )

    def test_ninjs_located_with_a_country(self):
        story = wire.parse(
            json.dumps({"uri": "urn:x", "located": "Baku, Azerbaijan", "body_text": "Talks."})
        )
        assert (story.dateline, story.dateline_region, story.dateline_state) == (
            "Baku",
            "Azerbaijan",
            "",
        )

    def test_ninjs_without_located_reads_the_lead(self):
        body = "ATHENS, Ga. (AP) — A man was held."
        story = wire.parse(json.dumps({"uri": "urn:x", "body_text": body}))
        assert (story.dateline, story.dateline_state) == ("ATHENS", "Georgia")

    def test_nitf_location_city_and_state(self):
        story = wire.parse(
            "<nitf><body><body.head><dateline><location><city>Athens</city><state>GA</state>"
            "</location></dateline></body.head><body.content><p>A man was held.</p>"
            "</body.content></body></nitf>"
        )
        assert (story.dateline, story.dateline_region, story.dateline_state) == (
            "Athens",
            "GA",
            "Georgia",
        )


class TestReportedBy:
    @pytest.mark.parametrize(
        ("lead", "agency"),
        [
            ("Pezeshkian will visit Baku next week, APA reports citing the ministry.", "APA"),
            ("Azerbaijan and Turkmenistan discussed energy, Trend reports.", "Trend"),
            ("Trend reported on Monday that talks resumed.", "Trend"),
            ("Talks went on, the Ministry reported.", ""),
            ("The ministry reports nothing new.", ""),
            ("Talks went on.", ""),
            ("x" * 100_000 + ", APA reports.", ""),
        ],
    )
    def test_the_agency_the_lead_names(self, lead, agency):
        assert wire.reported_by(lead) == agency

    def test_a_byline_or_dateline_agency_comes_first(self):
        story = wire.parse_text("TEHRAN (IRNA) – Talks went on, APA reports.")
        assert (story.agency, story.reported_by) == ("IRNA", "APA")
