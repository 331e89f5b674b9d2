"""The desk copy set, measured: realistic agency copy through the wire desk's pure parts.

Each text is parsed as the intake parses plain copy (``wire.parse``), and the text the
linking reads (headline, summary, body) goes through the matcher built from
``gazetteer.json``; the dateline's place counts as a link, as it does on the story page.
The result is precision, recall and F1 of links, overall and per error class, the share
of datelines, bylines and headlines read right, and every error. Pure: no Django, no
database, so a test and a benchmark share it.
"""

import json
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field, fields
from pathlib import Path

from articles import wire
from articles.matching import Entity, Gazetteer

FOLDER = Path(__file__).resolve().parent
MIN_TEXTS = 60
MIN_TEXTS_PER_CLASS = 3

# The error classes the set covers, each exercised by at least MIN_TEXTS_PER_CLASS texts.
CLASSES = {
    "dateline_shape": "the datelines agencies write: BAKU, Dec 1 (Reuters) -, BAKU:, TEHRAN –, "
    "Baku, May 21, AZERTAC, MOSCOW, December 1. /TASS/.",
    "dateline_under_headline": "a dateline on the line under a headline (TASS, RIA)",
    "dateline_us_state": "ATHENS, Ga. (AP): a US state, not the Greek capital",
    "headline_line": "a headline line at the top of the copy",
    "byline_reporter_agency": "By <reporter> – Trend: and By <reporter>, Trend",
    "byline_reporter": "By <reporter> alone",
    "credit_line": "(Reporting by …; Editing by …) at the end: credit, not body",
    "surnames": "a bare surname after a full mention or a title",
    "diacritics": "Erdoğan/Erdogan, Pashinyan/Pashinian, İlham; odd characters in names",
    "namesakes": "relatives and namesakes: a different first name, Jr., two Aliyevs",
    "titles": "President Aliyev, Foreign Minister Bayramov: surname plus title",
    "nested_names": "the Defense Ministry of Azerbaijan: the ministry and the country",
    "all_caps_text": "capitals in running text link nothing on case alone",
    "two_letter_alias": "US, AA: exact case only, never in capitals",
    "common_word": "Trend analysis…, Turkey Prices: a common word needs evidence",
    "never_link": "Trend Micro, Ganja Labs, Georgia Tech: a longer name blocks the link",
    "ambiguity": "Georgia, Turkey, Jordan, Ganja decided by the story's context",
    "offbeat": "sports, business, US politics: no wrong links to the newsroom's places",
    "hostile": "markup, script, SQL, control characters, a huge paragraph",
}
KINDS = {"sources": "source", "people": "person", "places": "place"}


@dataclass(frozen=True)
class Text:
    id: str
    agency: str
    classes: tuple[str, ...]
    copy: str
    headline: str
    dateline: str | None
    reporters: tuple[str, ...]
    byline_agency: str | None
    links: frozenset[tuple[str, str]]
    must_not_link: frozenset[tuple[str, str]]
    credit_line: str = ""


@dataclass
class Score:
    true_positives: int = 0
    false_positives: int = 0
    false_negatives: int = 0

    def add(self, other):
        self.true_positives += other.true_positives
        self.false_positives += other.false_positives
        self.false_negatives += other.false_negatives

    @property
    def precision(self):
        found = self.true_positives + self.false_positives
        return self.true_positives / found if found else 1.0

    @property
    def recall(self):
        expected = self.true_positives + self.false_negatives
        return self.true_positives / expected if expected else 1.0

    @property
    def f1(self):
        total = self.precision + self.recall
        return 2 * self.precision * self.recall / total if total else 0.0


@dataclass(frozen=True)
class Error:
    text_id: str
    what: str  # link, must-not-link, missed link, dateline, byline, credit line, headline, parse
    expected: object
    got: object


@dataclass(frozen=True)
class Reading:
    links: frozenset[tuple[str, str]]
    dateline: str | None
    reporters: tuple[str, ...]
    agency: str | None


@dataclass
class Report:
    texts: int = 0
    links: Score = field(default_factory=Score)
    per_class: dict[str, Score] = field(default_factory=dict)
    datelines: int = 0  # read right
    bylines: int = 0
    headlines: int = 0
    errors: list[Error] = field(default_factory=list)
    # What the desk read from each text: {id: Reading}.
    readings: dict[str, "Reading"] = field(default_factory=dict)

    def share(self, count):
        return count / self.texts if self.texts else 1.0


def load_gazetteer():
    return json.loads((FOLDER / "gazetteer.json").read_text(encoding="utf-8"))


def load_texts():
    texts = []
    for path in sorted((FOLDER / "texts").glob("*.json")):
        for row in json.loads(path.read_text(encoding="utf-8")):
            copy = "\n".join(row["copy"])
            if filler := row.get("filler"):
                copy = copy.replace("{{FILLER}}", filler["text"] * filler["times"])
            texts.append(
                Text(
                    id=row["id"],
                    agency=row["agency"],
                    classes=tuple(row["classes"]),
                    copy=copy,
                    headline=row["headline"],
                    dateline=row["dateline"],
                    reporters=tuple(row["byline"]["reporters"]),
                    byline_agency=row["byline"]["agency"],
                    links=frozenset(map(tuple, row["links"])),
                    must_not_link=frozenset(map(tuple, row["must_not_link"])),
                    credit_line=row.get("credit_line", ""),
                )
            )
    return texts


def entities(raw):
    """The gazetteer's rows as matcher entities, and {(kind, id): slug}.

    Fields the matcher's Entity grows (a title, ambiguity, never-link phrases, a parent)
    are passed when the row has them, so the measure follows the matcher as it learns.
    """
    known = {f.name for f in fields(Entity)} - {"kind", "id", "name", "aliases"}
    ids = {
        (KINDS[group], row["slug"]): number
        for group, rows in raw.items()
        if group in KINDS
        for number, row in enumerate(rows, start=1)
    }
    built, slugs = [], {}
    for (kind, slug), number in ids.items():
        row = next(r for r in raw[_group(kind)] if r["slug"] == slug)
        extra = {}
        for name in known & row.keys():
            value = row[name]
            if name == "parent":
                value = ids.get(("place", value)) if value else None
            extra[name] = tuple(value) if isinstance(value, list) else value
        built.append(Entity(kind, number, row["name"], tuple(row["aliases"]), **extra))
        slugs[(kind, number)] = slug
    return built, slugs


def _parent_names(raw, slugs):
    """{place id: the names and aliases of its parent}, for a dateline with a US state."""
    rows = {row["slug"]: row for row in raw["places"]}
    return {
        number: (rows[parent]["name"], *rows[parent]["aliases"])
        for (kind, number), slug in slugs.items()
        if kind == "place" and (parent := rows[slug].get("parent"))
    }


def _group(kind):
    return next(group for group, name in KINDS.items() if name == kind)


def measure(texts=None, raw=None, *, parse=wire.parse):
    """The report of ``texts`` (the whole set by default); ``parse`` reads one copy."""
    texts = load_texts() if texts is None else texts
    raw = load_gazetteer() if raw is None else raw
    built, slugs = entities(raw)
    gazetteer = Gazetteer(built)
    parents = _parent_names(raw, slugs)
    report = Report(texts=len(texts), per_class={name: Score() for name in CLASSES})
    for text in texts:
        score = _read(text, parse, gazetteer, slugs, parents, report)
        report.links.add(score)
        for name in text.classes:
            report.per_class.setdefault(name, Score()).add(score)
    return report


def _read(text, parse, gazetteer, slugs, parents, report):
    """Score one text's links and record its dateline, byline and headline."""
    try:
        story = parse(text.copy)
    except wire.WireError as error:
        report.errors.append(Error(text.id, "parse", "a story", str(error)))
        return Score(false_negatives=len(text.links))
    linkable = "\n\n".join(part for part in (story.headline, story.summary, story.body) if part)
    reporters, agency = _credit(story, gazetteer, slugs)
    # What the desk knows of the story besides its text (linking.story_context): its source.
    agency_id = next(
        (pk for (kind, pk), slug in slugs.items() if (kind, slug) == ("source", agency)), None
    )
    context = {("source", agency_id)} if agency_id is not None else set()
    found = {(kind, slugs[(kind, pk)]) for kind, pk in gazetteer.entities_in(linkable, context)}
    dateline_id = wire.dateline_place(
        story, lambda name: gazetteer.resolve("place", name), lambda pk: parents.get(pk, ())
    )
    dateline = slugs[("place", dateline_id)] if dateline_id is not None else None
    if dateline:
        found.add(("place", dateline))

    for link in sorted(found - text.links):
        what = "must-not-link" if link in text.must_not_link else "link"
        report.errors.append(Error(text.id, what, None, link))
    for link in sorted(text.links - found):
        report.errors.append(Error(text.id, "missed link", link, None))

    if dateline == text.dateline:
        report.datelines += 1
    else:
        report.errors.append(Error(text.id, "dateline", text.dateline, story.dateline or None))

    report.readings[text.id] = Reading(frozenset(found), dateline, reporters, agency)
    credit_in_body = bool(text.credit_line) and text.credit_line in story.body
    if reporters == text.reporters and agency == text.byline_agency and not credit_in_body:
        report.bylines += 1
    else:
        if (reporters, agency) != (text.reporters, text.byline_agency):
            expected = {"reporters": list(text.reporters), "agency": text.byline_agency}
            got = {"reporters": list(reporters), "agency": agency, "byline": story.byline}
            report.errors.append(Error(text.id, "byline", expected, got))
        if credit_in_body:
            report.errors.append(Error(text.id, "credit line", "not body", text.credit_line))

    if _plain(story.headline) == _plain(text.headline):
        report.headlines += 1
    else:
        report.errors.append(Error(text.id, "headline", text.headline, story.headline))

    return Score(len(found & text.links), len(found - text.links), len(text.links - found))


def _credit(story, gazetteer, slugs):
    """The byline's reporters and the agency's slug, as the intake settles them:
    the named agency, else a reporter who is a known source ("By Trend, Baku")."""
    agency_id = gazetteer.resolve("source", story.agency or story.reported_by)
    reporters = []
    for name in story.reporters:
        named = gazetteer.resolve("source", name)
        if agency_id is None and named is not None:
            agency_id = named
        else:
            reporters.append(name)
    agency = slugs[("source", agency_id)] if agency_id is not None else None
    return tuple(reporters), agency


_INVISIBLE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u00ad\u200b-\u200f\u2060\ufeff]")


def _plain(headline):
    """A headline as compared: one space between words, invisible characters gone."""
    return " ".join(_INVISIBLE.sub("", headline).split())


def fold(text):
    """Text for finding a name however it is spelt: no marks, dotless i, no case."""
    text = _INVISIBLE.sub("", text).replace("ı", "i").replace("İ", "I")
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(char for char in decomposed if not unicodedata.combining(char)).casefold()


def problems(texts=None, raw=None):
    """What is wrong with the set itself: coverage, labels that name no entity, etc."""
    texts = load_texts() if texts is None else texts
    raw = load_gazetteer() if raw is None else raw
    found = []
    rows = {(KINDS[group], row["slug"]): row for group in KINDS for row in raw[group]}
    ids = Counter(text.id for text in texts)
    found += [f"{name}: id used {count} times" for name, count in ids.items() if count > 1]
    if len(texts) < MIN_TEXTS:
        found.append(f"{len(texts)} texts, at least {MIN_TEXTS} wanted")
    covered = Counter(name for text in texts for name in text.classes)
    for name in CLASSES:
        if covered[name] < MIN_TEXTS_PER_CLASS:
            found.append(f"class {name}: {covered[name]} texts, {MIN_TEXTS_PER_CLASS} wanted")
    for text in texts:
        found += [
            f"{text.id}: unknown class {name}" for name in text.classes if name not in CLASSES
        ]
        labelled = text.links | text.must_not_link
        found += [f"{text.id}: no entity {ref}" for ref in sorted(labelled - rows.keys())]
        found += [
            f"{text.id}: {ref} both expected and not" for ref in text.links & text.must_not_link
        ]
        if text.dateline and ("place", text.dateline) not in rows:
            found.append(f"{text.id}: dateline {text.dateline} is no place")
        if text.dateline and ("place", text.dateline) not in text.links:
            found.append(f"{text.id}: the dateline's place must be an expected link")
        if text.byline_agency and ("source", text.byline_agency) not in rows:
            found.append(f"{text.id}: agency {text.byline_agency} is no source")
        copy = fold(text.copy)
        for ref in sorted(text.links & rows.keys()):
            if not any(_written(fold(name), copy) for name in _names(rows[ref], ref[0])):
                found.append(f"{text.id}: {ref} is expected but none of its names is in the copy")
        if text.credit_line and text.credit_line not in text.copy:
            found.append(f"{text.id}: the credit line is not in the copy")
    for (kind, slug), row in rows.items():
        if not isinstance(row.get("ambiguous", False), bool):
            found.append(f"{kind} {slug}: ambiguous must be true or false")
        phrases = row.get("never_link", [])
        if not isinstance(phrases, list) or not all(isinstance(p, str) and p for p in phrases):
            found.append(f"{kind} {slug}: never_link must be a list of phrases")
        if kind == "place" and row.get("parent") and ("place", row["parent"]) not in rows:
            found.append(f"place {slug}: parent {row['parent']} is no place")
    return found


def _names(row, kind):
    names = [row["name"], *row["aliases"]]
    if kind == "person":
        names += [name.split()[-1] for name in names if len(name.split()) >= 2]
    return names


def _written(name, copy):
    return re.search(rf"(?<!\w){re.escape(name)}(?!\w)", copy) is not None


def table(report):
    """The figures as a Markdown table: links overall and per class, then the readings."""
    lines = [
        f"Desk copy: {report.texts} texts",
        "",
        "| links | precision | recall | F1 | found right | wrong | missed |",
        "|---|---|---|---|---|---|---|",
    ]
    rows = [("overall", report.links), *sorted(report.per_class.items())]
    for name, score in rows:
        lines.append(
            f"| {name} | {score.precision:.3f} | {score.recall:.3f} | {score.f1:.3f} "
            f"| {score.true_positives} | {score.false_positives} | {score.false_negatives} |"
        )
    lines += [
        "",
        "| reading | right | accuracy |",
        "|---|---|---|",
        *(
            f"| {name} | {count}/{report.texts} | {report.share(count):.3f} |"
            for name, count in [
                ("dateline", report.datelines),
                ("byline", report.bylines),
                ("headline", report.headlines),
            ]
        ),
    ]
    return "\n".join(lines)


def error_list(report):
    return "\n".join(
        f"- {error.text_id}: {error.what}: expected {error.expected!r}, got {error.got!r}"
        for error in report.errors
    )
