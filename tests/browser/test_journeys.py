"""The journeys of the people who use the platform, in Chromium against the real server."""

import pytest
from playwright.sync_api import expect

from members.models import User
from tests.browser import support

pytestmark = pytest.mark.browser

PASSWORD = "Peer-advice-2026!"


def sign_up(page, *, email, name, mailbox):
    """Register through the signup form with both consents and confirm the address with the
    link from the mail: the person ends up logged in."""
    page.goto("/")
    page.get_by_role("link", name="Join the network").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Join the network")
    page.get_by_label("Email:").fill(email)
    page.get_by_label("Name:", exact=True).fill(name)
    page.get_by_label("Password:", exact=True).fill(PASSWORD)
    page.get_by_label("Password (again):").fill(PASSWORD)
    page.get_by_label("Organisation:", exact=True).fill("City of Novi Sad")
    page.get_by_label("Organisation type:").select_option("municipality")
    page.get_by_label("City:").fill("Novi Sad")
    page.get_by_label("Country:").select_option("RS")
    page.get_by_label("I accept the community guidelines").check()
    page.get_by_label("I consent to the processing of my personal data").check()
    page.get_by_role("button", name="Join the network").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Confirm your email address")

    page.goto(mailbox.link(to=email, pattern="/accounts/confirm-email/"))
    page.get_by_role("button", name="Confirm").click()
    expect(page.get_by_role("navigation", name="Account")).to_contain_text(name)


def test_practitioner_signs_up_with_both_consents_and_confirms_the_email(page, site):
    sign_up(page, email="dragana@novisad.example", name="Dragana Petrović", mailbox=site.mailbox)
    support.screenshot(page, "journey-1-signed-up")

    user = User.objects.get(email="dragana@novisad.example")
    assert user.emailaddress_set.get().verified
    documents = user.consents.values_list("version__document", flat=True)
    assert sorted(documents) == ["guidelines", "privacy"]
