"""The body format (articles/bodies.py): what any input becomes, its plain text, and what
the body links and places. No database: these are rules about text."""

import pytest

from articles import bodies
from tests.helpers import XSS_CORPUS, assert_body_in_the_format

# Every construct of the format, as the format writes it: cleaning it changes nothing.
EVERY_CONSTRUCT = "\n".join(
    [
        "<h2>A subheading</h2>",
        "<h3>A minor subheading</h3>",
        "<p>Plain, <strong>bold</strong>, <em>italic</em>,<br>a line break and "
        '<a href="https://example.org/a?b=1">an address</a>, <a href="/corrections/">a page</a>, '
        '<a href="mailto:desk@example.org">a mailbox</a> and '
        '<a href="/people/ilham-aliyev/" data-link="person:12">a person</a>.</p>',
        "<blockquote>\n<p>A quote.</p>\n<p>Its second paragraph.</p>\n</blockquote>",
        '<blockquote class="pull-quote">\n<p>A pull quote.</p>\n</blockquote>',
        "<ul>\n<li>one</li>\n<li>two</li>\n</ul>",
        "<ol>\n<li>first</li>\n<li>second</li>\n</ol>",
        '<figure data-image="7">\n<figcaption>A caption, <em>credited</em></figcaption>\n</figure>',
        '<figure data-image="8">\n</figure>',
    ]
)


class TestWireCopyStaysExact:
    """Agency text is escaped into paragraphs: nothing in it is read as formatting."""

    @pytest.mark.parametrize(
        "line",
        [
            "1994. The year the ceasefire was signed.",
            "1. Not a numbered list",
            "* not a bullet, _not italic_, **not bold**",
            "# not a heading",
            "> not a quote",
            "See https://example.org/report and www.example.org",
            "Prices rose 5 < 7 > 3 & more",
            "[a link](https://example.org) is text too",
        ],
    )
    def test_a_line_of_copy_is_a_paragraph_of_the_same_characters(self, line):
        body = bodies.clean(line)

        assert body.startswith("<p>") and body.endswith("</p>")
        assert bodies.to_text(body) == line
        assert "<a" not in body and "<li" not in body and "<h" not in body[3:]

    def test_blank_lines_separate_paragraphs_and_windows_line_endings_are_lines(self):
        body = bodies.clean("BAKU, Dec. 1 (Reuters) -\r\nFirst line\r\n\r\n\r\nSecond.\r\n")

        assert body == "<p>BAKU, Dec. 1 (Reuters) - First line</p>\n<p>Second.</p>"

    def test_text_that_only_contains_a_tag_later_is_text(self):
        assert bodies.clean("Tail <p>not markup</p>") == "<p>Tail &lt;p&gt;not markup&lt;/p&gt;</p>"

    @pytest.mark.parametrize("empty", ["", "   ", "\r\n\r\n", None, "<p></p>", "<p> <br> </p>"])
    def test_nothing_is_no_body(self, empty):
        assert bodies.clean(empty) == ""


class TestTheFormat:
    def test_every_construct_survives_cleaning_unchanged(self):
        assert bodies.clean(EVERY_CONSTRUCT) == EVERY_CONSTRUCT

    @pytest.mark.parametrize(
        ("given", "stored"),
        [
            ("<h1>Title</h1>", "<h2>Title</h2>"),
            ("<h4>Minor</h4>", "<h3>Minor</h3>"),
            ("<p><b>bold</b> <i>italic</i></p>", "<p><strong>bold</strong> <em>italic</em></p>"),
            ("<div>a pasted block</div>", "<p>a pasted block</p>"),
        ],
    )
    def test_what_pasted_documents_use_becomes_the_formats_own_tags(self, given, stored):
        assert bodies.clean(given) == stored

    @pytest.mark.parametrize(
        ("given", "stored"),
        [
            (
                "<span>loose</span> text<p>then a block</p>",
                "<p>loose text</p>\n<p>then a block</p>",
            ),
            (
                "<ul><li><p>item</p><ul><li>nested</li></ul></li></ul>",
                "<ul>\n<li>item nested</li>\n</ul>",
            ),
            ("<p>outer<p>inner</p></p>", "<p>outer</p>\n<p>inner</p>"),
            (
                "<h2>A <a href='/x/'>linked</a> heading</h2>",
                '<h2>A <a href="/x/">linked</a> heading</h2>',
            ),
            (
                '<p><a href="/a/">outer <a href="/b/">inner</a></a></p>',
                '<p><a href="/a/">outer </a><a href="/b/">inner</a></p>',
            ),
            ("<table><tr><td>a cell</td></tr></table>", "<p>a cell</p>"),
            ("<p>  spaced  </p>", "<p>spaced</p>"),
        ],
    )
    def test_markup_is_put_in_the_formats_order(self, given, stored):
        assert bodies.clean(given) == stored
        assert bodies.clean(stored) == stored

    @pytest.mark.parametrize(
        "link",
        [
            "person:12\n",
            "person:0",
            "person:012",
            "planet:12",
            "person:12 onclick=alert(1)",
            "person:1234567890123456789012",
        ],
    )
    def test_a_data_link_that_is_not_exactly_kind_and_id_is_dropped(self, link):
        body = bodies.clean(f'<p><a href="/people/x/" data-link="{link}">x</a></p>')

        assert body == '<p><a href="/people/x/">x</a></p>'
        assert bodies.editor_links(body) == []

    @pytest.mark.parametrize("image", ["7\n", "0", "seven", "-7", ""])
    def test_a_figure_without_a_picture_id_goes(self, image):
        assert (
            bodies.clean(f'<figure data-image="{image}"><figcaption>c</figcaption></figure>') == ""
        )

    @pytest.mark.parametrize("markup", XSS_CORPUS)
    def test_hostile_markup_leaves_only_the_format(self, markup):
        body = bodies.clean(markup)

        assert_body_in_the_format(body)
        assert bodies.clean(body) == body

    def test_a_huge_body_is_cleaned_whole(self):
        paragraphs = [
            f"<p>Paragraph {n} with <strong>bold</strong> words.</p>" for n in range(5000)
        ]

        body = bodies.clean("".join(paragraphs))

        assert body == "\n".join(paragraphs)


class TestWhatABodySays:
    def test_plain_text_is_one_paragraph_per_block_without_markup(self):
        text = bodies.to_text(EVERY_CONSTRUCT)

        assert text.split("\n\n") == [
            "A subheading",
            "A minor subheading",
            "Plain, bold, italic, a line break and an address, a page, a mailbox and a person.",
            "A quote.",
            "Its second paragraph.",
            "A pull quote.",
            "one",
            "two",
            "first",
            "second",
            "A caption, credited",
        ]

    def test_entities_in_the_texts_characters_come_back_as_characters(self):
        assert bodies.to_text(bodies.clean("Tom & Jerry <3")) == "Tom & Jerry <3"

    def test_the_editors_links_in_order_once_each(self):
        body = bodies.clean(
            '<p><a href="/places/ganja/" data-link="place:3">Ganja</a>, '
            '<a href="/people/a/" data-link="person:12">A</a>, '
            '<a href="/places/ganja/" data-link="place:3">the city</a>, '
            '<a href="https://example.org/">an address</a></p>'
        )

        assert bodies.editor_links(body) == [("place", 3), ("person", 12)]

    def test_the_pictures_it_places_in_order(self):
        assert bodies.image_ids(EVERY_CONSTRUCT) == [7, 8]

    def test_words_are_counted_in_the_text(self):
        assert bodies.word_count(bodies.to_text(EVERY_CONSTRUCT)) == 36
