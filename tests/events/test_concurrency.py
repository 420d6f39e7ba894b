"""Two people register for the last place at the same moment (PostgreSQL): one gets it, the
other is waitlisted; the count of places never goes over the capacity."""

import threading

import pytest
from django.db import connection

from events import services
from events.models import Event, Registration
from hubs import services as hub_services
from hubs.models import Hub
from tests.factories import UserFactory

from .conftest import event_data


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_people_for_the_last_place():
    hub = Hub.objects.get(slug="see")  # open
    coordinator = UserFactory()
    hub_services.coordinator_assign(hub=hub, user=coordinator)
    event = services.event_create(acting_user=coordinator, hub=hub, data=event_data(capacity=2))
    services.registration_create(event=event, user=UserFactory(), motivation="first")
    racers = [UserFactory(), UserFactory()]
    barrier = threading.Barrier(len(racers))
    outcomes = []

    def race(person):
        try:
            barrier.wait()
            registration = services.registration_create(
                event=Event.objects.get(pk=event.pk), user=person, motivation="the last place"
            )
            outcomes.append(registration.state)
        except Exception as error:  # noqa: BLE001 - any error is the failure we test for
            outcomes.append(repr(error))
        finally:
            connection.close()

    threads = [threading.Thread(target=race, args=(person,)) for person in racers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(outcomes) == ["accepted", "waitlisted"]
    states = list(Registration.objects.filter(event=event).values_list("state", flat=True))
    assert sorted(states) == ["accepted", "accepted", "waitlisted"]
