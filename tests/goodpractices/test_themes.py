"""The thematic fields: one vocabulary (core.themes.ThematicField) for practices' Theme rows,
threads, profiles and search; no bridge between spellings."""

import importlib

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.utils import translation

from core.themes import ThematicField
from goodpractices.models import Theme
from search.builders import SOURCES
from search.types import PRACTICE
from tests.factories import GoodPracticeFactory

pytestmark = pytest.mark.django_db

unify = importlib.import_module("goodpractices.migrations.0006_themes_are_the_thematic_fields")


def test_a_fresh_install_has_one_theme_row_per_thematic_field():
    assert sorted(Theme.objects.values_list("slug", flat=True)) == sorted(ThematicField.values)


def test_a_theme_outside_the_vocabulary_is_refused():
    Theme.objects.filter(slug="municipal_services").delete()
    with pytest.raises(ValidationError) as error:
        Theme(name="Municipal services", slug="municipal-services").full_clean()
    assert "slug" in error.value.message_dict
    Theme(name="Municipal services", slug="municipal_services").full_clean()


def test_a_themes_label_is_the_thematic_fields_translated_label():
    theme = Theme.objects.get(slug="municipal_services")
    theme.name = "Something an editor typed"
    assert str(theme) == theme.label == "Municipal services"
    with translation.override("de"):
        assert theme.label == str(ThematicField.MUNICIPAL_SERVICES.label)


def test_the_migration_renames_merges_and_completes_the_rows():
    # A row spelt with dashes alone: renamed. A second spelling beside the canonical row:
    # merged into it, its practices kept. A missing field: created.
    Theme.objects.filter(slug="good_urban_governance").delete()
    Theme.objects.create(name="Good urban governance", slug="good-urban-governance")
    dashed = Theme.objects.create(name="Municipal services (old)", slug="municipal-services")
    page = GoodPracticeFactory(themes=[])
    page.themes.set([dashed])
    page.save()
    Theme.objects.filter(slug="local_economic_development").delete()

    unify.forwards(apps, None)

    assert sorted(Theme.objects.values_list("slug", flat=True)) == sorted(ThematicField.values)
    assert list(page.themes.values_list("slug", flat=True)) == ["municipal_services"]


def test_search_documents_carry_the_theme_slugs_as_they_are():
    page = GoodPracticeFactory(themes=["municipal_services", "good_urban_governance"])
    doc = SOURCES[PRACTICE].build(page.pk)
    assert sorted(doc.themes) == ["good_urban_governance", "municipal_services"]
