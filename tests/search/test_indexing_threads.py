"""Indexing of consultation threads through the real thread services and
`hubs.signals.thread_content_changed`, against every backend: created, messages posted,
edited, hidden, shown again and deleted; posting while the backend is down, then the retry.
"""

import io

import pytest
from django.core.management import call_command

from hubs import services as hub_services
from hubs.models import Hub
from search.models import SearchOutbox
from search.types import SearchRequest
from tests.factories import GoodPracticeFactory, UserFactory

from .test_indexing_practices import found

# The thread services land on main with the Threads issue; until then these tests skip.
thread_services = pytest.importorskip("hubs.services.threads", reason="hubs threads not merged yet")


@pytest.fixture
def see():
    return Hub.objects.get(slug="see")


@pytest.fixture
def member(see):
    user = UserFactory()
    hub_services.membership_request(hub=see, user=user)
    return user


@pytest.fixture
def coordinator(see):
    user = UserFactory()
    hub_services.coordinator_assign(hub=see, user=user)
    return user


@pytest.fixture
def consultation(see, member, committed):
    with committed():
        thread = thread_services.thread_create(
            hub=see,
            author=member,
            title="Landfill gas capture",
            question="Has anyone captured methane at an old landfill?",
        )
    return thread


def test_a_thread_is_found_by_its_hub_only(backend, consultation, see):
    assert found(backend, "methane", hubs=[see]) == [("thread", "Landfill gas capture")]
    assert found(backend, "methane") == []
    assert found(backend, "methane", hubs=[Hub.objects.get(slug="ssa")]) == []


def test_posted_edited_hidden_and_deleted_messages(
    backend, committed, consultation, see, member, coordinator
):
    with committed():
        first, _ = thread_services.message_post(
            thread=consultation, author=coordinator, body="We flare the biogas in Rustavi."
        )
        second, _ = thread_services.message_post(
            thread=consultation, author=member, body="Our leachate ponds overflow."
        )
    assert found(backend, "biogas", hubs=[see]) == [("thread", "Landfill gas capture")]
    assert found(backend, "leachate", hubs=[see]) == [("thread", "Landfill gas capture")]

    with committed():
        thread_services.message_edit(message=second, user=member, body="Our lagoons overflow.")
    assert found(backend, "leachate", hubs=[see]) == []
    assert found(backend, "lagoons", hubs=[see]) == [("thread", "Landfill gas capture")]

    with committed():
        thread_services.message_hide(message=first, acting_user=coordinator, reason="Off topic")
    assert found(backend, "biogas", hubs=[see]) == []
    with committed():
        thread_services.message_unhide(message=first, acting_user=coordinator)
    assert found(backend, "biogas", hubs=[see]) == [("thread", "Landfill gas capture")]

    with committed():
        thread_services.message_delete(message=second, user=member)
    assert found(backend, "lagoons", hubs=[see]) == []
    # The question itself is still found.
    assert found(backend, "methane", hubs=[see]) == [("thread", "Landfill gas capture")]


def test_posting_succeeds_while_the_backend_is_down_and_is_found_after_the_retry(
    backend, committed, consultation, see, member, down
):
    down()
    with committed():
        message, created = thread_services.message_post(
            thread=consultation, author=member, body="Try a geomembrane cover."
        )
    assert created and message.pk
    assert SearchOutbox.objects.filter(doc_type="thread", object_id=consultation.pk).exists()
    down(False)
    assert found(backend, "geomembrane", hubs=[see]) == []
    call_command("search_index", "--process-outbox", stdout=io.StringIO())
    backend.refresh()
    assert found(backend, "geomembrane", hubs=[see]) == [("thread", "Landfill gas capture")]


def test_threads_and_practices_share_the_theme_facet(backend, committed, see, member):
    with committed():
        GoodPracticeFactory(title="Compost in Rustavi", themes=("municipal_services",))
        thread_services.thread_create(
            hub=see,
            author=member,
            title="Compost for parks",
            question="Who composts park leaves?",
            theme="municipal_services",
        )
    results = backend.search(SearchRequest(query="compost", accessible_hub_ids=frozenset({see.pk})))
    assert [(c.value, c.count) for c in results.facets["theme"]] == [("municipal_services", 2)]
    filtered = backend.search(
        SearchRequest(
            query="compost", theme="municipal_services", accessible_hub_ids=frozenset({see.pk})
        )
    )
    assert filtered.total == 2


def test_a_long_thread_keeps_its_question_and_newest_messages_in_the_index(
    backend, committed, consultation, see, member, monkeypatch, settings
):
    """Past the body budget the oldest replies give way, never the newest (which are what
    people search for while a consultation is going on) nor the question."""
    from search import builders

    monkeypatch.setattr(builders, "MAX_BODY_CHARS", 400)
    settings.THREADS_POST_RATE_LIMIT = 100
    with committed():
        thread_services.message_post(thread=consultation, author=member, body="oldest compost")
        for n in range(12):
            thread_services.message_post(
                thread=consultation, author=member, body=f"Reply {n} " + "filler words " * 5
            )
        thread_services.message_post(thread=consultation, author=member, body="newest vermiculture")
    doc = builders.ThreadSource().build(consultation.pk)
    assert len(doc.body) <= 400
    assert found(backend, "vermiculture", hubs=[see]) == [("thread", "Landfill gas capture")]
    assert found(backend, "methane", hubs=[see]) == [("thread", "Landfill gas capture")]
    assert found(backend, "compost", hubs=[see]) == []
