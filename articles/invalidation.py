"""Who makes cached things stale: every receiver, in one file.

Connected in ``ArticlesConfig.ready()`` to the model signals, so every way a row
changes (the editorial service, the admin's entity forms, the API, ``loaddata``,
the shell) invalidates what depends on it, and no code that writes has to
remember to:

- cached public pages (``page_cache``): any change to a story, its links, its
  corrections or an entity;
- each process's gazetteer (``linking``): an entity created, renamed, given
  new aliases or deleted.
"""

from django.db.models.signals import m2m_changed, post_delete, post_save

from articles import kinds, linking, page_cache
from articles.models import Article, Correction


def page_content_changed(sender, **kwargs):
    page_cache.newsroom_changed()


def entity_saved(sender, instance, **kwargs):
    page_cache.newsroom_changed()
    if instance.names_changed:
        linking.names_changed()


def entity_deleted(sender, **kwargs):
    page_cache.newsroom_changed()
    linking.names_changed()


def connect():
    for model in (Article, Correction):
        post_save.connect(page_content_changed, sender=model, dispatch_uid=f"pages-{model}")
        post_delete.connect(page_content_changed, sender=model, dispatch_uid=f"pages-{model}")
    for kind in kinds.KINDS:
        post_save.connect(entity_saved, sender=kind.model, dispatch_uid=f"entity-{kind.name}")
        post_delete.connect(entity_deleted, sender=kind.model, dispatch_uid=f"entity-{kind.name}")
        links = getattr(Article, kind.link_field).through
        m2m_changed.connect(page_content_changed, sender=links, dispatch_uid=f"links-{kind.name}")
