"""One login door: allauth's. The admin login and password-reset pages of Wagtail and of
Django's admin lead there (email verification, rate limits and lockout all apply) and never
log anyone in themselves."""

import pytest
from allauth.account.models import EmailAddress
from django.urls import reverse

from tests.factories import PASSWORD


@pytest.fixture
def unverified(user_factory):
    user = user_factory(is_staff=True)
    EmailAddress.objects.filter(user=user).update(verified=False)
    return user


ADMIN_LOGINS = [("/admin/login/", "/admin/"), ("/django-admin/login/", "/django-admin/")]


@pytest.mark.django_db
@pytest.mark.parametrize(("url", "then"), ADMIN_LOGINS)
def test_admin_login_pages_lead_to_allauth(client, url, then):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('account_login')}?next={then}"


@pytest.mark.django_db
def test_the_next_page_is_kept_when_it_is_local(client):
    response = client.get("/admin/login/?next=/admin/pages/")
    assert response["Location"] == f"{reverse('account_login')}?next=/admin/pages/"
    response = client.get("/admin/login/?next=https://evil.example/")
    assert response["Location"] == f"{reverse('account_login')}?next=/admin/"


@pytest.mark.django_db
@pytest.mark.parametrize(("url", "then"), ADMIN_LOGINS)
def test_posting_a_password_to_an_admin_login_logs_nobody_in(client, unverified, url, then):
    response = client.post(url, {"username": unverified.email, "password": PASSWORD})
    assert response.status_code in (302, 303)
    assert reverse("account_login") in response["Location"]
    assert "_auth_user_id" not in client.session
    assert client.get("/admin/").status_code == 302  # still anonymous


@pytest.mark.django_db
def test_the_admin_sends_anonymous_visitors_to_allauth(client):
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url",
    [
        "/admin/password_reset/",
        "/admin/password_reset/done/",
        "/admin/password_reset/confirm/MQ/set-password/",
        "/admin/password_reset/complete/",
        "/django-admin/password_reset/",
    ],
)
def test_admin_password_resets_lead_to_allauth(client, mailoutbox, user, url):
    response = client.post(url, {"email": user.email})
    assert response.status_code in (302, 404)
    if response.status_code == 302:
        assert response["Location"] == reverse("account_reset_password")
    assert mailoutbox == []


@pytest.mark.django_db
def test_wagtail_account_page_does_not_change_the_email(client, user_factory):
    editor = user_factory(is_staff=True, is_superuser=True)
    client.force_login(editor)
    page = client.get("/admin/account/")
    assert page.status_code == 200
    assert 'name="name_email-email"' not in page.content.decode()
    # Changing the address is allauth's (with verification), under /accounts/email/.
    old = editor.email
    client.post(
        "/admin/account/",
        {"name_email-email": "taken-over@attacker.example", "name_email-first_name": "X"},
    )
    editor.refresh_from_db()
    assert editor.email == old
