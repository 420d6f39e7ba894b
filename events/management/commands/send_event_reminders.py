"""`manage.py send_event_reminders`: remind accepted participants 7 days and 1 day before
their events. Run it from cron or the worker every hour or so; a reminder already sent is
never sent again, so running it twice (or on two machines) is harmless."""

from django.core.management.base import BaseCommand

from events.services import reminders_send


class Command(BaseCommand):
    help = "Send the due event reminders (7 days and 1 day before), each once."

    def handle(self, *args, **options):
        sent = reminders_send()
        self.stdout.write(f"{sent} reminder(s) sent.")
