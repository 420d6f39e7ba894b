"""Thread services: permissions, validation, idempotency, moderation, after-commit events."""

import asyncio
import uuid

import pytest
from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import transaction
from django.test import override_settings

from core import personal_data
from core.exceptions import ActionError
from hubs import services
from hubs.models import Message, ModerationLogEntry, Report, Thread, ThreadReadState
from hubs.realtime import groups
from hubs.signals import thread_content_changed
from tests.hubs.threads_support import (
    make_member,
)
from tests.security import XSS_PAYLOADS, assert_inert

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_cache")]


class GroupListener:
    """A channel subscribed to a thread's group, to see what was broadcast. Read it once:
    the Redis layer binds a channel's buffer to the event loop that first reads it."""

    def __init__(self, thread_id):
        self.layer = get_channel_layer()
        self.channel = async_to_sync(self.layer.new_channel)()
        async_to_sync(self.layer.group_add)(groups.thread_group(thread_id), self.channel)

    def events(self):
        return async_to_sync(self._drain)()

    async def _drain(self):
        received = []
        while True:
            try:
                received.append(await asyncio.wait_for(self.layer.receive(self.channel), 0.5))
            except TimeoutError:
                return received


def post(thread, author, body="A reply", client_id=None):
    return services.message_post(
        thread=thread, author=author, body=body, client_id=client_id or str(uuid.uuid4())
    )


def test_thread_create_by_member_renders_question(hub, member):
    thread = services.thread_create(
        hub=hub, author=member, title=" Flood warnings ", question="**Bold** question"
    )
    assert thread.title == "Flood warnings"
    assert thread.question_html == "<p><strong>Bold</strong> question</p>\n"
    assert thread.state == Thread.State.OPEN


@pytest.mark.parametrize(
    ("fields", "code"),
    [
        ({"title": "", "question": "q"}, "invalid"),
        ({"title": "t", "question": "   "}, "invalid"),
        ({"title": "t" * 201, "question": "q"}, "too_large"),
        ({"title": "t", "question": "q" * 10_001}, "too_large"),
        ({"title": "t", "question": "q", "theme": "astrology"}, "invalid"),
    ],
)
def test_thread_create_refuses_bad_input(hub, member, fields, code):
    with pytest.raises(ActionError) as error:
        services.thread_create(hub=hub, author=member, **fields)
    assert error.value.code == code
    assert not Thread.objects.exists()


def test_thread_create_refused_to_outsiders_and_suspended(hub, outsider, suspended):
    for person in (outsider, suspended):
        with pytest.raises(ActionError) as error:
            services.thread_create(hub=hub, author=person, title="t", question="q")
        assert error.value.code == "forbidden"
    assert not Thread.objects.exists()


def test_post_stores_renders_and_broadcasts_after_commit(
    thread, member2, django_capture_on_commit_callbacks
):
    early = GroupListener(thread.pk)
    listener = GroupListener(thread.pk)
    changed = []

    def receiver(**kwargs):
        changed.append(kwargs["thread_id"])

    thread_content_changed.connect(receiver)
    try:
        with django_capture_on_commit_callbacks() as callbacks:
            message, created = post(thread, member2, body="See [our plan](https://example.org)")
            # Stored, signal sent inside the transaction, nothing broadcast yet.
            assert created
            assert Message.objects.filter(pk=message.pk).exists()
            assert changed == [thread.pk]
            assert early.events() == []
        for callback in callbacks:
            callback()
    finally:
        thread_content_changed.disconnect(receiver)
    (event,) = listener.events()
    assert event["type"] == "thread.message"
    assert event["message"]["id"] == message.pk
    assert event["message"]["author"] == {"id": member2.pk, "name": member2.name}
    assert 'rel="nofollow ugc noopener"' in event["message"]["html"]
    thread.refresh_from_db()
    assert thread.last_activity == message.created


def test_nothing_is_broadcast_when_the_transaction_rolls_back(thread, member2):
    listener = GroupListener(thread.pk)

    class Abort(Exception):
        pass

    with pytest.raises(Abort), transaction.atomic():
        post(thread, member2)
        raise Abort
    assert not Message.objects.exists()
    assert listener.events() == []


def test_post_is_idempotent_by_client_id(thread, member2, django_capture_on_commit_callbacks):
    client_id = str(uuid.uuid4())
    first, created = post(thread, member2, body="Once", client_id=client_id)
    assert created
    with django_capture_on_commit_callbacks() as callbacks:
        again, created_again = post(thread, member2, body="Once", client_id=client_id)
    assert (again.pk, created_again) == (first.pk, False)
    assert callbacks == []  # no second broadcast
    assert Message.objects.count() == 1


def test_same_client_id_from_two_people_is_two_messages(thread, member, member2):
    client_id = str(uuid.uuid4())
    post(thread, member, client_id=client_id)
    post(thread, member2, client_id=client_id)
    assert Message.objects.count() == 2


def test_client_id_of_another_thread_is_refused(thread, member, hub):
    second = services.thread_create(hub=hub, author=member, title="Second", question="q")
    client_id = str(uuid.uuid4())
    post(thread, member, client_id=client_id)
    with pytest.raises(ActionError) as error:
        post(second, member, client_id=client_id)
    assert error.value.code == "invalid"
    assert Message.objects.count() == 1


@pytest.mark.parametrize(
    ("body", "client_id", "code"),
    [
        ("", None, "invalid"),
        ("x" * 10_001, None, "too_large"),
        (42, None, "invalid"),
        ("ok", "not-a-uuid", "invalid"),
        ("ok", 12, "invalid"),
    ],
)
def test_post_refuses_bad_input(thread, member2, body, client_id, code):
    with pytest.raises(ActionError) as error:
        services.message_post(thread=thread, author=member2, body=body, client_id=client_id)
    assert error.value.code == code
    assert not Message.objects.exists()


def test_post_refused_to_outsider_suspended_and_in_locked_thread(
    thread, outsider, suspended, coordinator, member2
):
    for person in (outsider, suspended):
        with pytest.raises(ActionError) as error:
            post(thread, person)
        assert error.value.code == "forbidden"
    services.thread_set_locked(thread=thread, acting_user=coordinator, locked=True)
    with pytest.raises(ActionError) as error:
        post(thread, member2)
    assert error.value.code == "locked"
    assert not Message.objects.exists()


@override_settings(THREADS_POST_RATE_LIMIT=3, THREADS_POST_RATE_WINDOW=3600)
def test_rate_limit(thread, member2, member):
    for _ in range(3):
        post(thread, member2)
    with pytest.raises(ActionError) as error:
        post(thread, member2)
    assert error.value.code == "rate_limited"
    assert Message.objects.count() == 3
    post(thread, member)  # another person is not affected
    # A resend of a stored message is not a new post: still acknowledged.
    first = Message.objects.filter(author=member2).first()
    again, created = post(thread, member2, client_id=str(first.client_id))
    assert (again.pk, created) == (first.pk, False)


@override_settings(THREADS_POST_RATE_LIMIT=3, THREADS_POST_RATE_WINDOW=60)
def test_a_window_expiring_during_the_count_gets_an_expiry_again(thread, member2, monkeypatch):
    from core.cache import shared_cache as cache

    post(thread, member2)  # the window starts
    key = f"threads:post-rate:{member2.pk}"
    real_incr = cache.incr

    def incr_after_expiry(name, delta=1):
        # What Redis does when the key expires between Django's existence check and the
        # INCR: the key is made afresh, at 1, with no expiry.
        cache.set(name, 0, timeout=None)
        return real_incr(name, delta)

    touched = []
    real_touch = cache.touch
    monkeypatch.setattr(cache, "incr", incr_after_expiry)
    monkeypatch.setattr(
        cache, "touch", lambda name, timeout: touched.append(timeout) or real_touch(name, timeout)
    )
    post(thread, member2)
    assert touched == [60]  # the new window expires like any other
    assert cache.get(key) == 1


def test_edit_and_delete_only_by_author(thread, member, member2, coordinator):
    message, _ = post(thread, member2, body="First version")
    for person in (member, coordinator):
        with pytest.raises(ActionError) as error:
            services.message_edit(message=message, user=person, body="Hijacked")
        assert error.value.code == "forbidden"
        with pytest.raises(ActionError):
            services.message_delete(message=message, user=person)
    message.refresh_from_db()
    assert (message.body, message.deleted) == ("First version", False)

    services.message_edit(message=message, user=member2, body="Second *version*")
    message.refresh_from_db()
    assert message.html == "<p>Second <em>version</em></p>\n"
    assert message.edited is not None

    services.message_delete(message=message, user=member2)
    message.refresh_from_db()
    assert message.deleted and message.body == "" and message.html == ""


def test_hide_and_unhide_by_coordinator_are_logged(
    thread, member, member2, coordinator, django_capture_on_commit_callbacks
):
    message, _ = post(thread, member2)
    with pytest.raises(ActionError) as error:
        services.message_hide(message=message, acting_user=member, reason="no")
    assert error.value.code == "forbidden"
    listener = GroupListener(thread.pk)
    unhide_listener = GroupListener(thread.pk)
    with django_capture_on_commit_callbacks(execute=True):
        services.message_hide(message=message, acting_user=coordinator, reason="Off topic")
    message.refresh_from_db()
    assert message.hidden and message.hidden_by == coordinator
    (event,) = listener.events()
    assert event["type"] == "thread.hidden" and event["id"] == message.pk
    entry = ModerationLogEntry.objects.get(action="message_hidden")
    assert (entry.actor, entry.subject, entry.reason) == (coordinator, member2, "Off topic")
    with django_capture_on_commit_callbacks(execute=True):
        services.message_unhide(message=message, acting_user=coordinator)
    message.refresh_from_db()
    assert not message.hidden
    assert ModerationLogEntry.objects.filter(action="message_unhidden").exists()
    events = unhide_listener.events()
    assert [e["type"] for e in events] == ["thread.hidden", "thread.unhidden"]


def test_coordinator_of_another_hub_cannot_hide(thread, member2, other_hub):
    message, _ = post(thread, member2)
    stranger = make_member(other_hub)
    services.coordinator_assign(hub=other_hub, user=stranger)
    with pytest.raises(ActionError):
        services.message_hide(message=message, acting_user=stranger)
    message.refresh_from_db()
    assert not message.hidden


def test_report_and_resolve_by_hiding(thread, member, member2, coordinator):
    message, _ = post(thread, member2)
    report = services.report_create(message=message, reporter=member, reason="Insulting")
    with pytest.raises(ActionError):
        services.report_create(message=message, reporter=member, reason="Again")
    with pytest.raises(ActionError):
        services.report_create(message=message, reporter=member2, reason="My own")
    with pytest.raises(ActionError) as error:
        services.report_resolve(report=report, acting_user=member, decision="hide")
    assert error.value.code == "forbidden"
    services.report_resolve(report=report, acting_user=coordinator, decision="hide")
    report.refresh_from_db()
    message.refresh_from_db()
    assert report.state == Report.State.HIDDEN and report.resolved_by == coordinator
    assert message.hidden and message.hidden_reason == "Insulting"
    with pytest.raises(ActionError):
        services.report_resolve(report=report, acting_user=coordinator, decision="dismiss")


def test_report_dismissed_is_logged(thread, member, member2, coordinator):
    message, _ = post(thread, member2)
    report = services.report_create(message=message, reporter=member, reason="Spam?")
    with pytest.raises(ActionError):
        services.report_resolve(report=report, acting_user=coordinator, decision="delete")
    services.report_resolve(report=report, acting_user=coordinator, decision="dismiss")
    report.refresh_from_db()
    assert report.state == Report.State.DISMISSED
    assert ModerationLogEntry.objects.filter(action="report_dismissed", actor=coordinator).exists()
    message.refresh_from_db()
    assert not message.hidden


def test_resolve_by_author_or_coordinator(thread, member, member2, coordinator):
    answer, _ = post(thread, member2, body="Try a cooperative")
    with pytest.raises(ActionError):
        services.thread_resolve(thread=thread, acting_user=member2)
    services.thread_resolve(thread=thread, acting_user=member, accepted_answer=answer)
    thread.refresh_from_db()
    assert thread.state == Thread.State.RESOLVED and thread.accepted_answer == answer
    services.thread_reopen(thread=thread, acting_user=coordinator)
    thread.refresh_from_db()
    assert thread.state == Thread.State.OPEN and thread.accepted_answer is None


def test_lock_and_pin_are_logged(thread, coordinator, member):
    with pytest.raises(ActionError):
        services.thread_set_pinned(thread=thread, acting_user=member, pinned=True)
    services.thread_set_pinned(thread=thread, acting_user=coordinator, pinned=True)
    services.thread_set_locked(thread=thread, acting_user=coordinator, locked=True)
    thread.refresh_from_db()
    assert thread.pinned and thread.locked
    actions = set(ModerationLogEntry.objects.values_list("action", flat=True))
    assert {"thread_pinned", "thread_locked"} <= actions


def test_mark_read_never_goes_backwards(thread, member2):
    services.thread_mark_read(thread=thread, user=member2, last_message_id=10)
    services.thread_mark_read(thread=thread, user=member2, last_message_id=5)
    assert ThreadReadState.objects.get(user=member2).last_read_message_id == 10


@pytest.mark.parametrize("payload", XSS_PAYLOADS)
def test_xss_corpus_is_inert_in_stored_html(thread, member2, payload):
    message, _ = post(thread, member2, body=payload)
    assert_inert(message.html)


def test_personal_data_export_and_erase(thread, member, member2, coordinator):
    message, _ = post(thread, member, body="My own words")
    other, _ = post(thread, member2, body="Reply")
    services.report_create(message=other, reporter=member, reason="Rude")
    services.message_hide(message=other, acting_user=coordinator, reason="x")
    services.thread_mark_read(thread=thread, user=member, last_message_id=other.pk)
    source = next(s for s in personal_data.sources() if s.key == "hub_threads")
    exported = source.export(member)
    assert exported["threads_started"][0]["title"] == thread.title
    assert [m["body"] for m in exported["messages"]] == ["My own words"]
    assert exported["reports"][0]["reason"] == "Rude"
    assert {"hubs.Thread", "hubs.Message", "hubs.Report", "hubs.ThreadReadState"} <= (
        personal_data.covered_models()
    )

    source.erase(member)
    source.erase(coordinator)
    message.refresh_from_db()
    assert message.author is None and message.client_id is None and message.body == "My own words"
    assert not Thread.objects.filter(author=member).exists()
    assert not Message.objects.filter(author=member).exists()
    assert not Message.objects.filter(hidden_by=coordinator).exists()
    assert not Report.objects.filter(reporter=member).exists()
    assert not ThreadReadState.objects.filter(user=member).exists()
    member.delete()
    assert Message.objects.filter(pk=message.pk).exists()


# Rules that live in the services (so a websocket frame meets them as a form does) --------


def test_a_hidden_message_cannot_be_deleted_by_its_author(thread, member2, coordinator):
    message, _ = post(thread, member2, body="Hidden, then withdrawn?")
    services.message_hide(message=message, acting_user=coordinator, reason="Off topic")
    with pytest.raises(ActionError) as error:
        services.message_delete(message=message, user=member2)
    assert error.value.code == "forbidden"
    message.refresh_from_db()
    assert message.hidden and not message.deleted and message.body == "Hidden, then withdrawn?"


def test_the_asker_cannot_accept_their_own_message_as_the_answer(
    thread, member, member2, coordinator
):
    own, _ = post(thread, member, body="Answering myself")
    for person in (member, coordinator):
        with pytest.raises(ActionError) as error:
            services.thread_resolve(thread=thread, acting_user=person, accepted_answer=own)
        assert error.value.code == "invalid"
    thread.refresh_from_db()
    assert thread.state == Thread.State.OPEN and thread.accepted_answer is None
    # Resolving without an answer, or with someone else's, still works.
    other, _ = post(thread, member2, body="A real answer")
    services.thread_resolve(thread=thread, acting_user=member, accepted_answer=other)
    thread.refresh_from_db()
    assert thread.accepted_answer == other


def test_posting_marks_the_thread_read_for_the_poster(thread, member2):
    message, _ = post(thread, member2)
    assert ThreadReadState.objects.get(user=member2, thread=thread).last_read_message_id == (
        message.pk
    )


def last_activity(hub, user):
    from hubs.models import Membership

    return Membership.objects.get(hub=hub, user=user).last_activity


@pytest.mark.parametrize("action", ["thread_create", "message_post", "message_edit", "report"])
def test_acting_in_a_thread_is_the_members_last_activity(hub, thread, member, member2, action):
    message, _ = post(thread, member)
    from hubs.models import Membership

    Membership.objects.filter(hub=hub).update(last_activity=None)
    if action == "thread_create":
        services.thread_create(hub=hub, author=member2, title="Another", question="Why?")
    elif action == "message_post":
        post(thread, member2)
    elif action == "message_edit":
        own, _ = post(thread, member2)
        Membership.objects.filter(hub=hub).update(last_activity=None)
        services.message_edit(message=own, user=member2, body="Changed")
    else:
        services.report_create(message=message, reporter=member2, reason="Rude")
    assert last_activity(hub, member2) is not None
    assert last_activity(hub, member) is None  # only the one who acted
