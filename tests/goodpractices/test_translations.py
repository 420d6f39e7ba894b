"""Good practices, the home page and the index in four languages: served at the original's
URL in the reader's language, with a switcher and `hreflang` alternates to the languages that
exist, and a per-language status that goes out of date when the original changes."""

import re

import pytest
from wagtail.models import Locale

from goodpractices import selectors, services, translations
from goodpractices.models import GoodPracticeIndexPage, GoodPracticePage, HomePage

pytestmark = pytest.mark.django_db

FRENCH = {
    "Water kiosks in Kisumu": "Kiosques à eau à Kisumu",
    "Kiosks sell clean water at a fair price.": (
        "Des kiosques vendent de l'eau potable à un prix juste."
    ),
}
ARABIC = {
    "Water kiosks in Kisumu": "أكشاك المياه في كيسومو",
    "Kiosks sell clean water at a fair price.": "أكشاك تبيع المياه النظيفة بسعر عادل.",
}


@pytest.fixture
def practice(practice_factory):
    return practice_factory(
        title="Water kiosks in Kisumu",
        summary="Kiosks sell clean water at a fair price.",
        city="Kisumu",
        country="KE",
        region="ssa",
    )


def _html(client, url, **headers):
    response = client.get(url, **headers)
    assert response.status_code == 200, (url, response.status_code)
    return response.content.decode()


def test_the_four_locales_exist_and_existing_pages_are_english(practice):
    assert sorted(Locale.objects.values_list("language_code", flat=True)) == [
        "ar",
        "de",
        "en",
        "fr",
    ]
    assert Locale.get_default().language_code == "en"
    for page in (HomePage.objects.get(), GoodPracticeIndexPage.objects.get(), practice):
        assert page.locale.language_code == "en"


def test_a_translated_practice_is_served_at_the_original_url_in_the_readers_language(
    client, practice
):
    french = services.translation_save(page=practice, language="fr", strings=FRENCH)
    assert french.live and french.locale.language_code == "fr"
    assert french.url == practice.url

    html = _html(client, practice.url, HTTP_ACCEPT_LANGUAGE="fr")
    assert "Kiosques à eau à Kisumu" in html
    assert '<html lang="fr"' in html
    html = _html(client, practice.url + "?lang=fr")
    assert "Kiosques à eau à Kisumu" in html
    client.cookies["django_language"] = "fr"
    assert "Kiosques à eau à Kisumu" in _html(client, practice.url)
    # English stays English.
    assert "Water kiosks in Kisumu</h1>" in _html(client, practice.url + "?lang=en")


def test_the_switcher_and_hreflang_list_only_languages_that_exist(client, practice):
    services.translation_save(page=practice, language="ar", strings=ARABIC)
    html = _html(client, practice.url)
    alternates = re.findall(r'<link rel="alternate" hreflang="([\w-]+)" href="([^"]+)"', html)
    assert [code for code, _url in alternates] == ["en", "ar", "x-default"]
    assert alternates[1][1].endswith(practice.url + "?lang=ar")
    switcher = html.split('class="page-languages"')[1].split("</nav>")[0]
    assert "العربيّة" in switcher and "English" in switcher
    assert "Français" not in switcher and "Deutsch" not in switcher


def test_a_reader_of_a_missing_language_gets_the_original_and_the_languages_it_exists_in(
    client, practice
):
    services.translation_save(page=practice, language="ar", strings=ARABIC)
    html = _html(client, practice.url + "?lang=fr")
    assert "Water kiosks in Kisumu</h1>" in html
    assert '<article class="practice" aria-labelledby="practice-title" lang="en">' in html
    missing = html.split('class="muted page-languages-missing"')[1].split("</p>")[0]
    assert "English" in missing and "العربيّة" in missing


@pytest.mark.parametrize("query", ["?lang=zz", "?lang=fr-xx", "?lang=", "?lang=%00"])
def test_an_unknown_language_falls_back_to_english(client, practice, query):
    services.translation_save(page=practice, language="fr", strings=FRENCH)
    html = _html(client, practice.url + query)
    assert '<html lang="en"' in html
    assert "Water kiosks in Kisumu</h1>" in html


def test_an_unknown_language_prefix_is_not_found_rather_than_an_error(client, practice):
    assert client.get("/fr-xx" + practice.url).status_code == 404


def test_an_unpublished_translation_is_never_shown(client, practice):
    services.translation_save(page=practice, language="fr", strings=FRENCH, publish=False)
    html = _html(client, practice.url + "?lang=fr")
    assert "Kiosques" not in html
    assert "Water kiosks in Kisumu</h1>" in html
    assert 'hreflang="fr"' not in html
    assert translations.live_languages(practice) == ["en"]
    # Nor in the lists.
    assert "Kiosques" not in _html(client, "/practices/?lang=fr")
    assert "Kiosques" not in _html(client, "/?lang=fr")


def test_lists_show_each_practice_once_in_the_readers_language(client, practice):
    services.translation_save(page=practice, language="fr", strings=FRENCH)
    services.translation_save(page=practice, language="ar", strings=ARABIC)
    assert GoodPracticePage.objects.live().count() == 3
    assert selectors.practices_public().count() == 1

    html = _html(client, "/practices/?lang=fr")
    assert html.count("Kiosques à eau à Kisumu") == 1
    assert "Water kiosks in Kisumu" not in html
    html = _html(client, "/?lang=ar")
    assert "أكشاك المياه في كيسومو" in html
    html = _html(client, "/practices/")
    assert html.count("Water kiosks in Kisumu") == 1


def test_the_home_page_and_the_index_are_translated(client, practice):
    home = HomePage.objects.get()
    index_page = GoodPracticeIndexPage.objects.get()
    services.translation_save(
        page=home, language="fr", strings={home.title: "Connective Cities : conseil entre villes"}
    )
    services.translation_save(
        page=index_page, language="fr", strings={index_page.title: "Bonnes pratiques"}
    )
    assert "Connective Cities : conseil entre villes" in _html(client, "/?lang=fr")
    html = _html(client, "/practices/?lang=fr")
    assert '<h1 dir="auto">Bonnes pratiques</h1>' in html
    assert "Water kiosks in Kisumu" in html  # not translated: the original
    assert "Kiosques" not in html
    # The practice below the translated index is still found at its URL.
    assert "Water kiosks in Kisumu</h1>" in _html(client, practice.url + "?lang=fr")
    assert '<h1 dir="auto">Bonnes pratiques</h1>' not in _html(client, "/practices/")


def test_statuses_original_translated_and_out_of_date_with_the_fields(practice):
    services.translation_save(page=practice, language="fr", strings=FRENCH)
    services.translation_save(page=practice, language="ar", strings=ARABIC)
    states = {s.code: s.state for s in translations.translation_statuses(practice)}
    assert states == {"en": "original", "fr": "translated", "ar": "translated"}

    practice.summary = "Kiosks sell clean water at a fair price, run by women's groups."
    practice.save_revision().publish()
    statuses = {s.code: s for s in translations.translation_statuses(practice)}
    assert statuses["fr"].state == statuses["ar"].state == "out_of_date"
    assert statuses["fr"].changed_fields == ["summary"]
    assert statuses["en"].state == "original"

    # The translators get the new summary: out of date until each is published again.
    services.translation_sync(page=practice)
    statuses = {s.code: s for s in translations.translation_statuses(practice)}
    assert statuses["fr"].state == "out_of_date" and statuses["fr"].changed_fields == []
    services.translation_save(
        page=practice,
        language="fr",
        strings={practice.summary: "Des kiosques tenus par des groupes de femmes."},
    )
    statuses = {s.code: s.state for s in translations.translation_statuses(practice)}
    assert statuses == {"en": "original", "fr": "translated", "ar": "out_of_date"}


def test_readers_see_the_statuses_on_the_page(client, practice):
    services.translation_save(page=practice, language="fr", strings=FRENCH)
    services.translation_save(page=practice, language="ar", strings=ARABIC, publish=False)
    practice.summary = "Changed."
    practice.save_revision().publish()
    html = _html(client, practice.url)
    statuses = html.split('class="language-statuses"')[1].split("</ul>")[0]
    assert "original" in statuses
    assert "out of date" in statuses and "summary" in statuses
    assert "العربيّة" not in statuses  # a draft translation is not announced to readers


def test_editors_see_the_statuses_in_the_admin(client, practice):
    from tests.factories import UserFactory, consent_to_current_policies

    services.translation_save(page=practice, language="fr", strings=FRENCH)
    services.translation_save(page=practice, language="ar", strings=ARABIC, publish=False)
    practice.summary = "Changed."
    practice.save_revision().publish()
    editor = UserFactory(name="Root", is_superuser=True, is_staff=True)
    consent_to_current_policies(editor)
    client.force_login(editor)
    html = _html(client, f"/admin/pages/{practice.pk}/edit/")
    panel = html.split('class="translation-statuses"')[1].split("</section>")[0]
    assert "original" in panel
    french = panel.split('<span lang="fr">')[1].split("</li>")[0]
    assert "<strong>out of date</strong>" in french, panel
    assert "changed in the original: summary" in french, panel
    assert "not yet published" in panel  # the Arabic draft, for the editors
    # wagtail-localize's translate action is offered.
    assert f"/admin/localize/submit/page/{practice.pk}/" in html
