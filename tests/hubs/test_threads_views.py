"""Thread pages without JavaScript: lists, the thread page, posting, moderation, reports."""

import re
import uuid

import pytest
from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.urls import reverse

from hubs import services
from hubs.models import Message, Report, Thread
from hubs.realtime import groups
from tests.factories import UserFactory
from tests.security import XSS_PAYLOADS

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_cache")]


def thread_url(thread):
    return reverse("hubs:thread_detail", args=[thread.hub.slug, thread.pk])


def post_url(thread):
    return reverse("hubs:message_post", args=[thread.hub.slug, thread.pk])


def say(thread, author, body):
    return services.message_post(thread=thread, author=author, body=body)[0]


def test_hub_page_lists_threads_pinned_first_with_unread_counts(
    client, hub, member, member2, coordinator, django_assert_max_num_queries, settings
):
    settings.THREADS_POST_RATE_LIMIT = 1000
    older = services.thread_create(hub=hub, author=member, title="Older question", question="q")
    newer = services.thread_create(hub=hub, author=member, title="Newer question", question="q")
    for index in range(3):
        say(older, member, f"reply {index}")
    services.thread_set_pinned(thread=newer, acting_user=coordinator, pinned=True)
    for index in range(25):
        services.thread_create(hub=hub, author=coordinator, title=f"Filler {index}", question="q")
    services.thread_mark_read(thread=older, user=member2, last_message_id=older.messages.first().pk)
    client.force_login(member2)
    # 20: the header's unread count and the hub's next events add one query each (constant,
    # whatever the page holds).
    with django_assert_max_num_queries(20):
        response = client.get(reverse("hubs:detail", args=[hub.slug]))
    html = response.content.decode()
    assert response.status_code == 200
    assert html.index("Newer question") < html.index("Filler 24")  # pinned first
    assert "Older question" not in html  # paginated: on page 2
    page2 = client.get(reverse("hubs:detail", args=[hub.slug]) + "?threads=2").content.decode()
    assert "Older question" in page2
    assert "2 new" in page2


def test_hub_page_hides_threads_from_non_members(client, thread, outsider):
    url = reverse("hubs:detail", args=[thread.hub.slug])
    assert thread.title not in client.get(url).content.decode()
    client.force_login(outsider)
    assert thread.title not in client.get(url).content.decode()


def test_thread_page_access(client, thread, outsider, suspended, member2):
    url = thread_url(thread)
    response = client.get(url)
    assert response.status_code == 302 and "/accounts/login/" in response["location"]
    missing = reverse("hubs:thread_detail", args=[thread.hub.slug, thread.pk + 1000])
    for person in (outsider, suspended):
        client.force_login(person)
        # Not a bare 404: the consultation belongs to a hub they can join. Its title is not
        # told, and a thread that does not exist gets the same page, so nothing leaks.
        response = client.get(url)
        html = response.content.decode()
        assert response.status_code == 403
        assert thread.title not in html and thread.question not in html
        assert thread.hub.name in html
        assert reverse("hubs:detail", args=[thread.hub.slug]) in html
        same = client.get(missing)
        assert same.status_code == 403

        def page(text):
            return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", text).replace(
                str(thread.pk + 1000), str(thread.pk)
            )

        assert page(same.content.decode()) == page(html)
    client.force_login(outsider)
    assert reverse("hubs:join", args=[thread.hub.slug]) in client.get(url).content.decode()
    client.force_login(member2)
    assert client.get(missing).status_code == 404
    response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert f'data-ws-path="/ws/threads/{thread.pk}/"' in html
    assert "js/thread.js" in html
    assert "<script>" not in html  # no inline script (CSP)


def test_thread_of_another_hub_is_not_found_under_this_hub(client, thread, other_hub, member):
    client.force_login(member)
    url = reverse("hubs:thread_detail", args=[other_hub.slug, thread.pk])
    # The member is outside the other hub: its members-only page, which names no thread.
    response = client.get(url)
    assert response.status_code == 403
    assert thread.title not in response.content.decode()
    assert other_hub.name in response.content.decode()
    # A member of both hubs: the thread is simply not one of this hub's.
    services.membership_request(hub=other_hub, user=member)
    assert client.get(url).status_code == 404


def test_post_without_javascript_is_stored_broadcast_and_idempotent(
    client, thread, member2, django_capture_on_commit_callbacks
):
    layer = get_channel_layer()
    channel = async_to_sync(layer.new_channel)()
    async_to_sync(layer.group_add)(groups.thread_group(thread.pk), channel)
    client.force_login(member2)
    client_id = str(uuid.uuid4())
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(post_url(thread), {"body": "From the form", "client_id": client_id})
    message = Message.objects.get()
    assert response.status_code == 302
    assert response["location"].endswith(f"#message-{message.pk}")
    event = async_to_sync(layer.receive)(channel)
    assert event["type"] == "thread.message" and event["message"]["id"] == message.pk
    # The browser resubmits the same form: still one message.
    response = client.post(post_url(thread), {"body": "From the form", "client_id": client_id})
    assert response.status_code == 302 and Message.objects.count() == 1


def test_post_refusals_keep_the_text_and_store_nothing(client, thread, member2, coordinator):
    client.force_login(member2)
    response = client.post(post_url(thread), {"body": "x" * 10_001})
    assert response.status_code == 400
    response = client.post(post_url(thread), {"body": "", "client_id": "nope"})
    assert response.status_code == 400
    services.thread_set_locked(thread=thread, acting_user=coordinator, locked=True)
    response = client.post(post_url(thread), {"body": "Locked out"})
    assert response.status_code == 409
    assert "Locked out" in response.content.decode()
    assert not Message.objects.exists()


def test_post_by_outsider_is_not_found(client, thread, outsider):
    client.force_login(outsider)
    assert client.post(post_url(thread), {"body": "Hi"}).status_code == 404
    assert not Message.objects.exists()


def test_json_fallback_of_thread_js(client, thread, member2):
    client.force_login(member2)
    client_id = str(uuid.uuid4())
    response = client.post(
        post_url(thread),
        {"body": "Sent over HTTP", "client_id": client_id},
        headers={"accept": "application/json"},
    )
    assert response.json() == {"id": Message.objects.get().pk, "client_id": client_id}


def test_new_thread_page(client, hub, member, outsider):
    url = reverse("hubs:thread_new", args=[hub.slug])
    client.force_login(outsider)
    assert client.get(url).status_code == 403
    client.force_login(member)
    assert client.get(url).status_code == 200
    response = client.post(url, {"title": "", "question": "q"})
    assert response.status_code == 400 and not Thread.objects.exists()
    response = client.post(
        url, {"title": "Start-ups", "question": "How?", "theme": "local_economic_development"}
    )
    thread = Thread.objects.get()
    assert response.status_code == 302 and response["location"] == thread_url(thread)
    assert thread.theme == "local_economic_development"


def test_long_threads_are_paginated_newest_page_first(client, thread, member):
    for index in range(55):
        Message.objects.create(
            thread=thread, author=member, body=f"m{index}", html=f"<p>m{index}</p>"
        )
    client.force_login(member)
    html = client.get(thread_url(thread)).content.decode()
    assert "<p>m54</p>" in html and "<p>m0</p>" not in html
    assert 'data-live="true"' in html
    earlier = client.get(thread_url(thread) + "?page=1").content.decode()
    assert "<p>m0</p>" in earlier and 'data-live="false"' in earlier


def test_hidden_messages_members_do_not_see_coordinators_see_marked(
    client, thread, member, member2, coordinator
):
    message = say(thread, member2, "Something rude")
    client.force_login(member)
    response = client.post(
        reverse("hubs:message_hide", args=[thread.hub.slug, thread.pk, message.pk]),
        {"reason": "member tries"},
    )
    message.refresh_from_db()
    assert response.status_code == 302 and not message.hidden
    client.force_login(coordinator)
    client.post(
        reverse("hubs:message_hide", args=[thread.hub.slug, thread.pk, message.pk]),
        {"reason": "Insults"},
    )
    message.refresh_from_db()
    assert message.hidden
    coordinator_html = client.get(thread_url(thread)).content.decode()
    assert "Something rude" in coordinator_html and "Hidden from members." in coordinator_html
    client.force_login(member)
    assert "Something rude" not in client.get(thread_url(thread)).content.decode()
    client.force_login(coordinator)
    client.post(reverse("hubs:message_unhide", args=[thread.hub.slug, thread.pk, message.pk]))
    client.force_login(member)
    assert "Something rude" in client.get(thread_url(thread)).content.decode()


def test_report_form_and_queue_and_resolution(client, thread, member, member2, coordinator):
    message = say(thread, member2, "Buy cheap watches")
    url = reverse("hubs:message_report", args=[thread.hub.slug, thread.pk, message.pk])
    client.force_login(member)
    assert client.get(url).status_code == 200
    assert client.post(url, {"reason": ""}).status_code == 400
    assert client.post(url, {"reason": "Spam"}).status_code == 302
    report = Report.objects.get()

    # The queue partial shows it to coordinators only.
    from django.template.loader import render_to_string
    from django.test import RequestFactory

    request = RequestFactory().get("/")
    request.user = coordinator
    queue = render_to_string("hubs/_reports_queue.html", {"hub": thread.hub}, request=request)
    assert "Buy cheap watches" in queue and "Spam" in queue
    request.user = member
    queue = render_to_string("hubs/_reports_queue.html", {"hub": thread.hub}, request=request)
    assert "Buy cheap watches" not in queue

    resolve = reverse("hubs:report_resolve", args=[thread.hub.slug, report.pk])
    assert client.post(resolve, {"decision": "hide"}).status_code == 404  # a member
    client.force_login(coordinator)
    response = client.post(resolve, {"decision": "hide", "next": "https://evil.example/"})
    assert response.status_code == 302 and "evil.example" not in response["location"]
    report.refresh_from_db()
    message.refresh_from_db()
    assert report.state == Report.State.HIDDEN and message.hidden


def test_edit_and_delete_without_javascript(client, thread, member, member2):
    message = say(thread, member2, "Frist")
    edit = reverse("hubs:message_edit", args=[thread.hub.slug, thread.pk, message.pk])
    delete = reverse("hubs:message_delete", args=[thread.hub.slug, thread.pk, message.pk])
    client.force_login(member)
    assert client.get(edit).status_code == 403
    client.post(delete)
    message.refresh_from_db()
    assert not message.deleted
    client.force_login(member2)
    assert client.post(edit, {"body": "First"}).status_code == 302
    client.post(delete)
    message.refresh_from_db()
    assert message.deleted and message.body == ""
    assert "deleted by its author" in client.get(thread_url(thread)).content.decode()


def test_lock_pin_resolve_without_javascript(client, thread, member, member2, coordinator):
    answer = say(thread, member2, "Try a cooperative")
    moderate = reverse("hubs:thread_moderate", args=[thread.hub.slug, thread.pk])
    resolve = reverse("hubs:thread_resolve", args=[thread.hub.slug, thread.pk])
    client.force_login(member)
    client.post(moderate, {"action": "lock"})
    thread.refresh_from_db()
    assert not thread.locked
    client.post(resolve, {"accepted_answer": answer.pk})
    thread.refresh_from_db()
    assert thread.is_resolved and thread.accepted_answer == answer
    client.force_login(coordinator)
    client.post(moderate, {"action": "lock"})
    client.post(moderate, {"action": "pin"})
    thread.refresh_from_db()
    assert thread.locked and thread.pinned


def test_former_member_shown_after_account_deletion(client, thread, member, member2):
    say(thread, member2, "My contribution")
    from core import personal_data

    for source in personal_data.sources():
        if source.erase:
            source.erase(member2)
    member2.delete()
    client.force_login(member)
    html = client.get(thread_url(thread)).content.decode()
    assert "My contribution" in html and "Former member" in html


def _pages_with(client, hub, member, member2, coordinator, text):
    """The pages that show user text (thread, hub list, reports queue), filled with TEXT."""
    from django.template.loader import render_to_string
    from django.test import RequestFactory

    services.coordinator_assign(hub=hub, user=coordinator)
    for person in (member, member2):
        services.membership_request(hub=hub, user=person)
    thread = services.thread_create(hub=hub, author=member, title=text[:200], question=text)
    message = say(thread, member2, text)
    services.report_create(message=message, reporter=member, reason=text)
    client.force_login(coordinator)
    request = RequestFactory().get("/")
    request.user = coordinator
    return [
        client.get(thread_url(thread)).content.decode(),
        client.get(reverse("hubs:detail", args=[hub.slug])).content.decode(),
        render_to_string("hubs/_reports_queue.html", {"hub": hub}, request=request),
    ]


@pytest.mark.parametrize("payload", XSS_PAYLOADS)
def test_xss_corpus_renders_inert_on_every_page(client, payload):
    """The same pages filled with the payload and with plain text have exactly the same
    active elements (the page's own forms and stylesheets): the payload adds none."""
    from collections import Counter

    from tests.factories import HubFactory
    from tests.security import inert_problems

    people = [UserFactory(name="Asker"), UserFactory(name="Adviser"), UserFactory(name="Coord")]
    attacked = _pages_with(client, HubFactory(), *people, payload)
    baseline = _pages_with(client, HubFactory(), *people, "Plain words")
    for page, plain in zip(attacked, baseline, strict=True):
        assert Counter(inert_problems(page)) == Counter(inert_problems(plain))
        assert payload not in page or "<" not in payload


def test_a_member_of_two_hubs_sees_only_this_hubs_threads(client, hub, other_hub, member):
    services.membership_request(hub=other_hub, user=member)
    services.thread_create(hub=other_hub, author=member, title="Elsewhere", question="q")
    services.thread_create(hub=hub, author=member, title="Here", question="q")
    client.force_login(member)
    html = client.get(reverse("hubs:detail", args=[hub.slug])).content.decode()
    assert "Here" in html and "Elsewhere" not in html


def test_unread_counts_follow_reading(client, thread, member, member2):
    say(thread, member, "one")
    say(thread, member, "two")
    client.force_login(member2)
    hub_url = reverse("hubs:detail", args=[thread.hub.slug])
    assert "2 new" in client.get(hub_url).content.decode()
    page = client.get(thread_url(thread)).content.decode()
    assert "2 new" in client.get(hub_url).content.decode()  # the GET wrote nothing
    # The page's read mark (thread.js posts it at once; a button without JavaScript).
    read_url = reverse("hubs:thread_read", args=[thread.hub.slug, thread.pk])
    assert f'action="{read_url}"' in page
    last = thread.messages.order_by("-pk").first().pk
    assert client.post(read_url, {"last": last}).status_code == 204
    assert "new<span" not in client.get(hub_url).content.decode()
    assert UserFactory  # factories stay importable for other thread tests


def test_thread_page_queries_do_not_grow_with_messages(
    client, thread, member, member2, coordinator, django_assert_max_num_queries
):
    for index in range(40):
        author = (member, member2, coordinator)[index % 3]
        Message.objects.create(thread=thread, author=author, body="m", html=f"<p>m{index}</p>")
    client.force_login(coordinator)
    # 23: the header's unread count and the follow buttons' state are one query each.
    with django_assert_max_num_queries(23):
        response = client.get(thread_url(thread))
    assert response.status_code == 200 and "<p>m39</p>" in response.content.decode()


@pytest.mark.parametrize(
    ("body", "code"), [("", "invalid"), ("   ", "invalid"), ("x" * 10_001, "too_large")]
)
def test_json_fallback_refusals_carry_the_services_code(client, thread, member2, body, code):
    client.force_login(member2)
    response = client.post(post_url(thread), {"body": body}, headers={"accept": "application/json"})
    assert response.status_code == 400
    assert response.json()["code"] == code
    assert not Message.objects.exists()
