"""The issue's "done when", on the embedded default with the demo content."""

import pytest

from hubs.models import Membership
from network.demo import seed_all


@pytest.fixture
def demo(db, settings, django_capture_on_commit_callbacks):
    settings.ELASTICSEARCH_URL = None
    with django_capture_on_commit_callbacks(execute=True):
        seed_all(lambda email, role: None)


def active_member(slug):
    return (
        Membership.objects.filter(hub__slug=slug, state=Membership.State.ACTIVE, role="member")
        .exclude(user__memberships__hub__slug__in=[s for s in ("mena", "see", "ssa") if s != slug])
        .select_related("user")
        .first()
        .user
    )


def test_waste_finds_mitrovica_and_rustavi_with_snippets_and_facets(client, demo):
    body = client.get("/api/search/", {"q": "waste"}).json()
    practices = [r for r in body["results"] if r["type"] == "practice"]
    titles = " ".join(r["title"] for r in practices)
    assert "Mitrovica" in titles and "Rustavi" in titles
    for result in practices:
        if "Mitrovica" in result["title"] or "Rustavi" in result["title"]:
            assert "<mark>" in result["snippet"]
    assert body["facets"]["theme"] and body["facets"]["hub"]
    assert {"value": "see", "label": "SEE"} in [
        {"value": f["value"], "label": f["label"]} for f in body["facets"]["hub"]
    ]
    html = client.get("/search/", {"q": "waste"}).content.decode()
    assert "<mark>" in html and "Mitrovica" in html and "Rustavi" in html
