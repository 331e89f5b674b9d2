"""Merging two editors' saves of one story (articles/merging.py): pure, no database."""

from articles.merging import Hunk, merge_paragraphs, merge_sets, merge_story


def test_fields_only_one_editor_changed_are_taken_from_that_editor():
    base = {"headline": "Old", "summary": "Old summary", "byline": "By Trend"}
    mine = {"headline": "New headline", "summary": "Old summary", "byline": "By Trend"}
    theirs = {"headline": "Old", "summary": "New summary", "byline": "By Trend"}
    merged = merge_story(base=base, mine=mine, theirs=theirs)
    assert merged.clean
    assert merged.values == {
        "headline": "New headline",
        "summary": "New summary",
        "byline": "By Trend",
    }
    assert merged.taken_from_theirs == ["summary"]


def test_a_field_both_changed_differently_is_for_the_editor_to_choose():
    merged = merge_story(base={"headline": "Old"}, mine={"headline": "A"}, theirs={"headline": "B"})
    assert merged.conflicts == ["headline"]
    assert merged.values == {"headline": "A"}


def test_the_same_change_by_both_is_no_conflict():
    merged = merge_story(base={"headline": "Old"}, mine={"headline": "A"}, theirs={"headline": "A"})
    assert merged.clean and merged.values == {"headline": "A"}


def test_links_merge_as_sets():
    assert merge_sets({1, 2}, {1, 2, 3}, {2, 4}) == {2, 3, 4}
    merged = merge_story(
        base={"places": {1, 2}}, mine={"places": {1, 2, 3}}, theirs={"places": {2}}, sets={"places"}
    )
    assert merged.clean and merged.values == {"places": {2, 3}}


def test_bodies_merge_by_paragraph():
    base = "One.\n\nTwo.\n\nThree."
    mine = "One, edited by me.\n\nTwo.\n\nThree."
    theirs = "One.\n\nTwo.\n\nThree, edited by them.\n\nFour, added by them."
    assert merge_paragraphs(base, mine, theirs) == (
        "One, edited by me.\n\nTwo.\n\nThree, edited by them.\n\nFour, added by them.",
        [],
    )


def test_a_paragraph_both_changed_is_a_hunk_left_as_mine():
    body, hunks = merge_paragraphs("One.\n\nTwo.", "One.\n\nTwo, mine.", "One.\n\nTwo, theirs.")
    assert body == "One.\n\nTwo, mine."
    assert hunks == [Hunk(base="Two.", mine="Two, mine.", theirs="Two, theirs.")]


def test_two_insertions_at_one_place_are_a_hunk():
    body, hunks = merge_paragraphs("One.", "One.\n\nMine.", "One.\n\nTheirs.")
    assert hunks == [Hunk(base="", mine="Mine.", theirs="Theirs.")]


def test_a_body_both_changed_in_different_paragraphs_merges_cleanly():
    merged = merge_story(
        base={"body": "A.\n\nB."},
        mine={"body": "A, mine.\n\nB."},
        theirs={"body": "A.\n\nB, theirs."},
        texts={"body"},
    )
    assert merged.clean and merged.values["body"] == "A, mine.\n\nB, theirs."


def test_line_endings_and_wraps_inside_a_paragraph_are_kept():
    body, _ = merge_paragraphs(
        "One\nwrapped.\n\nTwo.", "One\nwrapped.\n\nTwo, mine.", "One\nwrapped.\n\nTwo."
    )
    assert body == "One\nwrapped.\n\nTwo, mine."
