"""The hub pages make a number of queries that does not grow with the number of members,
pending requests or log entries (no per-row permission checks: guardian is read once per
request, the rows come with their users)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from hubs import services
from tests.factories import UserFactory

from .conftest import make_coordinator, make_member

pytestmark = pytest.mark.django_db

PAGES = {
    "dashboard": ("coordinator", "/hubs/ssa/moderation/"),
    "dashboard as staff": ("staff", "/hubs/ssa/moderation/"),
    "members": ("member", "/hubs/ssa/members/"),
    "log": ("coordinator", "/hubs/ssa/moderation/log/"),
    "hub page": ("member", "/hubs/ssa/"),
    "hub list": ("coordinator", "/hubs/"),
}


def populate(hub, coordinator, count):
    """COUNT active members, COUNT pending requests and a suspended member or two."""
    members = [make_member(hub, coordinator=coordinator) for _ in range(count)]
    for _ in range(count):
        services.membership_request(hub=hub, user=UserFactory(), message="Hello")
    for person in members[: max(1, count // 10)]:
        services.membership_suspend(
            membership=person.memberships.get(hub=hub), acting_user=coordinator, reason="Spam"
        )
    return members


def measure(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("page", PAGES)
def test_queries_do_not_grow_with_the_members(client, ssa, page, django_assert_max_num_queries):
    role, url = PAGES[page]
    coordinator = make_coordinator(ssa)
    members = populate(ssa, coordinator, 3)
    viewer = {
        "coordinator": coordinator,
        "member": members[-1],
        "staff": UserFactory(is_staff=True),
    }[role]
    client.force_login(viewer)
    with_three = measure(client, url)

    populate(ssa, coordinator, 30)  # 33 members, 33 requests, more log entries
    html_size = len(client.get(url).content)
    with django_assert_max_num_queries(with_three):
        response = client.get(url)
    assert len(response.content) == html_size
    # a small constant (session, consent gate, navigation and the page's own reads; the
    # dashboard adds its five activity reads: four weekly series and the unanswered list)
    ceiling = 25 if page.startswith("dashboard") else 20
    assert with_three <= ceiling, f"{page}: {with_three} queries"


def test_the_dashboard_lists_all_thirty_requests(client, ssa):
    coordinator = make_coordinator(ssa)
    populate(ssa, coordinator, 30)
    client.force_login(coordinator)
    html = client.get("/hubs/ssa/moderation/").content.decode()
    assert html.count("/approve/") == 30
    assert 'href="#requests">Join requests (30)' in html
