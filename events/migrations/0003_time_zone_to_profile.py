"""The viewer's time zone moves from `CalendarSettings` to the member's profile
(`members.Profile.time_zone`): copied over (a profile that already has one keeps it), then
the column goes. Reversible: the zones are copied back."""

from django.db import migrations


def to_profile(apps, schema_editor):
    CalendarSettings = apps.get_model("events", "CalendarSettings")
    Profile = apps.get_model("members", "Profile")
    rows = CalendarSettings.objects.exclude(time_zone="").values_list("user_id", "time_zone")
    for user_id, zone in rows.iterator():
        Profile.objects.filter(user_id=user_id, time_zone="").update(time_zone=zone[:64])


def to_calendar_settings(apps, schema_editor):
    CalendarSettings = apps.get_model("events", "CalendarSettings")
    Profile = apps.get_model("members", "Profile")
    rows = Profile.objects.exclude(time_zone="").values_list("user_id", "time_zone")
    for user_id, zone in rows.iterator():
        settings, _created = CalendarSettings.objects.get_or_create(user_id=user_id)
        settings.time_zone = zone
        settings.save(update_fields=["time_zone"])


class Migration(migrations.Migration):
    dependencies = [
        ("events", "0002_learning_process_from_topic_call"),
        ("members", "0005_profile_time_zone"),
    ]

    operations = [
        migrations.RunPython(to_profile, to_calendar_settings, elidable=True),
        migrations.RemoveField(model_name="calendarsettings", name="time_zone"),
    ]
