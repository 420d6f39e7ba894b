"""The calendar files, parsed back with icalendar: time zones, stable UIDs, SEQUENCE after a
change, cancelled events, the meeting link only for those who may see it, the secret feed."""

from datetime import timedelta

import pytest
from icalendar import Calendar

from events import services
from events.models import Event

from .conftest import committed, event_data, make_event, register

pytestmark = pytest.mark.django_db


def parse(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    return Calendar.from_ical(response.content)


def test_one_event_round_trips_with_its_zone_and_uid(client, event):
    calendar = parse(client.get(f"/events/{event.pk}/event.ics"))
    (item,) = calendar.events
    assert str(item["UID"]) == f"{event.uid}@127.0.0.1"
    assert item.start == event.starts_at and item.end == event.ends_at
    assert str(item.start.tzinfo) == "Europe/Berlin"
    assert item["DTSTART"].params["TZID"] == "Europe/Berlin"
    assert [str(tz["TZID"]) for tz in calendar.walk("VTIMEZONE")] == ["Europe/Berlin"]
    assert int(item["SEQUENCE"]) == 0
    assert str(item["SUMMARY"]) == event.title
    assert event.meeting_link not in response_text(client, event)  # anonymous: no link


def response_text(client, event):
    return client.get(f"/events/{event.pk}/event.ics").content.decode()


def test_sequence_grows_and_uid_stays_after_a_change(client, event, coordinator):
    before = parse(client.get(f"/events/{event.pk}/event.ics")).events[0]
    data = {
        **event_data(),
        "starts_at": event.starts_at + timedelta(hours=1),
        "ends_at": event.ends_at + timedelta(hours=1),
        "time_zone": "Africa/Nairobi",
    }
    with committed():
        services.event_update(event=event, acting_user=coordinator, data=data)
    after = parse(client.get(f"/events/{event.pk}/event.ics")).events[0]
    assert str(after["UID"]) == str(before["UID"])
    assert int(after["SEQUENCE"]) == int(before["SEQUENCE"]) + 1
    assert after.start == event.starts_at + timedelta(hours=1)
    assert str(after.start.tzinfo) == "Africa/Nairobi"


def test_the_link_is_in_the_file_of_an_accepted_participant_only(
    client, event, member, member2, people
):
    register(event, member)
    register(event, member2)
    register(event, people[0])  # waitlisted
    client.force_login(people[0])
    assert event.meeting_link not in response_text(client, event)
    client.force_login(member)
    assert event.meeting_link in response_text(client, event)


def test_cancelled_events_say_so(client, event, coordinator):
    with committed():
        services.event_cancel(event=event, acting_user=coordinator, reason="Strike")
    item = parse(client.get(f"/events/{event.pk}/event.ics")).events[0]
    assert str(item["STATUS"]) == "CANCELLED" and int(item["SEQUENCE"]) == 1


def test_the_public_feed_has_upcoming_public_events_only(client, hub, coordinator, event):
    hidden = make_event(hub, coordinator, title="Hub meeting", members_only=True)
    past_start = event.starts_at - timedelta(days=60)
    make_event(
        hub,
        coordinator,
        title="Long ago",
        starts_at=past_start,
        ends_at=past_start + timedelta(hours=1),
    )
    calendar = parse(client.get("/events/feed.ics"))
    titles = [str(item["SUMMARY"]) for item in calendar.events]
    assert titles == [event.title]
    assert hidden.title not in client.get("/events/feed.ics").content.decode()
    assert event.meeting_link not in client.get("/events/feed.ics").content.decode()


def test_the_personal_feed_is_secret_and_resettable(client, event, member, member2, people):
    register(event, member)
    client.force_login(member)
    page = client.get("/members/me/calendar/")
    assert page.status_code == 200
    url = page.context["feed_url"]
    path = url.split("testserver", 1)[1]
    client.logout()
    calendar = parse(client.get(path))  # calendar programs fetch without a session
    (item,) = calendar.events
    assert str(item["UID"]).startswith(str(event.uid))
    assert str(item["STATUS"]) == "CONFIRMED"
    assert event.meeting_link in client.get(path).content.decode()

    client.force_login(member)
    client.post("/members/me/calendar/", {"action": "reset"})
    client.logout()
    assert client.get(path).status_code == 404
    assert client.get("/events/calendar/not-a-token.ics").status_code == 404


def test_a_waitlisted_person_sees_a_tentative_event_without_link(
    client, event, member, member2, people
):
    register(event, member)
    register(event, member2)
    register(event, people[0])
    client.force_login(people[0])
    path = client.get("/members/me/calendar/").context["feed_url"].split("testserver", 1)[1]
    item = parse(client.get(path)).events[0]
    assert str(item["STATUS"]) == "TENTATIVE"
    assert event.meeting_link not in client.get(path).content.decode()


def test_a_members_only_event_file_is_not_found_for_others(client, hub, coordinator, outsider):
    event = make_event(hub, coordinator, members_only=True)
    client.force_login(outsider)
    assert client.get(f"/events/{event.pk}/event.ics").status_code == 404
    assert Event.objects.filter(pk=event.pk).exists()
