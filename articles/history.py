"""Article history: every editorial save is one revision (django-reversion's tables).

Revisions are written explicitly, once per save, from the article's final state
(its text and its links), rather than collected by signals on every write along
the way: one save is one entry in the history, and it costs two inserts. The
stored form is reversion's own (Django's JSON serialisation), so reversion's
admin history, comparison and recovery of deleted articles read it unchanged.
"""

import json

from django.contrib.contenttypes.models import ContentType
from django.core import serializers
from django.core.serializers.json import DjangoJSONEncoder
from django.db import router
from django.utils import timezone
from reversion.models import Revision, Version

# The links a revision keeps; an editor's rejections are linking's bookkeeping.
VERSIONED_LINKS = ("people", "places", "mentioned_sources")


def record(article, *, by=None, comment, links=None):
    """Store the article as it now stands as a new revision: who, when, why.

    ``links`` ({field: ids}) saves reading the links back when the caller has
    just written them; otherwise they are read, one query per kind.
    """
    if links is None:
        links = {
            name: list(getattr(article, name).values_list("pk", flat=True))
            for name in VERSIONED_LINKS
        }
    fields = [field.name for field in article._meta.concrete_fields]
    data = serializers.serialize("python", [article], fields=fields)
    data[0]["fields"].update({name: sorted(links.get(name, ())) for name in VERSIONED_LINKS})
    revision = Revision.objects.create(date_created=timezone.now(), user=by, comment=comment)
    return Version.objects.create(
        revision=revision,
        object_id=str(article.pk),
        content_type=ContentType.objects.get_for_model(article),
        db=router.db_for_write(type(article), instance=article),
        format="json",
        serialized_data=json.dumps(data, cls=DjangoJSONEncoder),
        object_repr=str(article),
    )
