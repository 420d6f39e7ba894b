"""Process-local fan-out of thread broadcasts.

The sockets of one thread in one Daphne process share a single subscription to the thread's
group: the channel layer carries a broadcast once per process, not once per socket, and the
relay hands it to each local consumer in turn. Without it, a message to a thread with N open
sockets costs N channel-layer messages (N Redis list pushes and pops with the Redis layer),
N task wake-ups and N dispatches before the first byte is written (docs/benchmarks.md).

Presence counts are coalesced here too: a relay sends the thread's count at most once per
`presence_interval()`, read from `hubs.presence` when it leaves, instead of one frame per
socket for every connect and disconnect (N²/2 frames when N people arrive).

A relay that loses the channel layer (Redis down, or restarted and so without its groups)
closes its sockets with `CLOSE_RECONNECT`: the clients reconnect and `resume`, and miss
nothing. Relays belong to the running event loop (one per Daphne process; tests run a loop
per test).
"""

import asyncio
import logging
import weakref

from django.conf import settings

from network.channel_layers import renew_membership

from . import presence

logger = logging.getLogger(__name__)

# Events whose frame depends on who receives it (they read the recipient's access from the
# database): delivered to every socket concurrently instead of one after another.
PER_RECIPIENT = frozenset({"thread.hidden", "thread.unhidden"})
PRESENCE = "thread.presence"


def renew_interval() -> float:
    """Seconds between two checks that a relay is still subscribed to its group."""
    return float(getattr(settings, "THREADS_RELAY_RENEW_INTERVAL", 10))


def presence_interval() -> float:
    """Seconds between two presence frames of one relay (0: every change at once)."""
    return float(getattr(settings, "THREADS_PRESENCE_INTERVAL", 0.25))


_relays: "weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, dict]" = weakref.WeakKeyDictionary()


def _registry() -> dict:
    return _relays.setdefault(asyncio.get_running_loop(), {})


def local_subscribers(group: str) -> int:
    """How many sockets of this process receive GROUP's broadcasts (for the probes)."""
    relay = _registry().get(group)
    return len(relay.consumers) if relay is not None else 0


def relays() -> dict[str, int]:
    """Every relay of this process (group -> sockets), for the probes."""
    return {group: len(relay.consumers) for group, relay in _registry().items()}


class Relay:
    def __init__(self, layer, group: str, thread_id: int):
        self.layer, self.group, self.thread_id = layer, group, thread_id
        self.consumers: dict = {}  # insertion-ordered set: the first to join is served first
        self.channel = None
        self.ready = asyncio.get_running_loop().create_future()
        self.task = None
        self.watcher = None
        self.presence_pending = None

    async def start(self):
        try:
            self.channel = await self.layer.new_channel()
            await self.layer.group_add(self.group, self.channel)
        except BaseException as error:
            self.ready.set_exception(error)
            # Consumed here so an unawaited future does not log; joiners re-raise it.
            self.ready.exception()
            raise
        loop = asyncio.get_running_loop()
        self.task = loop.create_task(self._run())
        self.watcher = loop.create_task(self._watch())
        self.ready.set_result(None)

    def _cancel_tasks(self):
        current = asyncio.current_task()
        for task in (self.task, self.watcher, self.presence_pending):
            if task is not None and task is not current:
                task.cancel()

    async def stop(self):
        self._cancel_tasks()
        await self._leave_group()

    async def _leave_group(self):
        try:
            await self.layer.group_discard(self.group, self.channel)
        except Exception:
            # The layer is unreachable; the membership expires with the group there.
            logger.warning("thread fan-out could not leave %s", self.group, exc_info=True)

    async def _run(self):
        try:
            while True:
                event = await self.layer.receive(self.channel)
                try:
                    await self.deliver(event)
                except Exception:
                    logger.exception("thread fan-out failed for %s", event.get("type"))
        except asyncio.CancelledError:
            raise
        except Exception:
            logger.warning("thread fan-out lost the channel layer (%s)", self.group, exc_info=True)
            await self.fail()

    async def _watch(self):
        while True:
            await asyncio.sleep(renew_interval())
            if not await self.check():
                return

    async def check(self) -> bool:
        """Renew the subscription; give the relay up (`fail`) if it had been lost."""
        try:
            subscribed = await renew_membership(self.layer, self.group, self.channel)
        except Exception:
            logger.warning("thread fan-out cannot reach the channel layer", exc_info=True)
            subscribed = False
        if not subscribed:
            logger.warning("thread fan-out lost its subscription to %s", self.group)
            await self.fail()
        return subscribed

    async def fail(self):
        """Give up this relay: its sockets may have missed broadcasts. They are closed so
        their clients reconnect and resume; the next socket starts a fresh relay."""
        registry = _registry()
        if registry.get(self.group) is self:
            del registry[self.group]
        self._cancel_tasks()
        consumers = list(self.consumers)
        self.consumers.clear()
        for consumer in consumers:
            try:
                await consumer.relay_lost()
            except Exception:
                logger.exception("closing a socket of a lost relay failed")
        await self._leave_group()

    async def deliver(self, event):
        kind = event.get("type")
        if kind == PRESENCE:
            self._presence_soon()
            return
        consumers = list(self.consumers)
        if kind in PER_RECIPIENT:
            await asyncio.gather(
                *(consumer.dispatch(event) for consumer in consumers), return_exceptions=True
            )
            return
        for consumer in consumers:
            try:
                await consumer.dispatch(event)
            except Exception:
                logger.exception("thread event %s failed for one socket", kind)

    def _presence_soon(self):
        if self.presence_pending is None or self.presence_pending.done():
            self.presence_pending = asyncio.get_running_loop().create_task(self._presence())

    async def _presence(self):
        await asyncio.sleep(presence_interval())
        # Later changes schedule the next frame; this one reads the count as it leaves.
        self.presence_pending = None
        online = await presence.count(self.thread_id)
        for consumer in list(self.consumers):
            try:
                await consumer.send_presence(online)
            except Exception:
                logger.exception("presence frame failed for one socket")


async def join(layer, group: str, thread_id: int, consumer) -> None:
    """Deliver GROUP's broadcasts to CONSUMER (`consumer.dispatch(event)`) from now on."""
    registry = _registry()
    relay = registry.get(group)
    if relay is None:
        relay = registry[group] = Relay(layer, group, thread_id)
        relay.consumers[consumer] = None
        try:
            await relay.start()
        except BaseException:
            if registry.get(group) is relay:
                del registry[group]
            raise
        return
    relay.consumers[consumer] = None
    try:
        await asyncio.shield(relay.ready)
    except BaseException:
        relay.consumers.pop(consumer, None)
        raise


async def leave(group: str, consumer) -> None:
    registry = _registry()
    relay = registry.get(group)
    if relay is None or consumer not in relay.consumers:
        return
    del relay.consumers[consumer]
    if not relay.consumers:
        # Out of the registry before the first await: a socket arriving meanwhile starts a
        # relay of its own instead of joining one that is stopping.
        del registry[group]
        await relay.stop()
