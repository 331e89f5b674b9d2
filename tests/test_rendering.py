"""The body as reader HTML: escaped, paragraphed, first mentions linked."""

from html.parser import HTMLParser

import pytest

from articles.matching import Entity, Gazetteer
from articles.rendering import paragraphs, render_body, sanitise

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


def test_sanitise_keeps_only_paragraphs_and_relative_links():
    assert sanitise('<p onclick="x()">a <a href="https://evil.example/">b</a></p>') == (
        "<p>a <a>b</a></p>"
    )


def test_an_empty_body_is_empty():
    assert render("") == ""
