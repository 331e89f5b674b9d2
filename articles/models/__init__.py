"""The newsroom's domain: sources, people and places, and the articles that mention them.

Business rules live on these models and their QuerySets, once, and every
surface (admin, pages, feeds, sitemaps, search, API) calls them.
"""

from articles.models.articles import (
    TRANSITIONS,
    Article,
    ArticleQuerySet,
    ArticleRemoval,
    Correction,
    EditConflict,
    Status,
)
from articles.models.base import SLUG_MAX_LENGTH, SluggedModel, SlugRedirect
from articles.models.desk import Autosave, Presence
from articles.models.entities import (
    GAZETTEER_VERSION_KEY,
    Entity,
    Person,
    Place,
    PlaceKind,
    Source,
    SourceKind,
    bump_gazetteer_version,
    gazetteer_changed,
)
from articles.models.wire_items import WireFingerprint, WireItem, WireOutcome

__all__ = [
    "GAZETTEER_VERSION_KEY",
    "SLUG_MAX_LENGTH",
    "Article",
    "ArticleQuerySet",
    "ArticleRemoval",
    "Autosave",
    "Correction",
    "EditConflict",
    "Entity",
    "Person",
    "Place",
    "PlaceKind",
    "Presence",
    "SlugRedirect",
    "SluggedModel",
    "Source",
    "SourceKind",
    "Status",
    "TRANSITIONS",
    "WireFingerprint",
    "WireItem",
    "WireOutcome",
    "bump_gazetteer_version",
    "gazetteer_changed",
]
