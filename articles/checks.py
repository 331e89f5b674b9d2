"""Deployment checks (`manage.py check --deploy`) for what Django's own do not know."""

from django.conf import settings
from django.core.checks import Warning, register

PER_PROCESS_CACHE = Warning(
    "The cache is each process's own memory (CACHE_BACKEND=memory).",
    hint=(
        "With several app processes each would keep its own cached pages, throttles and "
        "gazetteer version: a story retracted in one could be served by another until its "
        "page expires. Set REDIS_URL, or leave CACHE_BACKEND unset to use the database's "
        "cache table."
    ),
    id="newsroom.W001",
)


@register(deploy=True)
def shared_cache(app_configs, **kwargs):
    return [PER_PROCESS_CACHE] if settings.CACHE_BACKEND == "memory" else []
