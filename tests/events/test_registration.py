"""Registration: accepted at once or reviewed, the waitlist in order, cancelling, the
organisers' decisions, and every refusal storing nothing."""

from datetime import timedelta

import pytest
from django.utils import timezone

from core.exceptions import ActionError, NotFound
from events import services
from events.models import EventLogEntry, Registration
from tests.factories import UserFactory

from .conftest import committed, make_event, register

pytestmark = pytest.mark.django_db
State = Registration.State


def states(event):
    return {r.user.name: r.state for r in event.registrations.select_related("user")}


def test_places_are_given_in_order_then_the_waitlist(event, member, member2, people, outbox):
    first = register(event, member)
    second = register(event, member2)
    third = register(event, people[0])
    assert (first.state, second.state, third.state) == (
        State.ACCEPTED,
        State.ACCEPTED,
        State.WAITLISTED,
    )
    assert [m.to for m in outbox] == [[member.email], [member2.email], [people[0].email]]
    assert "waiting list" in outbox[2].body
    assert first.motivation == "Our city works with 300 waste pickers."


def test_cancelling_moves_the_first_on_the_waitlist_up_with_a_mail(
    event, member, member2, people, outbox
):
    register(event, member)
    register(event, member2)
    register(event, people[0])
    register(event, people[1])
    outbox.clear()

    with committed():
        services.registration_cancel(event=event, user=member)

    assert states(event)[member.name] == State.CANCELLED
    assert states(event)[people[0].name] == State.ACCEPTED
    assert states(event)[people[1].name] == State.WAITLISTED
    assert [m.to for m in outbox] == [[people[0].email]]
    assert "moved up" in outbox[0].body
    assert event.meeting_link in outbox[0].body  # accepted now: the link comes with it


def test_a_reviewed_event_waits_for_the_organisers(
    hub, coordinator, member, member2, people, outbox
):
    event = make_event(hub, coordinator, review_registrations=True, capacity=1)
    pending = register(event, member)
    waiting = register(event, member2)
    assert (pending.state, waiting.state) == (State.PENDING, State.WAITLISTED)
    assert event.meeting_link not in outbox[0].body

    with committed():
        services.registration_decline(
            registration=pending, acting_user=coordinator, reason="Full of Berliners"
        )
    assert states(event) == {member.name: State.DECLINED, member2.name: State.PENDING}
    with committed():
        services.registration_accept(registration=waiting, acting_user=coordinator)
    assert states(event)[member2.name] == State.ACCEPTED
    actions = list(EventLogEntry.objects.filter(event=event).values_list("action", flat=True))
    assert actions[:2] == ["accepted", "refused"]
    decline_mail = next(
        m for m in outbox if m.to == [member.email] and "Full of Berliners" in m.body
    )
    assert event.meeting_link not in decline_mail.body


def test_declining_needs_a_reason(hub, coordinator, member):
    event = make_event(hub, coordinator, review_registrations=True)
    registration = register(event, member)
    with pytest.raises(ActionError):
        services.registration_decline(
            registration=registration, acting_user=coordinator, reason=" "
        )
    registration.refresh_from_db()
    assert registration.state == State.PENDING


def test_only_organisers_decide(event, member, member2, other_coordinator):
    registration = register(event, member)
    for person in (member2, other_coordinator):
        with pytest.raises(ActionError) as error:
            services.registration_decline(
                registration=registration, acting_user=person, reason="no"
            )
        assert error.value.code == "forbidden"
    registration.refresh_from_db()
    assert registration.state == State.ACCEPTED


def test_registering_again_after_cancelling_goes_to_the_end_of_the_queue(
    event, member, member2, people
):
    register(event, member)
    with committed():
        services.registration_cancel(event=event, user=member)
    register(event, member2)
    register(event, people[0])
    again = register(event, member)
    assert again.state == State.WAITLISTED
    assert Registration.objects.filter(event=event, user=member).count() == 1


@pytest.mark.parametrize(
    ("case", "message"),
    [
        ("twice", "already registered"),
        ("deadline", "deadline"),
        ("not_open", "not opened"),
        ("cancelled", "cancelled"),
        ("no_answer", "question"),
        ("other_hub_members_only", "members of its hubs"),
        ("declined", "declined"),
    ],
)
def test_refusals_store_nothing(case, message, hub, coordinator, member, outsider, outbox):
    person = member
    now = timezone.now()
    overrides = {}
    if case == "deadline":
        overrides["registration_deadline"] = now - timedelta(hours=1)
    if case == "not_open":
        overrides["registration_opens"] = now + timedelta(days=2)
    if case == "other_hub_members_only":
        overrides["members_only"] = True
        person = outsider
    event = make_event(hub, coordinator, review_registrations=case == "declined", **overrides)
    if case == "twice":
        register(event, member)
    if case == "cancelled":
        services.event_cancel(event=event, acting_user=coordinator, reason="The host fell ill.")
    if case == "declined":
        services.registration_decline(
            registration=register(event, member), acting_user=coordinator, reason="Not this time"
        )
    before = sorted(Registration.objects.values_list("pk", "state", "queued_at"))
    outbox.clear()

    with pytest.raises(ActionError) as error:
        register(event, person, motivation="" if case == "no_answer" else "Solid waste")

    assert message in str(error.value.message)
    assert sorted(Registration.objects.values_list("pk", "state", "queued_at")) == before
    assert outbox == []


def test_a_proposal_cannot_be_registered_for(hub, member, member2):
    from .conftest import event_data

    proposal = services.event_propose(user=member, hub=hub, data=event_data())
    with pytest.raises(NotFound):
        register(proposal, member2)
    assert not Registration.objects.exists()


def test_anonymous_cannot_register(event):
    from django.contrib.auth.models import AnonymousUser

    with pytest.raises(ActionError):
        register(event, AnonymousUser())


@pytest.mark.postgres
def test_the_event_row_is_locked_while_places_are_counted(event, member):
    """What the two-thread race in test_concurrency.py relies on."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        register(event, member)
    locks = [q["sql"] for q in queries.captured_queries if "FOR UPDATE" in q["sql"]]
    assert locks and '"events_event"' in locks[0]


def test_attendance_once_started(hub, coordinator, member):
    event = make_event(hub, coordinator)
    registration = register(event, member)
    with pytest.raises(ActionError):
        services.registration_mark_attendance(
            registration=registration, acting_user=coordinator, attended=True
        )
    services.registration_mark_attendance(
        registration=registration,
        acting_user=coordinator,
        attended=True,
        now=event.starts_at + timedelta(minutes=5),
    )
    registration.refresh_from_db()
    assert registration.attended is True


def test_capacity_rising_lets_the_waitlist_in(event, member, member2, people, coordinator):
    from .conftest import event_data

    register(event, member)
    register(event, member2)
    register(event, people[0])
    with committed():
        services.event_update(
            event=event,
            acting_user=coordinator,
            data={
                **event_data(),
                "capacity": 3,
                "starts_at": event.starts_at,
                "ends_at": event.ends_at,
            },
        )
    assert states(event)[people[0].name] == State.ACCEPTED


def test_someone_without_consent_is_still_a_user_the_service_checks(event):
    person = UserFactory(is_active=False)
    with pytest.raises(ActionError):
        register(event, person)


def test_mails_give_times_in_the_recipients_profile_zone(event, member, member2, outbox):
    """The confirmation shows the time in the recipient's zone (their profile's, else their
    country's), with the event's own beside it."""
    from zoneinfo import ZoneInfo

    from tests.factories import ProfileFactory

    ProfileFactory(user=member, country="DE", time_zone="Asia/Tokyo")
    ProfileFactory(user=member2, country="KE")
    register(event, member)
    register(event, member2)
    tokyo = event.starts_at.astimezone(ZoneInfo("Asia/Tokyo"))
    nairobi = event.starts_at.astimezone(ZoneInfo("Africa/Nairobi"))
    first, second = outbox
    assert f"{tokyo:%Y-%m-%d %H:%M}" in first.body and "(Asia/Tokyo)" in first.body
    assert "(Europe/Berlin)" in first.body  # the event's own zone beside it
    assert f"{nairobi:%Y-%m-%d %H:%M}" in second.body and "(Africa/Nairobi)" in second.body
