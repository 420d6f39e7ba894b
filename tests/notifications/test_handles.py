"""Handles: unique, from the display name, kept when the name changes."""

import pytest

from members.handles import handle_base, unique_handle
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_handle_from_the_name_with_a_suffix_on_clash():
    first = UserFactory(name="Amina El Idrissi")
    second = UserFactory(name="Amina El-Idrissi")
    assert (first.handle, second.handle) == ("amina-el-idrissi", "amina-el-idrissi-2")


def test_handle_stays_when_the_name_changes():
    person = UserFactory(name="Nikola Petrović")
    person.name = "Nikola P."
    person.save()
    person.refresh_from_db()
    assert person.handle == "nikola-petrović"


def test_handles_of_other_scripts_and_empty_names():
    assert handle_base("عمر الفاروق") == "عمر-الفاروق"
    assert handle_base("  ***  ") == "member"
    assert unique_handle("x", taken=lambda c: [h for h in c if h in {"x", "x-2"}]) == "x-3"


def test_createsuperuser_path_gets_a_handle():
    from django.contrib.auth import get_user_model

    admin = get_user_model().objects.create_superuser(email="a@b.example", password="x" * 12)
    assert admin.handle == "member"  # no name given
