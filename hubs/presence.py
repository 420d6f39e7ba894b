"""Who is connected to a thread, counted across every Daphne process.

With REDIS_URL set, one sorted set per thread in Redis holds an entry per websocket
("<user id>:<channel name>") scored with its expiry time; each consumer refreshes its entry
while connected, so the entries of a process that died vanish after `TTL` seconds. Without
Redis (one process, in-memory channel layer) a dictionary in the process does the same.
The count is of distinct people, not of sockets.

Announcing every connect and disconnect to the whole thread costs N²/2 frames for N
connections, so announcements are coalesced: a consumer sends its own socket the count at
once, and `announce_soon` broadcasts the thread's count at most once per `interval()` per
process, read when the broadcast leaves (so it is right across processes too). Consumers
skip a count their socket was already sent.
"""

import asyncio
import time

from django.conf import settings

TTL = 90  # seconds an entry lives without a refresh
REFRESH = 30  # how often a connected consumer refreshes its entry

_local: dict[int, dict[str, float]] = {}


def _key(thread_id: int) -> str:
    # In the cache's namespace (KEY_PREFIX), though written with Redis commands.
    from django.core.cache import cache

    return cache.make_key(f"threads:presence:{thread_id}")


def _people(members) -> int:
    return len({str(member).split(":", 1)[0] for member in members})


async def _redis():
    import redis.asyncio as redis

    return redis.from_url(settings.REDIS_URL)


async def touch(thread_id: int, user_id: int, channel_name: str) -> int:
    """Record (or refresh) this socket; return the number of people online."""
    member = f"{user_id}:{channel_name}"
    now = time.time()
    if getattr(settings, "REDIS_URL", None):
        client = await _redis()
        try:
            key = _key(thread_id)
            async with client.pipeline(transaction=True) as pipe:
                pipe.zadd(key, {member: now + TTL})
                pipe.zremrangebyscore(key, "-inf", now)
                pipe.expire(key, TTL)
                pipe.zrange(key, 0, -1)
                *_, members = await pipe.execute()
            return _people(m.decode() for m in members)
        finally:
            await client.aclose()
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
        client = await _redis()
        try:
            key = _key(thread_id)
            async with client.pipeline(transaction=True) as pipe:
                pipe.zrem(key, member)
                pipe.zremrangebyscore(key, "-inf", now)
                pipe.zrange(key, 0, -1)
                *_, members = await pipe.execute()
            return _people(m.decode() for m in members)
        finally:
            await client.aclose()
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
        client = await _redis()
        try:
            key = _key(thread_id)
            async with client.pipeline(transaction=True) as pipe:
                pipe.zremrangebyscore(key, "-inf", now)
                pipe.zrange(key, 0, -1)
                _, members = await pipe.execute()
            return _people(m.decode() for m in members)
        finally:
            await client.aclose()
    entries = _local.get(thread_id, {})
    return _people(m for m, expiry in entries.items() if expiry > now)


def interval() -> float:
    """Seconds between two presence broadcasts of one process for one thread."""
    return float(getattr(settings, "THREADS_PRESENCE_INTERVAL", 0.25))


_pending: dict[int, asyncio.Task] = {}


def announce_soon(thread_id: int, layer, group: str) -> None:
    """Broadcast the thread's count to GROUP after `interval()`, unless a broadcast is
    already scheduled in this process (it will read the count then)."""
    task = _pending.get(thread_id)
    loop = asyncio.get_running_loop()
    if task is not None and not task.done() and task.get_loop() is loop:
        return
    _pending[thread_id] = loop.create_task(_announce(thread_id, layer, group))


async def _announce(thread_id: int, layer, group: str) -> None:
    try:
        await asyncio.sleep(interval())
    finally:
        # Changes from now on schedule the next broadcast; this one reads the count after.
        if _pending.get(thread_id) is asyncio.current_task():
            del _pending[thread_id]
    online = await count(thread_id)
    await layer.group_send(group, {"type": "thread.presence", "online": online})
