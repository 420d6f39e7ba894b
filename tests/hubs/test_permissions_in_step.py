"""After every service call, successful or refused, the guardian permissions equal the
membership states; selectors read those permissions, never Django's superuser shortcut."""

from datetime import timedelta

import pytest
from django.db.models import F

from core.exceptions import ActionError
from hubs import selectors, services
from hubs.models import Hub, Membership
from tests.factories import UserFactory

from .conftest import assert_permissions_in_step

pytestmark = pytest.mark.django_db


def a_day_passes(membership):
    day = timedelta(hours=25)
    Membership.objects.filter(pk=membership.pk).update(
        requested_at=F("requested_at") - day, decided_at=F("decided_at") - day
    )


def test_every_step_of_a_long_story_keeps_permissions_in_step(ssa, see, mena):
    kwame, amina = UserFactory(), UserFactory()
    wanjiru, thabo, nino = UserFactory(), UserFactory(), UserFactory()

    def m(user, hub):
        return Membership.objects.get(user=user, hub=hub)

    def done(service, **kwargs):
        service(**kwargs)
        assert_permissions_in_step()

    def refused(service, **kwargs):
        with pytest.raises(ActionError):
            service(**kwargs)
        assert_permissions_in_step()

    done(services.coordinator_assign, hub=ssa, user=kwame)
    done(services.coordinator_assign, hub=mena, user=amina)
    done(services.membership_request, hub=ssa, user=wanjiru, message="Water")
    refused(services.membership_request, hub=ssa, user=wanjiru)
    refused(services.membership_approve, membership=m(wanjiru, ssa), acting_user=amina)
    done(services.membership_approve, membership=m(wanjiru, ssa), acting_user=kwame)
    refused(services.membership_approve, membership=m(wanjiru, ssa), acting_user=kwame)
    done(services.membership_request, hub=ssa, user=thabo)
    refused(services.membership_reject, membership=m(thabo, ssa), acting_user=kwame, reason="")
    done(services.membership_reject, membership=m(thabo, ssa), acting_user=kwame, reason="No")
    refused(services.membership_request, hub=ssa, user=thabo)  # too soon after the "No"
    a_day_passes(m(thabo, ssa))
    done(services.membership_request, hub=ssa, user=thabo, message="Now with details")
    done(services.membership_approve, membership=m(thabo, ssa), acting_user=kwame)
    refused(services.membership_suspend, membership=m(wanjiru, ssa), acting_user=amina, reason="x")
    done(services.membership_suspend, membership=m(wanjiru, ssa), acting_user=kwame, reason="x")
    refused(services.membership_leave, hub=ssa, user=wanjiru)
    refused(services.membership_request, hub=ssa, user=wanjiru)
    done(services.membership_reinstate, membership=m(wanjiru, ssa), acting_user=kwame)
    done(services.membership_request, hub=see, user=nino)
    done(services.coordinator_assign, hub=see, user=nino)
    refused(services.membership_suspend, membership=m(nino, see), acting_user=kwame, reason="x")
    done(services.coordinator_assign, hub=ssa, user=wanjiru)
    done(services.coordinator_remove, hub=ssa, user=kwame)
    refused(services.membership_suspend, membership=m(thabo, ssa), acting_user=kwame, reason="x")
    done(services.membership_leave, hub=ssa, user=thabo)
    refused(services.membership_leave, hub=ssa, user=thabo)
    refused(services.coordinator_remove, hub=ssa, user=thabo)
    done(services.membership_leave, hub=see, user=nino)
    done(services.personal_data_erase, user=wanjiru)
    assert not Membership.objects.filter(user=wanjiru).exists()


def test_staff_and_superusers_have_no_shortcut(ssa):
    root = UserFactory(is_staff=True, is_superuser=True)
    assert root.has_perm("hubs.moderate_hub", ssa)  # Django's shortcut...
    assert not selectors.user_can_moderate(user=root, hub=ssa)  # ...is not ours
    assert not selectors.user_can_access_hub(user=root, hub=ssa)
    assert list(selectors.hubs_accessible_to(root)) == []
    membership = services.membership_request(hub=ssa, user=UserFactory())
    with pytest.raises(ActionError) as error:
        services.membership_approve(membership=membership, acting_user=root)
    assert error.value.code == "forbidden"


def test_hubs_accessible_to_follows_the_memberships(ssa, see, mena):
    coordinator = UserFactory()
    services.coordinator_assign(hub=ssa, user=coordinator)
    person = UserFactory()
    services.membership_request(hub=see, user=person)
    services.membership_request(hub=mena, user=person)  # waiting
    assert list(selectors.hubs_accessible_to(person)) == [see]
    services.membership_approve(
        membership=Membership.objects.get(
            hub=ssa, user=services.membership_request(hub=ssa, user=person).user
        ),
        acting_user=coordinator,
    )
    assert sorted(h.slug for h in selectors.hubs_accessible_to(person)) == ["see", "ssa"]
    services.membership_suspend(
        membership=Membership.objects.get(hub=ssa, user=person),
        acting_user=coordinator,
        reason="Spam",
    )
    assert list(selectors.hubs_accessible_to(person)) == [see]
    inactive = UserFactory()
    services.membership_request(hub=see, user=inactive)
    inactive.is_active = False
    inactive.save(update_fields=["is_active"])
    assert not selectors.user_can_access_hub(user=inactive, hub=see)
    assert list(selectors.hubs_accessible_to(inactive)) == []


def test_record_activity(see):
    person = UserFactory()
    services.membership_request(hub=see, user=person)
    services.membership_record_activity(hub_id=see.pk, user_id=person.pk)
    assert Membership.objects.get(hub=see, user=person).last_activity is not None
    assert Hub.objects.filter(pk=see.pk).exists()
