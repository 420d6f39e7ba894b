import pytest

from goodpractices import demo
from goodpractices.models import GoodPracticePage, Proposal


@pytest.mark.django_db
def test_demo_practices_are_published_structured_and_seeded_once(client):
    logins = []
    demo.seed(lambda email, role: logins.append(email))
    demo.seed(lambda email, role: logins.append(email))
    live = GoodPracticePage.objects.live()
    assert live.count() == len(demo.PRACTICES) >= 6
    cities = set(live.values_list("city", flat=True))
    assert {"Agadir", "Rustavi", "Mitrovica", "Trier", "Jakarta"} <= cities
    assert live.filter(region__slug="mena", themes__slug="local_economic_development").count() >= 2
    for page in live:
        assert page.themes.exists() and page.sdgs.exists() and page.region_id
        kinds = [block.block_type for block in page.body]
        assert kinds[:2] == ["challenge", "approach"] and "lessons" in kinds
    # One proposal waits for the SEE coordinators, made once.
    assert Proposal.objects.count() == 1
    assert not Proposal.objects.get().page.live
    html = client.get("/practices/?region=see&theme=municipal_services").content.decode()
    assert "Rustavi" in html and "Mitrovica" in html and "Agadir" not in html
