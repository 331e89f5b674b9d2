"""ASCII slugs from names and headlines, transliterated by language-aware rules.

A generic accent fold turns "Gəncə" into "gnc" or "gance" and drops Cyrillic
entirely; readers and editors expect the spellings the region itself uses in
Latin script ("gence", "mingechevir").
"""

import re
import unicodedata

# Azerbaijani Latin letters that Unicode does not decompose into a base letter,
# or whose usual romanisation is a digraph.
AZERBAIJANI = {"ə": "e", "ş": "sh", "ç": "ch", "ğ": "g", "ı": "i", "ö": "o", "ü": "u"}

# Cyrillic by the simplified BGN/PCGN romanisation newsrooms use (Russian, with
# the extra letters of Ukrainian and of Azerbaijani Cyrillic).
CYRILLIC = {
    "а": "a",
    "б": "b",
    "в": "v",
    "г": "g",
    "д": "d",
    "е": "e",
    "ё": "yo",
    "ж": "zh",
    "з": "z",
    "и": "i",
    "й": "y",
    "к": "k",
    "л": "l",
    "м": "m",
    "н": "n",
    "о": "o",
    "п": "p",
    "р": "r",
    "с": "s",
    "т": "t",
    "у": "u",
    "ф": "f",
    "х": "kh",
    "ц": "ts",
    "ч": "ch",
    "ш": "sh",
    "щ": "shch",
    "ъ": "",
    "ы": "y",
    "ь": "",
    "э": "e",
    "ю": "yu",
    "я": "ya",
    "і": "i",
    "ї": "yi",
    "є": "ye",
    "ґ": "g",
    "ә": "e",
    "ғ": "gh",
    "ҹ": "j",
    "һ": "h",
    "ө": "o",
    "ү": "u",
    "ј": "y",
    "ҝ": "g",
}

# Latin letters that NFKD leaves alone, and apostrophes, which join rather than
# split words ("Azerbaijan's" → "azerbaijans").
OTHER = {
    "ß": "ss",
    "æ": "ae",
    "œ": "oe",
    "ø": "o",
    "đ": "d",
    "ł": "l",
    "þ": "th",
    "ð": "d",
    "'": "",
    "’": "",
    "ʼ": "",
}

# Tables hold lower-case letters only: text is lower-cased before translation.
TRANSLITERATION = str.maketrans({**AZERBAIJANI, **CYRILLIC, **OTHER})

NON_SLUG = re.compile(r"[^a-z0-9]+")


def transliterate(text):
    """Return ``text`` lower-cased in plain ASCII, romanising Azerbaijani and Cyrillic."""
    text = unicodedata.normalize("NFC", text).lower().translate(TRANSLITERATION)
    decomposed = unicodedata.normalize("NFKD", text)
    return decomposed.encode("ascii", "ignore").decode("ascii")


def slugify_text(text, *, max_length=80):
    """Lower-case ASCII words joined by hyphens, cut at a word boundary.

    May return "" for text with no letters or digits in any script we know;
    callers supply a fallback so that a slug is never empty.
    """
    slug = NON_SLUG.sub("-", transliterate(text)).strip("-")
    if len(slug) > max_length:
        cut = slug[: max_length + 1]
        slug = cut.rsplit("-", 1)[0] if "-" in cut else slug[:max_length]
    return slug.strip("-")
