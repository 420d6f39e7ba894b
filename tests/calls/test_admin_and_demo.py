"""Editors manage calls in the Wagtail admin; the demo seeds the 2020 and 2026 calls; the
personal-data registry covers what the calls app holds about a person."""

import datetime

import pytest
from django.core.management import call_command
from django.utils import timezone

from calls.models import Proposal, Review, TopicCall
from core import personal_data

from .conftest import applicant_factory, pdf_upload

pytestmark = pytest.mark.django_db


def test_an_editor_creates_a_call_with_requirements_and_reviewers(client, editor):
    reviewer = applicant_factory()
    client.force_login(editor)
    assert client.get("/admin/snippets/calls/topiccall/add/").status_code == 200
    body = {
        "year": "2027",
        "title": "Call for topic proposals 2027",
        "original_title": "Themenaufruf 2027",
        "slug": "2027",
        "introduction": "Become a host municipality.",
        "time_zone": "Europe/Berlin",
        "opens_on": "2026-12-01",
        "opens_time": "00:00",
        "deadline_date": "2027-02-16",
        "deadline_time": "23:59",
        "decision_by": "2027-02-28",
        "contacts": "Sibylle Loyeau",
        "reviewers": [str(reviewer.pk)],
        "requirements-TOTAL_FORMS": "2",
        "requirements-INITIAL_FORMS": "0",
        "requirements-MIN_NUM_FORMS": "0",
        "requirements-MAX_NUM_FORMS": "1000",
        "requirements-0-text": "Multilateral exchange.",
        "requirements-0-ORDER": "1",
        "requirements-0-id": "",
        "requirements-1-text": "Backed by the municipality.",
        "requirements-1-ORDER": "2",
        "requirements-1-id": "",
    }
    response = client.post("/admin/snippets/calls/topiccall/add/", body)
    assert response.status_code == 302, response.content.decode()[:3000]
    call = TopicCall.objects.get(slug="2027")
    assert [r.text for r in call.requirements.order_by("sort_order")] == [
        "Multilateral exchange.",
        "Backed by the municipality.",
    ]
    assert list(call.reviewers.all()) == [reviewer]
    assert call.deadline == datetime.datetime(2027, 2, 16, 23, 59, 59, 999999, tzinfo=call.zone)


def test_a_member_without_editor_rights_has_no_call_admin(client):
    client.force_login(applicant_factory())
    response = client.get("/admin/snippets/calls/topiccall/")
    assert response.status_code in {302, 403}


def test_seed_demo_adds_both_calls_once(db):
    call_command("seed_demo", verbosity=0)
    call_command("seed_demo", verbosity=0)
    closed = TopicCall.objects.get(slug="2020")
    current = TopicCall.objects.get(slug="2026")
    assert closed.original_title == "Themenaufruf 2020" and closed.is_past()
    assert closed.deadline_date == datetime.date(2019, 11, 30)
    decided = Proposal.objects.filter(call=closed).exclude(decision="")
    assert sorted(decided.values_list("decision", flat=True)) == ["accepted", "declined"]
    assert Review.objects.filter(proposal__call=closed).count() == 4
    assert current.is_open() and current.deadline > timezone.now()
    assert current.requirements.count() == 7
    assert current.reviewers.filter(email="editor@connective-cities.example").exists()


def test_personal_data_covers_proposals_and_reviews(call, applicant, reviewers):
    from calls import services

    proposal = services.proposal_save(
        call=call,
        applicant=applicant,
        data={"organisation": "Stadt Trier", "contact_name": "Julia Weber"},
        partners=[("Tunis", "TN")],
        letter=pdf_upload(),
    )
    assert {"calls.Proposal", "calls.Review", "calls.TopicCall_reviewers"} <= (
        personal_data.covered_models()
    )
    exported = personal_data.export_all(applicant)["calls"]
    assert exported["proposals"][0]["contact_name"] == "Julia Weber"
    assert exported["proposals"][0]["partners"] == [{"name": "Tunis", "country": "TN"}]
    assert personal_data.export_all(reviewers[0])["calls"]["reviewer_of"] == [call.slug]
    path = proposal.backing_letter.path
    personal_data.erase_all(applicant)
    import os

    assert not os.path.exists(path)
