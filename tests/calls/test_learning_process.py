"""An accepted topic becomes a draft learning process (events), with its host, topic,
thematic fields and partners filled in; once only; not on the site until an editor sets it
going."""

import pytest

from calls import services
from events import services as event_services
from events.models import LearningProcess

from .conftest import applicant_factory, close, submit_proposal

pytestmark = pytest.mark.django_db


@pytest.fixture
def proposal(call, reviewers):
    submitted = submit_proposal(call, applicant_factory())
    close(call)
    return submitted


def _accept(proposal, editor, capture):
    with capture(execute=True):
        services.proposal_decide(proposal=proposal, decision="accepted", acting_user=editor)


def test_accepting_makes_a_draft_learning_process_from_the_proposal(
    proposal, editor, django_capture_on_commit_callbacks
):
    _accept(proposal, editor, django_capture_on_commit_callbacks)
    process = LearningProcess.objects.get(source_proposal=proposal)
    assert process.status == LearningProcess.Status.DRAFT
    assert process.title == proposal.topic_title
    assert process.host_name == proposal.organisation
    assert process.host_country.code == proposal.country.code
    assert process.year == proposal.call.year
    assert process.themes.split(",") == list(proposal.thematic_fields)
    assert {(p["name"], p["country"]) for p in process.partners} == {
        (partner.name, partner.country.code) for partner in proposal.partners.all()
    }


def test_the_draft_is_made_once(proposal, editor, django_capture_on_commit_callbacks):
    _accept(proposal, editor, django_capture_on_commit_callbacks)
    again = event_services.learning_process_from_proposal(proposal_id=proposal.pk)
    assert LearningProcess.objects.filter(source_proposal=proposal).count() == 1
    assert again.source_proposal_id == proposal.pk


@pytest.mark.parametrize("decision", ["declined", "reserve"])
def test_no_draft_for_a_topic_not_accepted(
    proposal, editor, decision, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.proposal_decide(
            proposal=proposal, decision=decision, acting_user=editor, message="Thank you."
        )
    assert not LearningProcess.objects.exists()
    assert event_services.learning_process_from_proposal(proposal_id=proposal.pk) is None


def test_a_draft_is_not_on_the_site(
    client, proposal, editor, applicant, django_capture_on_commit_callbacks
):
    _accept(proposal, editor, django_capture_on_commit_callbacks)
    process = LearningProcess.objects.get(source_proposal=proposal)
    client.force_login(applicant)
    assert process.title not in client.get("/learning-processes/").content.decode()
    assert client.get(f"/learning-processes/{process.slug}/").status_code == 404
    process.status = LearningProcess.Status.PLANNED
    process.save(update_fields=["status"])
    assert client.get(f"/learning-processes/{process.slug}/").status_code == 200
