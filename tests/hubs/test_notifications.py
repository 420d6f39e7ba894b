"""Coordinators hear of every join request (email and a count in their navigation); the
applicant hears of the decision and its reason."""

import pytest
from django.db import connection, transaction
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from hubs import services
from hubs.context_processors import coordinator_nav
from tests.factories import ProfileFactory, UserFactory

from .conftest import make_coordinator, make_member

pytestmark = pytest.mark.django_db


def test_request_notifies_each_coordinator_of_that_hub_only(
    ssa, mena, mailoutbox, django_capture_on_commit_callbacks
):
    first = make_coordinator(ssa, email="kwame@ssa.example")
    second = make_coordinator(ssa, email="fatou@ssa.example")
    make_coordinator(mena, email="amina@mena.example")
    applicant = ProfileFactory(
        user=UserFactory(name="Thabo Nkosi"), organisation="eThekwini Municipality"
    ).user
    with django_capture_on_commit_callbacks(execute=True):
        services.membership_request(hub=ssa, user=applicant, message="Waste <b>pickers</b>")
    assert sorted(m.to[0] for m in mailoutbox) == [second.email, first.email]
    assert all(len(m.to) == 1 for m in mailoutbox)  # nobody sees the others' addresses
    message = mailoutbox[0]
    assert message.subject == "[Connective Cities] Thabo Nkosi asks to join SSA"
    assert "Waste <b>pickers</b>" in message.body  # plain text: as written
    assert "http://127.0.0.1:8000/hubs/ssa/moderation/" in message.body
    assert "1 request is waiting" in message.body
    assert "Organisation: eThekwini Municipality" in message.body
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html"
    assert "Waste &lt;b&gt;pickers&lt;/b&gt;" in html  # HTML: escaped
    assert 'href="http://127.0.0.1:8000/hubs/ssa/moderation/"' in html


def test_no_email_before_commit_nor_after_a_rollback(
    ssa, mailoutbox, django_capture_on_commit_callbacks
):
    make_coordinator(ssa)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.membership_request(hub=ssa, user=UserFactory())
    assert len(callbacks) == 2  # the mail, and the signal the notifications app hears
    assert mailoutbox == []  # nothing is sent inside the transaction

    class Abort(Exception):
        pass

    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(Abort),
        transaction.atomic(),
    ):
        services.membership_request(hub=ssa, user=UserFactory())
        raise Abort
    assert mailoutbox == []


def test_open_hub_sends_no_request_email(see, mailoutbox, django_capture_on_commit_callbacks):
    make_coordinator(see)
    with django_capture_on_commit_callbacks(execute=True):
        services.membership_request(hub=see, user=UserFactory())
    assert mailoutbox == []


def test_applicant_hears_of_approval(ssa, mailoutbox, django_capture_on_commit_callbacks):
    coordinator = make_coordinator(ssa)
    membership = services.membership_request(hub=ssa, user=UserFactory())
    with django_capture_on_commit_callbacks(execute=True):
        services.membership_approve(
            membership=membership, acting_user=coordinator, reason="Karibu!"
        )
    [message] = mailoutbox
    assert message.to == [membership.user.email]
    assert "approved" in message.body
    assert "Karibu!" in message.body
    assert "http://127.0.0.1:8000/hubs/ssa/" in message.body


def test_applicant_hears_of_rejection_with_the_reason(
    client, ssa, mailoutbox, django_capture_on_commit_callbacks
):
    coordinator = make_coordinator(ssa)
    membership = services.membership_request(hub=ssa, user=UserFactory())
    client.force_login(coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            f"/hubs/ssa/moderation/requests/{membership.pk}/reject/",
            {"reason": "Please tell us which municipality you work for."},
        )
    [message] = mailoutbox
    assert message.to == [membership.user.email]
    assert message.subject == "[Connective Cities] Your request to join the SSA hub"
    assert "Please tell us which municipality you work for." in message.body
    assert "Please tell us which municipality you work for." in message.alternatives[0][0]


def test_a_refused_decision_sends_nothing(
    ssa, mena, mailoutbox, django_capture_on_commit_callbacks
):
    make_coordinator(ssa)
    outsider = make_coordinator(mena)
    membership = services.membership_request(hub=ssa, user=UserFactory())
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(Exception):  # noqa: B017
        services.membership_approve(membership=membership, acting_user=outsider)
    assert mailoutbox == []


def test_coordinators_see_the_pending_count_in_the_navigation(client, ssa, mena):
    coordinator = make_coordinator(ssa)
    make_coordinator(mena)
    for _ in range(3):
        services.membership_request(hub=ssa, user=UserFactory())
    client.force_login(coordinator)
    html = client.get("/hubs/").content.decode()
    assert 'href="/hubs/ssa/moderation/#requests"' in html
    assert '<span class="badge">3</span>' in html
    assert "pending join requests" in html
    assert "/hubs/mena/moderation/" not in html  # not theirs


@pytest.mark.parametrize("who", ["member", "registered", "other_coordinator"])
def test_others_see_no_pending_count(client, ssa, mena, who):
    coordinator = make_coordinator(ssa)
    services.membership_request(hub=ssa, user=UserFactory())
    person = {
        "member": lambda: make_member(ssa, coordinator=coordinator),
        "registered": UserFactory,
        "other_coordinator": lambda: make_coordinator(mena),
    }[who]()
    client.force_login(person)
    html = client.get("/hubs/").content.decode()
    assert "/hubs/ssa/moderation/" not in html
    assert 'class="badge"' not in html


def test_the_pending_count_costs_one_query_and_none_for_anonymous(ssa, mena):
    coordinator = make_coordinator(ssa)
    services.coordinator_assign(hub=mena, user=coordinator)
    for _ in range(4):
        services.membership_request(hub=ssa, user=UserFactory())
    request = RequestFactory().get("/")
    request.user = coordinator
    with CaptureQueriesContext(connection) as queries:
        rows = list(coordinator_nav(request)["coordinated_hubs"])
    assert len(queries) == 1
    assert [(r["hub__slug"], r["pending"]) for r in rows] == [("mena", 0), ("ssa", 4)]

    from django.contrib.auth.models import AnonymousUser

    request.user = AnonymousUser()
    with CaptureQueriesContext(connection) as queries:
        assert list(coordinator_nav(request)["coordinated_hubs"]) == []
    assert len(queries) == 0


def test_the_badge_counts_open_reports_beside_join_requests(ssa, client):
    coordinator = make_coordinator(ssa)
    member = make_member(ssa, coordinator=coordinator)
    reporter = make_member(ssa, coordinator=coordinator)
    thread = services.thread_create(hub=ssa, author=member, title="Tariffs", question="Who?")
    message, _created = services.message_post(thread=thread, author=member, body="Rude words")
    services.report_create(message=message, reporter=reporter, reason="Rude")
    services.membership_request(hub=ssa, user=UserFactory())
    request = RequestFactory().get("/")
    request.user = coordinator
    with CaptureQueriesContext(connection) as queries:
        rows = list(coordinator_nav(request)["coordinated_hubs"])
    assert len(queries) == 1
    assert [(r["hub__slug"], r["pending"], r["reports"]) for r in rows] == [("ssa", 1, 1)]
    client.force_login(coordinator)
    html = client.get("/hubs/").content.decode()
    assert '<span class="badge">2</span>' in html
    assert "1 open report" in html and "1 pending join request" in html


def test_mail_is_in_the_recipients_preferred_language(
    ssa, mailoutbox, django_capture_on_commit_callbacks
):
    coordinator = make_coordinator(ssa)
    ProfileFactory(user=coordinator, preferred_language="ar")
    membership = services.membership_request(hub=ssa, user=UserFactory())
    with django_capture_on_commit_callbacks(execute=True):
        services.membership_approve(membership=membership, acting_user=coordinator)
    [message] = mailoutbox  # the applicant has no profile: the site's default language
    assert 'lang="en"' in message.alternatives[0][0]
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.membership_request(hub=ssa, user=UserFactory())
    [message] = mailoutbox
    assert message.to == [coordinator.email]
    assert '<html lang="ar" dir="rtl">' in message.alternatives[0][0]


def test_a_hub_without_coordinator_tells_staff(ssa, mailoutbox, django_capture_on_commit_callbacks):
    staff = UserFactory(is_staff=True)
    UserFactory(is_staff=True, is_active=False)
    UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        services.membership_request(hub=ssa, user=UserFactory())
    [message] = mailoutbox
    assert message.to == [staff.email]
    assert "The hub has no coordinator" in message.body
