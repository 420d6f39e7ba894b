"""The proposal form and one's own proposal, through the pages: draft, come back, submit, mail;
bad input keeps what was typed; after the deadline the form is closed whatever is posted;
the backing letter is private."""

import datetime

import pytest
from django.conf import settings
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from calls.models import LETTER_MAX_BYTES, Proposal

from .conftest import close, form_post, pdf_upload, read_bytes, submit_proposal

pytestmark = pytest.mark.django_db


def test_draft_save_come_back_submit_and_mail(
    client, call, applicant, django_capture_on_commit_callbacks
):
    client.force_login(applicant)
    url = f"/calls/{call.slug}/apply/"
    page = client.get(url)
    assert page.status_code == 200
    assert b'name="partners-0-name"' in page.content
    # A half-done draft: no partners yet, no topic text.
    response = client.post(url, form_post(partners=(), background="", action="save"))
    assert response.status_code == 302
    proposal = Proposal.objects.get(applicant=applicant)
    assert proposal.status == Proposal.Status.DRAFT and proposal.background == ""
    # Coming back, the draft is there.
    page = client.get(url)
    assert "Stadt Trier" in page.content.decode()
    # Submitting it incomplete is refused with the field errors.
    response = client.post(url, form_post(partners=(), background="", action="submit"))
    assert response.status_code == 400
    assert "at least two countries" in response.content.decode()
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.DRAFT
    # Complete and submit: a confirmation mail that repeats what was submitted.
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, form_post(action="submit"))
    assert response.status_code == 302
    assert response["Location"] == f"/calls/{call.slug}/my-proposal/"
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.SUBMITTED and proposal.submitted_at
    assert [p.name for p in proposal.partners.all()] == ["Tunis", "Rustavi"]
    [message] = mail.outbox
    assert message.to == [applicant.email, "julia.weber@trier.example"]
    assert call.title in message.subject
    for typed in ("Inter-municipal land management", "Land management meets conflicting goals.",
                  "Tunis", "Rustavi", "Head of urban land management"):  # fmt: skip
        assert typed in message.body
    html = message.alternatives[0][0]
    assert "Tunis" in html and message.alternatives[0][1] == "text/html"
    assert "Stadt Trier" in message.body
    page = client.get(f"/calls/{call.slug}/my-proposal/")
    assert page.status_code == 200 and "Rustavi" in page.content.decode()


def test_the_confirmation_mail_is_sent_once_even_if_its_task_runs_twice(
    call, applicant, django_capture_on_commit_callbacks
):
    from calls import mail as calls_mail

    with django_capture_on_commit_callbacks(execute=True):
        proposal = submit_proposal(call, applicant)
    assert len(mail.outbox) == 1
    key = proposal.mails.get().key
    assert (
        calls_mail.send_proposal_mail.call(proposal_id=proposal.pk, kind="submitted", key=key)
        is False
    )
    assert len(mail.outbox) == 1


def test_mail_goes_out_in_the_applicants_language(
    call, applicant, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        submit_proposal(call, applicant)
    [message] = mail.outbox
    assert message.extra_headers["Content-Language"] == "de"  # the profile's language


@pytest.mark.parametrize(
    ("changes", "partners", "message"),
    [
        ({"topic_title": ""}, None, "required to submit"),
        ({"background": "x" * 2001}, None, "2000"),
        ({"organisation": "x" * 201}, None, "200"),
        ({}, (("Tunis", "TN"),), "at least two countries"),
        ({}, (("Vienna", "AT"), ("Zurich", "CH")), "Global South"),
        ({}, (("Bonn", "DE"), ("Köln", "DE")), "only partner country"),
        ({}, (("Tunis", ""),), "both the municipality and its country"),
        ({"backing_confirmed": False}, None, "backing"),
    ],
    ids=[
        "missing",
        "too-long",
        "too-long-name",
        "one-country",
        "no-south",
        "own-country",
        "partner-without-country",
        "no-backing",
    ],
)
def test_bad_input_gives_form_errors_that_keep_what_was_typed(
    client, call, applicant, changes, partners, message
):
    client.force_login(applicant)
    body = form_post(action="submit", further_goals="Typed goals survive.", **changes)
    if partners is not None:
        body = form_post(
            action="submit", partners=partners, further_goals="Typed goals survive.", **changes
        )
    response = client.post(f"/calls/{call.slug}/apply/", body)
    assert response.status_code == 400
    text = response.content.decode()
    assert message in text
    assert "Typed goals survive." in text
    for name, _country in partners or ():
        assert f'value="{name}"' in text
    assert not Proposal.objects.filter(status=Proposal.Status.SUBMITTED).exists()


def test_letter_must_be_a_small_pdf(client, call, applicant):
    client.force_login(applicant)
    url = f"/calls/{call.slug}/apply/"
    fake = SimpleUploadedFile(
        "letter.pdf", b"<html>not a pdf</html>", content_type="application/pdf"
    )
    response = client.post(url, {**form_post(), "backing_letter": fake})
    assert response.status_code == 400 and "must be a PDF" in response.content.decode()
    big = pdf_upload(size=LETTER_MAX_BYTES + 1)
    response = client.post(url, {**form_post(), "backing_letter": big})
    assert response.status_code == 400 and "at most 2 MB" in response.content.decode()
    assert not Proposal.objects.exists()


def test_the_letter_is_private(
    client, call, applicant, other_member, reviewers, editor, letter_root
):
    client.force_login(applicant)
    response = client.post(
        f"/calls/{call.slug}/apply/", {**form_post(action="submit"), "backing_letter": pdf_upload()}
    )
    assert response.status_code == 302
    proposal = Proposal.objects.get()
    stored = letter_root / proposal.backing_letter.name
    assert stored.exists()
    assert not str(stored.resolve()).startswith(str(settings.MEDIA_ROOT.resolve()))
    with pytest.raises(ValueError):
        proposal.backing_letter.url  # noqa: B018 - no public URL at all
    letter_url = f"/calls/{call.slug}/proposals/{proposal.pk}/letter/"
    response = client.get(letter_url)
    assert response.status_code == 200 and read_bytes(response).startswith(b"%PDF-")
    assert response["Content-Type"] == "application/pdf"
    for person, status in ((reviewers[0], 200), (editor, 200), (other_member, 404)):
        client.force_login(person)
        assert client.get(letter_url).status_code == status
    client.logout()
    assert client.get(letter_url).status_code == 302


def test_someone_elses_proposal_by_id_is_not_found(client, call, applicant, other_member):
    proposal = submit_proposal(call, applicant)
    client.force_login(other_member)
    assert client.get(f"/calls/{call.slug}/proposals/{proposal.pk}/letter/").status_code == 404
    # Their own my-proposal page shows no one else's proposal.
    page = client.get(f"/calls/{call.slug}/my-proposal/")
    assert page.status_code == 200 and "Inter-municipal" not in page.content.decode()


def test_withdraw_and_take_up_again(client, call, applicant):
    submit_proposal(call, applicant)
    client.force_login(applicant)
    response = client.post(f"/calls/{call.slug}/my-proposal/", {"action": "withdraw"})
    assert response.status_code == 302
    assert Proposal.objects.get().status == Proposal.Status.WITHDRAWN
    client.post(f"/calls/{call.slug}/apply/", form_post(action="save"))
    assert Proposal.objects.get().status == Proposal.Status.DRAFT


def test_editing_a_submitted_proposal_keeps_it_submitted_and_complete(client, call, applicant):
    submit_proposal(call, applicant)
    client.force_login(applicant)
    response = client.post(f"/calls/{call.slug}/apply/", form_post(topic_title="Better title"))
    assert response.status_code == 302
    proposal = Proposal.objects.get()
    assert proposal.topic_title == "Better title" and proposal.status == Proposal.Status.SUBMITTED
    response = client.post(f"/calls/{call.slug}/apply/", form_post(topic_title=""))
    assert response.status_code == 400
    assert Proposal.objects.get().topic_title == "Better title"


def test_after_the_deadline_the_form_is_closed_whatever_is_posted(client, call, applicant):
    submit_proposal(call, applicant)
    close(call)
    client.force_login(applicant)
    assert client.get(f"/calls/{call.slug}/apply/").status_code == 302
    response = client.post(f"/calls/{call.slug}/apply/", form_post(topic_title="Late change"))
    assert response.status_code == 409
    assert "deadline" in response.content.decode()
    response = client.post(f"/calls/{call.slug}/my-proposal/", {"action": "withdraw"})
    assert response.status_code == 409
    proposal = Proposal.objects.get()
    assert proposal.topic_title == "Inter-municipal land management"
    assert proposal.status == Proposal.Status.SUBMITTED
    page = client.get(f"/calls/{call.slug}/my-proposal/").content.decode()
    assert "can no longer be changed" in page and 'value="withdraw"' not in page


def test_one_minute_after_the_deadline_the_page_refuses(client, applicant):
    from .conftest import make_call

    # The deadline minute ended a minute ago (the call's zone is not the server's).
    ended = timezone.now() - datetime.timedelta(minutes=1, seconds=1)
    call = make_call(slug="just-closed", deadline=ended, zone="Pacific/Auckland")
    assert call.is_past()
    client.force_login(applicant)
    response = client.post(f"/calls/{call.slug}/apply/", form_post(action="submit"))
    assert response.status_code == 409
    assert not Proposal.objects.exists()


def test_anonymous_and_unconsented_cannot_apply(client, call):
    from tests.factories import UserFactory

    assert client.get(f"/calls/{call.slug}/apply/").status_code == 302
    client.force_login(UserFactory(consented=False))
    response = client.get(f"/calls/{call.slug}/apply/")
    assert response.status_code in {302, 403}
    assert not Proposal.objects.exists()


def test_call_pages(client, call):
    past = close(__import__("tests.calls.conftest", fromlist=["make_call"]).make_call(slug="2020"))
    listing = client.get("/calls/").content.decode()
    assert listing.index(call.title) < listing.index("Past calls") < listing.index(past.title)
    page = client.get(f"/calls/{call.slug}/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "Know-how primarily at municipal level." in text and "Europe/Berlin" in text
    assert client.get("/calls/no-such-call/").status_code == 404
