"""The cache alias for what must hold across processes (network/cache.py has the two caches)."""

from django.core.cache import caches
from django.utils.connection import ConnectionProxy

SHARED = "shared"
# `caches["shared"]` of the current thread, usable like `django.core.cache.cache`: rate
# limits, presence's key namespace. Redis when REDIS_URL is set; `default` is per process.
shared_cache = ConnectionProxy(caches, SHARED)
