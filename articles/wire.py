"""Agency copy in, plain data out: parsing and fingerprinting of wire stories.

Everything here is a pure function over bytes, strings and plain data, so the
parsing rules can be tested without a database; a thin wrapper elsewhere turns a
``WireStory`` into a draft Article and resolves ``agency`` to a Source.

Wire copy is untrusted input from outside the newsroom. Every failure is a
``WireError`` whose message an editor can act on, XML is parsed only by
defusedxml with entity declarations and external references refused (a
billion-laughs file or an external entity is rejected before any expansion or
file read), and fields from ninjs and
NITF are reduced to plain text, because nothing an agency typed may reach a page
as markup.

Agencies re-send stories: the same text with different line endings, and
corrected or extended versions. ``content_hash`` recognises the first kind
exactly; ``shingles``/``similarity`` and ``minhash_bands`` recognise the second.
"""

import hashlib
import html.parser
import itertools
import json
import re
import unicodedata
from dataclasses import dataclass
from datetime import datetime

import defusedxml
import defusedxml.ElementTree

from articles.text import BOM, normalize
from articles.text import paragraphs as split_paragraphs
from articles.us_states import US_STATE_NAMES

# A long agency feature is ~50 KB; a megabyte is far beyond any story and keeps
# a hostile upload from tying up a worker.
MAX_WIRE_BYTES = 1_000_000
# What search engines show of a headline (Google's NewsArticle: 110 characters): a
# stand-in headline is cut to it, and the desk warns past it.
HEADLINE_MAX_LENGTH = 110
# Three-word shingles: single words match across unrelated stories on the same
# beat ("Azerbaijani", "troops"), longer shingles make a one-word correction
# change too many of them. With three, correcting "20 percent" to "25 percent"
# changes three shingles out of hundreds.
SHINGLE_SIZE = 3
# An update (an added paragraph, a corrected figure, a reworded lead) keeps well
# over 60% of the shorter version's shingles; two different stories on the same
# subject share only stock phrases, typically under 10%.
SIMILARITY_THRESHOLD = 0.6


# More than this share of control characters is a binary file that happens to
# decode as UTF-8; real copy has none besides tabs and line breaks.
BINARY_CONTROL_SHARE = 0.1
CONTROL_CHARACTERS = re.compile(r"[\x01-\x08\x0b\x0e-\x1f\x7f-\x9f]")

# "By Trend", "BY AZERTAC", "By Jane Doe, Trend", "By Jane Doe – Trend:".
BYLINE = re.compile(r"by\s+(?P<credited>\S.*)", re.IGNORECASE)
BYLINE_MAX_LENGTH = 80
# "Jane Doe – Trend": the agency after a spaced dash, as Trend credits its reporters
# (a hyphen inside a name, "Jean-Paul", has no spaces around it).
AGENCY_AFTER_DASH = re.compile(r"\s+(?:—|–|--|-)\s+")
# Between the reporters of one byline: "Jane Doe and John Roe", "Jane Doe, John Roe & Ali Veli".
BETWEEN_REPORTERS = re.compile(r"\s*,\s*|\s+(?:and|&)\s+", re.IGNORECASE)
# Words in organisations' names, never in people's: "Caspian Wire" is an agency.
ORGANISATION_WORDS = frozenset(
    "the agency agence news newswire wire press media service services times post daily "
    "weekly radio tv television network bureau group channel journal gazette herald tribune "
    "telegraph observer report reports online info information international broadcasting "
    "corporation company ministry office committee council government".split()
)
# The lower-case parts of people's names: "Ursula von der Leyen", "Ahmad bin Ali", "al-Hassan".
NAME_PARTICLES = frozenset(
    "al bin ibn bint da das de del della der di dos du el la le ter van von y".split()
)
NAME_WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")  # letters, inner apostrophes, hyphens
INITIAL = re.compile(r"[^\W\d_]\.?")

WORD = re.compile(r"\w+")
SENTENCE_END = re.compile(r"[.!?]+[\"'”’)\]]*(?=\s|$)")
DOTTED_ACRONYM = re.compile(r"(?:[^\W\d_]\.)+[^\W\d_]")
# Words before a full stop that do not end a sentence: months, ranks and titles
# as wire copy abbreviates them, and the usual company and address forms.
ABBREVIATIONS = frozenset(
    {
        *("jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec"),
        *("mr", "mrs", "ms", "dr", "prof", "rev", "hon", "pres", "gov", "sen", "rep"),
        *("gen", "col", "lt", "maj", "capt", "cpt", "sgt", "adm", "cmdr"),
        *("st", "mt", "ft", "jr", "sr", "inc", "corp", "ltd", "co", "bros"),
        *("no", "nos", "vs", "approx", "art"),
    }
)
# A headline cut at the limit should not end on a word that promises more.
DANGLING_WORDS = frozenset(
    {"a", "an", "the", "of", "on", "in", "at", "to", "into", "for", "and", "or", "but"}
    | {"with", "by", "from", "as", "that"}
)
DATELINE_PUNCTUATION = frozenset(" -'’")
DATELINE_MAX_LENGTH = 40
# "BAKU, Azerbaijan, Oct. 6 (Trend) — The minister..." : the lead starts after the dash.
DATELINE_DASH = re.compile(r"\s(?:—|–|--)\s")
# A dateline ended by the date's own full stop: "BAKU, December 1. The minister…",
# "MOSCOW, Dec. 1. /TASS/. The ministry…", "Baku, May 21, 2021. …".
MONTH = r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?"
DATELINE_WITH_DATE = re.compile(
    rf"[^,]{{2,{DATELINE_MAX_LENGTH}}}(?:,[^,.]{{1,30}})?,\s*{MONTH}\s+\d{{1,2}}(?:,\s*\d{{4}})?"
    r"\.(?:\s*/[^/\s]{1,20}/\.?)?\s+"
)

# Datelines, as agencies write them at the head of the lead (see ``read_dateline``):
# "BAKU, Dec. 1 (Reuters) -", "BAKU:", "TEHRAN –", "BISHKEK (Reuters) -",
# "Baku, May 21, AZERTAC", "MOSCOW, December 1. /TASS/.", "ATHENS, Ga. (AP) —".
MONTH_NAME = (
    r"(?i:January|February|March|April|May|June|July|August|September|October|November"
    r"|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\.?"
)
WEEKDAY = (
    r"(?i:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday"
    r"|Mon|Tue|Tues|Wed|Thu|Thurs|Fri|Sat|Sun)\.?,?\s+"
)
DATE = (
    rf"(?:{WEEKDAY})?(?:{MONTH_NAME}\s+\d{{1,2}}(?:st|nd|rd|th)?(?:,?\s+\d{{4}})?"
    rf"|\d{{1,2}}\s+{MONTH_NAME}(?:,?\s+\d{{4}})?|\d{{4}}-\d{{2}}-\d{{2}}|\d{{1,2}}[./]\d{{1,2}}[./]\d{{2,4}})"
)
PLACE_WORD = r"[^\W\d_]+(?:['’.-][^\W\d_]+)*\.?"


def _dateline_pattern(*, agency_words):
    """A dateline's shape; ``agency_words`` for an agency named after a comma ("Baku,
    May 21, AZERTAC") or, after a date, a dash ("MOSCOW, Dec 1 – RIA Novosti.")."""
    words = r"[^\W\d_][\w&'’.-]*(?:\ [^\W\d_][\w&'’.-]*){0,2}?"
    after_comma = (
        rf"(?:,\s*(?P<after_comma>{words})(?=\s*(?:[.:]|—|–|--|-|$)))?"
        if agency_words
        else "(?P<after_comma>(?!))?"
    )
    after_dash = (
        rf"(?:(?<=\d)\s*(?:—|–|--|-)\s*(?P<after_dash>{words})(?=\.\s))?"
        if agency_words
        else "(?P<after_dash>(?!))?"
    )
    return re.compile(
        rf"""
        (?P<place>{PLACE_WORD}(?:\ {PLACE_WORD}){{0,3}})
        (?:,\s*(?P<region>(?!{MONTH_NAME}\s+\d|{WEEKDAY}){PLACE_WORD}(?:\ {PLACE_WORD}){{0,2}}))?
        (?:,?\s+(?P<date>{DATE}))?
        (?:\s*\((?P<in_parentheses>[^()\n]{{1,40}})\))?
        {after_comma}
        {after_dash}
        (?:\.?\s*/(?P<in_slashes>[^/\s]{{1,20}})/)?
        (?P<end>\s*(?:—|–|--|-)\s*|:\s+|\.\s+|\.?\s*$)
        """,
        re.VERBOSE,
    )


DATELINE = _dateline_pattern(agency_words=True)
# For "BAKU, Dec. 1, President Aliyev said…": what follows the date's comma is the lead.
DATELINE_WITHOUT_AGENCY = _dateline_pattern(agency_words=False)
# Words agencies put before a colon or dash at the top of the lead that are no place.
NOT_PLACES = frozenset(
    "update urgent breaking flash alert note correction corrected editors advisory exclusive "
    "analysis interview factbox explainer wrapup refile repeat adds recasts".split()
)
# A headline line is short and ends without a sentence's or a clause's punctuation.
HEADLINE_LINE_MAX_LENGTH = 250
# "(Reporting by Nailia Bagirova; Editing by Mark Trevelyan)" closing Reuters copy:
# who wrote and edited it, no part of the story's text.
CREDIT_LINE = re.compile(
    r"\((?P<credit>(?:additional\s+)?(?:reporting|writing|editing|compiled|reported|"
    r"translated|production|graphics)\s+by\b[^()]*)\)\s*$",
    re.IGNORECASE,
)

# "…next week, APA reports citing the ministry": the agency the lead says it is.
REPORTED_BY = re.compile(
    r"(?:^|,\s+)(?P<agency>[^\W\d_][\w.&'’-]*(?:\ [^\W\d_][\w.&'’-]*){0,2})"
    r"\s+(?:reports|reported)\b"
)


TAG_LIKE = re.compile(r"<[A-Za-z/!?]")
INVISIBLE_ELEMENTS = frozenset({"script", "style", "template"})
HTML_BLOCK_ELEMENTS = frozenset(
    {"div", "section", "article", "blockquote", "pre", "table", "tr", "hr", "ul", "ol", "li"}
    | {"h1", "h2", "h3", "h4", "h5", "h6"}
)


# Pictures one piece of copy may bring; an agency story has a handful at most.
MAX_PICTURES = 20
# What ninjs calls the lead picture of a story.
FEATURE_IMAGE = "featureimage"


@dataclass(frozen=True)
class Dateline:
    """What a dateline says: the place as written ("BAKU", "Athens"), the region after it
    ("Azerbaijan", "Ga."), the US state that region is, the agency it names ("Reuters",
    "TASS") and where the lead's own text starts after it (``end``)."""

    place: str
    region: str = ""
    state: str = ""
    agency: str = ""
    end: int = 0


class WireError(ValueError):
    """Copy that cannot become a story; ``str(error)`` says why, for the editor."""


@dataclass(frozen=True)
class Credit:
    """Who a byline names: the agency that sent the story, and the other names it gives,
    the reporters who wrote it as far as the byline's shape tells."""

    reporters: tuple[str, ...]
    agency: str


@dataclass(frozen=True)
class WirePicture:
    """A picture the copy names: where its file is, and what the agency says about it.

    ``reference`` is as the copy wrote it (a file name, a relative path or an
    address); the intake finds the file beside the copy and never fetches it.
    """

    reference: str
    caption: str = ""
    credit: str = ""
    copyright: str = ""
    is_lead: bool = False


@dataclass(frozen=True)
class WireStory:
    """One wire item, the same shape whatever format it came in.

    ``text`` is the copy verbatim, so the article keeps what the agency actually sent.
    ``agency`` and ``reporters`` are who the byline names (``read_byline``).
    """

    format: str
    headline: str
    headline_derived: bool
    byline: str
    agency: str
    reporters: tuple[str, ...]
    dateline: str
    paragraphs: tuple[str, ...]
    summary: str
    agency_id: str
    sent_at: datetime | None
    text: str
    pictures: tuple[WirePicture, ...] = ()
    # The agency's subject names (ninjs ``subject``; NITF ``tobject.subject``, then
    # ``pubdata``'s section), for the section the desk proposes (``propose_section``).
    subjects: tuple[str, ...] = ()
    # What the dateline says besides its place: "Ga." in "ATHENS, Ga. (AP) —", and the
    # US state that is ("Georgia"), so the desk links the American city or none.
    dateline_region: str = ""
    dateline_state: str = ""
    # The closing credit line, "Reporting by …; Editing by …", out of the paragraphs.
    credit: str = ""
    # The agency the lead names as reporting it ("…, Trend reports."): only a hint, for
    # the intake to use when it is a source it knows.
    reported_by: str = ""

    @property
    def body(self):
        return "\n\n".join(self.paragraphs)


def decode(data):
    """The text of ``data``, or a ``WireError`` saying why it is not wire copy."""
    if len(data) > MAX_WIRE_BYTES:
        raise WireError(f"too large: {len(data):,} bytes, the limit is {MAX_WIRE_BYTES:,} bytes")
    if not data:
        raise WireError("empty: no bytes received")
    if b"\x00" in data:
        raise WireError("binary data, not text (contains NUL bytes)")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise WireError(f"not UTF-8 text (invalid byte at offset {error.start})") from None
    text = text.removeprefix(BOM)
    if not text.strip():
        raise WireError("empty: only whitespace")
    if len(CONTROL_CHARACTERS.findall(text)) > len(text) * BINARY_CONTROL_SHARE:
        raise WireError("binary data, not text (mostly control characters)")
    return text


def parse(data):
    """Parse wire copy in any supported format, recognised by its content.

    File names and content types lie (agencies send ninjs as ``.txt``), the first
    character does not. Strings get the same checks as bytes.
    """
    if isinstance(data, str):
        data = data.encode("utf-8", "surrogatepass")
    text = decode(data)
    start = text.lstrip()[:1]
    if start == "{":
        return parse_ninjs(text)
    if start == "<":
        return parse_nitf(text)
    if start == "[":
        # A story may open with "[UPDATE]"; only well-formed JSON is refused.
        try:
            json.loads(text)
        except (ValueError, RecursionError):
            return parse_text(text)
        raise WireError("JSON array, not a ninjs object")
    return parse_text(text)


def parse_text(text):
    """Plain agency copy: an optional headline line and "By …" line, then paragraphs, the
    first perhaps led by a dateline and the last perhaps a credit line."""
    text = text.removeprefix(BOM)
    byline, headline, rest = _read_head(normalize(text))
    paragraphs = split_paragraphs(rest)
    paragraphs, credit = _without_credit_line(paragraphs)
    if not paragraphs:
        raise WireError("no body")
    dateline = dateline_of(paragraphs[0])
    if len(paragraphs) == 1 and dateline and dateline.end >= len(paragraphs[0]):
        raise WireError(f"no body after the dateline “{paragraphs[0][: DATELINE_MAX_LENGTH * 2]}”")
    credited = read_byline(byline)
    return WireStory(
        format="text",
        headline=headline or derive_headline(paragraphs),
        headline_derived=not headline,
        byline=byline,
        agency=credited.agency or (dateline.agency if dateline else ""),
        reporters=credited.reporters,
        dateline=dateline.place if dateline else "",
        paragraphs=tuple(paragraphs),
        summary="",
        agency_id="",
        sent_at=None,
        text=text,
        dateline_region=dateline.region if dateline else "",
        dateline_state=dateline.state if dateline else "",
        credit=credit,
        reported_by=reported_by(paragraphs[0]),
    )


def reported_by(lead):
    """The agency a lead says reports it: "…, APA reports citing…", "Trend reported." """
    lead = lead[: HEADLINE_LINE_MAX_LENGTH * 4]  # the lead's first sentences are enough
    for match in REPORTED_BY.finditer(lead):
        if _capitalised(match["agency"]) and match["agency"].casefold() not in DANGLING_WORDS:
            return match["agency"]
    return ""


def _read_head(normalized):
    """The byline and headline lines at the top of the copy, and the text after them.

    A headline is a short line standing alone above the text (or directly above its
    dateline, as TASS and RIA file); a dateline is never one. A byline may come
    before or after it, or under a dateline on a line of its own (as Trend files:
    headline, "Baku, Azerbaijan, Dec. 1", "By Jane Doe – Trend:"). That dateline
    stays the first paragraph, never a wrap of the lead under it.
    """
    byline = headline = dateline = ""
    rest = normalized
    while True:
        line, _, after = rest.partition("\n")
        alone = after.startswith("\n") or not after
        if not byline and _is_byline(line, alone=alone):
            # The colon of "By Jane Doe – Trend:" introduces the text; it is no part of it.
            byline = " ".join(line.split()).removesuffix(":")
        elif not (headline or byline or dateline) and _is_headline(line, alone=alone, after=after):
            headline = " ".join(line.split())
        elif not dateline and after.strip() and _is_dateline_alone(line):
            dateline = line
        else:
            break
        rest = after.lstrip("\n")
    return byline, headline, f"{dateline}\n\n{rest}" if dateline else rest


def _is_dateline_alone(line):
    dateline = read_dateline(line)
    return dateline is not None and dateline.end >= len(line)


def _is_headline(line, *, alone, after):
    line = line.strip()
    if not line or not after.strip() or len(line) > HEADLINE_LINE_MAX_LENGTH:
        return False
    if line.rstrip("\"'”’)»")[-1:] in {".", ",", ";", ":", ""} or line[0].islower():
        return False
    # "BAKU, December 1" is a dateline; "AZERBAIJAN, US SIGN CHARTER" a headline in capitals.
    if read_dateline(line) or BYLINE.fullmatch(line):
        return False
    if alone:
        return True
    following = after.partition("\n")[0]
    return bool(read_dateline(following)) or _is_byline(following, alone=True)


def _without_credit_line(paragraphs):
    """The paragraphs without a closing "(Reporting by …; Editing by …)", and its text."""
    if not paragraphs or not (match := CREDIT_LINE.search(paragraphs[-1])):
        return paragraphs, ""
    before = paragraphs[-1][: match.start()].rstrip()
    kept = [*paragraphs[:-1], before] if before else paragraphs[:-1]
    return kept, " ".join(match["credit"].split())


def parse_ninjs(text):
    """IPTC ninjs, both generations.

    Property names follow the IPTC schemas ninjs-schema_1.4.json (``headline``,
    ``byline``, ``body_text``/``body_html``/``body_xhtml``, ``description_*``) and
    ninjs-schema_2.1.json (``headlines``, ``bodies``, ``descriptions`` as lists of
    ``{"value", "role", "contenttype"}``, and ``by``). ``uri``, ``located``,
    ``versioncreated``, ``firstcreated`` and ``copyrightholder`` are common to both.
    """
    text = text.removeprefix(BOM)
    try:
        document = json.loads(text)
    except json.JSONDecodeError as error:
        raise WireError(
            f"malformed JSON ({error.msg} at line {error.lineno}, column {error.colno})"
        ) from None
    except RecursionError:
        raise WireError("malformed JSON (nested too deeply)") from None
    except ValueError as error:
        raise WireError(f"malformed JSON ({error})") from None
    if not isinstance(document, dict):
        raise WireError(f"JSON {_json_kind(document)}, not a ninjs object")
    uri = document.get("uri")
    if not isinstance(uri, str) or not uri.strip():
        raise WireError("not ninjs: no uri, the one property ninjs requires")

    paragraphs = _ninjs_paragraphs(document)
    if not paragraphs:
        raise WireError("no body")
    headline = _ninjs_headline(document)
    byline = _plain(_string(document, "by") or _string(document, "byline"))
    dateline = _located(_plain(_string(document, "located"))) or dateline_of(paragraphs[0])
    credit = read_byline(byline)
    return WireStory(
        format="ninjs",
        headline=headline or derive_headline(paragraphs),
        headline_derived=not headline,
        byline=byline,
        agency=credit.agency or _plain(_string(document, "copyrightholder")),
        reporters=credit.reporters,
        dateline=dateline.place if dateline else "",
        dateline_region=dateline.region if dateline else "",
        dateline_state=dateline.state if dateline else "",
        paragraphs=tuple(paragraphs),
        summary=_ninjs_summary(document),
        agency_id=uri.strip(),
        sent_at=_aware_datetime(document.get("versioncreated"))
        or _aware_datetime(document.get("firstcreated")),
        text=text,
        pictures=_ninjs_pictures(document.get("associations")),
        subjects=_ninjs_subjects(document.get("subject")),
    )


def parse_nitf(text):
    """NITF 3.x, with or without its default namespace."""
    text = text.removeprefix(BOM)
    root = _parse_xml(text)
    _strip_namespaces(root)
    if root.tag != "nitf":
        raise WireError(f"XML that is not NITF (the root element is <{root.tag}>)")
    _drop_invisible_elements(root)
    pictures = _nitf_pictures(root)  # and out of the text: a caption is no paragraph

    paragraphs = [
        paragraph
        for element in root.iterfind("body/body.content//p")
        if (paragraph := _element_text(element))
    ]
    if not paragraphs:
        raise WireError("no body")
    headline = _element_text(root.find("body/body.head/hedline/hl1")) or _element_text(
        root.find("head/title")
    )
    byline = _element_text(root.find("body/body.head/byline"))
    copyright_holder = _plain(_attribute(root.find("head/docdata/doc.copyright"), "holder"))
    credit = read_byline(byline)
    dateline = _nitf_dateline(root.find("body/body.head/dateline")) or dateline_of(paragraphs[0])
    return WireStory(
        format="nitf",
        headline=headline or derive_headline(paragraphs),
        headline_derived=not headline,
        byline=byline,
        agency=credit.agency
        or copyright_holder
        or _element_text(root.find("body/body.head/distributor")),
        reporters=credit.reporters,
        dateline=dateline.place if dateline else "",
        dateline_region=dateline.region if dateline else "",
        dateline_state=dateline.state if dateline else "",
        paragraphs=tuple(paragraphs),
        summary=_element_text(root.find("body/body.head/abstract")),
        agency_id=_plain(_attribute(root.find("head/docdata/doc-id"), "id-string")),
        sent_at=_aware_datetime(_attribute(root.find("head/docdata/date.issue"), "norm")),
        text=text,
        pictures=pictures,
        subjects=_nitf_subjects(root),
    )


def read_byline(byline):
    """Who a byline names: ``Credit(reporters, agency)``, either part possibly empty.

    "By Trend" names an agency; "By Jane Doe, Trend" and "By Jane Doe – Trend:" a
    reporter and the agency last; "By Jane Doe" or "By Jane Doe and John Roe"
    reporters alone. A byline without "By" (ninjs's ``by``) reads the same. Where
    the shape could be either, ``looks_like_a_person`` tells: "By Caspian Wire" and
    "By Jane Doe, Caspian Wire" name an agency, "By Jane Doe, John Roe" two
    reporters. The intake settles a name the newsroom knows by its record.
    """
    match = BYLINE.fullmatch(byline.strip())
    credited = (match["credited"] if match else byline).strip().removesuffix(":").strip()
    dashes = list(AGENCY_AFTER_DASH.finditer(credited))
    if dashes:
        names, agency = credited[: dashes[-1].start()], credited[dashes[-1].end() :]
    else:
        names, _, agency = credited.rpartition(",")
        if not names:
            names, agency = agency, ""
    agency = agency.strip()
    if agency and _are_people(agency):
        names, agency = f"{names}, {agency}", ""
    reporters = _names(names)
    if len(reporters) == 1 and not agency and not looks_like_a_person(reporters[0]):
        return Credit((), reporters[0])  # a lone agency: "By Trend", "By Caspian Wire"
    # Several names are never one agency: the intake looks each one up.
    return Credit(reporters, agency)


def looks_like_a_person(name):
    """Whether ``name`` reads as a person's name: two to five capitalised words (or
    initials, or particles such as "von"), none in capitals (an acronym) and none that
    organisations' names use ("Wire", "News").

    Only a guess, for a byline naming someone the newsroom has no record of: it
    decides whether an unknown name becomes an agency (a new source for review) or
    stays credit text, and a person's name must never become a source.
    """
    words = name.split()
    if not 2 <= len(words) <= 5:
        return False
    full_words = 0
    for word in words:
        if word.casefold() in ORGANISATION_WORDS:
            return False
        if word in NAME_PARTICLES:
            continue
        if INITIAL.fullmatch(word):
            if not word[0].isupper():
                return False
            continue
        particle, _, rest = word.partition("-")
        core = rest if rest and particle in NAME_PARTICLES else word
        if not NAME_WORD.fullmatch(core) or not core[0].isupper() or core.isupper():
            return False
        full_words += 1
    return full_words >= 1


def _names(text):
    return tuple(name for name in BETWEEN_REPORTERS.split(text.strip()) if name)


def _are_people(text):
    names = _names(text)
    return bool(names) and all(looks_like_a_person(name) for name in names)


def derive_headline(paragraphs):
    """A stand-in headline from the lead: its first sentence, cut to fit.

    Only a stand-in: stories arrive without one, the article needs one to be
    saved, and ``headline_derived`` tells the editor to write a real one.
    """
    # A dateline alone on its line is no lead: "BAKU, December 1" is never the headline.
    leads = [" ".join(p.split()) for p in paragraphs]
    lead = next((lead for lead in map(_without_dateline, leads) if _has_words(lead)), "")
    # Copy that is all dateline and punctuation still needs a headline: its first line.
    sentence = _first_sentence(lead or next((lead for lead in leads if lead), ""))
    if sentence.endswith(".") and not _is_abbreviation(sentence.rsplit(" ", 1)[-1]):
        sentence = sentence[:-1]
    if len(sentence) <= HEADLINE_MAX_LENGTH:
        return sentence
    cut = sentence[: HEADLINE_MAX_LENGTH + 1]
    words = cut.rsplit(" ", 1)[0].split(" ") if " " in cut else [cut[:HEADLINE_MAX_LENGTH]]
    while len(words) > 1 and words[-1].lower().strip(",;:—–-") in DANGLING_WORDS:
        words.pop()
    return " ".join(words).rstrip(" ,;:—–-")


def _has_words(text):
    return any(character.isalnum() for character in text)


def _without_dateline(lead):
    """The lead after its dateline ("BAKU, Oct. 6 (Trend) — The minister…" → "The minister…").

    A dateline is never the headline: cut at the dash, or at the date's full stop.
    """
    if dateline := read_dateline(lead):
        return lead[dateline.end :]
    if not _dateline_of(lead):
        return lead
    if dash := DATELINE_DASH.search(lead, 0, DATELINE_MAX_LENGTH * 2):
        return lead[dash.end() :]
    if dated := DATELINE_WITH_DATE.match(lead):
        return lead[dated.end() :]
    return lead


def content_hash(story):
    """Identifies a re-send of the same story, whatever format or whitespace it came in.

    Only what the agency wrote counts: a derived headline is our own guess, and
    dateline, agency and summary are read from the fields hashed here anyway.
    NFC makes a re-send in decomposed Unicode hash the same.
    """
    fields = [
        story.byline,
        "" if story.headline_derived else story.headline,
        list(story.paragraphs),
    ]
    canonical = json.dumps(
        # The credit line only when there is one, so older copy keeps its hash.
        [*fields, story.credit] if story.credit else fields,
        ensure_ascii=False,
        separators=(",", ":"),
    )
    return hashlib.sha256(unicodedata.normalize("NFC", canonical).encode()).hexdigest()


def shingles(text, size=SHINGLE_SIZE):
    """The story's overlapping ``size``-word runs, as stable 64-bit ints.

    blake2b rather than ``hash()``, which is salted per process: shingles and the
    bands built from them are compared across workers and stored.
    """
    if size < 1:
        raise ValueError("A shingle has at least one word.")
    words = WORD.findall(unicodedata.normalize("NFC", text).lower())
    if len(words) < size:
        return frozenset({_hash64(" ".join(words))}) if words else frozenset()
    return frozenset(
        _hash64(" ".join(words[start : start + size])) for start in range(len(words) - size + 1)
    )


def similarity(a, b):
    """The share of the shorter text's shingles that the other text has too.

    The overlap coefficient rather than Jaccard: an update that adds three
    paragraphs to a short first take keeps every shingle of it, but Jaccard
    would fall with each added paragraph. Two empty texts are not alike.
    """
    if not a or not b:
        return 0.0
    return len(a & b) / min(len(a), len(b))


def minhash_bands(shingle_set, *, bands=16, rows=2):
    """Locality-sensitive keys: similar stories share a key, unrelated ones rarely do.

    Comparing a new story with every stored one does not scale; looking up its
    band keys in an index does. Two stories share a band with probability
    1 - (1 - J**rows)**bands for Jaccard J: with 16 bands of 2 rows that is 0.999
    at J = 0.6, 0.78 at J = 0.3 and under 0.02 at J = 0.03, so the candidates
    are few and ``similarity`` decides.

    One-permutation MinHash: shingles are already uniform 64-bit hashes, so each
    falls into one of bands*rows buckets and each bucket keeps its minimum, one
    pass instead of one per hash function (a story is hashed in well under a
    millisecond). An empty bucket borrows the minimum of the next filled one,
    tagged with the distance, so two short stories still agree where they should
    (rotation densification, Shrivastava and Li, 2014). Nothing is seeded per
    process, so keys are comparable across workers and runs.
    """
    if bands < 1 or rows < 1:
        raise ValueError("MinHash needs at least one band of at least one row.")
    if not shingle_set:
        return []
    size = bands * rows
    minimums = [None] * size
    for shingle in shingle_set:
        bucket, value = shingle % size, shingle // size
        if minimums[bucket] is None or value < minimums[bucket]:
            minimums[bucket] = value
    signature = []
    for bucket in range(size):
        distance = 0
        while minimums[(bucket + distance) % size] is None:
            distance += 1
        # value < 2**64 / size, so the distance fits above it in 72 bits.
        signature.append(minimums[(bucket + distance) % size] + (distance << 64))
    keys = []
    for band in range(bands):
        band_rows = signature[band * rows : (band + 1) * rows]
        digest = hashlib.blake2b(
            b"".join(value.to_bytes(9, "big") for value in band_rows), digest_size=8
        )
        keys.append(f"{band:02d}:{digest.hexdigest()}")
    return keys


def _hash64(text):
    return int.from_bytes(hashlib.blake2b(text.encode(), digest_size=8).digest(), "big")


def _is_byline(line, *, alone):
    """A "By ..." first line, not a lead that happens to start with "By noon"."""
    match = BYLINE.fullmatch(line.strip())
    if not match or len(line) > BYLINE_MAX_LENGTH:
        return False
    # A colon ends "By Jane Doe – Trend:"; other closing punctuation ends a sentence.
    last = line.rstrip()[-1]
    if last in ".!?;," or (last == ":" and not AGENCY_AFTER_DASH.search(line)):
        return False
    names = match["credited"].split()
    return alone or all(not name[0].isalpha() or name[0].isupper() for name in names)


def read_dateline(text):
    """The ``Dateline`` leading ``text`` in one of the shapes agencies file, or None.

    "BAKU, Dec. 1 (Reuters) -", "BAKU:", "TEHRAN –", "BISHKEK (Reuters) -",
    "Baku, May 21, AZERTAC", "MOSCOW, December 1. /TASS/.", "ATHENS, Ga. (AP) —", or
    such a dateline alone on its line. A place in capitals needs only the dash or
    colon after it; one in title case also a date or an agency, so "Azerbaijan
    responded, …" is a sentence.
    """
    text = text[: HEADLINE_LINE_MAX_LENGTH * 2]  # a dateline is short; a huge line is not one
    match = DATELINE.match(text)
    named = match and (match["after_comma"] or match["after_dash"])
    if named and not _capitalised(named):
        match = DATELINE_WITHOUT_AGENCY.match(text)
    if not match:
        return None
    place, region = match["place"].rstrip("."), match["region"] or ""
    if len(place) > DATELINE_MAX_LENGTH or place.casefold() in NOT_PLACES:
        return None
    if region and not _capitalised(region):
        return None
    agency = (
        match["in_parentheses"]
        or match["in_slashes"]
        or match["after_comma"]
        or match["after_dash"]
        or ""
    )
    evidence = bool(match["date"] or agency)
    capitals = place.isupper() and sum(character.isalpha() for character in place) >= 3
    if not capitals and not (evidence and _capitalised(place)):
        return None
    end = match["end"].strip()
    at_end = match.end() >= len(text.rstrip())
    if (
        end == "."
        and not at_end
        and not (
            match["date"] or match["after_comma"] or match["after_dash"] or match["in_slashes"]
        )
    ):
        return None  # "U.S. troops…": a full stop ends a dateline only after its date
    if at_end and not end and not (region or evidence):
        return None  # a word alone on its line is a headline, not a dateline
    return Dateline(
        place=place,
        region=region,
        state=US_STATE_NAMES.get(region.casefold(), ""),
        agency=" ".join(agency.split()),
        end=match.end(),
    )


def dateline_place(story, resolve, parent_names):
    """The place the story's dateline names: ``resolve(name)`` gives a place's id or None,
    ``parent_names(id)`` the names and aliases of that place's parent (none if it has none).

    A dateline with a US state ("ATHENS, Ga.") names an American city: only a place
    held as that city in that state ("Athens, Ga." or "Athens, Georgia" by name or
    alias, or an Athens whose parent is called so), never the capital sharing its name.
    """
    if not story.dateline:
        return None
    if not story.dateline_state:
        return resolve(story.dateline)
    states = {story.dateline_region, story.dateline_state}
    for state in states:
        if (found := resolve(f"{story.dateline}, {state}")) is not None:
            return found
    found = resolve(story.dateline)
    if found is None:
        return None
    held = {name.casefold() for name in parent_names(found)}
    return found if any(state.casefold() in held for state in states) else None


def dateline_of(paragraph):
    """The dateline leading a paragraph: a full shape (``read_dateline``), else a place in
    capitals before a comma ("BAKU, the ministry said…"), whose lead start is unknown."""
    if dateline := read_dateline(paragraph):
        return dateline
    return Dateline(place) if (place := _dateline_of(paragraph)) else None


def _capitalised(words):
    """Whether every word of a name starts with a capital (particles aside)."""
    return all(
        word[0].isupper() or not word[0].isalpha() or word in NAME_PARTICLES
        for word in words.split()
    )


def _dateline_of(paragraph):
    """The place in "BAKU, Azerbaijan, Oct. 6 (Trend) — ...", or "".

    Only an all-capitals first token counts, so "Azerbaijan responded, ..." is a
    sentence, not a dateline.
    """
    token, comma, _ = paragraph.partition(",")
    if not comma or len(token) > DATELINE_MAX_LENGTH or token != token.strip():
        return ""
    letters = sum(character.isalpha() for character in token)
    if letters < 3 or not token.isupper():
        return ""
    if not all(c.isalpha() or c in DATELINE_PUNCTUATION for c in token):
        return ""
    return token


def _first_sentence(text):
    for match in SENTENCE_END.finditer(text):
        # The word before the stop, found without copying the text before it each time.
        word = text[text.rfind(" ", 0, match.start() + 1) + 1 : match.start() + 1]
        if match.group() == "." and _is_abbreviation(word):
            continue
        return text[: match.end()]
    return text


def _is_abbreviation(word):
    """Whether the full stop ending ``word`` belongs to the word, not the sentence."""
    core = word.lstrip("([\"'“‘").removesuffix(".")
    if not core or not word.endswith("."):
        return False
    if core.lower() in ABBREVIATIONS:
        return True
    if len(core) == 1 and core.isalpha():  # an initial: "J. Smith"
        return True
    return bool(DOTTED_ACRONYM.fullmatch(core))  # "U.S.", "U.N."


def _aware_datetime(value):
    """A timestamp with its offset; one without cannot be placed, so it is not guessed."""
    if not isinstance(value, str):
        return None
    try:
        moment = datetime.fromisoformat(value.strip())
    except ValueError:
        return None
    return moment if moment.utcoffset() is not None else None


def _json_kind(value):
    if isinstance(value, list):
        return "array"
    if isinstance(value, str):
        return "string"
    if isinstance(value, bool) or value is None:
        return "literal"
    return "number"


def _string(document, key):
    value = document.get(key)
    return value if isinstance(value, str) else ""


def _entries(value):
    """The ``{"value": ...}`` objects of a ninjs 2.x list, skipping anything malformed."""
    if not isinstance(value, list):
        return []
    return [entry for entry in value if isinstance(entry, dict) and _string(entry, "value")]


def _is_markup(content_type):
    return "html" in content_type.lower()


def _ninjs_subjects(subjects):
    """The names of ninjs subjects (both generations: a list of objects with a name)."""
    if not isinstance(subjects, list):
        return ()
    names = (
        _plain(item["name"])
        for item in subjects
        if isinstance(item, dict) and isinstance(item.get("name"), str)
    )
    return tuple(dict.fromkeys(name for name in names if name))


def _nitf_subjects(root):
    """NITF's subject words: each tobject.subject's type, matter and detail, in order, then
    the section each pubdata says the story ran in (``position.section``)."""
    parts = ("tobject.subject.type", "tobject.subject.matter", "tobject.subject.detail")
    subjects = (
        _attribute(subject, part)
        for subject in root.iterfind("head/tobject/tobject.subject")
        for part in parts
    )
    sections = (
        _attribute(pubdata, "position.section") for pubdata in root.iterfind("head/pubdata")
    )
    names = (_plain(name) for name in itertools.chain(subjects, sections))
    return tuple(dict.fromkeys(name for name in names if name))


def propose_section(subjects, sections):
    """The first of ``sections`` (pairs of a key and its names) that one of ``subjects``
    names, whatever its case; None when none does. A proposal only: the desk never
    makes a section from copy."""
    wanted = [subject.casefold() for subject in subjects]
    for subject in wanted:
        for key, names in sections:
            if subject in (name.casefold() for name in names):
                return key
    return None


def _ninjs_headline(document):
    headlines = _entries(document.get("headlines"))
    main = [entry for entry in headlines if entry.get("role") == "main"]
    for entry in main + headlines:
        if headline := _plain(entry["value"]):
            return headline
    return _plain(_string(document, "headline"))


def _ninjs_paragraphs(document):
    """The body's paragraphs, preferring HTML: its <p>s carry the paragraph breaks
    that a ninjs plain-text body often runs together."""
    markup, plain = [], []
    for entry in _entries(document.get("bodies")):
        content_type = _string(entry, "contenttype")
        (markup if _is_markup(content_type) else plain).append(entry["value"])
    for key, value in document.items():
        if key.startswith("body_") and isinstance(value, str):
            (markup if _is_markup(key) else plain).append(value)
    for value in markup:
        if paragraphs := _html_paragraphs(value):
            return paragraphs
    for value in plain:
        if paragraphs := [p for block in split_paragraphs(value) if (p := _plain(block))]:
            return paragraphs
    return []


def _ninjs_summary(document):
    descriptions = _entries(document.get("descriptions"))
    values = [entry["value"] for entry in descriptions]
    values += [
        value
        for key, value in document.items()
        if key.startswith("description_") and isinstance(value, str)
    ]
    return next((summary for value in values if (summary := _plain(value))), "")


def _ninjs_pictures(associations):
    """The pictures among ninjs ``associations``: a list of objects with a ``name``
    (2.x) or an object of them by name (1.x). The one named featureimage leads;
    without one, the first does."""
    if isinstance(associations, dict):
        named = [
            {**item, "name": name} for name, item in associations.items() if isinstance(item, dict)
        ]
    elif isinstance(associations, list):
        named = [item for item in associations if isinstance(item, dict)]
    else:
        return ()
    found = []
    for item in named:
        if _string(item, "type") != "picture" or not (reference := _ninjs_reference(item)):
            continue
        found.append(
            WirePicture(
                reference=reference,
                caption=_ninjs_summary(item) or _ninjs_headline(item),
                credit=_plain(_string(item, "by") or _string(item, "byline")),
                copyright=_plain(
                    _string(item, "copyrightnotice") or _string(item, "copyrightholder")
                ),
                is_lead=_string(item, "name") == FEATURE_IMAGE,
            )
        )
    return _with_a_lead(found[:MAX_PICTURES])


def _ninjs_reference(item):
    """The file of a picture: its largest rendition's href (2.x lists them, 1.x names
    them), else its uri."""
    renditions = item.get("renditions")
    if isinstance(renditions, dict):
        renditions = list(renditions.values())
    if not isinstance(renditions, list):
        renditions = []
    candidates = [
        rendition
        for rendition in renditions
        if isinstance(rendition, dict) and _string(rendition, "href").strip()
    ]
    if candidates:
        largest = max(candidates, key=lambda rendition: _number(rendition.get("width")))
        return largest["href"].strip()
    return _string(item, "uri").strip()


def _number(value):
    return value if isinstance(value, int | float) and not isinstance(value, bool) else 0


def _nitf_pictures(root):
    """``<media media-type="image">`` elements: each one's largest ``<media-reference>``,
    ``<media-caption>`` and ``<media-producer>`` (the credit). They are removed from the
    tree, so captions never become paragraphs of the story."""
    found = []
    for parent in list(root.iter()):
        for media in [child for child in parent if child.tag == "media"]:
            parent.remove(media)
            if media.get("media-type", "").lower() not in {"image", "photo", "graphic"}:
                continue
            references = [
                reference
                for reference in media.iter("media-reference")
                if reference.get("source", "").strip()
                and reference.get("mime-type", "image/").lower().startswith("image/")
            ]
            if not references:
                continue
            largest = max(references, key=lambda reference: _digits(reference.get("width")))
            found.append(
                WirePicture(
                    reference=largest.get("source").strip(),
                    caption=_element_text(media.find("media-caption")),
                    credit=_element_text(media.find("media-producer")),
                )
            )
    return _with_a_lead(found[:MAX_PICTURES])


def _digits(value):
    return int(value) if value and value.isdigit() and len(value) < 7 else 0


def _with_a_lead(found):
    if found and not any(picture.is_lead for picture in found):
        first = found[0]
        found[0] = WirePicture(
            first.reference, first.caption, first.credit, first.copyright, is_lead=True
        )
    return tuple(found)


class _HTMLText(html.parser.HTMLParser):
    """Visible text of an HTML fragment, by paragraph; scripts and styles dropped."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.paragraphs = []
        self.loose = []
        self.current = None
        self.hidden_depth = 0

    def handle_starttag(self, tag, attrs):
        if tag in INVISIBLE_ELEMENTS:
            self.hidden_depth += 1
        elif tag == "p":
            self._close_paragraph()
            self.current = []
        elif tag == "br":
            self._add("\n")
        elif tag in HTML_BLOCK_ELEMENTS:
            self._close_paragraph()
            self.loose.append("\n\n")

    def handle_endtag(self, tag):
        if tag in INVISIBLE_ELEMENTS:
            self.hidden_depth = max(0, self.hidden_depth - 1)
        elif tag == "p":
            self._close_paragraph()
        elif tag in HTML_BLOCK_ELEMENTS:
            self.loose.append("\n\n")

    def handle_data(self, data):
        if not self.hidden_depth:
            self._add(data)

    def close(self):
        super().close()
        self._close_paragraph()

    def _add(self, text):
        (self.loose if self.current is None else self.current).append(text)

    def _close_paragraph(self):
        if self.current is not None:
            self.paragraphs.append("".join(self.current))
            self.current = None


def _html_paragraphs(markup):
    """Plain-text paragraphs of an HTML body: its <p>s, or its blocks when it has none."""
    parser = _HTMLText()
    parser.feed(markup)
    parser.close()
    blocks = parser.paragraphs or split_paragraphs("".join(parser.loose))
    return [paragraph for block in blocks if (paragraph := _plain(block))]


def _strip_markup(text):
    """The visible text of ``text`` with tags removed and entities decoded, on one line."""
    parser = _HTMLText()
    parser.feed(text)
    parser.close()
    return " ".join(" ".join([*parser.paragraphs, *parser.loose]).split())


def _plain(text):
    """One line of plain text; repeated while escaped markup ("&lt;script&gt;") unfolds."""
    text = " ".join(text.split())
    while TAG_LIKE.search(text):
        stripped = _strip_markup(text)
        if stripped == text:
            break
        text = stripped
    return text


def _parse_xml(text):
    try:
        # NITF feeds open with <!DOCTYPE nitf PUBLIC ...>, so a bare document
        # type is accepted (it is never fetched); what makes XML dangerous, an
        # entity declaration or an external reference, is refused.
        return defusedxml.ElementTree.fromstring(
            text, forbid_dtd=False, forbid_entities=True, forbid_external=True
        )
    except defusedxml.DefusedXmlException:
        raise WireError("XML with entity declarations or external references is refused") from None
    except defusedxml.ElementTree.ParseError as error:
        raise WireError(f"malformed XML ({error})") from None


def _strip_namespaces(root):
    """Local names only: NITF 3.x may declare http://iptc.org/std/NITF/2006-10-18/ as
    its default namespace and older feeds none, and the paths below must match both."""
    for element in root.iter():
        if isinstance(element.tag, str) and element.tag.startswith("{"):
            element.tag = element.tag.rpartition("}")[2]


def _drop_invisible_elements(root):
    for parent in root.iter():
        for child in list(parent):
            if child.tag in INVISIBLE_ELEMENTS:
                # The text after </script> belongs to the story; keep it in place.
                index = list(parent).index(child)
                if child.tail:
                    if index:
                        previous = parent[index - 1]
                        previous.tail = (previous.tail or "") + child.tail
                    else:
                        parent.text = (parent.text or "") + child.tail
                parent.remove(child)


def _element_text(element):
    return "" if element is None else _plain("".join(element.itertext()))


def _attribute(element, name):
    return "" if element is None else element.get(name, "")


def _nitf_dateline(element):
    """The Dateline of NITF's <dateline>: its location's city and state, else its text."""
    if element is None:
        return None
    if city := _element_text(element.find("location/city")):
        region = _element_text(element.find("location/state"))
        return _located(f"{city}, {region}" if region else city)
    return _located(_element_text(element.find("location")) or _element_text(element))


def _located(text):
    """The Dateline of a place the copy names as such ("Athens, Ga.", "Baku, Azerbaijan")."""
    place, _, rest = text.partition(",")
    if not (place := place.strip()):
        return None
    region = rest.split(",")[0].strip()
    return Dateline(place, region, US_STATE_NAMES.get(region.casefold(), ""))
