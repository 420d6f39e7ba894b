"""Channels group names and events. The one place that knows them: services send events
after commit, consumers translate them to frames."""

import asyncio
import concurrent.futures
import logging
import os
from collections.abc import Iterable

from asgiref.sync import SyncToAsync, async_to_sync
from channels.layers import get_channel_layer
from django.db import transaction

logger = logging.getLogger(__name__)


def user_group(user_id: int) -> str:
    """Every websocket of a user joins this group, so access can be revoked live."""
    return f"user.{user_id}"


def thread_group(thread_id: int) -> str:
    return f"thread.{thread_id}"


def hub_group(hub_id: int) -> str:
    """The thread relays of a hub (hubs.realtime.relay) hear of revocations here, in order with the
    threads' broadcasts."""
    return f"hub.{hub_id}"


def relay_group(token: str) -> str:
    """A relay's own group (hubs.realtime.relay), through which it pings itself."""
    return f"relay.{token}"


# Seconds a worker thread waits for the server's event loop to send a broadcast.
BROADCAST_TIMEOUT = 5.0


def _serving_loop():
    """The event loop that called into this worker thread (asgiref's sync_to_async), if any."""
    local = SyncToAsync.threadlocal
    if getattr(local, "main_event_loop_pid", None) != os.getpid():
        return None
    return getattr(local, "main_event_loop", None)


def group_send_from_sync(layer, group: str, event: dict) -> None:
    """`layer.group_send` from synchronous code (an after-commit hook).

    In a worker thread of the server the send runs on the server's event loop, as
    `async_to_sync` would, but never waits for a loop that has stopped (the server shutting
    down) nor longer than BROADCAST_TIMEOUT: `async_to_sync` waited for good there, and the
    process hung on exit. Raises TimeoutError or RuntimeError when the broadcast was not sent.
    """
    loop = _serving_loop()
    if loop is None:
        async_to_sync(layer.group_send)(group, event)
        return
    if not loop.is_running():
        raise RuntimeError("the server's event loop has stopped (shutting down)")
    future = asyncio.run_coroutine_threadsafe(layer.group_send(group, event), loop)
    try:
        future.result(timeout=BROADCAST_TIMEOUT)
    except concurrent.futures.TimeoutError:
        future.cancel()
        raise TimeoutError(f"no broadcast within {BROADCAST_TIMEOUT:.0f} s") from None


def _group_send(group, event):
    layer = get_channel_layer()
    if layer is None:
        return
    try:
        group_send_from_sync(layer, group, event)
    except Exception:
        # What was stored stays stored: clients that missed the event catch up on `resume`.
        logger.exception("broadcast of %s to %s failed", event.get("type"), group)


def send_on_commit(group: str, event: dict) -> None:
    """Broadcast EVENT to GROUP once the surrounding transaction has committed. A failing
    channel layer is logged and never turns the committed action into an error."""
    transaction.on_commit(lambda: _group_send(group, event), robust=True)


def access_revoked_on_commit(
    *, user_id: int, hub_id: int | None = None, hub_ids: Iterable[int] = ()
) -> None:
    """Close the user's websockets for HUB_ID (None: all of them), e.g. on suspension,
    leaving, or account deletion.

    Twice: to the user's own group, which reaches every socket of theirs, and to the hubs'
    groups (HUB_ID, and HUB_IDS when HUB_ID is None: the caller reads them before it deletes
    the memberships), where the thread relays drop the user's sockets before they hand out
    anything broadcast after the revocation."""
    from . import events  # here: events builds on this module's group names

    send_on_commit(user_group(user_id), events.access_revoked_event(hub_id))
    for each in [hub_id] if hub_id is not None else hub_ids:
        send_on_commit(hub_group(each), events.hub_revoked_event(user_id))
