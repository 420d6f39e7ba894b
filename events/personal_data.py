"""What the events app holds about a person, for the data export and account deletion:
registrations (with the motivation given), the events they proposed, the calendar settings.

Registrations, mail records and calendar settings go with the account (CASCADE); events a
person proposed, created or decided stay for the others with the link removed (SET_NULL).
Registered from `EventsConfig.ready`.
"""

from .models import Event, EventLogEntry, Registration


def _iso(value):
    return value.isoformat() if value else None


def export_registrations(user) -> list[dict]:
    return [
        {
            "event": r.event.title,
            "starts_at": _iso(r.event.starts_at),
            "state": r.state,
            "motivation": r.motivation,
            "decline_reason": r.decline_reason,
            "attended": r.attended,
            "registered_at": _iso(r.queued_at),
        }
        for r in Registration.objects.filter(user=user).select_related("event").order_by("pk")
    ]


def export_events(user) -> dict:
    return {
        "proposed": [
            {"title": e.title, "status": e.status, "starts_at": _iso(e.starts_at)}
            for e in Event.objects.filter(proposed_by=user).order_by("pk")
        ],
        "organising": list(user.organised_events.order_by("pk").values_list("title", flat=True)),
        "log": [
            {"event": entry.event.title, "action": entry.action, "when": _iso(entry.created)}
            for entry in EventLogEntry.objects.filter(actor=user).select_related("event")
        ],
    }


def register() -> None:
    from core import personal_data

    personal_data.register(
        "event_registrations",
        export=export_registrations,
        models=("events.Registration", "events.MailRecord"),
    )
    personal_data.register(
        "events",
        export=export_events,
        models=(
            "events.Event",
            "events.Event_organisers",
            "events.EventLogEntry",
            "events.CalendarSettings",
            "events.EventFile",
        ),
    )
