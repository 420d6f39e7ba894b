"""Indexing of learning processes through the model signals (save, hubs changed, delete),
against every backend: a process is its own document type, keyed by type and id (so event 1
and process 1 are two documents), with the facets of all its hubs and its thematic fields,
found by whoever may open its page (everyone), a draft not at all."""

import pytest

from events import services
from events.models import LearningProcess
from hubs import services as hub_services
from hubs.models import Hub
from search.builders import SOURCES
from search.models import SearchOutbox
from search.services import index_rebuild
from search.types import EVENT, LEARNING_PROCESS, SearchRequest
from tests.events.conftest import event_data
from tests.factories import UserFactory

from .test_indexing_practices import found


@pytest.fixture
def see():
    return Hub.objects.get(slug="see")


@pytest.fixture
def mena():
    return Hub.objects.get(slug="mena")


def make_process(committed, *hubs, **fields):
    values = {
        "title": "Land management in growing cities",
        "slug": "land-management",
        "topic": "How municipalities plan land for informal settlements",
        "themes": "good_urban_governance,municipal_services",
        "host_name": "City of Trier",
        "host_country": "DE",
        "year": 2020,
        "status": LearningProcess.Status.RUNNING,
        "description": "A year of exchange between Trier and its partners.",
        "partners": [{"name": "Rustavi", "country": "GE"}],
    }
    values.update(fields)
    with committed():
        process = LearningProcess.objects.create(**values)
        process.hubs.set(hubs)
    return process


def test_a_process_is_found_with_the_facets_of_all_its_hubs(backend, committed, see, mena):
    process = make_process(committed, see, mena)
    assert found(backend, "settlements") == [("learning_process", process.title)]
    results = backend.search(SearchRequest(query="rustavi", type=LEARNING_PROCESS))
    (hit,) = results.hits
    assert hit.url == "/learning-processes/land-management/"
    assert hit.hub == min(see, mena, key=lambda hub: hub.pk).slug and hit.country == "DE"
    assert hit.themes == ("good_urban_governance", "municipal_services")
    assert {(c.value, c.count) for c in results.facets["hub"]} == {("see", 1), ("mena", 1)}
    assert {c.value for c in results.facets["theme"]} == {
        "good_urban_governance",
        "municipal_services",
    }
    # Either hub finds it, and each theme; another hub or theme does not.
    assert found(backend, "trier", hub="mena") == [("learning_process", process.title)]
    assert found(backend, "trier", hub="see") == [("learning_process", process.title)]
    assert found(backend, "trier", hub="ssa") == []
    assert found(backend, "trier", theme="municipal_services") == [
        ("learning_process", process.title)
    ]
    assert found(backend, "trier", theme="climate_change") == []
    # Public: no membership needed, anonymous readers find it.
    assert found(backend, "trier", type=LEARNING_PROCESS) == [("learning_process", process.title)]


def test_a_process_and_an_event_with_the_same_id_are_two_documents(backend, committed, see):
    coordinator = UserFactory()
    hub_services.coordinator_assign(hub=see, user=coordinator)
    with committed():
        event = services.event_create(
            acting_user=coordinator, hub=see, data=event_data(title="Quarry exchange")
        )
    process = make_process(committed, see, pk=event.pk, title="Quarry restoration", slug="q")
    assert process.pk == event.pk
    assert found(backend, "quarry") == [
        ("event", "Quarry exchange"),
        ("learning_process", "Quarry restoration"),
    ]
    assert backend.count()[EVENT] == 1 and backend.count()[LEARNING_PROCESS] == 1
    # Removing one leaves the other.
    with committed():
        process.delete()
    assert found(backend, "quarry") == [("event", "Quarry exchange")]


def test_saving_changing_hubs_and_deleting_reindex_the_process(backend, committed, see, mena):
    process = make_process(committed, see)
    with committed():
        process.title = "Land for everyone"
        process.save()
    assert found(backend, "everyone") == [("learning_process", "Land for everyone")]
    with committed():
        process.hubs.add(mena)
    assert found(backend, "everyone", hub="mena") == [("learning_process", "Land for everyone")]
    with committed():
        mena.learning_processes.remove(process)
    assert found(backend, "everyone", hub="mena") == []
    with committed():
        process.delete()
    assert found(backend, "everyone") == []
    assert SearchOutbox.objects.count() == 0


def test_a_draft_is_not_found_until_it_is_planned(backend, committed, see):
    process = make_process(committed, see, status=LearningProcess.Status.DRAFT)
    assert found(backend, "settlements") == []
    assert SOURCES[LEARNING_PROCESS].build(process.pk) is None
    with committed():
        process.status = LearningProcess.Status.PLANNED
        process.save()
    assert found(backend, "settlements") == [("learning_process", process.title)]


def test_renaming_a_process_reindexes_its_events(backend, committed, see):
    coordinator = UserFactory()
    hub_services.coordinator_assign(hub=see, user=coordinator)
    process = make_process(committed, see)
    with committed():
        services.event_create(
            acting_user=coordinator,
            hub=see,
            data=event_data(title="Opening dialogue", learning_process=process),
        )
    assert found(backend, "opening", type=EVENT) == [("event", "Opening dialogue")]
    with committed():
        process.title = "Wetlands and floodplains"
        process.save()
    assert found(backend, "floodplains", type=EVENT) == [("event", "Opening dialogue")]
    with committed():
        process.delete()
    assert found(backend, "floodplains") == []
    assert found(backend, "opening") == [("event", "Opening dialogue")]


def test_a_rebuild_indexes_every_visible_process(backend, committed, see):
    make_process(committed, see)
    make_process(committed, see, slug="draft", title="Draft", status=LearningProcess.Status.DRAFT)
    counts = index_rebuild(backend=backend)
    backend.refresh()
    assert counts[LEARNING_PROCESS] == 1
    assert found(backend, "settlements") == [
        ("learning_process", "Land management in growing cities")
    ]
