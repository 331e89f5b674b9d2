"""The editors' desk in Django's admin: articles, entities and the wire log."""

from articles.admin import articles, entities  # noqa: F401 - registers the admins
