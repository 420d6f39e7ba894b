"""Who may do what in a hub's consultation threads (the pages without JavaScript, which call
the same services as the websocket): every role times every thread action, each cell
asserted, and every refusal changes nothing.

The hub is SSA; the thread and the message acted on were written by one of its members."""

import uuid

import pytest
from django.contrib.auth.models import Group

from hubs import services
from hubs.models import Membership, Message, Report, Thread
from tests.factories import UserFactory

from .conftest import make_member

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_cache")]

# 200: shown; ok: done, sent back to the thread (302); no: refused, sent back to the thread
# with the reason (302); login: sent to log in; cons: sent to accept the policies in effect
# first; 403/404: refused with that status (reading a thread of a hub one is outside of is
# 403, the page that says whose consultation it is and how to join, for any id). Nothing is
# changed but by ok.
TABLE = """
role               read post edit delete report hide unhide lock
anonymous          login login login login login login login login
registered         403  404  404  404    404    404  404    404
unconsented        cons cons cons cons   cons   cons cons   cons
member             200  ok   ok   ok     403    no   404    no
other_author       200  ok   403  no     ok     no   404    no
suspended          403  404  404  404    404    404  404    404
other_member       403  404  404  404    404    404  404    404
coordinator        200  ok   403  no     ok     ok   ok     ok
other_coordinator  403  404  404  404    404    404  404    404
editor             403  404  404  404    404    404  404    404
staff              403  404  404  404    404    404  404    404
"""
LINES = TABLE.strip().splitlines()
ACTIONS = LINES[0].split()[1:]
MATRIX = {line.split()[0]: dict(zip(ACTIONS, line.split()[1:], strict=True)) for line in LINES[1:]}
CELLS = [
    pytest.param(role, action, MATRIX[role][action], id=f"{role}-{action}")
    for role in MATRIX
    for action in ACTIONS
]


@pytest.fixture
def place(world):
    """The thread of a member of SSA, with their message, and a hidden one (to unhide)."""
    author = world.target_member.user
    thread = services.thread_create(
        hub=world.ssa, author=author, title="Waste pickers", question="How?"
    )
    message, _ = services.message_post(
        thread=thread, author=author, body="Our answer", client_id=str(uuid.uuid4())
    )
    hidden, _ = services.message_post(
        thread=thread, author=author, body="Rude words", client_id=str(uuid.uuid4())
    )
    services.message_hide(message=hidden, acting_user=world.ssa_coordinator, reason="Rude")
    return thread, message, hidden


def person_in_role(world, role):
    ssa, mena = world.ssa, world.mena
    return {
        "anonymous": lambda: None,
        "registered": lambda: UserFactory(),
        "unconsented": lambda: make_member(ssa, coordinator=world.ssa_coordinator, consented=False),
        "member": lambda: world.target_member.user,  # the author of the message
        "other_author": lambda: make_member(ssa, coordinator=world.ssa_coordinator),
        "suspended": lambda: world.target_suspended.user,
        "other_member": lambda: make_member(mena, coordinator=world.mena_coordinator),
        "coordinator": lambda: world.ssa_coordinator,
        "other_coordinator": lambda: world.mena_coordinator,
        "editor": lambda: _editor(),
        "staff": lambda: UserFactory(is_staff=True),
    }[role]()


def _editor():
    person = UserFactory()
    person.groups.add(Group.objects.get(name="Editors"))
    return person


def request_for(thread, message, hidden, action):
    base = f"/hubs/ssa/threads/{thread.pk}/"
    on = f"{base}messages/{message.pk}/"
    return {
        "read": ("get", base, None),
        "post": ("post", f"{base}messages/", {"body": "A new reply", "client_id": ""}),
        "edit": ("post", f"{on}edit/", {"body": "Changed"}),
        "delete": ("post", f"{on}delete/", {}),
        "report": ("post", f"{on}report/", {"reason": "Spam"}),
        "hide": ("post", f"{on}hide/", {"reason": "Off topic"}),
        "unhide": ("post", f"{base}messages/{hidden.pk}/unhide/", {}),
        "lock": ("post", f"{base}moderate/", {"action": "lock"}),
    }[action]


def snapshot():
    return (
        sorted(Message.objects.values_list("pk", "body", "hidden", "deleted")),
        sorted(Report.objects.values_list("pk", "message", "reporter")),
        sorted(Thread.objects.values_list("pk", "locked")),
        sorted(Membership.objects.values_list("pk", "state")),
    )


@pytest.mark.parametrize(("role", "action", "outcome"), CELLS)
def test_thread_permission_matrix(client, world, place, role, action, outcome):
    thread, message, hidden = place
    person = person_in_role(world, role)
    if person is not None:
        client.force_login(person)
    method, url, data = request_for(thread, message, hidden, action)
    before = snapshot()

    response = client.get(url) if method == "get" else client.post(url, data)

    if outcome == "200":
        assert response.status_code == 200
        assert snapshot() == before
    elif outcome == "ok":
        assert response.status_code == 302, response.content.decode()[:1000]
        assert response["Location"].startswith(f"/hubs/ssa/threads/{thread.pk}/")
        assert snapshot() != before
    elif outcome == "no":
        assert response.status_code == 302, response.content.decode()[:1000]
        assert response["Location"].startswith(f"/hubs/ssa/threads/{thread.pk}/")
        assert snapshot() == before
    elif outcome == "login":
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/?next=")
        assert snapshot() == before
    elif outcome == "cons":
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/consent/?next=")
        assert snapshot() == before
    else:
        assert response.status_code == int(outcome), response.content.decode()[:500]
        assert snapshot() == before


def test_the_matrix_names_every_thread_action():
    assert ACTIONS == ["read", "post", "edit", "delete", "report", "hide", "unhide", "lock"]
