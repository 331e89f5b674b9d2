"""The editors' desk in Django's admin: articles, entities, pictures, the front page and the
wire log."""

from articles.admin import articles, entities, front, images  # noqa: F401 - registers the admins
