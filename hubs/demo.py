"""Demo people for the hubs: a coordinator for each hub, members in each, and one join request
waiting in SSA. Idempotent: everything goes through the membership and profile services, and
a person who already has a membership or a profile is left as they are."""

from members.models import Profile
from members.services import profile_update
from members.themes import ThematicField as T
from network.demo import demo_user

from . import services
from .models import Hub, Membership

MUNICIPALITY = Profile.OrganisationType.MUNICIPALITY
NGO = Profile.OrganisationType.NGO
OTHER = Profile.OrganisationType.OTHER

# slug: (email, name, city, country, organisation, organisation type, expertise)
COORDINATORS = {
    "mena": ("amina.mena@connective-cities.example", "Amina Benali", "Tunis", "TN",
             "Connective Cities, MENA regional network", OTHER, [T.GOOD_URBAN_GOVERNANCE]),
    "see": ("dragan.see@connective-cities.example", "Dragan Petrović", "Belgrade", "RS",
            "Connective Cities, SEE regional network", OTHER, [T.MUNICIPAL_SERVICES]),
    "ssa": ("kwame.ssa@connective-cities.example", "Kwame Boateng", "Accra", "GH",
            "Connective Cities, SSA regional network", OTHER, [T.LOCAL_ECONOMIC_DEVELOPMENT]),
}  # fmt: skip

MEMBERS = {
    "mena": [
        ("youssef.agadir@agadir.example", "Youssef El Amrani", "Agadir", "MA",
         "Commune d'Agadir", MUNICIPALITY, [T.LOCAL_ECONOMIC_DEVELOPMENT]),
        ("leila.tunis@tunis.example", "Leila Trabelsi", "Tunis", "TN",
         "Municipality of Tunis", MUNICIPALITY, [T.MUNICIPAL_SERVICES]),
        ("omar.amman@amman.example", "Omar Khalil", "Amman", "JO",
         "Greater Amman Municipality", MUNICIPALITY, [T.INTEGRATED_URBAN_DEVELOPMENT]),
    ],
    "see": [
        ("giorgi.rustavi@rustavi.example", "Giorgi Kapanadze", "Rustavi", "GE",
         "Rustavi City Hall", MUNICIPALITY, [T.MUNICIPAL_SERVICES]),
        ("arben.mitrovica@mitrovica.example", "Arben Krasniqi", "Mitrovica", "XK",
         "Municipality of Mitrovica", MUNICIPALITY, [T.INTEGRATED_URBAN_DEVELOPMENT]),
        ("jelena.nis@nis.example", "Jelena Marković", "Niš", "RS",
         "Green Niš civic initiative", NGO, [T.MUNICIPAL_SERVICES]),
    ],
    "ssa": [
        ("wanjiru.nairobi@nairobi.example", "Wanjiru Kamau", "Nairobi", "KE",
         "Nairobi City County", MUNICIPALITY, [T.MUNICIPAL_SERVICES]),
        ("jean-paul.kigali@kigali.example", "Jean-Paul Habimana", "Kigali", "RW",
         "City of Kigali", MUNICIPALITY, [T.INTEGRATED_URBAN_DEVELOPMENT]),
        ("aissatou.dakar@dakar.example", "Aïssatou Diallo", "Dakar", "SN",
         "Ville de Dakar", MUNICIPALITY, [T.INTEGRATED_URBAN_DEVELOPMENT]),
    ],
}  # fmt: skip

PENDING = ("thabo.durban@durban.example", "Thabo Nkosi", "Durban", "ZA",
           "eThekwini Municipality", MUNICIPALITY, [T.MUNICIPAL_SERVICES])  # fmt: skip
PENDING_MESSAGE = (
    "I lead the waste-collection planning team in eThekwini and would like to learn from "
    "Nairobi and Kigali about working with informal collectors."
)


def _person(email, name, city, country, organisation, organisation_type, expertise):
    """A demo user with a profile (made once, through the members' profile service)."""
    user = demo_user(email, name)
    if not Profile.objects.filter(user=user).exists():
        profile_update(
            user=user,
            name=name,
            expertise=list(expertise),
            languages=["en"],
            organisation=organisation,
            organisation_type=organisation_type,
            city=city,
            country=country,
        )
    return user


def coordinator(slug: str):
    """The demo coordinator of hub SLUG (made and assigned once)."""
    person = _person(*COORDINATORS[slug])
    services.coordinator_assign(hub=Hub.objects.get(slug=slug), user=person)
    return person


def admit(*, user, slug: str) -> Membership:
    """Make USER an active member of hub SLUG the way the site does: they ask, the hub's demo
    coordinator approves. Leaves an existing membership as it is. (Other apps' seeders use
    this for their demo people.)"""
    hub = Hub.objects.get(slug=slug)
    membership = Membership.objects.filter(hub=hub, user=user).first()
    if membership is None:
        membership = services.membership_request(hub=hub, user=user)
    if membership.state == Membership.State.REQUESTED:
        membership = services.membership_approve(
            membership=membership, acting_user=coordinator(slug)
        )
    return membership


def seed(log):
    slugs = set(Hub.objects.filter(slug__in=COORDINATORS).values_list("slug", flat=True))
    for slug in sorted(slugs):
        person = coordinator(slug)
        log(person.email, f"coordinator of {slug.upper()}")
        for index, row in enumerate(MEMBERS[slug]):
            member = _person(*row)
            admit(user=member, slug=slug)
            if index == 0:
                log(member.email, f"member ({slug.upper()})")
    if "ssa" in slugs:
        applicant = _person(*PENDING)
        ssa = Hub.objects.get(slug="ssa")
        if not Membership.objects.filter(hub=ssa, user=applicant).exists():
            services.membership_request(hub=ssa, user=applicant, message=PENDING_MESSAGE)
        log(applicant.email, "waiting for approval (SSA)")
