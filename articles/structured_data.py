"""schema.org NewsArticle for a story page (JSON-LD), built from the story as loaded.

Uses only what the detail view already fetched (authors, source, dateline,
people, places, corrections, the lead image's renditions): no queries. Also the
page's share image (Open Graph, Twitter), from the same renditions.
"""

import json

from django.conf import settings
from django.templatetags.static import static
from django.urls import reverse

from articles import wire

# The publisher's logo, shipped in static/: a square PNG, as search engines ask.
LOGO = {"path": "logo.png", "width": 192, "height": 192}
# The aspect ratios Google asks a story's picture in, at the 1200 px it asks for.
CROPS = ("16x9-1200", "4x3-1200", "1x1-1200")
# What a share shows: Open Graph's large card, in JPEG, which every scraper reads.
SHARE_SPEC = "social"


def _image_object(url, width, height, request):
    return {
        "@type": "ImageObject",
        "url": request.build_absolute_uri(url),
        "width": width,
        "height": height,
    }


def images(article, request, *, card=None):
    """The story's picture in Google's three aspect ratios, or its share card ``card``
    ((url, width, height)) when it has none; [] with neither."""
    if image := article.lead_image:
        crops = [image.rendition(spec, "jpeg") for spec in CROPS]
        return [_image_object(r.url, r.width, r.height, request) for r in crops if r]
    if card:
        return [_image_object(*card, request)]
    return []


def share_image(article, request, *, card=None):
    """What a share of the story shows (og:image, twitter:image): the lead image's
    social rendition, else the share card ``card``; None with neither."""
    image = article.lead_image
    social = image.rendition(SHARE_SPEC, "jpeg") if image else None
    if social is not None:
        url, width, height, alt = social.url, social.width, social.height, image.alt_text
    elif card:
        # The card shows the headline: that is what it says.
        (url, width, height), alt = card, article.headline
    else:
        return None
    return {
        "url": request.build_absolute_uri(url),
        "type": "image/jpeg",
        "width": width,
        "height": height,
        "alt": alt,
    }


def _same_as(entity):
    # Other pages that say who the entity is: its Wikidata item; a source's own site.
    return [url for url in (entity.wikidata_url, getattr(entity, "url", "")) if url]


def _thing(entity, kind, request):
    thing = {
        "@type": kind,
        "name": entity.name,
        "url": request.build_absolute_uri(entity.get_absolute_url()),
    }
    if same_as := _same_as(entity):
        thing["sameAs"] = same_as
    return thing


def _author(author, request):
    person = _thing(author, "Person", request)
    if author.title:
        person["jobTitle"] = author.title
    return person


def authors(article, request):
    """Who wrote the story: its authors (people, with their pages), then the agency that
    supplied it; [] when neither is known."""
    credited = [_author(author, request) for author in article.authors.all()]
    if article.source:
        credited.append(_thing(article.source, "Organization", request))
    return credited


def publisher(request):
    """The newsroom itself: its name, its front page and its logo, at absolute addresses."""
    return {
        "@type": "NewsMediaOrganization",
        "name": settings.SITE_NAME,
        "url": request.build_absolute_uri(reverse("articles:home")),
        "logo": {
            "@type": "ImageObject",
            "url": request.build_absolute_uri(static(LOGO["path"])),
            "width": LOGO["width"],
            "height": LOGO["height"],
        },
    }


def news_article(article, request, *, card=None):
    """The NewsArticle dict for ``article`` (people and places prefetched); ``card`` is
    its share card, for a story without a picture."""
    newsroom = publisher(request)
    data = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": article.headline[: wire.HEADLINE_MAX_LENGTH],
        "description": article.summary,
        "url": request.build_absolute_uri(article.get_absolute_url()),
        "mainEntityOfPage": request.build_absolute_uri(article.get_absolute_url()),
        "datePublished": article.published_at.isoformat(),
        "dateModified": article.updated_at.isoformat(),
        "wordCount": article.word_count,
        "publisher": newsroom,
        # Nobody named: the newsroom wrote it.
        "author": authors(article, request) or [newsroom],
        "about": [_thing(person, "Person", request) for person in article.people.all()],
        "mentions": [_thing(place, "Place", request) for place in article.places.all()],
    }
    if pictures := images(article, request, card=card):
        data["image"] = pictures
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


def breadcrumbs(article, request):
    """The BreadcrumbList of the story page's breadcrumb (Home, then its section)."""
    trail = [(settings.SITE_NAME, reverse("articles:home"))]
    if article.section:
        trail.append((article.section.name, article.section.get_absolute_url()))
    return {
        "@context": "https://schema.org",
        "@type": "BreadcrumbList",
        "itemListElement": [
            {
                "@type": "ListItem",
                "position": position,
                "name": name,
                "item": request.build_absolute_uri(address),
            }
            for position, (name, address) in enumerate(trail, start=1)
        ],
    }


def as_script(data):
    """JSON for a <script type="application/ld+json"> element: "<", ">" and "&"
    escaped as JSON, so no text inside can end the element."""
    text = json.dumps(data, ensure_ascii=False)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
