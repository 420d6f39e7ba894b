"""Who is connected to a thread, counted across every Daphne process.

With REDIS_URL set, one sorted set per thread in Redis holds an entry per websocket
("<user id>:<channel name>") scored with its expiry time; each consumer refreshes its entry
while connected, so the entries of a process that died vanish after `TTL` seconds. Without
Redis (one process, in-memory channel layer) a dictionary in the process does the same.
Each event loop keeps one Redis client (one connection pool) for every touch, leave and count.
The count is of distinct people, not of sockets. Who hears of changes, and how often, is
`hubs.realtime.relay`'s business.
"""

import asyncio
import os
import time
import weakref

from django.conf import settings

TTL = 90  # seconds an entry lives without a refresh
REFRESH = 30  # how often a connected consumer refreshes its entry

_local: dict[int, dict[str, float]] = {}


def _key(thread_id: int) -> str:
    # In the cache's namespace (KEY_PREFIX), though written with Redis commands.
    from core.cache import shared_cache

    return shared_cache.make_key(f"threads:presence:{thread_id}")


def _people(members) -> int:
    return len({str(member).split(":", 1)[0] for member in members})


# One client (and so one connection pool) per event loop: its connections belong to the loop
# that opened them (one per Daphne process; tests run a loop per test).
_clients: "weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, object]" = (
    weakref.WeakKeyDictionary()
)


def client_name() -> str:
    """The name this process's presence connections give themselves in Redis."""
    return f"cc-presence-{os.getpid()}"


def _redis():
    loop = asyncio.get_running_loop()
    client = _clients.get(loop)
    if client is None:
        import redis.asyncio as redis

        # Named, so that an operator (and a test) can tell its connections apart.
        client = _clients[loop] = redis.from_url(settings.REDIS_URL, client_name=client_name())
    return client


async def touch(thread_id: int, user_id: int, channel_name: str) -> int:
    """Record (or refresh) this socket; return the number of people online."""
    member = f"{user_id}:{channel_name}"
    now = time.time()
    if getattr(settings, "REDIS_URL", None):
        client = _redis()
        key = _key(thread_id)
        async with client.pipeline(transaction=True) as pipe:
            pipe.zadd(key, {member: now + TTL})
            pipe.zremrangebyscore(key, "-inf", now)
            pipe.expire(key, TTL)
            pipe.zrange(key, 0, -1)
            *_, members = await pipe.execute()
        return _people(m.decode() for m in members)
    entries = _local.setdefault(thread_id, {})
    entries[member] = now + TTL
    for stale in [m for m, expiry in entries.items() if expiry <= now]:
        del entries[stale]
    return _people(entries)


async def leave(thread_id: int, user_id: int, channel_name: str) -> int:
    """Forget this socket; return the number of people still online."""
    member = f"{user_id}:{channel_name}"
    now = time.time()
    if getattr(settings, "REDIS_URL", None):
        client = _redis()
        key = _key(thread_id)
        async with client.pipeline(transaction=True) as pipe:
            pipe.zrem(key, member)
            pipe.zremrangebyscore(key, "-inf", now)
            pipe.zrange(key, 0, -1)
            *_, members = await pipe.execute()
        return _people(m.decode() for m in members)
    entries = _local.get(thread_id, {})
    entries.pop(member, None)
    for stale in [m for m, expiry in entries.items() if expiry <= now]:
        del entries[stale]
    if not entries:
        _local.pop(thread_id, None)
    return _people(entries)


async def count(thread_id: int) -> int:
    """The number of people online in the thread now."""
    now = time.time()
    if getattr(settings, "REDIS_URL", None):
        client = _redis()
        key = _key(thread_id)
        async with client.pipeline(transaction=True) as pipe:
            pipe.zremrangebyscore(key, "-inf", now)
            pipe.zrange(key, 0, -1)
            _, members = await pipe.execute()
        return _people(m.decode() for m in members)
    entries = _local.get(thread_id, {})
    return _people(m for m, expiry in entries.items() if expiry > now)
