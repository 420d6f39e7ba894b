"""Deciding proposals: accepted, declined (with a message) or on the reserve list; the
applicant is told by mail and on my-proposal; an accepted proposal is announced with
`proposal_accepted` for the events app to make a draft learning process of."""

import pytest
from django.core import mail

from calls import selectors, services
from calls.models import Proposal
from calls.signals import proposal_accepted
from core.exceptions import ActionError

from .conftest import applicant_factory, close, make_call, submit_proposal

pytestmark = pytest.mark.django_db


@pytest.fixture
def proposal(call, reviewers):
    submitted = submit_proposal(call, applicant_factory())
    close(call)
    return submitted


@pytest.fixture
def accepted_ids():
    received = []

    def receiver(sender, proposal_id, **kwargs):
        received.append(proposal_id)

    proposal_accepted.connect(receiver, dispatch_uid="test-accepted")
    yield received
    proposal_accepted.disconnect(dispatch_uid="test-accepted")


def decide(client, proposal, **body):
    return client.post(
        f"/calls/{proposal.call.slug}/review/{proposal.pk}/", {"action": "decide", **body}
    )


def test_accepting_tells_the_applicant_and_announces_the_learning_process(
    client, editor, proposal, accepted_ids, django_capture_on_commit_callbacks
):
    client.force_login(editor)
    with django_capture_on_commit_callbacks(execute=True):
        response = decide(client, proposal, decision="accepted", message="See you in May.")
    assert response.status_code == 302
    proposal.refresh_from_db()
    assert proposal.decision == "accepted" and proposal.decided_by == editor
    assert accepted_ids == [proposal.pk]
    seed = selectors.learning_process_seed(accepted_ids[0])
    assert seed["host_name"] == "Stadt Trier" and seed["host_country"] == "DE"
    assert seed["topic"] == "Inter-municipal land management"
    assert seed["thematic_fields"] == ["integrated_urban_development"]
    assert seed["partners"] == [
        {"name": "Tunis", "country": "TN"},
        {"name": "Rustavi", "country": "GE"},
    ]
    [message] = mail.outbox
    assert proposal.applicant.email in message.to
    # In the applicant's language (German), with the editor's words as written.
    assert "Ihr Thema" in message.body and "See you in May." in message.body
    client.force_login(proposal.applicant)
    page = client.get(f"/calls/{proposal.call.slug}/my-proposal/").content.decode()
    assert "Accepted" in page and "See you in May." in page
    # Final: no second decision, no second announcement.
    client.force_login(editor)
    with django_capture_on_commit_callbacks(execute=True):
        assert decide(client, proposal, decision="declined", message="No").status_code == 409
    assert accepted_ids == [proposal.pk] and len(mail.outbox) == 1


def test_declining_needs_a_message(client, editor, proposal, django_capture_on_commit_callbacks):
    client.force_login(editor)
    response = decide(client, proposal, decision="declined", message="")
    assert response.status_code == 400 and "Tell the applicant why" in response.content.decode()
    with pytest.raises(ActionError):
        services.proposal_decide(
            proposal=proposal, decision="declined", message=" ", acting_user=editor
        )
    with django_capture_on_commit_callbacks(execute=True):
        response = decide(
            client, proposal, decision="declined", message="Other activities fit better."
        )
    assert response.status_code == 302
    [message] = mail.outbox
    assert "Leider" in message.body  # in the applicant's language, German
    assert "Other activities fit better." in message.body


def test_the_reserve_list_can_still_be_accepted(
    editor, proposal, accepted_ids, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.proposal_decide(proposal=proposal, decision="reserve", acting_user=editor)
    assert accepted_ids == [] and "Nachrückliste" in mail.outbox[0].body
    assert selectors.learning_process_seed(proposal.pk) is None  # not accepted (yet)
    with pytest.raises(ActionError):
        services.proposal_decide(proposal=proposal, decision="reserve", acting_user=editor)
    with django_capture_on_commit_callbacks(execute=True):
        services.proposal_decide(proposal=proposal, decision="accepted", acting_user=editor)
    assert accepted_ids == [proposal.pk] and len(mail.outbox) == 2


def test_only_editors_decide_and_only_after_the_deadline(client, call, editor, reviewers, proposal):
    client.force_login(reviewers[0])
    assert decide(client, proposal, decision="accepted").status_code == 403
    with pytest.raises(ActionError) as refused:
        services.proposal_decide(proposal=proposal, decision="accepted", acting_user=reviewers[0])
    assert refused.value.code == "forbidden"
    still_open = submit_proposal(make_call(slug="open"), applicant_factory())
    with pytest.raises(ActionError) as refused:
        services.proposal_decide(proposal=still_open, decision="accepted", acting_user=editor)
    assert refused.value.code == "locked"
    assert Proposal.objects.filter(decision="").count() == 2


def test_a_withdrawn_proposal_is_not_decided(call, editor, reviewers):
    applicant = applicant_factory()
    proposal = submit_proposal(call, applicant)
    services.proposal_withdraw(proposal=proposal, acting_user=applicant)
    close(call)
    with pytest.raises(ActionError):
        services.proposal_decide(proposal=proposal, decision="accepted", acting_user=editor)
