"""The data export holds a member's notifications, follows and preferences; deleting the
account erases them and unnames them in others' notifications."""

import json

import pytest

from hubs import services as hub_services
from members import services as member_services
from notifications import services
from notifications.models import DigestSent, Follow, Notification, NotificationPreference
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


@pytest.fixture
def busy(asked, member, member2, committed):
    """member2 mentions member; member follows and has chosen a preference."""
    with committed():
        hub_services.message_post(thread=asked, author=member2, body=f"@{member.handle} hi")
    services.preferences_update(user=member, channels={"reply": "weekly"})
    DigestSent.objects.create(user=member, period="daily", key="2026-12-02", items=1)
    return member


def test_export_includes_notifications_follows_and_preferences(client, busy, asked):
    client.force_login(busy)
    data = json.loads(client.get("/members/me/data/").content)["data"]["notifications"]
    assert [n["kind"] for n in data["notifications"]] == ["mention"]
    assert data["follows"] == [
        {"thread": asked.pk, "hub": None, "muted": False, "since": data["follows"][0]["since"]}
    ]
    assert data["preferences"] == {"reply": "weekly"}
    assert data["digests_sent"][0]["key"] == "2026-12-02"
    assert json.loads(client.get("/members/me/data/").content)["data"]["account"]["handle"] == (
        busy.handle
    )


def test_deletion_erases_them_and_unnames_the_actor(busy, member2, asked, committed):
    with committed():
        hub_services.message_post(thread=asked, author=busy, body="Thanks")
    assert Notification.objects.filter(recipient=member2, actor=busy).exists()
    member_services.account_delete(user=busy, password=PASSWORD)
    assert not Notification.objects.filter(recipient_id=busy.pk).exists()
    assert not Follow.objects.filter(user_id=busy.pk).exists()
    assert not NotificationPreference.objects.filter(user_id=busy.pk).exists()
    assert not DigestSent.objects.filter(user_id=busy.pk).exists()
    assert Notification.objects.get(recipient=member2).actor is None
