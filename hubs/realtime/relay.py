"""Process-local fan-out of thread broadcasts.

The sockets of one thread in one Daphne process share a single subscription to the thread's
group: the channel layer carries a broadcast once per process, not once per socket, and the
relay hands it to each local consumer in turn. Without it, a message to a thread with N open
sockets costs N channel-layer messages (N Redis list pushes and pops with the Redis layer),
N task wake-ups and N dispatches before the first byte is written (docs/benchmarks.md).

Order is kept as if every event went through the consumer's own queue:
- The relay's channel is also in the hub's group (`groups.hub_group`), where revocations
  arrive; a revocation therefore comes in order with the thread's broadcasts, and the
  revoked person's sockets stop receiving before anything later is handed out.
- While a consumer's own handler runs (a `resume` reading missed messages, say), the events
  for it wait in `consumer.held` and follow when the handler is done
  (`ThreadConsumer.dispatch`), so an older copy can never overwrite a newer event.

Presence counts are coalesced here too: a relay sends the thread's count at most once per
`presence_interval()`, read from `hubs.realtime.presence` when it leaves, instead of one frame per
socket for every connect and disconnect (N²/2 frames when N people arrive).

Messages are handed out in the thread's order: posts commit in the order of their ids (the
thread's row lock), but their broadcasts leave from different processes and can arrive out of
order. Each `thread.message` event names the thread's previous message (`after`); a message
whose predecessor has not been handed out yet waits for it, at most `order_timeout()` seconds
(its broadcast may have been lost), so a client may resume from the highest id it was given.

A relay that loses the channel layer (Redis down, or restarted and so without its groups)
closes its sockets with `CLOSE_RECONNECT`: the clients reconnect and `resume`, and miss
nothing. It notices with public channel-layer calls only: every `renew_interval()` it sends a
ping through a group of its own (`groups.relay_group`), joined with the thread's and the hub's
groups; a ping that does not come back means the layer forgot the relay's memberships (a
restarted Redis forgets every group; the in-memory layer drops a channel from every group at
once when a message to it expires). Then `group_add` renews the memberships' expiry.

Relays belong to the running event loop (one per Daphne process; tests run a loop per test).
The sockets they serve are `Subscriber`s (the consumer).
"""

import asyncio
import itertools
import logging
import uuid
import weakref
from dataclasses import dataclass
from typing import Any, Protocol

from channels.db import database_sync_to_async
from django.conf import settings

from .. import selectors
from . import events, groups, presence

logger = logging.getLogger(__name__)

# Events whose frame depends on whether the recipient moderates the hub: the relay reads the
# moderators once and passes them along.
PER_RECIPIENT = frozenset({"thread.hidden", "thread.unhidden"})
PRESENCE = events.PRESENCE
REVOKED = events.HUB_REVOKED
PING = "relay.ping"
MESSAGE = "thread.message"


class Subscriber(Protocol):
    """A socket the relay serves (`hubs.realtime.consumers.ThreadConsumer`)."""

    user_id: int

    async def relay_event(self, event: dict[str, Any]) -> None:
        """A broadcast to the thread, in the order the relay received it."""

    async def send_presence(self, online: int) -> None:
        """The thread's (coalesced) count of people online."""

    async def revoke(self) -> None:
        """The person's access to the hub ended: close, before any later broadcast."""

    async def relay_lost(self) -> None:
        """The relay lost the channel layer: close so that the client resumes."""


def renew_interval() -> float:
    """Seconds between two checks that a relay is still subscribed to its groups."""
    return float(getattr(settings, "THREADS_RELAY_RENEW_INTERVAL", 10))


def ping_timeout() -> float:
    """Seconds a relay waits for its ping before it counts its subscriptions as lost."""
    return float(getattr(settings, "THREADS_RELAY_PING_TIMEOUT", 5))


def order_timeout() -> float:
    """Seconds a message waits for the thread's previous message before it is handed out."""
    return float(getattr(settings, "THREADS_RELAY_ORDER_TIMEOUT", 2))


def presence_interval() -> float:
    """Seconds between two presence frames of one relay (0: every change at once)."""
    return float(getattr(settings, "THREADS_PRESENCE_INTERVAL", 0.25))


_relays: "weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, dict]" = weakref.WeakKeyDictionary()


def _registry() -> dict:
    return _relays.setdefault(asyncio.get_running_loop(), {})


def local_subscribers(group: str) -> int:
    """How many sockets of this process receive GROUP's broadcasts (for the probes)."""
    relay = _registry().get(group)
    return relay.sockets if relay is not None else 0


def relays() -> dict[str, int]:
    """Every relay of this process (group -> sockets), for the probes."""
    return {group: relay.sockets for group, relay in _registry().items()}


@dataclass(frozen=True)
class RelayProbe:
    """What a relay is, seen from outside (for tests, the bench and health checks)."""

    channel: str | None
    groups: tuple[str, ...]
    sockets: int


def probe(thread_id: int) -> RelayProbe | None:
    """The running relay of THREAD_ID in this process, if any."""
    relay = _registry().get(groups.thread_group(thread_id))
    if relay is None:
        return None
    return RelayProbe(relay.channel, relay.groups, relay.sockets)


def get(thread_id: int) -> "Relay | None":
    """The running relay of THREAD_ID in this process (None: no socket of it here)."""
    return _registry().get(groups.thread_group(thread_id))


@database_sync_to_async
def _moderator_ids(thread_id: int) -> frozenset:
    return selectors.thread_moderator_ids(thread_id=thread_id)


class RelayUnavailable(Exception):
    """The relay could not subscribe to its groups (the channel layer is unreachable)."""


class Relay:
    """One thread's subscription in this process, shared by its local sockets."""

    def __init__(self, layer, group: str, thread_id: int, hub_id: int):
        self.layer, self.group, self.thread_id = layer, group, thread_id
        # The ping group last: a relay that hears its ping is still in the groups before it.
        self.groups = (group, groups.hub_group(hub_id), groups.relay_group(uuid.uuid4().hex))
        # Insertion-ordered set: the first to join is served first.
        self._subscribers: dict[Subscriber, None] = {}
        self.channel = None
        self.starting = None
        self._task = None
        self._watcher = None
        self._presence_task = None
        self._pings = itertools.count(1)
        self._pongs: dict[int, asyncio.Future] = {}
        self.failed = False
        # Thread order: the highest message id handed out, and messages waiting for their
        # predecessor (by the predecessor's id).
        self._last_message_id: int | None = None
        self._waiting: dict[int, dict] = {}
        self._order_task = None

    @property
    def sockets(self) -> int:
        return len(self._subscribers)

    async def start(self):
        self.channel = await self.layer.new_channel()
        for group in self.groups:
            await self.layer.group_add(group, self.channel)
        loop = asyncio.get_running_loop()
        self._task = loop.create_task(self._run())
        self._watcher = loop.create_task(self._watch())

    def _cancel_tasks(self):
        current = asyncio.current_task()
        tasks = (self.starting, self._task, self._watcher, self._presence_task, self._order_task)
        for task in tasks:
            if task is not None and task is not current and not task.done():
                task.cancel()

    async def stop(self):
        self._cancel_tasks()
        await self._leave_groups()

    async def _leave_groups(self):
        if self.channel is None:
            return
        for group in self.groups:
            try:
                await self.layer.group_discard(group, self.channel)
            except Exception:
                # The layer is unreachable; the membership expires with the group there.
                logger.warning("thread fan-out could not leave %s", group, exc_info=True)

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
        """Ping through the relay's own group, then renew the subscriptions; give the relay
        up (`fail`) if the ping did not come back: the layer forgot its memberships."""
        try:
            subscribed = await self._ping()
            if subscribed:
                for group in self.groups:
                    await self.layer.group_add(group, self.channel)  # renews the expiry
        except Exception:
            logger.warning("thread fan-out cannot reach the channel layer", exc_info=True)
            subscribed = False
        if not subscribed and not self.failed:
            logger.warning("thread fan-out lost its subscription to %s", self.group)
            await self.fail()
        return subscribed

    async def _ping(self) -> bool:
        token = next(self._pings)
        pong = self._pongs[token] = asyncio.get_running_loop().create_future()
        try:
            await self.layer.group_send(self.groups[-1], {"type": PING, "token": token})
            await asyncio.wait_for(pong, ping_timeout())
            return True
        except TimeoutError:
            return False
        finally:
            self._pongs.pop(token, None)

    async def fail(self):
        """Give up this relay: its sockets may have missed broadcasts. They are closed so
        their clients reconnect and resume; the next socket starts a fresh relay."""
        if self.failed:
            return
        self.failed = True
        _forget(self)
        self._cancel_tasks()
        consumers = list(self._subscribers)
        self._subscribers.clear()
        for consumer in consumers:
            try:
                await consumer.relay_lost()
            except Exception:
                logger.exception("closing a socket of a lost relay failed")
        await self._leave_groups()

    async def deliver(self, event):
        """Hand EVENT, received on the relay's channel, to every local socket."""
        kind = event.get("type")
        if kind == PING:
            pong = self._pongs.get(event.get("token"))
            if pong is not None and not pong.done():
                pong.set_result(True)
            return
        if kind == PRESENCE:
            self._presence_soon()
            return
        if kind == REVOKED:
            # Before anything later is handed out: the person's sockets stop here.
            revoked = [c for c in self._subscribers if c.user_id == event.get("user_id")]
            for consumer in revoked:
                self._subscribers.pop(consumer, None)
                await consumer.revoke()
            if not self._subscribers:
                _forget(self)
                asyncio.get_running_loop().create_task(self.stop())
            return
        if kind == MESSAGE and "after" in event:
            await self._in_order(event)
            return
        await self._hand_out(event)

    async def _in_order(self, event):
        after = event["after"]
        last = self._last_message_id
        if last is not None and after is not None and after > last:
            # Its predecessor has not come yet: wait for it (bounded).
            self._waiting[after] = event
            if self._order_task is None or self._order_task.done():
                self._order_task = asyncio.get_running_loop().create_task(self._overdue())
            return
        await self._hand_out_message(event)
        while self._last_message_id in self._waiting:
            await self._hand_out_message(self._waiting.pop(self._last_message_id))

    async def _hand_out_message(self, event):
        message_id = event["message"]["id"]
        if self._last_message_id is None or message_id > self._last_message_id:
            self._last_message_id = message_id
        await self._hand_out(event)

    async def _overdue(self):
        """The oldest waiting message's predecessor is overdue: hand out what waits, in
        order (a predecessor arriving later still goes out, late)."""
        await asyncio.sleep(order_timeout())
        self._order_task = None
        waiting = sorted(self._waiting.values(), key=lambda e: e["message"]["id"])
        self._waiting.clear()
        for event in waiting:
            await self._hand_out_message(event)

    async def _hand_out(self, event):
        kind = event.get("type")
        if kind in PER_RECIPIENT:
            event = {**event, "moderators": await _moderator_ids(self.thread_id)}
        for consumer in list(self._subscribers):
            try:
                await consumer.relay_event(event)
            except Exception:
                logger.exception("thread event %s failed for one socket", kind)

    def _presence_soon(self):
        if self._presence_task is None or self._presence_task.done():
            self._presence_task = asyncio.get_running_loop().create_task(self._presence())

    async def presence_sent(self) -> None:
        """Wait until the presence frame now due (if any) has been sent (for the probes)."""
        if self._presence_task is not None:
            await asyncio.shield(self._presence_task)

    async def _presence(self):
        await asyncio.sleep(presence_interval())
        try:
            online = await presence.count(self.thread_id)
        except Exception:
            logger.warning("presence count unavailable for %s", self.group, exc_info=True)
            return
        finally:
            # Changes from now on schedule the next frame.
            self._presence_task = None
        for consumer in list(self._subscribers):
            try:
                await consumer.send_presence(online)
            except Exception:
                logger.exception("presence frame failed for one socket")


def _forget(relay) -> None:
    """Out of the registry, before any await: a socket arriving later starts a new relay."""
    registry = _registry()
    if registry.get(relay.group) is relay:
        del registry[relay.group]


async def join(layer, thread_id: int, hub_id: int, consumer: Subscriber) -> None:
    """Deliver the thread's broadcasts to CONSUMER (`consumer.relay_event(event)`) from now
    on. Raises RelayUnavailable if the relay cannot subscribe."""
    group = groups.thread_group(thread_id)
    registry = _registry()
    relay = registry.get(group)
    if relay is None:
        relay = registry[group] = Relay(layer, group, thread_id, hub_id)
        # A task of its own: cancelling the socket that started it (Daphne does so for a
        # client that left) must not cancel the start the other sockets are waiting for.
        relay.starting = asyncio.get_running_loop().create_task(relay.start())
    relay._subscribers[consumer] = None
    try:
        await asyncio.shield(relay.starting)
    except asyncio.CancelledError:
        relay._subscribers.pop(consumer, None)
        if not relay.starting.done():
            raise  # this socket's own task was cancelled, not the start
        _forget(relay)
        raise RelayUnavailable("the relay's start was cancelled") from None
    except Exception as error:
        relay._subscribers.pop(consumer, None)
        _forget(relay)
        raise RelayUnavailable(str(error)) from error


def leave(thread_id: int, consumer: Subscriber) -> "asyncio.Task | None":
    """Stop delivering to CONSUMER. Synchronous, so it also runs where the consumer's task
    is ending by an exception; returns the task that stops an emptied relay, if any."""
    registry = _registry()
    relay = registry.get(groups.thread_group(thread_id))
    if relay is None or consumer not in relay._subscribers:
        return None
    del relay._subscribers[consumer]
    if relay._subscribers:
        return None
    _forget(relay)
    return asyncio.get_running_loop().create_task(relay.stop())
