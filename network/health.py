"""Checks behind /healthz: each returns None when healthy, else what is wrong."""

import uuid

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import connection


def check_database():
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # noqa: BLE001 - any failure is the answer
        return f"{type(exc).__name__}: {exc}"
    return None


async def _layer_round_trip(layer):
    import asyncio

    # A plain channel name of our own, not `new_channel()`: channels_redis receives
    # process-specific channels ("…!…") through one receive loop per process, which the
    # consumers of a busy process already run; a second receiver there never gets its message.
    channel = f"healthz.{uuid.uuid4().hex}"
    token = uuid.uuid4().hex
    await layer.send(channel, {"type": "healthz.ping", "token": token})
    message = await asyncio.wait_for(layer.receive(channel), timeout=2)
    if message.get("token") != token:
        raise RuntimeError("the channel layer returned a different message")


def check_channel_layer():
    layer = get_channel_layer()
    if layer is None:
        return "no channel layer configured"
    try:
        async_to_sync(_layer_round_trip)(layer)
    except TimeoutError:
        return "no answer within 2 seconds"
    except Exception as exc:  # noqa: BLE001
        return f"{type(exc).__name__}: {exc}"
    return None


def check_cache():
    """The shared cache (rate limits): it fails open while Redis is away, so only this says so."""
    from core.cache import shared_cache

    ping = getattr(shared_cache, "ping", None)
    if ping is None:
        return None  # a local cache: nothing to reach
    try:
        ping()
    except Exception as exc:  # noqa: BLE001
        return f"{type(exc).__name__}: {exc}"
    return None


def check_search():
    from search.backends import get_backend

    try:
        return get_backend().health()
    except Exception as exc:  # noqa: BLE001
        return f"{type(exc).__name__}: {exc}"


CHECKS = {
    "database": check_database,
    "channel_layer": check_channel_layer,
    "cache": check_cache,
    "search": check_search,
}


def run_checks():
    return {name: (check() or "ok") for name, check in CHECKS.items()}
