"""A story's reader HTML (``body_html``), made from its body, its links and its pictures.

Stored when the story is saved (``editorial``), so a page prints it and asks the
database nothing per figure. What it shows of a picture (its renditions' addresses,
its alt text, caption and credit) is copied in, so when the picture changes the
stories showing it are rendered again (``invalidation``): derived, like the page
cache, never an edit (no version, no revision).
"""

from articles import bodies, linking, rendering, responsive
from articles.models import Article, Image


def render(article):
    """Render ``article``'s reader HTML again and store it (the text as last saved)."""
    links = linking.mention_links(article)
    # Each paragraph is matched alone: the story's links stand for the rest of it.
    context = linking.story_context(article, linked=links)
    article.body_html = rendering.render_body(
        article.body,
        find_mentions=lambda paragraph: linking.find_mentions(paragraph, context),
        links=links,
        addresses=linking.addresses(bodies.editor_links(article.body)),
        figures=figures(article.body),
    )
    Article.objects.filter(pk=article.pk).update(body_html=article.body_html)


def figures(body):
    """{image id: rendering.Figure} for the pictures ``body`` shows, in two queries."""
    ids = bodies.image_ids(body)
    if not ids:
        return {}
    images = Image.objects.filter(pk__in=ids).select_related("source").with_renditions()
    return {
        image.pk: rendering.Figure(
            picture=responsive.markup(image, responsive.INLINE),
            caption=image.caption,
            credit=image.credit_line,
        )
        for image in images
    }


def site_page(page):
    """A site page's reader HTML, made when the page is (its page is cached whole).

    Only what the editor wrote and linked: the gazetteer links no mentions on the
    site's own pages. At most three queries, whatever the body holds.
    """
    return rendering.render_body(
        page.body,
        find_mentions=no_mentions,
        links={},
        addresses=linking.addresses(bodies.editor_links(page.body)),
        figures=figures(page.body),
    )


def no_mentions(text):
    return ()


def render_showing(article_ids):
    """Render again the stories ``article_ids`` (those that showed a changed picture)."""
    for article in Article.objects.filter(pk__in=article_ids).only("pk", "body", "body_html"):
        render(article)
