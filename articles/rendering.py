"""The story's body as reader HTML: its format, and each linked entity's first mention linked.

Rendered once, when the story is saved, from the body as stored (articles/bodies.py,
already clean). Mentions the gazetteer finds in the text become links to the
entities the story is linked to, the first time each is named, but never inside
a link an editor made, a subheading or a caption; an editor's own link to a
person, place, source or story points at its current address. The result goes
through nh3 once more, so templates may print ``body_html`` as it is.
"""

import html

import nh3

from articles import bodies

READER_TAGS = {*bodies.BLOCKS, *bodies.INLINE, "li", "figcaption"}
READER_ATTRIBUTES = {"a": {"href", "data-link"}, "figure": {"data-image"}}
# Where a mention is not made a link: it would be a link in a link, or read badly.
NO_MENTIONS = frozenset({"a", "h2", "h3", "figcaption"})


def render_body(body, *, find_mentions, links, addresses=None):
    """Reader HTML for ``body``, the first mention of each linked entity a link.

    ``find_mentions(text)`` returns mentions (start, end, kind, id) in ``text``;
    ``links`` maps (kind, id) to the address of each entity the story is linked
    to; ``addresses`` maps (kind, id) to the current address of what an editor
    linked by choosing it (entities and stories). Mentions of anything else stay
    plain text.
    """
    addresses = addresses or {}
    body = bodies.clean(body)  # plain text, or anything stored before the format
    tree = bodies.parse(body)
    linked = set(bodies.editor_links(body))
    pieces = [
        _render(block, find_mentions, links, addresses, linked, ()) for block in tree.children
    ]
    return sanitise("".join(pieces))


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
        allowed_classes={"a": {"mention"}, "blockquote": {bodies.PULL_QUOTE}},
        url_schemes={"http", "https", "mailto"},
        link_rel=None,
    )
