"""The in-memory channel layer for one Daphne process (the embedded default).

Channels' own `InMemoryChannelLayer` sweeps every channel and every group membership for
expiry on each `receive` and `group_send`, and sends to each member of a group through a task
of its own with a deep copy of the message. One broadcast to a thread with N open sockets
therefore costs N sweeps of N entries: N² steps, which at a few hundred sockets is most of
the process's time (measured in docs/benchmarks.md). This subclass keeps upstream's
behaviour and limits but sweeps at most once per `sweep_interval`, copies a group message
once, and puts it on each member's queue directly.
"""

import asyncio
import time
from copy import deepcopy

from channels.layers import InMemoryChannelLayer as ChannelsInMemoryChannelLayer


class InMemoryChannelLayer(ChannelsInMemoryChannelLayer):
    def __init__(self, *args, sweep_interval=1.0, **kwargs):
        super().__init__(*args, **kwargs)
        self.sweep_interval = sweep_interval
        self._next_sweep = 0.0

    def _clean_expired(self):
        # Expiry is counted in tens of seconds: a sweep more often than once per interval
        # frees nothing sooner that matters.
        now = time.monotonic()
        if now < self._next_sweep:
            return
        self._next_sweep = now + self.sweep_interval
        super()._clean_expired()

    async def flush(self):
        await super().flush()
        self._next_sweep = 0.0

    async def group_send(self, group, message):
        assert isinstance(message, dict), "Message is not a dict"
        self.require_valid_group_name(group)
        self._clean_expired()
        members = self.groups.get(group)
        if not members:
            return
        # One copy protects the receivers from the sender changing its dict afterwards;
        # the receivers share it (consumers only read events).
        entry = (time.time() + self.expiry, deepcopy(message))
        for channel in list(members):
            queue = self.channels.get(channel)
            if queue is None:
                queue = self.channels.setdefault(
                    channel, asyncio.Queue(maxsize=self.get_capacity(channel))
                )
            try:
                queue.put_nowait(entry)
            except asyncio.QueueFull:
                continue  # that member is too slow: dropped for it alone, as upstream does


async def renew_membership(layer, group: str, channel: str) -> bool:
    """Add CHANNEL to GROUP again (renewing its group expiry) and tell whether it was still
    a member. False means broadcasts may have been missed: a restarted Redis forgets every
    group, and any layer drops members after `group_expiry`."""
    key = getattr(layer, "_group_key", None)
    if key is not None and hasattr(layer, "connection"):  # channels_redis
        layer.require_valid_group_name(group)
        async with layer.connection(layer.consistent_hash(group)) as connection:
            added = await connection.zadd(key(group), {channel: time.time()})
            await connection.expire(key(group), layer.group_expiry)
        return added == 0
    groups = getattr(layer, "groups", None)
    was_member = channel in groups.get(group, {}) if isinstance(groups, dict) else True
    await layer.group_add(group, channel)
    return was_member
