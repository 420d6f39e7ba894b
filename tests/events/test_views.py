"""The event pages: the calendar with its tabs and filters (constant queries), an event's
page in the viewer's time zone, the meeting link once accepted, the participant list and
CSV, the forms, the hub and home pages' next events, the learning processes."""

import csv
import io
from datetime import timedelta

import pytest
from django.utils import timezone

from events import services
from events.models import Event, LearningProcess, Registration

from .conftest import committed, make_event, register

pytestmark = pytest.mark.django_db


def test_the_calendar_lists_upcoming_first_and_past_on_their_own_tab(client, hub, coordinator):
    soon = make_event(hub, coordinator, title="Soon")
    later = make_event(
        hub, coordinator, title="Later",
        starts_at=soon.starts_at + timedelta(days=3), ends_at=soon.ends_at + timedelta(days=3),
    )  # fmt: skip
    start = timezone.now() - timedelta(days=30)
    past = make_event(
        hub, coordinator, title="Long ago", starts_at=start, ends_at=start + timedelta(hours=2)
    )
    upcoming = client.get("/events/")
    assert [e.title for e in upcoming.context["page"].object_list] == ["Soon", "Later"]
    tab = client.get("/events/?tab=past")
    assert [e.title for e in tab.context["page"].object_list] == [past.title]
    assert later.title not in tab.content.decode()


def test_filters(client, hub, other_hub, coordinator, other_coordinator):
    make_event(hub, coordinator, title="Online exchange")
    make_event(other_hub, other_coordinator, title="Workshop in Tirana", online=False,
               city="Tirana", country="AL", kind=Event.Kind.PROJECT_WORKSHOP, language="fr",
               theme="integrated_urban_development", meeting_link="")  # fmt: skip

    def titles(query):
        return [e.title for e in client.get("/events/?" + query).context["page"].object_list]

    assert titles(f"hub={other_hub.slug}") == ["Workshop in Tirana"]
    assert titles("kind=project_workshop") == ["Workshop in Tirana"]
    assert titles("theme=municipal_services") == ["Online exchange"]
    assert titles("language=fr") == ["Workshop in Tirana"]
    assert titles("mode=online") == ["Online exchange"]
    assert titles("mode=on_site") == ["Workshop in Tirana"]
    assert len(titles("kind=nonsense&hub=nowhere")) == 2  # unknown values are dropped


def test_the_calendar_costs_the_same_queries_for_many_events(
    client, hub, coordinator, member, django_assert_max_num_queries
):
    make_event(hub, coordinator)
    client.force_login(member)
    client.get("/events/")
    for number in range(8):
        make_event(hub, coordinator, title=f"Event {number}")
    with django_assert_max_num_queries(16):
        response = client.get("/events/")
    assert len(response.context["page"].object_list) == 9


def test_members_only_events_are_hidden_from_others(client, hub, coordinator, member, outsider):
    private = make_event(hub, coordinator, title="Coordinators round", members_only=True)
    assert private.title not in client.get("/events/").content.decode()
    client.force_login(outsider)
    assert private.title not in client.get("/events/").content.decode()
    assert client.get(f"/events/{private.pk}/").status_code == 404
    client.force_login(member)
    assert private.title in client.get("/events/").content.decode()


def test_times_in_the_viewers_zone_with_the_events_own_beside(client, event, member):
    from tests.factories import ProfileFactory

    ProfileFactory(user=member, country="DE", time_zone="Africa/Nairobi")
    client.force_login(member)
    page = client.get(f"/events/{event.pk}/").content.decode()
    nairobi = event.starts_at.astimezone(__import__("zoneinfo").ZoneInfo("Africa/Nairobi"))
    assert f"{nairobi:%H:%M}" in page and "(Africa/Nairobi)" in page
    assert "local time (Europe/Berlin)" in page
    # The calendar page says which zone applies and where to change it.
    page = client.get("/members/me/calendar/").content.decode()
    assert "Africa/Nairobi" in page and 'href="/members/me/#id_time_zone"' in page


def test_the_zone_defaults_from_the_country(client, event, member):
    from events import selectors
    from tests.factories import ProfileFactory

    ProfileFactory(user=member, country="JO")
    member.refresh_from_db()
    assert selectors.viewer_time_zone(member) == "Asia/Amman"


def test_the_meeting_link_is_shown_once_accepted(client, hub, coordinator, member):
    event = make_event(hub, coordinator, review_registrations=True)
    client.force_login(member)
    assert event.meeting_link not in client.get(f"/events/{event.pk}/").content.decode()
    with committed():
        response = client.post(f"/events/{event.pk}/register/", {"motivation": "Waste pickers"})
    assert response.status_code == 302
    assert event.meeting_link not in client.get(f"/events/{event.pk}/").content.decode()
    registration = Registration.objects.get(event=event, user=member)
    with committed():
        services.registration_accept(registration=registration, acting_user=coordinator)
    assert event.meeting_link in client.get(f"/events/{event.pk}/").content.decode()


def test_registering_twice_shows_a_clear_message(client, event, member):
    client.force_login(member)
    client.post(f"/events/{event.pk}/register/", {"motivation": "x"})
    response = client.post(f"/events/{event.pk}/register/", {"motivation": "x"})
    assert response.status_code == 400
    assert "already registered" in response.content.decode()
    assert Registration.objects.filter(event=event).count() == 1


def test_participants_see_names_only_organisers_everything(
    client, event, coordinator, member, member2
):
    register(event, member, motivation="Secret motivation")
    register(event, member2)
    client.force_login(member)
    page = client.get(f"/events/{event.pk}/participants/").content.decode()
    assert member2.name in page
    assert member2.email not in page and "Secret motivation" not in page
    client.force_login(coordinator)
    page = client.get(f"/events/{event.pk}/participants/").content.decode()
    assert "Secret motivation" in page


def test_the_csv_for_organisers(client, event, coordinator, member, member2, people):
    register(event, member, motivation='=HYPERLINK("http://evil.example")')
    register(event, member2)
    register(event, people[0])
    client.force_login(coordinator)
    response = client.get(f"/events/{event.pk}/participants.csv")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][:2] == ["Name", "Email"]
    assert {row[1] for row in rows[1:]} == {member.email, member2.email, people[0].email}
    motivation = next(row[7] for row in rows if row[1] == member.email)
    assert motivation.startswith("'=")  # no formula reaches a spreadsheet


def test_a_coordinator_creates_an_event_through_the_form(client, hub, coordinator):
    client.force_login(coordinator)
    assert client.get(f"/hubs/{hub.slug}/events/new/").status_code == 200
    start = (timezone.now() + timedelta(days=20)).strftime("%Y-%m-%dT10:00")
    fields = {
        "title": "Virtual exchange: waste pickers", "kind": "virtual_exchange",
        "time_zone": "Europe/Belgrade", "starts_at": start, "ends_at": start.replace("T10", "T12"),
        "online": "on", "meeting_link": "https://meet.example.org/x", "language": "en",
        "capacity": "30",
    }  # fmt: skip
    refused = client.post(f"/hubs/{hub.slug}/events/new/", {**fields, "capacity": "0"})
    assert refused.status_code == 200 and "capacity" in refused.context["form"].errors
    backwards = client.post(
        f"/hubs/{hub.slug}/events/new/", {**fields, "ends_at": start.replace("T10", "T08")}
    )
    assert "ends_at" in backwards.context["form"].errors
    assert not Event.objects.exists()
    with committed():
        response = client.post(f"/hubs/{hub.slug}/events/new/", fields)
    event = Event.objects.get()
    assert response["Location"] == f"/events/{event.pk}/"
    assert event.time_zone == "Europe/Belgrade" and list(event.hubs.all()) == [hub]
    assert event.starts_at.astimezone(__import__("zoneinfo").ZoneInfo("Europe/Belgrade")).hour == 10


def test_a_member_proposes_through_the_form(client, hub, coordinator, member, outbox):
    client.force_login(member)
    start = (timezone.now() + timedelta(days=20)).strftime("%Y-%m-%dT10:00")
    with committed():
        response = client.post("/events/propose/", {
            "hub": hub.pk, "title": "Urban gardening walk", "kind": "hub_meeting",
            "time_zone": "Africa/Nairobi", "starts_at": start,
            "ends_at": start.replace("T10", "T12"), "city": "Nairobi", "country": "KE",
            "language": "en", "capacity": "20",
        })  # fmt: skip
    event = Event.objects.get()
    assert response["Location"] == f"/events/{event.pk}/"
    assert event.status == "proposed" and [m.to for m in outbox] == [[coordinator.email]]
    client.force_login(coordinator)
    page = client.get("/events/proposals/").content.decode()
    assert "Urban gardening walk" in page


def test_the_hub_page_and_the_home_page_show_the_next_events(client, hub, coordinator, event):
    assert event.title in client.get(f"/hubs/{hub.slug}/").content.decode()
    assert event.title in client.get("/").content.decode()


def test_the_learning_process_gathers_its_events_and_what_they_produced(
    client, hub, coordinator, thread, member
):
    process = LearningProcess.objects.create(
        title="Land management", slug="land-management", topic="Regional land management",
        host_name="Trier", host_country="DE", year=2020, status="running",
        themes="integrated_urban_development",
    )  # fmt: skip
    start = timezone.now() - timedelta(days=10)
    event = make_event(
        hub, coordinator, learning_process=process, starts_at=start,
        ends_at=start + timedelta(days=2), title="Virtual dialogue event",
    )  # fmt: skip
    with committed():
        services.event_document(
            event=event, acting_user=coordinator, summary="Thirty practitioners.", threads=[thread]
        )
    listing = client.get("/learning-processes/").content.decode()
    assert "Land management" in listing
    page = client.get("/learning-processes/land-management/").content.decode()
    assert "Virtual dialogue event" in page and "Thirty practitioners." in page
    assert thread.title not in page  # anonymous: the hub's threads are for its members
    client.force_login(member)
    assert thread.title in client.get("/learning-processes/land-management/").content.decode()
    assert client.get("/learning-processes/nothing/").status_code == 404


def test_pages_work_for_anonymous_visitors(client, event):
    for url in ("/events/", f"/events/{event.pk}/", "/learning-processes/", "/events/feed.ics"):
        assert client.get(url).status_code == 200, url
    assert client.get("/events/propose/")["Location"].startswith("/accounts/login/")
    assert client.get("/members/me/calendar/")["Location"].startswith("/accounts/login/")


def test_the_hub_page_shows_members_only_events_to_its_members(
    client, hub, coordinator, member, outsider
):
    make_event(hub, coordinator, title="Members round", members_only=True)
    assert "Members round" not in client.get(f"/hubs/{hub.slug}/").content.decode()
    client.force_login(outsider)
    assert "Members round" not in client.get(f"/hubs/{hub.slug}/").content.decode()
    client.force_login(member)
    assert "Members round" in client.get(f"/hubs/{hub.slug}/").content.decode()
