"""Demo learning processes and events for `manage.py seed_demo`, from the newsletter in the
seed documents (Mitrovica's three-part virtual exchange, the MENA dialogue event, Trier's
virtual dialogue event on land management, the SEE planning workshop, the Covid-19 series),
plus a few upcoming events so the calendar is not empty, with registrations.

Idempotent: a process or an event that exists (by slug or title) is left as it is. Events are
created and documented through the services; the registrations of 2020 are written directly
(the services rightly refuse registering for an event that is over)."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model
from django.utils import timezone

from hubs.models import Hub, Thread

from . import services
from .models import Event, LearningProcess, Registration

K = Event.Kind
COORDINATOR_OF = {
    "mena": "amina.mena@connective-cities.example",
    "see": "dragan.see@connective-cities.example",
    "ssa": "kwame.ssa@connective-cities.example",
}
EDITOR = "editor@connective-cities.example"
SEE_PEOPLE = [
    "arben.mitrovica@mitrovica.example",
    "giorgi.rustavi@rustavi.example",
    "jelena.nis@nis.example",
]
MENA_PEOPLE = [
    "youssef.agadir@agadir.example",
    "leila.tunis@tunis.example",
    "omar.amman@amman.example",
]
SSA_PEOPLE = [
    "wanjiru.nairobi@nairobi.example",
    "jean-paul.kigali@kigali.example",
    "aissatou.dakar@dakar.example",
]

PROCESSES = [
    {
        "slug": "informal-waste-sector-mitrovica",
        "title": "Working with the informal waste sector",
        "topic": "Setting up an organisation for informal waste collectors in the city",
        "themes": "municipal_services",
        "host_name": "Municipality of Mitrovica",
        "host_country": "XK",
        "year": 2020,
        "status": LearningProcess.Status.FOLLOW_UP,
        "description": (
            "From September to November 2020 the Kosovan city of Mitrovica took advice from "
            "international municipal practitioners in a three-part series of virtual "
            "exchanges, with experts from Germany, Belo Horizonte (Brazil) and Quito (Ecuador)."
        ),
        "goals": "An organisation of the informal waste collectors, recognised by the city.",
        "hubs": ["see"],
        "practices": ["mitrovica-informal-waste-collectors"],
    },
    {
        "slug": "local-economic-development-mena",
        "title": "Local economic development and job creation in the MENA region",
        "topic": (
            "Strategic planning for local economic development, sustainable livelihoods and "
            "social entrepreneurship, jobs through green infrastructure and circular economy"
        ),
        "themes": "local_economic_development",
        "host_name": "Cities of the MENA regional network",
        "host_country": "TN",
        "year": 2020,
        "status": LearningProcess.Status.RUNNING,
        "description": (
            "More than 40 municipal practitioners from 22 municipalities in 10 countries of the "
            "MENA region and Germany took part in the dialogue event in October 2020. Six "
            "project ideas are taken to planning maturity in a virtual workshop in January 2021."
        ),
        "goals": "Six project ideas ready for technical and financial proposals.",
        "hubs": ["mena"],
        "practices": ["agadir-local-development-programme"],
    },
    {
        "slug": "regional-land-management-trier",
        "title": "Sustainable, resilient regional and inter-municipal land management",
        "topic": "Land management between ecological, economic and social goals",
        "themes": "integrated_urban_development",
        "host_name": "City of Trier",
        "host_country": "DE",
        "year": 2020,
        "status": LearningProcess.Status.RUNNING,
        "description": (
            "Resilience and the three dimensions of sustainability are always at the centre "
            "of municipal land management, and so are conflicts of aims and interests: lively "
            "discussions among some 30 practitioners from 14 cities in 7 countries."
        ),
        "goals": "Ways to settle conflicts of interest in inter-municipal land management.",
        "hubs": ["see", "mena"],
        "practices": ["trier-regional-land-management"],
    },
]

BERLIN, TUNIS, BELGRADE, NAIROBI = (
    "Europe/Berlin",
    "Africa/Tunis",
    "Europe/Belgrade",
    "Africa/Nairobi",
)


def _at(zone, *args):
    return datetime(*args, tzinfo=ZoneInfo(zone))


def _past_events():
    """(hub slug or None, process slug or None, data, summary, thread titles)."""
    waste = "informal-waste-sector-mitrovica"
    return [
        *[
            (
                "see",
                waste,
                {
                    "title": f"Virtual exchange on the informal waste sector, part {number}",
                    "kind": K.VIRTUAL_EXCHANGE,
                    "description": (
                        "Mitrovica discusses with practitioners from Germany, Belo Horizonte "
                        "and Quito how to establish an organisation of informal waste collectors."
                    ),
                    "starts_at": _at(BELGRADE, 2020, month, day, 14),
                    "ends_at": _at(BELGRADE, 2020, month, day, 16, 30),
                    "time_zone": BELGRADE,
                    "online": True,
                    "capacity": 30,
                },
                summary,
                ["Bringing informal waste collectors into the municipal service"]
                if number == 3
                else [],
            )
            for number, month, day, summary in (
                (1, 9, 22, "The situation in Mitrovica and Belo Horizonte's cooperatives."),
                (2, 10, 20, "Quito's recycling associations: contracts, pay and recognition."),
                (3, 11, 17, "A road map for an organisation of Mitrovica's waste collectors."),
            )
        ],
        (
            "mena",
            "local-economic-development-mena",
            {
                "title": "Dialogue event: local economic development and job creation",
                "kind": K.DIALOGUE_EVENT,
                "description": (
                    "Strategic planning for local economic development, sustainable "
                    "livelihoods, social entrepreneurship, and jobs through public investment "
                    "in green infrastructure and circular economy."
                ),
                "starts_at": _at(TUNIS, 2020, 10, 13, 9),
                "ends_at": _at(TUNIS, 2020, 10, 15, 13),
                "time_zone": TUNIS,
                "online": True,
                "capacity": 45,
            },
            "More than 40 practitioners from 22 municipalities in 10 countries; six project "
            "ideas chosen for the planning workshop.",
            ["Support for young start-ups outside the capital"],
        ),
        (
            "see",
            None,
            {
                "title": "Planning workshop: climate-resilient urban development in SEE",
                "kind": K.PROJECT_WORKSHOP,
                "theme": "integrated_urban_development",
                "description": (
                    "Joint project plans on green infrastructure and urban mobility, as a basis "
                    "for technical and financial proposals."
                ),
                "starts_at": _at(BELGRADE, 2020, 10, 26, 10),
                "ends_at": _at(BELGRADE, 2020, 11, 6, 12),
                "time_zone": BELGRADE,
                "online": True,
                "capacity": 25,
            },
            "The strategic approaches of the project ideas were revised together and the "
            "action plans made concrete.",
            [],
        ),
        (
            None,
            "regional-land-management-trier",
            {
                "title": "Virtual dialogue event on regional land management (Trier)",
                "kind": K.DIALOGUE_EVENT,
                "description": "A virtual dialogue event in cooperation with the city of Trier.",
                "starts_at": _at(BERLIN, 2020, 11, 18, 9),
                "ends_at": _at(BERLIN, 2020, 11, 20, 13),
                "time_zone": BERLIN,
                "online": True,
                "capacity": 35,
            },
            "Some 30 practitioners from 14 cities in 7 countries.",
            ["Inter-municipal land management for a shared industrial zone"],
        ),
        (
            None,
            None,
            {
                "title": "Municipal responses to Covid-19: closing event",
                "kind": K.WEBINAR,
                "theme": "good_urban_governance",
                "description": (
                    "The end of the series: more than 35 virtual events with more than 800 "
                    "practitioners between July and December 2020."
                ),
                "starts_at": _at(BERLIN, 2020, 12, 9, 14),
                "ends_at": _at(BERLIN, 2020, 12, 9, 16),
                "time_zone": BERLIN,
                "online": True,
                "capacity": 300,
            },
            "115 good practices presented, 800 practitioners from around the world.",
            [],
        ),
    ]


def _upcoming_events(now):
    def day(days, hour, zone):
        local = (now + timedelta(days=days)).astimezone(ZoneInfo(zone))
        return local.replace(hour=hour, minute=0, second=0, microsecond=0)

    return [
        (
            "see",
            "informal-waste-sector-mitrovica",
            {
                "title": "Virtual exchange: informal waste collectors, one year on",
                "kind": K.VIRTUAL_EXCHANGE,
                "description": "Mitrovica reports back; Belo Horizonte and Quito comment.",
                "starts_at": day(10, 14, BELGRADE),
                "ends_at": day(10, 16, BELGRADE),
                "time_zone": BELGRADE,
                "online": True,
                "meeting_link": "https://meet.example.org/mitrovica-one-year-on",
                "capacity": 3,
                "motivation_question": "What would you like to learn from Mitrovica?",
            },
            SEE_PEOPLE + ["jelena.nis@nis.example", "omar.amman@amman.example"],
        ),
        (
            "mena",
            "local-economic-development-mena",
            {
                "title": "Virtual project planning workshop: local economic development",
                "kind": K.PROJECT_WORKSHOP,
                "description": (
                    "Six project ideas are taken to planning maturity in four sessions. We look "
                    "for experts from Germany and the MENA region who can support them."
                ),
                "starts_at": day(20, 10, TUNIS),
                "ends_at": day(26, 12, TUNIS),
                "time_zone": TUNIS,
                "online": True,
                "meeting_link": "https://meet.example.org/mena-led-workshop",
                "capacity": 30,
                "review_registrations": True,
                "motivation_question": "Which project idea can you support, with what expertise?",
            },
            MENA_PEOPLE,
        ),
        (
            None,
            None,
            {
                "title": "International dialogue event: urban gardening",
                "kind": K.DIALOGUE_EVENT,
                "theme": "integrated_urban_development",
                "description": "Two and a half days on urban gardening; working language English.",
                "starts_at": day(45, 9, BERLIN),
                "ends_at": day(47, 13, BERLIN),
                "time_zone": BERLIN,
                "online": False,
                "venue": "Town hall",
                "city": "Bonn",
                "country": "DE",
                "capacity": 35,
                "review_registrations": True,
                "motivation_question": "What does your city do about urban gardening?",
            },
            ["aissatou.dakar@dakar.example", "giorgi.rustavi@rustavi.example"],
        ),
        (
            "ssa",
            None,
            {
                "title": "SSA hub meeting: waste collection with informal collectors",
                "kind": K.HUB_MEETING,
                "theme": "municipal_services",
                "description": "The hub's members compare notes; for members of the SSA hub.",
                "starts_at": day(15, 11, NAIROBI),
                "ends_at": day(15, 13, NAIROBI),
                "time_zone": NAIROBI,
                "online": True,
                "meeting_link": "https://meet.example.org/ssa-hub-meeting",
                "members_only": True,
                "capacity": 40,
            },
            SSA_PEOPLE,
        ),
    ]


def _users(emails):
    User = get_user_model()
    by_email = {user.email: user for user in User.objects.filter(email__in=emails)}
    return [by_email[email] for email in emails if email in by_email]


def _create(hub_slug, process, data):
    User = get_user_model()
    hub = Hub.objects.filter(slug=hub_slug).first() if hub_slug else None
    actor = User.objects.filter(email=COORDINATOR_OF[hub_slug] if hub_slug else EDITOR).first()
    if actor is None:
        return None
    values = {"language": "en", "theme": process.theme_codes[0] if process else "", **data}
    values["learning_process"] = process
    return services.event_create(acting_user=actor, hub=hub, data=values), actor


def seed(log):
    for spec in PROCESSES:
        spec = dict(spec)
        hubs, practices = spec.pop("hubs"), spec.pop("practices")
        process, created = LearningProcess.objects.get_or_create(slug=spec["slug"], defaults=spec)
        if created:
            process.hubs.set(Hub.objects.filter(slug__in=hubs))
            from goodpractices.models import GoodPracticePage

            process.practices.set(GoodPracticePage.objects.filter(slug__in=practices))
    processes = {process.slug: process for process in LearningProcess.objects.all()}

    for hub_slug, process_slug, data, summary, threads in _past_events():
        if Event.objects.filter(title=data["title"]).exists():
            continue
        made = _create(hub_slug, processes.get(process_slug), data)
        if made is None:
            continue
        event, actor = made
        people = SEE_PEOPLE if hub_slug == "see" else MENA_PEOPLE if hub_slug == "mena" else []
        for person in _users(people):
            Registration.objects.get_or_create(
                event=event,
                user=person,
                defaults={
                    "state": Registration.State.ACCEPTED,
                    "queued_at": event.starts_at - timedelta(days=14),
                    "attended": True,
                },
            )
        services.event_document(
            event=event,
            acting_user=actor,
            summary=summary,
            practices=list(event.learning_process.practices.all())
            if event.learning_process
            else [],
            threads=list(Thread.objects.filter(title__in=threads)),
        )

    now = timezone.now()
    for hub_slug, process_slug, data, people in _upcoming_events(now):
        if Event.objects.filter(title=data["title"]).exists():
            continue
        made = _create(hub_slug, processes.get(process_slug), data)
        if made is None:
            continue
        event = made[0]
        for person in _users(list(dict.fromkeys(people))):
            services.registration_create(
                event=event, user=person, motivation="We face the same questions at home."
            )
