"""The channel layers of the test settings: Channels' in-memory layer and channels_redis's,
each with two additions for tests.

- Every message sent is round-tripped through JSON first, so an event that could not be
  serialised (a set, a datetime, a model instance, a lazy translation) fails the test that
  sends it, on the in-memory layer as on Redis, instead of only in production.
- The layer keeps a record of the group memberships asked of it (`members(group)`), so a
  test can see how many subscriptions a thread has without reading the layer's internals.
"""

import json

from channels.layers import InMemoryChannelLayer as ChannelsInMemoryChannelLayer
from channels_redis.core import RedisChannelLayer as ChannelsRedisChannelLayer


def round_trip(message: dict) -> dict:
    """MESSAGE as the receiver would get it from a JSON wire, or TypeError."""
    return json.loads(json.dumps(message, allow_nan=False))


class CheckedLayer:
    """The additions, as a mixin in front of a real layer."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.memberships: dict[str, set[str]] = {}

    async def send(self, channel, message):
        await super().send(channel, round_trip(message))

    async def group_send(self, group, message):
        await super().group_send(group, round_trip(message))

    async def group_add(self, group, channel):
        await super().group_add(group, channel)
        self.memberships.setdefault(group, set()).add(channel)

    async def group_discard(self, group, channel):
        await super().group_discard(group, channel)
        members = self.memberships.get(group, set())
        members.discard(channel)
        if not members:
            self.memberships.pop(group, None)

    async def flush(self):
        await super().flush()
        self.memberships = {}

    def members(self, group: str) -> int:
        """How many channels this process has put in GROUP and not taken out again."""
        return len(self.memberships.get(group, ()))


class InMemoryChannelLayer(CheckedLayer, ChannelsInMemoryChannelLayer):
    pass


class RedisChannelLayer(CheckedLayer, ChannelsRedisChannelLayer):
    pass
