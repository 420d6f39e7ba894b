"""The pages: the list, marking read, the bell, settings, follow buttons."""

import pytest

from hubs import services as hub_services
from notifications.models import Follow, Kind, Notification, NotificationPreference

pytestmark = pytest.mark.django_db


@pytest.fixture
def replied(asked, member2, committed):
    with committed():
        message, _created = hub_services.message_post(thread=asked, author=member2, body="Hi")
    return message


def test_list_links_to_the_exact_message_and_the_bell_counts(client, member, replied, asked):
    client.force_login(member)
    page = client.get("/notifications/")
    html = page.content.decode()
    assert f"/threads/{asked.pk}/#message-{replied.pk}" in html
    assert 'data-unread="1"' in html
    assert 'Notifications (<span class="bell-count">1</span> unread)' in html


def test_list_needs_login(client):
    assert client.get("/notifications/").status_code == 302


def test_mark_one_and_another_members_id_is_a_404(client, member, member2, replied, coordinator):
    entry = Notification.objects.get(recipient=member)
    client.force_login(member2)
    assert client.post("/notifications/read/", {"id": entry.pk}).status_code == 404
    assert client.post("/notifications/read/", {"id": "x"}).status_code == 404
    entry.refresh_from_db()
    assert entry.read_at is None
    client.force_login(member)
    assert client.post("/notifications/read/", {"id": entry.pk}).status_code == 302
    entry.refresh_from_db()
    assert entry.read_at is not None


def test_mark_all_read(client, member, replied):
    client.force_login(member)
    client.post("/notifications/read/")
    assert not Notification.objects.filter(recipient=member, read_at=None).exists()
    assert 'data-unread="0"' in client.get("/notifications/").content.decode()


def test_list_query_count_is_constant(
    client, member, asked, hub, committed, django_assert_max_num_queries
):
    from tests.hubs.threads_support import make_member

    for _n in range(5):
        person = make_member(hub)
        with committed():
            hub_services.message_post(thread=asked, author=person, body=f"@{member.handle} hi")
    client.force_login(member)
    with django_assert_max_num_queries(12):
        assert client.get("/notifications/").status_code == 200


def test_settings_save_and_an_unknown_kind_is_a_400(client, member):
    client.force_login(member)
    data = dict.fromkeys(Kind.values, "app")
    assert client.post("/notifications/settings/", data).status_code == 302
    assert NotificationPreference.objects.filter(user=member, channel="app").count() == len(Kind)
    data["not_a_kind"] = "email"
    response = client.post("/notifications/settings/", data)
    assert response.status_code == 400
    assert "Unknown kind of notification: not_a_kind" in response.content.decode()
    assert '<select name="reply"' in response.content.decode()  # the form shown again
    assert not NotificationPreference.objects.exclude(channel="app").exists()


def test_follow_unfollow_mute_a_thread(client, member2, asked, hub):
    client.force_login(member2)
    base = f"/hubs/{hub.slug}/threads/{asked.pk}"
    assert client.post(f"{base}/follow/").status_code == 302
    assert Follow.objects.filter(user=member2, thread=asked, muted=False).exists()
    client.post(f"{base}/mute/")
    assert Follow.objects.get(user=member2, thread=asked).muted
    client.post(f"{base}/unfollow/")
    assert not Follow.objects.filter(user=member2, thread=asked).exists()
    page = client.get(f"{base}/").content.decode()
    assert f'action="{base}/follow/"' in page


def test_follow_refuses_what_one_may_not_read(client, outsider, asked, hub):
    client.force_login(outsider)
    base = f"/hubs/{hub.slug}/threads/{asked.pk}"
    assert client.post(f"{base}/follow/").status_code == 404
    assert client.post(f"/hubs/{hub.slug}/follow/").status_code == 404
    assert client.get(f"{base}/follow/").status_code == 405
    assert not Follow.objects.filter(user=outsider).exists()


def test_follow_a_hub_from_its_page(client, member2, hub):
    client.force_login(member2)
    assert f'action="/hubs/{hub.slug}/follow/"' in client.get(f"/hubs/{hub.slug}/").content.decode()
    client.post(f"/hubs/{hub.slug}/follow/")
    assert Follow.objects.filter(user=member2, hub=hub).exists()
    client.post(f"/hubs/{hub.slug}/unfollow/")
    assert not Follow.objects.filter(user=member2, hub=hub).exists()


def test_profile_shows_the_handle(client, member, member2):
    client.force_login(member2)
    from tests.factories import ProfileFactory

    ProfileFactory(user=member)
    assert f"@{member.handle}" in client.get(f"/members/{member.pk}/").content.decode()
