"""The demo seeds the newsletter's learning processes and events (2020, documented, with
participants) and a few upcoming ones with registrations, once."""

import pytest
from django.utils import timezone

from events.models import Event, LearningProcess, Registration
from network.demo import seed_all

pytestmark = pytest.mark.django_db


def test_seed_is_idempotent_and_fills_the_calendar(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        seed_all(lambda email, role: None)
    counts = (LearningProcess.objects.count(), Event.objects.count(), Registration.objects.count())
    seed_all(lambda email, role: None)
    assert (
        LearningProcess.objects.count(),
        Event.objects.count(),
        Registration.objects.count(),
    ) == counts
    assert counts[0] == 3
    now = timezone.now()
    past = Event.objects.filter(starts_at__year=2020)
    assert past.count() == 7 and all(e.documented_at for e in past)
    mitrovica = LearningProcess.objects.get(slug="informal-waste-sector-mitrovica")
    assert mitrovica.events.filter(kind="virtual_exchange", starts_at__year=2020).count() == 3
    upcoming = Event.objects.filter(starts_at__gt=now)
    assert upcoming.count() == 4
    states = set(Registration.objects.filter(event__in=upcoming).values_list("state", flat=True))
    assert {"accepted", "pending", "waitlisted"} <= states
    page = client.get("/events/").content.decode()
    assert "Virtual exchange: informal waste collectors, one year on" in page
    assert "SSA hub meeting" not in page  # members only
    process = client.get("/learning-processes/informal-waste-sector-mitrovica/").content.decode()
    assert "part 3" in process and "A road map" in process
