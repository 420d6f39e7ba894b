"""The live unread count through the whole ASGI application."""

import pytest
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator

from hubs import services as hub_services
from network.routing import application
from notifications import services
from tests.hubs.threads_support import expect_close, session_cookie

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.usefixtures("fresh_cache", "close_worker_connections"),
]


async def _socket(user):
    headers = [(b"origin", b"http://testserver")]
    if user is not None:
        cookie = await database_sync_to_async(session_cookie)(user)
        headers.append((b"cookie", cookie.encode()))
    communicator = WebsocketCommunicator(application, "/ws/notifications/", headers)
    connected, _ = await communicator.connect()
    assert connected
    return communicator


async def test_anonymous_is_refused():
    communicator = await _socket(None)
    await expect_close(communicator, 4401)


async def test_count_on_connect_and_live_after_commit(hub, member, member2):
    thread = await database_sync_to_async(hub_services.thread_create)(
        hub=hub, author=member, title="Waste", question="How?"
    )
    mine = await _socket(member)
    theirs = await _socket(member2)
    assert await mine.receive_json_from(timeout=3) == {"type": "unread", "count": 0}
    assert await theirs.receive_json_from(timeout=3) == {"type": "unread", "count": 0}
    await database_sync_to_async(hub_services.message_post)(
        thread=thread, author=member2, body="A reply"
    )
    assert await mine.receive_json_from(timeout=3) == {"type": "unread", "count": 1}
    assert await theirs.receive_nothing(timeout=0.2)  # the poster hears nothing of it
    await database_sync_to_async(services.notifications_mark_read)(user=member)
    assert await mine.receive_json_from(timeout=3) == {"type": "unread", "count": 0}
    await mine.disconnect()
    await theirs.disconnect()
