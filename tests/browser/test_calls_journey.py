"""A topic call run on the platform, in Chromium against the real server: a municipality
drafts its proposal on a phone-sized screen, saves, comes back, submits and gets its mail; two
reviewers score it (the second sees the first's scores only after scoring); an editor accepts
it and the applicant reads the decision in the mail and on the page."""

import datetime

import pytest
from django.contrib.auth.models import Group
from playwright.sync_api import expect

from calls import services
from calls.models import Proposal, Review
from tests.browser import support
from tests.calls.conftest import close, make_call
from tests.factories import ProfileFactory, UserFactory

pytestmark = pytest.mark.browser

PHONE = {"viewport": {"width": 375, "height": 740}}


def fits_the_screen(page):
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_a_topic_call_from_draft_to_decision(new_context, site):
    call = make_call(
        slug="2026", deadline=datetime.datetime.now(datetime.UTC) + datetime.timedelta(days=3)
    )
    applicant = UserFactory(name="Julia Weber", email="julia.weber@trier.example")
    ProfileFactory(user=applicant, organisation="Stadt Trier", country="DE", city="Trier")
    rita, rolf = UserFactory(name="Rita Reviewer"), UserFactory(name="Rolf Reviewer")
    for person in (rita, rolf):
        services.call_reviewer_assign(call=call, user=person)
    editor = UserFactory(name="Eda Editor")
    editor.groups.add(Group.objects.get(name="Editors"))

    # The municipality drafts on a phone, saves without finishing.
    municipality = new_context(**PHONE)
    support.log_in(municipality, applicant)
    page = municipality.new_page()
    page.goto("/calls/")
    page.get_by_role("link", name=call.title).click()
    page.get_by_role("link", name="Propose a topic").click()
    expect(page.get_by_label("Municipality or municipal company")).to_have_value("Stadt Trier")
    assert fits_the_screen(page)
    support.assert_accessible(page)
    page.get_by_label("Kind of applicant").select_option("municipality")
    page.get_by_label("Title of the topic").fill("Inter-municipal land management")
    page.get_by_role("button", name="Save draft").click()
    expect(page.locator(".messages")).to_contain_text("Your draft is saved")

    # Coming back later, the draft is there; complete it and submit.
    page = municipality.new_page()
    page.goto(f"/calls/{call.slug}/apply/")
    expect(page.get_by_label("Title of the topic")).to_have_value("Inter-municipal land management")
    page.get_by_label("Country of the applicant").select_option("DE")
    page.get_by_label("Role of the contact person").fill("Head of land management")
    page.get_by_label("Integrated urban development").check()
    page.get_by_label("The topic and its background").fill(
        "Land management meets conflicting goals."
    )
    page.get_by_label("What you want to learn and what you bring").fill("We bring land pooling.")
    page.get_by_label("Contribution to knowledge transfer and skills").fill("Peer advice.")
    page.get_by_label("Partner 1: municipality").fill("Tunis")
    page.get_by_label("Partner 1: country").select_option("TN")
    page.get_by_label("Partner 2: municipality").fill("Rustavi")
    page.get_by_label("Partner 2: country").select_option("GE")
    page.get_by_label("Backed by the decision makers").check()
    page.get_by_label("Willing to take part in follow-ups").check()
    page.get_by_role("button", name="Submit the proposal").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("My proposal")
    expect(page.locator(".status").first).to_contain_text("Submitted")
    assert fits_the_screen(page)
    [confirmation] = site.mailbox.messages(to=applicant.email)
    text = site.mailbox.text(confirmation)
    assert "Inter-municipal land management" in text and "Rustavi" in text
    proposal = Proposal.objects.get(applicant=applicant)

    # The deadline passes; two reviewers score.
    close(call)
    first = new_context()
    support.log_in(first, rita)
    review = first.new_page()
    review.goto(f"/calls/{call.slug}/review/")
    review.get_by_role("link", name="Inter-municipal land management").click()
    for number in (1, 2, 3):
        review.get_by_label(f"Score for requirement {number}").select_option("4")
    review.get_by_label("Overall comment").fill("A strong host.")
    review.get_by_role("button", name="Submit my review").click()
    expect(review.locator(".messages")).to_contain_text("Your review is saved")

    second = new_context()
    support.log_in(second, rolf)
    review = second.new_page()
    review.goto(f"/calls/{call.slug}/review/{proposal.pk}/")
    expect(review.get_by_text("Hidden until you have submitted your own review.")).to_be_visible()
    expect(review.get_by_text("A strong host.")).to_have_count(0)
    for number in (1, 2, 3):
        review.get_by_label(f"Score for requirement {number}").select_option("2")
    review.get_by_role("button", name="Submit my review").click()
    expect(review.get_by_text("A strong host.")).to_be_visible()
    assert Review.objects.filter(proposal=proposal, submitted_at__isnull=False).count() == 2
    review.goto(f"/calls/{call.slug}/review/")
    expect(review.locator("td.average")).to_have_text("3")

    # The editor accepts; the applicant hears of it.
    office = new_context()
    support.log_in(office, editor)
    decision = office.new_page()
    decision.goto(f"/calls/{call.slug}/review/{proposal.pk}/")
    decision.get_by_label("Accepted").check()
    decision.get_by_label("Message to the applicant").fill("We will plan the event with you.")
    decision.get_by_role("button", name="Record the decision and tell the applicant").click()
    expect(decision.locator(".messages")).to_contain_text("The decision is recorded")

    page.goto(f"/calls/{call.slug}/my-proposal/")
    expect(page.locator(".decision")).to_contain_text("Accepted")
    expect(page.locator(".decision")).to_contain_text("We will plan the event with you.")
    mails = site.mailbox.messages(to=applicant.email)
    assert len(mails) == 2 and "We will plan the event with you." in site.mailbox.text(mails[-1])
    # The accepted topic is now a draft learning process, its host and partners filled in.
    proposal.refresh_from_db()
    assert proposal.decision == "accepted"
    from events.models import LearningProcess

    process = LearningProcess.objects.get(source_proposal=proposal)
    assert process.status == LearningProcess.Status.DRAFT
    assert process.title == proposal.topic_title
    assert process.host_name == proposal.organisation and len(process.partners) >= 2
    # The editor goes from the decision to the draft, filled in, in the Wagtail admin.
    decision.get_by_role("link", name=f'Complete and publish "{process.title}"').click()
    expect(decision.get_by_label("Host municipality or municipal company")).to_have_value(
        proposal.organisation
    )
    expect(decision.locator("#id_topic")).to_have_value(process.topic)
