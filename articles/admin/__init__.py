"""The editors' desk in Django's admin: articles, entities, pictures and the wire log."""

from articles.admin import articles, entities, images  # noqa: F401 - registers the admins
