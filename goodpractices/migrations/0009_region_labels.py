"""The regions' names in German, French and Arabic. A region an editor has already
translated keeps its texts."""

from django.db import migrations

TRANSLATIONS = {
    "mena": ("Naher Osten und Nordafrika", "Moyen-Orient et Afrique du Nord", "الشرق الأوسط وشمال أفريقيا"),
    "see": ("Südosteuropa", "Europe du Sud-Est", "جنوب شرق أوروبا"),
    "ssa": ("Afrika südlich der Sahara", "Afrique subsaharienne", "أفريقيا جنوب الصحراء الكبرى"),
    "europe": ("Deutschland und Europa", "Allemagne et Europe", "ألمانيا وأوروبا"),
    "asia": ("Asien", "Asie", "آسيا"),
    "latin-america": ("Lateinamerika", "Amérique latine", "أمريكا اللاتينية"),
}


def add_translations(apps, schema_editor):
    Region = apps.get_model("goodpractices", "Region")
    for region in Region.objects.filter(slug__in=TRANSLATIONS):
        if not region.translations:
            german, french, arabic = TRANSLATIONS[region.slug]
            region.translations = {
                "de": {"name": german},
                "fr": {"name": french},
                "ar": {"name": arabic},
            }
            region.save(update_fields=["translations"])


class Migration(migrations.Migration):
    dependencies = [("goodpractices", "0008_translated_labels")]
    operations = [migrations.RunPython(add_translations, migrations.RunPython.noop)]
