"""Staff assign coordinators in the Django admin, through the services."""

import pytest
from guardian.shortcuts import get_user_perms

from hubs import selectors
from hubs.models import Hub, Membership, ModerationLogEntry

from .conftest import assert_permissions_in_step, make_coordinator, make_member, snapshot

pytestmark = pytest.mark.django_db


def hub_form(hub, **extra):
    data = {
        "name": hub.name,
        "slug": hub.slug,
        "region": hub.region,
        "description": hub.description,
        "working_languages": hub.working_languages,
        "join_policy": hub.join_policy,
        "add_coordinator": "",
    }
    data.update(extra)
    return data


def test_add_a_coordinator_on_the_hub_form(admin_client, admin_user, user, ssa):
    url = f"/django-admin/hubs/hub/{ssa.pk}/change/"
    assert admin_client.get(url).status_code == 200
    response = admin_client.post(url, hub_form(ssa, add_coordinator=user.email))
    assert response.status_code == 302, response.content.decode()[:3000]
    assert list(selectors.hub_coordinators(hub=ssa)) == [user]
    assert "moderate_hub" in set(get_user_perms(user, ssa))
    entry = ModerationLogEntry.objects.get(action="coordinator_assigned", subject=user)
    assert entry.actor == admin_user
    assert_permissions_in_step()


def test_remove_a_coordinator_on_the_hub_form(admin_client, ssa):
    coordinator = make_coordinator(ssa)
    url = f"/django-admin/hubs/hub/{ssa.pk}/change/"
    assert coordinator.name in admin_client.get(url).content.decode()
    response = admin_client.post(url, hub_form(ssa, remove_coordinators=[coordinator.pk]))
    assert response.status_code == 302
    assert list(selectors.hub_coordinators(hub=ssa)) == []
    assert Membership.objects.get(hub=ssa, user=coordinator).state == Membership.State.ACTIVE
    assert_permissions_in_step()


def test_unknown_email_is_a_form_error(admin_client, ssa):
    before = snapshot()
    response = admin_client.post(
        f"/django-admin/hubs/hub/{ssa.pk}/change/", hub_form(ssa, add_coordinator="x@y.example")
    )
    assert response.status_code == 200
    assert "Nobody is registered with this email address." in response.content.decode()
    assert snapshot() == before


def test_membership_actions(admin_client, see):
    person = make_member(see)
    membership = Membership.objects.get(hub=see, user=person)
    response = admin_client.post(
        "/django-admin/hubs/membership/",
        {"action": "make_coordinator", "_selected_action": [membership.pk]},
    )
    assert response.status_code == 302
    membership.refresh_from_db()
    assert membership.is_coordinator
    assert_permissions_in_step()
    admin_client.post(
        "/django-admin/hubs/membership/",
        {"action": "remove_coordinator", "_selected_action": [membership.pk]},
    )
    membership.refresh_from_db()
    assert not membership.is_coordinator
    assert_permissions_in_step()


def test_memberships_cannot_be_edited_by_hand(admin_client, see):
    membership = Membership.objects.get(hub=see, user=make_member(see))
    before = snapshot()
    admin_client.post(
        f"/django-admin/hubs/membership/{membership.pk}/change/",
        {"state": "active", "role": "coordinator"},
    )
    assert snapshot() == before
    assert admin_client.get("/django-admin/hubs/membership/add/").status_code == 403


def test_staff_add_a_hub_with_its_coordinator(admin_client, client, user):
    assert admin_client.get("/django-admin/hubs/hub/add/").status_code == 200
    response = admin_client.post(
        "/django-admin/hubs/hub/add/",
        {
            "name": "Asia",
            "slug": "asia",
            "region": "South and South-East Asia",
            "description": "Berlin–Jakarta and other city partnerships.",
            "working_languages": "en",
            "join_policy": "approval",
            "add_coordinator": user.email,
        },
    )
    assert response.status_code == 302
    hub = Hub.objects.get(slug="asia")
    assert list(selectors.hub_coordinators(hub=hub)) == [user]
    assert client.get("/hubs/asia/").status_code == 200
    assert_permissions_in_step()
