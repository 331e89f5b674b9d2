"""Redis as the shared cache, and the site still up when Redis is not.

Pages, sessions, API throttles and the gazetteer version all go through the
cache. When Redis does not answer, a read is a miss and a write is dropped, so
readers get a page built from the database instead of an error. Each call gives
up after the socket timeouts in OPTIONS; after a failure Redis is left alone
for ``retry_seconds`` (a host that drops packets would otherwise cost a timeout
per call), then tried again, so the cache comes back by itself.

While Redis is away each process decides alone: API throttles do not count,
and a change made meanwhile does not reach other processes' cached pages or
gazetteers until they expire or the next change (page_cache.py, linking.py).
"""

import contextlib
import logging
import time
from urllib.parse import urlsplit

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

# An outage, not a mistake of ours: a wrong command or type still raises.
OUTAGE = (RedisConnectionError, RedisTimeoutError)


class ReusedClientRedisCacheClient(RedisCacheClient):
    """One redis-py client per connection pool, not a new one for every call.

    Django builds a client per cache call; redis-py 8's constructor costs more
    than the call itself on loopback. A client is only a handle on its pool
    and is safe to share between threads.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}  # id of a pool (kept in self._pools) -> its client

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        if (client := self._clients.get(id(pool))) is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class ResilientRedisCache(RedisCache):
    """Django's Redis cache, answering as an empty cache while Redis is unreachable."""

    def __init__(self, server, params):
        options = dict(params.get("OPTIONS", {}))
        self.retry_seconds = float(options.pop("retry_seconds", 5))
        super().__init__(server, {**params, "OPTIONS": options})
        self._class = ReusedClientRedisCacheClient
        # Host and port only: the URL may carry a password.
        self.address = ", ".join(urlsplit(url).netloc.rpartition("@")[2] for url in self._servers)
        self.retry_at = 0.0  # monotonic time before which Redis is not tried
        self.down_since = None

    def reachable(self):
        return time.monotonic() >= self.retry_at

    @contextlib.contextmanager
    def outage_as_miss(self):
        try:
            yield
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
        else:
            if self.down_since is not None:
                logger.info(
                    "Redis at %s answers again after %.1f s.",
                    self.address,
                    time.monotonic() - self.down_since,
                )
                self.down_since = None

    def _unless_down(self, method, when_down, *args):
        """``method`` of Django's Redis cache, or ``when_down`` while Redis is away."""
        if self.reachable():
            with self.outage_as_miss():
                return getattr(super(), method)(*args)
        return when_down

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._unless_down("add", False, key, value, timeout, version)

    def get(self, key, default=None, version=None):
        return self._unless_down("get", default, key, default, version)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._unless_down("set", None, key, value, timeout, version)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._unless_down("touch", False, key, timeout, version)

    def delete(self, key, version=None):
        return self._unless_down("delete", False, key, version)

    def get_many(self, keys, version=None):
        return self._unless_down("get_many", {}, keys, version)

    def has_key(self, key, version=None):
        return self._unless_down("has_key", False, key, version)

    def incr(self, key, delta=1, version=None):
        # An unreachable cache holds no keys, and callers already handle a
        # missing one (usually by setting it, which is dropped too).
        missing = object()
        value = self._unless_down("incr", missing, key, delta, version)
        if value is missing:
            raise ValueError(f"Key '{key}' not found: the cache is unreachable.")
        return value

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        # When down, the keys that were not stored: all of them.
        return self._unless_down("set_many", list(data), data, timeout, version)

    def delete_many(self, keys, version=None):
        return self._unless_down("delete_many", None, keys, version)

    def clear(self):
        return self._unless_down("clear", False)
