"""Background tasks (django-tasks): small, by id, safe to run twice. Each one hands over to
`dispatch` (who hears of a hub event), `mailing` (mail at once) or `digests`."""

from django_tasks import task

from . import dispatch, mailing


@task()
def hub_event(name: str, ids: dict) -> None:
    """Work out who hears of the hub event NAME (a function of `dispatch`) with IDS."""
    handler = getattr(dispatch, name, None)
    if handler is None or name.startswith("_"):
        raise ValueError(f"unknown hub event {name!r}")
    handler(**ids)


@task()
def mail_notification(notification_id: int) -> None:
    """Mail NOTIFICATION_ID (and whatever waits for the same thread) unless it was mailed,
    read, withdrawn, or the thread's mail window is still closed."""
    mailing.mail_pending(notification_id=notification_id)
