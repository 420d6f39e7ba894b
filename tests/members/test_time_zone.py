"""The viewer's time zone is a profile field: edited on the profile form (checked against
`zoneinfo.available_timezones()`), filled from the browser while empty, else the country's
zone; moved over from the events app's calendar settings by a migration."""

import json

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from members import timezones
from members.models import Profile, User
from tests.factories import ProfileFactory, UserFactory

PROFILE = {
    "name": "Mina Member",
    "organisation": "City of Sfax",
    "organisation_type": "municipality",
    "city": "Sfax",
    "country": "TN",
    "preferred_language": "en",
    "visibility": "members",
}


@pytest.mark.django_db
def test_the_profile_form_edits_the_time_zone(member_client, member):
    page = member_client.get("/members/me/").content.decode()
    # An empty field the browser's zone fills (static/js/time-zone.js), with the zone names.
    assert 'name="time_zone"' in page and "data-browser-zone" in page
    assert 'list="time-zones"' in page and '<option value="Asia/Amman">' in page
    assert "js/time-zone.js" in page and 'id="id_time_zone-browser"' in page
    assert timezones.time_zone_of(member) == "Africa/Casablanca"  # the factory's country MA
    response = member_client.post("/members/me/", {**PROFILE, "time_zone": " Asia/Amman "})
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.profile.time_zone == "Asia/Amman"
    assert timezones.time_zone_of(User.objects.get(pk=member.pk)) == "Asia/Amman"
    # Emptied again: the country's zone.
    member_client.post("/members/me/", {**PROFILE, "time_zone": ""})
    member.refresh_from_db()
    assert member.profile.time_zone == ""
    assert timezones.time_zone_of(User.objects.get(pk=member.pk)) == "Africa/Tunis"


@pytest.mark.django_db
@pytest.mark.parametrize("bad", ["Mars/Olympus", "europe/berlin", "../../etc/passwd", "x" * 65])
def test_an_unknown_time_zone_is_a_form_error(member_client, member, bad):
    response = member_client.post(
        "/members/me/", {**PROFILE, "organisation": "New", "time_zone": bad}
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert "time_zone" in form.errors
    member.refresh_from_db()
    assert member.profile.time_zone == "" and member.profile.organisation != "New"


@pytest.mark.django_db
def test_the_zone_comes_from_the_profile_then_the_country_then_utc():
    assert timezones.time_zone_of(UserFactory()) == "UTC"  # no profile
    assert timezones.time_zone_of(ProfileFactory(country="JO").user) == "Asia/Amman"
    chosen = ProfileFactory(country="JO", time_zone="Europe/Berlin").user
    assert timezones.time_zone_of(chosen) == "Europe/Berlin"
    # A zone tzdata no longer knows (renamed, or written around the form) falls back.
    stale = ProfileFactory(country="KE", time_zone="Nowhere/Gone").user
    assert timezones.time_zone_of(stale) == "Africa/Nairobi"


@pytest.mark.django_db
def test_the_data_export_has_the_time_zone(member_client, member):
    Profile.objects.filter(user=member).update(time_zone="Asia/Amman")
    data = json.loads(member_client.get("/members/me/data/").content)["data"]
    assert data["account"]["profile"]["time_zone"] == "Asia/Amman"
    assert "time_zone" not in data["events"]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_migration_moves_the_calendar_zone_to_the_profile():
    before = [
        ("events", "0002_learning_process_from_topic_call"),
        ("members", "0005_profile_time_zone"),
    ]
    after = [("events", "0003_time_zone_to_profile")]
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    old = executor.loader.project_state(before).apps
    User = old.get_model("members", "User")
    Profile_ = old.get_model("members", "Profile")
    CalendarSettings = old.get_model("events", "CalendarSettings")
    people = {}
    for name, zone, own in (
        ("moved", "Africa/Nairobi", ""),
        ("kept", "Africa/Nairobi", "Asia/Amman"),
        ("empty", "", ""),
    ):
        user = User.objects.create(email=f"{name}@example.org", name=name, handle=name)
        Profile_.objects.create(
            user=user, organisation="o", organisation_type="ngo", city="c", country="TN",
            time_zone=own,
        )  # fmt: skip
        CalendarSettings.objects.create(user=user, time_zone=zone, feed_token=f"token-{name}")
        people[name] = user.pk
    no_profile = User.objects.create(email="np@example.org", name="np", handle="np")
    CalendarSettings.objects.create(user=no_profile, time_zone="Asia/Tokyo", feed_token="t-np")

    executor = MigrationExecutor(connection)
    executor.migrate(after)
    new = executor.loader.project_state(after).apps
    zones = dict(new.get_model("members", "Profile").objects.values_list("user_id", "time_zone"))
    assert zones == {
        people["moved"]: "Africa/Nairobi",
        people["kept"]: "Asia/Amman",
        people["empty"]: "",
    }
    settings = new.get_model("events", "CalendarSettings")
    assert "time_zone" not in {field.name for field in settings._meta.get_fields()}
    assert settings.objects.filter(feed_token="token-moved").exists()  # the feed stays

    # And back.
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    back = executor.loader.project_state(before).apps.get_model("events", "CalendarSettings")
    assert back.objects.get(user_id=people["kept"]).time_zone == "Asia/Amman"
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
