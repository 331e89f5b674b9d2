"""A story's body: the newsroom's HTML subset, as editors write it and the database keeps it.

Why HTML and not Markdown: wire copy must stay exact. Agency text becomes
paragraphs and nothing else (a line "1994. The war…" is not a list, ``*``, ``_``
and ``#`` are characters, a URL is text), which is what escaping plain text into
``<p>`` gives; Markdown would need every such character escaped in the stored
text an editor then reads. The editor on the desk (static/desk/editor/) edits
exactly this format.

The format, and nothing else (``clean`` makes any input so):

- blocks: ``p``; subheadings ``h2`` and ``h3``; ``blockquote`` holding ``p``s (a
  pull quote is ``<blockquote class="pull-quote">``); ``ul`` and ``ol`` holding
  ``li``s; ``figure data-image="<id>"`` with an optional ``figcaption``, the
  place of a picture from the media library;
- inside a block: text, ``strong``, ``em``, ``br`` and ``a href`` (an http(s) or
  mailto address, or one of the site's own, ``/…``); a link to one of the
  newsroom's people, places, sources or stories carries ``data-link="person:12"``
  (kind and id), so it survives a change of slug and counts as a link of the story.

Pure: strings in, strings out (nh3 and the standard library's HTML parser).
"""

import html
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

import nh3

from articles.text import normalize_line_endings
from articles.text import paragraphs as text_paragraphs

TEXT_BLOCKS = frozenset({"p", "h2", "h3"})
BLOCKS = frozenset({*TEXT_BLOCKS, "blockquote", "ul", "ol", "figure"})
INLINE = frozenset({"strong", "em", "a", "br"})
PULL_QUOTE = "pull-quote"
LINK_KINDS = ("person", "place", "source", "author", "section", "article")
# Anchored for the editor (widgets.py hands them to JavaScript); Python uses fullmatch.
DATA_LINK = re.compile(rf"^(?:{'|'.join(LINK_KINDS)}):[1-9][0-9]{{0,18}}$")
DATA_IMAGE = re.compile(r"^[1-9][0-9]{0,18}$")
HREF = re.compile(r"^(?:https?://|mailto:|/(?!/))", re.IGNORECASE)
# Markup starts with a tag; plain text that merely contains a "<" ("a < b") is text.
MARKUP = re.compile(r"^\s*<[A-Za-z!/]")

# What pasted documents use for the same things: read as the format's own tags.
SYNONYMS = {"b": "strong", "i": "em", "h1": "h2", "h4": "h3", "h5": "h3", "h6": "h3", "div": "p"}

_ALLOWED = {
    "tags": {*BLOCKS, *INLINE, *SYNONYMS, "li", "figcaption"},
    # A class only as allowed_classes lists it (nh3 refuses both at once).
    "attributes": {"a": {"href", "data-link"}, "figure": {"data-image"}},
    "allowed_classes": {"blockquote": {PULL_QUOTE}},
    "url_schemes": {"http", "https", "mailto"},
    "link_rel": None,
    "strip_comments": True,
    # What a pasted web page carries besides text: its code goes, with its content.
    "clean_content_tags": {"script", "style", "template", "noscript", "iframe", "object"},
}


def _attribute(tag, name, value):
    if name == "data-link":
        return value if DATA_LINK.fullmatch(value) else None
    if name == "data-image":
        return value if DATA_IMAGE.fullmatch(value) else None
    if name == "href":
        return value if HREF.match(value.strip()) else None
    return value


@dataclass
class Node:
    tag: str  # "" for text
    attrs: dict = field(default_factory=dict)
    children: list = field(default_factory=list)
    text: str = ""


class _TreeBuilder(HTMLParser):
    """nh3's output (well-formed, allowed tags only) as a small tree."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root = Node("root")
        self.stack = [self.root]

    def handle_starttag(self, tag, attrs):
        node = Node(SYNONYMS.get(tag, tag), {name: value or "" for name, value in attrs})
        self.stack[-1].children.append(node)
        if tag != "br":
            self.stack.append(node)

    def handle_endtag(self, tag):
        tag = SYNONYMS.get(tag, tag)
        for depth in range(len(self.stack) - 1, 0, -1):
            if self.stack[depth].tag == tag:
                del self.stack[depth:]
                return

    def handle_data(self, data):
        self.stack[-1].children.append(Node("", text=data))


def parse(body):
    builder = _TreeBuilder()
    builder.feed(body)
    builder.close()
    return builder.root


def clean(body):
    """``body`` (any HTML, or plain text) in the newsroom's format, and nothing else.

    Plain text (no tag at all) is wire copy or an API client's text: it becomes
    paragraphs, exactly. Markup is sanitised by nh3 to the allowed tags and
    attributes, then put in order: inline content outside a block becomes a
    paragraph, a block inside a block gives up its text, empty blocks go.
    """
    body = normalize_line_endings(body or "")
    if not MARKUP.match(body):
        return from_plain_text(body)
    sanitised = nh3.clean(body, attribute_filter=_attribute, **_ALLOWED)
    blocks = _blocks(parse(sanitised).children)
    return "\n".join(_serialise(block) for block in blocks)


def from_plain_text(text):
    """Plain text as paragraphs: escaped, so nothing in it is markup."""
    return "\n".join(
        f"<p>{html.escape(paragraph, quote=False)}</p>" for paragraph in text_paragraphs(text)
    )


def figure(image_id, caption=""):
    """A picture placed in a body, with its caption as text (escaped: nothing in it is markup)."""
    inner = f"<figcaption>{html.escape(caption, quote=False)}</figcaption>" if caption else ""
    return f'<figure data-image="{int(image_id)}">{inner}</figure>'


def blocks(body):
    """The top-level blocks of a body in the format, each as its own HTML."""
    return [_serialise(node) for node in parse(body).children if node.tag]


def to_text(body):
    """The body as plain text: one paragraph (heading, quote, list item) per blank line.

    What search indexes, linking reads, word counts count and plain-text
    clients get.
    """
    pieces = []
    for block in parse(body).children:
        if block.tag == "blockquote":
            pieces += [_inline_text(child) for child in block.children]
        elif block.tag in ("ul", "ol"):
            pieces += [_inline_text(item) for item in block.children]
        elif block.tag == "figure":
            pieces += [_inline_text(child) for child in block.children]
        else:
            pieces.append(_inline_text(block))
    return "\n\n".join(piece for piece in (" ".join(p.split()) for p in pieces) if piece)


def editor_links(body):
    """(kind, id) of every newsroom entity or story the editor linked by choosing it."""
    found = []
    for node in _walk(parse(body)):
        if node.tag == "a" and (link := node.attrs.get("data-link")) and DATA_LINK.fullmatch(link):
            kind, _, pk = link.partition(":")
            found.append((kind, int(pk)))
    return list(dict.fromkeys(found))


def image_ids(body):
    """The pictures the body places, in order."""
    return [
        int(node.attrs["data-image"])
        for node in _walk(parse(body))
        if node.tag == "figure" and DATA_IMAGE.fullmatch(node.attrs.get("data-image", ""))
    ]


def word_count(body_text):
    return len(body_text.split())


# Putting a tree in order ---------------------------------------------------------------


def _blocks(nodes):
    """Top-level blocks from any mix of nodes; loose inline content becomes paragraphs."""
    blocks, loose = [], []

    def flush():
        paragraph = Node("p", children=_trimmed(_inline(loose)))
        if _has_text(paragraph):
            blocks.append(paragraph)
        loose.clear()

    for node in nodes:
        if node.tag in BLOCKS:
            flush()
            block = _block(node)
            if block is not None:
                blocks.append(block)
        elif node.tag == "li":
            flush()
            blocks.append(Node("p", children=_trimmed(_inline(node.children))))
        elif node.tag == "figcaption":
            loose.extend(node.children)
        else:
            loose.append(node)
    flush()
    return [block for block in blocks if block.tag == "figure" or _has_text(block)]


def _trimmed(children):
    """Inline content without the spaces at its two ends (they show as nothing)."""
    if children and children[0].tag == "":
        children[0] = Node("", text=children[0].text.lstrip())
    if children and children[-1].tag == "":
        children[-1] = Node("", text=children[-1].text.rstrip())
    return [child for child in children if child.tag or child.text]


def _block(node):
    if node.tag in TEXT_BLOCKS:
        return Node(node.tag, children=_trimmed(_inline(node.children)))
    if node.tag == "blockquote":
        attrs = {"class": PULL_QUOTE} if node.attrs.get("class") == PULL_QUOTE else {}
        inner = [
            Node("p", children=_trimmed(_inline(_flat(child)))) for child in _paragraph_runs(node)
        ]
        inner = [p for p in inner if _has_text(p)]
        return Node("blockquote", attrs, inner) if inner else None
    if node.tag in ("ul", "ol"):
        items = [
            Node("li", children=_trimmed(_inline(_flat(child) if child.tag else [child])))
            for child in node.children
            if child.tag == "li" or (child.tag == "" and child.text.strip())
        ]
        items = [item for item in items if _has_text(item)]
        return Node(node.tag, children=items) if items else None
    if node.tag == "figure":
        if not DATA_IMAGE.fullmatch(node.attrs.get("data-image", "")):
            return None
        captions = [child for child in node.children if child.tag == "figcaption"]
        caption = _trimmed(_inline(_flat(captions[0]))) if captions else []
        children = [Node("figcaption", children=caption)] if caption else []
        return Node("figure", {"data-image": node.attrs["data-image"]}, children)
    return None


def _paragraph_runs(node):
    """A quote's children as paragraphs: its blocks, and runs of loose inline content."""
    runs, loose = [], []
    for child in node.children:
        if child.tag in BLOCKS or child.tag == "li":
            if loose:
                runs.append(Node("p", children=list(loose)))
                loose.clear()
            runs.append(child)
        else:
            loose.append(child)
    if loose:
        runs.append(Node("p", children=loose))
    return runs


def _flat(node):
    """A node's content as inline content: nested blocks give up their text."""
    children = []
    for child in node.children:
        if child.tag in BLOCKS or child.tag in ("li", "figcaption"):
            if children:
                children.append(Node("", text=" "))
            children.extend(_flat(child))
        else:
            children.append(child)
    return children


def _inline(nodes, *, in_link=False):
    result = []
    for node in nodes:
        if node.tag == "":
            result.append(node)
        elif node.tag == "br":
            result.append(Node("br"))
        elif node.tag in ("strong", "em"):
            result.append(Node(node.tag, children=_inline(node.children, in_link=in_link)))
        elif (
            node.tag == "a"
            and not in_link
            and (node.attrs.get("href") or node.attrs.get("data-link"))
        ):
            attrs = {
                name: node.attrs[name] for name in ("href", "data-link") if node.attrs.get(name)
            }
            result.append(Node("a", attrs, _inline(node.children, in_link=True)))
        else:  # a link inside a link, or a block where only inline content belongs
            result.extend(
                _inline(_flat(node) if node.tag in BLOCKS else node.children, in_link=in_link)
            )
    return result


def _has_text(node):
    return any(
        (child.tag == "" and child.text.strip()) or (child.tag and _has_text(child))
        for child in node.children
    )


def _walk(node):
    for child in node.children:
        yield child
        yield from _walk(child)


def _inline_text(node):
    if node.tag == "":
        return node.text
    if node.tag == "br":
        return " "
    return "".join(_inline_text(child) for child in node.children)


def _serialise(node):
    if node.tag == "":
        return html.escape(node.text, quote=False)
    attrs = "".join(f' {name}="{html.escape(value)}"' for name, value in node.attrs.items())
    if node.tag == "br":
        return "<br>"
    inner = "".join(_serialise(child) for child in node.children)
    if node.tag in ("blockquote", "ul", "ol", "figure"):
        inner = "".join(f"\n{_serialise(child)}" for child in node.children) + "\n"
    return f"<{node.tag}{attrs}>{inner}</{node.tag}>"
