"""What the hubs hold about a person, for the data export and account deletion.

Registered in `members.personal_data` from `HubsConfig.ready` under the keys "memberships"
and "moderation_log" (taking over the members app's stand-ins for the same keys; hubs is
installed after members, so its registration wins)."""

from django.db.models import Q

from .models import Membership, ModerationLogEntry


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


def erase(user) -> None:
    from .services import personal_data_erase

    personal_data_erase(user=user)


def register() -> None:
    from members import personal_data

    personal_data.register(
        "memberships", export=export_memberships, erase=erase, models=("hubs.Membership",)
    )
    personal_data.register(
        "moderation_log", export=export_moderation_log, models=("hubs.ModerationLogEntry",)
    )
