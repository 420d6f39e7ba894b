"""`manage.py assign_call_reviewer EMAIL CALL_SLUG [--remove]`: make a member a reviewer of a
topic call, or no longer one."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from calls import services
from calls.models import TopicCall


class Command(BaseCommand):
    help = "Make a member a reviewer of a topic call (--remove: no longer)."

    def add_arguments(self, parser):
        parser.add_argument("email")
        parser.add_argument("call_slug")
        parser.add_argument("--remove", action="store_true", help="remove the reviewer")

    def handle(self, *args, email, call_slug, remove, **options):
        user = get_user_model().objects.filter(email__iexact=email).first()
        if user is None:
            raise CommandError(f"No account with the email address {email}.")
        call = TopicCall.objects.filter(slug=call_slug).first()
        if call is None:
            raise CommandError(f"No topic call with the slug {call_slug}.")
        if remove:
            changed = services.call_reviewer_remove(call=call, user=user)
            message = "removed from" if changed else "was not a reviewer of"
        else:
            changed = services.call_reviewer_assign(call=call, user=user)
            message = "now reviews" if changed else "already reviews"
        self.stdout.write(f"{user.email} {message} {call.slug}")
