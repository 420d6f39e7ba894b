"""The regional review: a practice of a hub's region goes to that hub's coordinators only;
editors review the rest and may review anything; nobody else decides."""

import pytest
from django.core import mail
from django.urls import reverse
from wagtail.models import TaskState

from core.exceptions import ActionError
from goodpractices import services
from goodpractices.models import GoodPracticePage, HubReviewTaskState
from hubs import services as hub_services
from tests.factories import UserFactory


def submit(page, user):
    """What the admin's "Submit for moderation" does."""
    page.save_revision(user=user)
    return page.get_workflow().start(page, user)


def task_state_of(page):
    return HubReviewTaskState.objects.get(
        workflow_state__object_id=str(page.pk), status=TaskState.STATUS_IN_PROGRESS
    )


def action_url(page, action, task_state):
    return reverse("wagtailadmin_pages:workflow_action", args=(page.pk, action, task_state.pk))


@pytest.fixture
def ssa_draft(practice_factory):
    return practice_factory(title="Kisumu water kiosks", region="ssa", country="KE", live=False)


@pytest.mark.django_db
def test_an_ssa_practice_goes_to_the_ssa_coordinators_only(
    ssa_draft, coordinators, editor, django_capture_on_commit_callbacks
):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):  # the mail goes out after commit
        submit(ssa_draft, editor)
    state = task_state_of(ssa_draft)
    assert state.hub.slug == "ssa"
    recipients = sorted(address for message in mail.outbox for address in message.to)
    assert recipients == [coordinators["ssa"].email]
    assert "Kisumu water kiosks" in mail.outbox[0].subject

    task = state.task.specific
    assert task.get_actions(ssa_draft, coordinators["ssa"])
    assert task.get_actions(ssa_draft, coordinators["mena"]) == []
    assert task.get_actions(ssa_draft, coordinators["see"]) == []
    assert task.locked_for_user(ssa_draft, coordinators["mena"])
    assert not task.locked_for_user(ssa_draft, coordinators["ssa"])


@pytest.mark.django_db
def test_the_mena_coordinator_cannot_approve_an_ssa_practice(
    client, ssa_draft, coordinators, editor
):
    submit(ssa_draft, editor)
    state = task_state_of(ssa_draft)
    client.force_login(coordinators["mena"])
    assert client.get("/admin/").status_code == 200  # a coordinator may enter the admin
    response = client.post(action_url(ssa_draft, "approve", state))
    # Wagtail answers a permission denied in the admin with a redirect and a message.
    assert response.status_code in (302, 403)
    assert response.status_code == 403 or response["Location"] == "/admin/"
    assert client.get(reverse("wagtailadmin_pages:edit", args=(ssa_draft.pk,))).status_code in (
        302,
        403,
    )
    with pytest.raises(ActionError) as refused:
        services.practice_review(page=ssa_draft, user=coordinators["mena"], action="approve")
    assert refused.value.code == "forbidden"
    state.refresh_from_db()
    assert state.status == TaskState.STATUS_IN_PROGRESS
    ssa_draft.refresh_from_db()
    assert not ssa_draft.live
    # Nor does the dashboard show it to them.
    html = client.get("/admin/").content.decode()
    assert "Kisumu water kiosks" not in html


@pytest.mark.django_db
def test_the_ssa_coordinator_reviews_and_publishes_in_the_admin(
    client, ssa_draft, coordinators, editor
):
    submit(ssa_draft, editor)
    state = task_state_of(ssa_draft)
    client.force_login(coordinators["ssa"])
    assert "Kisumu water kiosks" in client.get("/admin/").content.decode()
    assert client.get(reverse("wagtailadmin_pages:edit", args=(ssa_draft.pk,))).status_code == 200
    preview = reverse("wagtailadmin_pages:workflow_preview", args=(ssa_draft.pk, state.task_id))
    assert client.get(preview).status_code == 200
    response = client.post(action_url(ssa_draft, "approve", state))
    assert response.status_code in (200, 302)
    ssa_draft.refresh_from_db()
    assert ssa_draft.live
    assert "Kisumu water kiosks" in client.get("/practices/?region=ssa").content.decode()


@pytest.mark.django_db
def test_a_coordinator_can_send_back_with_a_comment(client, ssa_draft, coordinators, editor):
    submit(ssa_draft, editor)
    state = task_state_of(ssa_draft)
    client.force_login(coordinators["ssa"])
    client.post(action_url(ssa_draft, "reject", state), {"comment": "Please add results."})
    state.refresh_from_db()
    assert state.status == TaskState.STATUS_REJECTED
    assert state.comment == "Please add results."
    ssa_draft.refresh_from_db()
    assert not ssa_draft.live


@pytest.mark.django_db
def test_a_region_without_a_hub_goes_to_the_editors(
    practice_factory, coordinators, editor, django_capture_on_commit_callbacks
):
    page = practice_factory(title="Jakarta smart city", region="asia", country="ID", live=False)
    submitter = UserFactory()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        submit(page, submitter)
    assert task_state_of(page).hub is None
    assert [m.to for m in mail.outbox] == [[editor.email]]
    task = task_state_of(page).task.specific
    for coordinator in coordinators.values():
        assert task.get_actions(page, coordinator) == []
    services.practice_review(page=page, user=editor, action="approve")
    page.refresh_from_db()
    assert page.live


@pytest.mark.django_db
def test_editors_may_review_any_region(ssa_draft, editor, coordinators):
    submit(ssa_draft, UserFactory())
    services.practice_review(page=ssa_draft, user=editor, action="approve")
    ssa_draft.refresh_from_db()
    assert ssa_draft.live


@pytest.mark.django_db
def test_admin_access_follows_the_coordinator_role(client, hubs, member):
    client.force_login(member)
    assert client.get("/admin/").status_code == 302  # to the admin login
    hub_services.coordinator_assign(hub=hubs["see"], user=member)
    member = type(member).objects.get(pk=member.pk)
    client.force_login(member)
    assert client.get("/admin/").status_code == 200
    hub_services.coordinator_remove(hub=hubs["see"], user=member)
    member = type(member).objects.get(pk=member.pk)
    client.force_login(member)
    assert client.get("/admin/").status_code == 302


@pytest.mark.django_db
def test_a_coordinator_has_no_other_admin_power(client, coordinators, practice_factory):
    published = practice_factory(title="Already live", region="ssa")
    client.force_login(coordinators["ssa"])
    # Not in review: no editing, no adding pages, no snippets.
    assert client.get(reverse("wagtailadmin_pages:edit", args=(published.pk,))).status_code in (
        302,
        403,
    )
    index_id = published.get_parent().pk
    add_url = reverse(
        "wagtailadmin_pages:add", args=("goodpractices", "goodpracticepage", index_id)
    )
    assert client.get(add_url).status_code in (302, 403)
    assert client.get("/admin/snippets/goodpractices/theme/").status_code in (302, 403)


@pytest.mark.django_db
def test_the_hub_is_fixed_by_the_revision_submitted(ssa_draft, editor, coordinators):
    """Moving a draft to another region before submitting routes it to that region."""
    from goodpractices.models import Region

    ssa_draft.region = Region.objects.get(slug="mena")
    submit(ssa_draft, editor)
    assert task_state_of(ssa_draft).hub.slug == "mena"
    # The draft's row still says SSA; the revision in review is what counts.
    assert GoodPracticePage.objects.get(pk=ssa_draft.pk).region.slug == "ssa"


@pytest.mark.django_db
def test_scheduled_publishing_after_approval(ssa_draft, coordinators, editor):
    from datetime import timedelta

    from django.core.management import call_command
    from django.utils import timezone

    ssa_draft.go_live_at = timezone.now() + timedelta(days=2)
    submit(ssa_draft, editor)
    services.practice_review(page=ssa_draft, user=coordinators["ssa"], action="approve")
    ssa_draft.refresh_from_db()
    assert not ssa_draft.live  # approved, waiting for its date
    revision = ssa_draft.get_latest_revision()
    assert revision.approved_go_live_at is not None
    # Let the date arrive: move it into the past in the revision and its schedule.
    past = timezone.now() - timedelta(minutes=1)
    revision.approved_go_live_at = past
    revision.content["go_live_at"] = past.isoformat()
    revision.save(update_fields=["approved_go_live_at", "content"])
    call_command("publish_scheduled")
    ssa_draft.refresh_from_db()
    assert ssa_draft.live
