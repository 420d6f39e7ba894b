"""An accepted topic becomes a draft learning process (events), with its host, topic,
thematic fields and partners filled in; once only; not on the site until an editor sets it
going."""

import json

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


def test_the_decision_page_leads_the_editor_to_the_draft_in_the_admin(
    client, proposal, editor, django_capture_on_commit_callbacks
):
    _accept(proposal, editor, django_capture_on_commit_callbacks)
    process = LearningProcess.objects.get(source_proposal=proposal)
    client.force_login(editor)
    page = client.get(f"/calls/{proposal.call.slug}/review/{proposal.pk}/").content.decode()
    edit_url = f"/admin/snippets/events/learningprocess/edit/{process.pk}/"
    assert edit_url in page
    form = client.get(edit_url)
    assert form.status_code == 200
    text = form.content.decode()
    assert proposal.organisation in text and proposal.topic_title in text
    # Threads are hubs' business: their titles are not offered to editors.
    assert 'name="threads"' not in text


def test_editors_complete_and_publish_the_draft_in_the_admin(
    client, proposal, editor, django_capture_on_commit_callbacks
):
    _accept(proposal, editor, django_capture_on_commit_callbacks)
    process = LearningProcess.objects.get(source_proposal=proposal)
    client.force_login(editor)
    response = client.post(
        f"/admin/snippets/events/learningprocess/edit/{process.pk}/",
        {
            "title": process.title,
            "slug": process.slug,
            "status": LearningProcess.Status.PLANNED,
            "topic": process.topic,
            "themes": process.themes,
            "host_name": process.host_name,
            "host_country": process.host_country.code,
            "year": process.year,
            "description": "A year on the topic with three partner cities.",
            "goals": "",
            "partners": json.dumps(process.partners),
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    process.refresh_from_db()
    assert process.status == LearningProcess.Status.PLANNED
    assert client.get(f"/learning-processes/{process.slug}/").status_code == 200


def test_only_editors_keep_learning_processes_in_the_admin(
    client, proposal, editor, django_capture_on_commit_callbacks
):
    from hubs import services as hub_services
    from tests.factories import HubFactory, UserFactory

    _accept(proposal, editor, django_capture_on_commit_callbacks)
    process = LearningProcess.objects.get(source_proposal=proposal)
    edit_url = f"/admin/snippets/events/learningprocess/edit/{process.pk}/"
    coordinator = UserFactory()
    hub_services.coordinator_assign(hub=HubFactory(), user=coordinator)
    client.force_login(coordinator)  # in the Wagtail admin, without this right
    for url in ("/admin/snippets/events/learningprocess/", edit_url):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"] == "/admin/"
    before = process.description
    client.post(edit_url, {"title": "Taken over", "description": "x"})
    process.refresh_from_db()
    assert process.title != "Taken over" and process.description == before
    client.force_login(UserFactory())  # a member: no admin at all
    response = client.get(edit_url)
    assert response.status_code == 302 and "login" in response["Location"]
