"""Demo people for the hubs: a coordinator for each hub, members in each (the members app's
demo people among them, in the hub their entry names), and one join request waiting in SSA.
Idempotent: everything goes through the membership and profile services, and a person who
already has a membership or a profile is left as they are."""

from django.contrib.auth import get_user_model

from core.themes import ThematicField as T
from members import demo as members_demo
from members.demo import demo_user
from members.models import Profile
from members.services import profile_update

from . import services
from .models import Hub, Membership

User = get_user_model()
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
    coordinator approves. Leaves an existing membership as it is."""
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
    # The members app's demo people, made by members.demo.seed (which runs first), join the
    # hub their entry names.
    people = {user.email: user for user in User.objects.filter(email__in=[
        entry["email"] for entry in members_demo.MEMBERS
    ])}  # fmt: skip
    for entry in members_demo.MEMBERS:
        if entry["hub"] in slugs and entry["email"] in people:
            admit(user=people[entry["email"]], slug=entry["hub"])
    if "ssa" in slugs:
        applicant = _person(*PENDING)
        ssa = Hub.objects.get(slug="ssa")
        if not Membership.objects.filter(hub=ssa, user=applicant).exists():
            services.membership_request(hub=ssa, user=applicant, message=PENDING_MESSAGE)
        log(applicant.email, "waiting for approval (SSA)")


# Consultation threads ------------------------------------------------------------------

# Practitioners who ask and answer in the demo threads (all log in with the demo password).
THREAD_PEOPLE = {
    "amina": ("amina.haddad@agadir.example", "Amina Haddad"),
    "youssef": ("youssef.elidrissi@tetouan.example", "Youssef El Idrissi"),
    "leila": ("leila.mansour@irbid.example", "Leila Mansour"),
    "nino": ("nino.beridze@rustavi.example", "Nino Beridze"),
    "arben": ("arben.krasniqi@mitrovica.example", "Arben Krasniqi"),
    "jelena": ("jelena.markovic@nis.example", "Jelena Marković"),
    "kwame": ("kwame.mensah@kumasi.example", "Kwame Mensah"),
    "aissatou": ("aissatou.diallo@saint-louis.example", "Aïssatou Diallo"),
    "thandi": ("thandi.nkosi@ethekwini.example", "Thandi Nkosi"),
    "sabine": ("sabine.weber@trier.example", "Sabine Weber"),
}

THREADS = [
    {
        "hub": "mena",
        "author": "amina",
        "theme": "municipal_services",
        "title": "Bringing informal waste collectors into the municipal service",
        "question": (
            "In Agadir about 300 informal collectors (*bouaras*) sort recyclables from the "
            "bins before our trucks arrive. We want to recognise their work instead of "
            "chasing them away.\n\n"
            "- How did your city register informal collectors?\n"
            "- Did you pay them per tonne, or give them a contract through a cooperative?\n"
            "- How did you handle health and safety equipment?"
        ),
        "replies": [
            (
                "youssef",
                "In Tétouan we started with a census together with an NGO and issued ID "
                "cards. The cooperative model worked better than individual contracts: the "
                "cooperative signs with the municipality, members get gloves, boots and a "
                "small health insurance.",
            ),
            (
                "leila",
                "Irbid pays a fixed amount per tonne delivered to the sorting centre. Two "
                "lessons: publish the price, and pay weekly, otherwise collectors go back to "
                "the middlemen.",
            ),
            (
                "amina",
                "Thank you both. Did the census scare people away? Many fear that "
                "registration means taxes.",
            ),
            (
                "youssef",
                "At first, yes. What helped was that the NGO did the interviews, not "
                "municipal staff, and that the card came with free vaccination.",
            ),
        ],
    },
    {
        "hub": "mena",
        "author": "leila",
        "theme": "local_economic_development",
        "title": "Support for young start-ups outside the capital",
        "question": (
            "Our young graduates leave for Amman. We are planning a municipal incubator in "
            "an empty market building. What should a municipality offer itself, and what "
            "should it leave to the chamber of commerce or private partners?"
        ),
        "replies": [
            (
                "amina",
                "Keep the municipality to what only it can do: cheap space, fast permits "
                "(one desk for all licences), and public procurement that lets small firms "
                "bid. Coaching is better done by partners.",
            ),
            (
                "youssef",
                "Measure from the start: how many firms still exist after two years. Our "
                "council only renewed the budget because we had those numbers.",
            ),
        ],
    },
    {
        "hub": "see",
        "author": "nino",
        "theme": "municipal_services",
        "title": "Plastic recycling with schools: how to keep it going after the pilot?",
        "question": (
            "Rustavi ran a six-month pilot: separate collection of PET bottles in 12 "
            "schools, with a competition between classes. Collection rates were great, but "
            "after the pilot ended everything stopped. How did you make school programmes "
            "last beyond a project?"
        ),
        "replies": [
            (
                "jelena",
                "Niš put the collection into the contract of the public utility, so the "
                "pick-up from schools is a regular route, not a project. The competition is "
                "now organised by the education department each spring.",
            ),
            (
                "sabine",
                "In Trier the revenue from the bottles goes to the school's own budget. "
                "That gave the head teachers a reason to keep it up.",
            ),
            (
                "arben",
                "We had the same problem in Mitrovica. A teacher responsible for the "
                "environment in each school, with a few hours reduced teaching load, made "
                "the difference.",
            ),
        ],
    },
    {
        "hub": "see",
        "author": "arben",
        "theme": "integrated_urban_development",
        "title": "Inter-municipal land management for a shared industrial zone",
        "question": (
            "Mitrovica North and South and two neighbouring municipalities want to develop "
            "a shared industrial zone. Who owns the land, who collects the property tax, "
            "who pays for the roads? Are there contracts we could learn from?"
        ),
        "replies": [
            (
                "sabine",
                "German municipalities often found a special-purpose association "
                "(*Zweckverband*): it buys the land, builds the infrastructure and shares "
                "the tax income by an agreed key. I can share an English summary of one.",
            ),
            (
                "jelena",
                "Agree the key for sharing costs and income before anyone talks about "
                "locations, otherwise every mayor wants the zone on their side.",
            ),
        ],
    },
    {
        "hub": "ssa",
        "author": "kwame",
        "theme": "integrated_urban_development",
        "title": "Climate resilience: early warning for flooding in informal settlements",
        "question": (
            "Kumasi had severe floods again this rainy season. Most affected are informal "
            "settlements along the rivers, where people have no formal address. How do "
            "you warn residents in time, and who do you work with on the ground?"
        ),
        "replies": [
            (
                "thandi",
                "eThekwini works with community flood wardens: volunteers who receive SMS "
                "alerts from the disaster management centre and warn their neighbours with "
                "megaphones. Training twice a year, and a small stipend.",
            ),
            (
                "aissatou",
                "In Saint-Louis we mapped the settlements with the residents first. Without "
                "the map, the warnings did not reach the right streets.",
            ),
            (
                "kwame",
                "Very helpful. Did the wardens also help with keeping drains clear?",
            ),
            (
                "thandi",
                "Yes, drain clearing became part of their role, with tools from the "
                "municipality. It also made the programme popular with the councillors.",
            ),
        ],
    },
    {
        "hub": "ssa",
        "author": "aissatou",
        "theme": "good_urban_governance",
        "title": "Participatory budgeting for waste collection in neighbourhoods",
        "question": (
            "Saint-Louis wants residents to decide part of the waste collection budget. "
            "Has anyone tried participatory budgeting for a municipal service, not only for "
            "small construction projects?"
        ),
        "replies": [
            (
                "thandi",
                "We tried it for street lighting. Keep the choices concrete (frequency, "
                "collection points) and publish afterwards what was done with each vote.",
            ),
        ],
    },
]


def _thread_member(hub, user, coordinator):
    from . import services
    from .models import Membership

    membership = Membership.objects.filter(hub=hub, user=user).first()
    if membership is not None and membership.state == Membership.State.ACTIVE:
        return
    if membership is None or membership.state in (
        Membership.State.LEFT,
        Membership.State.REJECTED,
    ):
        membership = services.membership_request(hub=hub, user=user, message="Demo member")
    if membership.state == Membership.State.REQUESTED:
        services.membership_approve(membership=membership, acting_user=coordinator)


def _hub_coordinator(hub, log):
    from . import services
    from .models import Membership

    existing = (
        Membership.objects.filter(
            hub=hub, state=Membership.State.ACTIVE, role=Membership.Role.COORDINATOR
        )
        .select_related("user")
        .first()
    )
    if existing is not None:
        return existing.user
    email = f"coordinator.{hub.slug}@connective-cities.example"
    user = demo_user(email, f"{hub.name} Coordinator")
    services.coordinator_assign(hub=hub, user=user)
    log(email, f"coordinator of the {hub.name} hub")
    return user


def seed_threads(log):
    """A few realistic consultations in each hub, with replies. Idempotent: a thread whose
    title already exists in its hub is left alone."""
    from django.conf import settings
    from django.test import override_settings

    from . import services
    from .models import Hub, Thread

    people = {key: demo_user(email, name) for key, (email, name) in THREAD_PEOPLE.items()}
    # The demo writes many messages at once: no rate limits while seeding.
    limit = max(getattr(settings, "THREADS_POST_RATE_LIMIT", 10), 10_000)
    changes = max(getattr(settings, "THREADS_CHANGE_RATE_LIMIT", 20), 10_000)
    with override_settings(THREADS_POST_RATE_LIMIT=limit, THREADS_CHANGE_RATE_LIMIT=changes):
        for spec in THREADS:
            hub = Hub.objects.filter(slug=spec["hub"]).first()
            if hub is None or Thread.objects.filter(hub=hub, title=spec["title"]).exists():
                continue
            coordinator = _hub_coordinator(hub, log)
            involved = {spec["author"], *(who for who, _ in spec["replies"])}
            for key in sorted(involved):
                _thread_member(hub, people[key], coordinator)
            thread = services.thread_create(
                hub=hub,
                author=people[spec["author"]],
                title=spec["title"],
                question=spec["question"],
                theme=spec["theme"],
            )
            for who, body in spec["replies"]:
                services.message_post(thread=thread, author=people[who], body=body)
    for key in ("amina", "nino", "kwame"):
        email, name = THREAD_PEOPLE[key]
        log(email, f"member: {name}, asks in a consultation thread")
