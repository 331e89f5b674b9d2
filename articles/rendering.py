"""The story's body as reader HTML: paragraphs, and each linked entity's first mention linked.

Rendered once, when the story is saved, from the editors' plain text. The text
is escaped piece by piece as the HTML is built, and the result goes through
nh3 with an allow-list of two tags, so nothing an editor or an agency typed
can reach a page as markup; templates may then print ``body_html`` as is.
"""

import html

import nh3

from articles.text import paragraphs

ALLOWED_TAGS = {"p", "a"}
ALLOWED_ATTRIBUTES = {"a": {"href", "class"}}


def render_body(body, *, find_mentions, links):
    """HTML for ``body``: one <p> per paragraph, the first mention of each linked entity a link.

    ``find_mentions(text)`` returns mentions (start, end, kind, id) in ``text``;
    ``links`` maps (kind, id) to the entity's URL for the entities the story is
    linked to. Mentions of anything else stay plain text.
    """
    linked = set()
    rendered = []
    for paragraph in paragraphs(body):
        pieces, position = [], 0
        for mention in find_mentions(paragraph):
            ref = (mention.kind, mention.id)
            if ref in linked or ref not in links:
                continue
            linked.add(ref)
            pieces.append(html.escape(paragraph[position : mention.start]))
            pieces.append(
                f'<a href="{html.escape(links[ref])}" class="mention">'
                f"{html.escape(paragraph[mention.start : mention.end])}</a>"
            )
            position = mention.end
        pieces.append(html.escape(paragraph[position:]))
        rendered.append(f"<p>{''.join(pieces)}</p>")
    return sanitise("\n".join(rendered))


def sanitise(markup):
    """The last word on what reaches a page: paragraphs and relative links only."""
    return nh3.clean(
        markup,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=set(),
        link_rel=None,
    )
