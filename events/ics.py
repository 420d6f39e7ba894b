"""iCalendar (RFC 5545) files made with the `icalendar` library: one event, the public feed,
a member's personal feed. Each event keeps its own time zone (TZID with a VTIMEZONE), a UID
that never changes (`<uuid>@<site host>`) and the SEQUENCE the services bump on every change
a calendar must see. The meeting link goes only into files for people who may see it."""

from datetime import UTC
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from django.conf import settings
from django.urls import reverse
from icalendar import Calendar
from icalendar import Event as VEvent

from .models import Event, Registration

PRODID = "-//Connective Cities//Hub platform events//EN"


def _host() -> str:
    return urlsplit(settings.SITE_URL).hostname or "localhost"


def uid_for(event: Event) -> str:
    return f"{event.uid}@{_host()}"


def _component(event: Event, *, with_link: bool, tentative: bool = False) -> VEvent:
    zone = ZoneInfo(event.time_zone)
    url = settings.SITE_URL.rstrip("/") + reverse("events:detail", args=[event.pk])
    item = VEvent()
    item.add("uid", uid_for(event))
    item.add("sequence", event.sequence)
    item.add("dtstamp", event.updated.astimezone(UTC))
    item.add("last-modified", event.updated.astimezone(UTC))
    item.add("dtstart", event.starts_at.astimezone(zone))
    item.add("dtend", event.ends_at.astimezone(zone))
    item.add("summary", event.title)
    description = event.description
    if with_link and event.meeting_link:
        description = f"{description}\n\n{event.meeting_link}".strip()
    item.add("description", f"{description}\n\n{url}".strip())
    item.add("url", url)
    if event.online:
        item.add("location", event.meeting_link if with_link and event.meeting_link else "Online")
    elif event.place:
        item.add("location", event.place)
    if event.status == Event.Status.CANCELLED:
        item.add("status", "CANCELLED")
    else:
        item.add("status", "TENTATIVE" if tentative else "CONFIRMED")
    return item


def _calendar(name: str) -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", name)
    return calendar


def _finish(calendar: Calendar) -> bytes:
    calendar.add_missing_timezones()
    return calendar.to_ical()


def event_file(event: Event, *, with_link: bool) -> bytes:
    calendar = _calendar(event.title)
    calendar.add("method", "PUBLISH")
    calendar.add_component(_component(event, with_link=with_link))
    return _finish(calendar)


def public_feed(events, *, name: str) -> bytes:
    calendar = _calendar(name)
    for event in events:
        calendar.add_component(_component(event, with_link=False))
    return _finish(calendar)


def personal_feed(registrations, *, name: str) -> bytes:
    """The events of REGISTRATIONS; the link only where the person is accepted."""
    calendar = _calendar(name)
    for registration in registrations:
        accepted = registration.state == Registration.State.ACCEPTED
        calendar.add_component(
            _component(registration.event, with_link=accepted, tentative=not accepted)
        )
    return _finish(calendar)
