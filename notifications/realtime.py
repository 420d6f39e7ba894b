"""The live unread count: group names and the one event, sent after commit.

A group of its own per member rather than hubs' `user.<id>`: the thread sockets join that
group too and refuse any event type they have no handler for, so an unread count sent there
would close them."""

from channels.layers import get_channel_layer
from django.db import transaction

from hubs.realtime.groups import group_send_from_sync

UNREAD_EVENT = "notifications.unread"


def notifications_group(user_id: int) -> str:
    return f"notifications.{user_id}"


def unread_event(count: int) -> dict:
    return {"type": UNREAD_EVENT, "count": int(count)}


def unread_frame(event: dict) -> dict:
    return {"type": "unread", "count": int(event["count"])}


def _push(user_id: int) -> None:
    from .selectors import unread_count

    layer = get_channel_layer()
    if layer is not None:
        group_send_from_sync(
            layer, notifications_group(user_id), unread_event(unread_count(user_id))
        )


def unread_changed_on_commit(user_id: int) -> None:
    """Tell USER_ID's open pages their unread count once the transaction has committed
    (the count is read then, so it is never ahead of the database)."""
    transaction.on_commit(lambda: _push(user_id))
