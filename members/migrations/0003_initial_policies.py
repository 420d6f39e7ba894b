"""The first versions of the community guidelines and the privacy notice, so that a fresh
install can take signups at once. Later versions are published in the Wagtail admin or with
`manage.py publish_policy`."""

from pathlib import Path

from django.db import migrations
from django.utils import timezone

POLICIES = Path(__file__).resolve().parent.parent / "policies"


def create_policies(apps, schema_editor):
    from core.markdown import render_markdown

    PolicyVersion = apps.get_model("members", "PolicyVersion")
    PolicyText = apps.get_model("members", "PolicyText")
    now = timezone.now()
    for document in ("guidelines", "privacy"):
        if PolicyVersion.objects.filter(document=document).exists():
            continue
        version = PolicyVersion.objects.create(
            document=document, number=1, effective_date=now.date(), published_at=now
        )
        body = (POLICIES / f"{document}.en.md").read_text(encoding="utf-8")
        PolicyText.objects.create(
            version=version, language="en", body=body, body_html=render_markdown(body)
        )


class Migration(migrations.Migration):
    dependencies = [("members", "0002_policies_consent_profiles")]
    operations = [migrations.RunPython(create_policies, migrations.RunPython.noop)]
