"""What the hubs hold about a person, for the data export and account deletion: memberships,
the moderation log, and the threads.

Erasure keeps the conversation readable for the others (the messages stay, shown as by a
"Former member") but removes every link to the person: authorship of threads and messages,
reports they made, moderation marks they set, and their read positions. Registered from
`HubsConfig.ready`.
"""

from django.db import transaction
from django.db.models import Q

from .models import Membership, Message, ModerationLogEntry, Report, Thread, ThreadReadState


def _iso(value):
    return value.isoformat() if value else None


def export_memberships(user) -> list[dict]:
    return [
        {
            "hub": m.hub.slug,
            "state": m.state,
            "role": m.role,
            "message": m.message,
            "requested_at": _iso(m.requested_at),
            "joined_at": _iso(m.joined_at),
            "decided_at": _iso(m.decided_at),
            "decision_reason": m.decision_reason,
            "last_activity": _iso(m.last_activity),
        }
        for m in Membership.objects.filter(user=user).select_related("hub").order_by("pk")
    ]


def export_moderation_log(user) -> list[dict]:
    """Entries about the person (with the reason given), and the decisions they took as a
    coordinator: what and when, but not about whom nor why (that is the other person's data).
    Who decided about them is not named either: "by" is you, a coordinator or an operator."""
    entries = (
        ModerationLogEntry.objects.filter(Q(subject=user) | Q(actor=user))
        .select_related("hub")
        .order_by("created", "pk")
    )
    rows = []
    for entry in entries:
        about_me = entry.subject_id == user.pk
        by_me = entry.actor_id == user.pk
        rows.append(
            {
                "hub": entry.hub.slug,
                "action": entry.action,
                "by_me": by_me,
                "about_me": about_me,
                "by": "you" if by_me else ("coordinator" if entry.actor_id else "operator"),
                "reason": entry.reason if about_me else "",
                "target": entry.target if about_me or by_me else "",
                "when": _iso(entry.created),
            }
        )
    return rows


def erase_memberships(user) -> None:
    from .services import personal_data_erase

    personal_data_erase(user=user)


def export_threads(user) -> dict:
    threads = Thread.objects.filter(author=user).select_related("hub").order_by("pk")
    messages = Message.objects.filter(author=user).select_related("thread").order_by("pk")
    reports = Report.objects.filter(reporter=user).order_by("pk")
    return {
        "threads_started": [
            {
                "id": t.pk,
                "hub": t.hub.slug,
                "title": t.title,
                "question": t.question,
                "theme": t.theme,
                "created": t.created.isoformat(),
            }
            for t in threads
        ],
        "messages": [
            {
                "id": m.pk,
                "thread": m.thread_id,
                "thread_title": m.thread.title,
                "body": m.body,
                "created": m.created.isoformat(),
                "edited": m.edited.isoformat() if m.edited else None,
                "deleted": m.deleted,
                "hidden": m.hidden,
            }
            for m in messages
        ],
        "reports": [
            {
                "message": r.message_id,
                "reason": r.reason,
                "state": r.state,
                "created": r.created.isoformat(),
            }
            for r in reports
        ],
        "read_positions": [
            {"thread": s.thread_id, "last_read_message": s.last_read_message_id}
            for s in ThreadReadState.objects.filter(user=user).order_by("thread_id")
        ],
    }


@transaction.atomic
def erase_threads(user) -> None:
    Thread.objects.filter(author=user).update(author=None)
    # client_id goes too: with the author gone it would only link messages to each other.
    Message.objects.filter(author=user).update(author=None, client_id=None)
    Message.objects.filter(hidden_by=user).update(hidden_by=None)
    Report.objects.filter(reporter=user).update(reporter=None)
    Report.objects.filter(resolved_by=user).update(resolved_by=None)
    ThreadReadState.objects.filter(user=user).delete()


def register() -> None:
    from core import personal_data

    personal_data.register(
        "memberships",
        export=export_memberships,
        erase=erase_memberships,
        models=("hubs.Membership",),
    )
    personal_data.register(
        "moderation_log", export=export_moderation_log, models=("hubs.ModerationLogEntry",)
    )
    personal_data.register(
        "hub_threads",
        export=export_threads,
        erase=erase_threads,
        models=("hubs.Thread", "hubs.Message", "hubs.Report", "hubs.ThreadReadState"),
    )
