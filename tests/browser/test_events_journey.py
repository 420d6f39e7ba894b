"""A virtual exchange run on the platform, in Chromium against the real server: a coordinator
announces it for the hub, a member registers with an answer to the motivation question and
gets the confirmation mail, the organiser accepts, the member sees the meeting link only then,
adds the event to a calendar from its .ics file, and gets the reminder a week before."""

import datetime
from zoneinfo import ZoneInfo

import icalendar
import pytest
from django.core import mail
from playwright.sync_api import expect

from events import services as event_services
from events.models import Event, Registration
from hubs import services as hub_services
from hubs.models import Hub
from tests.browser import support
from tests.factories import UserFactory

pytestmark = pytest.mark.browser

LINK = "https://meet.example/informal-waste"


def test_a_virtual_exchange_from_announcement_to_the_reminder(new_context, site):
    hub = Hub.objects.get(slug="see")
    coordinator = UserFactory(name="Dragan Coordinator")
    hub_services.coordinator_assign(hub=hub, user=coordinator)
    member = UserFactory(name="Mira Krasniqi", email="mira@mitrovica.example")
    hub_services.membership_request(hub=hub, user=member)  # SEE admits members at once
    zone = ZoneInfo("Europe/Belgrade")
    starts = (datetime.datetime.now(zone) + datetime.timedelta(days=6)).replace(
        hour=10, minute=0, second=0, microsecond=0
    )

    # The coordinator announces a virtual exchange for the hub.
    office = new_context()
    support.log_in(office, coordinator)
    page = office.new_page()
    page.goto(f"/hubs/{hub.slug}/events/new/")
    page.get_by_label("Title").fill("Virtual exchange on the informal waste sector")
    page.get_by_label("Kind of event").select_option("virtual_exchange")
    page.get_by_label("Time zone of the event").fill("Europe/Belgrade")
    page.get_by_label("Starts (in the event's time zone)").fill(starts.strftime("%Y-%m-%dT%H:%M"))
    ends = starts + datetime.timedelta(hours=2)
    page.get_by_label("Ends (in the event's time zone)").fill(ends.strftime("%Y-%m-%dT%H:%M"))
    page.get_by_label("Online").check()
    page.get_by_label("Meeting link").fill(LINK)
    page.get_by_label("Places").fill("20")
    page.get_by_label("Motivation question").fill("What do you hope to learn?")
    page.get_by_label("Organisers review each registration").check()
    page.get_by_role("button", name="Publish the event").click()
    event = Event.objects.get(title="Virtual exchange on the informal waste sector")
    expect(page.locator("h1")).to_contain_text(event.title)
    support.screenshot(page, "events-1-announced")

    # The member registers; the link is not shown yet; the confirmation mail arrives.
    visitor = new_context()
    support.log_in(visitor, member)
    reader = visitor.new_page()
    reader.goto(f"/events/{event.pk}/")
    expect(reader.get_by_text("Shown to accepted participants.")).to_be_visible()
    assert LINK not in reader.content()
    reader.get_by_label("What do you hope to learn?").fill(
        "How Mitrovica can register informal collectors."
    )
    reader.get_by_role("button", name="Register").click()
    expect(reader.get_by_role("region", name="Registration")).to_contain_text(
        "waiting for the organisers' decision"
    )
    support.assert_accessible(reader)
    received = site.mailbox.messages(to=member.email)
    assert received and LINK not in site.mailbox.text(received[-1])

    # The organiser accepts; now the member sees the link, and hears of it by mail.
    page.goto(f"/events/{event.pk}/participants/")
    expect(page.get_by_text("How Mitrovica can register informal collectors.")).to_be_visible()
    page.get_by_role("button", name="Accept").click()
    assert Registration.objects.get(event=event, user=member).state == "accepted"
    reader.reload()
    expect(reader.get_by_role("link", name=LINK)).to_be_visible()
    decided = site.mailbox.messages(to=member.email)
    assert len(decided) > len(received)
    support.screenshot(reader, "events-2-accepted")

    # Add to a calendar: a valid iCalendar file, in the event's zone.
    with reader.expect_download() as download:
        reader.get_by_role("link", name="Add to my calendar (.ics)").click()
    calendar = icalendar.Calendar.from_ical(download.value.path().read_bytes())
    [vevent] = list(calendar.walk("VEVENT"))
    assert str(vevent["SUMMARY"]) == event.title
    assert vevent.decoded("DTSTART") == starts
    assert str(vevent.decoded("DTSTART").tzinfo) == "Europe/Belgrade"
    assert str(vevent["UID"])

    # A week before, the reminder goes out once (the worker runs the same service).
    mail.outbox.clear()
    assert event_services.reminders_send() == 1
    assert event_services.reminders_send() == 0
    [reminder] = mail.outbox
    assert reminder.to == [member.email] and event.title in reminder.subject
    assert LINK in reminder.body
