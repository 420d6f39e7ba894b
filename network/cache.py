"""The two caches (CACHES, built by `network.settings.environment.caches`).

- `default`, local to the process (`LocalCache`): what each process may keep for itself,
  Wagtail's site root paths above all. It never needs Redis, so pages never fail for it.
- `shared` (`core.cache.SHARED`), Redis when REDIS_URL is set (`FailOpenRedisCache`): what must hold
  across processes, the rate limits (allauth's and posting) and the presence keys' namespace.
  While Redis is unreachable it fails open: reads miss, writes are dropped, every rate limit
  lets the request through, one warning says so, and /healthz reports the outage (503).
"""

import logging
import threading
import time

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache

logger = logging.getLogger(__name__)

# Seconds any entry of the local cache may live: a Wagtail site saved in one process is
# cleared from that process's cache only, so the others learn of it within this time.
LOCAL_MAX_TIMEOUT = 60


class LocalCache(LocMemCache):
    """Django's process-local cache with a ceiling on every entry's lifetime."""

    def get_backend_timeout(self, timeout=DEFAULT_TIMEOUT):
        if timeout is DEFAULT_TIMEOUT:
            timeout = self.default_timeout
        if timeout is None or timeout > LOCAL_MAX_TIMEOUT:
            timeout = LOCAL_MAX_TIMEOUT
        return super().get_backend_timeout(timeout)


def _unreachable_errors():
    import redis.exceptions

    return (redis.exceptions.ConnectionError, redis.exceptions.TimeoutError, OSError)


class _Outage:
    down_since: float | None = None
    retry_at = 0.0


_lock = threading.Lock()
_outages: dict[tuple, _Outage] = {}


def _outage(servers: tuple) -> _Outage:
    """The outage state of one Redis (by its URLs), shared by every thread of the process."""
    with _lock:
        return _outages.setdefault(servers, _Outage())


class FailOpenRedisCache(RedisCache):
    """Django's Redis cache that answers like an empty cache while Redis is unreachable.

    After a failure it does not try Redis again for `RETRY_AFTER` seconds (every request
    would otherwise wait for a connection attempt); one warning when Redis is lost, one when
    it is back. `add` answers True (nothing stood in the way), so a rate limit that adds its
    first count lets the request through."""

    RETRY_AFTER = 5.0

    def ping(self) -> None:
        """Raises if Redis does not answer (for /healthz), whatever the fail-open state."""
        self._cache.get_client(write=True).ping()

    def _call(self, name, fallback, *args, **kwargs):
        state = _outage(tuple(self._servers))
        if state.down_since is not None and time.monotonic() < state.retry_at:
            return fallback
        try:
            result = getattr(super(), name)(*args, **kwargs)
        except _unreachable_errors() as error:
            with _lock:
                first = state.down_since is None
                if first:
                    state.down_since = time.monotonic()
                state.retry_at = time.monotonic() + self.RETRY_AFTER
            if first:
                logger.warning("shared cache (Redis) unreachable, rate limits fail open: %s", error)
            return fallback
        if state.down_since is not None:
            with _lock:
                if state.down_since is not None:
                    down = time.monotonic() - state.down_since
                    state.down_since = None
                    logger.warning("shared cache (Redis) back after %.0f s", down)
        return result

    def get(self, key, default=None, version=None):
        return self._call("get", default, key, default, version)

    def get_many(self, keys, version=None):
        return self._call("get_many", {}, keys, version)

    def has_key(self, key, version=None):
        return self._call("has_key", False, key, version)

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("add", True, key, value, timeout, version)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("set", None, key, value, timeout, version)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("set_many", [], data, timeout, version)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("touch", False, key, timeout, version)

    def incr(self, key, delta=1, version=None):
        return self._call("incr", delta, key, delta, version)

    def delete(self, key, version=None):
        return self._call("delete", False, key, version)

    def delete_many(self, keys, version=None):
        return self._call("delete_many", None, keys, version)

    def clear(self):
        return self._call("clear", None)
