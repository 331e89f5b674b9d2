from django.conf import settings

from articles import kinds


def site(request):
    return {"site_name": settings.SITE_NAME, "entity_kinds": kinds.KINDS}
