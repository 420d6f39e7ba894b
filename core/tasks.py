"""Background work on django-tasks: enqueueing after commit, and retrying with backoff.

A task is a plain module-level function with `@task` (or `@retried_task` below) that takes
JSON values (ids, strings), never model instances, and is safe to run twice. Services
enqueue it with `enqueue_on_commit`, so a rolled-back change starts no work and the worker
never looks for rows that are not committed yet.

The backend comes from the TASKS setting: the database (django_tasks_db) everywhere, run by
`manage.py db_worker`; the immediate backend in most tests, which runs the task for real,
synchronously, at enqueue time.
"""

import functools
import json
import logging
from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string
from django_tasks import task

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 5
# 30 s, 2 min, 8 min, 32 min: an SMTP server or a search cluster that is down for a restart
# is back long before the last attempt; one that stays down shows in the admin.
BACKOFF_BASE = timedelta(seconds=30)
BACKOFF_FACTOR = 4


def backoff(attempt: int) -> timedelta:
    """How long to wait before attempt ATTEMPT + 1, after attempt ATTEMPT failed."""
    return BACKOFF_BASE * BACKOFF_FACTOR ** (attempt - 1)


def enqueue_on_commit(task_obj, /, *args, **kwargs) -> None:
    """Enqueue TASK_OBJ with these arguments once the current transaction commits (at once
    outside a transaction). The arguments are checked now, in the caller: a value that is
    not JSON fails the service that passed it, not a callback after the commit."""
    json.dumps([args, kwargs])  # raises TypeError for a model instance, a date, a set...
    transaction.on_commit(functools.partial(_enqueue, task_obj, args, kwargs))


def _enqueue(task_obj, args, kwargs):
    try:
        task_obj.enqueue(*args, **kwargs)
    except Exception:  # the change is committed; losing the queue must not make it a 500
        logger.exception("could not enqueue %s", task_obj.module_path)


def retried_task(function=None, *, max_attempts: int = MAX_ATTEMPTS, **task_options):
    """`@task`, plus: when the function raises, the next attempt is enqueued to run after
    `backoff(attempt)`, up to MAX_ATTEMPTS attempts; the failed attempt itself is recorded
    as failed (with its traceback, in the admin's task results). The attempt number travels
    as the keyword argument `attempt`, which the function does not see. On a backend that
    cannot defer (the immediate one of the tests) a failure is final."""

    def decorate(func):
        path = f"{func.__module__}.{func.__qualname__}"

        @functools.wraps(func)
        def run(*args, attempt: int = 1, **kwargs):
            try:
                return func(*args, **kwargs)
            except Exception:
                if attempt < max_attempts:
                    _retry(import_string(path), attempt, args, kwargs)
                else:
                    logger.error("%s failed %d times: giving up", path, attempt)
                raise

        return task(**task_options)(run)

    return decorate(function) if function is not None else decorate


def _retry(task_obj, attempt: int, args, kwargs) -> None:
    if not task_obj.get_backend().supports_defer:
        # The immediate backend (tests) cannot wait: retrying at once would only fail again.
        return
    logger.warning("%s failed (attempt %d): retrying", task_obj.module_path, attempt)
    task_obj.using(run_after=timezone.now() + backoff(attempt)).enqueue(
        *args, attempt=attempt + 1, **kwargs
    )
