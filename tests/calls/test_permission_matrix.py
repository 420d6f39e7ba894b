"""Who may do what with topic calls: every role times every call action, each cell asserted.

The world: an open call and a closed one, each with the applicant's submitted proposal (the
open one with a backing letter); the reviewer reviews both calls. Editors are the Editors
group (they manage calls in the Wagtail admin and decide); staff have no call rights of their
own. Every refusal changes nothing."""

from types import SimpleNamespace

import pytest

from calls import selectors, services
from calls.models import Proposal, Review
from hubs import services as hub_services
from tests.factories import HubFactory, ProfileFactory, UserFactory

from .conftest import (
    PARTNERS,
    applicant_factory,
    close,
    complete_data,
    form_post,
    make_call,
    pdf_upload,
)

pytestmark = pytest.mark.django_db

ROLES = [
    "anonymous",
    "applicant",
    "other_member",
    "unconsented",
    "coordinator",
    "reviewer",
    "lapsed_reviewer",
    "editor",
    "staff",
]

# 200: the page is shown; ok: done, sent on (302); auth: sent to log in, nothing done;
# deny: in the Wagtail admin but without the right, sent to its dashboard; cons: sent to
# accept the policies in effect, nothing done; 400/403/404/409: refused with that status,
# nothing changed. A hub coordinator has no power over calls; a lapsed reviewer is a reviewer
# who has not accepted the policy versions in effect.
TABLE = """
role            list detail apply save mine withdraw letter review item score decide csv  xlsx admin
anonymous       200  200    auth  auth auth auth     auth   auth   auth auth  auth   auth auth auth
applicant       200  200    200   ok   200  ok       200    403    403  403   403    403  403  auth
other_member    200  200    200   ok   200  400      404    403    403  403   403    403  403  auth
unconsented     cons cons   cons  cons cons cons     cons   cons   cons cons  cons   cons cons auth
coordinator     200  200    200   ok   200  400      404    403    403  403   403    403  403  deny
reviewer        200  200    200   ok   200  400      200    200    200  ok    403    200  200  auth
lapsed_reviewer cons cons   cons  cons cons cons     cons   cons   cons cons  cons   cons cons auth
editor          200  200    200   ok   200  400      200    200    200  403   ok     200  200  200
staff           200  200    200   ok   200  400      404    403    403  403   403    403  403  auth
"""
LINES = TABLE.strip().splitlines()
ACTIONS = LINES[0].split()[1:]
MATRIX = {line.split()[0]: dict(zip(ACTIONS, line.split()[1:], strict=True)) for line in LINES[1:]}


def build_world():
    from django.contrib.auth.models import Group

    applicant = applicant_factory()
    reviewer = UserFactory(name="Rita Reviewer")
    editor = UserFactory(name="Eda Editor")
    editor.groups.add(Group.objects.get(name="Editors"))
    open_call = make_call(slug="open")
    closed_call = make_call(slug="closed")
    for call in (open_call, closed_call):
        services.call_reviewer_assign(call=call, user=reviewer)
    open_proposal = services.proposal_save(
        call=open_call,
        applicant=applicant,
        data=complete_data(),
        partners=PARTNERS,
        letter=pdf_upload(),
    )
    services.proposal_submit(proposal=open_proposal, acting_user=applicant)
    closed_proposal = services.proposal_save(
        call=closed_call, applicant=applicant, data=complete_data(), partners=PARTNERS
    )
    services.proposal_submit(proposal=closed_proposal, acting_user=applicant)
    close(closed_call)
    return SimpleNamespace(
        applicant=applicant,
        reviewer=reviewer,
        editor=editor,
        open_call=open_call,
        closed_call=closed_call,
        open_proposal=open_proposal,
        closed_proposal=closed_proposal,
    )


def person_in_role(world, role):
    return {
        "anonymous": None,
        "applicant": world.applicant,
        "other_member": applicant_factory(),
        # An applicant-to-be who has not accepted the policy versions in effect.
        "unconsented": unconsented_applicant(),
        "coordinator": coordinator_of_a_hub(),
        "lapsed_reviewer": lapsed_reviewer(world),
        "reviewer": world.reviewer,
        "editor": world.editor,
        "staff": UserFactory(is_staff=True),
    }[role]


def unconsented_applicant():
    person = UserFactory(consented=False)
    ProfileFactory(user=person, country="DE", preferred_language="de")
    return person


def coordinator_of_a_hub():
    hub = HubFactory()
    person = UserFactory()
    hub_services.coordinator_assign(hub=hub, user=person)
    return person


def lapsed_reviewer(world):
    """A reviewer of both calls who has not accepted the policy versions in effect."""
    person = UserFactory(consented=False)
    for call in (world.open_call, world.closed_call):
        services.call_reviewer_assign(call=call, user=person)
    return person


def request_for(world, action):
    """(method, url, data)."""
    o, c = world.open_call.slug, world.closed_call.slug
    item = f"/calls/{c}/review/{world.closed_proposal.pk}/"
    scores = {f"score_{req.pk}": "4" for req in selectors.requirements_of(world.closed_call)}
    body = form_post(action="save", organisation="Stadt Bonn")
    return {
        "list": ("get", "/calls/", None),
        "detail": ("get", f"/calls/{o}/", None),
        "apply": ("get", f"/calls/{o}/apply/", None),
        "save": ("post", f"/calls/{o}/apply/", body),
        "mine": ("get", f"/calls/{o}/my-proposal/", None),
        "withdraw": ("post", f"/calls/{o}/my-proposal/", {"action": "withdraw"}),
        "letter": ("get", f"/calls/{o}/proposals/{world.open_proposal.pk}/letter/", None),
        "review": ("get", f"/calls/{c}/review/", None),
        "item": ("get", item, None),
        "score": ("post", item, {"action": "review", **scores}),
        "decide": ("post", item, {"action": "decide", "decision": "accepted"}),
        "csv": ("get", f"/calls/{c}/review/export.csv", None),
        "xlsx": ("get", f"/calls/{c}/review/export.xlsx", None),
        "admin": ("get", "/admin/snippets/calls/topiccall/", None),
    }[action]


def snapshot():
    return (
        sorted(
            Proposal.objects.values_list("pk", "applicant", "status", "decision", "organisation")
        ),
        sorted(Review.objects.values_list("proposal", "reviewer", "submitted_at")),
    )


def done(world, person, action):
    """Whether the accepted ACTION left its mark."""
    if action == "save":
        return Proposal.objects.filter(
            call=world.open_call, applicant=person, organisation="Stadt Bonn"
        ).exists()
    if action == "withdraw":
        world.open_proposal.refresh_from_db()
        return world.open_proposal.status == Proposal.Status.WITHDRAWN
    if action == "score":
        return Review.objects.filter(proposal=world.closed_proposal, reviewer=person).exists()
    if action == "decide":
        world.closed_proposal.refresh_from_db()
        return world.closed_proposal.decision == "accepted"
    raise AssertionError(action)


@pytest.mark.parametrize(
    ("role", "action"),
    [pytest.param(role, action, id=f"{role}-{action}") for role in ROLES for action in ACTIONS],
)
def test_cell(client, role, action):
    world = build_world()
    person = person_in_role(world, role)
    if person is not None:
        client.force_login(person)
    expected = MATRIX[role][action]
    method, url, data = request_for(world, action)
    before = snapshot()
    response = getattr(client, method)(url, data or {})
    if expected == "auth":
        assert response.status_code == 302
        assert "login" in response["Location"]
        assert snapshot() == before
    elif expected == "deny":
        assert response.status_code == 302
        assert response["Location"] == "/admin/"
    elif expected == "cons":
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/consent/?next=")
        assert snapshot() == before
    elif expected == "ok":
        assert response.status_code == 302, response.content.decode()[:500]
        assert done(world, person, action)
    else:
        assert response.status_code == int(expected)
        if method == "post":
            assert snapshot() == before
