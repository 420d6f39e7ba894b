"""Who may do what in a hub: every role times every action, each cell asserted.

The hub is SSA (joining by approval). Staff (is_staff, and superusers) get read-only
oversight: they see the members, the dashboard and the log, but decisions are made by the
hub's coordinators only (docs/hubs.md). Every refusal changes nothing; after every cell the
guardian permissions equal the membership states.
"""

import pytest
from django.contrib.auth.models import Group

from hubs import services
from hubs.models import Membership
from tests.factories import UserFactory

from .conftest import assert_permissions_in_step, make_member, snapshot

pytestmark = pytest.mark.django_db

ROLES = [
    "anonymous",
    "registered",
    "unconsented",
    "requested",
    "member",
    "suspended",
    "other_member",
    "coordinator",
    "other_coordinator",
    "editor",
    "staff",
    "superuser",
]

ACTIONS = [
    "view_page",
    "see_threads",
    "view_members",
    "dashboard",
    "read_log",
    "join",
    "leave",
    "approve",
    "reject",
    "suspend",
    "reinstate",
]

# One row per role, one column per action, in the order of ACTIONS (the header names them).
#   200: the page is shown; yes/no: the members-only consultations are on the hub page;
#   ok: the action is done and the visitor is sent back; login: sent to log in, nothing done;
#   400/403: refused with that status, nothing changed; cons: sent to accept the policies
#   in effect first (a member of the hub who has not accepted them), nothing done.
TABLE = """
role               page threads members dash  log   join  leave approve reject suspend reinstate
anonymous          200  no      login   login login login login login   login  login   login
registered         200  no      403     403   403   ok    400   403     403    403     403
unconsented        cons cons    cons    cons  cons  cons  cons  cons    cons   cons    cons
requested          200  no      403     403   403   400   ok    403     403    403     403
member             200  yes     200     403   403   400   ok    403     403    403     403
suspended          200  no      403     403   403   403   403   403     403    403     403
other_member       200  no      403     403   403   ok    400   403     403    403     403
coordinator        200  yes     200     200   200   400   ok    ok      ok     ok      ok
other_coordinator  200  no      403     403   403   ok    400   403     403    403     403
editor             200  no      403     403   403   ok    400   403     403    403     403
staff              200  no      200     200   200   ok    400   403     403    403     403
superuser          200  no      200     200   200   ok    400   403     403    403     403
"""
MATRIX = {row.split()[0]: row.split()[1:] for row in TABLE.strip().splitlines()[1:]}

CELLS = [
    pytest.param(role, action, MATRIX[role][column], id=f"{role}-{action}")
    for role in ROLES
    for column, action in enumerate(ACTIONS)
]


def person_in_role(world, role):
    ssa, mena = world.ssa, world.mena
    if role == "anonymous":
        return None
    if role == "registered":
        return UserFactory()
    if role == "unconsented":
        # An active member of the hub who has not accepted the policy versions in effect.
        return make_member(ssa, coordinator=world.ssa_coordinator, consented=False)
    if role == "requested":
        person = UserFactory()
        services.membership_request(hub=ssa, user=person)
        return person
    if role == "member":
        return make_member(ssa, coordinator=world.ssa_coordinator)
    if role == "suspended":
        person = make_member(ssa, coordinator=world.ssa_coordinator)
        services.membership_suspend(
            membership=Membership.objects.get(hub=ssa, user=person),
            acting_user=world.ssa_coordinator,
            reason="Off-topic advertising",
        )
        return person
    if role == "other_member":
        return make_member(mena, coordinator=world.mena_coordinator)
    if role == "coordinator":
        return world.ssa_coordinator
    if role == "other_coordinator":
        return world.mena_coordinator
    if role == "editor":
        # Publishes good practices in the Wagtail admin; no power in any hub.
        person = UserFactory()
        person.groups.add(Group.objects.get(name="Editors"))
        return person
    if role == "staff":
        return UserFactory(is_staff=True)
    if role == "superuser":
        return UserFactory(is_staff=True, is_superuser=True)
    raise AssertionError(role)


def request_for(world, action):
    """(method, url, data, where an accepted action sends the visitor)."""
    hub_url = "/hubs/ssa/"
    moderation = "/hubs/ssa/moderation/"
    return {
        "view_page": ("get", hub_url, None, None),
        "see_threads": ("get", hub_url, None, None),
        "view_members": ("get", "/hubs/ssa/members/", None, None),
        "dashboard": ("get", moderation, None, None),
        "read_log": ("get", moderation + "log/", None, None),
        "join": ("post", hub_url + "join/", {"message": "Solid waste, Durban"}, hub_url),
        "leave": ("post", hub_url + "leave/", {}, hub_url),
        "approve": (
            "post",
            f"{moderation}requests/{world.target_applicant.pk}/approve/",
            {"reason": ""},
            moderation,
        ),
        "reject": (
            "post",
            f"{moderation}requests/{world.target_applicant.pk}/reject/",
            {"reason": "Please tell us about your municipal work."},
            moderation,
        ),
        "suspend": (
            "post",
            f"{moderation}members/{world.target_member.pk}/suspend/",
            {"reason": "Repeated spam"},
            moderation,
        ),
        "reinstate": (
            "post",
            f"{moderation}members/{world.target_suspended.pk}/reinstate/",
            {"reason": ""},
            moderation,
        ),
    }[action]


def assert_done(world, action, person):
    def state(membership=None, *, user=None):
        if membership is not None:
            membership.refresh_from_db()
            return membership.state
        return Membership.objects.get(hub=world.ssa, user=user).state

    expected = {
        "join": lambda: state(user=person) == Membership.State.REQUESTED,
        "leave": lambda: state(user=person) == Membership.State.LEFT,
        "approve": lambda: state(world.target_applicant) == Membership.State.ACTIVE,
        "reject": lambda: state(world.target_applicant) == Membership.State.REJECTED,
        "suspend": lambda: state(world.target_member) == Membership.State.SUSPENDED,
        "reinstate": lambda: state(world.target_suspended) == Membership.State.ACTIVE,
    }[action]
    assert expected()


@pytest.mark.parametrize(("role", "action", "outcome"), CELLS)
def test_permission_matrix(client, world, role, action, outcome):
    person = person_in_role(world, role)
    if person is not None:
        client.force_login(person)
    method, url, data, done_url = request_for(world, action)
    before = snapshot()

    response = getattr(client, method)(url, data) if data is not None else client.get(url)

    if outcome in ("200", "yes", "no"):
        assert response.status_code == 200
        if action == "see_threads":
            assert ('id="threads-title"' in response.content.decode()) is (outcome == "yes")
        assert snapshot() == before
    elif outcome == "cons":
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/consent/?next=")
        assert snapshot() == before
    elif outcome == "login":
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/?next=")
        assert snapshot() == before
    elif outcome == "ok":
        assert response.status_code == 302, response.content.decode()[:2000]
        assert response["Location"] == done_url
        assert_done(world, action, person)
        assert snapshot() != before
    else:
        assert response.status_code == int(outcome)
        assert snapshot() == before
    assert_permissions_in_step()


def test_the_matrix_covers_every_role_and_action():
    assert set(MATRIX) == set(ROLES)
    assert all(len(row) == len(ACTIONS) for row in MATRIX.values())


def test_the_header_of_the_table_names_the_actions():
    assert TABLE.strip().splitlines()[0].split()[1:] == [
        "page", "threads", "members", "dash", "log", "join", "leave",
        "approve", "reject", "suspend", "reinstate",
    ]  # fmt: skip
