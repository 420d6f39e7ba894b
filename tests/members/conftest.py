import pytest

from core.cache import shared_cache as cache
from members import services
from tests.factories import PASSWORD, ProfileFactory, UserFactory


@pytest.fixture(autouse=True)
def _fresh_cache():
    """allauth's rate limits live in the cache: every test starts with none used."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def member(db):
    """A logged-in-able member with a profile and current consents."""
    return ProfileFactory(user=UserFactory(name="Mina Member")).user


@pytest.fixture
def member_client(client, member):
    client.force_login(member)
    return client


@pytest.fixture
def publish(db):
    """Publish a new version of a document (as `publish_policy` does)."""

    def _publish(document="guidelines", body="## New rules\n\nBe kind.", **kwargs):
        return services.policy_publish(document=document, body=body, **kwargs)

    return _publish


@pytest.fixture
def password():
    return PASSWORD
