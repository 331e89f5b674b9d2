"""Articles as IPTC ninjs 2.1 (https://iptc.org/standards/ninjs/), the news industry's JSON.

Only standard properties: ``uri`` (required; the article's API address, which
survives slug changes), ``version`` as a string, dates in RFC 3339, entity
``uri``s as absolute addresses (Wikidata's when known). ninjs has no property
for authors: they are ``people`` with ``rel`` "author", and ``by`` is the
story's credit line. Its section is its one ``subject``, with rel "section".

Pictures are ``associations`` (ninjs 2.x: a list, each with its ``name``): the lead
image as "featureimage", the body's others as "picture-1", "picture-2"…, each with
its caption and alt text as ``descriptions``, its credit as ``by``, and every
rendition (``renditions``: name, absolute href, width, height, content type).
"""

from django.urls import reverse
from rest_framework import serializers

from articles.models import Status

STANDARD = {
    "name": "ninjs",
    "version": "2.1",
    "schema": "http://www.iptc.org/std/ninjs/ninjs-schema_2.1.json",
}
PUBSTATUS = {
    Status.PUBLISHED: "usable",
    Status.DRAFT: "withheld",
    Status.REVIEW: "withheld",
    Status.ARCHIVED: "canceled",
}


def _when(moment):
    return serializers.DateTimeField().to_representation(moment)


def _absolute(request, path):
    return request.build_absolute_uri(path)


def _picture(image, request, name):
    picture = {
        "name": name,
        "uri": _absolute(request, reverse("api:image-detail", args=[image.pk])),
        "type": "picture",
        "firstcreated": _when(image.uploaded_at),
        "versioncreated": _when(image.updated_at),
        "renditions": [
            {
                "name": f"{rendition.spec}-{rendition.format}",
                "href": _absolute(request, rendition.url),
                "contenttype": rendition.content_type,
                "width": rendition.width,
                "height": rendition.height,
                "sizeinbytes": rendition.byte_size,
            }
            for rendition in image.renditions.all()
        ],
    }
    descriptions = [
        {"role": role, "contenttype": "text/plain", "value": value}
        for role, value in (("caption", image.caption), ("alternative-text", image.alt_text))
        if value
    ]
    if descriptions:
        picture["descriptions"] = descriptions
    if image.credit_line:
        picture["by"] = image.credit_line
    if image.copyright:
        picture["copyrightnotice"] = image.copyright
    if image.source:
        picture["copyrightholder"] = image.source.name
    return picture


def associations(article, request):
    """The story's pictures: its lead image as "featureimage", the others in body order."""
    found, inline = [], 0
    for image in article.shown_images():
        if image.pk == article.lead_image_id:
            found.append(_picture(image, request, "featureimage"))
        else:
            inline += 1
            found.append(_picture(image, request, f"picture-{inline}"))
    return found


def _entity(entity, request, rel):
    uri = entity.wikidata_url or request.build_absolute_uri(entity.get_absolute_url())
    return {"name": entity.name, "rel": rel, "uri": uri, "literal": entity.slug}


class NinjsArticleSerializer(serializers.BaseSerializer):
    """Read-only: ninjs is a delivery format; writes use the JSON representation."""

    def to_representation(self, article):
        request = self.context["request"]
        data = {
            # The same uri however the ninjs was asked for (no ?format=).
            "uri": request.build_absolute_uri(reverse("api:article-detail", args=[article.pk])),
            "standard": STANDARD,
            "type": "text",
            "representationtype": "full",
            "version": str(article.version),
            "firstcreated": _when(article.created_at),
            "versioncreated": _when(article.updated_at),
            "pubstatus": PUBSTATUS[article.status],
            "language": "en",
            "slugline": article.slug,
            "headlines": [{"role": "main", "contenttype": "text/plain", "value": article.headline}],
            "bodies": [
                {
                    "role": "main",
                    "contenttype": "text/plain",
                    "value": article.body_text,
                    "charcount": len(article.body_text),
                    "wordcount": article.word_count,
                },
                {"role": "main", "contenttype": "text/html", "value": article.body_html},
            ],
            "altids": [{"role": "newsroom-id", "value": str(article.pk)}],
            "people": [
                *(_entity(author, request, "author") for author in article.authors.all()),
                *(_entity(person, request, "mentioned") for person in article.people.all()),
            ],
            "places": [_entity(p, request, "mentioned") for p in article.places.all()],
            "organisations": [
                _entity(s, request, "mentioned") for s in article.mentioned_sources.all()
            ],
        }
        if article.section:
            # The part of the paper it runs in, as ninjs 2 names a story's topics.
            data["subject"] = [_entity(article.section, request, "section")]
        descriptions = []
        if article.summary:
            descriptions.append(
                {"role": "summary", "contenttype": "text/plain", "value": article.summary}
            )
        descriptions += [
            {
                "role": "correction",
                "contenttype": "text/plain",
                "value": f"{_when(correction.created_at)}: {correction.text}",
            }
            for correction in article.corrections.all()
        ]
        if descriptions:
            data["descriptions"] = descriptions
        if article.is_scheduled:
            data["embargoed"] = _when(article.published_at)
        if credit := article.credit_line:
            data["by"] = credit
        if pictures := associations(article, request):
            data["associations"] = pictures
        if article.dateline:
            data["located"] = article.dateline.name
        if article.source:
            data["copyrightholder"] = article.source.name
            data["infosources"] = [
                {
                    "name": article.source.name,
                    "role": "source",
                    "uri": request.build_absolute_uri(article.source.get_absolute_url()),
                }
            ]
        return data
