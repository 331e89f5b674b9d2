import pytest

from articles.diffs import changed, word_diff


def rebuild(pieces, keep):
    return "".join(piece.text for piece in pieces if piece.op in {"equal", keep})


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("", ""),
        ("", "New text."),
        ("Old text.", ""),
        ("Armenia occupied 20 percent.", "Armenia occupied 25 percent."),
        ("One.\n\nTwo.", "One.\n\nTwo.\n\nThree."),
        ("Ganja   was  shelled.", "Ganja was shelled."),
    ],
)
def test_pieces_rebuild_both_texts(old, new):
    pieces = word_diff(old, new)
    assert rebuild(pieces, "delete") == old
    assert rebuild(pieces, "insert") == new


def test_a_corrected_figure_is_one_word():
    pieces = word_diff("Armenia occupied 20 percent.", "Armenia occupied 25 percent.")
    assert [(p.op, p.text) for p in pieces if p.op != "equal"] == [
        ("delete", "20"),
        ("insert", "25"),
    ]


def test_unchanged_text_has_no_changes():
    assert not changed(word_diff("Same.", "Same."))
    assert changed(word_diff("Same.", "Same!"))
