"""The story's body as reader HTML: its format, and each linked entity's first mention linked.

Rendered once, when the story is saved, from the body as stored (articles/bodies.py,
already clean). Mentions the gazetteer finds in the text become links to the
entities the story is linked to, the first time each is named, but never inside
a link an editor made, a subheading or a caption; an editor's own link to a
person, place, source or story points at its current address. The result goes
through nh3 once more, so templates may print ``body_html`` as it is.

A ``<figure data-image="ID">`` becomes the picture itself (its ``<picture>`` element,
made by the caller from the library: ``Figure``), with the body's caption or else the
picture's own, and its credit. A figure whose picture is not given (deleted, or never
held) renders nothing: a reader would get a broken image and an orphan caption.
"""

import html
from dataclasses import dataclass

import nh3

from articles import bodies

READER_TAGS = {*bodies.BLOCKS, *bodies.INLINE, "li", "figcaption", "span"}
READER_TAGS |= {"picture", "source", "img"}
READER_ATTRIBUTES = {
    "a": {"href", "data-link"},
    "figure": {"data-image"},
    "source": {"type", "srcset", "sizes"},
    "img": {"src", "srcset", "sizes", "width", "height", "alt", "loading", "decoding"},
}
READER_CLASSES = {
    "a": {"mention"},
    "blockquote": {bodies.PULL_QUOTE},
    "figure": {"picture"},
    "picture": {"picture-inline"},
    "span": {"credit"},
}
# Where a mention is not made a link: it would be a link in a link, or read badly.
NO_MENTIONS = frozenset({"a", "h2", "h3", "figcaption"})


@dataclass(frozen=True)
class Figure:
    """A library picture as a body shows it."""

    picture: str  # its <picture> element (articles/responsive.py), markup we made
    caption: str = ""  # the picture's own caption, text: for a figure the body gives none
    credit: str = ""  # "Jane Doe / Trend", text


def render_body(body, *, find_mentions, links, addresses=None, figures=None):
    """Reader HTML for ``body``, the first mention of each linked entity a link.

    ``find_mentions(text)`` returns mentions (start, end, kind, id) in ``text``;
    ``links`` maps (kind, id) to the address of each entity the story is linked
    to; ``addresses`` maps (kind, id) to the current address of what an editor
    linked by choosing it (entities and stories). Mentions of anything else stay
    plain text. ``figures`` maps a picture's id to its ``Figure``.
    """
    body = bodies.clean(body)  # plain text, or anything stored before the format
    linked = set(bodies.editor_links(body))
    render = _Renderer(find_mentions, links, addresses or {}, figures or {}, linked)
    return sanitise("".join(render(block, ()) for block in bodies.parse(body).children))


class _Renderer:
    """Renders each block; a figure as its picture, the rest as ``_render`` does."""

    def __init__(self, find_mentions, links, addresses, figures, linked):
        self.find_mentions = find_mentions
        self.links = links
        self.addresses = addresses
        self.figures = figures
        self.linked = linked  # what is already a link: each entity is linked once

    def __call__(self, node, ancestors):
        if node.tag == "figure":
            return self.figure(node)
        return self.render(node, ancestors)

    def figure(self, node):
        image_id = int(node.attrs["data-image"])
        figure = self.figures.get(image_id)
        if figure is None:
            return ""
        given = [
            child
            for caption in node.children
            if caption.tag == "figcaption"
            for child in caption.children
        ]
        written = "".join(_text(child) for child in given)
        if written.strip():
            inside = ("figure", "figcaption")
            caption = "".join(self.render(child, inside) for child in given)
        else:
            caption, written = html.escape(figure.caption, quote=False), figure.caption
        # The desk's chooser writes "caption — credit" into the body: credited once.
        if figure.credit and figure.credit not in written:
            credit = f'<span class="credit">{html.escape(figure.credit, quote=False)}</span>'
            caption = f"{caption} {credit}" if caption else credit
        caption = f"<figcaption>{caption}</figcaption>" if caption else ""
        return f'<figure class="picture" data-image="{image_id}">{figure.picture}{caption}</figure>'

    def render(self, node, ancestors):
        return _render(node, self.find_mentions, self.links, self.addresses, self.linked, ancestors)


def _text(node):
    return node.text if node.tag == "" else "".join(_text(child) for child in node.children)


def _render(node, find_mentions, links, addresses, linked, ancestors):
    if node.tag == "":
        if NO_MENTIONS.intersection(ancestors):
            return html.escape(node.text, quote=False)
        return _with_mentions(node.text, find_mentions, links, linked)
    if node.tag == "br":
        return "<br>"
    attrs = dict(node.attrs)
    if node.tag == "a" and (link := attrs.get("data-link")):
        kind, _, pk = link.partition(":")
        attrs["href"] = addresses.get((kind, int(pk)), attrs.get("href", ""))
    rendered_attrs = "".join(f' {name}="{html.escape(value)}"' for name, value in attrs.items())
    inside = (*ancestors, node.tag)
    inner = "".join(
        _render(child, find_mentions, links, addresses, linked, inside) for child in node.children
    )
    return f"<{node.tag}{rendered_attrs}>{inner}</{node.tag}>"


def _with_mentions(text, find_mentions, links, linked):
    pieces, position = [], 0
    for mention in find_mentions(text):
        ref = (mention.kind, mention.id)
        if ref in linked or ref not in links:
            continue
        linked.add(ref)
        pieces.append(html.escape(text[position : mention.start], quote=False))
        pieces.append(
            f'<a href="{html.escape(links[ref])}" class="mention">'
            f"{html.escape(text[mention.start : mention.end], quote=False)}</a>"
        )
        position = mention.end
    pieces.append(html.escape(text[position:], quote=False))
    return "".join(pieces)


def sanitise(markup):
    """The last word on what reaches a page: the body's format, and mention links."""
    return nh3.clean(
        markup,
        tags=READER_TAGS,
        attributes=READER_ATTRIBUTES,
        allowed_classes=READER_CLASSES,
        url_schemes={"http", "https", "mailto"},
        link_rel=None,
    )
