"""The hubs register what they hold about a person for the export and for deletion."""

import json

import pytest

from core import personal_data
from hubs import services
from hubs.models import Membership, ModerationLogEntry

from .conftest import assert_permissions_in_step, make_coordinator, make_member

pytestmark = pytest.mark.django_db


def source(key):
    [found] = [s for s in personal_data.sources() if s.key == key]
    assert found.export.__module__ == "hubs.personal_data"  # the hubs' own, not a stand-in
    return found


def test_registered_for_every_hub_model_pointing_at_people():
    assert {"hubs.Membership", "hubs.ModerationLogEntry"} <= personal_data.covered_models()


def test_export_holds_memberships_and_the_decisions_about_the_person(ssa, see, user):
    coordinator = make_coordinator(ssa)
    services.membership_request(hub=see, user=user)
    membership = services.membership_request(hub=ssa, user=user, message="Kisumu water")
    services.membership_reject(membership=membership, acting_user=coordinator, reason="Why")
    memberships = source("memberships").export(user)
    log = source("moderation_log").export(user)
    data = json.dumps([memberships, log])  # serialisable
    assert {m["hub"]: m["state"] for m in memberships} == {"see": "active", "ssa": "rejected"}
    assert [(e["hub"], e["action"], e["by"]) for e in log] == [
        ("see", "joined", "you"),
        ("ssa", "join_requested", "you"),
        ("ssa", "rejected", "coordinator"),
    ]
    assert log[-1]["reason"] == "Why"
    assert coordinator.email not in data
    assert coordinator.name not in data
    decisions = source("moderation_log").export(coordinator)
    assert [(d["hub"], d["action"], d["by_me"], d["about_me"]) for d in decisions] == [
        ("ssa", "coordinator_assigned", False, True),
        ("ssa", "rejected", True, False),
    ]
    assert decisions[-1]["reason"] == ""  # the reason is about the applicant
    assert user.name not in json.dumps(decisions)


def test_erase_leaves_no_membership_permission_or_reason(ssa, user):
    coordinator = make_coordinator(ssa)
    person = make_member(ssa, coordinator=coordinator, name="Erased Person")
    services.membership_suspend(
        membership=Membership.objects.get(hub=ssa, user=person),
        acting_user=coordinator,
        reason="Erased Person posted spam",
    )
    source("memberships").erase(person)
    assert not Membership.objects.filter(user=person).exists()
    assert not ModerationLogEntry.objects.filter(subject=person).exists()
    assert not ModerationLogEntry.objects.filter(reason__contains="Erased Person").exists()
    # the log keeps that a decision was taken
    assert ModerationLogEntry.objects.filter(action="suspended", subject=None).exists()
    assert_permissions_in_step()
    person.delete()
    assert ModerationLogEntry.objects.filter(action="suspended").count() == 1
