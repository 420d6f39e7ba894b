"""Running tasks on the database backend inside a test: the worker of
`manage.py db_worker` itself, in batch mode (until no task is ready), without its signal
handlers (they would take Ctrl-C from pytest). tests/core/test_tasks.py also runs the
command as a process of its own."""

from django_tasks_db.management.commands.db_worker import Worker

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


def run_worker() -> None:
    Worker(
        queue_names=["default"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="pytest-worker",
        excluded_queue_names=[],
    ).run()
