"""Edits, deletions, reports and hides share one per-person allowance, enforced by the
services: the websocket and the pages without JavaScript meet the same limit."""

import uuid

import pytest
from channels.db import database_sync_to_async
from django.test import override_settings
from django.urls import reverse

from core.exceptions import ActionError
from hubs import services
from hubs.models import Message, Report
from tests.hubs.threads_support import joined, next_frame, send

pytestmark = [pytest.mark.usefixtures("fresh_cache")]

LIMITED = override_settings(
    THREADS_CHANGE_RATE_LIMIT=3, THREADS_CHANGE_RATE_WINDOW=3600, THREADS_POST_RATE_LIMIT=100
)


def say(thread, author, body="A reply"):
    return services.message_post(
        thread=thread, author=author, body=body, client_id=str(uuid.uuid4())
    )[0]


def _refused(call):
    with pytest.raises(ActionError) as error:
        call()
    assert error.value.code == "rate_limited"


@LIMITED
@pytest.mark.django_db
def test_edits_and_deletes_share_one_allowance(thread, member2, member):
    mine = [say(thread, member2) for _ in range(4)]
    services.message_edit(message=mine[0], user=member2, body="Edited once")
    services.message_edit(message=mine[0], user=member2, body="Edited twice")
    services.message_delete(message=mine[1], user=member2)
    _refused(lambda: services.message_edit(message=mine[0], user=member2, body="Third"))
    _refused(lambda: services.message_delete(message=mine[2], user=member2))
    mine[0].refresh_from_db()
    mine[2].refresh_from_db()
    assert mine[0].body == "Edited twice" and not mine[2].deleted
    # Another person is not affected.
    theirs = say(thread, member)
    services.message_edit(message=theirs, user=member, body="Fine")


@LIMITED
@pytest.mark.django_db
def test_reports_and_hides_count_too(thread, hub, member, member2, coordinator):
    messages = [say(thread, member) for _ in range(5)]
    for message in messages[:3]:
        services.report_create(message=message, reporter=member2, reason="Spam")
    _refused(lambda: services.report_create(message=messages[3], reporter=member2, reason="x"))
    assert Report.objects.filter(reporter=member2).count() == 3
    for message in messages[:3]:
        services.message_hide(message=message, acting_user=coordinator, reason="Spam")
    _refused(lambda: services.message_hide(message=messages[4], acting_user=coordinator))
    assert not Message.objects.get(pk=messages[4].pk).hidden


@LIMITED
@pytest.mark.django_db
def test_a_refused_action_uses_no_allowance(thread, member, member2):
    message = say(thread, member)
    for _ in range(5):
        with pytest.raises(ActionError) as error:
            services.message_edit(message=message, user=member2, body="Not mine")
        assert error.value.code == "forbidden"
    services.message_edit(message=say(thread, member2), user=member2, body="Still allowed")


@override_settings(THREADS_POST_RATE_LIMIT=2, THREADS_POST_RATE_WINDOW=3600)
@pytest.mark.django_db
def test_posts_keep_their_own_allowance(thread, member2):
    first = say(thread, member2)
    say(thread, member2)
    _refused(lambda: say(thread, member2))
    services.message_edit(message=first, user=member2, body="Edits are counted apart")


@LIMITED
@pytest.mark.django_db
def test_pages_answer_429(client, thread, member2):
    message = say(thread, member2)
    client.force_login(member2)
    edit = reverse("hubs:message_edit", args=[thread.hub.slug, thread.pk, message.pk])
    for index in range(3):
        assert client.post(edit, {"body": f"Edit {index}"}).status_code == 302
    response = client.post(edit, {"body": "One too many"})
    assert response.status_code == 429
    assert "too fast" in response.content.decode()
    delete = reverse("hubs:message_delete", args=[thread.hub.slug, thread.pk, message.pk])
    response = client.post(delete)
    assert response.status_code == 429
    message.refresh_from_db()
    assert message.body == "Edit 2" and not message.deleted


@LIMITED
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.usefixtures("close_worker_connections")
async def test_websocket_answers_rate_limited(thread, hub, member2):
    message = await database_sync_to_async(say)(thread, member2)
    alice = await joined(member2, thread.pk)
    for index in range(3):
        await send(alice, {"type": "edit", "id": message.pk, "body": f"Edit {index}"})
        frame = await next_frame(alice)
        assert frame["type"] == "edited", frame
    await send(alice, {"type": "edit", "id": message.pk, "body": "One too many"})
    frame = await next_frame(alice)
    assert (frame["type"], frame["code"]) == ("error", "rate_limited")
    await send(alice, {"type": "delete", "id": message.pk})
    frame = await next_frame(alice)
    assert (frame["type"], frame["code"]) == ("error", "rate_limited")
    stored = await database_sync_to_async(Message.objects.get)(pk=message.pk)
    assert stored.body == "Edit 2" and not stored.deleted
    await alice.disconnect()
