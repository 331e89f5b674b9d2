"""Find the entities a text mentions: the pure matcher.

Entities and text in, mentions out: no Django, no database (``linking.py`` loads
the names and writes the links). Matching is one Aho-Corasick pass over the text
however large the gazetteer, so an import of a long wire file costs the same with
12 entities or 100,000.

Precision comes first: a wrong link sends a reader to the wrong person's page, while
a missing one is a click for the editor, who is shown the suggestions anyway.
"""

import re
import unicodedata
from bisect import bisect_left, bisect_right
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

import ahocorasick

from articles import evidence

# Capitals are matched for datelines ("BAKU", "TBILISI"); a short name in capitals is
# more often an acronym than the name, so it has to be written that way to match.
MIN_CAPS_LETTERS = 4
# A name stored in capitals this long is an acronym a shouted dateline may carry: "(APA)".
MIN_ACRONYM_LETTERS = 3


@dataclass(frozen=True)
class Entity:
    kind: str
    id: int
    name: str
    aliases: tuple[str, ...] = ()
    # A person's office ("President of Azerbaijan"): "President Aliyev" names them.
    title: str = ""
    # The place this one lies in (a place's id), for telling which places go together.
    parent: int | None = None
    # Longer names that contain one of its names but are something else: "Trend Micro".
    never_link: tuple[str, ...] = ()
    # A name that is also a common word or another place's: linked only with support.
    ambiguous: bool = False


@dataclass(frozen=True)
class Mention:
    """Where a text names an entity.

    Offsets point into the text exactly as given, so that a highlight lands on the
    words the wire used, dashes and line breaks included.
    """

    start: int
    end: int
    kind: str
    id: int
    text: str


# Wire copy mixes typewriter and typographic punctuation, often within one story;
# these substitutions keep the text's length so offsets survive them unchanged.
_APOSTROPHES = "\u2019\u2018\u02bc\u2032`"
_DASHES = "-\u2010\u2011\u2012\u2013\u2014\u2015\u2212"
_FOLD_PUNCTUATION = str.maketrans(
    {**dict.fromkeys(_APOSTROPHES, "'"), **dict.fromkeys(_DASHES, " ")}
)

# After dashes become spaces, a name may be split by any run of whitespace: a wrapped
# line, a double space, a non-breaking space. Only runs that are not already a single
# space are rewritten, so the common case costs nothing. A soft hyphen is a place a word
# may break, printed only then ("Azer\u00adbaijan" reads "Azerbaijan"): it goes.
_SOFT_HYPHEN = "\u00ad"
_SPACE_RUN = re.compile(r"\s{2,}|[^\S ]")
_SPACE_RUN_OR_SOFT_HYPHEN = re.compile(r"\s{2,}|[^\S ]|\u00ad+")


class _FoldedText:
    """The text with punctuation folded, whitespace runs collapsed to one space and
    soft hyphens removed.

    Collapsing shortens the text, so it keeps, for every run it shortened, where the
    run ended in both texts; an offset maps back by the shortening before it.
    """

    def __init__(self, text: str):
        folded = text.translate(_FOLD_PUNCTUATION)
        pieces = []
        self._folded_ends: list[int] = []
        self._shifts: list[int] = []
        last = 0
        removed = 0
        runs = _SPACE_RUN_OR_SOFT_HYPHEN if _SOFT_HYPHEN in folded else _SPACE_RUN
        for run in runs.finditer(folded):
            start, end = run.span()
            kept = "" if folded[start] == _SOFT_HYPHEN else " "
            pieces.append(folded[last:start])
            pieces.append(kept)
            last = end
            if end - start > len(kept):
                removed += end - start - len(kept)
                self._folded_ends.append(end - removed)
                self._shifts.append(removed)
        pieces.append(folded[last:])
        self.text = "".join(pieces)

    def original_offset(self, offset: int) -> int:
        index = bisect_right(self._folded_ends, offset) - 1
        return offset + self._shifts[index] if index >= 0 else offset


def fold_name(name: str) -> str:
    """A name or alias in the form it is matched in: composed, one space between words."""
    name = unicodedata.normalize("NFC", name).translate(_FOLD_PUNCTUATION)
    return " ".join(name.split())


def _is_usable(key: str) -> bool:
    return len(key) >= 2 and any(char.isalpha() for char in key)


def _spellings(key: str) -> set[str]:
    """The spellings a folded name is looked for in: as written, and decomposed.

    Text pasted from some systems arrives decomposed ("s" + combining cedilla); adding
    the decomposed key is cheaper than normalising every text with an offset map.
    """
    return {key, unicodedata.normalize("NFD", key)}


def _base_letters() -> dict[int, str]:
    """Latin letters with diacritics mapped to their base letter, one for one.

    "Erdoğan" and "Erdogan", "İlham" and "Ilham" are one name on the wire. "İ" is
    also the one character whose lower case is two characters long; lowering must
    keep offsets, so it becomes a plain "I" first.
    """
    table = {}
    for code in range(0x00C0, 0x0250):
        base = unicodedata.normalize("NFD", chr(code))[0]
        if base != chr(code) and base.isascii() and base.isalpha():
            table[code] = base
    extra = {"ı": "i", "İ": "I", "ə": "e", "Ə": "E", "ø": "o", "Ø": "O", "ł": "l", "Ł": "L"}
    table.update({ord(char): base for char, base in extra.items()})
    table.update({ord("đ"): "d", ord("Đ"): "D"})
    return table


_BASE_LETTERS = _base_letters()


def _fold_letters(text: str) -> str:
    return text.translate(_BASE_LETTERS)


def _lower(text: str) -> str:
    return _fold_letters(text).lower()


def _merge(pairs) -> tuple:
    """Candidates without repeats; a name or alias outranks the same word as a surname."""
    if len(pairs) == 1:
        return tuple(pairs)
    merged: dict = {}
    for ref, is_name in pairs:
        merged[ref] = merged.get(ref, False) or is_name
    return tuple(merged.items())


def _is_mark(char: str) -> bool:
    return unicodedata.category(char).startswith("M")


def _stands_alone(text: str, start: int, end: int) -> bool:
    """Whether ``text[start:end]`` is a whole word: no letter or digit glued to it.

    A combining mark after the match changes its last letter ("Ganca" + acute is
    another word); one before it belongs to whatever precedes, which glues only if
    that is a letter or digit ("e" + acute does, an emoji + variation selector does not).
    """
    if end < len(text) and (text[end].isalnum() or _is_mark(text[end])):
        return False
    before = start - 1
    while before >= 0 and _is_mark(text[before]):
        before -= 1
    return before < 0 or not text[before].isalnum()


class Gazetteer:
    """Every name and alias of a set of entities, compiled once into one automaton.

    The automaton holds lower-cased keys, diacritics folded, and each key the exact
    spellings behind it, so the capitals of a dateline ("BAKU") cost no second copy
    of the gazetteer; a match is kept only if the text has one of those spellings, as
    written or in capitals, whatever its diacritics.
    """

    def __init__(self, entities: Iterable[Entity]):
        refs: set[tuple[str, int]] = set()
        # exact spelling -> [((kind, id), True if a name or alias, False if a surname)]
        spellings: dict[str, list] = defaultdict(list)
        surnames = []
        # lower-cased never-link phrase -> the entities it must not be linked to
        blockers: dict[str, list] = defaultdict(list)
        self._names: dict[str, dict[str, int | None]] = defaultdict(dict)
        self._titles: dict[tuple[str, int], frozenset[str]] = {}
        self._parents: dict[int, int] = {}
        self._ambiguous: set[tuple[str, int]] = set()
        place_names: dict[int, tuple[str, ...]] = {}
        titles: dict[tuple[str, int], str] = {}
        # The words of an ambiguous entity's never-link phrases: its names that are common.
        self._common_words: dict[tuple[str, int], frozenset[str]] = {}
        for entity in entities:
            ref = (entity.kind, entity.id)
            refs.add(ref)
            named = (ref, True)
            names = self._names[entity.kind]
            for name in (entity.name, *entity.aliases):
                key = fold_name(name)
                if not _is_usable(key):
                    continue
                folded = key.casefold()
                # None marks a name two entities of one kind share: ambiguous for resolve().
                names[folded] = entity.id if names.get(folded, entity.id) == entity.id else None
                for spelling in _spellings(key):
                    spellings[spelling].append(named)
            if entity.ambiguous:
                self._ambiguous.add(ref)
            if entity.kind == "place":
                place_names[entity.id] = (entity.name, *entity.aliases)
                if entity.parent is not None:
                    self._parents[entity.id] = entity.parent
            if entity.kind == "person":
                surnames.extend((key, (ref, False)) for key in _surnames(entity))
                if entity.title:
                    self._titles[ref] = evidence.title_words(entity.title)
                    titles[ref] = entity.title
            if entity.ambiguous and entity.never_link:
                self._common_words[ref] = frozenset(
                    word for phrase in entity.never_link for word in _lower(phrase).split()
                )
            for phrase in entity.never_link:
                key = fold_name(phrase)
                if _is_usable(key):
                    for spelling in _spellings(key):
                        blockers[_lower(spelling)].append(ref)
        for key, derived in surnames:
            if _is_usable(key):
                for spelling in _spellings(key):
                    spellings[spelling].append(derived)
        self._size = len(refs)
        # The place a person's office is of ("President of Azerbaijan"): a story naming
        # them is about it, even where the place is written only inside a longer name.
        self._title_places = {
            ref: place
            for ref, title in titles.items()
            if (place := self._names["place"].get(_title_place(title))) is not None
        }
        # The names of every place another lies in: is "Athens, Ga." this Athens?
        self._parent_names = {
            parent: frozenset(name.casefold() for name in place_names.get(parent, ()))
            for parent in set(self._parents.values())
        }

        # Each key holds (length, spelling, its capitals or None, candidates, blocked):
        # a name's entry blocks nothing, a never-link phrase's names nobody.
        self._automaton = None
        self._has_blockers = bool(blockers)
        if spellings or blockers:
            self._automaton = ahocorasick.Automaton()
            for spelling, pairs in spellings.items():
                allows_caps = sum(char.isalpha() for char in spelling) >= MIN_CAPS_LETTERS
                lowered = _lower(spelling)
                # Most spellings are plain ASCII: share the string rather than copy it.
                base = spelling if spelling.isascii() else _fold_letters(spelling)
                upper = base.upper() if allows_caps else None
                entry = (len(spelling), base, upper, _merge(pairs), ())
                self._automaton.add_word(lowered, (*self._automaton.get(lowered, ()), entry))
            for lowered, blocked in blockers.items():
                entry = (len(lowered), None, None, (), frozenset(blocked))
                self._automaton.add_word(lowered, (*self._automaton.get(lowered, ()), entry))
            self._automaton.make_automaton()

    def __len__(self) -> int:
        return self._size

    def find_mentions(self, text: str, context: Iterable[tuple[str, int]] = ()) -> list[Mention]:
        """Mentions in ``text``, sorted by start and non-overlapping, offsets into ``text``.

        ``context`` is what is known of the story besides its text (its source, its
        section): support for a name that is also a common word ("Trend").
        """
        return self._find(text, frozenset(context))[0]

    def _find(self, text: str, context=frozenset()):
        """The mentions, and the places named inside a longer name ("... of Azerbaijan")."""
        if not text or self._automaton is None:
            return [], set()
        folded = _FoldedText(text)
        flat = folded.text
        base_text = _fold_letters(flat)
        lines: dict[int, tuple[bool, bool]] = {}
        has_blockers = self._has_blockers
        matches = []
        blocks = []
        for last, spellings in self._automaton.iter(base_text.lower()):
            start, end = last - spellings[0][0] + 1, last + 1
            if not _stands_alone(flat, start, end):
                continue
            found = base_text[start:end]
            if found.isupper():
                line = _line(text, folded, start, lines)
                # "GIVE US A BREAK" inside a line of mixed case is still shouting.
                if not line[0] and len(found) < MIN_CAPS_LETTERS:
                    line = (evidence.in_shouted_run(flat, start, end), False)
                pairs = _in_capitals(found, spellings, line)
            else:
                pairs = [
                    pair
                    for _length, base, upper, candidates, _blocked in spellings
                    if found in (base, upper)
                    for pair in candidates
                ]
            if pairs:
                matches.append((start, end, _merge(pairs)))
            # A never-link phrase blocks in any case: "TREND MICRO" is still not Trend.
            if has_blockers:
                blocks.extend((start, end, entry[4]) for entry in spellings if entry[4])
        if blocks:
            matches = _unblocked(matches, blocks)
        # Leftmost first, then longest: "Nagorno-Karabakh" before its "Karabakh".
        matches.sort(key=lambda match: (match[0], -match[1]))

        # A match that resolves to nobody (a surname of a person not named in full)
        # must not hide a shorter match it overlaps, so drop it and choose again.
        # Each round drops at least one match, and in practice one round suffices.
        dropped: set[int] = set()
        while True:
            chosen = _leftmost_longest(matches, dropped)
            resolved = _resolve(flat, matches, chosen, self._titles, self._title_places)
            unresolved = {index for index, ref in zip(chosen, resolved, strict=True) if not ref}
            if not unresolved:
                break
            dropped |= unresolved

        found_refs = [
            (matches[index][0], matches[index][1], ref)
            for index, ref in zip(chosen, resolved, strict=True)
        ]
        if american := self._american_namesakes(flat, found_refs):
            found_refs = [found for found in found_refs if found[2] not in american]
        if self._ambiguous and any(ref in self._ambiguous for *_span, ref in found_refs):
            found_refs = self._supported(flat, found_refs, context)
        mentions = []
        for flat_start, flat_end, (kind, entity_id) in found_refs:
            start = folded.original_offset(flat_start)
            end = folded.original_offset(flat_end)
            mentions.append(Mention(start, end, kind, entity_id, text[start:end]))
        nested = _nested_places(matches, chosen, resolved)
        nested = {ref for ref in nested if ref not in self._ambiguous}
        if not nested:
            return mentions, set()
        return mentions, self._nested_supported(nested, mentions)

    def entities_in(
        self, text: str, context: Iterable[tuple[str, int]] = ()
    ) -> set[tuple[str, int]]:
        mentions, nested = self._find(text, frozenset(context))
        return {(mention.kind, mention.id) for mention in mentions} | nested

    def _supported(self, text: str, found, context):
        """The mentions left once each ambiguous name is checked against the story.

        An ambiguous entity's longer names ("Trend News Agency", "Republic of Georgia")
        and names spelt with letters English does not write ("Türkiye") are support of
        their own; a one-word name needs some: the story's source, the
        same entity by a longer name or another spelling (its demonym), a place it lies
        in, lies in it or beside it, or, for a source, its use as an agency's name. Words
        beside it that point elsewhere ("Gov.", "state of", "Tech") rule it out, and a
        story set elsewhere (Atlanta, Thanksgiving, American football) asks for the
        surest support: its source, a longer name, or a place inside it.
        """
        ambiguous = self._ambiguous
        # A longer name, or one with letters English does not write ("Türkiye", "Gəncə"),
        # is no common word and no American town: support of its own.
        longer = [
            not (span := text[start:end]).isalpha() or not span.isascii()
            for start, end, _ref in found
        ]
        spelled: dict[tuple[str, int], set[str]] = defaultdict(set)
        for (start, end, ref), strong in zip(found, longer, strict=True):
            spelled[ref].add("" if strong else text[start:end].casefold())
        sure = {
            ref for ref, spellings in spelled.items() if "" in spellings or ref not in ambiguous
        }
        elsewhere = evidence.points_elsewhere(text)
        kept = []
        for (start, end, ref), strong in zip(found, longer, strict=True):
            if ref not in ambiguous or strong:
                kept.append((start, end, ref))
                continue
            if evidence.points_elsewhere_nearby(text, start, end):
                continue
            if ref in context or "" in spelled[ref]:
                kept.append((start, end, ref))
                continue
            if ref[0] == "place" and self._has_inside(ref[1], sure):
                kept.append((start, end, ref))
                continue
            if elsewhere:
                continue
            if (
                len(spelled[ref]) > 1
                or (ref[0] == "place" and self._has_neighbour(ref[1], sure))
                or (
                    ref[0] == "place"
                    and self._in_country_context(ref[1], _lower(text[start:end]), sure)
                )
                or (ref[0] == "source" and evidence.named_as_agency(text, start, end))
            ):
                kept.append((start, end, ref))
        return kept

    def _nested_supported(self, nested, mentions) -> set[tuple[str, int]]:
        """The places inside longer names that the story is about.

        A place is, when the story names someone whose office is of it, or its country,
        a city or a neighbour, including one itself written only inside a longer name
        ("the Foreign Ministry of Azerbaijan rejected ... the Foreign Ministry of
        Armenia", datelined Yerevan: Armenia through Yerevan, then Azerbaijan beside it).
        """
        named = {(mention.kind, mention.id) for mention in mentions}
        offices = {
            ("place", place) for ref in named if (place := self._title_places.get(ref)) is not None
        }
        supported = nested & offices
        while True:
            found = named | supported
            more = {ref for ref in nested - supported if self._supported_place(ref[1], found)}
            if not more:
                return supported
            supported |= more

    def _american_namesakes(self, text: str, found) -> set[tuple[str, int]]:
        """Places the story names as an American city ("ATHENS, Ga."), not the one held.

        Once written with a US state, the name means that city throughout the story,
        unless the place held lies in that state.
        """
        american = set()
        for _start, end, ref in found:
            if ref[0] != "place" or text[end : end + 1] != ",":
                continue
            if state := evidence.us_state_after(text, end):
                held = self._parent_names.get(self._parents.get(ref[1]), frozenset())
                if not any(name.casefold() in held for name in state):
                    american.add(ref)
        return american

    def _has_inside(self, place: int, found) -> bool:
        parents = self._parents
        return any(kind == "place" and parents.get(other) == place for kind, other in found)

    def _has_neighbour(self, place: int, found) -> bool:
        """Whether ``found`` holds the place's country or region, or a place beside it."""
        parents = self._parents
        parent = parents.get(place)
        root = self._root(place)
        for kind, other in found:
            if kind != "place" or other == place:
                continue
            if other == parent or (root is not None and self._root(other) == root):
                return True
        return False

    def _in_country_context(self, place: int, spelling: str, found) -> bool:
        """Whether a country the gazetteer puts in no region (Türkiye, Jordan) is
        supported by another country's place ("Turkish officers ... in Baku").

        Every other country is its neighbour then, but only for a spelling none of its
        never-link phrases holds: "Turkish" is only ever the country, while "Turkey" is
        the word those phrases show to be a common one ("turkey prices").
        """
        parents = self._parents
        if place in parents or spelling in self._common_words.get(("place", place), ()):
            return False
        return any(
            kind == "place" and other in parents and self._root(other) != place
            for kind, other in found
        )

    def _root(self, place: int) -> int | None:
        """The outermost place a place lies in, or None if it lies in none."""
        parents = self._parents
        seen = {place}
        current = parents.get(place)
        if current is None:
            return None
        while current in parents and parents[current] not in seen:
            seen.add(current)
            current = parents[current]
        return current

    def _supported_place(self, place: int, found: set[tuple[str, int]]) -> bool:
        """Whether a place the text names also has its country, a city or a neighbour named.

        What makes the story about it, and not only about a body named after it.
        """
        parents = self._parents
        parent = parents.get(place)
        for kind, other in found:
            if kind != "place" or other == place:
                continue
            if other == parent or parents.get(other) == place:
                return True
            if parent is not None and parents.get(other) == parent:
                return True
        return False

    def resolve(self, kind: str, name: str) -> int | None:
        """The entity a byline ("Trend") or dateline ("BAKU") names, if exactly one.

        Looser than matching in running text, because a byline or dateline is known to
        be a name; still exact, because a guessed source or dateline would be printed.
        """
        return self._names.get(kind, {}).get(fold_name(name).casefold())


def _title_place(title: str) -> str:
    """The place an office is of, folded as names are: "President of Azerbaijan"."""
    _office, of, place = title.partition("(")[0].rpartition(" of ")
    return fold_name(place).casefold() if of else ""


# Words that end a name without being its surname: "Heydar Aliyev Jr." is Aliyev.
_GENERATIONS = frozenset("jr jr. sr sr. junior senior ii iii iv".split())


def _surnames(entity: Entity) -> set[str]:
    """A person's surnames: the last word of their name and of each alias of two words or more.

    An alias made of title words ("Defense Minister") gives none: "Minister" is no surname.
    """
    found = set()
    for name in (entity.name, *entity.aliases):
        words = [word for word in fold_name(name).split() if word.casefold() not in _GENERATIONS]
        if len(words) >= 2 and words[-1].casefold() not in evidence.TITLE_WORDS:
            found.add(words[-1])
    return found


def _line(text: str, folded: _FoldedText, start: int, lines: dict) -> tuple[bool, bool]:
    """Whether the line a match is on is shouted, and whether it reads as a headline."""
    original = folded.original_offset(start)
    line_start = text.rfind("\n", 0, original) + 1
    if line_start not in lines:
        line_end = text.find("\n", original)
        line = text[line_start : line_end if line_end >= 0 else len(text)]
        shouted = evidence.is_shouted(line)
        lines[line_start] = (shouted, shouted and evidence.is_headline(line))
    return lines[line_start]


def _in_capitals(found: str, spellings, line: tuple[bool, bool]) -> list:
    """The candidates of a match written in capitals.

    In a shouted line a short name is an acronym or a word ("GIVE US A BREAK"), never
    the name; in shouted running text a name in capitals is no evidence at all, only
    a name that is itself written in capitals ("AZERTAC") still counts. A shouted
    dateline or headline also keeps a name stored as an acronym of three letters,
    the agency in "BAKU, DEC 1 (APA) - URGENT"; two letters ("AA", "US") are too
    often a word.
    """
    shouted, headline = line
    pairs = []
    for _length, base, upper, candidates, _blocked in spellings:
        if found == base:
            letters = sum(char.isalpha() for char in base)
            if shouted and letters < (MIN_ACRONYM_LETTERS if headline else MIN_CAPS_LETTERS):
                continue
        elif found != upper or (shouted and not headline):
            continue
        pairs.extend(candidates)
    return pairs


def _unblocked(matches, blocks):
    """The matches without the entities a never-link phrase around them rules out."""
    kept = []
    for start, end, refs in matches:
        blocked = set()
        for block_start, block_end, refs_blocked in blocks:
            if block_start <= start and end <= block_end:
                blocked |= refs_blocked
        if blocked:
            refs = tuple((ref, is_name) for ref, is_name in refs if ref not in blocked)
        if refs:
            kept.append((start, end, refs))
    return kept


def _nested_places(matches, chosen, resolved) -> set[tuple[str, int]]:
    """Places named inside a source's longer name: "Defense Ministry of Azerbaijan"."""
    nested: set[tuple[str, int]] = set()
    chosen_starts = set(chosen)
    for index, ref in zip(chosen, resolved, strict=True):
        start, end, _refs = matches[index]
        if ref[0] != "source":
            continue
        for inner in range(index + 1, len(matches)):
            inner_start, inner_end, inner_refs = matches[inner]
            if inner_start >= end:
                break
            if inner in chosen_starts or inner_end > end:
                continue
            places = [ref for ref, is_name in inner_refs if is_name and ref[0] == "place"]
            if len(places) == 1:
                nested.add(places[0])
    return nested


def _leftmost_longest(matches, dropped: set[int]) -> list[int]:
    chosen = []
    end = 0
    for index, (start, match_end, _refs) in enumerate(matches):
        if start >= end and index not in dropped:
            chosen.append(index)
            end = match_end
    return chosen


def _resolve(
    text, matches, chosen: list[int], titles, title_places=None
) -> list[tuple[str, int] | None]:
    """Which entity each chosen match mentions, or None if it cannot be told.

    A match naming exactly one entity by name or alias is an anchor, and so is a
    surname whose title identifies one person ("President Aliyev"). Another surname,
    or an alias two entities share, goes to the one its title fits, else to the
    anchored entity named most recently before it ("Heydar Aliyev ... Aliyev"), else
    to the one named next after it.

    A surname still unresolved goes to the one person whose office the story names
    elsewhere: a title said in it fits theirs and the place their office is of is in it
    ("Foreign Minister Fidan met his Azerbaijani counterpart ... Fidan and Bayramov").

    Namesakes are told apart on the way: "Heydar Aliyev Jr." is not Heydar Aliyev,
    and in "Ali Aliyev" the surname is someone else's. Those checks read the text
    around a match, so they run only for a match that would otherwise name a person.
    """
    anchors: dict[tuple[str, int], list[int]] = defaultdict(list)
    candidates: dict[int, tuple] = {}
    fitting: dict[int, list[tuple[str, int]]] = {}
    said_titles: list[frozenset[str]] = []
    for index in chosen:
        start, end, refs = matches[index]
        if len(refs) == 1 and refs[0][1]:
            if refs[0][0][0] == "person" and evidence.generation_after(text, end):
                refs = ()
            else:
                anchors[refs[0][0]].append(start)
        elif titles and any(not is_name for _ref, is_name in refs):
            said = evidence.title_before(text, start)
            if said:
                said_titles.append(said)
                fits = [
                    ref
                    for ref, is_name in refs
                    if not is_name and evidence.title_fits(said, titles.get(ref, frozenset()))
                ]
                if fits and not evidence.generation_after(text, end):
                    fitting[index] = fits
                    if len(fits) == 1:
                        anchors[fits[0]].append(start)
        candidates[index] = refs
    for positions in anchors.values():
        positions.sort()

    resolved: list[tuple[str, int] | None] = []
    for index in chosen:
        start, end, _refs = matches[index]
        refs = candidates[index]
        fits = fitting.get(index)
        if fits:
            resolved.append(fits[0] if len(fits) == 1 else _nearest_anchor(fits, anchors, start))
            continue
        viable = [ref for ref, is_name in refs if is_name or ref in anchors]
        if any(ref[0] == "person" for ref in viable) and not (len(refs) == 1 and refs[0][1]):
            viable = _not_namesakes(text, start, end, refs, viable)
        if len(viable) == 1:
            resolved.append(viable[0])
            continue
        anchored = [ref for ref in viable if ref in anchors]
        if not anchored and said_titles and title_places:
            viable = _not_namesakes(text, start, end, refs, [ref for ref, _name in refs])
            office = _office_named(viable, said_titles, titles, title_places, matches, chosen)
            resolved.append(office)
            continue
        resolved.append(_nearest_anchor(anchored, anchors, start))
    return resolved


def _office_named(refs, said_titles, titles, title_places, matches, chosen):
    """The one person among ``refs`` whose office the story names, or None."""
    places = None
    found = []
    for ref in refs:
        place = title_places.get(ref)
        if place is None or not any(
            evidence.title_fits(said, titles.get(ref, frozenset())) for said in said_titles
        ):
            continue
        if places is None:
            places = {
                ref
                for index in chosen
                for ref, is_name in matches[index][2]
                if is_name and ref[0] == "place"
            }
        if ("place", place) in places:
            found.append(ref)
    return found[0] if len(found) == 1 else None


def _not_namesakes(text, start, end, refs, viable):
    """The viable candidates once "Aliyev Jr." and "Ali Aliyev" are set aside."""
    if evidence.generation_after(text, end):
        return [ref for ref in viable if ref[0] != "person"]
    if evidence.other_first_name_before(text, start):
        named = {ref for ref, is_name in refs if is_name}
        return [ref for ref in viable if ref in named]
    return viable


def _nearest_anchor(refs, anchors, start: int) -> tuple[str, int] | None:
    before, after = [], []
    for ref in refs:
        positions = anchors[ref]
        index = bisect_left(positions, start)
        if index > 0:
            before.append((positions[index - 1], ref))
        if index < len(positions):
            after.append((positions[index], ref))
    if before:
        return max(before)[1]
    return min(after)[1] if after else None


# Capitalised words that start sentences or name days and months, not entities.
_NOT_NAMES = frozenset(
    "a an the this that these those in on at by for of to from with and or but as if "
    "he she it they we i his her its their our mr mrs ms dr "
    "monday tuesday wednesday thursday friday saturday sunday "
    "january february march april may june july august september october november december".split()
)
_WORD = re.compile(r"[^\W\d_][\w'’\-]*")


def unknown_names(text: str, mentions: Iterable[Mention], *, limit: int = 10) -> list[str]:
    """Runs of two or more capitalised words the gazetteer does not know: likely names.

    For the desk's "create and link": "Armenian Armed Forces" or "Elchin Guliyev"
    in a story, when no entity has that name. Words in capitals (a dateline, a
    shouted headline) and runs overlapping a known mention are left out; the most
    frequent come first.
    """
    taken = [(mention.start, mention.end) for mention in mentions]
    counts: dict[str, int] = {}
    first_seen: dict[str, int] = {}
    run: list[re.Match] = []

    def close():
        words = list(run)
        while words and words[0].group().casefold() in _NOT_NAMES:
            words.pop(0)
        while words and words[-1].group().casefold() in _NOT_NAMES:
            words.pop()
        if len(words) >= 2:
            start, end = words[0].start(), words[-1].end()
            if not any(start < other_end and other_start < end for other_start, other_end in taken):
                name = " ".join(word.group() for word in words)
                counts[name] = counts.get(name, 0) + 1
                first_seen.setdefault(name, start)
        run.clear()

    for word in _WORD.finditer(text):
        value = word.group()
        capitalised = value[0].isupper() and not value.isupper()
        adjacent = run and text[run[-1].end() : word.start()] == " "
        if capitalised and (not run or adjacent):
            run.append(word)
            continue
        close()
        if capitalised:
            run.append(word)
    close()
    ranked = sorted(counts, key=lambda name: (-counts[name], first_seen[name]))
    return ranked[:limit]
