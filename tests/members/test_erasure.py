"""Complete erasure: a person who wrote in a hub, applied to a call, registered for an event
and got notifications deletes their account; then no text column of any table (SQLite and
PostgreSQL alike: run with DATABASE_URL) and no search result holds their name or email."""

import uuid

import pytest

from calls.models import Proposal
from events.models import Registration
from hubs import services as hub_services
from hubs.models import Hub, Message, Thread
from members import services
from notifications.models import Notification
from search import selectors as search_selectors
from tests.calls.conftest import make_call, submit_proposal
from tests.events.conftest import make_event, register
from tests.factories import PASSWORD, ProfileFactory, UserFactory
from tests.members.test_personal_data import rows_containing

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_cache")]

NAME = "Zora Erasable-Xyzzy"
EMAIL = "zora.xyzzy@erasure.example"


def _search(user, query):
    results = search_selectors.search_results(user=user, params={"q": query})
    return [hit.title + " " + hit.snippet for hit in results.hits]


def test_nothing_of_a_deleted_person_is_left(django_capture_on_commit_callbacks):
    see = Hub.objects.get(slug="see")
    with django_capture_on_commit_callbacks(execute=True):
        person = ProfileFactory(user=UserFactory(name=NAME, email=EMAIL)).user
        colleague = ProfileFactory(user=UserFactory(name="Colleague Stays")).user
        coordinator = UserFactory(name="Coordinator Stays")
        hub_services.coordinator_assign(hub=see, user=coordinator)
        for who in (person, colleague):
            hub_services.membership_request(hub=see, user=who)
        # Writes: their own thread, a reply in a colleague's thread (the colleague is
        # notified of it), and the colleague's reply in theirs (they are notified).
        own = hub_services.thread_create(
            hub=see, author=person, title="Compost in Quorumville", question="Who composts?"
        )
        other = hub_services.thread_create(
            hub=see, author=colleague, title="Street lighting", question="LED or sodium?"
        )
        hub_services.message_post(
            thread=other, author=person, body="LED, we did it.", client_id=str(uuid.uuid4())
        )
        hub_services.message_post(
            thread=own, author=colleague, body="We compost.", client_id=str(uuid.uuid4())
        )
        # A proposal to a call and a registration for an event.
        submit_proposal(make_call(slug="erasure"), person)
        register(make_event(see, coordinator, members_only=False), person)
    # Everything the test claims to cover is there while the account exists.
    assert Notification.objects.filter(recipient=person).exists()
    assert Notification.objects.filter(actor=person).exists()
    assert Registration.objects.filter(user=person).exists()
    assert Proposal.objects.filter(applicant=person).exists()
    assert Thread.objects.filter(author=person).exists()
    assert Message.objects.filter(author=person).exists()
    assert rows_containing(EMAIL, NAME)
    assert _search(colleague, "Quorumville")

    with django_capture_on_commit_callbacks(execute=True):
        services.account_delete(user=person, password=PASSWORD)

    assert rows_containing(EMAIL, NAME, "Erasable", "zora.xyzzy") == []
    for query in (EMAIL, NAME, "Xyzzy"):
        assert _search(colleague, query) == [], query
