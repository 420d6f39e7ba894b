import pytest

from hubs import services as hub_services


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """`with committed():` runs what the block leaves for after the commit (signals, tasks,
    mail), as a real commit would."""

    def run():
        return django_capture_on_commit_callbacks(execute=True)

    return run


@pytest.fixture
def asked(hub, member, committed):
    """A thread MEMBER started, committed: she follows it."""
    with committed():
        return hub_services.thread_create(
            hub=hub, author=member, title="Informal waste collectors", question="How?"
        )


@pytest.fixture(autouse=True)
def _fresh_rate_limits(fresh_cache):
    """Tests here post a lot: each starts with an empty post allowance."""
