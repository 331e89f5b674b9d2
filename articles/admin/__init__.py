"""The editors' desk in Django's admin: articles, entities, pictures, the wire log and the
site's own pages."""

from articles.admin import articles, entities, images, site_pages  # noqa: F401 - registers
