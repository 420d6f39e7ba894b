"""Every member gets a unique handle for @mentions, made from the display name."""

from django.db import migrations, models


def fill_handles(apps, schema_editor):
    from members.handles import unique_handle

    User = apps.get_model("members", "User")
    taken = set()
    for user in User.objects.order_by("pk"):
        handle = unique_handle(
            user.name,
            taken=lambda candidates: [c for c in candidates if c in taken],
        )
        taken.add(handle)
        User.objects.filter(pk=user.pk).update(handle=handle)


class Migration(migrations.Migration):
    dependencies = [("members", "0003_initial_policies")]

    operations = [
        migrations.AddField(
            model_name="user",
            name="handle",
            field=models.CharField(max_length=60, null=True, verbose_name="handle"),
        ),
        migrations.RunPython(fill_handles, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="user",
            name="handle",
            field=models.CharField(
                help_text="Others mention you in messages as @handle.",
                max_length=60,
                unique=True,
                verbose_name="handle",
            ),
        ),
    ]
