"""The outbox on its own, against every backend: rows for objects that are gone remove
their documents, failures keep the rows with the error, unknown rows do not block."""

import io
from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command

from search.models import SearchOutbox
from search.services import outbox_process
from search.types import SearchRequest
from tests.core.worker import DATABASE_TASKS, run_worker

from .test_engine import practice


def test_a_queued_update_of_a_vanished_object_removes_its_document(backend, index):
    index(practice(424242, "Orphaned compost", "Nothing left of it."))
    SearchOutbox.objects.create(doc_type="practice", object_id=424242)
    SearchOutbox.objects.create(doc_type="practice", object_id=424242)
    report = outbox_process()
    backend.refresh()
    assert (report.applied, report.failed, report.remaining) == (2, 0, 0)
    assert backend.search(SearchRequest(query="compost")).total == 0


def test_failures_keep_the_rows_with_the_error_until_the_backend_is_back(backend, settings, index):
    index(practice(424242, "Orphaned compost", "Nothing left of it."))
    SearchOutbox.objects.create(doc_type="practice", object_id=424242)
    settings.SEARCH_OFFLINE = True
    report = outbox_process()
    assert (report.applied, report.failed, report.remaining) == (0, 1, 1)
    assert "offline" in report.error
    with pytest.raises(CommandError, match="0 queued index updates; 1 waiting"):
        call_command("search_index", "--process-outbox", stdout=io.StringIO())
    row = SearchOutbox.objects.get()
    assert row.attempts == 2 and "offline" in row.last_error and row.last_attempt
    settings.SEARCH_OFFLINE = False
    out = io.StringIO()
    call_command("search_index", "--process-outbox", stdout=out)
    assert "Applied 1 queued index updates; 0 waiting." in out.getvalue()
    backend.refresh()
    assert backend.search(SearchRequest(query="compost")).total == 0


def test_rows_of_an_unknown_type_are_dropped(backend):
    SearchOutbox.objects.create(doc_type="recipe", object_id=1)
    assert outbox_process().remaining == 0


def test_status_shows_the_backend_and_the_queue(backend, index):
    index(practice(1, "Compost", "Compost."))
    SearchOutbox.objects.create(doc_type="practice", object_id=2)
    out = io.StringIO()
    call_command("search_index", "--status", stdout=out)
    assert f"Backend: {backend.name}" in out.getvalue()
    assert "'practice': 1" in out.getvalue() and "queued: 1" in out.getvalue()


@pytest.fixture
def database_tasks(settings):
    """Tasks go to the database (as in development and production) and wait for a worker."""
    settings.TASKS = DATABASE_TASKS
    return run_worker


@pytest.fixture
def coalescer():
    """This process's memory of its waiting outbox run, forgotten afterwards."""
    from search import services

    services._coalescer.reset()
    yield services._coalescer
    services._coalescer.reset()


@pytest.fixture
def counted_applies(monkeypatch):
    from search import services

    applied = []
    real_apply = services._apply

    def counting_apply(backend, doc_type, object_id):
        applied.append((doc_type, object_id))
        real_apply(backend, doc_type, object_id)

    monkeypatch.setattr(services, "_apply", counting_apply)
    return applied


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_deferred_processing_coalesces_commits_and_runs_off_the_request(
    backend, settings, coalescer, counted_applies, database_tasks
):
    from django.db import transaction
    from django.utils import timezone
    from django_tasks_db.models import DBTaskResult

    from search import services

    settings.SEARCH_OUTBOX_DELAY = 60
    before = timezone.now()
    for _ in range(3):  # three commits for the same object, as three posts would make
        with transaction.atomic():
            services.outbox_enqueue(doc_type="practice", object_id=424242)
    assert SearchOutbox.objects.count() == 3  # nothing processed in the committing thread
    assert counted_applies == []
    [waiting] = DBTaskResult.objects.filter(task_path="search.services.outbox_run")
    assert waiting.status == "READY"  # one task for the three commits, a minute later
    assert waiting.run_after >= before + timedelta(seconds=60)
    database_tasks()  # a worker now finds nothing ready: the run waits its minute
    assert SearchOutbox.objects.count() == 3 and counted_applies == []
    DBTaskResult.objects.filter(pk=waiting.pk).update(run_after=timezone.now())  # a minute on
    database_tasks()
    assert counted_applies == [("practice", 424242)]  # three commits, one index update
    assert SearchOutbox.objects.count() == 0
    waiting.refresh_from_db()
    assert waiting.status == "SUCCESSFUL" and waiting.return_value["applied"] == 3


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_an_unreachable_backend_keeps_the_rows_and_retries_later(
    backend, settings, coalescer, database_tasks
):
    from django.db import transaction
    from django.utils import timezone
    from django_tasks_db.models import DBTaskResult

    from core.tasks import backoff
    from search import services

    settings.SEARCH_OUTBOX_DELAY = 0
    settings.SEARCH_OFFLINE = True
    with transaction.atomic():
        services.outbox_enqueue(doc_type="practice", object_id=424242)
    database_tasks()
    first = DBTaskResult.objects.get(status="FAILED")
    assert first.exception_class_path == "search.services.OutboxPending"
    [retry] = DBTaskResult.objects.filter(status="READY")
    assert retry.args_kwargs["kwargs"] == {"attempt": 2}
    assert retry.run_after >= first.finished_at + backoff(1) - timedelta(seconds=1)
    row = SearchOutbox.objects.get()  # the work waits in the outbox
    assert row.attempts == 1 and "offline" in row.last_error
    settings.SEARCH_OFFLINE = False
    DBTaskResult.objects.filter(pk=retry.pk).update(run_after=timezone.now())
    database_tasks()
    retry.refresh_from_db()
    assert retry.status == "SUCCESSFUL" and SearchOutbox.objects.count() == 0
