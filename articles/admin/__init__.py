"""The editors' desk in Django's admin: articles, entities, pictures, the front page, the
wire log and the site's own pages."""

from articles.admin import articles, entities, front, images, site_pages  # noqa: F401 - registers
