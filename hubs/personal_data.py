"""What the hubs hold about a person, for the data export and account deletion
(registered in `members.personal_data` from `HubsConfig.ready`)."""

from .models import Membership, ModerationLogEntry


def export(user) -> dict:
    memberships = Membership.objects.filter(user=user).select_related("hub").order_by("pk")
    entries = (
        ModerationLogEntry.objects.filter(subject=user)
        .select_related("hub")
        .order_by("created", "pk")
    )
    return {
        "memberships": [
            {
                "hub": m.hub.slug,
                "state": m.state,
                "role": m.role,
                "message": m.message,
                "requested_at": m.requested_at.isoformat() if m.requested_at else None,
                "joined_at": m.joined_at.isoformat() if m.joined_at else None,
                "decided_at": m.decided_at.isoformat() if m.decided_at else None,
                "decision_reason": m.decision_reason,
                "last_activity": m.last_activity.isoformat() if m.last_activity else None,
            }
            for m in memberships
        ],
        # Decisions about the person. Who took them is the coordinator's data, not theirs:
        # the export says whether it was the person themselves, a coordinator or an operator.
        "hub_log": [
            {
                "hub": e.hub.slug,
                "action": e.action,
                "by": "you"
                if e.actor_id == user.pk
                else ("coordinator" if e.actor_id else "operator"),
                "reason": e.reason,
                "target": e.target,
                "when": e.created.isoformat(),
            }
            for e in entries
        ],
        # Decisions the person took as a coordinator: what and when, not about whom (that is
        # the other person's data).
        "hub_decisions_taken": [
            {"hub": e.hub.slug, "action": e.action, "when": e.created.isoformat()}
            for e in ModerationLogEntry.objects.filter(actor=user)
            .exclude(subject=user)
            .select_related("hub")
            .order_by("created", "pk")
        ],
    }


def erase(user) -> None:
    from .services import personal_data_erase

    personal_data_erase(user=user)


def register() -> None:
    from members import personal_data

    personal_data.register(
        "hubs",
        export=export,
        erase=erase,
        # guardian's per-object permissions are granted by the hub services only.
        models=("hubs.Membership", "hubs.ModerationLogEntry", "guardian.UserObjectPermission"),
    )
