"""Readable word-by-word differences between two versions of a text.

Used wherever an editor compares texts: an agency update against the story,
a revision against the current version. Pure: returns plain data, and the
templates escape it, so no editor's or agency's text is ever marked safe.
"""

import difflib
import re
from dataclasses import dataclass

# Words and the whitespace between them, so joining the pieces gives the text
# back and a word at the end of a paragraph still matches itself.
TOKENS = re.compile(r"\s+|\S+")


@dataclass(frozen=True)
class Piece:
    op: str  # "equal", "insert" or "delete"
    text: str


def word_diff(old, new):
    """The pieces that turn ``old`` into ``new``, word by word.

    Joining the "equal" and "delete" pieces gives ``old`` back; joining the
    "equal" and "insert" pieces gives ``new``.
    """
    old_words, new_words = TOKENS.findall(old or ""), TOKENS.findall(new or "")
    matcher = difflib.SequenceMatcher(a=old_words, b=new_words, autojunk=False)
    pieces = []
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        if op == "equal":
            pieces.append(Piece("equal", "".join(old_words[a1:a2])))
            continue
        if a2 > a1:
            pieces.append(Piece("delete", "".join(old_words[a1:a2])))
        if b2 > b1:
            pieces.append(Piece("insert", "".join(new_words[b1:b2])))
    return pieces


def changed(pieces):
    return any(piece.op != "equal" for piece in pieces)
