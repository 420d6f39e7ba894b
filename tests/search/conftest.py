"""The search suite runs against every available backend: the embedded one always (on
SQLite or PostgreSQL, whichever DATABASE_URL gives), Elasticsearch when ELASTICSEARCH_URL
is set."""

import contextlib
import os
import uuid

import pytest

from search.backends import get_backend

BACKENDS = [
    "embedded",
    pytest.param("elasticsearch", marks=pytest.mark.elasticsearch),
]


@pytest.fixture(params=BACKENDS)
def backend(request, settings, db):
    """The backend under test, empty, chosen through the settings as in production."""
    if request.param == "embedded":
        settings.ELASTICSEARCH_URL = None
    else:
        settings.ELASTICSEARCH_URL = os.environ["ELASTICSEARCH_URL"]
        settings.ELASTICSEARCH_INDEX_PREFIX = f"cc-test-{uuid.uuid4().hex[:10]}"
    engine = get_backend()
    assert engine.name == request.param
    engine.setup()
    yield engine
    if request.param == "elasticsearch":
        engine.drop()


@pytest.fixture
def index(backend):
    """index(doc, ...): write documents and make them searchable at once."""

    def write(*docs):
        backend.index(docs)
        backend.refresh()

    return write


CLOSED_PORT_URL = "http://127.0.0.1:8159"


@pytest.fixture
def down(backend, settings):
    """down(): make the backend really fail; down(False): bring it back."""

    def switch(is_down=True):
        if backend.name == "embedded":
            settings.SEARCH_OFFLINE = is_down
        else:
            settings.ELASTICSEARCH_URL = CLOSED_PORT_URL if is_down else backend.url

    return switch


@pytest.fixture
def committed(django_capture_on_commit_callbacks, backend):
    """with committed(): the block's transaction commits (its after-commit work runs),
    and the index is refreshed."""

    @contextlib.contextmanager
    def block():
        with django_capture_on_commit_callbacks(execute=True):
            yield
        with contextlib.suppress(Exception):
            backend.refresh()

    return block
