"""Demo content for `manage.py seed_demo`. Each app contributes a seeder; all are idempotent."""

from django.utils.module_loading import import_string

from members.demo import DEMO_PASSWORD, demo_user

__all__ = ["DEMO_PASSWORD", "SEEDERS", "seed_all", "seed_staff"]

# Run in this order: later seeders use what earlier ones made.
SEEDERS = [
    "network.demo.seed_staff",
    "members.demo.seed",
    "hubs.demo.seed",
    "goodpractices.demo.seed",
    "calls.demo.seed",
    "hubs.demo.seed_threads",
    "events.demo.seed",
    "search.demo.seed",
]


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
