"""Three-way merge of two editors' saves of one story: pure functions over plain values.

Both editors started from the same revision (``base``); a colleague saved
(``theirs``) and this editor is saving (``mine``). A field only one of them
changed takes that change; a field both changed the same way is settled; a
field both changed differently is a conflict for the editor to decide. A body
merges paragraph by paragraph, so two editors working on different paragraphs
never need to choose; links merge as sets (what either added, less what either
removed).
"""

import difflib
import re
from dataclasses import dataclass, field

from articles import bodies

BLANK_LINES = re.compile(r"\n\s*\n")


@dataclass(frozen=True)
class Hunk:
    """Paragraphs both editors changed differently, as each left them."""

    base: str
    mine: str
    theirs: str


@dataclass
class Merge:
    """The merged values, and what only the editor can decide."""

    values: dict = field(default_factory=dict)
    taken_from_theirs: list = field(default_factory=list)
    conflicts: list = field(default_factory=list)  # names of fields both changed
    body_hunks: list = field(default_factory=list)  # Hunk, when the body conflicts

    @property
    def clean(self):
        return not self.conflicts


def paragraphs(body):
    """A body's blocks: its top-level elements in the body's HTML format, or the
    blank-line separated paragraphs of plain text, as typed."""
    if bodies.MARKUP.match(body or ""):
        return bodies.blocks(body)
    return [block.strip() for block in BLANK_LINES.split(body or "") if block.strip()]


def _joined(blocks, like):
    return ("\n" if bodies.MARKUP.match(like or "") else "\n\n").join(blocks)


def merge_story(*, base, mine, theirs, sets=(), texts=()):
    """Merge three {field: value} dicts. ``sets`` are fields holding sets of ids
    (links); ``texts`` are fields merged by paragraph (the body)."""
    merged = Merge()
    for name, mine_value in mine.items():
        base_value, their_value = base.get(name), theirs.get(name)
        if name in sets:
            merged.values[name] = merge_sets(base_value, mine_value, their_value)
            if merged.values[name] != set(mine_value) and their_value != base_value:
                merged.taken_from_theirs.append(name)
        elif mine_value == their_value or their_value == base_value:
            merged.values[name] = mine_value
        elif mine_value == base_value:
            merged.values[name] = their_value
            merged.taken_from_theirs.append(name)
        elif name in texts:
            body, hunks = merge_paragraphs(base_value, mine_value, their_value)
            merged.values[name] = body
            merged.taken_from_theirs.append(name)
            if hunks:
                merged.conflicts.append(name)
                merged.body_hunks = hunks
        else:
            merged.values[name] = mine_value
            merged.conflicts.append(name)
    return merged


def merge_sets(base, mine, theirs):
    base, mine, theirs = set(base or ()), set(mine or ()), set(theirs or ())
    return (base | (mine - base) | (theirs - base)) - (base - mine) - (base - theirs)


def merge_paragraphs(base, mine, theirs):
    """The body merged by paragraph, and the hunks both changed differently.

    Conflicting hunks are left as this editor wrote them; each Hunk says what
    the colleague wrote there instead.
    """
    base_blocks, mine_blocks, their_blocks = paragraphs(base), paragraphs(mine), paragraphs(theirs)
    changes = [
        *_changes(base_blocks, mine_blocks, "mine"),
        *_changes(base_blocks, their_blocks, "theirs"),
    ]
    changes.sort(key=lambda change: (change[0], change[1]))
    result, hunks, position = [], [], 0
    for group in _overlapping(changes):
        start = min(change[0] for change in group)
        end = max(change[1] for change in group)
        result += base_blocks[position:start]
        sides = {side for *_, side, _ in group}
        mine_text = _apply(base_blocks, start, end, [c for c in group if c[2] == "mine"])
        their_text = _apply(base_blocks, start, end, [c for c in group if c[2] == "theirs"])
        if sides == {"mine"} or mine_text == their_text:
            result += mine_text
        elif sides == {"theirs"}:
            result += their_text
        else:
            result += mine_text
            hunks.append(
                Hunk(
                    base=_joined(base_blocks[start:end], mine),
                    mine=_joined(mine_text, mine),
                    theirs=_joined(their_text, mine),
                )
            )
        position = end
    result += base_blocks[position:]
    return _joined(result, mine), hunks


def _changes(base, other, side):
    """(start, end, side, replacement) for each run of paragraphs ``other`` changed."""
    matcher = difflib.SequenceMatcher(a=base, b=other, autojunk=False)
    return [
        (i1, i2, side, other[j1:j2])
        for op, i1, i2, j1, j2 in matcher.get_opcodes()
        if op != "equal"
    ]


def _overlapping(changes):
    """Changes grouped where their ranges of the base meet (sorted by start)."""
    groups = []
    for change in changes:
        start, end = change[0], change[1]
        if groups:
            group_start = min(c[0] for c in groups[-1])
            group_end = max(c[1] for c in groups[-1])
            # Ranges that overlap, or two insertions at one place: which comes
            # first cannot be told, so it is one hunk.
            touching = start == group_end and (start == end or group_start == group_end)
            if start < group_end or touching:
                groups[-1].append(change)
                continue
        groups.append([change])
    return groups


def _apply(base, start, end, changes):
    """base[start:end] with one side's changes applied."""
    blocks, position = [], start
    for change_start, change_end, _side, replacement in sorted(changes):
        blocks += base[position:change_start]
        blocks += replacement
        position = change_end
    blocks += base[position:end]
    return blocks
