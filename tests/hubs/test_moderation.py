"""The coordinator dashboard: what it shows, the decisions, their refusals, the log."""

import pytest
from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer

from hubs import services
from hubs.models import Membership, ModerationLogEntry
from hubs.realtime import groups
from tests.factories import ProfileFactory, UserFactory

from .conftest import assert_permissions_in_step, make_coordinator, make_member, snapshot

pytestmark = pytest.mark.django_db


def test_dashboard_shows_requests_with_message_members_reports_and_log(client, world):
    client.force_login(world.ssa_coordinator)
    html = client.get("/hubs/ssa/moderation/").content.decode()
    # the pending request, with the applicant's message and the two decision forms
    assert "Thabo Nkosi" in html
    assert "Waste collection in Durban" in html
    assert f"/hubs/ssa/moderation/requests/{world.target_applicant.pk}/approve/" in html
    assert f"/hubs/ssa/moderation/requests/{world.target_applicant.pk}/reject/" in html
    # members with role and state; suspend for the member, reinstate for the suspended one
    assert "Wanjiru Kamau" in html
    assert "Coordinator" in html
    assert f"/hubs/ssa/moderation/members/{world.target_member.pk}/suspend/" in html
    assert f"/hubs/ssa/moderation/members/{world.target_suspended.pk}/reinstate/" in html
    assert "Advertising" in html  # the suspension reason
    # no suspend button for the coordinator themself
    own = Membership.objects.get(hub=world.ssa, user=world.ssa_coordinator)
    assert f"/members/{own.pk}/suspend/" not in html
    # the reports queue partial and the log
    assert 'id="reports-title"' in html
    assert "No open reports." in html
    assert "suspended a member" in html
    # every field has a label
    assert html.count("<textarea") + html.count('<input type="text"') == html.count(
        'for="approve-'
    ) + html.count('for="reject-') + html.count('for="suspend-') + html.count('for="reinstate-')


def test_dashboard_is_read_only_for_staff(client, world):
    client.force_login(UserFactory(is_staff=True))
    html = client.get("/hubs/ssa/moderation/").content.decode()
    assert "Thabo Nkosi" in html
    assert "viewing this dashboard as staff" in html
    assert "/approve/" not in html
    assert "/suspend/" not in html


def test_dashboard_shows_the_applicants_profile(client, ssa, world):
    applicant = ProfileFactory(
        organisation="eThekwini Municipality",
        organisation_type="municipality",
        city="Durban",
        country="ZA",
        position="Head of <b>solid waste</b>",
    ).user
    services.membership_request(hub=ssa, user=applicant, message="Informal collectors")
    client.force_login(world.ssa_coordinator)
    html = client.get("/hubs/ssa/moderation/").content.decode()
    for fact in (
        "eThekwini Municipality",
        "Municipality or municipal company",
        "Durban",
        "South Africa",
        "Head of &lt;b&gt;solid waste&lt;/b&gt;",
        "Informal collectors",
    ):
        assert fact in html


def test_approve_with_a_note(client, world):
    client.force_login(world.ssa_coordinator)
    response = client.post(
        f"/hubs/ssa/moderation/requests/{world.target_applicant.pk}/approve/",
        {"reason": "Welcome!"},
        follow=True,
    )
    assert "Thabo Nkosi is now a member of SSA." in response.content.decode()
    world.target_applicant.refresh_from_db()
    assert world.target_applicant.state == Membership.State.ACTIVE
    assert world.target_applicant.decided_by == world.ssa_coordinator
    entry = ModerationLogEntry.objects.get(action="approved", subject=world.target_applicant.user)
    assert (entry.actor, entry.subject, entry.reason) == (
        world.ssa_coordinator,
        world.target_applicant.user,
        "Welcome!",
    )
    assert_permissions_in_step()


def test_approving_twice_is_refused(client, world):
    client.force_login(world.ssa_coordinator)
    url = f"/hubs/ssa/moderation/requests/{world.target_applicant.pk}/approve/"
    assert client.post(url).status_code == 302
    before = snapshot()
    response = client.post(url)
    assert response.status_code == 400
    assert "already been decided" in response.content.decode()
    assert snapshot() == before


def test_approving_a_request_of_another_hub_is_refused(client, world, mena):
    mena_request = services.membership_request(hub=mena, user=UserFactory())
    client.force_login(world.ssa_coordinator)
    before = snapshot()
    # through this coordinator's own hub: that request is not in it
    assert (
        client.post(f"/hubs/ssa/moderation/requests/{mena_request.pk}/approve/").status_code == 404
    )
    # through the other hub's URL: not its coordinator
    assert (
        client.post(f"/hubs/mena/moderation/requests/{mena_request.pk}/approve/").status_code == 403
    )
    assert snapshot() == before


def test_rejecting_needs_a_reason(client, world):
    client.force_login(world.ssa_coordinator)
    before = snapshot()
    url = f"/hubs/ssa/moderation/requests/{world.target_applicant.pk}/reject/"
    for data in ({}, {"reason": "   "}, {"reason": "x" * 2001}):
        assert client.post(url, data).status_code == 400
    assert snapshot() == before


def test_suspension_needs_a_reason_and_spares_coordinators_and_oneself(client, world):
    other = make_coordinator(world.ssa)
    own = Membership.objects.get(hub=world.ssa, user=world.ssa_coordinator)
    client.force_login(world.ssa_coordinator)
    before = snapshot()
    base = "/hubs/ssa/moderation/members/"
    assert client.post(f"{base}{world.target_member.pk}/suspend/").status_code == 400
    other_pk = Membership.objects.get(hub=world.ssa, user=other).pk
    assert client.post(f"{base}{other_pk}/suspend/", {"reason": "x"}).status_code == 403
    assert client.post(f"{base}{own.pk}/suspend/", {"reason": "x"}).status_code == 400
    # a request is not a member
    assert (
        client.post(f"{base}{world.target_applicant.pk}/suspend/", {"reason": "x"}).status_code
        == 404
    )
    # reinstating someone who is not suspended
    assert client.post(f"{base}{world.target_member.pk}/reinstate/").status_code == 400
    assert snapshot() == before


def test_suspension_revokes_access_and_closes_websockets(
    client, world, django_capture_on_commit_callbacks
):
    layer = get_channel_layer()
    channel = async_to_sync(layer.new_channel)()
    user = world.target_member.user
    async_to_sync(layer.group_add)(groups.user_group(user.pk), channel)
    client.force_login(world.ssa_coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/hubs/ssa/moderation/members/{world.target_member.pk}/suspend/",
            {"reason": "Repeated spam"},
        )
    assert response.status_code == 302
    event = async_to_sync(layer.receive)(channel)
    assert event == {"type": "access.revoked", "hub_id": world.ssa.pk}
    assert_permissions_in_step()
    client.force_login(user)
    assert client.get("/hubs/ssa/members/").status_code == 403


def test_log_page_is_paginated_and_newest_first(client, ssa):
    coordinator = make_coordinator(ssa)
    for _ in range(55):
        make_member(ssa, coordinator=coordinator)
    client.force_login(coordinator)
    first = client.get("/hubs/ssa/moderation/log/").content.decode()
    assert "Page 1 of 3" in first
    assert first.count("approved a join request") + first.count("asked to join") == 50
    last = client.get("/hubs/ssa/moderation/log/?page=3").content.decode()
    assert "made a coordinator" in last  # the oldest entry
    assert client.get("/hubs/ssa/moderation/log/?page=x").status_code == 200


def test_log_names_threads_messages_and_people_with_links(client, ssa):
    coordinator = make_coordinator(ssa, name="Kwame Mensah")
    member = make_member(ssa, coordinator=coordinator, name="Wanjiru Kamau")
    thread = services.thread_create(hub=ssa, author=member, title="Floods", question="Who warns?")
    message, _created = services.message_post(thread=thread, author=member, body="Spam")
    services.message_hide(message=message, acting_user=coordinator, reason="Advertising")
    services.thread_set_locked(thread=thread, acting_user=coordinator, locked=True)
    client.force_login(coordinator)
    html = client.get("/hubs/ssa/moderation/log/").content.decode()
    assert "message 1 in thread" not in html and f"message {message.pk} in" not in html
    thread_url = f"/hubs/ssa/threads/{thread.pk}/"
    assert f'href="{thread_url}#message-{message.pk}"' in html
    assert f'href="{thread_url}"><bdi>Floods</bdi></a>' in html
    assert f'href="/members/{coordinator.pk}/"><bdi>Kwame Mensah</bdi>' in html
    assert f'href="/members/{member.pk}/"><bdi>Wanjiru Kamau</bdi>' in html


def test_log_is_append_only_in_the_admin(admin_client, world):
    entry = ModerationLogEntry.objects.first()
    assert admin_client.get("/django-admin/hubs/moderationlogentry/").status_code == 200
    response = admin_client.post(
        f"/django-admin/hubs/moderationlogentry/{entry.pk}/delete/", {"post": "yes"}
    )
    assert response.status_code == 403
    assert ModerationLogEntry.objects.filter(pk=entry.pk).exists()


def _member_row(html, name):
    start = html.index(name)
    return html[html.rindex("<tr", 0, start) : html.index("</tr>", start)]


def test_dashboard_shows_when_a_member_last_took_part(client, world):
    from django.utils import formats, timezone

    client.force_login(world.ssa_coordinator)
    row = _member_row(client.get("/hubs/ssa/moderation/").content.decode(), "Wanjiru Kamau")
    assert '<td data-label="Last activity">—</td>' in row  # never active yet
    services.thread_create(
        hub=world.ssa, author=world.target_member.user, title="Floods", question="Who warns?"
    )
    row = _member_row(client.get("/hubs/ssa/moderation/").content.decode(), "Wanjiru Kamau")
    today = formats.date_format(timezone.localdate(), "DATE_FORMAT")
    assert "—</td>" not in row
    assert f'<td data-label="Joined">{today}</td>' in row
    assert f'<td data-label="Last activity">{today}</td>' in row


def test_one_predicate_says_who_may_be_suspended(world):
    from hubs import selectors

    coordinator = world.ssa_coordinator
    other = make_coordinator(world.ssa, name="Second Coordinator")
    own = Membership.objects.get(hub=world.ssa, user=coordinator)
    other_membership = Membership.objects.get(hub=world.ssa, user=other)
    cases = {
        world.target_member: True,
        world.target_suspended: False,
        own: False,
        other_membership: False,
    }
    for membership, allowed in cases.items():
        membership.refresh_from_db()
        assert (
            selectors.membership_can_suspend(membership=membership, acting_user=coordinator)
            is allowed
        )
        refused = selectors.membership_suspend_refusal(
            membership=membership, acting_user=coordinator
        )
        if allowed:
            services.membership_suspend(membership=membership, acting_user=coordinator, reason="x")
        else:
            with pytest.raises(type(refused)) as error:
                services.membership_suspend(
                    membership=membership, acting_user=coordinator, reason="x"
                )
            assert (error.value.code, error.value.message) == (refused.code, refused.message)


def test_entries_from_before_the_links_are_linked_by_the_migration(ssa):
    import importlib

    from django.apps import apps

    migration = importlib.import_module("hubs.migrations.0007_log_links")
    coordinator = make_coordinator(ssa)
    member = make_member(ssa, coordinator=coordinator)
    thread = services.thread_create(hub=ssa, author=member, title="Floods", question="Who warns?")
    message, _created = services.message_post(thread=thread, author=member, body="Spam")
    Entry = ModerationLogEntry
    old_message = Entry.objects.create(
        hub=ssa, action="message_hidden", target=f"message {message.pk} in thread {thread.pk}"
    )
    old_thread = Entry.objects.create(
        hub=ssa, action="thread_locked", target=f"thread {thread.pk}: Floods"
    )
    gone = Entry.objects.create(hub=ssa, action="thread_pinned", target="thread 999999: Gone")
    migration.link_existing_entries(apps, None)
    old_message.refresh_from_db(), old_thread.refresh_from_db(), gone.refresh_from_db()
    assert (old_message.message_id, old_message.thread_id) == (message.pk, thread.pk)
    assert (old_thread.message_id, old_thread.thread_id) == (None, thread.pk)
    assert (gone.message_id, gone.thread_id) == (None, None)
