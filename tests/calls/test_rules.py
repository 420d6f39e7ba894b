"""The call's rules on the services: partner countries and the ODA list, the letter, lengths,
and the deadline in the call's own time zone (around midnight, one minute late)."""

import datetime
import zoneinfo

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from calls import services
from calls.countries import SOURCE, is_oda_eligible, oda_recipients
from calls.models import LETTER_MAX_BYTES, Proposal
from core.exceptions import ActionError

from .conftest import PARTNERS, complete_data, make_call, pdf_upload

pytestmark = pytest.mark.django_db
BERLIN = zoneinfo.ZoneInfo("Europe/Berlin")


def test_the_oda_list_is_data_with_its_source():
    codes = oda_recipients()
    assert "2024 and 2025" in SOURCE
    assert {"MA", "TN", "GH", "GE", "XK", "IN", "BR", "UA"} <= codes
    assert not codes & {"DE", "FR", "AT", "US", "JP", "CL", "UY", "SC"}  # donors, graduates
    assert is_oda_eligible("ma") and not is_oda_eligible("DE")


@pytest.mark.parametrize(
    ("partners", "expected"),
    [
        (PARTNERS, None),
        ([("Tunis", "TN"), ("Sfax", "TN")], "at least two countries"),
        ([("Vienna", "AT"), ("Zurich", "CH")], "Global South"),
        ([("Bonn", "DE"), ("Köln", "DE")], "only partner country"),
        ([("Bonn", "DE"), ("Tunis", "TN")], "at least two countries"),
        ([], "at least two countries"),
        ([("Vienna", "AT"), ("Agadir", "MA"), ("Bonn", "DE")], None),
    ],
)
def test_partner_rules(partners, expected):
    problems = services.partner_problems(partners=partners, applicant_country="DE")
    if expected is None:
        assert problems == []
    else:
        assert any(expected in str(problem) for problem in problems), problems


def test_an_applicant_abroad_counts_germany_as_a_partner_country():
    problems = services.partner_problems(
        partners=[("Bonn", "DE"), ("Tunis", "TN")], applicant_country="AT"
    )
    assert problems == []


def test_letter_must_be_a_pdf_by_its_bytes_and_small():
    assert services.letter_problem(pdf_upload()) is None
    renamed_exe = SimpleUploadedFile("letter.pdf", b"MZ\x90\x00not a pdf", "application/pdf")
    assert "PDF" in services.letter_problem(renamed_exe)
    pdf_named_txt = SimpleUploadedFile("letter.txt", b"%PDF-1.4 ...", "text/plain")
    assert "PDF" in services.letter_problem(pdf_named_txt)
    assert "MB" in services.letter_problem(pdf_upload(size=LETTER_MAX_BYTES + 1))
    assert services.letter_problem(pdf_upload(size=LETTER_MAX_BYTES)) is None


def test_a_draft_may_be_incomplete_but_not_submitted(call, applicant):
    proposal = services.proposal_save(
        call=call, applicant=applicant, data={"organisation": "Stadt Trier"}, partners=[]
    )
    assert proposal.status == Proposal.Status.DRAFT
    with pytest.raises(ActionError) as refused:
        services.proposal_submit(proposal=proposal, acting_user=applicant)
    assert refused.value.code == "invalid"
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.DRAFT and proposal.submitted_at is None


def test_over_long_text_is_refused_by_the_service(call, applicant):
    with pytest.raises(ActionError):
        services.proposal_save(
            call=call,
            applicant=applicant,
            data=complete_data(background="x" * 2001),
            partners=PARTNERS,
        )
    assert not Proposal.objects.exists()


def test_someone_else_cannot_submit_or_withdraw(call, applicant, other_member):
    proposal = services.proposal_save(
        call=call, applicant=applicant, data=complete_data(), partners=PARTNERS
    )
    for action in (services.proposal_submit, services.proposal_withdraw):
        with pytest.raises(ActionError) as refused:
            action(proposal=proposal, acting_user=other_member)
        assert refused.value.code == "forbidden"


# The deadline: 17 February 2026, 23:59 in Berlin (22:59 UTC). ---------------------------


@pytest.fixture
def call_2026(db):
    return make_call(
        slug="midnight", deadline=datetime.datetime(2026, 2, 17, 23, 59, tzinfo=BERLIN)
    )


def test_the_deadline_is_read_in_the_calls_zone(call_2026):
    assert call_2026.deadline_date == datetime.date(2026, 2, 17)
    assert call_2026.deadline.utcoffset() == datetime.timedelta(hours=1)
    assert call_2026.is_open(at=datetime.datetime(2026, 2, 17, 23, 59, 59, tzinfo=BERLIN))
    assert not call_2026.is_open(at=datetime.datetime(2026, 2, 18, 0, 0, tzinfo=BERLIN))
    # 23:30 UTC on the 17th is already the 18th in Berlin: closed.
    assert not call_2026.is_open(at=datetime.datetime(2026, 2, 17, 23, 30, tzinfo=datetime.UTC))


@pytest.mark.parametrize(
    ("local_time", "accepted"),
    [
        (datetime.datetime(2026, 2, 17, 23, 58), True),
        (datetime.datetime(2026, 2, 17, 23, 59, 30), True),
        (datetime.datetime(2026, 2, 18, 0, 0), False),  # one minute late
        (datetime.datetime(2026, 2, 18, 0, 1), False),
    ],
    ids=["two-minutes-early", "last-minute", "one-minute-late", "two-minutes-late"],
)
def test_a_submission_around_midnight(call_2026, applicant, local_time, accepted):
    early = datetime.datetime(2026, 2, 17, 12, 0, tzinfo=BERLIN)
    proposal = services.proposal_save(
        call=call_2026, applicant=applicant, data=complete_data(), partners=PARTNERS, now=early
    )
    at = local_time.replace(tzinfo=BERLIN)
    if accepted:
        services.proposal_submit(proposal=proposal, acting_user=applicant, now=at)
        proposal.refresh_from_db()
        assert proposal.status == Proposal.Status.SUBMITTED
        assert proposal.submitted_at == at
    else:
        with pytest.raises(ActionError) as refused:
            services.proposal_submit(proposal=proposal, acting_user=applicant, now=at)
        assert refused.value.code == "locked"
        proposal.refresh_from_db()
        assert proposal.status == Proposal.Status.DRAFT


def test_after_the_deadline_nothing_of_a_proposal_changes(call_2026, applicant):
    early = datetime.datetime(2026, 2, 17, 12, 0, tzinfo=BERLIN)
    late = datetime.datetime(2026, 2, 18, 0, 0, tzinfo=BERLIN)
    proposal = services.proposal_save(
        call=call_2026, applicant=applicant, data=complete_data(), partners=PARTNERS, now=early
    )
    services.proposal_submit(proposal=proposal, acting_user=applicant, now=early)
    for attempt in (
        lambda: services.proposal_save(
            call=call_2026,
            applicant=applicant,
            data=complete_data(topic_title="Changed"),
            partners=PARTNERS,
            now=late,
        ),
        lambda: services.proposal_withdraw(proposal=proposal, acting_user=applicant, now=late),
    ):
        with pytest.raises(ActionError) as refused:
            attempt()
        assert refused.value.code == "locked"
    proposal.refresh_from_db()
    assert proposal.topic_title == "Inter-municipal land management"
    assert proposal.status == Proposal.Status.SUBMITTED


def test_a_call_not_yet_open_takes_nothing(applicant):
    call = make_call(slug="later")
    call.opens_on = datetime.date(2999, 1, 1)
    call.save(update_fields=["opens_on"])
    with pytest.raises(ActionError) as refused:
        services.proposal_save(call=call, applicant=applicant, data=complete_data(), partners=[])
    assert refused.value.code == "locked"
