"""The thread websocket through the whole ASGI application (WebsocketCommunicator)."""

import json
import uuid

import pytest
from channels.db import database_sync_to_async
from django.test import override_settings

from hubs import services
from hubs.models import Message, ModerationLogEntry
from tests.hubs.threads_support import (
    ack_and_message,
    assert_quiet,
    expect_close,
    joined,
    next_frame,
    open_socket,
    queries,
    send,
)

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.usefixtures("fresh_cache", "close_worker_connections"),
]

db = database_sync_to_async

# Exact: a query more is a regression (or a reason to change the number, in the same commit).
# message_post: 15 of its own (with marking the thread read, the member's last activity and
# the thread's previous message, which the broadcast names for the relays' order),
# 17 for the search index and 9 for the notification tasks (the poster's read position, the
# fan-out to followers), which the test settings run at once after commit (the immediate task
# backend, SEARCH_OUTBOX_DELAY = 0; in production the worker runs them). A post frame: the
# permission (3: thread, user, hub permissions) and message_post. A typing frame: the
# permission; a throttled one: nothing.
MESSAGE_POST_QUERIES = 41
POST_FRAME_QUERIES = 3 + MESSAGE_POST_QUERIES
TYPING_FRAME_QUERIES = 3


def post_frame(body="Hello colleagues", client_id=None):
    return {"type": "post", "client_id": client_id or str(uuid.uuid4()), "body": body}


async def count_messages():
    return await db(Message.objects.count)()


# Connecting -------------------------------------------------------------------------------


async def test_anonymous_is_closed_with_4401(thread):
    communicator = await open_socket(None, thread.pk)
    await expect_close(communicator, 4401)


@pytest.fixture
def person(request):
    """The fixture named by the test's parameter (resolved before the event loop runs)."""
    return request.getfixturevalue(request.param)


@pytest.mark.parametrize("person", ["outsider", "suspended"], indirect=True)
async def test_non_members_are_closed_with_4403(thread, person):
    communicator = await open_socket(person, thread.pk)
    await expect_close(communicator, 4403)


async def test_unknown_thread_is_closed_with_4403(member):
    communicator = await open_socket(member, 999_999)
    await expect_close(communicator, 4403)


async def test_foreign_origin_is_refused(thread, member):
    with pytest.raises(AssertionError):
        await open_socket(member, thread.pk, origin=b"https://evil.example")


@pytest.mark.parametrize("person", ["member", "coordinator"], indirect=True)
async def test_members_and_coordinators_connect_and_see_presence(thread, person):
    communicator = await open_socket(person, thread.pk)
    assert await communicator.receive_json_from(timeout=3) == {"type": "presence", "online": 1}
    await communicator.disconnect()


# Posting ----------------------------------------------------------------------------------


async def test_post_reaches_everyone_and_is_acked(thread, member, member2, coordinator):
    alice = await joined(member, thread.pk)
    bob = await joined(member2, thread.pk)
    carol = await joined(coordinator, thread.pk)
    frame = post_frame("Use **cooperatives**")
    await send(bob, frame)
    ack, bobs_copy = await ack_and_message(bob)
    stored = await db(Message.objects.get)()
    assert ack == {"type": "ack", "client_id": frame["client_id"], "id": stored.pk}
    for communicator in (alice, bob, carol):
        received = bobs_copy if communicator is bob else await next_frame(communicator)
        assert received["type"] == "message"
        assert received["message"]["id"] == stored.pk
        assert received["message"]["html"] == "<p>Use <strong>cooperatives</strong></p>\n"
        assert received["message"]["author"] == {"id": member2.pk, "name": member2.name}
        assert received["message"]["client_id"] == frame["client_id"]
    for communicator in (alice, bob, carol):
        await communicator.disconnect()


async def test_resend_of_a_stored_client_id_is_acked_with_the_stored_id(thread, member, member2):
    alice = await joined(member, thread.pk)
    bob = await joined(member2, thread.pk)
    frame = post_frame("Only once")
    await send(bob, frame)
    first_ack, first_message = await ack_and_message(bob)
    assert (await next_frame(alice))["type"] == "message"
    await send(bob, frame)  # the outbox resends after a lost ack
    # The resend gets the stored message (in case the first broadcast was lost too), then
    # the ack with the stored id.
    again = [await next_frame(bob), await next_frame(bob)]
    assert again == [first_message, first_ack]
    assert await count_messages() == 1
    await assert_quiet(alice)  # no second broadcast
    await alice.disconnect()
    await bob.disconnect()


async def test_nothing_lost_across_a_reconnect(thread, member, member2):
    alice = await joined(member, thread.pk)
    bob = await joined(member2, thread.pk)
    await send(alice, post_frame("before"))
    seen = await next_frame(bob)
    last_seen = seen["message"]["id"]
    await bob.disconnect()  # Bob's train enters a tunnel
    for body in ("one", "two", "three"):
        await send(alice, post_frame(body))
        await next_frame(alice, skip=("presence", "message"))  # the ack
    bob = await joined(member2, thread.pk)
    await send(bob, {"type": "resume", "after": last_seen})
    missed = [await next_frame(bob) for _ in range(3)]
    bodies = [m["message"]["html"] for m in missed]
    assert bodies == ["<p>one</p>\n", "<p>two</p>\n", "<p>three</p>\n"]
    ids = [m["message"]["id"] for m in missed]
    assert ids == sorted(ids)
    resumed = await next_frame(bob)
    assert resumed == {"type": "resumed", "last_id": ids[-1], "more": False}
    await assert_quiet(bob)
    await alice.disconnect()
    await bob.disconnect()


async def test_resume_skips_hidden_messages_for_members_but_not_coordinators(
    thread, member, member2, coordinator
):
    shown, _ = await db(services.message_post)(thread=thread, author=member, body="shown")
    hidden, _ = await db(services.message_post)(thread=thread, author=member, body="hidden")
    await db(services.message_hide)(message=hidden, acting_user=coordinator, reason="rude")
    bob = await joined(member2, thread.pk)
    await send(bob, {"type": "resume", "after": 0})
    assert (await next_frame(bob))["message"]["id"] == shown.pk
    assert await next_frame(bob) == {"type": "resumed", "last_id": shown.pk, "more": False}
    carol = await joined(coordinator, thread.pk)
    await send(carol, {"type": "resume", "after": 0})
    frames = [await next_frame(carol) for _ in range(3)]
    assert [f.get("message", {}).get("id") for f in frames[:2]] == [shown.pk, hidden.pk]
    assert frames[1]["message"]["hidden"] is True
    assert frames[1]["message"]["hidden_reason"] == "rude"
    await bob.disconnect()
    await carol.disconnect()


async def test_resume_brings_earlier_messages_up_to_date(thread, member, member2, coordinator):
    post = db(services.message_post)
    kept, _ = await post(thread=thread, author=member, body="kept as it was")
    edited, _ = await post(thread=thread, author=member, body="first words")
    hidden, _ = await post(thread=thread, author=member, body="rude words")
    deleted, _ = await post(thread=thread, author=member, body="regretted")
    # While Bob's socket was away (he had seen everything up to `deleted`):
    await db(services.message_edit)(message=edited, user=member, body="better words")
    await db(services.message_hide)(message=hidden, acting_user=coordinator, reason="rude")
    await db(services.message_delete)(message=deleted, user=member)
    bob = await joined(member2, thread.pk)
    await send(bob, {"type": "resume", "after": deleted.pk})
    frames = [await next_frame(bob) for _ in range(4)]
    assert frames[0]["type"] == "edited" and frames[0]["message"]["id"] == edited.pk
    assert frames[0]["message"]["html"] == "<p>better words</p>\n"
    assert "hidden_reason" not in frames[0]["message"]
    assert f'id="message-{edited.pk}"' in frames[0]["message"]["fragment"]
    # The deleted message's fragment is the placeholder the page shows.
    gone = frames[2].pop("fragment")
    assert "deleted by its author" in gone and "regretted" not in gone
    assert frames[1:] == [
        {"type": "hidden", "id": hidden.pk},  # a member never gets the hidden text
        {"type": "deleted", "id": deleted.pk},
        {"type": "resumed", "last_id": deleted.pk, "more": False},
    ]
    # A second resume on the same connection (after `more`) does not repeat them.
    await send(bob, {"type": "resume", "after": deleted.pk})
    assert await next_frame(bob) == {"type": "resumed", "last_id": deleted.pk, "more": False}
    # Coordinators keep hidden messages, marked.
    carol = await joined(coordinator, thread.pk)
    await send(carol, {"type": "resume", "after": deleted.pk})
    frames = [await next_frame(carol) for _ in range(4)]
    assert frames[1]["type"] == "hidden" and frames[1]["message"]["hidden_reason"] == "rude"
    assert kept.pk not in [f.get("id") or f.get("message", {}).get("id") for f in frames]
    await bob.disconnect()
    await carol.disconnect()


@override_settings(THREADS_POST_RATE_LIMIT=2, THREADS_POST_RATE_WINDOW=3600)
async def test_rate_limit_answers_rate_limited(thread, member2):
    alice = await joined(member2, thread.pk)
    for _ in range(2):
        await send(alice, post_frame())
        await next_frame(alice, skip=("presence", "message"))
    frame = post_frame("one too many")
    await send(alice, frame)
    error = await next_frame(alice, skip=("presence", "message"))
    assert error["type"] == "error" and error["code"] == "rate_limited"
    assert error["client_id"] == frame["client_id"]
    assert await count_messages() == 2
    await alice.disconnect()


async def test_locked_thread_answers_locked(thread, member, coordinator):
    await db(services.thread_set_locked)(thread=thread, acting_user=coordinator, locked=True)
    alice = await joined(member, thread.pk)
    await send(alice, post_frame())
    error = await next_frame(alice, skip=("presence", "thread"))
    assert (error["type"], error["code"]) == ("error", "locked")
    assert await count_messages() == 0
    await alice.disconnect()


# Bad frames -------------------------------------------------------------------------------

FIXED_ID = "5f0c1a8e-3a4b-4c2d-9e8f-112233445566"
BAD_FRAMES = [
    ("{not json", "invalid"),
    ("[1, 2]", "invalid"),
    ('"post"', "invalid"),
    ("[" * 30_000 + "]" * 30_000, "invalid"),
    (json.dumps({"type": "shout", "body": "hi"}), "invalid"),
    (json.dumps({"body": "no type"}), "invalid"),
    (json.dumps({"type": "post", "body": "no client id"}), "invalid"),
    (json.dumps({"type": "post", "client_id": "not-a-uuid", "body": "x"}), "invalid"),
    (json.dumps({"type": "post", "client_id": FIXED_ID, "body": 42}), "invalid"),
    (json.dumps({"type": "post", "client_id": FIXED_ID, "body": ""}), "invalid"),
    (
        json.dumps({"type": "post", "client_id": FIXED_ID, "body": "x" * 10_001}),
        "too_large",
    ),
    (
        json.dumps({"type": "post", "client_id": FIXED_ID, "body": "x" * 70_000}),
        "too_large",
    ),
    (json.dumps({"type": "resume", "after": "7"}), "invalid"),
    (json.dumps({"type": "resume", "after": -1}), "invalid"),
    (json.dumps({"type": "resume", "after": True}), "invalid"),
    (json.dumps({"type": "edit", "id": "1", "body": "x"}), "invalid"),
    (json.dumps({"type": "delete"}), "invalid"),
    (json.dumps({"type": "edit", "id": 999_999, "body": "x"}), "not_found"),
]


@pytest.mark.parametrize(("raw", "code"), BAD_FRAMES, ids=[raw[:40] for raw, _ in BAD_FRAMES])
async def test_bad_frames_get_an_error_and_the_connection_stays_usable(thread, member, raw, code):
    alice = await joined(member, thread.pk)
    await alice.send_to(text_data=raw)
    error = await next_frame(alice)
    assert error["type"] == "error" and error["code"] == code, error
    assert await count_messages() == 0
    await send(alice, post_frame("still here"))
    assert (await next_frame(alice, skip=("presence", "message")))["type"] == "ack"
    await alice.disconnect()


async def test_binary_frames_are_invalid(thread, member):
    alice = await joined(member, thread.pk)
    await alice.send_to(bytes_data=b"\x00\x01")
    assert (await next_frame(alice))["code"] == "invalid"
    await alice.disconnect()


async def test_frames_aimed_at_another_thread_change_nothing(
    thread, other_thread, member, outsider, coordinator
):
    foreign, _ = await db(services.message_post)(
        thread=other_thread, author=outsider, body="Elsewhere"
    )
    await db(services.coordinator_assign)(hub=thread.hub, user=coordinator)
    alice = await joined(member, thread.pk)
    carol = await joined(coordinator, thread.pk)
    await send(alice, {**post_frame("crafted"), "thread": other_thread.pk})
    assert (await next_frame(alice))["code"] == "forbidden"
    await send(alice, {"type": "edit", "id": foreign.pk, "body": "defaced"})
    assert (await next_frame(alice))["code"] == "not_found"
    await send(alice, {"type": "delete", "id": foreign.pk})
    assert (await next_frame(alice))["code"] == "not_found"
    await send(carol, {"type": "hide", "id": foreign.pk, "reason": "x"})
    assert (await next_frame(carol))["code"] == "not_found"
    await db(foreign.refresh_from_db)()
    assert (foreign.body, foreign.deleted, foreign.hidden) == ("Elsewhere", False, False)
    assert await db(Message.objects.filter(thread=thread).count)() == 0
    await alice.disconnect()
    await carol.disconnect()


# Edit, delete, hide: who may, and what others see ----------------------------------------


async def test_author_edits_and_deletes_live(thread, member, member2, coordinator):
    message, _ = await db(services.message_post)(thread=thread, author=member2, body="v1")
    alice = await joined(member, thread.pk)
    bob = await joined(member2, thread.pk)
    carol = await joined(coordinator, thread.pk)
    for intruder in (alice, carol):  # neither another member nor a coordinator may edit
        await send(intruder, {"type": "edit", "id": message.pk, "body": "hijacked"})
        assert (await next_frame(intruder))["code"] == "forbidden"
        await send(intruder, {"type": "delete", "id": message.pk})
        assert (await next_frame(intruder))["code"] == "forbidden"
    await db(message.refresh_from_db)()
    assert message.body == "v1"

    await send(bob, {"type": "edit", "id": message.pk, "body": "v2"})
    for communicator in (alice, bob, carol):
        edited = await next_frame(communicator)
        assert edited["type"] == "edited" and edited["message"]["html"] == "<p>v2</p>\n"
    await send(bob, {"type": "delete", "id": message.pk})
    for communicator in (alice, bob, carol):
        deleted = await next_frame(communicator)
        assert "deleted by its author" in deleted.pop("fragment")
        assert deleted == {"type": "deleted", "id": message.pk}
    for communicator in (alice, bob, carol):
        await communicator.disconnect()


async def test_hide_propagates_live_members_lose_it_coordinators_keep_it_marked(
    thread, member, member2, coordinator
):
    message, _ = await db(services.message_post)(thread=thread, author=member2, body="rude")
    alice = await joined(member, thread.pk)
    carol = await joined(coordinator, thread.pk)
    await send(alice, {"type": "hide", "id": message.pk, "reason": "I dislike it"})
    assert (await next_frame(alice))["code"] == "forbidden"
    await send(alice, {"type": "unhide", "id": message.pk})
    assert (await next_frame(alice))["code"] == "forbidden"
    await db(message.refresh_from_db)()
    assert not message.hidden

    await send(carol, {"type": "hide", "id": message.pk, "reason": "Insults"})
    assert await next_frame(alice) == {"type": "hidden", "id": message.pk}
    marked = await next_frame(carol)
    assert marked["type"] == "hidden" and marked["message"]["hidden"] is True
    assert marked["message"]["hidden_reason"] == "Insults"
    assert await db(ModerationLogEntry.objects.filter(action="message_hidden").count)() == 1

    await send(carol, {"type": "unhide", "id": message.pk})
    back = await next_frame(alice)
    assert back["type"] == "message" and back["message"]["id"] == message.pk
    assert "hidden_reason" not in back["message"]
    assert (await next_frame(carol))["message"]["hidden"] is False
    await alice.disconnect()
    await carol.disconnect()


async def test_a_hidden_message_cannot_be_deleted_over_the_socket_either(
    thread, member2, coordinator
):
    message, _ = await db(services.message_post)(thread=thread, author=member2, body="rude")
    await db(services.message_hide)(message=message, acting_user=coordinator, reason="Insults")
    bob = await joined(member2, thread.pk)
    await send(bob, {"type": "delete", "id": message.pk})
    frame = await next_frame(bob)
    assert (frame["type"], frame["code"]) == ("error", "forbidden")
    await db(message.refresh_from_db)()
    assert message.hidden and not message.deleted and message.body == "rude"
    await bob.disconnect()


async def test_typing_reaches_others_once_per_interval(thread, member, member2):
    alice = await joined(member, thread.pk)
    bob = await joined(member2, thread.pk)
    await send(alice, {"type": "typing"})
    await send(alice, {"type": "typing"})  # within the interval: dropped
    assert await next_frame(bob) == {
        "type": "typing",
        "user": {"id": member.pk, "name": member.name},
    }
    await assert_quiet(bob)
    await assert_quiet(alice)  # nobody is told of their own typing
    await alice.disconnect()
    await bob.disconnect()


async def test_presence_counts_people(thread, member, member2):
    alice = await joined(member, thread.pk)
    bob = await open_socket(member2, thread.pk)
    assert await bob.receive_json_from(timeout=3) == {"type": "presence", "online": 2}
    assert await alice.receive_json_from(timeout=3) == {"type": "presence", "online": 2}
    await bob.disconnect()
    assert await alice.receive_json_from(timeout=3) == {"type": "presence", "online": 1}
    await alice.disconnect()


# Losing access ----------------------------------------------------------------------------


async def test_suspension_closes_the_socket(thread, member, member2, coordinator):
    alice = await joined(member, thread.pk)
    membership = await db(member.memberships.get)(hub=thread.hub)
    await db(services.membership_suspend)(
        membership=membership, acting_user=coordinator, reason="Harassment"
    )
    await expect_close(alice, 4403)


async def test_revocation_for_another_hub_keeps_the_socket(thread, member, other_hub):
    alice = await joined(member, thread.pk)
    await db(services.membership_request)(hub=other_hub, user=member)
    await db(services.membership_leave)(hub=other_hub, user=member)
    await assert_quiet(alice)
    await send(alice, post_frame())
    assert (await next_frame(alice, skip=("presence", "message")))["type"] == "ack"
    await alice.disconnect()


async def test_permission_is_checked_again_on_every_frame(thread, member):
    """Deactivated in the admin (no event sent): the next frame closes the socket."""
    alice = await joined(member, thread.pk)
    member.is_active = False
    await db(member.save)(update_fields=["is_active"])
    await send(alice, post_frame("after deactivation"))
    await expect_close(alice, 4403)
    assert await count_messages() == 0


# Query counts ---------------------------------------------------------------------------


def _sql(captured):
    return "\n".join(captured)


async def test_queries_of_a_post_frame(thread, member, member2):
    alice = await joined(member, thread.pk)
    await send(alice, post_frame("warm-up"))  # the read state exists from now on
    await ack_and_message(alice)
    async with queries() as captured:
        await send(alice, post_frame())
        await ack_and_message(alice)
    assert len(captured) == POST_FRAME_QUERIES, _sql(captured)
    await alice.disconnect()


async def test_a_throttled_typing_frame_makes_no_query(thread, member, member2):
    alice = await joined(member, thread.pk)
    bob = await joined(member2, thread.pk)
    async with queries() as captured:
        await send(alice, {"type": "typing"})
        assert (await next_frame(bob))["type"] == "typing"
    assert len(captured) == TYPING_FRAME_QUERIES, _sql(captured)
    async with queries() as captured:
        await send(alice, {"type": "typing"})  # within the interval
        # Frames are handled in order: once the error of the next one is back, the typing
        # frame is done with.
        await send(alice, {"type": "shout"})
        assert (await next_frame(alice))["code"] == "invalid"
    assert len(captured) == 0, _sql(captured)
    await assert_quiet(bob)
    await alice.disconnect()
    await bob.disconnect()


def test_queries_of_message_post(thread, member, django_assert_num_queries):
    services.message_post(thread=thread, author=member, body="warm-up")
    with django_assert_num_queries(MESSAGE_POST_QUERIES):
        services.message_post(thread=thread, author=member, body="Hello", client_id=uuid.uuid4())
