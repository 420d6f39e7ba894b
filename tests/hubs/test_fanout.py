"""Process-local fan-out (`hubs.fanout`): one channel-layer subscription per thread and
process, every local socket served from it, presence counts coalesced."""

import pytest
from channels.layers import get_channel_layer

from hubs import fanout, presence, realtime
from hubs.consumers import CLOSE_RECONNECT
from tests.hubs.threads_support import assert_quiet, joined, next_frame

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.usefixtures("fresh_cache", "close_worker_connections"),
]


async def layer_members(group):
    """Members of GROUP in the channel layer, read from the layer itself."""
    layer = get_channel_layer()
    if hasattr(layer, "groups"):
        return len(layer.groups.get(group, {}))
    connection = layer.connection(layer.consistent_hash(group))
    async with connection as client:
        return await client.zcard(layer._group_key(group))


async def test_sockets_of_a_thread_share_one_subscription(thread, member, member2, coordinator):
    group = realtime.thread_group(thread.pk)
    sockets = [await joined(person, thread.pk) for person in (member, member2, coordinator)]
    assert fanout.local_subscribers(group) == 3
    assert await layer_members(group) == 1
    for socket in sockets[:2]:
        await socket.disconnect()
    assert fanout.local_subscribers(group) == 1
    assert await layer_members(group) == 1
    await sockets[2].disconnect()
    assert fanout.local_subscribers(group) == 0
    assert await layer_members(group) == 0


async def test_a_relay_starts_again_after_the_last_socket_left(thread, member, member2):
    group = realtime.thread_group(thread.pk)
    first = await joined(member, thread.pk)
    await first.disconnect()
    assert await layer_members(group) == 0
    alice = await joined(member, thread.pk)
    bob = await joined(member2, thread.pk)
    await get_channel_layer().group_send(
        group, {"type": "thread.typing", "user": {"id": 0, "name": "Someone"}, "sender": "x"}
    )
    for socket in (alice, bob):
        assert await next_frame(socket) == {
            "type": "typing",
            "user": {"id": 0, "name": "Someone"},
        }
    await alice.disconnect()
    await bob.disconnect()


async def test_presence_changes_are_coalesced_into_one_frame(thread, member, member2):
    group = realtime.thread_group(thread.pk)
    alice = await joined(member, thread.pk)  # sent "online: 1" on connecting
    await assert_quiet(alice)
    # Someone joins through another process: only the shared count knows.
    await presence.touch(thread.pk, member2.pk, "elsewhere!abc")
    relay = fanout._registry()[group]
    for _ in range(5):  # five announcements before the relay's interval is over
        await relay.deliver({"type": fanout.PRESENCE})
    await relay.presence_pending
    assert await alice.receive_json_from(timeout=3) == {"type": "presence", "online": 2}
    assert await alice.receive_nothing(timeout=0.2)
    # The same count again is not news.
    await relay.deliver({"type": fanout.PRESENCE})
    await relay.presence_pending
    assert await alice.receive_nothing(timeout=0.2)
    await alice.disconnect()


async def test_one_failing_socket_does_not_stop_the_others(thread, member, member2, monkeypatch):
    group = realtime.thread_group(thread.pk)
    alice = await joined(member, thread.pk)
    bob = await joined(member2, thread.pk)
    relay = fanout._registry()[group]
    first = next(iter(relay.consumers))

    async def broken(event):
        raise RuntimeError("socket gone wrong")

    monkeypatch.setattr(first, "relay_event", broken)
    await get_channel_layer().group_send(
        group, {"type": "thread.typing", "user": {"id": 0, "name": "Someone"}, "sender": "x"}
    )
    assert (await next_frame(bob))["type"] == "typing"
    await alice.disconnect()
    await bob.disconnect()


async def forget_group(group):
    """What a Redis restart does to the layer: every group is gone."""
    layer = get_channel_layer()
    if hasattr(layer, "groups"):
        layer.groups.pop(group, None)
        return
    async with layer.connection(layer.consistent_hash(group)) as client:
        await client.delete(layer._group_key(group))


async def test_a_relay_that_lost_its_subscription_sends_its_sockets_to_resume(
    thread, member, member2
):
    group = realtime.thread_group(thread.pk)
    alice = await joined(member, thread.pk)
    bob = await joined(member2, thread.pk)
    relay = fanout._registry()[group]
    assert await relay.check()  # still subscribed: nothing happens
    await forget_group(group)
    assert not await relay.check()
    for socket in (alice, bob):
        output = await socket.receive_output(timeout=3)
        while output.get("type") == "websocket.send":  # presence frames still in flight
            output = await socket.receive_output(timeout=3)
        assert output == {"type": "websocket.close", "code": CLOSE_RECONNECT}
    assert fanout.local_subscribers(group) == 0
    # The clients come back: a fresh relay subscribes again.
    carol = await joined(member, thread.pk)
    assert fanout._registry()[group] is not relay
    assert await layer_members(group) == 1
    for socket in (alice, bob, carol):
        await socket.disconnect()
