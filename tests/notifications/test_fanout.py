"""The fan-out leaves the poster's request: posting enqueues one task, whatever the number of
followers; the task then tells them all."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from hubs import services as hub_services
from notifications import tasks
from notifications.models import Follow, Kind, Notification
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

DUMMY = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}


@pytest.fixture
def queue(settings):
    """A queue that only records what is enqueued (the worker is this test). django-tasks
    rebuilds its backends when TASKS changes."""
    from django_tasks import task_backends

    settings.TASKS = DUMMY
    return task_backends["default"]


def _post_and_count(committed, thread, author):
    with CaptureQueriesContext(connection) as queries, committed():
        hub_services.message_post(thread=thread, author=author, body="Here is an answer")
    return len(queries)


def test_posting_costs_the_same_with_200_followers_and_the_task_tells_them(
    hub, member, member2, committed, queue
):
    with committed():
        thread = hub_services.thread_create(hub=hub, author=member, title="T", question="Q")
    with committed():
        quiet = hub_services.thread_create(hub=hub, author=member, title="Q", question="Q")
    queue.clear()
    followers = []
    for _n in range(200):
        person = UserFactory()
        hub_services.membership_request(hub=hub, user=person)
        followers.append(Follow(user=person, thread=thread))
    Follow.objects.bulk_create(followers)

    busy = _post_and_count(committed, thread, member2)
    alone = _post_and_count(committed, quiet, member2)
    assert busy == alone  # the followers cost the poster no query
    assert not Notification.objects.exists()
    # Other work waits in the queue too (the search index): the fan-out is one task a post.
    fanouts = [r for r in queue.results if r.task.func is tasks.hub_event.func]
    # Per post: the poster's read position (posting reads the thread) and the fan-out.
    assert sorted(result.args[0] for result in fanouts) == [
        "message_posted",
        "message_posted",
        "thread_read",
        "thread_read",
    ]

    for result in fanouts:
        result.task.call(*result.args, **result.kwargs)
    assert Notification.objects.filter(kind=Kind.REPLY, thread=thread).count() == 200
