"""A GET writes nothing: the pages most people load (a thread, a hub, the practices index,
search) make no INSERT, UPDATE or DELETE, so they can be served from a replica, cached and
load-tested without side effects (issue 17). Reading a thread is recorded by the page's POST
to the thread's `read/` URL (thread.js, or the button without JavaScript) and by posting."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from hubs import services
from hubs.models import ThreadReadState
from hubs.selectors import threads_for_hub
from tests.factories import GoodPracticeFactory, HubFactory, UserFactory

pytestmark = pytest.mark.django_db

WRITE = re.compile(r"^\s*(INSERT|UPDATE|DELETE|REPLACE)\b", re.IGNORECASE)


def writes(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return [q["sql"] for q in queries.captured_queries if WRITE.match(q["sql"])]


@pytest.fixture
def world(db):
    hub = HubFactory()
    author, reader = UserFactory(), UserFactory()
    for person in (author, reader):
        services.membership_request(hub=hub, user=person)
    thread = services.thread_create(hub=hub, author=author, title="Waste pickers", question="How?")
    services.message_post(thread=thread, author=author, body="A reply nobody read yet")
    GoodPracticeFactory()
    return hub, thread, reader


def test_get_of_the_busy_pages_writes_nothing(client, world):
    hub, thread, reader = world
    client.force_login(reader)
    # The consent gate notes once per session, in the session, that the consents are
    # current (members.middleware): the first request after logging in writes that row.
    assert len(writes(client, "/")) == 1
    thread_url = reverse("hubs:thread_detail", args=[hub.slug, thread.pk])
    for url in (
        thread_url,
        thread_url,  # the second visit too (nothing first-time only)
        reverse("hubs:detail", args=[hub.slug]),
        "/practices/",
        "/search/?q=waste",
        "/",
    ):
        assert writes(client, url) == [], url
    assert not ThreadReadState.objects.filter(user=reader).exists()


def unread(hub, user, thread):
    return next(t for t in threads_for_hub(hub=hub, user=user) if t.pk == thread.pk).unread_count


def test_the_read_mark_is_a_post_and_keeps_the_unread_counts(client, world):
    hub, thread, reader = world
    client.force_login(reader)
    assert unread(hub, reader, thread) == 1
    page = client.get(reverse("hubs:thread_detail", args=[hub.slug, thread.pk]))
    html = page.content.decode()
    read_url = reverse("hubs:thread_read", args=[hub.slug, thread.pk])
    assert f'data-read-url="{read_url}"' in html
    last = thread.messages.order_by("-pk").first().pk
    assert f'data-read-last="{last}"' in html
    assert unread(hub, reader, thread) == 1  # the GET did not mark it

    # A newer id than the reader could have seen is cut to the thread's last message.
    response = client.post(read_url, {"last": last + 1000})
    assert response.status_code == 204
    assert ThreadReadState.objects.get(user=reader, thread=thread).last_read_message_id == last
    assert unread(hub, reader, thread) == 0
    newer = services.message_post(thread=thread, author=thread.author, body="Later")[0]
    assert unread(hub, reader, thread) == 1
    assert newer.pk > last

    # Without JavaScript the button posts the same form and comes back to the page.
    response = client.post(read_url, {"last": newer.pk, "next": "page"})
    assert response.status_code == 302
    assert unread(hub, reader, thread) == 0


def test_the_read_mark_needs_access_and_a_post(client, world):
    hub, thread, _reader = world
    read_url = reverse("hubs:thread_read", args=[hub.slug, thread.pk])
    outsider = UserFactory()
    client.force_login(outsider)
    assert client.post(read_url, {"last": 1}).status_code in {403, 404}
    assert not ThreadReadState.objects.filter(user=outsider).exists()
    client.force_login(_reader)
    assert client.get(read_url).status_code == 405
    assert client.post(read_url, {"last": "x"}).status_code == 400
