"""The consent ledger and the consent gate (HTTP and websockets)."""

import pytest
from asgiref.sync import sync_to_async
from channels.generic.websocket import AsyncWebsocketConsumer
from channels.routing import URLRouter
from channels.testing import WebsocketCommunicator
from django.core.management import call_command
from django.test import override_settings
from django.urls import path

from members import selectors, services
from members.exceptions import ConsentError
from members.models import ConsentRecord
from network.routing import application
from tests.factories import ProfileFactory, UserFactory

pytestmark = pytest.mark.django_db


def ledger(user):
    return list(
        ConsentRecord.objects.filter(user=user)
        .order_by("pk")
        .values_list("pk", "version__document", "version__number", "language", "how", "created")
    )


def consent_post(version_numbers, **extra):
    data = {f"{doc}_version": number for doc, number in version_numbers.items()}
    data.update({f"accept_{doc}": "on" for doc in version_numbers})
    data.update(extra)
    return data


# The ledger -----------------------------------------------------------------


def test_a_row_per_version_and_language_and_rows_never_change(member, publish):
    before = ledger(member)
    assert [(row[1], row[4]) for row in before] == [
        ("guidelines", "signup"),
        ("privacy", "signup"),
    ]
    version = publish("guidelines", "## v2", translations={"fr": "## v2 fr"})
    services.consent_accept(user=member, accepted={"guidelines": version.number}, language="fr")
    after = ledger(member)
    assert after[: len(before)] == before  # earlier rows untouched
    new = after[len(before) :]
    assert [(row[1], row[2], row[3], row[4]) for row in new] == [
        ("guidelines", version.number, "fr", "reconsent")
    ]
    # Accepting again records nothing twice.
    services.consent_accept(user=member, accepted={"guidelines": version.number}, language="fr")
    assert ledger(member) == after


def test_language_shown_falls_back_to_english(member, publish):
    version = publish("privacy", "## v2")  # English only
    services.consent_accept(user=member, accepted={"privacy": version.number}, language="ar")
    assert ConsentRecord.objects.filter(user=member, version=version).get().language == "en"


@pytest.mark.parametrize("number", [0, 1, 999])
def test_the_service_refuses_a_version_not_in_effect(member, publish, number):
    publish("guidelines", "## v2")
    count = ConsentRecord.objects.count()
    with pytest.raises(ConsentError):
        services.consent_accept(user=member, accepted={"guidelines": number}, language="en")
    assert ConsentRecord.objects.count() == count


# The HTTP gate ----------------------------------------------------------------


def test_new_version_stops_members_until_they_accept(member_client, member, tmp_path):
    assert member_client.get("/members/me/").status_code == 200
    source = tmp_path / "g.md"
    source.write_text("## Guidelines v2\n\nNew duty.", encoding="utf-8")
    call_command("publish_policy", "guidelines", str(source))
    assert not selectors.consent_is_current(member)

    response = member_client.get("/members/experts/?theme=municipal_services")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/consent/?next=")
    page = member_client.get(response["Location"])
    html = page.content.decode()
    assert "Guidelines v2" in html and 'name="guidelines_version" value="2"' in html
    assert "deleting your account" in html  # withdrawal means deletion
    assert member_client.get("/hubs/").status_code == 302  # every page, not just one

    # Unticked: a form error, nothing recorded.
    count = ConsentRecord.objects.count()
    unticked = member_client.post("/accounts/consent/", {"guidelines_version": 2})
    assert unticked.status_code == 200
    assert ConsentRecord.objects.count() == count

    accepted = member_client.post(
        "/accounts/consent/",
        consent_post({"guidelines": 2}, next="/members/experts/?theme=municipal_services"),
    )
    assert accepted.status_code == 302
    assert accepted["Location"] == "/members/experts/?theme=municipal_services"
    assert member_client.get("/members/experts/").status_code == 200
    assert ConsentRecord.objects.filter(user=member, how="reconsent").count() == 1


@pytest.mark.parametrize(
    "data",
    [
        {"guidelines_version": "1", "accept_guidelines": "on"},  # the old version
        {"guidelines_version": "999", "accept_guidelines": "on"},  # unknown
        {"guidelines_version": "2", "privacy_version": "7", "accept_guidelines": "on"},
        {"guidelines_version": "abc", "accept_guidelines": "on"},
        {"cookies_version": "2", "accept_guidelines": "on"},
        {"accept_guidelines": "on"},  # no version at all
    ],
)
def test_forged_consent_posts_are_refused_with_400(member_client, member, publish, data):
    publish("guidelines", "## v2")
    count = ConsentRecord.objects.count()
    response = member_client.post("/accounts/consent/", data)
    assert response.status_code == 400
    assert ConsentRecord.objects.count() == count
    assert not selectors.consent_is_current(member)


@pytest.mark.parametrize(
    "path",
    [
        "/guidelines/",
        "/privacy/",
        "/guidelines/versions/1/",
        "/accounts/consent/",
        "/members/me/data/",
        "/members/me/delete/",
        "/static/css/site.css",
        "/healthz",
    ],
)
def test_members_without_consent_may_still_read_leave_and_take_their_data(
    member_client, publish, path
):
    publish("privacy", "## v2")
    assert member_client.get(path).status_code in (200, 503)


def test_logout_is_let_through(member_client, publish):
    publish("privacy", "## v2")
    response = member_client.post("/accounts/logout/")
    assert response.status_code == 302
    assert "_auth_user_id" not in member_client.session


def test_anonymous_visitors_are_not_sent_to_the_consent_page(client, publish):
    publish("privacy", "## v2")
    assert client.get("/hubs/").status_code == 200
    assert client.get("/accounts/consent/").status_code == 302  # login first


def test_a_member_without_any_consent_is_stopped(client):
    person = UserFactory(consented=False)
    client.force_login(person)
    assert client.get("/hubs/").status_code == 302
    page = client.get("/accounts/consent/").content.decode()
    assert 'name="guidelines_version"' in page and 'name="privacy_version"' in page


def test_the_gate_costs_one_query_once_consent_is_known(member_client):
    member_client.get("/hubs/")  # consent checked and remembered in the session
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        member_client.get("/hubs/")
    consent_queries = [q for q in queries.captured_queries if "members_consentrecord" in q["sql"]]
    assert consent_queries == []


# The websocket gate -----------------------------------------------------------


class EchoConsumer(AsyncWebsocketConsumer):
    """Test-only consumer: accepts and echoes, standing in for the thread consumer."""

    async def receive(self, text_data=None, bytes_data=None):
        await self.send(text_data=text_data)


@pytest.fixture
def echo_route(monkeypatch):
    """Add /ws/test-echo/ to the URLRouter inside network.routing.application."""
    layer = application.application_mapping["websocket"]
    while not isinstance(layer, URLRouter):
        layer = getattr(layer, "inner", None) or layer.application
    monkeypatch.setattr(
        layer, "routes", [path("ws/test-echo/", EchoConsumer.as_asgi()), *layer.routes]
    )


async def connect_as(client, user):
    await sync_to_async(client.force_login)(user)
    cookie = f"sessionid={client.cookies['sessionid'].value}".encode()
    communicator = WebsocketCommunicator(
        application,
        "/ws/test-echo/",
        headers=[(b"cookie", cookie), (b"origin", b"http://testserver")],
    )
    return communicator


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@override_settings(ALLOWED_HOSTS=["testserver", "localhost"])
async def test_websocket_of_a_member_without_current_consent_is_closed_4403(client, echo_route):
    member = await sync_to_async(lambda: ProfileFactory().user)()
    communicator = await connect_as(client, member)
    connected, _ = await communicator.connect()
    assert connected
    await communicator.send_to(text_data="ping")
    assert await communicator.receive_from() == "ping"
    await communicator.disconnect()

    await sync_to_async(services.policy_publish)(document="guidelines", body="## v2")
    communicator = await connect_as(client, member)
    connected, code = await communicator.connect()
    if connected:  # accepted, then closed at once
        message = await communicator.receive_output()
        assert message == {"type": "websocket.close", "code": 4403}
    else:
        assert code == 4403
    await communicator.disconnect()

    version = await sync_to_async(lambda: selectors.current_policy_versions()["guidelines"])()
    await sync_to_async(services.consent_accept)(
        user=member, accepted={"guidelines": version.number}, language="en"
    )
    communicator = await connect_as(client, member)
    connected, _ = await communicator.connect()
    assert connected
    await communicator.disconnect()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@override_settings(ALLOWED_HOSTS=["testserver", "localhost"])
async def test_anonymous_websockets_pass_to_the_consumer(echo_route):
    communicator = WebsocketCommunicator(
        application, "/ws/test-echo/", headers=[(b"origin", b"http://testserver")]
    )
    connected, _ = await communicator.connect()
    assert connected  # the consumer decides (the thread consumer closes with 4401)
    await communicator.disconnect()


def test_the_service_refuses_a_consent_that_leaves_a_version_in_effect_out(member, publish):
    """A form shown before a second document changed names only the first: stale."""
    guidelines = publish("guidelines", "## v2")
    publish("privacy", "## v2")
    count = ConsentRecord.objects.count()
    with pytest.raises(ConsentError) as error:
        services.consent_accept(
            user=member, accepted={"guidelines": guidelines.number}, language="en"
        )
    assert error.value.code == "stale"
    assert ConsentRecord.objects.count() == count
