import os

import pytest

from tests.factories import UserFactory

# The consultation-thread fixtures (hub, member, member2, coordinator, outsider, suspended,
# thread, other_thread, fresh_cache).
pytest_plugins = ["tests.hubs.threads_support"]


def pytest_collection_modifyitems(config, items):
    """Skip service tests, with the reason, where that service is not configured."""
    needs = {
        "postgres": ("DATABASE_URL", "postgres", "PostgreSQL is not configured (DATABASE_URL)"),
        "redis": ("REDIS_URL", "redis", "Redis is not configured (REDIS_URL)"),
        "elasticsearch": ("ELASTICSEARCH_URL", "http", "Elasticsearch is not configured"),
    }
    for item in items:
        for marker, (variable, prefix, reason) in needs.items():
            if marker in item.keywords and not os.environ.get(variable, "").startswith(prefix):
                item.add_marker(pytest.mark.skip(reason=reason))


@pytest.fixture
def user(db):
    return UserFactory()


@pytest.fixture
def user_factory(db):
    return UserFactory
