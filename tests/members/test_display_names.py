"""Display names are one line of a person's name: no line breaks or other control characters,
no direction overrides, no links or addresses, at most NAME_MAX_LENGTH characters. Signup,
the profile and the services refuse anything else; and the confirmation mail, which goes to
whatever address was typed in, does not quote the name at all."""

import pytest
from django.core import mail

from core.exceptions import ActionError
from members import selectors, services
from members.models import User
from tests.factories import ProfileFactory, UserFactory
from tests.members.test_signup import signup_data

pytestmark = pytest.mark.django_db

BAD_NAMES = [
    "Layla\nClick here",
    "Layla\r\nhttp://evil.example/",
    "Layla\u2028Ben",
    "Layla\x07",
    "Layla\u202eharaS",
    "Visit https://evil.example",
    "Visit http://evil.example",
    "www.evil.example",
    "Prize at evil-site.com/claim",
    "write to layla@evil.example",
    "L" * 101,
]
GOOD_NAMES = [
    "Layla Ben Salah",
    "J. R. R. Tolkien",
    "Dr. Amina Diallo-Ndiaye",
    "ليلى بن صالح",
    "O'Brien, Seán",
    "L" * 100,
]


@pytest.mark.parametrize("name", BAD_NAMES)
def test_signup_refuses_the_name_and_sends_nothing(
    client, name, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):  # mail goes out after commit
        response = client.post("/accounts/signup/", signup_data(name=name))
    assert response.status_code == 200
    assert 'id="id_name"' in response.content.decode()
    assert not User.objects.filter(email="layla@tunis.example").exists()
    assert mail.outbox == []


@pytest.mark.parametrize("name", GOOD_NAMES)
def test_signup_accepts_real_names(client, name):
    response = client.post("/accounts/signup/", signup_data(name=name))
    assert response.status_code == 302
    assert User.objects.get(email="layla@tunis.example").name == name


def test_surrounding_and_repeated_spaces_are_tidied(client):
    client.post("/accounts/signup/", signup_data(name="  Layla   Ben\tSalah "))
    assert User.objects.get(email="layla@tunis.example").name == "Layla Ben Salah"


@pytest.mark.parametrize("name", BAD_NAMES)
def test_the_services_refuse_the_name(name):
    with pytest.raises(ActionError) as error:
        services.member_register(
            email="x@example.org",
            password="a-long-test-password",
            name=name,
            organisation="Org",
            organisation_type="municipality",
            city="Tunis",
            country="TN",
            preferred_language="en",
            accepted={
                doc: version.number for doc, version in selectors.current_policy_versions().items()
            },
            language="en",
        )
    assert error.value.code == "invalid"
    assert not User.objects.filter(email="x@example.org").exists()
    profile = ProfileFactory(user=UserFactory(name="Kept Name"))
    with pytest.raises(ActionError):
        services.profile_update(user=profile.user, name=name, expertise=[], languages=[])
    profile.user.refresh_from_db()
    assert profile.user.name == "Kept Name"


@pytest.mark.parametrize("name", BAD_NAMES[:3])
def test_the_profile_page_refuses_the_name(client, name):
    profile = ProfileFactory(user=UserFactory(name="Kept Name"))
    client.force_login(profile.user)
    response = client.post(
        "/members/me/",
        {
            "name": name,
            "organisation": "City of Sfax",
            "organisation_type": "municipality",
            "city": "Sfax",
            "country": "TN",
            "preferred_language": "en",
            "visibility": "members",
        },
    )
    assert response.status_code == 200
    profile.user.refresh_from_db()
    assert profile.user.name == "Kept Name"


def test_the_confirmation_mail_does_not_quote_the_name(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/accounts/signup/", signup_data(name="Layla Distinctive-Name"))
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert "Distinctive" not in message.subject
    assert "Distinctive" not in message.body
    for content, _mimetype in message.alternatives:
        assert "Distinctive" not in content
    assert "/accounts/confirm-email/" in message.body
