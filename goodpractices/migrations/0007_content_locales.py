"""The four content locales. Wagtail's own migrations gave every existing page the default
locale (English, from LANGUAGE_CODE); this adds German, French and Arabic so that editors can
translate into them. No other model here is translatable: Pages only."""

from django.db import migrations

LANGUAGES = ["en", "de", "fr", "ar"]


def add_locales(apps, schema_editor):
    Locale = apps.get_model("wagtailcore.Locale")
    for code in LANGUAGES:
        Locale.objects.get_or_create(language_code=code)


class Migration(migrations.Migration):
    dependencies = [
        ("goodpractices", "0006_themes_are_the_thematic_fields"),
        ("wagtailcore", "0098_apitoken"),
    ]
    operations = [migrations.RunPython(add_locales, migrations.RunPython.noop)]
