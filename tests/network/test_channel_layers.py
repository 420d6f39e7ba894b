"""The channel layer: Channels' stock in-memory layer by default, and the test settings'
layers (tests/channel_layers.py), which round-trip every message through JSON so that an
event that could not be serialised fails its test."""

import datetime

import pytest
from channels.layers import InMemoryChannelLayer, get_channel_layer
from django.conf import settings

from tests.channel_layers import CheckedLayer


def test_the_tests_run_on_the_checking_layer():
    layer = get_channel_layer()
    assert isinstance(layer, CheckedLayer)
    if not getattr(settings, "REDIS_URL", None):
        assert isinstance(layer, InMemoryChannelLayer)


@pytest.mark.parametrize(
    "payload",
    [{1, 2}, datetime.datetime(2026, 1, 1), b"bytes", float("nan"), object()],
    ids=["set", "datetime", "bytes", "nan", "object"],
)
async def test_an_event_that_cannot_be_serialised_fails_at_the_sender(payload):
    layer = get_channel_layer()
    channel = await layer.new_channel()
    await layer.group_add("thread.1", channel)
    with pytest.raises((TypeError, ValueError)):
        await layer.group_send("thread.1", {"type": "thread.message", "message": payload})
    with pytest.raises((TypeError, ValueError)):
        await layer.send(channel, {"type": "thread.message", "message": payload})
    await layer.group_discard("thread.1", channel)


async def test_receivers_get_what_a_json_wire_would_carry():
    layer = get_channel_layer()
    channel = await layer.new_channel()
    await layer.group_add("thread.1", channel)
    await layer.group_send("thread.1", {"type": "thread.state", "ids": (1, 2)})
    assert await layer.receive(channel) == {"type": "thread.state", "ids": [1, 2]}
    await layer.group_discard("thread.1", channel)


async def test_the_layer_records_the_memberships_it_was_asked_for():
    layer = get_channel_layer()
    first, second = await layer.new_channel(), await layer.new_channel()
    for channel in (first, second, first):
        await layer.group_add("thread.1", channel)
    assert layer.members("thread.1") == 2
    await layer.group_discard("thread.1", first)
    await layer.group_discard("thread.1", second)
    assert layer.members("thread.1") == 0
