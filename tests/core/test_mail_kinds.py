"""Every kind of mail the site sends, through the real services, the task queue (immediate
backend) and Django's locmem mail backend: multipart text and HTML, in the recipient's
preferred language (never that of whoever caused it), right to left in Arabic, links from
SITE_URL, the site's own name, and subjects without HTML entities."""

import re

import pytest
from django.core import mail
from django.utils import translation

from core.sites import site_sync
from goodpractices import services as practice_services
from goodpractices.models import Proposal
from hubs import services as hub_services
from hubs.models import Hub
from tests.factories import GoodPracticeFactory, ProfileFactory, UserFactory

pytestmark = pytest.mark.django_db

SITE = "http://127.0.0.1:8765"


@pytest.fixture(autouse=True)
def site_on_another_port(settings):
    settings.SITE_URL = SITE  # as `make run` with PORT=8765
    settings.WAGTAILADMIN_BASE_URL = SITE  # the settings derive it from SITE_URL
    site_sync()


def person(language, **fields):
    return ProfileFactory(user=UserFactory(**fields), preferred_language=language).user


def only_mail_to(user):
    [message] = [m for m in mail.outbox if m.to == [user.email]]
    return message


def assert_standard(message, *, language, links):
    """Multipart, in LANGUAGE (right to left for Arabic), every link absolute on SITE_URL,
    a one-line plain subject, the site's name and nothing of example.com."""
    [(html, mimetype)] = message.alternatives
    assert mimetype == "text/html"
    direction = "rtl" if language == "ar" else "ltr"
    assert f'<html lang="{language}" dir="{direction}">' in html
    assert message.extra_headers["Content-Language"] == language
    assert "&#" not in message.subject and "&amp;" not in message.subject
    assert "\n" not in message.subject
    for part in (message.body, html):
        assert "Connective Cities" in part
        assert "example.com" not in part
        for url in re.findall(r"https?://[^\s\"<>]+", part):
            assert url == SITE or url.startswith(SITE + "/"), url
    for link in links:
        assert f"{SITE}{link}" in message.body
        assert f'href="{SITE}{link}' in html


def test_join_request_to_the_coordinator_in_the_coordinators_language(
    django_capture_on_commit_callbacks,
):
    ssa = Hub.objects.get(slug="ssa")
    coordinator = person("ar")
    hub_services.coordinator_assign(hub=ssa, user=coordinator)
    applicant = person("de", name="Thabo O'Neill")
    with translation.override("de"), django_capture_on_commit_callbacks(execute=True):
        hub_services.membership_request(hub=ssa, user=applicant)
    message = only_mail_to(coordinator)
    assert message.subject == "[Connective Cities] يطلب Thabo O'Neill الانضمام إلى SSA"
    assert_standard(message, language="ar", links=["/hubs/ssa/moderation/"])


def test_decisions_to_the_applicant_in_the_applicants_language(
    django_capture_on_commit_callbacks,
):
    ssa = Hub.objects.get(slug="ssa")
    coordinator = person("ar")
    hub_services.coordinator_assign(hub=ssa, user=coordinator)
    for language, decide, subject in (
        ("fr", hub_services.membership_approve, "[Connective Cities] Bienvenue dans le réseau SSA"),
        ("de", hub_services.membership_reject, "[Connective Cities] "),
    ):
        applicant = person(language)
        membership = hub_services.membership_request(hub=ssa, user=applicant)
        with translation.override("ar"), django_capture_on_commit_callbacks(execute=True):
            decide(membership=membership, acting_user=coordinator, reason="Merci d'avoir écrit")
        message = only_mail_to(applicant)
        assert message.subject.startswith(subject)
        assert "Merci d'avoir écrit" in message.body
        assert_standard(message, language=language, links=["/hubs/ssa/"])


def test_proposal_mails_to_the_proposer_in_the_proposers_language(
    django_capture_on_commit_callbacks,
):
    proposer = person("fr")
    reviewer = person("ar")
    hub_services.coordinator_assign(hub=Hub.objects.get(slug="see"), user=reviewer)
    page = GoodPracticeFactory(title="Women's co-ops & compost", region="see", live=False)
    Proposal.objects.create(page=page, proposer=proposer, title=page.title)
    with django_capture_on_commit_callbacks(execute=True):
        page.save_revision(user=proposer)
        page.get_workflow().start(page, proposer)
    mail.outbox.clear()
    with translation.override("de"), django_capture_on_commit_callbacks(execute=True):
        practice_services.practice_review(
            page=page, user=reviewer, action="reject", comment="Add the results."
        )
    sent_back = only_mail_to(proposer)
    assert sent_back.subject == (
        "Votre bonne pratique « Women's co-ops & compost » nécessite quelques modifications"
    )
    assert_standard(sent_back, language="fr", links=["/practices/proposals/"])
    mail.outbox.clear()
    with translation.override("de"), django_capture_on_commit_callbacks(execute=True):
        page.save_revision().publish()
    published = only_mail_to(proposer)
    assert published.subject == "Votre bonne pratique « Women's co-ops & compost » est publiée"
    page.refresh_from_db()
    assert_standard(published, language="fr", links=[page.url, "/practices/proposals/"])


def test_review_mail_to_the_coordinator_in_the_coordinators_language(
    django_capture_on_commit_callbacks,
):
    see = Hub.objects.get(slug="see")
    coordinator = person("ar")
    hub_services.coordinator_assign(hub=see, user=coordinator)
    page = GoodPracticeFactory(title="Rustavi's buses", region="see", live=False)
    submitter = person("de")
    with translation.override("de"), django_capture_on_commit_callbacks(execute=True):
        page.save_revision(user=submitter)  # what "Submit for moderation" does
        page.get_workflow().start(page, submitter)
    message = only_mail_to(coordinator)
    assert "Rustavi's buses" in message.subject
    [(html, _mimetype)] = message.alternatives
    assert '<html lang="ar" dir="rtl"' in html
    assert f"{SITE}/admin/" in message.body


def test_signup_confirmation_in_the_language_chosen_at_signup(
    client, django_capture_on_commit_callbacks
):
    from members import selectors

    current = selectors.current_policy_versions()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            "/accounts/signup/",
            {
                "email": "dragana@novisad.example",
                "name": "Dragana Petrović",
                "password1": "a-long-test-password",
                "password2": "a-long-test-password",
                "organisation": "City of Novi Sad",
                "organisation_type": "municipality",
                "city": "Novi Sad",
                "country": "RS",
                "preferred_language": "de",
                "accept_guidelines": "on",
                "accept_privacy": "on",
                "guidelines_version": current["guidelines"].number,
                "privacy_version": current["privacy"].number,
            },
            headers={"accept-language": "en"},
        )
    [message] = mail.outbox
    assert message.subject == "[Connective Cities] Bitte bestätige deine E-Mail-Adresse"
    assert_standard(message, language="de", links=["/accounts/confirm-email/"])
    assert "127.0.0.1:8765" in message.body  # the site's domain, not example.com


def test_password_reset_in_the_members_language(client, django_capture_on_commit_callbacks):
    member = person("ar", email="layla@tunis.example")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            "/accounts/password/reset/",
            {"email": member.email},
            headers={"accept-language": "en"},
        )
    message = only_mail_to(member)
    assert message.subject == "[Connective Cities] رسالة إعادة ضبط كلمة المرور"
    assert_standard(message, language="ar", links=["/accounts/password/reset/key/"])
