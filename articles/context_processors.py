from django.conf import settings

from articles import kinds, page_cache


def site(request):
    return {
        "site_name": settings.SITE_NAME,
        # The sections have a link each in the navigation; the index of sections is redundant there.
        "entity_kinds": [kind for kind in kinds.KINDS if kind is not kinds.SECTION],
        # A callable: read only by a page that shows the navigation.
        "navigation_sections": page_cache.navigation_sections,
        "footer_site_pages": page_cache.footer_site_pages,
    }
