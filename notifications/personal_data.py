"""What the notifications app holds about a person, for the data export and deletion.
Registered from `NotificationsConfig.ready`."""

from core import personal_data


def _iso(value):
    return value.isoformat() if value else None


def export(user):
    from .models import DigestSent, Follow, Notification, NotificationPreference

    return {
        "notifications": [
            {
                "kind": n.kind,
                "hub": n.hub_id,
                "thread": n.thread_id,
                "message": n.message_id,
                "outcome": n.outcome,
                "detail": n.detail,
                "count": n.count,
                "created": _iso(n.created),
                "updated": _iso(n.updated),
                "read": _iso(n.read_at),
            }
            for n in Notification.objects.filter(recipient=user).order_by("pk")
        ],
        "follows": [
            {"thread": f.thread_id, "hub": f.hub_id, "muted": f.muted, "since": _iso(f.created)}
            for f in Follow.objects.filter(user=user).order_by("pk")
        ],
        "preferences": dict(
            NotificationPreference.objects.filter(user=user).values_list("kind", "channel")
        ),
        "digests_sent": [
            {"period": d.period, "key": d.key, "items": d.items, "sent": _iso(d.sent_at)}
            for d in DigestSent.objects.filter(user=user).order_by("pk")
        ],
    }


def erase(user):
    from .models import DigestSent, Follow, MailThrottle, Notification, NotificationPreference

    Notification.objects.filter(recipient=user).delete()
    # Others' notifications keep the event, without naming the person.
    Notification.objects.filter(actor=user).update(actor=None)
    Follow.objects.filter(user=user).delete()
    NotificationPreference.objects.filter(user=user).delete()
    MailThrottle.objects.filter(user=user).delete()
    DigestSent.objects.filter(user=user).delete()


def register() -> None:
    personal_data.register(
        "notifications",
        export=export,
        erase=erase,
        models=(
            "notifications.Notification",
            "notifications.Follow",
            "notifications.NotificationPreference",
            "notifications.MailThrottle",
            "notifications.DigestSent",
        ),
    )
