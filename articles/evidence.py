"""Does the text around a mention support it? The matcher's rules about context.

Pure functions over the matcher's folded text (one space between words, dashes as
spaces): what precedes a surname (a title, another first name), what follows it
(Jr.), and whether a document supports a name that is also a common word or
another place's name. No Django and no database, like ``matching.py``.
"""

import re

from articles.us_states import US_STATES

# Words a title before a surname is made of ("Prime Minister", "Foreign Minister").
# Spellings are folded to one form so "Defence Minister" fits "Minister of Defense".
_TITLE_SYNONYMS = {"defence": "defense", "premier": "prime", "pm": "prime"}
TITLE_WORDS = frozenset(
    "president vice prime minister deputy foreign defense defence interior economy finance "
    "energy justice speaker chairman chairwoman ambassador mayor governor general colonel "
    "commander envoy secretary premier king queen".split()
)
# A title about someone's past ("former President Aliyev") is not their current title.
_PAST = frozenset("former late ex then".split())

# Words that start sentences or qualify a name rather than being a first name.
_NOT_FIRST_NAMES = frozenset(
    "a an the this that these those in on at by for of to from with and or but as if "
    "he she it they we i his her its their our mr mrs ms dr mr. mrs. ms. dr. "
    "monday tuesday wednesday thursday friday saturday sunday "
    "january february march april may june july august september october november "
    "december said says told when while after before since also then".split()
)
_GENERATION_AFTER = re.compile(r",? (?:Jr|Sr|Junior|Senior)\b\.?|,? (?:II|III|IV)\b")


def _words_before(text: str, start: int, limit: int = 4) -> list[str]:
    """Up to ``limit`` words right before ``start``, each followed by a single space.

    A word is letters, digits, apostrophes and dots ("Mr."): a comma or a quote
    ends the look back. Called for every surname, so no regular expression.
    """
    words = []
    end = start
    while len(words) < limit and end > 1 and text[end - 1] == " ":
        word_start = text.rfind(" ", 0, end - 1) + 1
        word = text[word_start : end - 1]
        if not word[:1].isalpha() or not all(char.isalnum() or char in "'." for char in word):
            break
        words.append(word)
        end = word_start
    return words[::-1]


def title_before(text: str, start: int) -> frozenset[str]:
    """The title words right before a surname ("Prime Minister" -> {prime, minister}).

    Empty if there is none, or if it is a past title ("former President").
    """
    words = _words_before(text, start)
    title = []
    for word in reversed(words):
        lowered = word.casefold()
        if lowered in TITLE_WORDS and word[0].isupper():
            title.append(_TITLE_SYNONYMS.get(lowered, lowered))
            continue
        if lowered in _PAST:
            return frozenset()
        break
    return frozenset(title)


def title_words(title: str) -> frozenset[str]:
    """The words of a stored title ("Minister of Foreign Affairs of Azerbaijan")."""
    words = (word.casefold().strip(",.()") for word in title.split())
    return frozenset(_TITLE_SYNONYMS.get(word, word) for word in words if word)


def title_fits(said: frozenset[str], stored: frozenset[str]) -> bool:
    """Whether a title in the text ("Foreign Minister") fits a stored one."""
    return bool(said) and said <= stored


def other_first_name_before(text: str, start: int) -> bool:
    """Whether a surname follows a capitalised word that is not a title: "Ali Aliyev".

    That is a namesake or a relative, not the person the gazetteer knows.
    """
    words = _words_before(text, start, limit=1)
    if not words:
        return False
    word = words[0]
    lowered = word.casefold()
    return (
        word[0].isupper()
        and not word.isupper()
        and lowered not in TITLE_WORDS
        and lowered not in _NOT_FIRST_NAMES
        and not lowered.endswith(("'s", "."))
    )


def generation_after(text: str, end: int) -> bool:
    """Whether a name is followed by "Jr." or "Sr.": the person's father or son."""
    return _GENERATION_AFTER.match(text, end) is not None


# A shouted line this short, with no sentence inside it, is a headline or a dateline;
# longer, it is running text in capitals, where case says nothing about names.
HEADLINE_WORDS = 12
_SENTENCE_BREAK = re.compile(r"[.!?] +\S")


def is_shouted(line: str) -> bool:
    """Whether a line is written in capitals: letters, and none of them lower case."""
    return any(char.isalpha() for char in line) and not any(char.islower() for char in line)


def is_headline(line: str) -> bool:
    """Whether a shouted line reads as a headline or dateline rather than running text."""
    return len(line.split()) <= HEADLINE_WORDS and not _SENTENCE_BREAK.search(line.strip())


# A word in capitals this long beside a short one makes a shouted run ("GIVE US A
# BREAK"); shorter, it is more likely another acronym ("US EU talks").
_SHOUTED_WORD_LETTERS = 4


def _shouted_word(word: str) -> bool:
    letters = sum(char.isalpha() for char in word)
    return letters >= _SHOUTED_WORD_LETTERS and word.isupper()


def in_shouted_run(text: str, start: int, end: int) -> bool:
    """Whether a short word in capitals stands beside a longer one in capitals.

    Then it is part of a shouted phrase inside mixed-case copy, a banner or a quote:
    "US" in "GIVE US A BREAK" is the pronoun, not the country.
    """
    before = _words_before(text, start, limit=1)
    if before and _shouted_word(before[0]):
        return True
    if text[end : end + 1] != " ":
        return False
    after_end = text.find(" ", end + 1)
    after = text[end + 1 : after_end if after_end >= 0 else len(text)].strip(".,:;!?\"'()")
    return _shouted_word(after)


# Words right beside a name that say it is not the newsroom's: "Gov. Kemp of Georgia",
# "Georgia Tech", "roast turkey". Lower-cased, as written in folded text.
_ELSEWHERE_BEFORE = frozenset(
    "gov. governor sen. senator rep. state atlanta roast wild stuffed north dear".split()
)
_ELSEWHERE_AFTER = frozenset(
    "gov. governor ga. state tech bulldogs senate legislature democrats republicans county "
    "peach dinner".split()
)
# Words anywhere in a story that place it in America, at a table or on a pitch.
_ELSEWHERE_IN_TEXT = re.compile(
    r"\b(?:Atlanta|Savannah|Peach State|NFL|NCAA|NBA|touchdowns?|quarterback|Super Bowl|"
    r"Bulldogs|Falcons|Thanksgiving|gobble|cranberr(?:y|ies))\b|\b(?:Ga|Gov)\."
)
# "Trend reports", "told Trend", "according to Trend": an agency named as one.
_AGENCY_AFTER = frozenset("reports reported reporting correspondent learned agency".split())
_AGENCY_BEFORE = frozenset("told to via by according cited quoted".split())


def _word_after(text: str, end: int) -> str:
    if text[end : end + 1] not in (" ", ","):
        return text[end : end + 3].strip().casefold() if text[end : end + 2] == "'s" else ""
    rest = text[end:].lstrip(" ,")
    word_end = rest.find(" ")
    return (rest if word_end < 0 else rest[:word_end]).casefold().rstrip(",;:")


def points_elsewhere_nearby(text: str, start: int, end: int) -> bool:
    """Whether the words beside a mention say it names something else."""
    before = [word.casefold() for word in _words_before(text, start, limit=2)]
    if before and before[-1] in _ELSEWHERE_BEFORE:
        return True
    if before[-2:] == ["state", "of"]:
        return True
    return _word_after(text, end) in _ELSEWHERE_AFTER


def points_elsewhere(text: str) -> bool:
    """Whether anything in the story places it far from the newsroom's region."""
    return _ELSEWHERE_IN_TEXT.search(text) is not None


def named_as_agency(text: str, start: int, end: int) -> bool:
    """Whether a name is used as a news agency's: "Trend reports", "told Trend"."""
    before = [word.casefold() for word in _words_before(text, start, limit=1)]
    return _word_after(text, end) in _AGENCY_AFTER or bool(before and before[0] in _AGENCY_BEFORE)


# "Athens, Ga.": a city followed by a state as AP style abbreviates it is American. Only
# the dotted abbreviations count in running text: a state's name after a comma is as
# often a list of countries ("Baku, Georgia and Armenia"), a postal code an acronym.
_US_STATE_AFTER = re.compile(
    r", ?(?P<state>"
    + "|".join(
        re.escape(spelling)
        for abbreviations in US_STATES.values()
        for spelling in sorted(abbreviations, key=len, reverse=True)
        if spelling.endswith(".")
    )
    + r")(?!\w)"
)
_STATE_OF = {
    spelling: state for state, abbreviations in US_STATES.items() for spelling in abbreviations
}


def us_state_after(text: str, end: int) -> tuple[str, str] | None:
    """The US state written right after a place ("Athens, Ga."): (its name, as written)."""
    if text[end : end + 1] != ",":
        return None
    match = _US_STATE_AFTER.match(text, end)
    if match is None:
        return None
    return _STATE_OF[match["state"]], match["state"]
