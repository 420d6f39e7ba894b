"""The mails of the events app, one function each. The services call them inside their
transaction; `core.mail.mail_enqueue` sends after commit. Each mail goes to one person in
their preferred language; the meeting link is put in a mail only for accepted participants
(and organisers), never for pending, waitlisted or declined people."""

from zoneinfo import ZoneInfo

from django.conf import settings
from django.urls import reverse

from core.mail import mail_enqueue
from hubs import selectors as hub_selectors

from . import selectors
from .models import Event, Registration

RState = Registration.State


def language_for(user) -> str:
    available = {code for code, _name in settings.LANGUAGES}
    profile = getattr(user, "profile", None)
    code = getattr(profile, "preferred_language", "") or ""
    return code if code in available else settings.LANGUAGE_CODE


def absolute(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def format_span(event: Event, zone: str) -> str:
    """'2026-05-05 09:00 – 2026-05-07 13:00 (Europe/Berlin)': language-neutral."""
    tz = ZoneInfo(zone)
    start, end = event.starts_at.astimezone(tz), event.ends_at.astimezone(tz)
    end_text = f"{end:%H:%M}" if end.date() == start.date() else f"{end:%Y-%m-%d %H:%M}"
    return f"{start:%Y-%m-%d %H:%M} – {end_text} ({zone})"


def event_context(event: Event, recipient, *, with_link: bool) -> dict:
    zone = selectors.viewer_time_zone(recipient)
    return {
        "recipient_name": recipient.name or recipient.email,
        "event_title": event.title,
        "event_kind": event.get_kind_display(),
        "event_url": absolute(reverse("events:detail", args=[event.pk])),
        "ics_url": absolute(reverse("events:ics", args=[event.pk])),
        "when_local": format_span(event, zone),
        "when_event": format_span(event, event.time_zone),
        "same_zone": zone == event.time_zone,
        "place": event.place,
        "online": event.online,
        "meeting_link": event.meeting_link if with_link else "",
    }


def _send(template: str, recipient, context: dict) -> None:
    mail_enqueue(
        to=recipient.email,
        template=f"events/email/{template}",
        context=context,
        language=language_for(recipient),
    )


def registration_received(registration: Registration) -> None:
    """Accepted, waiting for review, or waitlisted: tell the person which."""
    accepted = registration.state == RState.ACCEPTED
    context = event_context(registration.event, registration.user, with_link=accepted)
    context["state"] = registration.state
    _send("registration_received", registration.user, context)


def moved_up(registration: Registration) -> None:
    accepted = registration.state == RState.ACCEPTED
    context = event_context(registration.event, registration.user, with_link=accepted)
    context["state"] = registration.state
    _send("moved_up", registration.user, context)


def registration_decided(registration: Registration) -> None:
    accepted = registration.state == RState.ACCEPTED
    context = event_context(registration.event, registration.user, with_link=accepted)
    context.update(accepted=accepted, reason=registration.decline_reason)
    _send("registration_decided", registration.user, context)


def event_changed(registration: Registration, *, changes: list[str]) -> None:
    accepted = registration.state == RState.ACCEPTED
    context = event_context(registration.event, registration.user, with_link=accepted)
    context["changes"] = changes
    _send("event_changed", registration.user, context)


def event_cancelled(registration: Registration) -> None:
    context = event_context(registration.event, registration.user, with_link=False)
    context["reason"] = registration.event.cancel_reason
    _send("event_cancelled", registration.user, context)


def reminder(registration: Registration, *, days: int) -> None:
    context = event_context(registration.event, registration.user, with_link=True)
    context["days"] = days
    _send("reminder", registration.user, context)


def proposal_submitted(event: Event) -> None:
    """Tell the coordinators of the proposal's hubs (staff, where a hub has none)."""
    recipients = {}
    for hub in event.hubs.all():
        people = list(hub_selectors.hub_coordinators(hub=hub)) or list(hub_selectors.staff_users())
        for person in people:
            recipients[person.pk] = person
    for person in recipients.values():
        context = event_context(event, person, with_link=False)
        context.update(
            proposer=event.proposed_by.name if event.proposed_by else "",
            proposals_url=absolute(reverse("events:proposals")),
        )
        _send("proposal_submitted", person, context)


def proposal_decided(event: Event) -> None:
    if event.proposed_by is None:
        return
    context = event_context(event, event.proposed_by, with_link=False)
    context.update(approved=event.status == Event.Status.PUBLISHED, reason=event.decision_reason)
    _send("proposal_decided", event.proposed_by, context)
