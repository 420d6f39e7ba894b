"""The issue's "done when", end to end through the views."""

import json
import re

import pytest
from django.core import mail
from django.core.management import call_command

from hubs import services as hub_services
from hubs.models import Hub
from members import selectors, services
from members.models import User
from tests.factories import ProfileFactory, UserFactory
from tests.members.test_personal_data import rows_containing

pytestmark = pytest.mark.django_db

PASSWORD = "Peer-advice-2026!"


def test_register_confirm_export_reconsent_find_experts_delete(
    client, tmp_path, django_capture_on_commit_callbacks
):
    # Experts already in the network.
    expert = ProfileFactory(user=UserFactory(name="Amina Waste")).user
    services.profile_update(
        user=expert,
        name=expert.name,
        expertise=["municipal_services"],
        languages=["fr"],
        available_for_advice=True,
    )
    hub_services.membership_request(hub=Hub.objects.get(slug="see"), user=expert)
    other = ProfileFactory(user=UserFactory(name="Otto Planner")).user
    services.profile_update(
        user=other,
        name=other.name,
        expertise=["integrated_urban_development"],
        languages=[],
        available_for_advice=True,
    )

    # 1. Register with both consents.
    current = selectors.current_policy_versions()
    with django_capture_on_commit_callbacks(execute=True):  # mail goes out after commit
        response = client.post(
            "/accounts/signup/",
            {
                "email": "dragana@novisad.example",
                "name": "Dragana Petrović",
                "password1": PASSWORD,
                "password2": PASSWORD,
                "organisation": "City of Novi Sad",
                "organisation_type": "municipality",
                "city": "Novi Sad",
                "country": "RS",
                "preferred_language": "en",
                "accept_guidelines": "on",
                "accept_privacy": "on",
                "guidelines_version": current["guidelines"].number,
                "privacy_version": current["privacy"].number,
            },
        )
    assert response.status_code == 302

    # 2. Confirm the email with the link from the mail.
    (message,) = mail.outbox
    link = re.search(r"https?://[^/\s]+(/accounts/confirm-email/\S+/)", message.body).group(1)
    response = client.post(link)
    assert response.status_code == 302
    if "_auth_user_id" not in client.session:
        assert client.login(email="dragana@novisad.example", password=PASSWORD)
    assert client.get("/members/me/").status_code == 200

    # 3. The consent is in the data export.
    data = json.loads(client.get("/members/me/data/").content)["data"]
    assert {(c["document"], c["how"]) for c in data["consents"]} == {
        ("guidelines", "signup"),
        ("privacy", "signup"),
    }

    # 4. A new guidelines version: stopped on the next page until accepting it.
    source = tmp_path / "guidelines.md"
    source.write_text("## Guidelines, second edition\n", encoding="utf-8")
    call_command("publish_policy", "guidelines", str(source))
    response = client.get("/members/experts/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/consent/")
    client.post(
        "/accounts/consent/",
        {"guidelines_version": 2, "accept_guidelines": "on", "next": "/members/experts/"},
    )

    # 5. Find experts by theme and hub.
    hub_services.membership_request(
        hub=Hub.objects.get(slug="see"), user=User.objects.get(email="dragana@novisad.example")
    )
    html = client.get("/members/experts/?theme=municipal_services&hub=see").content.decode()
    assert "Amina Waste" in html and "Otto Planner" not in html

    # 6. Delete the account: nothing personal remains.
    response = client.post("/members/me/delete/", {"password": PASSWORD, "confirm": "on"})
    assert response.status_code == 302
    assert not User.objects.filter(email="dragana@novisad.example").exists()
    assert rows_containing("dragana@novisad.example", "Dragana Petrović", "Novi Sad") == []
