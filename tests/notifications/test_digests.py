"""Digests: what the member chose for the digest, once per member and period, skipped when
there is nothing."""

import threading
from datetime import UTC, timedelta

import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from hubs import services as hub_services
from notifications import digests, services
from notifications.models import DigestSent, Kind

pytestmark = pytest.mark.django_db


@pytest.fixture
def followed_hub(hub, member, member2, committed):
    """member2 follows the hub (new threads: daily digest by default); member starts two."""
    services.hub_follow(user=member2, hub=hub)
    for n in range(2):
        with committed():
            hub_services.thread_create(hub=hub, author=member, title=f"Thread {n}", question="Q")
    return hub


def test_daily_digest_once_and_skipped_when_empty(followed_hub, member, member2, mailoutbox):
    call_command("send_digests", "--period", "daily")
    assert [m.to for m in mailoutbox] == [[member2.email]]
    assert "2 new threads in" in mailoutbox[0].body
    assert mailoutbox[0].extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    call_command("send_digests", "--period", "daily")  # a rerun, a retry
    assert len(mailoutbox) == 1
    assert DigestSent.objects.filter(user=member2, period="daily").count() == 1
    call_command("send_digests", "--period", "weekly")  # nothing chosen for weekly
    assert len(mailoutbox) == 1
    assert not DigestSent.objects.filter(user=member).exists()  # nothing for member: no row


def test_next_period_holds_only_what_is_new(followed_hub, member2, mailoutbox):
    now = timezone.now()
    assert digests.digests_send(period="daily", now=now) == 1
    assert digests.digests_send(period="daily", now=now + timedelta(days=1)) == 0


def test_a_failing_send_leaves_no_record_and_the_retry_sends(
    followed_hub, member2, mailoutbox, settings
):
    settings.EMAIL_BACKEND = "tests.notifications.test_digests.FailingBackend"
    assert digests.digests_send(period="daily") == 0
    assert not DigestSent.objects.exists()
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert digests.digests_send(period="daily") == 1


class FailingBackend:
    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise OSError("SMTP down")


def test_weekly_key_is_the_iso_week():
    from datetime import datetime

    assert digests.period_key("weekly", datetime(2026, 12, 2, tzinfo=UTC)) == "2026-W49"
    assert digests.period_key("daily", datetime(2026, 12, 2, tzinfo=UTC)) == "2026-12-02"


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_concurrent_runs_send_each_digest_once(hub, member, member2, mailoutbox):
    services.hub_follow(user=member2, hub=hub)
    hub_services.thread_create(hub=hub, author=member, title="T", question="Q")
    # transaction=True: the signal's on_commit ran; the thread is there for member2's digest.
    assert member2.notifications.filter(kind=Kind.NEW_THREAD).exists()
    now = timezone.now()
    barrier = threading.Barrier(2)
    results = []

    def run():
        try:
            barrier.wait()
            results.append(digests.digests_send(period="daily", now=now))
        finally:
            connection.close()

    workers = [threading.Thread(target=run) for _n in range(2)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    assert sorted(results) == [0, 1]
    assert len(mailoutbox) == 1
    assert DigestSent.objects.filter(user=member2).count() == 1
