"""Deterministic synthetic newsroom material: names and wire stories.

For benchmarks and for generating a large archive: the same seed gives the same
text in every process, so figures are comparable between runs and machines.
"""

import random

# Words agency copy is made of, so shingles and search behave as on real text.
VOCABULARY = [
    "the",
    "a",
    "of",
    "to",
    "in",
    "and",
    "on",
    "for",
    "with",
    "at",
    "by",
    "from",
    "as",
    "after",
    "over",
    "against",
    "during",
    "about",
    "minister",
    "ministry",
    "government",
    "president",
    "parliament",
    "army",
    "troops",
    "forces",
    "officials",
    "said",
    "says",
    "reported",
    "told",
    "announced",
    "confirmed",
    "denied",
    "warned",
    "ordered",
    "urged",
    "added",
    "meeting",
    "talks",
    "agreement",
    "ceasefire",
    "border",
    "region",
    "city",
    "district",
    "capital",
    "village",
    "attack",
    "attacks",
    "shelling",
    "missile",
    "strike",
    "strikes",
    "defense",
    "security",
    "operation",
    "front",
    "line",
    "positions",
    "heights",
    "territories",
    "liberated",
    "occupied",
    "civilians",
    "residents",
    "killed",
    "wounded",
    "injured",
    "damaged",
    "destroyed",
    "houses",
    "schools",
    "hospital",
    "buildings",
    "economy",
    "bank",
    "budget",
    "oil",
    "gas",
    "pipeline",
    "exports",
    "prices",
    "inflation",
    "growth",
    "trade",
    "project",
    "construction",
    "road",
    "railway",
    "bridge",
    "airport",
    "port",
    "energy",
    "water",
    "international",
    "organisation",
    "delegation",
    "visit",
    "ambassador",
    "embassy",
    "statement",
    "week",
    "month",
    "year",
    "today",
    "yesterday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "monday",
    "morning",
    "evening",
    "night",
    "early",
    "late",
    "new",
    "former",
    "current",
    "several",
    "many",
    "two",
    "three",
    "important",
    "strategic",
    "military",
    "political",
    "economic",
    "social",
    "regional",
    "national",
]

SYLLABLES = [
    "ka",
    "lo",
    "mi",
    "ran",
    "tes",
    "vor",
    "zel",
    "pa",
    "dri",
    "nu",
    "sha",
    "gen",
    "bar",
    "mir",
    "tal",
    "ov",
    "ev",
    "an",
    "is",
    "ur",
]


def name(rng, words=2):
    """A pronounceable capitalised name, e.g. "Mirtal Kaovev"."""
    return " ".join(
        "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 3))).capitalize()
        for _ in range(words)
    )


def sentence(rng, mentions=()):
    words = [rng.choice(VOCABULARY) for _ in range(rng.randint(12, 24))]
    for mention in mentions:
        words.insert(rng.randrange(1, len(words)), mention)
    text = " ".join(words)
    return text[0].upper() + text[1:] + "."


def paragraphs(rng, *, word_count, names=()):
    """About ``word_count`` words in paragraphs of two or three sentences.

    Each of ``names`` is mentioned once, spread through the text.
    """
    pending = list(names)
    result, total = [], 0
    while total < word_count:
        mentions = [pending.pop()] if pending and rng.random() < 0.5 else []
        text = " ".join(sentence(rng, mentions) for _ in range(rng.randint(2, 3)))
        result.append(text)
        total += len(text.split())
    if pending:
        result.append(sentence(rng, pending))
    return result


def wire_story(rng, *, agency, word_count=600, names=()):
    """Plain-text agency copy in the seed's format: a byline, then paragraphs."""
    body = "\n\n".join(paragraphs(rng, word_count=word_count, names=names))
    return f"By {agency}\n\n{body}\n"


def generator(seed):
    return random.Random(seed)
