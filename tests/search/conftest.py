"""The search suite runs against every available backend: the embedded one always (on
SQLite or PostgreSQL, whichever DATABASE_URL gives), Elasticsearch when ELASTICSEARCH_URL
is set."""

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
