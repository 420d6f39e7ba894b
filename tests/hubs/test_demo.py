import pytest

from hubs import demo, selectors
from hubs.models import Hub, Membership

from .conftest import assert_permissions_in_step

pytestmark = pytest.mark.django_db


def test_seed_is_idempotent_and_fills_every_hub():
    logins = []
    demo.seed(lambda email, role: logins.append((email, role)))
    demo.seed(lambda email, role: None)
    for hub in Hub.objects.filter(slug__in=["mena", "see", "ssa"]):
        coordinators = list(selectors.hub_coordinators(hub=hub))
        assert len(coordinators) == 1
        assert selectors.hub_member_count(hub=hub) >= 4
    [pending] = selectors.pending_requests(hub=Hub.objects.get(slug="ssa"))
    assert pending.message
    assert not selectors.pending_requests(hub=Hub.objects.get(slug="mena")).exists()
    assert ("kwame.ssa@connective-cities.example", "coordinator of SSA") in logins
    assert ("thabo.durban@durban.example", "waiting for approval (SSA)") in logins
    assert Membership.objects.count() == 3 * 4 + 1
    # every demo person has a profile for the coordinators to read
    assert all(m.user.profile.city for m in Membership.objects.select_related("user__profile"))
    assert_permissions_in_step()


def test_the_members_apps_demo_people_join_the_hub_their_entry_names():
    from members import demo as members_demo

    members_demo.seed(lambda email, role: None)
    demo.seed(lambda email, role: None)
    for entry in members_demo.MEMBERS:
        membership = Membership.objects.get(user__email=entry["email"])
        assert (membership.hub.slug, membership.state) == (entry["hub"], Membership.State.ACTIVE)
    assert_permissions_in_step()
