"""Posts to a thread commit in the order of their ids (the thread's row lock), but their
broadcasts leave from different processes and can arrive out of order (measured: 4 in about
1,730 posts, once 450 ms apart). A client that moves its resume point to the highest id seen
live would then skip the late one on a reconnect. Each message event names the thread's
previous message (`after`), and the relay hands a message to its sockets only after that
one, or when the previous one is overdue (THREADS_RELAY_ORDER_TIMEOUT)."""

import pytest
from channels.db import database_sync_to_async
from channels.layers import get_channel_layer

from hubs import services
from hubs.models import Message
from hubs.realtime import events, groups
from tests.hubs.threads_support import joined, next_frame

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.usefixtures("fresh_cache", "close_worker_connections"),
]


@database_sync_to_async
def _three_messages(thread, member):
    stored = [
        services.message_post(thread=thread, author=member, body=body)[0]
        for body in ("one", "two", "three")
    ]
    # The events the services broadcast, built the same way (payload and render context).
    return [(m.pk, events._message_event(events.MESSAGE, m)) for m in stored]


def _event(built, after):
    return {**built, "after": after}


async def test_messages_reach_a_socket_in_thread_order_whatever_the_arrival_order(
    thread, member, member2
):
    (first_id, first), (second_id, second), (third_id, third) = await _three_messages(
        thread, member
    )
    socket = await joined(member2, thread.pk)
    layer = get_channel_layer()
    group = groups.thread_group(thread.pk)
    await layer.group_send(group, _event(first, None))
    assert (await next_frame(socket))["message"]["id"] == first_id
    # The third arrives before the second (another process was slower to broadcast it).
    await layer.group_send(group, _event(third, second_id))
    await layer.group_send(group, _event(second, first_id))
    received = [(await next_frame(socket))["message"]["id"] for _ in range(2)]
    assert received == [second_id, third_id]
    await socket.disconnect()


async def test_a_message_whose_predecessor_never_comes_is_delivered_after_the_timeout(
    thread, member, member2, settings
):
    settings.THREADS_RELAY_ORDER_TIMEOUT = 0.2
    (first_id, first), (second_id, _second), (third_id, third) = await _three_messages(
        thread, member
    )
    socket = await joined(member2, thread.pk)
    layer = get_channel_layer()
    group = groups.thread_group(thread.pk)
    await layer.group_send(group, _event(first, None))
    assert (await next_frame(socket))["message"]["id"] == first_id
    # The second's broadcast was lost (its process died after the commit).
    await layer.group_send(group, _event(third, second_id))
    assert (await next_frame(socket))["message"]["id"] == third_id
    await socket.disconnect()


def test_a_posted_message_names_the_threads_previous_message(thread, member, member2):
    sent = []
    layer = get_channel_layer()
    real = layer.group_send

    async def record(group, event):
        sent.append(event)
        await real(group, event)

    layer.group_send = record
    try:
        first, _ = services.message_post(thread=thread, author=member, body="one")
        second, _ = services.message_post(thread=thread, author=member2, body="two")
    finally:
        layer.group_send = real
    posted = [e for e in sent if e["type"] == "thread.message"]
    assert [e["message"]["id"] for e in posted] == [first.pk, second.pk]
    assert [e["after"] for e in posted] == [None, first.pk]
    assert Message.objects.count() == 2
