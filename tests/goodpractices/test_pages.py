import pytest
from wagtail.models import Page
from wagtail.test.utils import WagtailPageTestCase
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from goodpractices.models import (
    GoodPracticeIndexPage,
    GoodPracticePage,
    HomePage,
    Region,
    Theme,
)
from tests.factories import GoodPracticeFactory, consent_to_current_policies


class TestPageTree(WagtailPageTestCase):
    def setUp(self):
        self.superuser = self.create_superuser("root@example.org", "pw", name="Root")
        consent_to_current_policies(self.superuser)
        self.client.force_login(self.superuser)

    def test_a_fresh_install_has_the_index_at_practices(self):
        index_page = GoodPracticeIndexPage.objects.get()
        assert index_page.live
        assert index_page.url == "/practices/"
        assert isinstance(index_page.get_parent().specific, HomePage)

    def test_creation_rules(self):
        self.assertCanCreateAt(GoodPracticeIndexPage, GoodPracticePage)
        self.assertCanNotCreateAt(HomePage, GoodPracticePage)
        self.assertCanNotCreateAt(Page, GoodPracticeIndexPage)
        self.assertCanNotCreateAt(GoodPracticePage, GoodPracticePage)
        self.assertAllowedSubpageTypes(GoodPracticeIndexPage, {GoodPracticePage})
        self.assertAllowedSubpageTypes(GoodPracticePage, set())
        self.assertAllowedParentPageTypes(GoodPracticePage, {GoodPracticeIndexPage})
        self.assertAllowedParentPageTypes(GoodPracticeIndexPage, {HomePage})

    def test_only_one_index(self):
        home = HomePage.objects.get()
        # max_count = 1 and one exists already.
        assert not GoodPracticeIndexPage.can_create_at(home)

    def test_an_editor_form_creates_a_practice(self):
        index_page = GoodPracticeIndexPage.objects.get()
        theme = Theme.objects.get(slug="municipal_services")
        data = nested_form_data(
            {
                "title": "Water kiosks in Kisumu",
                "slug": "water-kiosks-kisumu",
                "summary": "Kiosks sell clean water at a fair price.",
                "city": "Kisumu",
                "country": "KE",
                "region": Region.objects.get(slug="ssa").pk,
                "city_size": "medium",
                "period": "since 2018",
                "partners": "",
                "contact_organisation": "Kisumu Water",
                "body": streamfield(
                    [
                        ("challenge", {"text": rich_text("<p>No clean water.</p>")}),
                        ("approach", {"text": rich_text("<p>Kiosks.</p>")}),
                        ("quote", {"quote": "Water is life.", "attribution": "A vendor"}),
                    ]
                ),
                "comments": inline_formset([]),
            }
        )
        data["themes"] = [theme.pk]
        data["sdgs"] = [6, 11]
        self.assertCanCreate(index_page, GoodPracticePage, data)
        page = GoodPracticePage.objects.get(slug="water-kiosks-kisumu")
        assert page.live
        assert list(page.themes.all()) == [theme]
        assert sorted(page.sdgs.values_list("number", flat=True)) == [6, 11]

    def test_the_practice_page_renders_its_structured_body(self):
        page = GoodPracticeFactory(title="Rustavi recycling", sdgs=(12,))
        self.assertPageIsRenderable(page)
        html = self.client.get(page.url).content.decode()
        assert "The challenge" in html and "The approach" in html
        assert "12. Responsible consumption and production" in html
        assert 'href="/practices/?theme=municipal_services"' in html


@pytest.mark.django_db
def test_home_shows_the_newest_practices(client):
    for n in range(4):
        GoodPracticeFactory(title=f"Practice number {n}")
    html = client.get("/").content.decode()
    assert "Practice number 3" in html and "Practice number 1" in html
    assert "Practice number 0" not in html  # three newest only


@pytest.mark.django_db
def test_drafts_are_not_shown(client):
    draft = GoodPracticeFactory(title="Secret draft", live=False)
    assert client.get("/practices/").content.decode().count("Secret draft") == 0
    assert client.get(f"/practices/{draft.slug}/").status_code == 404


@pytest.mark.django_db
def test_themes_are_editable_snippets(admin_client):
    response = admin_client.get("/admin/snippets/goodpractices/theme/")
    assert response.status_code == 200
    for name in (
        "Integrated urban development",
        "Municipal services",
        "Good urban governance",
        "Local economic development",
    ):
        assert name in response.content.decode()
    theme = Theme.objects.get(slug="municipal_services")
    response = admin_client.post(
        f"/admin/snippets/goodpractices/theme/edit/{theme.pk}/",
        {
            "name": "Municipal services",
            "slug": "municipal_services",
            "description": "Waste, water, energy",
            "sort_order": 1,
        },
    )
    assert response.status_code == 302
    theme.refresh_from_db()
    assert theme.description == "Waste, water, energy"


@pytest.mark.django_db
def test_the_contact_person_is_shown_to_members_who_may_see_the_profile(client, member):
    from tests.factories import ProfileFactory, UserFactory

    expert = UserFactory(name="Nino Expert")
    ProfileFactory(user=expert, available_for_advice=True, visibility="members")
    page = GoodPracticeFactory(title="With a contact")
    page.contact_person = expert
    page.contact_organisation = "Rustavi City Hall"
    page.save_revision().publish()

    html = client.get(page.url).content.decode()
    assert "Rustavi City Hall" in html and "Nino Expert" not in html  # anonymous
    client.force_login(member)
    html = client.get(page.url).content.decode()
    assert f'<a href="/members/{expert.pk}/"><bdi>Nino Expert</bdi></a>' in html
    expert.profile.available_for_advice = False  # left the directory
    expert.profile.save()
    assert "Nino Expert" not in client.get(page.url).content.decode()
