import pytest
from channels.testing import WebsocketCommunicator
from django.test import override_settings

from network.routing import application

LANGUAGES = {
    "en": ("ltr", "Regional hubs"),
    "de": ("ltr", "Regionale Netzwerke"),
    "fr": ("ltr", "Réseaux régionaux"),
    "ar": ("rtl", "الشبكات الإقليمية"),
}


@pytest.mark.django_db
@pytest.mark.parametrize("language", LANGUAGES)
def test_home_page_in_each_language(client, language):
    direction, heading = LANGUAGES[language]
    response = client.get("/", headers={"accept-language": language})
    assert response.status_code == 200
    html = response.content.decode()
    assert f'<html lang="{language}" dir="{direction}">' in html
    assert heading in html
    # Landmarks and the skip link on every page.
    for landmark in ('<main id="main"', "<header", "<footer", 'href="#main"'):
        assert landmark in html


@pytest.mark.django_db
def test_language_switcher_works_without_javascript(client):
    response = client.post("/i18n/setlang/", {"language": "ar", "next": "/"})
    assert response.status_code == 302
    assert 'dir="rtl"' in client.get("/").content.decode()


@pytest.mark.django_db
def test_home_lists_the_hubs(client):
    html = client.get("/").content.decode()
    for name in ("MENA", "SEE", "SSA"):
        assert name in html


@pytest.mark.django_db
def test_pages_send_a_strict_content_security_policy(client):
    policy = client.get("/")["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";"))
    assert directives["script-src"] == "'self'"
    assert "unsafe-inline" not in policy


@pytest.mark.django_db
def test_unknown_page_is_a_friendly_404(client):
    response = client.get("/no/such/page/")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


@pytest.mark.django_db
def test_wagtail_user_admin_uses_our_user_model(admin_client):
    response = admin_client.get("/admin/users/new/")
    assert response.status_code == 200
    assert 'name="name"' in response.content.decode()


@pytest.mark.django_db
def test_static_files_are_served(client):
    response = client.get("/static/css/site.css")
    assert response.status_code == 200


# Channels checks the worker thread's database connections on every dispatch, so this
# test needs database access even though the origin check refuses before any query.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@override_settings(ALLOWED_HOSTS=["testserver", "localhost"])
async def test_websocket_from_a_foreign_origin_is_refused():
    communicator = WebsocketCommunicator(
        application, "/ws/threads/1/", headers=[(b"origin", b"https://evil.example")]
    )
    connected, _ = await communicator.connect()
    assert not connected
    await communicator.disconnect()
