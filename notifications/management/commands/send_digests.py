from django.core.management.base import BaseCommand

from notifications.digests import digests_send


class Command(BaseCommand):
    help = "Send the daily or weekly digests (once per member and period; safe to rerun)."

    def add_arguments(self, parser):
        parser.add_argument("--period", choices=["daily", "weekly"], required=True)

    def handle(self, *args, period, **options):
        sent = digests_send(period=period)
        self.stdout.write(f"{sent} {period} digest(s) sent.")
