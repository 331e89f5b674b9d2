"""Who makes cached things stale: every receiver, in one file.

Connected in ``ArticlesConfig.ready()`` to the model signals, so every way a row
changes (the editorial service, the admin's entity forms, the API, ``loaddata``,
the shell) invalidates what depends on it, and no code that writes has to
remember to:

- cached public pages (``page_cache``), and with them every public page's
  Last-Modified: a change to a story that is published (public or scheduled)
  before or after it, to its links or corrections, or to an entity. A draft,
  a story in review or an archived one is on no public page, and the desk's
  work on it must not show outside, not even as a new Last-Modified;
- cached public pages again when a picture is described, re-cropped or deleted: its
  alt text, caption, credit and renditions are on the pages of the published stories,
  the entities and the published site pages showing it (a picture just uploaded, or
  only drafts show, is on none);
- the front page (``page_cache.scope_changed("front")``), and no other page, when its
  arrangement changes: the lead, a pin or a block (a story or section deleted
  takes its pins and blocks with it);
- cached public pages and every page's footer when a site page (About, Contact...)
  that is published, or was as last read, is saved or deleted: it is a page, and
  in every page's footer (a hidden page edited is on none);
- each process's gazetteer (``linking``): an entity created, renamed, given
  new aliases or deleted;
- the reader HTML of the stories showing a picture (``reader_html``), which copies
  its renditions' addresses, alt text, caption and credit: the picture described
  again, given a new focal point (new crops, new addresses) or deleted. Rendered
  once the change commits, when the new renditions exist.
"""

import functools

from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete

from articles import kinds, linking, page_cache, reader_html
from articles.models import (
    Article,
    Correction,
    FrontBlock,
    FrontPage,
    FrontPin,
    Image,
    Section,
    SitePage,
    Status,
)


def reaches_readers(article, *, created=False):
    """Whether a change to ``article`` can change a public page: it is published, or was
    as last read. Scheduled counts: the next publication time bounds how long every
    page is kept (page_cache.seconds_until_next_publication). A copy that never read
    the row (loaddata, a bare instance) may be replacing a published story: it counts."""
    was_published = False if created else article.was_published
    return was_published is not False or article.status == Status.PUBLISHED


def article_saved(sender, instance, created, **kwargs):
    if reaches_readers(instance, created=created):
        page_cache.newsroom_changed()


def article_deleted(sender, instance, **kwargs):
    if reaches_readers(instance):
        page_cache.newsroom_changed()


def links_changed(sender, instance, **kwargs):
    # From the entity's side (place.articles.add(...)) the stories are only keys: count it.
    if not isinstance(instance, Article) or reaches_readers(instance):
        page_cache.newsroom_changed()


def correction_changed(sender, **kwargs):
    # Only a published story takes a correction (Article.check_correction).
    page_cache.newsroom_changed()


def entity_saved(sender, instance, **kwargs):
    page_cache.newsroom_changed()
    if instance.names_changed:
        linking.names_changed()


def entity_deleted(sender, **kwargs):
    page_cache.newsroom_changed()
    linking.names_changed()


def section_changed(sender, **kwargs):
    page_cache.sections_changed()


def front_changed(sender, **kwargs):
    page_cache.scope_changed(page_cache.FRONT)


def site_page_saved(sender, instance, created, **kwargs):
    if instance.reaches_readers(created=created):
        page_cache.site_pages_changed()


def site_page_deleted(sender, instance, **kwargs):
    if instance.reaches_readers():
        page_cache.site_pages_changed()


def picture_saved(sender, instance, created, **kwargs):
    if created:
        return  # an upload: no story or page shows it yet
    _picture_changed(instance)


def picture_deleting(sender, instance, **kwargs):
    # Before the delete: afterwards the rows saying which stories showed it are gone.
    _picture_changed(instance)


def _picture_changed(image):
    showing = list(
        Article.images.through.objects.filter(image=image).values_list("article_id", flat=True)
    )
    # As for stories: a picture only drafts show is on no public page, and its change
    # must not show outside, not even as a new Last-Modified.
    published = Article.objects.public() | Article.objects.scheduled()
    on_pages = (
        published.filter(pk__in=showing).exists()
        or any(kind.model.objects.filter(image=image).exists() for kind in kinds.KINDS)
        or SitePage.objects.public().showing(image).exists()
    )
    if on_pages:
        page_cache.newsroom_changed()
    if showing or on_pages:
        transaction.on_commit(functools.partial(_show_picture_again, showing, on_pages))


def _show_picture_again(article_ids, on_pages):
    reader_html.render_showing(article_ids)
    if on_pages:
        page_cache.newsroom_changed()  # again: pages made before the new HTML was stored


def connect():
    post_save.connect(article_saved, sender=Article, dispatch_uid="pages-article")
    post_delete.connect(article_deleted, sender=Article, dispatch_uid="pages-article")
    post_save.connect(correction_changed, sender=Correction, dispatch_uid="pages-correction")
    post_delete.connect(correction_changed, sender=Correction, dispatch_uid="pages-correction")
    post_save.connect(picture_saved, sender=Image, dispatch_uid="pictures-image")
    pre_delete.connect(picture_deleting, sender=Image, dispatch_uid="pictures-image")
    for kind in kinds.KINDS:
        post_save.connect(entity_saved, sender=kind.model, dispatch_uid=f"entity-{kind.name}")
        post_delete.connect(entity_deleted, sender=kind.model, dispatch_uid=f"entity-{kind.name}")
    # Every page's navigation lists the sections.
    post_save.connect(section_changed, sender=Section, dispatch_uid="navigation-section")
    post_delete.connect(section_changed, sender=Section, dispatch_uid="navigation-section")
    for model in (FrontPage, FrontPin, FrontBlock):
        post_save.connect(front_changed, sender=model, dispatch_uid=f"front-{model.__name__}")
        post_delete.connect(front_changed, sender=model, dispatch_uid=f"front-{model.__name__}")
    # Every page's footer lists the site pages; each is a page of its own.
    post_save.connect(site_page_saved, sender=SitePage, dispatch_uid="footer-site-page")
    post_delete.connect(site_page_deleted, sender=SitePage, dispatch_uid="footer-site-page")
    for kind in kinds.LINKED:
        links = getattr(Article, kind.link_field).through
        m2m_changed.connect(links_changed, sender=links, dispatch_uid=f"links-{kind.name}")
