"""Does the text around a mention support it? The matcher's rules about context.

Pure functions over the matcher's folded text (one space between words, dashes as
spaces): what precedes a surname (a title, another first name), what follows it
(Jr.), and whether a document supports a name that is also a common word or
another place's name. No Django and no database, like ``matching.py``.
"""

import re

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
