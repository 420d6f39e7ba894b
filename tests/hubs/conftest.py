"""Fixtures for the hub tests: the three hubs of the data migration and people in every
role, all made through the real membership services."""

from dataclasses import dataclass

import pytest
from guardian.models import UserObjectPermission
from guardian.shortcuts import get_user_perms

from hubs import services
from hubs.models import Hub, Membership, ModerationLogEntry
from tests.factories import UserFactory


@pytest.fixture
def mena(db):
    return Hub.objects.get(slug="mena")  # by approval


@pytest.fixture
def see(db):
    return Hub.objects.get(slug="see")  # open


@pytest.fixture
def ssa(db):
    return Hub.objects.get(slug="ssa")  # by approval


def make_member(hub, *, coordinator=None, **user_fields):
    """A person with an active membership of HUB, admitted the way the site admits them."""
    person = UserFactory(**user_fields)
    membership = services.membership_request(hub=hub, user=person)
    if membership.state == Membership.State.REQUESTED:
        services.membership_approve(membership=membership, acting_user=coordinator)
    return person


def make_coordinator(hub, **user_fields):
    person = UserFactory(**user_fields)
    services.coordinator_assign(hub=hub, user=person)
    return person


@dataclass
class World:
    """SSA with a coordinator and people in every state; MENA with its own coordinator and
    member. The `target_*` people are what moderation actions act on."""

    ssa: Hub
    mena: Hub
    ssa_coordinator: object
    mena_coordinator: object
    target_applicant: Membership
    target_member: Membership
    target_suspended: Membership


@pytest.fixture
def world(ssa, mena):
    ssa_coordinator = make_coordinator(ssa, name="Kwame Mensah")
    mena_coordinator = make_coordinator(mena, name="Amina Benali")
    applicant = services.membership_request(
        hub=ssa, user=UserFactory(name="Thabo Nkosi"), message="Waste collection in Durban"
    )
    member = Membership.objects.get(
        hub=ssa, user=make_member(ssa, coordinator=ssa_coordinator, name="Wanjiru Kamau")
    )
    suspended = Membership.objects.get(
        hub=ssa, user=make_member(ssa, coordinator=ssa_coordinator, name="Jean-Paul Habimana")
    )
    services.membership_suspend(
        membership=suspended, acting_user=ssa_coordinator, reason="Advertising"
    )
    return World(
        ssa=ssa,
        mena=mena,
        ssa_coordinator=ssa_coordinator,
        mena_coordinator=mena_coordinator,
        target_applicant=applicant,
        target_member=member,
        target_suspended=suspended,
    )


def assert_permissions_in_step():
    """Every user's guardian permissions on every hub equal what their membership grants,
    and nobody holds a hub permission without a membership."""
    for membership in Membership.objects.select_related("user", "hub"):
        held = set(get_user_perms(membership.user, membership.hub))
        assert held == services.permissions_for(membership), membership
    memberships = set(Membership.objects.values_list("user_id", "hub_id"))
    for user_id, object_pk in UserObjectPermission.objects.values_list("user_id", "object_pk"):
        assert (user_id, int(object_pk)) in memberships


def snapshot():
    """Everything a refused action must leave as it was."""
    return (
        sorted(
            Membership.objects.values_list(
                "pk", "user_id", "hub_id", "state", "role", "decision_reason"
            )
        ),
        ModerationLogEntry.objects.count(),
        sorted(UserObjectPermission.objects.values_list("user_id", "object_pk", "permission_id")),
    )


@pytest.fixture
def client_factory():
    """Several browsers in one test: client_factory() gives a fresh Django test client."""
    from django.test import Client

    return Client
