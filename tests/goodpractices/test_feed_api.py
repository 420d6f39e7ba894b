import xml.etree.ElementTree as ET

import pytest

ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.mark.django_db
def test_the_feed_lists_published_practices_newest_first(client, practice_factory):
    practice_factory(title="Older practice", themes=("municipal_services",))
    practice_factory(title="Newer practice", themes=("good_urban_governance",))
    practice_factory(title="A draft", live=False)
    response = client.get("/practices/feed/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = ET.fromstring(response.content)  # noqa: S314 - our own feed
    entries = feed.findall(f"{ATOM}entry")
    assert [entry.find(f"{ATOM}title").text for entry in entries] == [
        "Newer practice",
        "Older practice",
    ]
    link = entries[0].find(f"{ATOM}link").get("href")
    assert link.startswith("http://testserver/practices/")
    assert entries[0].find(f"{ATOM}category").get("term") == "Good urban governance"
    assert "/practices/feed/" in client.get("/practices/").content.decode()


@pytest.mark.django_db
def test_the_api_exposes_practices_with_public_fields_only(client, practice_factory, member):
    from tests.factories import ProfileFactory

    ProfileFactory(user=member, available_for_advice=True)
    page = practice_factory(title="Kisumu water kiosks", region="ssa", country="KE", sdgs=(6,))
    page.contact_person = member
    page.contact_organisation = "Kisumu Water"
    page.save_revision().publish()
    practice_factory(title="A draft", live=False)

    response = client.get(
        "/api/v2/pages/", {"type": "goodpractices.GoodPracticePage", "fields": "*"}
    )
    assert response.status_code == 200
    data = response.json()
    assert data["meta"]["total_count"] == 1
    item = data["items"][0]
    assert item["title"] == "Kisumu water kiosks"
    assert item["country"] == {"code": "KE", "name": "Kenya"}
    assert item["region"] == {"slug": "ssa", "name": "Sub-Saharan Africa"}
    assert item["themes"] == [{"slug": "municipal_services", "name": "Municipal services"}]
    assert item["sdgs"] == [6]
    assert item["contact_organisation"] == "Kisumu Water"
    assert [block["type"] for block in item["body"]] == ["challenge", "approach"]
    assert "contact_person" not in item and "owner" not in item
    assert member.email not in response.content.decode()
    assert member.name not in response.content.decode()

    detail = client.get(f"/api/v2/pages/{page.pk}/").json()
    assert detail["summary"] == page.summary
    assert "contact_person" not in detail
    # Asking for the private field by name is refused.
    response = client.get(
        "/api/v2/pages/", {"type": "goodpractices.GoodPracticePage", "fields": "contact_person"}
    )
    assert response.status_code == 400


@pytest.mark.django_db
def test_the_api_hides_drafts(client, practice_factory):
    draft = practice_factory(title="A draft", live=False)
    assert client.get(f"/api/v2/pages/{draft.pk}/").status_code == 404


@pytest.mark.django_db
def test_the_api_listing_makes_a_bounded_number_of_queries(
    client, practice_factory, django_assert_max_num_queries
):
    params = {"type": "goodpractices.GoodPracticePage", "fields": "*"}
    practice_factory(sdgs=(1, 2))
    with django_assert_max_num_queries(40) as few:
        client.get("/api/v2/pages/", params)
    for _ in range(12):
        practice_factory(themes=("municipal_services", "good_urban_governance"), sdgs=(3, 4))
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get("/api/v2/pages/", params)
    assert len(response.json()["items"]) == 13
