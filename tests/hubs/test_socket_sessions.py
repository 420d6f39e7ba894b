"""Websockets live no longer than what allowed them: the login session and current consent.

Logging out closes that session's sockets, a password change (or reset) closes every socket of
the person, a policy version taking effect closes the sockets of everyone who has not accepted
it, and a socket whose session was ended some other way stops at its next frame (or at the
periodic recheck, for sockets that send nothing). Through the whole ASGI application."""

import uuid

import pytest
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator
from django.contrib.sessions.models import Session
from django.test import Client

from hubs.models import Message
from members import services as member_services
from network.routing import application
from tests.factories import PASSWORD
from tests.hubs.threads_support import expect_close, next_frame, send

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.usefixtures("fresh_cache", "close_worker_connections"),
]

db = database_sync_to_async


def _logged_in_client(user):
    client = Client()
    client.force_login(user)
    return client


async def _socket(client, path):
    cookie = f"sessionid={client.cookies['sessionid'].value}"
    headers = [(b"origin", b"http://testserver"), (b"cookie", cookie.encode())]
    communicator = WebsocketCommunicator(application, path, headers)
    connected, _ = await communicator.connect()
    assert connected
    first = await communicator.receive_json_from(timeout=3)
    assert first["type"] in ("presence", "unread"), first
    return communicator


async def _sockets(client, thread):
    return [
        await _socket(client, f"/ws/threads/{thread.pk}/"),
        await _socket(client, "/ws/notifications/"),
    ]


async def _still_open(communicator, thread):
    """The socket answers a frame (a thread socket) or at least was not closed."""
    if communicator.scope["path"].startswith("/ws/threads/"):
        await send(communicator, {"type": "resume", "after": 0})
        frame = await next_frame(communicator, skip=("presence", "message"))
        assert frame["type"] == "resumed", frame
    else:
        assert await communicator.receive_nothing(timeout=0.2)


async def test_logout_closes_that_sessions_sockets_only(thread, member):
    laptop = await db(_logged_in_client)(member)
    phone = await db(_logged_in_client)(member)
    on_laptop = await _sockets(laptop, thread)
    on_phone = await _sockets(phone, thread)
    response = await db(laptop.post)("/accounts/logout/")
    assert response.status_code == 302
    for communicator in on_laptop:
        await expect_close(communicator, 4401)
    for communicator in on_phone:
        await _still_open(communicator, thread)
        await communicator.disconnect()


async def test_password_change_closes_every_socket_of_the_person(thread, member):
    mine = await db(_logged_in_client)(member)
    attackers = await db(_logged_in_client)(member)
    sockets = await _sockets(attackers, thread) + await _sockets(mine, thread)
    response = await db(mine.post)(
        "/accounts/password/change/",
        {
            "oldpassword": PASSWORD,
            "password1": "a-new-long-password",
            "password2": "a-new-long-password",
        },
    )
    assert response.status_code == 302, response.content
    for communicator in sockets:
        await expect_close(communicator, 4401)


async def test_password_set_anywhere_closes_the_sockets(thread, member):
    """A reset, the admin, the shell: every way a password is stored."""
    client = await db(_logged_in_client)(member)
    sockets = await _sockets(client, thread)

    def reset():
        member.set_password("reset-to-something-else")
        member.save()

    await db(reset)()
    for communicator in sockets:
        await expect_close(communicator, 4401)


async def test_other_saves_of_the_user_leave_the_sockets_open(thread, member):
    client = await db(_logged_in_client)(member)
    sockets = await _sockets(client, thread)

    def rename():
        member.name = "Mariam M."
        member.save()

    await db(rename)()
    for communicator in sockets:
        await _still_open(communicator, thread)
        await communicator.disconnect()


async def test_a_policy_taking_effect_closes_the_sockets_with_4403(thread, member):
    client = await db(_logged_in_client)(member)
    sockets = await _sockets(client, thread)
    await db(member_services.policy_publish)(document="guidelines", body="## New\n\nBe kind.")
    for communicator in sockets:
        await expect_close(communicator, 4403)


async def test_a_policy_of_a_later_date_closes_nothing_yet(thread, member):
    import datetime

    from django.utils import timezone

    client = await db(_logged_in_client)(member)
    sockets = await _sockets(client, thread)
    later = timezone.localdate() + datetime.timedelta(days=3)
    await db(member_services.policy_publish)(
        document="guidelines", body="## Later\n\nBe kind.", effective_date=later
    )
    for communicator in sockets:
        await _still_open(communicator, thread)
        await communicator.disconnect()


async def test_a_frame_after_the_session_ended_is_refused(thread, member, settings):
    settings.WEBSOCKET_SESSION_RECHECK = 0  # every frame rechecks (default: every few seconds)
    client = await db(_logged_in_client)(member)
    communicator = await _socket(client, f"/ws/threads/{thread.pk}/")
    before = await db(Message.objects.count)()
    await db(lambda: Session.objects.all().delete())()
    await send(communicator, {"type": "post", "client_id": str(uuid.uuid4()), "body": "Late"})
    await expect_close(communicator, 4401)
    assert await db(Message.objects.count)() == before


async def test_a_frame_without_current_consent_is_refused(thread, member, settings):
    """A version that took effect without an event (published for a later date, now come)."""
    import datetime

    from django.utils import timezone

    from members.models import PolicyVersion

    settings.WEBSOCKET_SESSION_RECHECK = 0
    client = await db(_logged_in_client)(member)
    communicator = await _socket(client, f"/ws/threads/{thread.pk}/")
    later = timezone.localdate() + datetime.timedelta(days=3)
    version = await db(member_services.policy_publish)(
        document="guidelines", body="## Later\n\nBe kind.", effective_date=later
    )
    # The date comes.
    await db(
        lambda: PolicyVersion.objects.filter(pk=version.pk).update(
            effective_date=timezone.localdate()
        )
    )()
    before = await db(Message.objects.count)()
    await send(communicator, {"type": "post", "client_id": str(uuid.uuid4()), "body": "Late"})
    await expect_close(communicator, 4403)
    assert await db(Message.objects.count)() == before


async def test_an_idle_socket_is_rechecked_periodically(thread, member, settings):
    settings.WEBSOCKET_SESSION_WATCH = 0.05
    client = await db(_logged_in_client)(member)
    sockets = await _sockets(client, thread)
    await db(lambda: Session.objects.all().delete())()
    for communicator in sockets:
        await expect_close(communicator, 4401)
