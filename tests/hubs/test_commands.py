"""`manage.py assign_coordinator EMAIL HUB_SLUG [--remove]`."""

import pytest
from django.core.management import CommandError, call_command
from guardian.shortcuts import get_user_perms

from hubs.models import Membership, ModerationLogEntry

from .conftest import assert_permissions_in_step, make_member, snapshot

pytestmark = pytest.mark.django_db


def test_assign_and_remove(capsys, user, ssa):
    call_command("assign_coordinator", user.email.upper(), "ssa")
    assert f"{user.email} coordinates ssa." in capsys.readouterr().out
    membership = Membership.objects.get(user=user, hub=ssa)
    assert membership.is_coordinator
    assert "moderate_hub" in set(get_user_perms(user, ssa))
    entry = ModerationLogEntry.objects.get(action="coordinator_assigned", subject=user)
    assert entry.actor is None  # an operator's command

    call_command("assign_coordinator", user.email, "ssa")  # again: nothing changes
    assert ModerationLogEntry.objects.filter(action="coordinator_assigned").count() == 1

    call_command("assign_coordinator", user.email, "ssa", "--remove")
    assert "no longer coordinates ssa" in capsys.readouterr().out
    membership.refresh_from_db()
    assert membership.state == Membership.State.ACTIVE
    assert membership.role == Membership.Role.MEMBER
    assert_permissions_in_step()


def test_assigning_an_existing_member(user, see):
    make_member(see, email="member@see.example")
    call_command("assign_coordinator", "member@see.example", "see")
    assert Membership.objects.get(user__email="member@see.example", hub=see).is_coordinator
    assert_permissions_in_step()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["nobody@nowhere.example", "ssa"], "Nobody is registered with the email address"),
        (["{email}", "asia"], "There is no hub 'asia'. Known hubs: mena, see, ssa."),
        (["{email}", "ssa", "--remove"], "not a coordinator of this hub"),
    ],
)
def test_clear_errors_and_no_change(user, ssa, args, message):
    before = snapshot()
    with pytest.raises(CommandError, match=message.replace(".", r"\.").replace("(", r"\(")):
        call_command("assign_coordinator", *[a.format(email=user.email) for a in args])
    assert snapshot() == before


def test_deactivated_account_cannot_coordinate(user_factory, ssa):
    person = user_factory(is_active=False)
    before = snapshot()
    with pytest.raises(CommandError, match="deactivated"):
        call_command("assign_coordinator", person.email, "ssa")
    assert snapshot() == before
