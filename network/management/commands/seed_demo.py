from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.test.utils import override_settings

from core.sites import site_sync
from network.demo import DEMO_PASSWORD, seed_all

# While seeding, nothing leaves the machine: mail goes nowhere, and tasks enqueued by the
# services (mail, notifications) are dropped rather than run later by the worker.
QUIET = {
    "EMAIL_BACKEND": "django.core.mail.backends.dummy.EmailBackend",
    "TASKS": {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}},
}


class Command(BaseCommand):
    help = "Create the demo hubs, people, good practices and threads. Safe to run again."

    def add_arguments(self, parser):
        parser.add_argument(
            "--allow-production",
            action="store_true",
            help="Seed even under production settings (accounts with the published demo "
            "password, a superuser among them).",
        )

    def handle(self, *args, allow_production=False, **options):
        if not settings.DEMO_CONTENT_ALLOWED and not allow_production:
            raise CommandError(
                "Refusing to load demo content under production settings: it creates accounts "
                "with the published demo password, a superuser among them. Pass "
                "--allow-production if this really is a demonstration site."
            )
        logins = {}
        with override_settings(**QUIET), transaction.atomic():
            # First role named wins: a person several seeders use is listed once.
            seed_all(lambda email, role: logins.setdefault(email, role))
            site_sync()  # the Site records name this site and its SITE_URL
        self.stdout.write(self.style.SUCCESS("Demo content is in place."))
        self.stdout.write(f"Demo logins (password for all: {DEMO_PASSWORD}):")
        for email, role in logins.items():
            self.stdout.write(f"  {email:<42} {role}")
