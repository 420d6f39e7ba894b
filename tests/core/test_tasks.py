"""The task queue for real: mail waits in the database while no worker runs and goes out
when one does (in this process, and as `manage.py db_worker` in a process of its own); a
failing mail server makes the task retry with backoff; what fails is listed for staff in
the Django admin."""

import smtplib
import sqlite3
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.db import connection, transaction
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from core.mail import mail_enqueue, mail_send
from core.tasks import MAX_ATTEMPTS, backoff
from tests.browser.support import database_url
from tests.factories import UserFactory

ROOT = Path(__file__).resolve().parent.parent.parent


class FlakyBackend(BaseEmailBackend):
    """A mail server that refuses the first `failures` messages, then delivers to the
    locmem outbox."""

    failures = 0
    refused = 0

    def send_messages(self, messages):
        if FlakyBackend.refused < FlakyBackend.failures:
            FlakyBackend.refused += 1
            raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")
        mail.outbox.extend(messages)
        return len(messages)


@pytest.fixture
def flaky_mail(settings):
    settings.EMAIL_BACKEND = "tests.core.test_tasks.FlakyBackend"
    FlakyBackend.refused = 0

    def fail(times):
        FlakyBackend.failures = times

    yield fail
    FlakyBackend.failures = FlakyBackend.refused = 0


def enqueue_welcome(to="amina@example.org"):
    with transaction.atomic():
        mail_enqueue(
            to=to,
            template="notifications/email/kinds/membership_decided",
            context={"recipient": {"name": "Amina"}, "hub": {"name": "MENA"}, "hub_url": "/"},
            language="en",
        )


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_with_the_worker_stopped_mail_waits_in_the_database(database_tasks, mailoutbox):
    enqueue_welcome()
    assert mailoutbox == []
    [row] = DBTaskResult.objects.all()
    assert row.status == "READY" and row.task_path == "core.mail.mail_send"
    database_tasks()  # the worker is back
    row.refresh_from_db()
    assert row.status == "SUCCESSFUL"
    [message] = mailoutbox
    assert message.to == ["amina@example.org"]
    assert message.subject == "[Connective Cities] Welcome to the MENA hub"


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_failing_mail_server_makes_the_task_retry_with_backoff(
    database_tasks, flaky_mail, mailoutbox
):
    flaky_mail(times=1)
    enqueue_welcome()
    database_tasks()
    failed = DBTaskResult.objects.get(status="FAILED")
    assert failed.exception_class_path == "smtplib.SMTPServerDisconnected"
    [retry] = DBTaskResult.objects.filter(status="READY")
    assert retry.args_kwargs["kwargs"]["attempt"] == 2
    assert retry.run_after >= failed.finished_at + backoff(1) - timedelta(seconds=1)
    assert mailoutbox == []
    DBTaskResult.objects.filter(pk=retry.pk).update(run_after=failed.finished_at)  # time passes
    database_tasks()
    retry.refresh_from_db()
    assert retry.status == "SUCCESSFUL"
    assert len(mailoutbox) == 1


def test_backoff_grows():
    assert [backoff(n) for n in (1, 2, 3, 4)] == [
        timedelta(seconds=30),
        timedelta(minutes=2),
        timedelta(minutes=8),
        timedelta(minutes=32),
    ]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_last_attempt_gives_up(database_tasks, flaky_mail, mailoutbox):
    flaky_mail(times=MAX_ATTEMPTS)
    enqueue_welcome()
    for _attempt in range(MAX_ATTEMPTS):
        DBTaskResult.objects.filter(status="READY").update(run_after=timezone.now())
        database_tasks()
    assert DBTaskResult.objects.filter(status="FAILED").count() == MAX_ATTEMPTS
    assert not DBTaskResult.objects.filter(status="READY").exists()  # no sixth attempt
    last = DBTaskResult.objects.order_by("-enqueued_at").first()
    assert last.args_kwargs["kwargs"]["attempt"] == MAX_ATTEMPTS
    assert mailoutbox == []


def test_without_a_queue_to_wait_in_a_failure_is_final(db, flaky_mail, mailoutbox):
    # The immediate backend (most tests) cannot defer: no retry at once, in a loop.
    flaky_mail(times=1)
    message = {"subject": "s", "body": "b", "html": "<p>b</p>", "from_email": "a@x", "to": ["b@x"]}
    assert mail_send.enqueue(message=message).status == "FAILED"
    assert FlakyBackend.refused == 1 and mailoutbox == []


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_staff_see_failed_tasks_in_the_django_admin(database_tasks, flaky_mail, client):
    flaky_mail(times=1)
    enqueue_welcome()
    database_tasks()
    url = "/django-admin/django_tasks_database/dbtaskresult/?status__exact=FAILED"
    client.force_login(UserFactory())
    assert client.get(url).status_code == 302  # a member is sent to the admin's login
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    page = client.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert "mail_send" in html and "1 Task Result" in html
    failed = DBTaskResult.objects.get(status="FAILED")
    detail = client.get(f"/django-admin/django_tasks_database/dbtaskresult/{failed.pk}/change/")
    assert "SMTPServerDisconnected" in detail.content.decode()


def _worker_database(tmp_path) -> tuple[str, Path | None]:
    """A DATABASE_URL for a worker process that sees this test's committed rows: the test
    database itself on PostgreSQL, a file copy of it on SQLite (often in memory)."""
    if connection.vendor != "sqlite":
        return database_url(connection.settings_dict), None
    path = tmp_path / "worker.sqlite3"
    connection.ensure_connection()
    target = sqlite3.connect(path)
    connection.connection.backup(target)
    target.close()
    return f"sqlite:///{path}", path


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_real_worker_process_sends_the_waiting_mail(database_tasks, tmp_path):
    enqueue_welcome(to="fatou@example.org")
    url, copy = _worker_database(tmp_path)
    environment = {
        "PATH": "/usr/bin:/bin",
        "DJANGO_SETTINGS_MODULE": "network.settings.dev",
        "DATABASE_URL": url,
        "VAR_DIR": str(tmp_path / "var"),  # mail to var/mail/, as in development
        "SITE_URL": "http://127.0.0.1:8000",
    }
    worker = subprocess.run(
        [sys.executable, "manage.py", "db_worker", "--batch", "--no-startup-delay", "--no-reload"],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    assert worker.returncode == 0, worker.stderr[-3000:]
    [sent] = list((tmp_path / "var" / "mail").iterdir())
    text = sent.read_text()
    assert "To: fatou@example.org" in text and "Welcome to the MENA hub" in text
    assert "Content-Type: multipart/alternative" in text
    if copy is None:
        statuses = list(DBTaskResult.objects.values_list("status", flat=True))
    else:
        with sqlite3.connect(copy) as database:
            statuses = [
                s
                for (s,) in database.execute(
                    "SELECT status FROM django_tasks_database_dbtaskresult"
                )
            ]
    assert statuses == ["SUCCESSFUL"]
