"""Demo content for `manage.py seed_demo`: the 2020 call (closed, two decided proposals, both
reviewers' scores) and the 2026 call, open in the demo's clock. Drawn from the two calls in
the seed documents (Themenaufruf 2020 and 2026). Idempotent."""

import datetime

from django.contrib.auth import get_user_model
from django.utils import timezone

REQUIREMENTS_2026 = [
    "Multilateral exchange with a group of interested German and international municipal "
    "actors, mainly from partner countries of German development cooperation.",
    "High development-policy relevance for municipalities and municipal companies in Germany "
    "and in the Global South.",
    "The topic and its know-how lie primarily at municipal level (e.g. climate and "
    "sustainability, integrated urban development, municipal services, good urban governance, "
    "local economic development).",
    "The topic is innovative and/or helps develop and spread innovative approaches for "
    "implementing the 2030 Agenda locally.",
    "Municipal partners are proposed from at least two other countries, at least one of them "
    "from the Global South.",
    "Willingness to take part in follow-up activities beyond the dialogue event (exchange "
    "trips, project workshops, virtual formats).",
    "The topic and the engagement are backed by the municipality.",
]

REQUIREMENTS_2020 = [
    "Multilateral exchange of experience with German and international municipal actors, "
    "mainly from partner countries of German international cooperation.",
    "The topic belongs to one or more of the four Connective Cities thematic fields.",
    "High relevance for cities in Germany and in developing and emerging countries.",
    "The topic and its know-how lie primarily at municipal level.",
    "The topic allows innovative solutions for sustainable urban development.",
    "Open to other local actors from science, civil society and business (multi-actor approach).",
    "Urban actors from at least two other countries are proposed, at least one of them a "
    "developing or emerging country.",
    "Willingness to take part in practical follow-up activities beyond the one-off exchange.",
    "The topic and the engagement are backed by the municipal decision makers.",
]

INTRO_2026 = (
    "Become the host municipality of a Connective Cities learning process! Connective Cities "
    "invites municipalities and municipal companies in Germany to propose topics for the "
    "international exchange on sustainable municipal development. Selected topics become "
    "one-year learning processes: an international dialogue event (2.5 days, 25-35 "
    "participants, working language English) and follow-up activities such as exchange trips "
    "and virtual formats.\n\n"
    "The Service Agency Communities in One World (SKEW) of Engagement Global organises the "
    "learning processes in Germany together with the selected hosts and bears the costs of "
    "the event and the travel of German and international participants. The host sets the "
    "topic and brings its own experience and expertise; apart from staff time it has no "
    "costs.\n\n"
    "Original: Connective Cities: Themenaufruf 2026. Werden Sie gastgebende Kommune eines "
    "Connective Cities Lernprozesses! (The published deadline was 17 February 2026; in this "
    "demo the call is open until the date shown.)"
)

INTRO_2020 = (
    "German municipalities interested in an international exchange with cities from "
    "developing and emerging countries can propose topics. Connective Cities reviews and "
    "selects the proposals and organises an international dialogue event (2.5 days, 25-35 "
    "participants) with the selected municipalities, covering the event costs, the "
    "participants' conference costs and the logistics.\n\n"
    "Original: Connective Cities: Themenaufruf 2020."
)

CONTACTS_2026 = (
    "Sibylle Loyeau, project lead, Engagement Global / Service Agency Communities in One "
    "World, 0221 20717 2587, sibylle.loyeau@engagement-global.de"
)
CONTACTS_2020 = (
    "Alexander Wagner, 0228 20 717-455, alexander.wagner@engagement-global.de\n"
    "Alice Balbo, 0228 20 717-633, alice.balbo@engagement-global.de (cooperation with the "
    "Deutscher Städtetag)"
)

PROPOSALS_2020 = [
    {
        "email": "julia.weber@trier.example",
        "name": "Julia Weber",
        "organisation": "Stadt Trier",
        "organisation_kind": "municipality",
        "contact_role": "Head of urban land management",
        "topic_title": "Sustainable, resilient, regional and inter-municipal land management",
        "thematic_fields": ["integrated_urban_development"],
        "background": (
            "Land management projects must be ecologically sound, economically successful and "
            "socially fair; they often meet conflicting goals and interests that are hard to "
            "resolve."
        ),
        "learning": (
            "How cities abroad balance these goals across municipal borders; Trier brings its "
            "experience of regional land pooling."
        ),
        "knowledge_transfer": (
            "Peer advice on instruments for land management, shared in a dialogue event and "
            "virtual follow-ups."
        ),
        "partners": [("Tunis", "TN"), ("Kumasi", "GH"), ("Rustavi", "GE")],
        "decision": "accepted",
        "message": "The dialogue event will take place (virtually) in November 2020.",
        "scores": {"editor": 5, "sara": 4},
    },
    {
        "email": "proposals@stadtwerke-lindenau.example",
        "name": "Tobias Krämer",
        "organisation": "Stadtwerke Lindenau",
        "organisation_kind": "municipal_company",
        "contact_role": "International cooperation",
        "topic_title": "Smart meters for small municipal utilities",
        "thematic_fields": ["municipal_services"],
        "background": "Small utilities struggle to finance metering technology.",
        "learning": "Business models of utilities in other countries.",
        "knowledge_transfer": "Technical visits to the company's pilot area.",
        "partners": [("Vienna", "AT"), ("Agadir", "MA")],
        "decision": "declined",
        "message": (
            "Thank you for your proposal. The topic is mainly technical and rests less on "
            "municipal know-how than the call asks for. We would like to involve you in the "
            "virtual exchange on municipal services in 2020."
        ),
        "scores": {"editor": 2, "sara": 3},
    },
]


def _person(email, name):
    """An account for a demo applicant who never logs in (no usable password)."""
    User = get_user_model()
    user, created = User.objects.get_or_create(email=email, defaults={"name": name})
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    return user


def _call(*, slug, defaults, requirements):
    from .models import Requirement, TopicCall

    call, created = TopicCall.objects.get_or_create(slug=slug, defaults=defaults)
    if created:
        Requirement.objects.bulk_create(
            Requirement(call=call, text=text, sort_order=index)
            for index, text in enumerate(requirements)
        )
    return call, created


def seed(log):
    from .models import Partner, Proposal, Review, Score

    User = get_user_model()
    editor = User.objects.filter(email="editor@connective-cities.example").first()
    sara = User.objects.filter(email="sara.haddad@research.example").first()
    reviewers = {"editor": editor, "sara": sara}

    today = timezone.localdate()
    call_2026, _created = _call(
        slug="2026",
        defaults={
            "year": 2026,
            "title": "Call for topic proposals 2026",
            "original_title": "Themenaufruf 2026",
            "introduction": INTRO_2026,
            "opens_on": datetime.date(2025, 12, 1),
            # The published deadline (17 February 2026) or, later, eight weeks from seeding.
            "deadline_date": max(datetime.date(2026, 2, 17), today + datetime.timedelta(weeks=8)),
            "decision_by": max(datetime.date(2026, 2, 28), today + datetime.timedelta(weeks=10)),
            "contacts": CONTACTS_2026,
        },
        requirements=REQUIREMENTS_2026,
    )
    call_2020, created_2020 = _call(
        slug="2020",
        defaults={
            "year": 2020,
            "title": "Call for topic proposals 2020",
            "original_title": "Themenaufruf 2020",
            "introduction": INTRO_2020,
            "opens_on": datetime.date(2019, 10, 1),
            "deadline_date": datetime.date(2019, 11, 30),
            "decision_by": datetime.date(2020, 1, 15),
            "contacts": CONTACTS_2020,
        },
        requirements=REQUIREMENTS_2020,
    )
    for call in (call_2026, call_2020):
        call.reviewers.add(*[person for person in reviewers.values() if person])

    if created_2020:
        requirements = list(call_2020.requirements.order_by("sort_order"))
        submitted = datetime.datetime(2019, 11, 28, 15, 0, tzinfo=call_2020.zone)
        decided = datetime.datetime(2020, 1, 14, 10, 0, tzinfo=call_2020.zone)
        for data in PROPOSALS_2020:
            applicant = _person(data["email"], data["name"])
            proposal = Proposal.objects.create(
                call=call_2020,
                applicant=applicant,
                status=Proposal.Status.SUBMITTED,
                organisation=data["organisation"],
                organisation_kind=data["organisation_kind"],
                country="DE",
                contact_name=data["name"],
                contact_role=data["contact_role"],
                contact_email=data["email"],
                topic_title=data["topic_title"],
                thematic_fields=data["thematic_fields"],
                background=data["background"],
                learning=data["learning"],
                knowledge_transfer=data["knowledge_transfer"],
                backing_confirmed=True,
                follow_up_willing=True,
                submitted_at=submitted,
                decision=data["decision"],
                decision_message=data["message"],
                decided_at=decided,
                decided_by=editor,
            )
            Partner.objects.bulk_create(
                Partner(proposal=proposal, name=name, country=country, position=index)
                for index, (name, country) in enumerate(data["partners"])
            )
            for key, value in data["scores"].items():
                if reviewers[key] is None:
                    continue
                review = Review.objects.create(
                    proposal=proposal, reviewer=reviewers[key], submitted_at=submitted
                )
                Score.objects.bulk_create(
                    Score(review=review, requirement=req, value=value) for req in requirements
                )
    log("/calls/2026/", "topic call 2026, open: julia.weber@trier.example can propose a topic")
    log("/calls/2020/review/", "topic call 2020, decided: reviewers editor@ and sara.haddad@")
