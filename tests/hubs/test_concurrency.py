"""Two requests to join at the same moment (a double click) leave one membership and no
server error."""

import threading

import pytest
from django.db import connection

from core.exceptions import ActionError
from hubs import services
from hubs.models import Hub, Membership, ModerationLogEntry
from tests.factories import UserFactory


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_simultaneous_join_requests_make_one_membership():
    hub = Hub.objects.get(slug="ssa")
    person = UserFactory()
    barrier = threading.Barrier(4)
    outcomes = []

    def ask():
        try:
            barrier.wait()
            services.membership_request(hub=hub, user=person, message="double click")
            outcomes.append("ok")
        except ActionError:
            outcomes.append("refused")
        except Exception as error:  # noqa: BLE001 - any other error is the failure we test for
            outcomes.append(repr(error))
        finally:
            connection.close()

    threads = [threading.Thread(target=ask) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["ok", "refused", "refused", "refused"]
    assert Membership.objects.filter(hub=hub, user=person).count() == 1
    assert ModerationLogEntry.objects.filter(subject=person).count() == 1
