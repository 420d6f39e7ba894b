"""Signup with both consents, email confirmation, login, enumeration prevention."""

import re

import pytest
from allauth.account.models import EmailAddress
from django.core import mail

from members import selectors
from members.models import ConsentRecord, Profile, User
from tests.factories import PASSWORD as FACTORY_PASSWORD
from tests.factories import ProfileFactory, UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "Correct-horse-battery-9"


def signup_data(**overrides):
    current = selectors.current_policy_versions()
    data = {
        "email": "layla@tunis.example",
        "name": "Layla Ben Salah",
        "password1": PASSWORD,
        "password2": PASSWORD,
        "organisation": "Municipality of Tunis",
        "organisation_type": "municipality",
        "city": "Tunis",
        "country": "TN",
        "preferred_language": "fr",
        "accept_guidelines": "on",
        "accept_privacy": "on",
        "guidelines_version": current["guidelines"].number,
        "privacy_version": current["privacy"].number,
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def confirmation_link(message):
    return re.search(r"https?://[^/\s]+(/accounts/confirm-email/[^\s]+/)", message.body).group(1)


def test_signup_form_has_every_field_labelled_and_the_boxes_unticked(client):
    html = client.get("/accounts/signup/").content.decode()
    for name in (
        "email", "name", "password1", "password2", "organisation", "organisation_type",
        "city", "country", "preferred_language", "accept_guidelines", "accept_privacy",
    ):  # fmt: skip
        assert f'for="id_{name}"' in html, name
        assert f'id="id_{name}"' in html, name
    for box in ("accept_guidelines", "accept_privacy"):
        tag = re.search(rf'<input[^>]*name="{box}"[^>]*>', html).group(0)
        assert "checked" not in tag
    assert 'href="/guidelines/"' in html
    assert 'href="/privacy/"' in html
    assert "<script" not in html


def test_signup_creates_user_profile_and_ledger_rows(client):
    response = client.post("/accounts/signup/", signup_data(), headers={"accept-language": "fr"})
    assert response.status_code == 302
    user = User.objects.get(email="layla@tunis.example")
    assert user.name == "Layla Ben Salah"
    profile = Profile.objects.get(user=user)
    assert (profile.organisation, profile.city, str(profile.country)) == (
        "Municipality of Tunis",
        "Tunis",
        "TN",
    )
    assert profile.preferred_language == "fr"
    rows = ConsentRecord.objects.filter(user=user).select_related("version")
    assert {(row.version.document, row.how) for row in rows} == {
        ("guidelines", "signup"),
        ("privacy", "signup"),
    }
    # Only an English text exists yet: that is the language shown.
    assert {row.language for row in rows} == {"en"}
    assert selectors.consent_is_current(user)


@pytest.mark.parametrize(
    "missing",
    [
        {"accept_guidelines": None},
        {"accept_privacy": None},
        {"accept_guidelines": None, "accept_privacy": None},
    ],
)
def test_signup_without_a_consent_box_creates_nothing(client, missing):
    ledger_before = ConsentRecord.objects.count()
    response = client.post("/accounts/signup/", signup_data(**missing))
    assert response.status_code == 200
    assert "You can only join if you" in response.content.decode()
    assert not User.objects.filter(email="layla@tunis.example").exists()
    assert ConsentRecord.objects.count() == ledger_before
    assert not mail.outbox


def test_signup_against_an_outdated_version_asks_again(client, publish):
    data = signup_data()  # the form as rendered before the new version
    publish("privacy", "## Privacy v2")
    response = client.post("/accounts/signup/", data)
    assert response.status_code == 200
    assert "A new version of this document has been published" in response.content.decode()
    assert not User.objects.filter(email="layla@tunis.example").exists()


@pytest.mark.parametrize("version", ["999", "0", "abc", ""])
def test_signup_with_forged_versions_creates_nothing(client, version):
    response = client.post("/accounts/signup/", signup_data(guidelines_version=version))
    assert response.status_code == 200
    assert not User.objects.filter(email="layla@tunis.example").exists()


def test_signup_with_missing_fields_creates_nothing(client):
    response = client.post(
        "/accounts/signup/", signup_data(name="", organisation="", country="XX", city="")
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count('class="errorlist') >= 4
    assert not User.objects.filter(email="layla@tunis.example").exists()


def test_email_must_be_confirmed_before_login(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):  # mail goes out after commit
        client.post("/accounts/signup/", signup_data())
    assert len(mail.outbox) == 1
    assert "_auth_user_id" not in client.session
    # Logging in before confirming sends to the "confirm your address" page.
    response = client.post(
        "/accounts/login/", {"login": "layla@tunis.example", "password": PASSWORD}
    )
    assert "_auth_user_id" not in client.session
    assert response.status_code == 302 and "confirm-email" in response["Location"]

    link = confirmation_link(mail.outbox[0])
    page = client.get(link)
    assert page.status_code == 200 and "Confirm" in page.content.decode()
    response = client.post(link)
    assert response.status_code == 302
    assert EmailAddress.objects.get(email="layla@tunis.example").verified
    assert client.get("/members/me/").status_code == 200


def test_signup_with_a_registered_email_gives_the_same_answer(
    client, django_capture_on_commit_callbacks
):
    existing = UserFactory(email="taken@city.example", name="Original Owner")
    fresh = client.post("/accounts/signup/", signup_data(email="new@city.example"))
    client.logout()
    with django_capture_on_commit_callbacks(execute=True):
        again = client.post(
            "/accounts/signup/", signup_data(email="taken@city.example", name="Impostor")
        )
    assert again.status_code == fresh.status_code == 302
    assert again["Location"] == fresh["Location"]
    assert User.objects.filter(email="taken@city.example").count() == 1
    existing.refresh_from_db()
    assert existing.name == "Original Owner"
    # The owner is told by mail; the impostor learns nothing.
    assert mail.outbox[-1].to == ["taken@city.example"]


def test_password_reset_does_not_reveal_whether_an_account_exists(client):
    UserFactory(email="known@city.example")
    known = client.post("/accounts/password/reset/", {"email": "known@city.example"})
    unknown = client.post("/accounts/password/reset/", {"email": "nobody@city.example"})
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"]
    assert client.get(known["Location"]).status_code == 200


def test_login_failures_are_rate_limited(client, password):
    UserFactory(email="target@city.example")
    pages = [
        client.post(
            "/accounts/login/", {"login": "target@city.example", "password": "wrong"}
        ).content.decode()
        for _ in range(6)
    ]
    assert "Too many failed login attempts" not in pages[0]
    assert "Too many failed login attempts" in pages[-1]
    # Even the right password is refused while the limit holds.
    client.post("/accounts/login/", {"login": "target@city.example", "password": password})
    assert "_auth_user_id" not in client.session


@pytest.mark.parametrize(
    "path",
    [
        "/accounts/login/",
        "/accounts/signup/",
        "/accounts/password/reset/",
        "/accounts/password/reset/done/",
        "/accounts/confirm-email/",
    ],
)
def test_account_pages_use_the_site_layout(client, path):
    response = client.get(path)
    assert response.status_code == 200
    html = response.content.decode()
    assert '<main id="main"' in html and "site-header" in html


def test_logging_in_switches_to_the_preferred_language(client, settings):
    person = ProfileFactory(preferred_language="ar").user
    response = client.post(
        "/accounts/login/", {"login": person.email, "password": FACTORY_PASSWORD}
    )
    assert response.status_code == 302
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "ar"
    page = client.get(response["Location"], follow=True).content.decode()
    assert '<html lang="ar" dir="rtl"' in page
    # Switching afterwards still works: the same cookie, set by the language switcher.
    client.post("/i18n/setlang/", {"language": "fr", "next": "/"})
    assert '<html lang="fr"' in client.get("/").content.decode()


def test_logging_in_without_a_profile_leaves_the_language_alone(client, settings):
    person = UserFactory()
    response = client.post(
        "/accounts/login/", {"login": person.email, "password": FACTORY_PASSWORD}
    )
    assert response.status_code == 302
    assert settings.LANGUAGE_COOKIE_NAME not in response.cookies
