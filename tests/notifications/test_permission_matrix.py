"""Who may do what with notifications: every role times every notification action, each cell
asserted.

The hub is open; MEMBER started a thread there and MEMBER2 replied, so MEMBER has one unread
notification (`mine`). The unsubscribe link is MEMBER's: it needs no login, so it works, the
same, for whoever holds it, and a forged one changes nothing for anyone. Refusals change
nothing: the notifications, follows and preferences are as before.
"""

import pytest

from hubs import services as hub_services
from notifications import tokens
from notifications.models import Follow, Kind, Notification, NotificationPreference
from tests.factories import UserFactory
from tests.hubs.threads_support import make_member

pytestmark = pytest.mark.django_db

ROLES = [
    "anonymous",
    "registered",
    "recipient",
    "other_member",
    "suspended",
    "outsider",
    "coordinator",
    "staff",
]
TABLE = """
role          list read other all set save bad follow unfol mute hfol hunf unsub unsubp forged ment
anonymous     in   in   in    in  in  in   in  in     in    in   in   in   200   ok     400   in
registered    200  404  404   ok  200 ok   400 404    404   404  404  404  200   ok     400   404
recipient     200  ok   404   ok  200 ok   400 ok     ok    ok   ok   ok   200   ok     400   200
other_member  200  404  404   ok  200 ok   400 ok     ok    ok   ok   ok   200   ok     400   200
suspended     200  404  404   ok  200 ok   400 404    404   404  404  404  200   ok     400   404
outsider      200  404  404   ok  200 ok   400 404    404   404  404  404  200   ok     400   404
coordinator   200  404  ok    ok  200 ok   400 ok     ok    ok   ok   ok   200   ok     400   200
staff         200  404  404   ok  200 ok   400 404    404   404  404  404  200   ok     400   404
"""
HEADER = TABLE.strip().splitlines()[0].split()[1:]
# The header's short names; "in": sent to log in, nothing done; "ok": done, sent back.
ACTIONS = {
    "list": "the notification list",
    "read": "mark the recipient's notification read (by its id)",
    "other": "mark read the coordinator's notification by its id (theirs alone)",
    "all": "mark all one's own notifications read",
    "set": "the settings page",
    "save": "save the settings",
    "bad": "save settings naming an unknown kind",
    "follow": "follow the thread",
    "unfol": "unfollow the thread",
    "mute": "mute the thread",
    "hfol": "follow the hub",
    "hunf": "unfollow the hub",
    "unsub": "open the recipient's unsubscribe link",
    "unsubp": "one-click unsubscribe (POST) with it",
    "forged": "POST an altered unsubscribe token",
    "ment": "the composer's @mention suggestions for the thread",
}
MATRIX = {row.split()[0]: row.split()[1:] for row in TABLE.strip().splitlines()[1:]}
CELLS = [
    pytest.param(role, action, MATRIX[role][column], id=f"{role}-{action}")
    for role in ROLES
    for column, action in enumerate(HEADER)
]


@pytest.fixture
def world(hub, member, member2, coordinator, asked, committed):
    with committed():
        hub_services.message_post(thread=asked, author=member2, body="We registered them.")
        # The coordinator is told of something too: the id other people try to mark read.
        hub_services.message_post(thread=asked, author=member2, body=f"@{coordinator.handle}?")
    return {
        "mine": Notification.objects.get(recipient=member, kind=Kind.REPLY),
        "theirs": Notification.objects.get(recipient=coordinator, kind=Kind.MENTION),
        "thread": asked,
        "token": tokens.make_token(user_id=member.pk, what=Kind.REPLY),
    }


def person_in_role(request, role, hub, coordinator):
    if role == "anonymous":
        return None
    if role == "registered":
        return UserFactory()
    if role == "recipient":
        return request.getfixturevalue("member")
    if role == "other_member":
        return make_member(hub, name="Olga Other")
    if role == "suspended":
        return request.getfixturevalue("suspended")
    if role == "outsider":
        return request.getfixturevalue("outsider")
    if role == "coordinator":
        return coordinator
    if role == "staff":
        return UserFactory(is_staff=True)
    raise AssertionError(role)


def request_for(world, action, hub):
    """(method, url, data, where a done action sends the visitor)."""
    thread = world["thread"]
    base = f"/hubs/{hub.slug}/threads/{thread.pk}/"
    every_kind = dict.fromkeys(Kind.values, "app")
    token = world["token"]
    return {
        "list": ("get", "/notifications/", None, None),
        "read": ("post", "/notifications/read/", {"id": world["mine"].pk}, "/notifications/"),
        "other": ("post", "/notifications/read/", {"id": world["theirs"].pk}, "/notifications/"),
        "all": ("post", "/notifications/read/", {}, "/notifications/"),
        "set": ("get", "/notifications/settings/", None, None),
        "save": ("post", "/notifications/settings/", every_kind, "/notifications/settings/"),
        "bad": ("post", "/notifications/settings/", {**every_kind, "bogus": "email"}, None),
        "follow": ("post", base + "follow/", {}, base),
        "unfol": ("post", base + "unfollow/", {}, base),
        "mute": ("post", base + "mute/", {}, base),
        "hfol": ("post", f"/hubs/{hub.slug}/follow/", {}, f"/hubs/{hub.slug}/"),
        "hunf": ("post", f"/hubs/{hub.slug}/unfollow/", {}, f"/hubs/{hub.slug}/"),
        "unsub": ("get", f"/notifications/unsubscribe/{token}/", None, None),
        "unsubp": ("post", f"/notifications/unsubscribe/{token}/", {}, None),
        "forged": ("post", f"/notifications/unsubscribe/{token[:-2]}xy/", {}, None),
        "ment": ("get", base + "mentions/?q=m", None, None),
    }[action]


def snapshot():
    return (
        sorted(Notification.objects.values_list("pk", "recipient_id", "read_at")),
        sorted(Follow.objects.values_list("user_id", "thread_id", "hub_id", "muted")),
        sorted(NotificationPreference.objects.values_list("user_id", "kind", "channel")),
    )


def assert_done(world, action, person, hub):
    thread = world["thread"]
    follow = Follow.objects.filter(user=person, thread=thread).first()
    check = {
        "read": lambda: Notification.objects.get(pk=world["mine"].pk).read_at is not None,
        "other": lambda: Notification.objects.get(pk=world["theirs"].pk).read_at is not None,
        "all": lambda: not Notification.objects.filter(recipient=person, read_at=None).exists(),
        "save": lambda: (
            NotificationPreference.objects.filter(user=person, channel="app").count() == len(Kind)
        ),
        "follow": lambda: follow is not None and not follow.muted,
        "unfol": lambda: follow is None,
        "mute": lambda: follow is not None and follow.muted,
        "hfol": lambda: Follow.objects.filter(user=person, hub=hub).exists(),
        "hunf": lambda: not Follow.objects.filter(user=person, hub=hub).exists(),
        "unsubp": lambda: NotificationPreference.objects.filter(
            user=world["mine"].recipient, kind=Kind.REPLY, channel="app"
        ).exists(),
    }[action]
    assert check()
    # Nobody else's notifications were touched.
    if action in ("read", "other", "all"):
        others = Notification.objects.exclude(recipient=person)
        assert not others.exclude(read_at=None).exists()


@pytest.mark.parametrize(("role", "action", "outcome"), CELLS)
def test_notification_permission_matrix(
    request, client, world, hub, coordinator, committed, role, action, outcome
):
    person = person_in_role(request, role, hub, coordinator)
    if person is not None:
        client.force_login(person)
    method, url, data, done_url = request_for(world, action, hub)
    before = snapshot()

    with committed():
        response = client.post(url, data) if method == "post" else client.get(url)

    if outcome == "in":
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/?next=")
        assert snapshot() == before
    elif outcome == "ok":
        if done_url is None:  # the unsubscribe page answers in place
            assert response.status_code == 200, response.content.decode()[:1500]
        else:
            assert response.status_code == 302, response.content.decode()[:1500]
            assert response["Location"] == done_url
        assert_done(world, action, person, hub)
    else:
        assert response.status_code == int(outcome), response.content.decode()[:1500]
        assert snapshot() == before


def test_the_matrix_covers_every_role_and_action():
    assert set(MATRIX) == set(ROLES)
    assert all(len(row) == len(HEADER) for row in MATRIX.values())
    assert list(ACTIONS) == HEADER
