from django.core.management.base import BaseCommand
from django.db import transaction

from core.sites import site_sync
from network.demo import DEMO_PASSWORD, seed_all


class Command(BaseCommand):
    help = "Create the demo hubs, people, good practices and threads. Safe to run again."

    def handle(self, *args, **options):
        logins = {}
        with transaction.atomic():
            # First role named wins: a person several seeders use is listed once.
            seed_all(lambda email, role: logins.setdefault(email, role))
            site_sync()  # the Site records name this site and its SITE_URL
        self.stdout.write(self.style.SUCCESS("Demo content is in place."))
        self.stdout.write(f"Demo logins (password for all: {DEMO_PASSWORD}):")
        for email, role in logins.items():
            self.stdout.write(f"  {email:<42} {role}")
