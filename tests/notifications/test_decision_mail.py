"""The mails hubs and goodpractices used to send themselves now come from here, as kinds:
one path, so each has the unsubscribe link and headers, honours the preference and is in the
recipient's language; a decision about me comes at once by default."""

import pytest

from goodpractices import services as practice_services
from goodpractices.models import Proposal
from hubs import services as hub_services
from hubs.models import Hub
from notifications import selectors
from notifications.models import Channel, Kind, Notification, NotificationPreference
from tests.factories import GoodPracticeFactory, HubFactory, ProfileFactory, UserFactory

pytestmark = pytest.mark.django_db


def assert_one_click(message):
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    url = message.extra_headers["List-Unsubscribe"].strip("<>")
    assert url in message.body and "/notifications/unsubscribe/" in url
    assert f'href="{url}"' in message.alternatives[0][0]
    return url


def test_decisions_about_me_and_what_waits_for_my_decision_come_at_once_by_default():
    defaults = selectors.preferences_of(UserFactory())
    for kind in (
        Kind.MEMBERSHIP_DECIDED,
        Kind.SUSPENSION,
        Kind.PROPOSAL_DECIDED,
        Kind.JOIN_REQUEST,
        Kind.NEW_REPORT,
        Kind.PROPOSAL_REVIEW,
    ):
        assert defaults[kind] == Channel.EMAIL, kind


@pytest.fixture
def approval_hub(db):
    hub = HubFactory(join_policy="approval", name="Lagos lagoon", slug="lagos")
    coordinator = UserFactory(name="Chidi Coordinator")
    hub_services.coordinator_assign(hub=hub, user=coordinator)
    return hub, coordinator


def test_join_request_mail_has_the_unsubscribe_link_and_stops_when_unsubscribed(
    client, approval_hub, committed, mailoutbox
):
    hub, coordinator = approval_hub
    with committed():
        hub_services.membership_request(hub=hub, user=UserFactory(name="Ada Applicant"))
    [message] = mailoutbox
    assert message.to == [coordinator.email]
    assert message.subject == "[Connective Cities] Ada Applicant asks to join Lagos lagoon"
    url = assert_one_click(message)
    assert client.post(url[len(_site(url)) :]).status_code == 200  # no login needed
    assert NotificationPreference.objects.get(user=coordinator, kind=Kind.JOIN_REQUEST).channel == (
        Channel.APP
    )
    mailoutbox.clear()
    with committed():
        hub_services.membership_request(hub=hub, user=UserFactory(name="Bo Second"))
    assert mailoutbox == []  # in the site only now
    assert Notification.objects.filter(recipient=coordinator, kind=Kind.JOIN_REQUEST).count() == 2


def _site(url):
    return url[: url.index("/notifications/")]


def test_decision_mail_in_the_applicants_language_with_the_reason(
    approval_hub, committed, mailoutbox
):
    hub, coordinator = approval_hub
    applicant = ProfileFactory(user=UserFactory(), preferred_language="fr").user
    membership = hub_services.membership_request(hub=hub, user=applicant)
    with committed():
        hub_services.membership_reject(
            membership=membership, acting_user=coordinator, reason="Pas une ville"
        )
    [message] = mailoutbox
    assert message.to == [applicant.email]
    assert "Pas une ville" in message.body
    assert '<html lang="fr"' in message.alternatives[0][0]
    assert_one_click(message)


def test_suspension_and_reinstatement_are_mailed_with_the_reason(
    hub, member, coordinator, committed, mailoutbox
):
    membership = member.memberships.get(hub=hub)
    with committed():
        hub_services.membership_suspend(
            membership=membership, acting_user=coordinator, reason="Advertising twice"
        )
    [suspended] = mailoutbox
    assert suspended.to == [member.email]
    assert f"Your membership of {hub.name} was suspended" in suspended.subject
    assert "Advertising twice" in suspended.body
    assert_one_click(suspended)
    with committed():
        hub_services.membership_reinstate(membership=membership, acting_user=coordinator)
    assert f"Your membership of {hub.name} was reinstated" in mailoutbox[-1].subject
    assert len(mailoutbox) == 2


def test_a_new_report_is_mailed_to_the_coordinator(
    asked, member, member2, coordinator, committed, mailoutbox
):
    with committed():
        message, _created = hub_services.message_post(thread=asked, author=member, body="Buy!")
    mailoutbox.clear()
    with committed():
        hub_services.report_create(message=message, reporter=member2, reason="Rude words")
    [mail_] = [m for m in mailoutbox if m.to == [coordinator.email]]
    assert "reported a message" in mail_.subject
    assert "Rude words" in mail_.body
    assert f"#message-{message.pk}" in mail_.body
    assert_one_click(mail_)


def test_review_and_its_outcome_each_one_mail_through_here(committed, mailoutbox):
    see = Hub.objects.get(slug="see")
    coordinator = UserFactory(name="See Coordinator")
    hub_services.coordinator_assign(hub=see, user=coordinator)
    proposer = UserFactory(name="Pia Proposer")
    page = GoodPracticeFactory(title="Green corridors", region="see", live=False)
    Proposal.objects.create(page=page, proposer=proposer, title=page.title)
    with committed():
        page.save_revision(user=proposer)
        page.get_workflow().start(page, proposer)
    [review] = mailoutbox
    assert review.to == [coordinator.email]
    assert "Green corridors" in review.subject
    assert f"/admin/pages/{page.pk}/edit/" in review.body
    assert_one_click(review)
    mailoutbox.clear()
    with committed():
        practice_services.practice_review(
            page=page, user=coordinator, action="reject", comment="Add results."
        )
    # Wagtail's own rejection mail does not go as well: one mail, ours.
    [sent_back] = mailoutbox
    assert sent_back.to == [proposer.email]
    assert sent_back.subject == 'Your good practice "Green corridors" needs some changes'
    assert "Add results." in sent_back.body
    assert_one_click(sent_back)
