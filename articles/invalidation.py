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
  alt text, caption, credit and renditions are on the pages of the stories showing it
  (a picture just uploaded is on none);
- each process's gazetteer (``linking``): an entity created, renamed, given
  new aliases or deleted.
"""

from django.db.models.signals import m2m_changed, post_delete, post_save

from articles import kinds, linking, page_cache
from articles.models import Article, Correction, Image, Status


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


def picture_saved(sender, instance, created, **kwargs):
    if not created:
        page_cache.newsroom_changed()


def picture_deleted(sender, **kwargs):
    page_cache.newsroom_changed()


def connect():
    post_save.connect(article_saved, sender=Article, dispatch_uid="pages-article")
    post_delete.connect(article_deleted, sender=Article, dispatch_uid="pages-article")
    post_save.connect(correction_changed, sender=Correction, dispatch_uid="pages-correction")
    post_delete.connect(correction_changed, sender=Correction, dispatch_uid="pages-correction")
    post_save.connect(picture_saved, sender=Image, dispatch_uid="pages-picture")
    post_delete.connect(picture_deleted, sender=Image, dispatch_uid="pages-picture")
    for kind in kinds.KINDS:
        post_save.connect(entity_saved, sender=kind.model, dispatch_uid=f"entity-{kind.name}")
        post_delete.connect(entity_deleted, sender=kind.model, dispatch_uid=f"entity-{kind.name}")
        links = getattr(Article, kind.link_field).through
        m2m_changed.connect(links_changed, sender=links, dispatch_uid=f"links-{kind.name}")
