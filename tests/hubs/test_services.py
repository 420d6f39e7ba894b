"""Membership services: state changes, guardian permissions in step, the log written."""

from datetime import timedelta

import pytest
from django.utils import timezone
from guardian.shortcuts import get_perms

from core.exceptions import ActionError
from hubs import services
from hubs.models import Hub, Membership, ModerationLogEntry
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def ssa():
    return Hub.objects.get(slug="ssa")  # by approval


@pytest.fixture
def see():
    return Hub.objects.get(slug="see")  # open


@pytest.fixture
def coordinator(ssa):
    person = UserFactory()
    services.coordinator_assign(hub=ssa, user=person)
    return person


def assert_permissions_match(membership):
    membership.refresh_from_db()
    assert set(get_perms(membership.user, membership.hub)) == services.permissions_for(membership)


def test_open_hub_admits_at_once(see):
    person = UserFactory()
    membership = services.membership_request(hub=see, user=person, message="Hello")
    assert membership.state == Membership.State.ACTIVE
    assert set(get_perms(person, see)) == {"access_hub", "participate_hub"}
    assert ModerationLogEntry.objects.filter(hub=see, action="joined", subject=person).exists()


def test_request_approve_suspend_reinstate_leave(ssa, coordinator):
    person = UserFactory()
    membership = services.membership_request(hub=ssa, user=person, message="Water utility")
    assert membership.state == Membership.State.REQUESTED
    assert_permissions_match(membership)
    assert get_perms(person, ssa) == []

    services.membership_approve(membership=membership, acting_user=coordinator)
    assert_permissions_match(membership)
    assert set(get_perms(person, ssa)) == {"access_hub", "participate_hub"}

    services.membership_suspend(membership=membership, acting_user=coordinator, reason="Spam")
    assert_permissions_match(membership)
    assert get_perms(person, ssa) == []

    services.membership_reinstate(membership=membership, acting_user=coordinator)
    assert_permissions_match(membership)

    services.membership_leave(hub=ssa, user=person)
    assert_permissions_match(membership)
    assert get_perms(person, ssa) == []
    actions = list(
        ModerationLogEntry.objects.filter(subject=person)
        .order_by("pk")
        .values_list("action", flat=True)
    )
    assert actions == ["join_requested", "approved", "suspended", "reinstated", "left"]


def test_coordinator_of_another_hub_cannot_approve(ssa):
    mena_coordinator = UserFactory()
    services.coordinator_assign(hub=Hub.objects.get(slug="mena"), user=mena_coordinator)
    membership = services.membership_request(hub=ssa, user=UserFactory())
    with pytest.raises(ActionError) as error:
        services.membership_approve(membership=membership, acting_user=mena_coordinator)
    assert error.value.code == "forbidden"
    membership.refresh_from_db()
    assert membership.state == Membership.State.REQUESTED
    assert not ModerationLogEntry.objects.filter(action="approved").exists()


def test_invalid_transitions_change_nothing(ssa, coordinator):
    person = UserFactory()
    membership = services.membership_request(hub=ssa, user=person)
    with pytest.raises(ActionError):
        services.membership_request(hub=ssa, user=person)
    services.membership_approve(membership=membership, acting_user=coordinator)
    with pytest.raises(ActionError):
        services.membership_approve(membership=membership, acting_user=coordinator)
    with pytest.raises(ActionError):
        services.membership_leave(hub=Hub.objects.get(slug="mena"), user=person)
    assert_permissions_match(membership)


def test_coordinator_role_grants_and_loses_moderation(ssa):
    person = UserFactory()
    membership = services.coordinator_assign(hub=ssa, user=person)
    assert "moderate_hub" in get_perms(person, ssa)
    services.coordinator_remove(hub=ssa, user=person)
    assert_permissions_match(membership)
    assert "moderate_hub" not in get_perms(person, ssa)
    assert "access_hub" in get_perms(person, ssa)


def test_asking_again_soon_after_withdrawing_or_a_no_is_refused(
    ssa, coordinator, django_capture_on_commit_callbacks, mailoutbox
):
    person = UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        services.membership_request(hub=ssa, user=person, message="Water")
    services.membership_leave(hub=ssa, user=person)  # withdrawn
    with pytest.raises(ActionError) as error:
        services.membership_request(hub=ssa, user=person, message="Water again")
    assert error.value.code == "rate_limited"
    assert "Please wait 24 hours" in str(error.value)
    assert len(mailoutbox) == 1  # the coordinators were asked once
    membership = Membership.objects.get(user=person, hub=ssa)
    assert membership.state == Membership.State.LEFT

    # A day later the person may ask again; after a "no", the wait starts again.
    Membership.objects.filter(pk=membership.pk).update(
        requested_at=membership.requested_at - timedelta(hours=24)
    )
    membership = services.membership_request(hub=ssa, user=person, message="Water again")
    assert membership.state == Membership.State.REQUESTED
    services.membership_reject(membership=membership, acting_user=coordinator, reason="Not yet")
    Membership.objects.filter(pk=membership.pk).update(
        requested_at=membership.requested_at - timedelta(hours=48),
        decided_at=timezone.now() - timedelta(hours=23, minutes=30),
    )
    with pytest.raises(ActionError, match="Please wait 1 hour before"):
        services.membership_request(hub=ssa, user=person)


def test_open_hubs_have_no_wait(see):
    person = UserFactory()
    services.membership_request(hub=see, user=person)
    services.membership_leave(hub=see, user=person)
    assert services.membership_request(hub=see, user=person).state == Membership.State.ACTIVE
