"""Our in-memory channel layer keeps Channels' behaviour (expiry, capacity, groups) while
sweeping for expiry at most once per interval and copying a group message once."""

import asyncio

import pytest

from hubs.realtime.layers import InMemoryChannelLayer, renew_membership


async def test_group_send_reaches_every_member_with_an_equal_copy():
    layer = InMemoryChannelLayer()
    channels = [await layer.new_channel() for _ in range(3)]
    for channel in channels:
        await layer.group_add("thread.1", channel)
    event = {"type": "thread.message", "text": "hello", "nested": {"id": 1}}
    await layer.group_send("thread.1", event)
    event["nested"]["id"] = 2  # the sender changing its dict afterwards changes nothing
    for channel in channels:
        assert await layer.receive(channel) == {
            "type": "thread.message",
            "text": "hello",
            "nested": {"id": 1},
        }


async def test_group_send_to_an_unknown_group_is_a_no_op():
    layer = InMemoryChannelLayer()
    await layer.group_send("thread.404", {"type": "x"})
    assert layer.channels == {}


async def test_a_full_member_misses_the_message_and_the_others_still_get_it():
    layer = InMemoryChannelLayer(capacity=1)
    slow, fast = await layer.new_channel(), await layer.new_channel()
    for channel in (slow, fast):
        await layer.group_add("thread.1", channel)
    await layer.group_send("thread.1", {"type": "first"})
    assert (await layer.receive(fast))["type"] == "first"
    await layer.group_send("thread.1", {"type": "second"})  # slow's queue is full
    assert (await layer.receive(fast))["type"] == "second"
    assert (await layer.receive(slow))["type"] == "first"
    with pytest.raises(asyncio.TimeoutError):
        await asyncio.wait_for(layer.receive(slow), 0.05)


async def test_expired_messages_and_memberships_are_swept():
    layer = InMemoryChannelLayer(expiry=-1, sweep_interval=0)
    channel = await layer.new_channel()
    await layer.group_add("thread.1", channel)
    await layer.send(channel, {"type": "stale"})
    layer._clean_expired()
    assert channel not in layer.channels
    assert channel not in layer.groups.get("thread.1", {})


async def test_sweeps_are_spaced_by_the_interval():
    layer = InMemoryChannelLayer(expiry=-1, sweep_interval=3600)
    layer._clean_expired()  # the first sweep runs and starts the interval
    channel = await layer.new_channel()
    await layer.send(channel, {"type": "stale"})
    layer._clean_expired()
    assert channel in layer.channels  # not swept again yet
    await layer.flush()
    assert layer.channels == {}


async def test_renew_membership_tells_whether_the_member_had_been_lost():
    layer = InMemoryChannelLayer()
    channel = await layer.new_channel()
    await layer.group_add("thread.1", channel)
    assert await renew_membership(layer, "thread.1", channel)
    layer.groups.pop("thread.1")  # what a restarted Redis does to every group
    assert not await renew_membership(layer, "thread.1", channel)
    assert channel in layer.groups["thread.1"]  # and it is a member again
