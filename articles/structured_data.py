"""schema.org NewsArticle for a story page (JSON-LD), built from the story as loaded.

Uses only what the detail view already fetched (source, dateline, people,
places, corrections): no queries.
"""

import json

from django.conf import settings


def _same_as(entity):
    return [entity.wikidata_url] if entity.wikidata_url else []


def _thing(entity, kind, request):
    thing = {
        "@type": kind,
        "name": entity.name,
        "url": request.build_absolute_uri(entity.get_absolute_url()),
    }
    if same_as := _same_as(entity):
        thing["sameAs"] = same_as
    return thing


def news_article(article, request):
    """The NewsArticle dict for ``article`` (people and places prefetched)."""
    publisher = {"@type": "NewsMediaOrganization", "name": settings.SITE_NAME}
    data = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": article.headline[:110],
        "description": article.summary,
        "url": request.build_absolute_uri(article.get_absolute_url()),
        "mainEntityOfPage": request.build_absolute_uri(article.get_absolute_url()),
        "datePublished": article.published_at.isoformat(),
        "dateModified": article.updated_at.isoformat(),
        "publisher": publisher,
        "author": [
            {"@type": "Organization", "name": article.source.name} if article.source else publisher
        ],
        "about": [_thing(person, "Person", request) for person in article.people.all()],
        "mentions": [_thing(place, "Place", request) for place in article.places.all()],
    }
    if article.dateline:
        data["locationCreated"] = _thing(article.dateline, "Place", request)
    corrections = list(article.corrections.all())
    if corrections:
        data["correction"] = [
            {
                "@type": "CorrectionComment",
                "text": correction.text,
                "datePublished": correction.created_at.isoformat(),
            }
            for correction in corrections
        ]
    return data


def as_script(data):
    """JSON for a <script type="application/ld+json"> element: "<", ">" and "&"
    escaped as JSON, so no text inside can end the element."""
    text = json.dumps(data, ensure_ascii=False)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
