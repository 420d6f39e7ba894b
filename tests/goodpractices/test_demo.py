import pytest

from goodpractices import demo
from goodpractices.models import GoodPracticePage, Proposal


@pytest.mark.django_db
def test_demo_practices_are_published_structured_and_seeded_once(client):
    logins = []
    demo.seed(lambda email, role: logins.append(email))
    demo.seed(lambda email, role: logins.append(email))
    live = GoodPracticePage.objects.live().filter(locale__language_code="en")
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


@pytest.mark.django_db
def test_demo_translates_three_practices_one_of_them_out_of_date(client):
    from goodpractices import translations

    demo.seed(lambda email, role: None)
    demo.seed(lambda email, role: None)  # idempotent: nothing translated twice
    english = GoodPracticePage.objects.live().filter(locale__language_code="en")
    states = {
        page.slug: {s.code: s.state for s in translations.translation_statuses(page)}
        for page in english.filter(slug__in=demo.TRANSLATIONS)
    }
    assert states["agadir-local-development-programme"] == {
        "en": "original",
        "fr": "translated",
        "ar": "translated",
    }
    assert states["rustavi-closed-loop-plastic-recycling"]["ar"] == "translated"
    mitrovica = english.get(slug=demo.OUT_OF_DATE_SLUG)
    statuses = {s.code: s for s in translations.translation_statuses(mitrovica)}
    assert statuses["fr"].state == statuses["ar"].state == "out_of_date"
    assert statuses["fr"].changed_fields == ["summary"]
    assert GoodPracticePage.objects.live().filter(locale__language_code="ar").count() == 3

    html = client.get("/?lang=ar").content.decode()
    assert "كونكتيف سيتيز: مدن تتبادل المشورة" in html
    html = client.get("/practices/?lang=fr").content.decode()
    assert "Bonnes pratiques" in html and "Roustavi recycle le plastique" in html
    html = client.get(mitrovica.url + "?lang=ar").content.decode()
    assert "ميتروفيتسا تعمل مع جامعي النفايات غير الرسميين" in html
    assert "language-status-out_of_date" in html
