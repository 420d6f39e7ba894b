"""Fixtures for the event tests: events made through the real services, in the hub of the
shared fixtures (`hub`, `coordinator`, `member`, `member2`, `outsider` of `other_hub`)."""

from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.test import TestCase
from django.utils import timezone

from events import services
from events.models import Event
from hubs import services as hub_services
from tests.factories import UserFactory

BERLIN = ZoneInfo("Europe/Berlin")


def event_data(**overrides) -> dict:
    """What the event form hands the services: a virtual exchange two weeks ahead."""
    start = (
        (timezone.now() + timedelta(days=14))
        .astimezone(BERLIN)
        .replace(hour=10, minute=0, second=0, microsecond=0)
    )
    data = {
        "title": "Virtual exchange on the informal waste sector",
        "kind": Event.Kind.VIRTUAL_EXCHANGE,
        "description": "Mitrovica asks Belo Horizonte and Quito how they work with waste pickers.",
        "theme": "municipal_services",
        "starts_at": start,
        "ends_at": start + timedelta(hours=2),
        "time_zone": "Europe/Berlin",
        "online": True,
        "meeting_link": "https://meet.example.org/waste-exchange",
        "language": "en",
        "capacity": 2,
        "motivation_question": "What do you bring to the exchange?",
        "review_registrations": False,
        "members_only": False,
    }
    data.update(overrides)
    return data


def committed():
    """Run the on-commit callbacks (mail, indexing) of what the block does, as a request's
    commit would; pytest-django's transaction never commits."""
    return TestCase.captureOnCommitCallbacks(execute=True)


def make_event(hub, coordinator, **overrides) -> Event:
    with committed():
        return services.event_create(acting_user=coordinator, hub=hub, data=event_data(**overrides))


def register(event, person, motivation="Our city works with 300 waste pickers."):
    with committed():
        return services.registration_create(event=event, user=person, motivation=motivation)


@pytest.fixture
def editor(db):
    person = UserFactory(name="Eda Editor")
    person.groups.add(Group.objects.get_or_create(name="Editors")[0])
    return person


@pytest.fixture
def other_coordinator(other_hub):
    person = UserFactory(name="Otto Other")
    hub_services.coordinator_assign(hub=other_hub, user=person)
    return person


@pytest.fixture
def event(hub, coordinator):
    return make_event(hub, coordinator)


@pytest.fixture
def people(hub):
    """Four more active members of `hub`."""
    result = []
    for number in range(4):
        person = UserFactory(name=f"Participant {number}")
        hub_services.membership_request(hub=hub, user=person)
        result.append(person)
    return result


@pytest.fixture
def outbox():
    mail.outbox.clear()
    return mail.outbox
