"""Channels group names and events. The one place that knows them: services send events
after commit, consumers translate them to frames."""

import logging
from collections.abc import Iterable

from asgiref.sync import async_to_sync
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


def _group_send(group, event):
    layer = get_channel_layer()
    if layer is None:
        return
    try:
        async_to_sync(layer.group_send)(group, event)
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
