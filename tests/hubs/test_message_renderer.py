"""One message renderer: the fragment a websocket frame carries is the one the thread page
renders for the same message and role (hubs/threads/_message.html), members never get
moderator controls or hidden text, and the events that carry messages survive a JSON wire."""

import json
import re

import pytest
from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.urls import reverse

from hubs import services
from hubs.realtime import events, groups
from tests.hubs.threads_support import make_member

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_cache")]

LANGUAGES = ["en", "de", "ar"]
CSRF_INPUT = re.compile(r'<input type="hidden" name="csrfmiddlewaretoken" value="[^"]*">')


def normalise(html: str) -> str:
    """Whitespace does not count, nor the page's CSRF token (thread.js adds it to a
    fragment's forms)."""
    html = CSRF_INPUT.sub("", html)
    html = re.sub(r">\s+<", "><", html)
    return re.sub(r"\s+", " ", html).strip()


def page_fragment(client, thread, message_id, *, language="en") -> str:
    client.cookies["django_language"] = language
    html = client.get(reverse("hubs:thread_detail", args=[thread.hub.slug, thread.pk]))
    html = html.content.decode()
    start = html.rindex("<li", 0, html.index(f'id="message-{message_id}"'))
    end = html.index("</article>", start)
    return html[start : html.index("</li>", end) + len("</li>")]


class Broadcasts:
    """The events the services broadcast to a thread's group, as a relay receives them
    (through the test layer, which round-trips each through JSON)."""

    def __init__(self, thread):
        self.layer = get_channel_layer()
        self.group = groups.thread_group(thread.pk)
        self.channel = async_to_sync(self.layer.new_channel)()
        async_to_sync(self.layer.group_add)(self.group, self.channel)

    def next(self, kind) -> dict:
        while True:
            event = async_to_sync(self.layer.receive)(self.channel)
            if event["type"] == kind:
                return event

    def close(self):
        async_to_sync(self.layer.group_discard)(self.group, self.channel)


@pytest.fixture
def broadcasts(thread, django_capture_on_commit_callbacks):
    listener = Broadcasts(thread)
    yield listener
    listener.close()


def frame_of(event, *, language="en", moderator=False) -> dict:
    return json.loads(events.frame_text(event, language=language, moderator=moderator))


def post(thread, author, body, capture):
    with capture(execute=True):
        return services.message_post(thread=thread, author=author, body=body)[0]


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_live_fragment_is_the_pages_for_the_same_message_and_role(
    client,
    thread,
    member,
    member2,
    coordinator,
    broadcasts,
    language,
    django_capture_on_commit_callbacks,
):
    capture = django_capture_on_commit_callbacks
    reader = make_member(thread.hub, name="Rania Reader")  # neither author nor asker
    message = post(thread, member2, "Register them *as a cooperative*.", capture)
    event = broadcasts.next(events.MESSAGE)
    for viewer, moderator in ((reader, False), (coordinator, True)):
        client.force_login(viewer)
        live = frame_of(event, language=language, moderator=moderator)["message"]["fragment"]
        assert normalise(live) == normalise(
            page_fragment(client, thread, message.pk, language=language)
        )

    # Edited, and the accepted answer: the tag and the action follow on both sides.
    with capture(execute=True):
        services.message_edit(message=message, user=member2, body="A cooperative, yes.")
    edited = broadcasts.next(events.EDITED)
    with capture(execute=True):
        services.thread_resolve(thread=thread, acting_user=member, accepted_answer=message)
    unaccepted = post(thread, make_member(thread.hub), "Or an association.", capture)
    later = broadcasts.next(events.MESSAGE)
    client.force_login(reader)
    assert "is-accepted" in page_fragment(client, thread, message.pk)
    # The edit was broadcast before the answer was accepted: the live copy says so, and
    # thread.js applies the `thread` frame that followed (the browser test checks that).
    assert normalise(frame_of(edited, language=language)["message"]["fragment"]) == normalise(
        page_fragment(client, thread, message.pk, language=language)
        .replace(" is-accepted", "")
        .replace("data-accepted-tag>", "data-accepted-tag hidden>")
    )
    for viewer, moderator in ((reader, False), (coordinator, True)):
        client.force_login(viewer)
        live = frame_of(later, language=language, moderator=moderator)["message"]["fragment"]
        assert normalise(live) == normalise(
            page_fragment(client, thread, unaccepted.pk, language=language)
        )


def test_for_the_author_and_the_asker_only_their_controls_differ(
    client, thread, member, member2, broadcasts, django_capture_on_commit_callbacks
):
    """The fragment is for everyone of a role: the author's controls are in it, hidden, and
    the asker's action too; the page shows them to the one person, as thread.js does."""
    message = post(thread, member2, "From our city", django_capture_on_commit_callbacks)
    live = frame_of(broadcasts.next(events.MESSAGE))["message"]["fragment"]
    assert 'data-show-for="author" hidden>' in live and "/edit/" in live
    assert 'data-show-for="resolver" hidden>' in live
    client.force_login(member2)  # the author
    assert normalise(page_fragment(client, thread, message.pk)) == normalise(
        live.replace('data-show-for="author" hidden>', 'data-show-for="author">').replace(
            'data-show-for="reporter">', 'data-show-for="reporter" hidden>'
        )
    )
    client.force_login(member)  # the asker
    assert normalise(page_fragment(client, thread, message.pk)) == normalise(
        live.replace('data-show-for="resolver" hidden>', 'data-show-for="resolver">')
    )


def test_on_a_locked_thread_the_fragment_has_no_edit_link_shown(
    client, thread, member2, coordinator, broadcasts, django_capture_on_commit_callbacks
):
    capture = django_capture_on_commit_callbacks
    message = post(thread, member2, "Before the lock", capture)
    with capture(execute=True):
        services.thread_set_locked(thread=thread, acting_user=coordinator, locked=True)
        services.message_hide(message=message, acting_user=coordinator, reason="x")
        services.message_unhide(message=message, acting_user=coordinator)
    back = broadcasts.next(events.UNHIDDEN)
    back["moderators"] = []
    fragment = frame_of(back)["message"]["fragment"]
    assert re.search(r"data-edit-link hidden>", fragment)
    client.force_login(member2)
    page = page_fragment(client, thread, message.pk)
    assert re.search(r"data-edit-link hidden>", page)
    assert normalise(fragment) == normalise(
        page.replace('data-show-for="author">', 'data-show-for="author" hidden>').replace(
            'data-show-for="reporter" hidden>', 'data-show-for="reporter">'
        )
    )


def test_the_member_variant_never_has_moderator_controls_or_hidden_text(
    thread, member2, coordinator, broadcasts, django_capture_on_commit_callbacks
):
    capture = django_capture_on_commit_callbacks
    message = post(thread, member2, "Rude words", capture)
    posted = broadcasts.next(events.MESSAGE)
    with capture(execute=True):
        services.message_hide(message=message, acting_user=coordinator, reason="SECRET-REASON")
    hidden = broadcasts.next(events.HIDDEN)
    with capture(execute=True):
        services.message_unhide(message=message, acting_user=coordinator)
    unhidden = broadcasts.next(events.UNHIDDEN)
    hidden["moderators"] = unhidden["moderators"] = [coordinator.pk]  # as the relay adds

    moderator_marks = ("/hide/", "/unhide/", "hide-form", "hidden-note", "SECRET-REASON")
    for language in LANGUAGES:
        member_texts = [
            events.frame_text(event, language=language, moderator=False)
            for event in (posted, hidden, unhidden)
        ]
        assert json.loads(member_texts[1]) == {"type": "hidden", "id": message.pk}
        for text in member_texts:
            assert not any(mark in text for mark in moderator_marks), text
        marked = frame_of(hidden, language=language, moderator=True)["message"]
        assert "SECRET-REASON" in marked["fragment"] and "/unhide/" in marked["fragment"]
        assert (
            "/hide/" in frame_of(posted, language=language, moderator=True)["message"]["fragment"]
        )
    # A member catching up on a hidden message learns only that it went.
    message.refresh_from_db()
    services.message_hide(message=message, acting_user=coordinator, reason="SECRET-REASON")
    message.refresh_from_db()
    for language in LANGUAGES:
        frame = events.catch_up_frame(message, thread, for_moderator=False, language=language)
        assert frame == {"type": "hidden", "id": message.pk}


def test_message_events_round_trip_json_and_render_the_same_after(
    thread, member2, coordinator, monkeypatch
):
    """Events carry data, not markup: each survives a JSON wire unchanged, and the frame made
    from the copy is the frame made from the original. (The test layer also round-trips every
    event it carries.)"""
    sent = []
    monkeypatch.setattr(groups, "send_on_commit", lambda group, event: sent.append(event))
    message = services.message_post(thread=thread, author=member2, body="One")[0]
    services.message_edit(message=message, user=member2, body="Two")
    services.message_hide(message=message, acting_user=coordinator, reason="Because")
    services.message_unhide(message=message, acting_user=coordinator)
    services.message_delete(message=message, user=member2)
    services.thread_resolve(thread=thread, acting_user=coordinator)
    kinds = [event["type"] for event in sent]
    for kind in (events.MESSAGE, events.EDITED, events.HIDDEN, events.UNHIDDEN, events.DELETED):
        assert kind in kinds
    for event in sent:
        copy = json.loads(json.dumps(event, allow_nan=False))
        assert copy == event
        if event["type"] in (
            events.MESSAGE,
            events.EDITED,
            events.HIDDEN,
            events.UNHIDDEN,
            events.DELETED,
        ):
            event["moderators"] = copy["moderators"] = [coordinator.pk]
            for language in LANGUAGES:
                for moderator in (False, True):
                    assert events.frame_text(
                        copy, language=language, moderator=moderator
                    ) == events.frame_text(event, language=language, moderator=moderator)
    deleted = next(e for e in sent if e["type"] == events.DELETED)
    frame = frame_of(deleted)
    assert frame["type"] == "deleted" and frame["id"] == message.pk
    assert "This message was deleted by its author." in frame["fragment"]


def test_each_language_and_variant_is_rendered_once_per_event(
    thread, member2, broadcasts, django_capture_on_commit_callbacks, monkeypatch
):
    post(thread, member2, "Once", django_capture_on_commit_callbacks)
    event = broadcasts.next(events.MESSAGE)
    rendered = []
    real = events.render_message
    monkeypatch.setattr(
        events, "render_message", lambda *a, **k: rendered.append(k) or real(*a, **k)
    )
    for _socket in range(50):
        for language in LANGUAGES:
            events.frame_text(event, language=language, moderator=False)
    events.frame_text(event, language="de", moderator=True)
    assert len(rendered) == len(LANGUAGES) + 1
    german = frame_of(event, language="de")["message"]["fragment"]
    assert "Bearbeiten" in german and "Melden" in german


@pytest.mark.parametrize(
    ("query", "headers", "expected"),
    [
        (b"lang=de", [], "de"),
        (b"lang=fr-ca", [], "fr"),
        (b"lang=xx", [(b"cookie", b"django_language=ar")], "ar"),
        (b"", [(b"cookie", b"a=b; django_language=ar")], "ar"),
        (b"", [(b"accept-language", b"xx, fr;q=0.8, de;q=0.5")], "fr"),
        (b"", [], "en"),
    ],
)
def test_a_socket_speaks_the_pages_language(query, headers, expected):
    assert events.socket_language({"query_string": query, "headers": headers}) == expected
