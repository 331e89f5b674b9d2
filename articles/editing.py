"""What follows every editorial save of a story, in one place.

Whoever saved it (the admin, the API, the wire desk, a restore, a command), the
story is linked to the entities its text names, its reader HTML is rendered
from the text and links, and the result is recorded as one revision.
"""

from articles import history, linking


def saved(article, *, by=None, comment, link=True, new=False):
    """Link, render and record ``article`` after its text or links were saved.

    ``link=False`` when the caller set the links itself (a restore, one
    accepted suggestion); ``new=True`` for a story created just now, which has
    no links to read back. Returns the links linking added, by kind.
    """
    added = linking.link_article(article, new=new) if link else {}
    article.render_body()
    links = None
    if new:
        links = {linking.LINK_FIELDS[kind][0]: ids for kind, ids in added.items()}
    history.record(article, by=by, comment=comment, links=links)
    return added
