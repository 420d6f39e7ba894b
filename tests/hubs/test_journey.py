"""Done when: a registered member asks to join SSA, the SSA coordinator is notified, approves,
and the member appears in the list; the MENA coordinator can do none of that for SSA."""

import pytest

from hubs.models import Membership

from .conftest import assert_permissions_in_step, make_coordinator, snapshot

pytestmark = pytest.mark.django_db


def test_join_ssa_notified_approved_listed(
    client_factory, user_factory, ssa, mena, mailoutbox, django_capture_on_commit_callbacks
):
    ssa_coordinator = make_coordinator(ssa, name="Kwame Mensah", email="kwame.ssa@cc.example")
    mena_coordinator = make_coordinator(mena, name="Amina Benali", email="amina.mena@cc.example")
    applicant = user_factory(name="Wanjiru Kamau")

    # The member asks to join, with a message.
    member_client = client_factory()
    member_client.force_login(applicant)
    with django_capture_on_commit_callbacks(execute=True):
        response = member_client.post(
            "/hubs/ssa/join/", {"message": "Water and sanitation, Nairobi City County"}
        )
    assert response.status_code == 302
    page = member_client.get("/hubs/ssa/").content.decode()
    assert "waiting for approval" in page
    request = Membership.objects.get(hub=ssa, user=applicant)

    # The SSA coordinator is notified: by email and in the navigation.
    [email] = mailoutbox
    assert email.to == ["kwame.ssa@cc.example"]
    assert "Wanjiru Kamau asks to join SSA" in email.subject
    coordinator_client = client_factory()
    coordinator_client.force_login(ssa_coordinator)
    dashboard = coordinator_client.get("/hubs/ssa/").content.decode()
    assert '<span class="badge">1</span>' in dashboard
    dashboard = coordinator_client.get("/hubs/ssa/moderation/").content.decode()
    assert "Wanjiru Kamau" in dashboard
    assert "Water and sanitation, Nairobi City County" in dashboard

    # The MENA coordinator can do none of that for SSA.
    mena_client = client_factory()
    mena_client.force_login(mena_coordinator)
    html = mena_client.get("/hubs/").content.decode()
    assert "/hubs/ssa/moderation/" not in html
    assert 'class="badge"' not in html  # MENA has nothing pending; SSA's count is not theirs
    before = snapshot()
    assert mena_client.get("/hubs/ssa/moderation/").status_code == 403
    assert mena_client.get("/hubs/ssa/moderation/log/").status_code == 403
    assert mena_client.get("/hubs/ssa/members/").status_code == 403
    for action, data in (("approve", {}), ("reject", {"reason": "No"})):
        url = f"/hubs/ssa/moderation/requests/{request.pk}/{action}/"
        assert mena_client.post(url, data).status_code == 403
        url = f"/hubs/mena/moderation/requests/{request.pk}/{action}/"
        assert mena_client.post(url, data).status_code == 404
    assert snapshot() == before
    assert [m.to for m in mailoutbox] == [["kwame.ssa@cc.example"]]

    # The SSA coordinator approves; the member hears of it.
    with django_capture_on_commit_callbacks(execute=True):
        response = coordinator_client.post(
            f"/hubs/ssa/moderation/requests/{request.pk}/approve/", {"reason": "Karibu!"}
        )
    assert response.status_code == 302
    assert mailoutbox[-1].to == [applicant.email]
    assert "approved" in mailoutbox[-1].body

    # The member appears in the list, and sees the hub's consultations.
    members = member_client.get("/hubs/ssa/members/").content.decode()
    assert "Wanjiru Kamau" in members
    assert "Kwame Mensah" in members
    assert "No consultations in this hub yet." in member_client.get("/hubs/ssa/").content.decode()
    assert "Wanjiru Kamau" in coordinator_client.get("/hubs/ssa/moderation/").content.decode()
    assert_permissions_in_step()
