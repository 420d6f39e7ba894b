"""Members propose events; the hub's coordinators approve or decline, logged and mailed; an
approved proposer organises the event. Creation and changes refuse bad input."""

from datetime import timedelta

import pytest

from core.exceptions import ActionError
from events import selectors, services
from events.forms import EventForm
from events.models import Event, EventLogEntry

from .conftest import committed, event_data

pytestmark = pytest.mark.django_db
Status = Event.Status


def propose(hub, person, **overrides):
    with committed():
        return services.event_propose(user=person, hub=hub, data=event_data(**overrides))


def test_a_proposal_goes_to_the_hubs_coordinators(
    hub, coordinator, member, other_coordinator, outbox
):
    event = propose(hub, member)
    assert event.status == Status.PROPOSED and event.proposed_by == member
    assert [m.to for m in outbox] == [[coordinator.email]]
    assert "/events/proposals/" in outbox[0].body
    assert list(selectors.proposals_for(user=coordinator)) == [event]
    assert list(selectors.proposals_for(user=other_coordinator)) == []
    assert not selectors.events_visible_to(member).filter(pk=event.pk).exists()  # not listed


def test_approval_publishes_and_makes_the_proposer_an_organiser(hub, coordinator, member, outbox):
    event = propose(hub, member)
    assert not selectors.user_organises(user=member, event=event)
    outbox.clear()
    with committed():
        services.event_approve(event=event, acting_user=coordinator)
    event.refresh_from_db()
    assert event.status == Status.PUBLISHED
    assert selectors.user_organises(user=member, event=event)
    assert [m.to for m in outbox] == [[member.email]]
    assert list(EventLogEntry.objects.filter(event=event).values_list("action", "actor")) == [
        ("approved", coordinator.pk),
        ("proposed", member.pk),
    ]


def test_declining_needs_a_reason_and_is_logged(hub, coordinator, member, outbox):
    event = propose(hub, member)
    with pytest.raises(ActionError):
        services.event_decline(event=event, acting_user=coordinator, reason="")
    with committed():
        services.event_decline(
            event=event, acting_user=coordinator, reason="Please merge with the SEE workshop"
        )
    event.refresh_from_db()
    assert event.status == Status.DECLINED
    assert "merge with the SEE workshop" in outbox[-1].body
    assert EventLogEntry.objects.filter(
        event=event, action="declined", reason__contains="SEE"
    ).exists()
    with pytest.raises(ActionError):  # decided once
        services.event_approve(event=event, acting_user=coordinator)


@pytest.mark.parametrize("who", ["member2", "other_coordinator", "outsider"])
def test_only_the_hubs_coordinators_decide(who, request, hub, member):
    event = propose(hub, member)
    person = request.getfixturevalue(who)
    with pytest.raises(ActionError) as error:
        services.event_approve(event=event, acting_user=person)
    assert error.value.code == "forbidden"
    event.refresh_from_db()
    assert event.status == Status.PROPOSED


def test_editors_decide_and_organise_everything(hub, member, editor):
    event = propose(hub, member)
    with committed():
        services.event_approve(event=event, acting_user=editor)
    assert selectors.user_organises(user=editor, event=event)


def test_only_members_of_the_hub_propose(hub, outsider, user):
    for person in (outsider, user):
        with pytest.raises(ActionError):
            propose(hub, person)
    assert not Event.objects.exists()


def test_only_coordinators_create(hub, member, other_coordinator):
    for person in (member, other_coordinator):
        with pytest.raises(ActionError):
            services.event_create(acting_user=person, hub=hub, data=event_data())
    assert not Event.objects.exists()


def form(**overrides):
    data = event_data(**overrides)
    zone_naive = {
        name: data[name].replace(tzinfo=None).strftime("%Y-%m-%dT%H:%M")
        for name in ("starts_at", "ends_at")
    }
    values = {**{k: v for k, v in data.items() if v not in (None, False)}, **zone_naive}
    values.update({k: v for k, v in overrides.items() if k not in ("starts_at", "ends_at")})
    return EventForm(values)


def test_the_form_reads_times_in_the_events_zone():
    bound = form()
    assert bound.is_valid(), bound.errors
    assert str(bound.cleaned_data["starts_at"].tzinfo) == "Europe/Berlin"
    assert bound.cleaned_data["starts_at"].hour == 10


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"capacity": 0}, "capacity"),
        ({"time_zone": "Mars/Olympus"}, "time_zone"),
        ({"online": False, "city": "", "venue": ""}, "city"),
    ],
)
def test_the_form_refuses_bad_input(overrides, field):
    bound = form(**overrides)
    assert not bound.is_valid()
    assert field in bound.errors


def test_the_form_refuses_an_end_before_the_start():
    data = event_data()
    bound = form(starts_at=data["starts_at"], ends_at=data["starts_at"] - timedelta(hours=1))
    values = dict(bound.data)
    values["ends_at"] = (data["starts_at"] - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M")
    bound = EventForm(values)
    assert not bound.is_valid()
    assert "ends_at" in bound.errors


def test_the_service_refuses_an_end_before_the_start_too(hub, coordinator):
    data = event_data()
    with pytest.raises(ActionError):
        services.event_create(
            acting_user=coordinator,
            hub=hub,
            data={**data, "ends_at": data["starts_at"] - timedelta(minutes=1)},
        )
    with pytest.raises(ActionError):
        services.event_create(acting_user=coordinator, hub=hub, data={**data, "capacity": 0})
    assert not Event.objects.exists()


def test_documentation_after_the_event(hub, coordinator, member, thread):
    from django.utils import timezone

    start = timezone.now() - timedelta(days=2)
    with committed():
        event = services.event_create(
            acting_user=coordinator,
            hub=hub,
            data=event_data(starts_at=start, ends_at=start + timedelta(hours=3)),
        )
    with pytest.raises(ActionError):
        services.event_document(event=event, acting_user=member, summary="mine")
    with committed():
        services.event_document(
            event=event, acting_user=coordinator, summary="Six project ideas.", threads=[thread]
        )
    event.refresh_from_db()
    assert event.summary == "Six project ideas." and event.documented_at
    assert list(event.threads.all()) == [thread]


def test_documentation_waits_for_the_event(event, coordinator):
    with pytest.raises(ActionError):
        services.event_document(event=event, acting_user=coordinator, summary="Too early")
