"""Channels group names and events. The one place that knows them: services send events
after commit, consumers translate them to frames."""

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import transaction


def user_group(user_id: int) -> str:
    """Every websocket of a user joins this group, so access can be revoked live."""
    return f"user.{user_id}"


def thread_group(thread_id: int) -> str:
    return f"thread.{thread_id}"


def _group_send(group, event):
    layer = get_channel_layer()
    if layer is not None:
        async_to_sync(layer.group_send)(group, event)


def send_on_commit(group: str, event: dict) -> None:
    """Broadcast EVENT to GROUP once the surrounding transaction has committed."""
    transaction.on_commit(lambda: _group_send(group, event))


def access_revoked_on_commit(*, user_id: int, hub_id: int | None = None) -> None:
    """Close the user's websockets for HUB_ID (None: all of them), e.g. on suspension,
    leaving, or account deletion."""
    send_on_commit(user_group(user_id), {"type": "access.revoked", "hub_id": hub_id})
