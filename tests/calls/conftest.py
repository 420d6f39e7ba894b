"""Fixtures for topic calls: an open call with its requirements, applicants with profiles, two
reviewers and an editor, and helpers that build proposals through the real services.

No clock is frozen: a call is open because its deadline lies ahead of the real clock; it is
closed by moving its deadline into the past, as an editor would. Deadline arithmetic around
midnight is tested on the services with explicit `now=` values."""

import datetime
import io

import pytest
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from calls import services
from calls.models import Requirement, TopicCall
from tests.factories import ProfileFactory, UserFactory

REQUIREMENTS = [
    "Multilateral exchange, mainly with partner countries of German development cooperation.",
    "High development-policy relevance in Germany and the Global South.",
    "Know-how primarily at municipal level.",
]


def complete_data(**changes):
    """Every field a submission needs, as the form's cleaned data."""
    data = {
        "organisation": "Stadt Trier",
        "organisation_kind": "municipality",
        "country": "DE",
        "contact_name": "Julia Weber",
        "contact_role": "Head of urban land management",
        "contact_email": "julia.weber@trier.example",
        "contact_phone": "+49 651 000",
        "topic_title": "Inter-municipal land management",
        "thematic_fields": ["integrated_urban_development"],
        "background": "Land management meets conflicting goals.",
        "learning": "How others balance them; we bring land pooling.",
        "knowledge_transfer": "Peer advice and follow-ups.",
        "further_goals": "A joint project idea.",
        "backing_confirmed": True,
        "follow_up_willing": True,
    }
    data.update(changes)
    return data


PARTNERS = [("Tunis", "TN"), ("Rustavi", "GE")]


def form_post(partners=(("Tunis", "TN"), ("Rustavi", "GE")), action="save", **changes):
    """The POST body of the proposal form, as a browser sends it."""
    data = complete_data(**changes)
    body = {
        key: value
        for key, value in data.items()
        if key not in {"thematic_fields", "backing_confirmed", "follow_up_willing"}
    }
    body["thematic_fields"] = data["thematic_fields"]
    if data["backing_confirmed"]:
        body["backing_confirmed"] = "on"
    if data["follow_up_willing"]:
        body["follow_up_willing"] = "on"
    rows = list(partners) + [("", "")] * (4 - len(partners))
    body.update(
        {
            "partners-TOTAL_FORMS": str(len(rows)),
            "partners-INITIAL_FORMS": "0",
            "partners-MIN_NUM_FORMS": "0",
            "partners-MAX_NUM_FORMS": "10",
        }
    )
    for index, (name, country) in enumerate(rows):
        body[f"partners-{index}-name"] = name
        body[f"partners-{index}-country"] = country
    body["action"] = action
    return body


def pdf_upload(name="letter.pdf", size=None):
    body = b"%PDF-1.4\n% test letter\n%%EOF\n"
    if size:
        body = body + b"0" * (size - len(body))
    return SimpleUploadedFile(name, body, content_type="application/pdf")


def make_call(*, slug="2026", deadline=None, zone="Europe/Berlin", requirements=REQUIREMENTS):
    """A call whose deadline is DEADLINE (aware; default: two days ahead)."""
    deadline = deadline or timezone.now() + datetime.timedelta(days=2)
    local = deadline.astimezone(datetime.UTC).astimezone(__import__("zoneinfo").ZoneInfo(zone))
    call = TopicCall.objects.create(
        year=local.year,
        title=f"Call for topic proposals {slug}",
        original_title=f"Themenaufruf {slug}",
        slug=slug,
        introduction="Become the host municipality of a learning process.",
        time_zone=zone,
        opens_on=datetime.date(2020, 1, 1),
        deadline_date=local.date(),
        deadline_time=local.time().replace(second=0, microsecond=0),
        decision_by=local.date() + datetime.timedelta(days=10),
        contacts="Sibylle Loyeau, 0221 20717 2587",
    )
    Requirement.objects.bulk_create(
        Requirement(call=call, text=text, sort_order=index)
        for index, text in enumerate(requirements)
    )
    return call


def close(call):
    """Move CALL's deadline into the past (yesterday, in its zone)."""
    call.deadline_date = timezone.now().astimezone(call.zone).date() - datetime.timedelta(days=1)
    call.save(update_fields=["deadline_date"])
    return call


def submit_proposal(call, applicant, **changes):
    partners = changes.pop("partners", PARTNERS)
    proposal = services.proposal_save(
        call=call, applicant=applicant, data=complete_data(**changes), partners=partners
    )
    return services.proposal_submit(proposal=proposal, acting_user=applicant)


def applicant_factory(**profile):
    person = UserFactory()
    ProfileFactory(user=person, country="DE", preferred_language="de", **profile)
    return person


@pytest.fixture
def call(db):
    return make_call()


@pytest.fixture
def applicant(db):
    return applicant_factory(organisation="Stadt Trier")


@pytest.fixture
def other_member(db):
    return applicant_factory(organisation="Stadt Bonn")


@pytest.fixture
def editor(db):
    person = UserFactory(name="Eda Editor")
    person.groups.add(Group.objects.get(name="Editors"))
    return person


@pytest.fixture
def reviewers(call):
    people = [UserFactory(name="Rita Reviewer"), UserFactory(name="Rolf Reviewer")]
    for person in people:
        services.call_reviewer_assign(call=call, user=person)
    return people


@pytest.fixture(autouse=True)
def letter_root(settings, tmp_path):
    settings.CALLS_PRIVATE_ROOT = tmp_path / "private"
    return settings.CALLS_PRIVATE_ROOT


def read_bytes(response) -> bytes:
    buffer = io.BytesIO()
    for chunk in response.streaming_content:
        buffer.write(chunk)
    return buffer.getvalue()
