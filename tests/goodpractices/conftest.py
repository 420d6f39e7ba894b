import pytest
from django.contrib.auth.models import Group

from hubs import services as hub_services
from hubs.models import Hub
from tests.factories import GoodPracticeFactory, UserFactory


@pytest.fixture
def hubs(db):
    return {hub.slug: hub for hub in Hub.objects.all()}


@pytest.fixture
def coordinators(hubs):
    """One coordinator for each hub, keyed by the hub's slug."""
    people = {}
    for slug, hub in hubs.items():
        person = UserFactory(name=f"{slug.upper()} Coordinator")
        hub_services.coordinator_assign(hub=hub, user=person)
        people[slug] = person
    return people


@pytest.fixture
def editor(db):
    person = UserFactory(name="Eda Editor")
    person.groups.add(Group.objects.get(name="Editors"))
    return person


@pytest.fixture
def member(hubs):
    person = UserFactory(name="Mo Member")
    hub_services.membership_request(hub=hubs["see"], user=person)  # SEE admits at once
    return person


@pytest.fixture
def practice_factory(db):
    return GoodPracticeFactory
