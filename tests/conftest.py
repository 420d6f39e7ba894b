import os

import pytest

from tests.browser import support as browser_support
from tests.factories import UserFactory

# The consultation-thread fixtures (hub, member, member2, coordinator, outsider, suspended,
# thread, other_thread, fresh_cache).
pytest_plugins = ["tests.hubs.threads_support"]


@pytest.hookimpl(trylast=True)  # after pytest-django and pytest have ordered the tests
def pytest_collection_modifyitems(config, items):
    """Skip service tests, with the reason, where that service is not configured."""
    needs = {
        "postgres": ("DATABASE_URL", "postgres", "PostgreSQL is not configured (DATABASE_URL)"),
        "redis": ("REDIS_URL", "redis", "Redis is not configured (REDIS_URL)"),
        "elasticsearch": ("ELASTICSEARCH_URL", "http", "Elasticsearch is not configured"),
    }
    for item in items:
        for marker, (variable, prefix, reason) in needs.items():
            configured = os.environ.get(variable, "").startswith(prefix)
            if item.get_closest_marker(marker) and not configured:
                item.add_marker(pytest.mark.skip(reason=reason))
    browser_support.skip_or_require(items)


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings, request):
    """Browser tests share the test database with a Daphne process: on SQLite it must be a
    file, not the default in-memory database."""
    browser_support.use_file_test_database(request)


@pytest.fixture
def user(db):
    return UserFactory()


@pytest.fixture
def user_factory(db):
    return UserFactory


@pytest.fixture(autouse=True)
def fresh_channel_layers():
    """Each test gets new channel-layer instances. pytest-asyncio runs every async test on a
    loop of its own, and the Redis layer's connections and locks belong to the loop that
    made them; the in-memory layer's groups would otherwise outlive the test."""
    from channels.layers import channel_layers

    channel_layers.backends = {}
    yield
    channel_layers.backends = {}
