"""Demo members: practitioners from the cities in the seed documents, with profiles, some of
them in the expert directory, and `demo_user`, which every app's seeder uses to make its demo
people. Idempotent.

Each entry names the hub its person belongs to; `hubs.demo.seed` admits them (the members app
knows nothing of hubs)."""

from django.contrib.auth import get_user_model

from core.themes import ThematicField as T

from . import services
from .models import Profile

DEMO_PASSWORD = "connective-demo"  # noqa: S105 - printed for the demo, never used in production


def demo_user(email, name, *, password=DEMO_PASSWORD, **fields):
    """Create (once) a user with a verified email address who has accepted the policy
    versions in effect, so they can log in at once."""
    from allauth.account.models import EmailAddress

    User = get_user_model()
    user, created = User.objects.get_or_create(email=email, defaults={"name": name, **fields})
    if created:
        user.set_password(password)
        user.save(update_fields=["password"])
    EmailAddress.objects.update_or_create(
        user=user, email=email, defaults={"verified": True, "primary": True}
    )
    services.consent_record_current(user=user)
    return user


MEMBERS = [
    {
        "email": "amina.elidrissi@agadir.example",
        "name": "Amina El Idrissi",
        "organisation": "Commune d'Agadir",
        "organisation_type": Profile.OrganisationType.MUNICIPALITY,
        "city": "Agadir",
        "country": "MA",
        "preferred_language": "fr",
        "position": "Head of the environment department",
        "bio": "Runs Agadir's programme for separate waste collection and composting.",
        "expertise": [T.MUNICIPAL_SERVICES, T.INTEGRATED_URBAN_DEVELOPMENT],
        "languages": ["ar", "fr", "en"],
        "available_for_advice": True,
        "hub": "mena",
    },
    {
        "email": "nino.beridze@rustavi.example",
        "name": "Nino Beridze",
        "organisation": "Rustavi City Hall",
        "organisation_type": Profile.OrganisationType.MUNICIPALITY,
        "city": "Rustavi",
        "country": "GE",
        "preferred_language": "en",
        "position": "Urban planner",
        "bio": "Citizen participation in the renewal of Soviet-era housing estates.",
        "expertise": [T.INTEGRATED_URBAN_DEVELOPMENT, T.GOOD_URBAN_GOVERNANCE],
        "languages": ["ka", "ru", "en"],
        "available_for_advice": True,
        "hub": "see",
    },
    {
        "email": "kwame.mensah@kumasi.example",
        "name": "Kwame Mensah",
        "organisation": "Kumasi Metropolitan Assembly",
        "organisation_type": Profile.OrganisationType.MUNICIPALITY,
        "city": "Kumasi",
        "country": "GH",
        "preferred_language": "en",
        "position": "Local economic development officer",
        "bio": "Market traders, start-up hubs and municipal revenue.",
        "expertise": [T.LOCAL_ECONOMIC_DEVELOPMENT],
        "languages": ["en", "ak"],
        "available_for_advice": True,
        "visibility": Profile.Visibility.HUBS,
        "hub": "ssa",
    },
    {
        "email": "julia.weber@trier.example",
        "name": "Julia Weber",
        "organisation": "Stadtverwaltung Trier",
        "organisation_type": Profile.OrganisationType.MUNICIPALITY,
        "city": "Trier",
        "country": "DE",
        "preferred_language": "de",
        "position": "Digitalisation officer",
        "bio": "Open data and online services for citizens.",
        "expertise": [T.GOOD_URBAN_GOVERNANCE],
        "languages": ["de", "en", "fr"],
        "available_for_advice": True,
        "hub": "see",
    },
    {
        "email": "sara.haddad@research.example",
        "name": "Sara Haddad",
        "organisation": "Institute for Urban Research",
        "organisation_type": Profile.OrganisationType.RESEARCH,
        "city": "Amman",
        "country": "JO",
        "preferred_language": "ar",
        "bio": "Doctoral researcher on water utilities.",
        "expertise": [T.MUNICIPAL_SERVICES],
        "languages": ["ar", "en"],
        "available_for_advice": False,
        "hub": "mena",
    },
]


def _editors_publish_policies():
    from django.contrib.auth.models import Group, Permission

    editors, _created = Group.objects.get_or_create(name="Editors")
    editors.permissions.add(
        *Permission.objects.filter(
            content_type__app_label="members",
            codename__in=["add_policyversion", "view_policyversion"],
        )
    )


def seed(log):
    _editors_publish_policies()
    for data in MEMBERS:
        data = dict(data)
        expertise, languages, hub = data.pop("expertise"), data.pop("languages"), data.pop("hub")
        user = demo_user(data.pop("email"), data.pop("name"))
        if not Profile.objects.filter(user=user).exists():
            services.profile_update(
                user=user,
                name=user.name,
                expertise=expertise,
                languages=languages,
                visibility=data.pop("visibility", Profile.Visibility.MEMBERS),
                **data,
            )
        role = "member, in the expert directory" if data["available_for_advice"] else "member"
        log(user.email, f"{role} ({hub.upper()})")
