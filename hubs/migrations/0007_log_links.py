import re

import django.db.models.deletion
from django.db import migrations, models

MESSAGE = re.compile(r"^message (\d+) in thread (\d+)$")
THREAD = re.compile(r"^thread (\d+):")


def link_existing_entries(apps, schema_editor):
    """Entries written before the links existed name their message or thread in `target`."""
    Entry = apps.get_model("hubs", "ModerationLogEntry")
    Thread = apps.get_model("hubs", "Thread")
    Message = apps.get_model("hubs", "Message")
    for entry in Entry.objects.exclude(target="").iterator():
        if match := MESSAGE.match(entry.target):
            message_id, thread_id = int(match[1]), int(match[2])
        elif match := THREAD.match(entry.target):
            message_id, thread_id = None, int(match[1])
        else:
            continue
        entry.thread_id = thread_id if Thread.objects.filter(pk=thread_id).exists() else None
        entry.message_id = (
            message_id if message_id and Message.objects.filter(pk=message_id).exists() else None
        )
        entry.save(update_fields=["thread", "message"])


class Migration(migrations.Migration):
    dependencies = [
        ("hubs", "0006_hub_labels"),
    ]

    operations = [
        migrations.AddField(
            model_name="moderationlogentry",
            name="message",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to="hubs.message",
            ),
        ),
        migrations.AddField(
            model_name="moderationlogentry",
            name="thread",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to="hubs.thread",
            ),
        ),
        migrations.RunPython(link_existing_entries, migrations.RunPython.noop),
    ]
