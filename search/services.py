"""Index writes: the transactional outbox, its processing, and the rebuild.

A change to something searchable writes a `SearchOutbox` row in the change's own
transaction (`outbox_enqueue`, called by the signal receivers). After commit a background
task (`outbox_run`, on the worker, `SEARCH_OUTBOX_DELAY` seconds later) processes the outbox:
each queued object is built afresh from the database and written to, or removed from, the
backend. The rows are the source of truth: if the backend is unreachable they stay, the
task is retried with backoff, and the next change's commit or `manage.py search_index
--process-outbox` processes them too."""

import logging
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F, Max
from django.utils import timezone

from core.tasks import retried_task

from .backends import get_backend
from .backends.base import SearchBackend, SearchUnavailable
from .builders import SOURCES
from .models import SearchOutbox
from .types import SearchDoc

logger = logging.getLogger(__name__)

OUTBOX_BATCH = 200


@dataclass
class OutboxReport:
    applied: int = 0
    failed: int = 0
    remaining: int = 0
    error: str = ""
    unavailable: bool = False  # stopped because the backend could not be reached


def outbox_enqueue(*, doc_type: str, object_id: int) -> SearchOutbox:
    """Queue a re-index of one object, in the caller's transaction; processed after commit."""
    row = SearchOutbox.objects.create(doc_type=doc_type, object_id=object_id)
    transaction.on_commit(_process_after_commit, robust=True)
    return row


def outbox_delay() -> float:
    """Seconds between a commit and the background task that processes its outbox rows."""
    return float(getattr(settings, "SEARCH_OUTBOX_DELAY", 0))


class OutboxPending(Exception):
    """The search backend was unreachable: the rows wait, the task is tried again later."""


@retried_task
def outbox_run() -> dict:
    """The background task: process the outbox (all of it, whatever commit enqueued this
    run; a run that finds nothing to do is fine). Raises while the backend is unreachable,
    so that the run is retried with backoff; the rows stay queued either way."""
    report = outbox_process()
    if report.unavailable:
        raise OutboxPending(report.error)
    return {"applied": report.applied, "failed": report.failed, "remaining": report.remaining}


class _Coalescer:
    """Commits that come while this process's deferred run waits ride along with it: ten
    posts to a busy thread within the delay make one task and one re-index. The run reads
    the outbox when it starts, after every commit it covers; the margin allows for the
    worker's clock being a little ahead of ours."""

    def __init__(self):
        self.lock = threading.Lock()
        self.pending_until = None

    def covers(self, now) -> bool:
        with self.lock:
            margin = timedelta(seconds=outbox_delay() / 2)
            return self.pending_until is not None and now < self.pending_until - margin

    def claim(self, run_after) -> None:
        with self.lock:
            self.pending_until = run_after

    def reset(self) -> None:
        with self.lock:
            self.pending_until = None


_coalescer = _Coalescer()


def _process_after_commit():
    delay = outbox_delay()
    run = outbox_run
    if delay > 0 and run.get_backend().supports_defer:
        now = timezone.now()
        if _coalescer.covers(now):
            return
        run_after = now + timedelta(seconds=delay)
        _coalescer.claim(run_after)
        run = run.using(run_after=run_after)
    run.enqueue()


def outbox_process(
    *, backend: SearchBackend | None = None, limit: int | None = None
) -> OutboxReport:
    """Apply the queued updates, oldest first, each row at most once a call. Stops at the
    first sign that the backend is unreachable and leaves the rest queued; an object that
    fails to index for another reason stays queued without blocking the others. Safe to run
    concurrently: updates are rebuilt from the current database state and only the rows
    that were applied are removed."""
    backend = backend or get_backend()
    report = OutboxReport()
    after = 0
    while limit is None or report.applied + report.failed < limit:
        rows = list(
            SearchOutbox.objects.filter(id__gt=after)
            .order_by("id")[:OUTBOX_BATCH]
            .values_list("id", "doc_type", "object_id")
        )
        if not rows:
            break
        after = rows[-1][0]
        pending: dict[tuple[str, int], list[int]] = {}
        for row_id, doc_type, object_id in rows:
            pending.setdefault((doc_type, object_id), []).append(row_id)
        for (doc_type, object_id), row_ids in pending.items():
            try:
                _apply(backend, doc_type, object_id)
            except SearchUnavailable as exc:
                _record_failure(row_ids, exc)
                report.failed += len(row_ids)
                report.error = str(exc)
                report.unavailable = True
                report.remaining = SearchOutbox.objects.count()
                return report
            except Exception as exc:  # a bad object must not block the others
                logger.exception("indexing %s %s failed", doc_type, object_id)
                _record_failure(row_ids, exc)
                report.failed += len(row_ids)
                report.error = f"{type(exc).__name__}: {exc}"
                continue
            SearchOutbox.objects.filter(id__in=row_ids).delete()
            report.applied += len(row_ids)
    report.remaining = SearchOutbox.objects.count()
    return report


def _apply(backend: SearchBackend, doc_type: str, object_id: int) -> None:
    source = SOURCES.get(doc_type)
    if source is None:
        logger.warning("dropping an index update of unknown type %r", doc_type)
        return
    doc = source.build(object_id)
    if doc is None:
        backend.delete(doc_type, [object_id])
    else:
        backend.index([doc])


def _record_failure(row_ids: list[int], exc: Exception) -> None:
    SearchOutbox.objects.filter(id__in=row_ids).update(
        attempts=F("attempts") + 1, last_attempt=timezone.now(), last_error=str(exc)[:2000]
    )


def all_documents() -> tuple[int, Iterable[SearchDoc]]:
    """How many documents there are to index, and the documents."""
    sources = list(SOURCES.values())
    total = sum(source.count() for source in sources)

    def documents():
        for source in sources:
            yield from source.iter_docs()

    return total, documents()


def index_rebuild(
    *, backend: SearchBackend | None = None, progress: Callable[[Iterable], Iterable] | None = None
) -> dict[str, int]:
    """Replace the whole index with the current searchable content; the outbox rows
    queued before the rebuild started are then redundant and removed. PROGRESS wraps the
    document stream (the command passes a progress bar)."""
    backend = backend or get_backend()
    covered = SearchOutbox.objects.aggregate(last=Max("id"))["last"]
    total, docs = all_documents()
    if progress is not None:
        docs = progress(docs, total)
    backend.setup()
    counts = backend.rebuild(docs)
    if covered is not None:
        SearchOutbox.objects.filter(id__lte=covered).delete()
    return counts
