"""Background work of the events app: the reminder run, for the worker or cron
(`manage.py send_event_reminders` enqueues or runs the same)."""

from django_tasks import task


@task()
def send_event_reminders() -> int:
    """Send the due 7-day and 1-day reminders; safe to run twice (each is sent once)."""
    from .services import reminders_send

    return reminders_send()
