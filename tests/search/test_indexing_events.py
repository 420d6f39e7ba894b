"""Indexing of events through the real event services and `events.signals.event_changed`,
against every backend: a published event is found with its hub and theme facets, a
members-only one by its hub's members only, a proposal not until approved, a cancelled one no
longer."""

import pytest

from events import services
from hubs import services as hub_services
from hubs.models import Hub
from search.types import SearchRequest
from tests.events.conftest import event_data
from tests.factories import UserFactory

from .test_indexing_practices import found


@pytest.fixture
def see():
    return Hub.objects.get(slug="see")


@pytest.fixture
def coordinator(see):
    user = UserFactory()
    hub_services.coordinator_assign(hub=see, user=user)
    return user


def create(see, coordinator, committed, **overrides):
    with committed():
        return services.event_create(acting_user=coordinator, hub=see, data=event_data(**overrides))


def test_an_event_is_found_with_its_facets(backend, see, coordinator, committed):
    event = create(see, coordinator, committed, title="Waste pickers exchange")
    assert found(backend, "waste pickers") == [("event", "Waste pickers exchange")]
    results = backend.search(SearchRequest(query="pickers", type="event"))
    (hit,) = results.hits
    assert hit.url == f"/events/{event.pk}/" and hit.hub == "see"
    assert hit.themes == ("municipal_services",)
    assert {c.value for c in results.facets["hub"]} == {"see"}
    assert found(backend, "pickers", theme="good_urban_governance") == []


def test_a_members_only_event_is_found_by_its_hubs_members_only(
    backend, see, coordinator, committed
):
    create(see, coordinator, committed, title="Coordinators round", members_only=True)
    assert found(backend, "coordinators round") == []
    assert found(backend, "coordinators round", hubs=[Hub.objects.get(slug="ssa")]) == []
    assert found(backend, "coordinators round", hubs=[see]) == [("event", "Coordinators round")]


def test_a_proposal_is_found_once_approved_and_a_cancelled_event_no_more(
    backend, see, coordinator, committed
):
    member = UserFactory()
    hub_services.membership_request(hub=see, user=member)
    with committed():
        proposal = services.event_propose(
            user=member, hub=see, data=event_data(title="Gardening walk")
        )
    assert found(backend, "gardening") == []
    with committed():
        services.event_approve(event=proposal, acting_user=coordinator)
    assert found(backend, "gardening") == [("event", "Gardening walk")]
    with committed():
        services.event_cancel(event=proposal, acting_user=coordinator, reason="Rain")
    assert found(backend, "gardening") == []
