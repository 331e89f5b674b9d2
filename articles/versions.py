"""Version numbers in the shared cache that tell every process something changed.

Pages are cached under the newsroom's version and each process's gazetteer is
built at a version of the entities' names; a change moves the number and every
process sees it on its next look. When the cache loses a number (Redis
restarted, or evicted it under memory pressure) it starts again from the
clock, never from a value something may still be cached or built under.
"""

import time

from django.core.cache import cache


def fresh():
    return time.time_ns() // 1000


def current(key):
    """The version under ``key``, starting one if there is none."""
    version = cache.get(key)
    if version is None:
        cache.add(key, fresh(), timeout=None)
        version = cache.get(key) or fresh()
    return version


def move(key):
    try:
        cache.incr(key)
    except ValueError:  # lost or never set
        cache.set(key, fresh(), timeout=None)
