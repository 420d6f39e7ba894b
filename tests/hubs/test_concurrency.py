"""Two requests to join at the same moment (a double click) leave one membership and no
server error."""

import threading

import pytest
from django.db import connection

from core.exceptions import ActionError
from hubs import services
from hubs.models import Hub, Membership, ModerationLogEntry
from tests.factories import UserFactory


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_simultaneous_join_requests_make_one_membership():
    hub = Hub.objects.get(slug="ssa")
    person = UserFactory()
    barrier = threading.Barrier(4)
    outcomes = []

    def ask():
        try:
            barrier.wait()
            services.membership_request(hub=hub, user=person, message="double click")
            outcomes.append("ok")
        except ActionError:
            outcomes.append("refused")
        except Exception as error:  # noqa: BLE001 - any other error is the failure we test for
            outcomes.append(repr(error))
        finally:
            connection.close()

    threads = [threading.Thread(target=ask) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["ok", "refused", "refused", "refused"]
    assert Membership.objects.filter(hub=hub, user=person).count() == 1
    assert ModerationLogEntry.objects.filter(subject=person).count() == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_post_does_not_wait_for_a_lock_on_the_hub_row():
    """Posting locks the thread's row only. It used to lock the joined hub row too, and two
    Daphne processes posting at once deadlocked, each holding one row of the join."""
    from django.db import connections
    from django.db import transaction as db_transaction

    from tests.factories import HubFactory
    from tests.hubs.threads_support import make_member

    hub = HubFactory()
    author = make_member(hub)
    thread = services.thread_create(
        hub=hub, author=author, title="Water tariffs", question="Who sets them?", theme=""
    )
    hub_locked = threading.Event()
    release = threading.Event()

    def hold_the_hub():
        try:
            with db_transaction.atomic():
                Hub.objects.select_for_update().get(pk=hub.pk)
                hub_locked.set()
                release.wait(timeout=60)
        finally:
            connections["default"].close()

    holder = threading.Thread(target=hold_the_hub)
    holder.start()
    try:
        assert hub_locked.wait(timeout=30)
        with db_transaction.atomic():
            with connection.cursor() as cursor:
                # A post that waited for the hub would fail here instead of hanging.
                cursor.execute("SET LOCAL lock_timeout = '3s'")
            services.message_post(thread=thread, author=author, body="Not blocked")
    finally:
        release.set()
        holder.join()
