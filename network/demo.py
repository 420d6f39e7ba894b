"""Demo content for `manage.py seed_demo`. Each app contributes a seeder; all are idempotent."""

from django.contrib.auth import get_user_model
from django.utils.module_loading import import_string

DEMO_PASSWORD = "connective-demo"  # noqa: S105 - printed for the demo, never used in production

# Run in this order: later seeders use what earlier ones made.
SEEDERS = [
    "network.demo.seed_staff",
    "members.demo.seed",
    "hubs.demo.seed",
    "goodpractices.demo.seed",
    "hubs.demo.seed_threads",
    "events.demo.seed",
    "search.demo.seed",
]


def demo_user(email, name, *, password=DEMO_PASSWORD, **fields):
    """Create (once) a user with a verified email address who has accepted the policy
    versions in effect, so they can log in at once."""
    from allauth.account.models import EmailAddress

    from members.services import consent_record_current

    User = get_user_model()
    user, created = User.objects.get_or_create(email=email, defaults={"name": name, **fields})
    if created:
        user.set_password(password)
        user.save(update_fields=["password"])
    EmailAddress.objects.update_or_create(
        user=user, email=email, defaults={"verified": True, "primary": True}
    )
    consent_record_current(user=user)
    return user


def seed_staff(log):
    from django.contrib.auth.models import Group

    demo_user(
        "admin@connective-cities.example", "Site Administrator", is_staff=True, is_superuser=True
    )
    editor = demo_user("editor@connective-cities.example", "Eda Editor")
    editors, _ = Group.objects.get_or_create(name="Editors")
    editor.groups.add(editors)
    log("admin@connective-cities.example", "staff: Django and Wagtail admin")
    log("editor@connective-cities.example", "editor: publishes good practices in /admin/")


def seed_all(log):
    for path in SEEDERS:
        import_string(path)(log)
