"""New good practices in a member's thematic fields (their profile's expertise): told once, at
the first publication, in the weekly digest by default; others and restricted pages not."""

import pytest
from django.core.management import call_command
from wagtail.models import PageViewRestriction

from members.models import Expertise
from notifications.models import Kind, Notification, NotificationPreference
from tests.factories import GoodPracticeFactory, ProfileFactory, UserFactory

pytestmark = pytest.mark.django_db


def expert(name, *themes):
    profile = ProfileFactory(user=UserFactory(name=name))
    for theme in themes:
        Expertise.objects.create(profile=profile, theme=theme)
    return profile.user


@pytest.fixture
def people(db):
    return {
        "water": expert("Wafa Water", "municipal_services"),
        "both": expert("Bo Both", "municipal_services", "good_urban_governance"),
        "economy": expert("Eko Economy", "local_economic_development"),
        "nobody": UserFactory(name="Nina No-profile"),
    }


def publish(committed, **fields):
    with committed():
        return GoodPracticeFactory(**fields)


def test_the_weekly_digest_tells_members_of_practices_in_their_fields(
    people, committed, mailoutbox, settings
):
    settings.SITE_URL = "https://cc.example.org"
    page = publish(committed, title="Waste pickers' cooperatives", themes=["municipal_services"])
    publish(committed, title="Start-up grants", themes=["local_economic_development"])

    told = Notification.objects.filter(kind=Kind.NEW_PRACTICE)
    assert sorted(told.values_list("recipient__name", "page__title")) == [
        ("Bo Both", "Waste pickers' cooperatives"),
        ("Eko Economy", "Start-up grants"),
        ("Wafa Water", "Waste pickers' cooperatives"),
    ]
    assert mailoutbox == []  # nothing at once: the weekly digest

    call_command("send_digests", "--period", "daily")
    assert mailoutbox == []
    call_command("send_digests", "--period", "weekly")
    by_person = {m.to[0]: m for m in mailoutbox}
    assert set(by_person) == {people[p].email for p in ("water", "both", "economy")}
    water = by_person[people["water"].email]
    assert "New good practice in your thematic fields: “Waste pickers' cooperatives”" in water.body
    assert f"https://cc.example.org{page.url}\n" in water.body
    assert "Start-up grants" not in water.body
    html = water.alternatives[0][0]
    assert "Waste pickers&#x27; cooperatives" in html
    assert "List-Unsubscribe" in water.extra_headers


def test_a_republication_tells_nobody_again_and_the_owner_is_not_told(
    people, committed, mailoutbox
):
    page = GoodPracticeFactory(live=False, themes=["municipal_services"])
    page.owner = people["water"]
    page.save(update_fields=["owner"])
    with committed():
        page.save_revision().publish()
    with committed():
        page.refresh_from_db()
        page.save_revision().publish()
    told = Notification.objects.filter(kind=Kind.NEW_PRACTICE)
    assert list(told.values_list("recipient_id", flat=True)) == [people["both"].pk]


def test_a_restricted_practice_tells_nobody(people, committed):
    page = GoodPracticeFactory(live=False, themes=["municipal_services"])
    PageViewRestriction.objects.create(page=page, restriction_type="login")
    with committed():
        page.save_revision().publish()
    assert not Notification.objects.filter(kind=Kind.NEW_PRACTICE).exists()


def test_the_preference_is_honoured(people, committed, mailoutbox):
    NotificationPreference.objects.create(
        user=people["water"], kind=Kind.NEW_PRACTICE, channel="off"
    )
    NotificationPreference.objects.create(
        user=people["both"], kind=Kind.NEW_PRACTICE, channel="email"
    )
    publish(committed, title="Water kiosks", themes=["municipal_services"])
    assert not Notification.objects.filter(recipient=people["water"]).exists()
    assert [m.to for m in mailoutbox] == [[people["both"].email]]
    assert "Water kiosks" in mailoutbox[0].body
