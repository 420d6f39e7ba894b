"""Wagtail's Editors group keeps learning processes (the drafts from topic calls among them)."""

from django.db import migrations

CODENAMES = [
    "add_learningprocess",
    "change_learningprocess",
    "delete_learningprocess",
    "view_learningprocess",
]


def grant(apps, schema_editor):
    # Permissions are normally made after all migrations (post_migrate): make these now.
    ContentType = apps.get_model("contenttypes", "ContentType")
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    content_type, _ = ContentType.objects.get_or_create(
        app_label="events", model="learningprocess"
    )
    permissions = [
        Permission.objects.get_or_create(
            content_type=content_type,
            codename=codename,
            defaults={"name": f"Can {codename.split('_')[0]} learning process"},
        )[0]
        for codename in CODENAMES
    ]
    editors, _ = Group.objects.get_or_create(name="Editors")
    editors.permissions.add(*permissions)


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for group in Group.objects.filter(name="Editors"):
        group.permissions.remove(
            *Permission.objects.filter(content_type__app_label="events", codename__in=CODENAMES)
        )


class Migration(migrations.Migration):
    dependencies = [
        ("events", "0003_time_zone_to_profile"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("wagtailcore", "0002_initial_data"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
