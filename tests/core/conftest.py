import pytest

from tests.core.worker import DATABASE_TASKS, run_worker


@pytest.fixture
def database_tasks(settings):
    """Tasks go to the database (as in development and production) and wait for a worker;
    calling the fixture's value runs one until none is ready."""
    settings.TASKS = DATABASE_TASKS
    return run_worker
