"""Hubs, regions, themes and SDGs in the reader's language, and the direction of user and
editor content: every block of it `dir="auto"`, names and places inside a sentence in
`<bdi>`, free-text fields `dir="auto"`."""

import re

import pytest
from django.utils import translation

from core.translated import clean_translations
from goodpractices.models import Region
from hubs import services as hub_services
from hubs.models import Hub
from tests.factories import UserFactory, consent_to_current_policies

pytestmark = pytest.mark.django_db


def _html(client, url):
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return response.content.decode()


# Labels ---------------------------------------------------------------------


def test_hubs_are_shown_in_the_readers_language(client):
    html = _html(client, "/hubs/?lang=ar")
    assert "أفريقيا جنوب الصحراء الكبرى" in html
    assert "الشبكة الإقليمية للممارسين من مدن جنوب شرق أوروبا" in html
    html = _html(client, "/hubs/?lang=fr")
    assert "Moyen-Orient et Afrique du Nord" in html
    html = _html(client, "/hubs/")
    assert "Middle East and North Africa" in html
    assert "Moyen-Orient" not in html
    html = _html(client, "/?lang=fr")
    assert "Caucase du Sud" in html and ">ESE</a>" in html


def test_a_hub_without_a_translation_shows_the_original():
    hub = Hub.objects.get(slug="see")
    hub.translations = {"fr": {"name": "ESE"}}
    hub.save()
    with translation.override("fr"):
        assert hub.name_local == "ESE"
        assert hub.description_local == hub.description  # not translated: the original
        assert str(hub) == "ESE"
    with translation.override("de"):
        assert hub.name_local == "SEE"


def test_translations_keep_only_the_sites_languages_and_the_fields():
    assert clean_translations(
        {
            "fr": {"name": " ESE ", "colour": "bleu", "description": ""},
            "zz": {"name": "?"},
            "en": {"name": "not here"},
            "ar": "not a dict",
        },
        ("name", "description"),
    ) == {"fr": {"name": "ESE"}}
    assert clean_translations(["not", "a", "dict"], ("name",)) == {}


def test_filters_show_themes_regions_and_goals_in_the_readers_language(client, practice_factory):
    practice_factory(region="mena", themes=("municipal_services",), sdgs=(2,))
    html = _html(client, "/practices/?lang=ar")
    assert "الخدمات البلدية" in html  # the thematic field (gettext)
    assert "الشرق الأوسط وشمال أفريقيا" in html  # the region (its translations)
    assert "القضاء التام على الجوع" in html  # SDG 2 (gettext)
    html = _html(client, "/practices/?lang=fr")
    assert "Services municipaux" in html and "Moyen-Orient et Afrique du Nord" in html


def test_the_api_names_the_region_in_the_requested_language(client, practice_factory):
    page = practice_factory(region="ssa")
    data = client.get(f"/api/v2/pages/{page.pk}/?lang=fr").json()
    assert data["region"] == {"slug": "ssa", "name": "Afrique subsaharienne"}
    data = client.get(f"/api/v2/pages/{page.pk}/").json()
    assert data["region"]["name"] == "Sub-Saharan Africa"


def test_every_region_of_the_data_migration_has_its_three_translations():
    for region in Region.objects.all():
        assert set(region.translations) == {"de", "fr", "ar"}, region.slug
        with translation.override("de"):
            assert region.label != region.name, region.slug


# Direction --------------------------------------------------------------------


@pytest.fixture
def thread(db):
    hub = Hub.objects.get(slug="see")  # open: members are admitted at once
    author = UserFactory(name="Amal Haddad")
    other = UserFactory(name="نور الهدى")
    for person in (author, other):
        hub_services.membership_request(hub=hub, user=person)
        consent_to_current_policies(person)
    thread = hub_services.thread_create(
        hub=hub,
        author=author,
        title="How did you register informal waste pickers?",
        question="كيف قمتم بتسجيلهم؟ We want to include them.",
    )
    hub_services.message_post(thread=thread, author=other, body="سجلناهم عبر التعاونيات.")
    return thread, author, other


def test_a_thread_gives_each_piece_of_content_its_own_direction(client, thread):
    thread, author, _other = thread
    client.force_login(author)
    html = _html(client, f"/hubs/{thread.hub.slug}/threads/{thread.pk}/?lang=ar")
    assert '<html lang="ar" dir="rtl">' in html
    assert re.search(r'<h1 dir="auto">How did you register', html)
    assert 'class="thread-question prose" dir="auto"' in html
    assert 'class="message-body prose" dir="auto"' in html
    assert "<bdi>نور الهدى</bdi>" in html
    assert "<bdi>Amal Haddad</bdi>" in html
    # The reply box takes the direction of what is typed.
    assert re.search(r"<textarea[^>]*dir=\"auto\"", html)


def test_practice_pages_and_profiles_isolate_names_and_places(client, practice_factory):
    page = practice_factory(title="Tunis: cleaner streets", city="Tunis", region="mena")
    html = _html(client, page.url + "?lang=ar")
    assert '<h1 id="practice-title" dir="auto">Tunis: cleaner streets</h1>' in html
    assert '<p class="lead" dir="auto">' in html
    assert "<bdi>Tunis</bdi>, <bdi>" in html
    assert 'class="practice-body" dir="auto"' in html


def test_free_text_inputs_are_auto_but_email_and_password_are_not(client):
    html = _html(client, "/accounts/signup/?lang=ar")
    name_input = re.search(r'<input type="text" name="name"[^>]*>', html)
    assert name_input and 'dir="auto"' in name_input.group(0)
    email_input = re.search(r'<input type="email"[^>]*>', html)
    assert email_input and 'dir="auto"' not in email_input.group(0)
