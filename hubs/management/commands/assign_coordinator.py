from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from core.exceptions import ActionError
from hubs import services
from hubs.models import Hub


class Command(BaseCommand):
    help = (
        "Make a registered person a coordinator of a hub (they become a member too), "
        "or with --remove take the role away (they stay a member)."
    )

    def add_arguments(self, parser):
        parser.add_argument("email", help="the person's email address")
        parser.add_argument("hub_slug", help="the hub: mena, see, ssa, ...")
        parser.add_argument(
            "--remove", action="store_true", help="remove the coordinator role instead"
        )

    def handle(self, *args, email, hub_slug, remove, **options):
        user = get_user_model().objects.filter(email__iexact=email.strip()).first()
        if user is None:
            raise CommandError(f"Nobody is registered with the email address {email!r}.")
        hub = Hub.objects.filter(slug=hub_slug).first()
        if hub is None:
            known = ", ".join(Hub.objects.order_by("slug").values_list("slug", flat=True))
            raise CommandError(f"There is no hub {hub_slug!r}. Known hubs: {known}.")
        try:
            if remove:
                services.coordinator_remove(hub=hub, user=user)
            else:
                services.coordinator_assign(hub=hub, user=user)
        except ActionError as error:
            raise CommandError(error.message) from error
        if remove:
            self.stdout.write(self.style.SUCCESS(f"{user.email} no longer coordinates {hub.slug}."))
        else:
            self.stdout.write(self.style.SUCCESS(f"{user.email} coordinates {hub.slug}."))
