"""Proposed good practices: the hub's coordinators hear a review is waiting; the proposer
hears it was sent back or published (from Wagtail's workflow signals)."""

import pytest
from wagtail.models import TaskState

from goodpractices import services as practice_services
from goodpractices.models import HubReviewTaskState
from hubs import services as hub_services
from hubs.models import Hub
from notifications.models import Kind, Notification
from tests.factories import GoodPracticeFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def setting(committed):
    see = Hub.objects.get(slug="see")
    coordinator = UserFactory(name="See Coordinator")
    hub_services.coordinator_assign(hub=see, user=coordinator)
    proposer = UserFactory(name="Pia Proposer")
    page = GoodPracticeFactory(title="Green corridors", region="see", live=False)
    page.owner = proposer
    page.save(update_fields=["owner"])
    with committed():
        page.save_revision(user=proposer)
        page.get_workflow().start(page, proposer)
    return coordinator, proposer, page


def _task_state(page):
    return HubReviewTaskState.objects.get(
        workflow_state__object_id=str(page.pk), status=TaskState.STATUS_IN_PROGRESS
    )


def test_coordinators_hear_of_the_review(setting):
    coordinator, proposer, page = setting
    entry = Notification.objects.get(recipient=coordinator, kind=Kind.PROPOSAL_REVIEW)
    assert entry.page_id == page.pk
    assert not Notification.objects.filter(recipient=proposer).exists()


def test_proposer_hears_it_was_published_once(setting, committed):
    coordinator, proposer, page = setting
    assert _task_state(page)
    with committed():
        practice_services.practice_review(page=page, user=coordinator, action="approve")
    with committed():
        page.refresh_from_db()
        page.save_revision().publish()  # an editor publishes an edit later
    told = Notification.objects.filter(recipient=proposer, kind=Kind.PROPOSAL_DECIDED)
    assert list(told.values_list("outcome", flat=True)) == ["published"]


def test_proposer_hears_it_was_sent_back_with_the_comment(setting, committed):
    coordinator, proposer, page = setting
    with committed():
        practice_services.practice_review(
            page=page, user=coordinator, action="reject", comment="Add results."
        )
    entry = Notification.objects.get(recipient=proposer, kind=Kind.PROPOSAL_DECIDED)
    assert (entry.outcome, entry.detail) == ("sent_back", "Add results.")
