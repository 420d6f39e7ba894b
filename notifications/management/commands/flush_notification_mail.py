from django.core.management.base import BaseCommand

from notifications.mailing import mail_flush_due


class Command(BaseCommand):
    help = "Send notification mail that waited for its thread's mail window to pass."

    def handle(self, *args, **options):
        self.stdout.write(f"{mail_flush_due()} notification mail(s) sent.")
