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


class TestFigures:
    """A body's figure as the picture it names (markup the caller made from the library)."""

    PICTURE = (
        '<picture class="picture-inline"><source type="image/webp" srcset="/m/a.webp 640w" '
        'sizes="100vw"><img src="/m/a.jpg" srcset="/m/a.jpg 640w" sizes="100vw" width="640" '
        'height="360" alt="Ships" loading="lazy" decoding="async"></picture>'
    )

    def figures(self, **fields):
        from articles.rendering import Figure

        return {7: Figure(picture=self.PICTURE, **fields)}

    def render(self, body, **fields):
        return render_body(
            body, find_mentions=GAZETTEER.find_mentions, links=LINKS, figures=self.figures(**fields)
        )

    def test_the_picture_with_its_own_caption_and_credit(self):
        out = self.render('<figure data-image="7"></figure>', caption="In Ganja", credit="A / B")
        assert out == (
            f'<figure class="picture" data-image="7">{self.PICTURE}'
            '<figcaption>In Ganja <span class="credit">A / B</span></figcaption></figure>'
        )

    def test_the_bodys_caption_is_not_searched_for_mentions(self):
        out = self.render(
            '<p>Text.</p><figure data-image="7"><figcaption>Ganja at <em>dawn</em></figcaption>'
            "</figure>",
            caption="Not this",
        )
        assert "<figcaption>Ganja at <em>dawn</em></figcaption>" in out
        assert "Not this" not in out and "mention" not in out

    def test_a_figure_not_given_is_nothing(self):
        assert (
            self.render(
                '<p>A.</p><figure data-image="8"><figcaption>Gone</figcaption></figure>'
            ).strip()
            == "<p>A.</p>"
        )

    def test_no_caption_and_no_credit_is_no_figcaption(self):
        assert "<figcaption>" not in self.render('<figure data-image="7"></figure>')

    @pytest.mark.parametrize(
        "body",
        [
            '<p><img src="x" onerror="alert(1)"></p>',
            '<picture><source srcset="javascript:alert(1)"><img src="x"></picture>',
            '<figure data-image="7" onclick="alert(1)"><img src="x"></figure>',
        ],
    )
    def test_a_body_cannot_bring_its_own_images(self, body):
        out = self.render(body)
        assert "onerror" not in out and "onclick" not in out and "javascript" not in out
        assert out.count("<img") == out.count(self.PICTURE)
