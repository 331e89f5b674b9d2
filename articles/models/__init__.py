"""The newsroom's domain: sources, people and places, the articles that mention them,
the authors who write them, the pictures they show, the front page that arranges
them, the rules that file wire stories in sections and the site's own pages.

The rules about a row live on these models and their QuerySets, once: what is
public, which status moves are legal, the conditional claim of a version, the
constraints. Models are leaves: they never render, link, write history or touch a
cache. What happens when an editor acts is the editorial service
(``articles/editorial.py``); what goes stale when a row changes is
``articles/invalidation.py``.
"""

from articles.models.articles import (
    TRANSITIONS,
    Article,
    ArticleQuerySet,
    ArticleRemoval,
    Audience,
    Correction,
    EditConflict,
    Flag,
    Status,
)
from articles.models.base import SLUG_MAX_LENGTH, SluggedModel, SlugRedirect
from articles.models.desk import Autosave, Presence
from articles.models.entities import (
    Author,
    Entity,
    Person,
    Place,
    PlaceKind,
    Section,
    Source,
    SourceKind,
)
from articles.models.front import FrontBlock, FrontPage, FrontPin
from articles.models.images import Image, ImageQuerySet, Rendition
from articles.models.section_rules import SectionRule
from articles.models.site_pages import SitePage, SitePageQuerySet
from articles.models.wire_items import (
    AlreadyHandled,
    Handled,
    WireFingerprint,
    WireItem,
    WireOutcome,
)

__all__ = [
    "SLUG_MAX_LENGTH",
    "AlreadyHandled",
    "Article",
    "ArticleQuerySet",
    "ArticleRemoval",
    "Audience",
    "Author",
    "Autosave",
    "Correction",
    "EditConflict",
    "Entity",
    "Flag",
    "FrontBlock",
    "FrontPage",
    "FrontPin",
    "Handled",
    "Image",
    "ImageQuerySet",
    "Person",
    "Place",
    "PlaceKind",
    "Presence",
    "Rendition",
    "SitePage",
    "SitePageQuerySet",
    "SlugRedirect",
    "SluggedModel",
    "Section",
    "SectionRule",
    "Source",
    "SourceKind",
    "Status",
    "TRANSITIONS",
    "WireFingerprint",
    "WireItem",
    "WireOutcome",
]
