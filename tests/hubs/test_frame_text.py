"""Text no database or socket can carry (a lone UTF-16 surrogate, written as a JSON escape)
in any field of a frame is an `invalid` error frame: nothing is stored, and the socket stays
open."""

import json

import pytest
from channels.db import database_sync_to_async

from hubs import services
from hubs.models import Message
from tests.hubs.threads_support import joined, next_frame, send

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.usefixtures("fresh_cache", "close_worker_connections"),
]

db = database_sync_to_async
ID = "5f0c1a8e-3a4b-4c2d-9e8f-112233445566"
LONE = "\\ud800"  # as it appears in the raw frame: a JSON escape of a lone surrogate


def raw_frames(message_id):
    mark = "LONE-SURROGATE"
    frames = [
        {"type": "post", "client_id": ID, "body": f"a {mark} b"},
        {"type": "post", "client_id": mark, "body": "ok"},
        {"type": "post", "client_id": ID + mark, "body": "ok"},
        {"type": "edit", "id": message_id, "body": f"x {mark}"},
        {"type": "hide", "id": message_id, "reason": f"r {mark}"},
        {"type": mark},
        {"type": "resume", "after": 0, mark: 1},
    ]
    return [json.dumps(frame).replace(mark, LONE) for frame in frames]


async def test_lone_surrogates_are_invalid_and_change_nothing(thread, coordinator):
    message, _ = await db(services.message_post)(
        thread=thread, author=coordinator, body="The original"
    )
    carol = await joined(coordinator, thread.pk)
    for raw in raw_frames(message.pk):
        await carol.send_to(text_data=raw)
        frame = await next_frame(carol, skip=("presence", "message", "resumed"))
        assert (frame["type"], frame["code"]) == ("error", "invalid"), (raw, frame)
        assert "\ud800" not in str(frame)
    stored = await db(Message.objects.get)(pk=message.pk)
    assert (stored.body, stored.hidden) == ("The original", False)
    assert await db(Message.objects.count)() == 1
    # Still open and usable.
    await send(carol, {"type": "post", "client_id": ID, "body": "Still here"})
    frame = await next_frame(carol, skip=("presence", "message"))
    assert frame["type"] == "ack", frame
    await carol.disconnect()


def test_the_services_refuse_lone_surrogates_too(thread, coordinator):
    import uuid

    from core.exceptions import ActionError

    message, _ = services.message_post(thread=thread, author=coordinator, body="Kept")
    calls = [
        lambda: services.message_post(
            thread=thread, author=coordinator, body="a \ud800", client_id=str(uuid.uuid4())
        ),
        lambda: services.message_edit(message=message, user=coordinator, body="b \udfff"),
        lambda: services.message_hide(message=message, acting_user=coordinator, reason="\ud800"),
    ]
    for call in calls:
        with pytest.raises(ActionError) as error:
            call()
        assert error.value.code == "invalid"
    message.refresh_from_db()
    assert (message.body, message.hidden, Message.objects.count()) == ("Kept", False, 1)
