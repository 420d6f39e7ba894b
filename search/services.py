"""Index writes: the transactional outbox, its processing, and the rebuild.

A change to something searchable writes a `SearchOutbox` row in the change's own
transaction (`outbox_enqueue`, called by the signal receivers). After commit the outbox is
processed (in a background thread after `SEARCH_OUTBOX_DELAY` seconds, or at once when that
is 0): each queued object is built afresh from the database and written to, or removed
from, the backend. If the backend is unreachable, the rows stay and are retried by the next
processing (the next change's commit, or `manage.py search_index --process-outbox`)."""

import logging
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.conf import settings
from django.db import connections, transaction
from django.db.models import F, Max
from django.utils import timezone

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


def outbox_enqueue(*, doc_type: str, object_id: int) -> SearchOutbox:
    """Queue a re-index of one object, in the caller's transaction; processed after commit."""
    row = SearchOutbox.objects.create(doc_type=doc_type, object_id=object_id)
    transaction.on_commit(_process_after_commit, robust=True)
    return row


def outbox_delay() -> float:
    """Seconds between a commit and the processing of its outbox rows in a background
    thread; 0 processes them in the committing thread, before the response."""
    return float(getattr(settings, "SEARCH_OUTBOX_DELAY", 0))


def _process_after_commit():
    delay = outbox_delay()
    if delay > 0:
        _deferred.schedule(delay)
    else:
        _process_now()


def _process_now():
    try:
        outbox_process()
    except Exception:  # a failed index update must never break the request that committed
        logger.exception("search outbox processing failed")


class _DeferredProcessing:
    """At most one outbox run per process at a time, in a thread of its own. Commits that
    come while a run waits ride along: ten posts to a busy thread within the delay re-index
    it once, and neither the poster's acknowledgement nor a page response waits for the
    search backend. Commits during a run make it go round once more instead of starting a
    second run. What a process leaves pending at exit stays queued in the outbox."""

    def __init__(self):
        self.lock = threading.Lock()
        self.thread = None  # the run, waiting or working
        self.again = False  # a commit came after the current run started reading

    def schedule(self, delay: float) -> None:
        with self.lock:
            if self.thread is not None:
                self.again = True
                return
            self.thread = threading.Timer(delay, self._run)
            self.thread.daemon = True
            self.thread.start()

    def _run(self) -> None:
        try:
            while True:
                with self.lock:
                    self.again = False
                _process_now()
                with self.lock:
                    if not self.again:
                        self.thread = None
                        return
        finally:
            connections.close_all()  # this thread's own connections

    def cancel(self) -> None:
        """Drop a run that has not started (tests); the rows stay queued."""
        with self.lock:
            thread, self.thread = self.thread, None
        if isinstance(thread, threading.Timer):
            thread.cancel()

    def wait(self) -> None:
        """Until the current run, if any, has finished (tests)."""
        with self.lock:
            thread = self.thread
        if thread is not None:
            thread.join()


_deferred = _DeferredProcessing()


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
