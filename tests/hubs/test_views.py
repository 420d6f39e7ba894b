"""Hub pages, join and leave: what each visitor sees, the bad inputs, messages, redirects."""

import pytest

from hubs import services
from hubs.models import Membership, ModerationLogEntry
from tests.factories import UserFactory

from .conftest import assert_permissions_in_step, make_coordinator, make_member, snapshot

pytestmark = pytest.mark.django_db


def test_hubs_list_shows_each_hub_with_its_member_count(client, ssa, see):
    coordinator = make_coordinator(ssa)
    make_member(ssa, coordinator=coordinator)
    make_member(see)
    html = client.get("/hubs/").content.decode()
    for name in ("MENA", "SEE", "SSA", "Sub-Saharan Africa"):
        assert name in html
    assert "2 members" in html  # SSA: the coordinator and one member
    assert "1 member" in html  # SEE


def test_hub_list_shows_the_visitors_state(client, ssa):
    person = UserFactory()
    services.membership_request(hub=ssa, user=person)
    client.force_login(person)
    assert "Your request is waiting for approval." in client.get("/hubs/").content.decode()


def test_hub_page_shows_description_coordinators_and_member_count(client, ssa):
    make_coordinator(ssa, name="Kwame Mensah")
    html = client.get("/hubs/ssa/").content.decode()
    assert "Sub-Saharan Africa" in html
    assert ssa.description in html
    assert "Kwame Mensah" in html
    assert '<dd class="member-count">1</dd>' in html
    assert "Log in to join" in html
    assert "/accounts/login/?next=/hubs/ssa/" in html


@pytest.mark.parametrize(
    ("state", "shown", "button"),
    [
        (None, "Message to the coordinators (optional)", "Ask to join"),
        ("requested", "waiting for approval", "Withdraw my request"),
        ("active", "You are a member of this hub.", "Leave this hub"),
        ("suspended", "Your membership of this hub is suspended.", None),
        ("rejected", "Your earlier request to join was declined.", "Ask to join"),
        ("left", "Message to the coordinators (optional)", "Ask to join"),
    ],
)
def test_hub_page_offers_what_fits_the_visitors_state(client, ssa, state, shown, button):
    coordinator = make_coordinator(ssa)
    person = UserFactory()
    if state:
        membership = services.membership_request(hub=ssa, user=person)
        if state in ("active", "suspended", "left"):
            services.membership_approve(membership=membership, acting_user=coordinator)
        if state == "suspended":
            services.membership_suspend(
                membership=membership, acting_user=coordinator, reason="Spam links"
            )
        if state == "rejected":
            services.membership_reject(
                membership=membership, acting_user=coordinator, reason="Not a practitioner"
            )
        if state == "left":
            services.membership_leave(hub=ssa, user=person)
    client.force_login(person)
    html = client.get("/hubs/ssa/").content.decode()
    assert shown in html
    if button:
        assert button in html
    if state == "suspended":
        assert "Spam links" in html
        assert 'action="/hubs/ssa/join/"' not in html
        assert 'action="/hubs/ssa/leave/"' not in html
    if state == "rejected":
        assert "Not a practitioner" in html
    if state == "active":
        assert "No consultations in this hub yet." in html  # the members-only part
    else:
        assert "open to its members only" in html


def test_open_hub_admits_at_once_and_says_so(client, see):
    person = UserFactory()
    client.force_login(person)
    response = client.post("/hubs/see/join/", {"message": ""}, follow=True)
    assert response.redirect_chain == [("/hubs/see/", 302)]
    assert "Welcome to SEE!" in response.content.decode()
    assert Membership.objects.get(hub=see, user=person).state == Membership.State.ACTIVE


def test_join_by_approval_records_the_message_and_says_it_waits(client, ssa):
    person = UserFactory()
    client.force_login(person)
    response = client.post("/hubs/ssa/join/", {"message": "  Water utility, Kisumu  "}, follow=True)
    assert "waiting for a coordinator" in response.content.decode()
    membership = Membership.objects.get(hub=ssa, user=person)
    assert membership.state == Membership.State.REQUESTED
    assert membership.message == "Water utility, Kisumu"


def test_leave_says_so_and_redirects_back(client, see):
    person = make_member(see)
    client.force_login(person)
    response = client.post("/hubs/see/leave/", follow=True)
    assert "You have left SEE." in response.content.decode()
    assert Membership.objects.get(hub=see, user=person).state == Membership.State.LEFT


def test_asking_again_right_after_withdrawing_is_refused_with_the_wait(client, ssa):
    person = UserFactory()
    client.force_login(person)
    client.post("/hubs/ssa/join/", {"message": "Water"})
    client.post("/hubs/ssa/leave/")
    response = client.post("/hubs/ssa/join/", {"message": "Water again"}, follow=True)
    assert "Please wait 24 hours before asking again." in response.content.decode()
    assert Membership.objects.get(hub=ssa, user=person).state == Membership.State.LEFT


def test_redirect_goes_back_to_a_local_next_but_never_elsewhere(client, see):
    person = UserFactory()
    client.force_login(person)
    response = client.post("/hubs/see/join/", {"next": "/hubs/"})
    assert response["Location"] == "/hubs/"
    response = client.post("/hubs/see/leave/", {"next": "https://evil.example/"})
    assert response["Location"] == "/hubs/see/"


# Bad input: a clear 4xx, nothing changed, nothing logged --------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "/hubs/ssa/join/",
        "/hubs/ssa/leave/",
        "/hubs/ssa/moderation/requests/1/approve/",
        "/hubs/ssa/moderation/requests/1/reject/",
        "/hubs/ssa/moderation/members/1/suspend/",
        "/hubs/ssa/moderation/members/1/reinstate/",
    ],
)
def test_actions_refuse_get(client, ssa, url):
    client.force_login(make_coordinator(ssa))
    before = snapshot()
    assert client.get(url).status_code == 405
    assert snapshot() == before


@pytest.mark.parametrize(
    ("method", "url"),
    [
        ("get", "/hubs/nowhere/"),
        ("get", "/hubs/nowhere/members/"),
        ("get", "/hubs/nowhere/moderation/"),
        ("get", "/hubs/nowhere/moderation/log/"),
        ("post", "/hubs/nowhere/join/"),
        ("post", "/hubs/nowhere/leave/"),
        ("post", "/hubs/nowhere/moderation/requests/1/approve/"),
        ("post", "/hubs/nowhere/moderation/members/1/suspend/"),
    ],
)
def test_unknown_hub_is_404(client, user, method, url):
    client.force_login(user)
    before = snapshot()
    assert getattr(client, method)(url).status_code == 404
    assert snapshot() == before


def assert_refused(response, status, text):
    assert response.status_code == status
    html = response.content.decode()
    assert text in html
    assert "Nothing was changed." in html


def test_joining_twice_is_refused(client, see, ssa):
    member = make_member(see)
    client.force_login(member)
    before = snapshot()
    assert_refused(client.post("/hubs/see/join/"), 400, "already a member")
    assert snapshot() == before

    applicant = UserFactory()
    services.membership_request(hub=ssa, user=applicant)
    client.force_login(applicant)
    before = snapshot()
    assert_refused(client.post("/hubs/ssa/join/"), 400, "already waiting")
    assert snapshot() == before


def test_leaving_a_hub_one_is_not_in_is_refused(client, user, see):
    client.force_login(user)
    before = snapshot()
    assert_refused(client.post("/hubs/see/leave/"), 400, "You are not a member of this hub.")
    assert snapshot() == before


def test_suspended_member_can_neither_leave_nor_rejoin(client, see):
    coordinator = make_coordinator(see)
    person = make_member(see)
    services.membership_suspend(
        membership=Membership.objects.get(hub=see, user=person),
        acting_user=coordinator,
        reason="Harassment",
    )
    client.force_login(person)
    before = snapshot()
    assert_refused(client.post("/hubs/see/leave/"), 403, "suspended")
    assert_refused(client.post("/hubs/see/join/"), 403, "suspended")
    assert snapshot() == before


def test_overlong_join_message_is_refused(client, user):
    client.force_login(user)
    before = snapshot()
    response = client.post("/hubs/ssa/join/", {"message": "x" * 2001})
    assert response.status_code == 400
    assert snapshot() == before


def test_anonymous_join_goes_to_login_and_back_to_the_hub_page(client, ssa):
    before = snapshot()
    response = client.post("/hubs/ssa/join/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/hubs/ssa/"
    assert snapshot() == before


def test_members_page_lists_active_members_only(client, ssa):
    coordinator = make_coordinator(ssa, name="Kwame Mensah")
    member = make_member(ssa, coordinator=coordinator, name="Wanjiru Kamau")
    services.membership_request(hub=ssa, user=UserFactory(name="Pending Person"))
    suspended = make_member(ssa, coordinator=coordinator, name="Suspended Person")
    services.membership_suspend(
        membership=Membership.objects.get(hub=ssa, user=suspended),
        acting_user=coordinator,
        reason="Spam",
    )
    client.force_login(member)
    html = client.get("/hubs/ssa/members/").content.decode()
    assert "Kwame Mensah" in html
    assert "Wanjiru Kamau" in html
    assert "Pending Person" not in html
    assert "Suspended Person" not in html
    assert "2 members" in html


def test_log_and_permissions_untouched_by_all_refusals(client, world):
    """A battery of refused posts in a row: not one log entry, not one permission."""
    client.force_login(world.mena_coordinator)
    before = snapshot()
    pk = world.target_applicant.pk
    client.post(f"/hubs/ssa/moderation/requests/{pk}/approve/")
    client.post(f"/hubs/ssa/moderation/requests/{pk}/reject/", {"reason": "x"})
    client.post(f"/hubs/mena/moderation/requests/{pk}/approve/")
    client.post(f"/hubs/ssa/moderation/members/{world.target_member.pk}/suspend/", {"reason": "x"})
    assert snapshot() == before
    assert (
        not ModerationLogEntry.objects.filter(actor=world.mena_coordinator)
        .exclude(action="coordinator_assigned")
        .exists()
    )
    assert_permissions_in_step()


def test_members_page_lists_coordinators_first(client, ssa):
    coordinator = make_coordinator(ssa, name="Zeynep Coordinator")
    member = make_member(ssa, coordinator=coordinator, name="Aaron Member")
    client.force_login(member)
    html = client.get("/hubs/ssa/members/").content.decode().split('id="main"')[1]
    assert html.index("Zeynep Coordinator") < html.index("Aaron Member")
    client.force_login(coordinator)
    html = client.get("/hubs/ssa/moderation/").content.decode()
    html = html.split('id="members-title"')[1]
    assert html.index("Zeynep Coordinator") < html.index("Aaron Member")


def test_the_hub_stylesheet_is_served_and_linked(client):
    assert 'href="/static/css/hubs.css"' in client.get("/hubs/ssa/").content.decode()
    assert client.get("/static/css/hubs.css").status_code == 200
