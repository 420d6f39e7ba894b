"""Who may do what with an event: every role times every event action, each cell asserted.

The event is in `hub` (organisers review registrations, so there is a pending one to decide);
a members-only event of the same hub, and a member's proposal there. Refusals change nothing.
"""

import pytest

from events import services
from events.models import Event, EventLogEntry, Registration
from hubs import services as hub_services
from tests.factories import UserFactory

from .conftest import committed, event_data, make_event, register

pytestmark = pytest.mark.django_db

ROLES = [
    "anonymous",
    "member",
    "participant",
    "unconsented",
    "other_member",
    "coordinator",
    "unconsented_coordinator",
    "other_coordinator",
    "editor",
    "staff",
]
TABLE = """
role                    page priv reg  canc list csv  acc  decl edit new  prop appr drop
anonymous               200  404  in   in   in   in   in   in   in   in   in   in   in
member                  200  200  ok   400  403  403  403  403  403  403  200  404  403
participant             200  200  400  ok   200  403  403  403  403  403  200  404  403
unconsented             cons cons cons cons cons cons cons cons cons cons cons cons cons
other_member            200  404  ok   400  403  403  403  403  403  403  200  404  403
coordinator             200  200  ok   400  200  200  ok   ok   200  200  200  ok   ok
unconsented_coordinator cons cons cons cons cons cons cons cons cons cons cons cons cons
other_coordinator       200  404  ok   400  403  403  403  403  403  403  200  404  403
editor                  200  200  ok   400  200  200  ok   ok   200  200  403  ok   ok
staff                   200  404  ok   400  403  403  403  403  403  403  403  404  403
"""
HEADER = TABLE.strip().splitlines()[0].split()[1:]
# The header's short names; "in": sent to log in, nothing done; "cons": sent to accept the
# policy versions in effect, nothing done.
ACTIONS = {
    "page": "the event page",
    "priv": "the members-only event's page",
    "reg": "register",
    "canc": "cancel one's registration",
    "list": "the participant list",
    "csv": "the participant CSV",
    "acc": "accept the pending registration",
    "decl": "decline it",
    "edit": "the change form",
    "new": "the hub's creation form",
    "prop": "the proposal form",
    "appr": "approve the member's proposal",
    "drop": "cancel the event",
}
MATRIX = {row.split()[0]: row.split()[1:] for row in TABLE.strip().splitlines()[1:]}
CELLS = [
    pytest.param(role, action, MATRIX[role][column], id=f"{role}-{action}")
    for role in ROLES
    for column, action in enumerate(HEADER)
]


@pytest.fixture
def world(hub, other_hub, coordinator, other_coordinator, editor, outbox):
    event = make_event(hub, coordinator, review_registrations=True, capacity=10)
    private = make_event(hub, coordinator, title="Coordinators' round", members_only=True)
    applicant = UserFactory(name="Ada Applicant")
    pending = register(event, applicant)
    proposer = UserFactory(name="Pia Proposer")
    hub_services.membership_request(hub=hub, user=proposer)
    with committed():
        proposal = services.event_propose(user=proposer, hub=hub, data=event_data(title="Idea"))
    return {"event": event, "private": private, "pending": pending, "proposal": proposal}


def person_in_role(request, world, role, hub, other_hub):
    if role == "anonymous":
        return None
    if role in ("member", "participant"):
        person = UserFactory()
        hub_services.membership_request(hub=hub, user=person)  # an open hub
        if role == "participant":
            registration = register(world["event"], person)
            with committed():
                services.registration_accept(
                    registration=registration, acting_user=request.getfixturevalue("coordinator")
                )
        return person
    if role == "unconsented":
        # A member of the hub who has not accepted the policy versions in effect.
        person = UserFactory(consented=False)
        hub_services.membership_request(hub=hub, user=person)
        return person
    if role == "unconsented_coordinator":
        person = UserFactory(consented=False)
        hub_services.coordinator_assign(hub=hub, user=person)
        return person
    if role == "other_member":
        person = UserFactory()
        hub_services.membership_request(hub=other_hub, user=person)
        return person
    if role == "staff":
        return UserFactory(is_staff=True)
    return request.getfixturevalue(role)


def request_for(world, action, hub):
    event, pending = world["event"], world["pending"]
    base = f"/events/{event.pk}/"
    return {
        "page": ("get", base, None, None),
        "priv": ("get", f"/events/{world['private'].pk}/", None, None),
        "reg": ("post", base + "register/", {"motivation": "Waste in Durban"}, base),
        "canc": ("post", base + "cancel/", {}, base),
        "list": ("get", base + "participants/", None, None),
        "csv": ("get", base + "participants.csv", None, None),
        "acc": ("post", f"{base}registrations/{pending.pk}/accept/", {}, base + "participants/"),
        "decl": (
            "post",
            f"{base}registrations/{pending.pk}/decline/",
            {"reason": "Full"},
            base + "participants/",
        ),
        "edit": ("get", base + "edit/", None, None),
        "new": ("get", f"/hubs/{hub.slug}/events/new/", None, None),
        "prop": ("get", "/events/propose/", None, None),
        "appr": ("post", f"/events/{world['proposal'].pk}/approve/", {}, "/events/proposals/"),
        "drop": ("post", base + "cancel-event/", {"reason": "Floods"}, base),
    }[action]


def snapshot():
    return (
        sorted(Registration.objects.values_list("pk", "user_id", "state")),
        sorted(Event.objects.values_list("pk", "status", "sequence")),
        EventLogEntry.objects.count(),
    )


def assert_done(world, action, person):
    event, pending = world["event"], world["pending"]
    pending.refresh_from_db()
    check = {
        "reg": lambda: Registration.objects.get(event=event, user=person).state == "pending",
        "canc": lambda: Registration.objects.get(event=event, user=person).state == "cancelled",
        "acc": lambda: pending.state == "accepted",
        "decl": lambda: pending.state == "declined",
        "appr": lambda: Event.objects.get(pk=world["proposal"].pk).status == "published",
        "drop": lambda: Event.objects.get(pk=event.pk).status == "cancelled",
    }[action]
    assert check()


@pytest.mark.parametrize(("role", "action", "outcome"), CELLS)
def test_event_permission_matrix(request, client, world, hub, other_hub, role, action, outcome):
    person = person_in_role(request, world, role, hub, other_hub)
    if person is not None:
        client.force_login(person)
    method, url, data, done_url = request_for(world, action, hub)
    before = snapshot()

    with committed():
        response = client.post(url, data) if method == "post" else client.get(url)

    if outcome == "in":
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/?next=")
        assert snapshot() == before
    elif outcome == "cons":
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/consent/?next=")
        assert snapshot() == before
    elif outcome == "ok":
        assert response.status_code == 302, response.content.decode()[:1500]
        assert response["Location"] == done_url
        assert_done(world, action, person)
    else:
        assert response.status_code == int(outcome), response.content.decode()[:1500]
        assert snapshot() == before


def test_the_matrix_covers_every_role_and_action():
    assert set(MATRIX) == set(ROLES)
    assert all(len(row) == len(HEADER) for row in MATRIX.values())
    assert list(ACTIONS) == HEADER
