"""Process-local fan-out (`hubs.realtime.relay`): one channel-layer subscription per thread and
process, every local socket served from it, presence counts coalesced."""

import asyncio

import pytest
from channels.db import database_sync_to_async
from channels.layers import get_channel_layer
from django.test import override_settings

from hubs import services
from hubs.realtime import consumers, events, groups, presence
from hubs.realtime import relay as fanout
from hubs.realtime.consumers import CLOSE_RECONNECT
from tests.hubs.threads_support import assert_quiet, joined, next_frame, open_socket, send

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.usefixtures("fresh_cache", "close_worker_connections"),
]
db = database_sync_to_async
FIXED_ID = "5f0c1a8e-3a4b-4c2d-9e8f-112233445566"


async def layer_members(group):
    """Members of GROUP this process asked the channel layer for (the test layer's record:
    tests/channel_layers.py)."""
    return get_channel_layer().members(group)


async def test_sockets_of_a_thread_share_one_subscription(thread, member, member2, coordinator):
    group = groups.thread_group(thread.pk)
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
    group = groups.thread_group(thread.pk)
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
    alice = await joined(member, thread.pk)  # sent "online: 1" on connecting
    await assert_quiet(alice)
    # Someone joins through another process: only the shared count knows.
    await presence.touch(thread.pk, member2.pk, "elsewhere!abc")
    relay = fanout.get(thread.pk)
    for _ in range(5):  # five announcements before the relay's interval is over
        await relay.deliver(events.presence_event())
    await relay.presence_sent()
    assert await alice.receive_json_from(timeout=3) == {"type": "presence", "online": 2}
    assert await alice.receive_nothing(timeout=0.2)
    # The same count again is not news.
    await relay.deliver(events.presence_event())
    await relay.presence_sent()
    assert await alice.receive_nothing(timeout=0.2)
    await alice.disconnect()


class Broken:
    """A subscriber whose socket fails on every event (relay.Subscriber)."""

    user_id = 0

    async def relay_event(self, event):
        raise RuntimeError("socket gone wrong")

    async def send_presence(self, online):
        raise RuntimeError("socket gone wrong")

    async def revoke(self):
        pass

    async def relay_lost(self):
        pass


async def test_one_failing_socket_does_not_stop_the_others(thread, member, member2):
    group = groups.thread_group(thread.pk)
    broken = Broken()
    await fanout.join(get_channel_layer(), thread.pk, thread.hub_id, broken)  # served first
    bob = await joined(member2, thread.pk)
    await get_channel_layer().group_send(
        group, events.typing_event({"id": 0, "name": "Someone"}, sender="x")
    )
    assert (await next_frame(bob))["type"] == "typing"
    await bob.disconnect()
    await fanout.leave(thread.pk, broken)  # the last one: the relay stops


async def forget_memberships(thread_id):
    """What a Redis restart does to the layer: it forgets every group of the relay."""
    layer, probe = get_channel_layer(), fanout.probe(thread_id)
    for group in probe.groups:
        await layer.group_discard(group, probe.channel)


async def test_a_relay_that_lost_its_subscription_sends_its_sockets_to_resume(
    thread, member, member2
):
    group = groups.thread_group(thread.pk)
    alice = await joined(member, thread.pk)
    bob = await joined(member2, thread.pk)
    relay = fanout.get(thread.pk)
    assert await relay.check()  # still subscribed: the ping came back
    await forget_memberships(thread.pk)
    with override_settings(THREADS_RELAY_PING_TIMEOUT=0.1):
        assert not await relay.check()  # the ping did not
    for socket in (alice, bob):
        output = await socket.receive_output(timeout=3)
        while output.get("type") == "websocket.send":  # presence frames still in flight
            output = await socket.receive_output(timeout=3)
        assert output == {"type": "websocket.close", "code": CLOSE_RECONNECT}
    assert fanout.local_subscribers(group) == 0
    # The clients come back: a fresh relay subscribes again.
    carol = await joined(member, thread.pk)
    assert fanout.get(thread.pk) is not relay
    assert await layer_members(group) == 1
    for socket in (alice, bob, carol):
        await socket.disconnect()


@override_settings(THREADS_RELAY_RENEW_INTERVAL=0.05, THREADS_RELAY_PING_TIMEOUT=0.1)
async def test_the_relay_notices_by_itself_that_the_layer_forgot_it(thread, member):
    alice = await joined(member, thread.pk)
    await forget_memberships(thread.pk)
    output = await alice.receive_output(timeout=10)
    while output.get("type") == "websocket.send":
        output = await alice.receive_output(timeout=10)
    assert output == {"type": "websocket.close", "code": CLOSE_RECONNECT}


def test_the_consumer_offers_what_the_relay_needs():
    """ThreadConsumer is a relay.Subscriber (the protocol, checked member by member)."""
    import inspect

    members = [name for name in vars(fanout.Subscriber) if not name.startswith("_")]
    assert {"relay_event", "send_presence", "revoke", "relay_lost"} <= set(members)
    for name in members:
        method = getattr(consumers.ThreadConsumer, name)
        assert inspect.iscoroutinefunction(method), name
        expected = inspect.signature(getattr(fanout.Subscriber, name)).parameters
        assert list(inspect.signature(method).parameters) == list(expected), name
    assert "user_id" in fanout.Subscriber.__annotations__


# Order: relayed events never overtake what the socket's own handler sends ------------------


def gate_missed(monkeypatch):
    """Make `resume` pause after reading the missed messages (as a slow query or a
    500-message resume does), until the test releases it."""
    reached, release = asyncio.Event(), asyncio.Event()
    real = consumers._missed

    async def slow_missed(*args):
        result = await real(*args)
        reached.set()
        await release.wait()
        return result

    monkeypatch.setattr(consumers, "_missed", slow_missed)
    return reached, release


async def outputs_until_close(communicator, limit=20):
    seen = []
    for _ in range(limit):
        output = await communicator.receive_output(timeout=3)
        seen.append(output)
        if output["type"] == "websocket.close":
            break
    return seen


async def test_a_hide_during_a_resume_arrives_after_the_resumed_copy(
    thread, member, member2, coordinator, monkeypatch
):
    message, _ = await db(services.message_post)(thread=thread, author=member, body="secret words")
    bob = await joined(member2, thread.pk)
    reached, release = gate_missed(monkeypatch)
    await send(bob, {"type": "resume", "after": 0})
    await reached.wait()  # resume has read the message, not yet sent it
    await db(services.message_hide)(message=message, acting_user=coordinator, reason="rude")
    release.set()
    frames = [await next_frame(bob) for _ in range(3)]
    assert [frame["type"] for frame in frames] == ["message", "resumed", "hidden"]
    assert frames[2] == {"type": "hidden", "id": message.pk}  # the last word: gone
    await bob.disconnect()


async def test_nothing_posted_after_a_revocation_reaches_the_revoked_socket(
    thread, member, coordinator, monkeypatch
):
    alice = await joined(member, thread.pk)
    reached, release = gate_missed(monkeypatch)
    await send(alice, {"type": "resume", "after": 0})
    await reached.wait()  # the socket is busy while the revocation and the post happen
    membership = await db(member.memberships.get)(hub=thread.hub)
    await db(services.membership_suspend)(
        membership=membership, acting_user=coordinator, reason="Harassment"
    )
    await db(services.message_post)(thread=thread, author=coordinator, body="after revocation")
    release.set()
    outputs = await outputs_until_close(alice)
    assert not any("after revocation" in output.get("text", "") for output in outputs)
    assert outputs[-1] == {"type": "websocket.close", "code": 4403}


async def test_paging_by_resumed_last_id_misses_nothing_when_live_messages_overtake(
    thread, member, member2, coordinator, monkeypatch
):
    """The client pages with `resumed.last_id` (static/js/thread.js), not with the highest id
    it has seen: a live message during a catch-up must not make it skip the rest."""
    monkeypatch.setattr(consumers, "RESUME_LIMIT", 2)
    real_missed = consumers._missed
    posted = [
        (await db(services.message_post)(thread=thread, author=member, body=f"m{i}"))[0].pk
        for i in range(4)
    ]
    bob = await joined(member2, thread.pk)
    reached, release = gate_missed(monkeypatch)
    await send(bob, {"type": "resume", "after": 0})
    await reached.wait()
    live, _ = await db(services.message_post)(thread=thread, author=coordinator, body="live")
    release.set()
    seen = set()
    while True:
        frame = await next_frame(bob)
        if frame["type"] == "message":
            seen.add(frame["message"]["id"])
        elif frame["type"] == "resumed":
            if not frame["more"]:
                break
            monkeypatch.setattr(consumers, "_missed", real_missed)
            await send(bob, {"type": "resume", "after": frame["last_id"]})
    assert seen == {*posted, live.pk}
    await bob.disconnect()


# Lifecycle ----------------------------------------------------------------------------------


async def test_a_consumer_that_crashed_leaves_its_relay(thread, member, monkeypatch):
    group = groups.thread_group(thread.pk)
    alice = await joined(member, thread.pk)

    async def broken_access(user_id, thread_id):
        raise RuntimeError("database went away")

    monkeypatch.setattr(consumers, "_access", broken_access)
    await send(alice, {"type": "resume", "after": 0})
    with pytest.raises(RuntimeError):
        await alice.receive_output(timeout=3)
    assert fanout.local_subscribers(group) == 0
    assert group not in fanout.relays()


async def test_cancelling_the_socket_that_starts_a_relay_spares_the_others(
    thread, member, member2, monkeypatch
):
    layer = get_channel_layer()
    real_group_add = layer.group_add
    started = asyncio.Event()

    async def slow_group_add(group, channel):
        if group.startswith("thread."):
            started.set()
            await asyncio.sleep(0.3)  # the channel layer is slow to answer
        await real_group_add(group, channel)

    monkeypatch.setattr(layer, "group_add", slow_group_add)
    first = await open_socket(member, thread.pk)
    await started.wait()
    second = await open_socket(member2, thread.pk)  # waits for the same relay
    first.future.cancel()  # what Daphne does to an application that outlives its client
    frame = await second.receive_json_from(timeout=3)
    assert frame["type"] == "presence"
    assert fanout.local_subscribers(groups.thread_group(thread.pk)) == 1
    await second.disconnect()


async def test_account_erasure_tells_the_relays_of_every_hub_the_person_was_in(
    thread, other_thread, member
):
    from hubs.models import Membership

    layer = get_channel_layer()
    listener = await layer.new_channel()
    hub_ids = [thread.hub_id, other_thread.hub_id]
    for hub_id in hub_ids:
        await layer.group_add(groups.hub_group(hub_id), listener)
    await db(services.membership_request)(hub=other_thread.hub, user=member)  # a request too
    assert await db(Membership.objects.filter(user=member).count)() == 2
    # The memberships are gone by commit time: the hubs were read before.
    await db(services.personal_data_erase)(user=member)
    events = [await asyncio.wait_for(layer.receive(listener), 3) for _ in hub_ids]
    assert events == [{"type": "hub.revoked", "user_id": member.pk}] * 2


async def test_a_socket_whose_relay_cannot_start_is_sent_to_reconnect(thread, member, monkeypatch):
    layer = get_channel_layer()
    real_group_add = layer.group_add

    async def unreachable(group, channel):
        if group.startswith("thread."):
            raise ConnectionError("the channel layer is unreachable")
        await real_group_add(group, channel)

    monkeypatch.setattr(layer, "group_add", unreachable)
    alice = await open_socket(member, thread.pk)
    assert await alice.receive_output(timeout=3) == {
        "type": "websocket.close",
        "code": CLOSE_RECONNECT,
    }
    assert groups.thread_group(thread.pk) not in fanout.relays()


async def test_a_socket_too_far_behind_is_sent_to_resume(
    thread, member, member2, coordinator, monkeypatch
):
    monkeypatch.setattr(consumers, "HELD_LIMIT", 1)
    bob = await joined(member2, thread.pk)
    reached, release = gate_missed(monkeypatch)
    await send(bob, {"type": "resume", "after": 0})
    await reached.wait()  # busy: broadcasts for Bob are held
    for body in ("one", "two"):  # the second is one more than may be held
        await db(services.message_post)(thread=thread, author=coordinator, body=body)
    release.set()
    outputs = await outputs_until_close(bob)
    assert outputs[-1] == {"type": "websocket.close", "code": CLOSE_RECONNECT}
    assert not any("two" in output.get("text", "") for output in outputs)


# A failing channel layer after commit ---------------------------------------------------------


@pytest.fixture
def failing_broadcasts(monkeypatch):
    """A channel layer whose group_send fails for every broadcast of the services (thread,
    user and hub groups), as Redis going away right after a commit would."""
    layer = get_channel_layer()
    real_group_send = layer.group_send
    failed = []

    async def group_send(group, message):
        if message["type"] in ("thread.presence", "thread.typing", "relay.ping"):
            return await real_group_send(group, message)
        failed.append(message["type"])
        raise ConnectionError("the channel layer is unreachable")

    monkeypatch.setattr(layer, "group_send", group_send)
    return failed


async def test_a_post_is_stored_and_acked_when_its_broadcast_fails(
    thread, member, failing_broadcasts, caplog
):
    from hubs.models import Message

    alice = await joined(member, thread.pk)
    await send(alice, {"type": "post", "client_id": FIXED_ID, "body": "kept"})
    ack = await next_frame(alice)
    stored = await db(Message.objects.get)(client_id=FIXED_ID)
    assert ack == {"type": "ack", "client_id": FIXED_ID, "id": stored.pk}
    assert failing_broadcasts == ["thread.message"]
    assert "broadcast of thread.message" in caplog.text
    await alice.disconnect()


def test_suspension_leave_and_post_stand_when_their_broadcasts_fail(
    thread, member, member2, coordinator, failing_broadcasts
):
    from hubs.models import Membership

    message, created = services.message_post(thread=thread, author=member, body="kept")
    assert created and message.pk is not None
    membership = member.memberships.get(hub=thread.hub)
    services.membership_suspend(membership=membership, acting_user=coordinator, reason="Spam")
    services.membership_leave(hub=thread.hub, user=member2)
    assert Membership.objects.get(pk=membership.pk).state == Membership.State.SUSPENDED
    assert not Membership.objects.filter(
        hub=thread.hub, user=member2, state=Membership.State.ACTIVE
    ).exists()
    assert {"thread.message", "access.revoked", "hub.revoked"} <= set(failing_broadcasts)


@pytest.mark.redis
async def test_presence_reuses_one_redis_connection(thread, member):
    import redis.asyncio as redis
    from django.conf import settings

    async def connection_ids():
        admin = redis.from_url(settings.REDIS_URL)
        try:
            clients = await admin.client_list()
        finally:
            await admin.aclose()
        return {c["id"] for c in clients if c.get("name") == presence.client_name()}

    await presence.touch(thread.pk, member.pk, "one!socket")
    first = await connection_ids()  # this loop's, and those earlier tests' loops left open
    assert first  # still open after the touch, for the next one
    for index in range(20):
        await presence.touch(thread.pk, member.pk, f"socket!{index}")
        await presence.count(thread.pk)
        await presence.leave(thread.pk, member.pk, f"socket!{index}")
    assert not (await connection_ids()) - first  # sixty calls, no new connection
    await presence.leave(thread.pk, member.pk, "one!socket")
