"""The outbox on its own, against every backend: rows for objects that are gone remove
their documents, failures keep the rows with the error, unknown rows do not block."""

import io

import pytest
from django.core.management import CommandError, call_command

from search.models import SearchOutbox
from search.services import outbox_process
from search.types import SearchRequest

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
def deferred():
    """The process's deferred outbox runner, left with nothing pending afterwards."""
    from search import services

    yield services._deferred
    services._deferred.cancel()
    services._deferred.wait()


@pytest.mark.django_db(transaction=True)
def test_deferred_processing_coalesces_commits_and_runs_off_the_request(
    backend, settings, deferred, monkeypatch
):
    from django.db import transaction

    from search import services

    settings.SEARCH_OUTBOX_DELAY = 60  # never fires by itself during the test
    applied = []
    real_apply = services._apply

    def counting_apply(backend, doc_type, object_id):
        applied.append((doc_type, object_id))
        real_apply(backend, doc_type, object_id)

    monkeypatch.setattr(services, "_apply", counting_apply)
    for _ in range(3):  # three commits for the same object, as three posts would make
        with transaction.atomic():
            services.outbox_enqueue(doc_type="practice", object_id=424242)
    assert SearchOutbox.objects.count() == 3  # nothing processed in the committing thread
    assert applied == []
    pending = deferred.thread
    assert pending is not None and pending.daemon
    deferred.cancel()  # instead of waiting 60 s: run it now, with a short delay
    settings.SEARCH_OUTBOX_DELAY = 0.01
    with transaction.atomic():
        services.outbox_enqueue(doc_type="practice", object_id=424242)
    deferred.wait()
    assert applied == [("practice", 424242)]  # four commits, one index update
    assert SearchOutbox.objects.count() == 0
