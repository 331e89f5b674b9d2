"""Redis as the shared cache, and the site still up when Redis is not.

Pages, sessions, API throttles and the gazetteer version all go through the
cache. django-redis reuses its redis-py client and connection pool from call to
call (Django's own Redis cache builds a client per call). When Redis does not
answer, a read is a miss and a write is dropped, so readers get a page built
from the database instead of an error. Each call gives up after the socket
timeouts in OPTIONS; after a failure Redis is left alone for RETRY_SECONDS (a
host that drops packets would otherwise cost a timeout per call), then tried
again, so the cache comes back by itself.

django-redis's own IGNORE_EXCEPTIONS is not enough: it tries Redis on every
call, and ``incr`` then returns None where callers expect ValueError.

While Redis is away each process decides alone: API throttles do not count,
and a change made meanwhile does not reach other processes' cached pages or
gazetteers until they expire or the next change (page_cache.py, linking.py).
"""

import logging
import time
from urllib.parse import urlsplit

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django_redis.cache import RedisCache
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

# An outage, not a mistake of ours: a wrong command or type still raises.
# Without IGNORE_EXCEPTIONS django-redis re-raises redis-py's own exception.
OUTAGE = (RedisConnectionError, RedisTimeoutError)


class ResilientRedisCache(RedisCache):
    """django-redis's cache, answering as an empty cache while Redis is unreachable."""

    def __init__(self, server, params):
        options = dict(params.get("OPTIONS", {}))
        self.retry_seconds = float(options.pop("RETRY_SECONDS", 5))
        super().__init__(server, {**params, "OPTIONS": options})
        servers = server.split(",") if isinstance(server, str) else server
        # Host and port only: the URL may carry a password.
        self.address = ", ".join(urlsplit(url).netloc.rpartition("@")[2] for url in servers)
        self.retry_at = 0.0  # monotonic time before which Redis is not tried
        self.down_since = None

    def unless_down(self, method, when_down, *args, **kwargs):
        """``method(*args, **kwargs)``, or ``when_down`` while Redis is away."""
        if time.monotonic() < self.retry_at:
            return when_down
        try:
            result = method(*args, **kwargs)
        except OUTAGE as error:
            self.retry_at = time.monotonic() + self.retry_seconds
            if self.down_since is None:
                self.down_since = time.monotonic()
            logger.warning(
                "Redis at %s is unreachable (%s); serving without the cache, trying again in %g s.",
                self.address,
                error,
                self.retry_seconds,
            )
            return when_down
        if self.down_since is not None:
            logger.info(
                "Redis at %s answers again after %.1f s.",
                self.address,
                time.monotonic() - self.down_since,
            )
            self.down_since = None
        return result

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None, **kwargs):
        return self.unless_down(super().add, False, key, value, timeout, version, **kwargs)

    def get(self, key, default=None, version=None, **kwargs):
        return self.unless_down(super().get, default, key, default, version, **kwargs)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None, **kwargs):
        return self.unless_down(super().set, None, key, value, timeout, version, **kwargs)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None, **kwargs):
        return self.unless_down(super().touch, False, key, timeout, version, **kwargs)

    def delete(self, key, version=None, **kwargs):
        return self.unless_down(super().delete, False, key, version, **kwargs)

    def get_many(self, keys, version=None, **kwargs):
        return self.unless_down(super().get_many, {}, keys, version, **kwargs)

    def has_key(self, key, version=None, **kwargs):
        return self.unless_down(super().has_key, False, key, version, **kwargs)

    def incr(self, key, delta=1, version=None, **kwargs):
        # An unreachable cache holds no keys, and callers already handle a
        # missing one (usually by setting it, which is dropped too).
        # django-redis returns a number or raises, so None means Redis is away.
        value = self.unless_down(super().incr, None, key, delta, version, **kwargs)
        if value is None:
            raise ValueError(f"Key '{key}' not found: the cache is unreachable.")
        return value

    def decr(self, key, delta=1, version=None, **kwargs):
        return self.incr(key, -delta, version, **kwargs)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None, **kwargs):
        # When down, the keys that were not stored: all of them.
        return self.unless_down(super().set_many, list(data), data, timeout, version, **kwargs)

    def delete_many(self, keys, version=None, **kwargs):
        return self.unless_down(super().delete_many, None, keys, version, **kwargs)

    def clear(self):
        return self.unless_down(super().clear, False)
