"""The body as reader HTML: its format, sanitised, first mentions linked."""

from html.parser import HTMLParser

import pytest

from articles.matching import Entity, Gazetteer
from articles.rendering import render_body, sanitise
from articles.text import paragraphs

GAZETTEER = Gazetteer(
    [
        Entity("place", 1, "Ganja", ("Gəncə",)),
        Entity("place", 2, "Azerbaijan", ("Azerbaijani",)),
        Entity("person", 1, "Zakir Hasanov", ("Hasanov",)),
        Entity("place", 3, "Khizi", ()),
    ]
)
LINKS = {
    ("place", 1): "/places/ganja/",
    ("place", 2): "/places/azerbaijan/",
    ("person", 1): "/people/zakir-hasanov/",
}


def render(body):
    return render_body(body, find_mentions=GAZETTEER.find_mentions, links=LINKS)


def test_paragraphs_and_wraps():
    assert paragraphs("One\nline.\n\n\n\nTwo.\n\n   ") == ["One line.", "Two."]


def test_each_linked_entity_is_linked_once_at_its_first_mention():
    html = render("Zakir Hasanov visited Ganja.\n\nHasanov left Ganja for Azerbaijani lines.")
    assert html == (
        '<p><a href="/people/zakir-hasanov/" class="mention">Zakir Hasanov</a> visited '
        '<a href="/places/ganja/" class="mention">Ganja</a>.</p>\n'
        "<p>Hasanov left Ganja for "
        '<a href="/places/azerbaijan/" class="mention">Azerbaijani</a> lines.</p>'
    )


def test_an_entity_the_story_is_not_linked_to_stays_text():
    assert render("Khizi was shelled.") == "<p>Khizi was shelled.</p>"


@pytest.mark.parametrize(
    "hostile",
    [
        "<script>alert(1)</script>",
        '<img src=x onerror="alert(1)">',
        '<a href="javascript:alert(1)">Ganja</a>',
        "</p><iframe src=//evil></iframe>",
        "Ganja & Co <b>bold</b>",
    ],
)
def test_typed_markup_is_text(hostile):
    tags = []

    class Tags(HTMLParser):
        def handle_starttag(self, tag, attrs):
            tags.append((tag, dict(attrs)))

    Tags().feed(render(hostile))
    assert {tag for tag, _ in tags} <= {"p", "a"}
    assert all(attrs.get("href") in LINKS.values() for tag, attrs in tags if tag == "a")


def test_sanitise_keeps_the_format_and_no_script():
    # Editors link to any address (the body's format); scripts and handlers never pass.
    assert sanitise(
        '<p onclick="x()">a <a href="https://example.org/">b</a> '
        '<a href="javascript:alert(1)">c</a></p>'
    ) == ('<p>a <a href="https://example.org/">b</a> <a>c</a></p>')


def test_mentions_are_not_linked_inside_an_editors_link_or_a_subheading():
    html = render(
        '<h2>Ganja</h2><p><a href="https://example.org/">Ganja today</a>, and Ganja again.</p>'
    )
    assert html == (
        "<h2>Ganja</h2>\n"
        '<p><a href="https://example.org/">Ganja today</a>, and '
        '<a href="/places/ganja/" class="mention">Ganja</a> again.</p>'
    )


def test_an_editors_link_to_an_entity_points_at_its_current_address():
    html = render_body(
        '<p>See <a href="/places/old-slug/" data-link="place:1">the city</a> and Ganja.</p>',
        find_mentions=GAZETTEER.find_mentions,
        links=LINKS,
        addresses={("place", 1): "/places/ganja/"},
    )
    # The editor linked Ganja already: its later mention is not linked again.
    assert html == (
        '<p>See <a href="/places/ganja/" data-link="place:1">the city</a> and Ganja.</p>'
    )


def test_an_empty_body_is_empty():
    assert render("") == ""
