"""The editors' side in the Wagtail admin, under the Content-Security-Policy."""

import pytest
from django.urls import reverse
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from goodpractices.models import GoodPracticeIndexPage, GoodPracticePage, Region, Theme


def _directives(response):
    policy = response["Content-Security-Policy"]
    return dict(part.strip().split(" ", 1) for part in policy.split(";"))


@pytest.mark.django_db
def test_an_editor_publishes_a_practice_in_the_admin(client, editor):
    client.force_login(editor)
    index_page = GoodPracticeIndexPage.objects.get()
    add_url = reverse(
        "wagtailadmin_pages:add", args=("goodpractices", "goodpracticepage", index_page.pk)
    )
    assert client.get(add_url).status_code == 200
    data = nested_form_data(
        {
            "title": "Trier land management",
            "slug": "trier-land-management",
            "summary": "Planning land across municipal borders.",
            "city": "Trier",
            "country": "DE",
            "region": Region.objects.get(slug="europe").pk,
            "city_size": "",
            "period": "",
            "partners": "",
            "contact_organisation": "",
            "body": streamfield([("challenge", {"text": rich_text("<p>Scarce land.</p>")})]),
            "comments": inline_formset([]),
            "action-publish": "action-publish",
        }
    )
    data["themes"] = [Theme.objects.get(slug="integrated_urban_development").pk]
    response = client.post(add_url, data)
    assert response.status_code == 302
    page = GoodPracticePage.objects.get(slug="trier-land-management")
    assert page.live
    html = client.get("/practices/?theme=integrated_urban_development&region=europe").content
    assert b"Trier land management" in html


@pytest.mark.django_db
def test_the_admin_gets_its_relaxations_and_the_site_stays_strict(admin_client, client):
    admin = _directives(admin_client.get("/admin/"))
    assert "'unsafe-inline'" in admin["script-src"]
    assert "'unsafe-inline'" in admin["style-src"]
    assert admin["frame-ancestors"] == "'self'"
    for url in ("/", "/practices/", "/practices/propose/", "/hubs/"):
        site = _directives(client.get(url))
        assert site["script-src"] == "'self'"
        assert site["style-src"] == "'self'"
        assert site["frame-ancestors"] == "'none'"


@pytest.mark.django_db
def test_the_admin_preview_of_a_practice_works(client, editor, practice_factory):
    page = practice_factory(title="Preview me", live=False)
    client.force_login(editor)
    response = client.get(reverse("wagtailadmin_pages:view_draft", args=(page.pk,)))
    assert response.status_code == 200
    assert b"Preview me" in response.content
