"""The three regional hubs' names, full names and descriptions in German, French and
Arabic. A hub an admin has already translated keeps its texts."""

from django.db import migrations

TRANSLATIONS = {
    "mena": {
        "de": {
            "name": "MENA",
            "region": "Naher Osten und Nordafrika",
            "description": (
                "Das regionale Netzwerk der Praktikerinnen und Praktiker aus Städten im Nahen "
                "Osten und in Nordafrika: lokale Wirtschaftsförderung, kommunale "
                "Dienstleistungen, gute Stadtverwaltung und integrierte Stadtentwicklung."
            ),
        },
        "fr": {
            "name": "MENA",
            "region": "Moyen-Orient et Afrique du Nord",
            "description": (
                "Le réseau régional des praticiens des villes du Moyen-Orient et d'Afrique du "
                "Nord : développement économique local, services municipaux, bonne "
                "gouvernance urbaine et développement urbain intégré."
            ),
        },
        "ar": {
            "name": "الشرق الأوسط وشمال أفريقيا",
            "region": "الشرق الأوسط وشمال أفريقيا",
            "description": (
                "الشبكة الإقليمية للممارسين من مدن الشرق الأوسط وشمال أفريقيا: التنمية "
                "الاقتصادية المحلية، والخدمات البلدية، والحوكمة الحضرية الرشيدة، والتنمية "
                "الحضرية المتكاملة."
            ),
        },
    },
    "see": {
        "de": {
            "name": "SOE",
            "region": "Südosteuropa",
            "description": (
                "Das regionale Netzwerk der Praktikerinnen und Praktiker aus Städten in "
                "Südosteuropa und im Südkaukasus: Kreislaufwirtschaft, Abfallwirtschaft, "
                "Landmanagement und kommunale Zusammenarbeit."
            ),
        },
        "fr": {
            "name": "ESE",
            "region": "Europe du Sud-Est",
            "description": (
                "Le réseau régional des praticiens des villes d'Europe du Sud-Est et du "
                "Caucase du Sud : économie circulaire, gestion des déchets, gestion foncière "
                "et coopération municipale."
            ),
        },
        "ar": {
            "name": "جنوب شرق أوروبا",
            "region": "جنوب شرق أوروبا",
            "description": (
                "الشبكة الإقليمية للممارسين من مدن جنوب شرق أوروبا وجنوب القوقاز: الاقتصاد "
                "الدائري، وإدارة النفايات، وإدارة الأراضي، والتعاون البلدي."
            ),
        },
    },
    "ssa": {
        "de": {
            "name": "SSA",
            "region": "Afrika südlich der Sahara",
            "description": (
                "Das regionale Netzwerk der Praktikerinnen und Praktiker aus Städten in Afrika "
                "südlich der Sahara: kommunale Dienstleistungen, Klimaresilienz, informelle "
                "Siedlungen und Kommunalfinanzen."
            ),
        },
        "fr": {
            "name": "ASS",
            "region": "Afrique subsaharienne",
            "description": (
                "Le réseau régional des praticiens des villes d'Afrique subsaharienne : "
                "services municipaux, résilience climatique, quartiers informels et finances "
                "locales."
            ),
        },
        "ar": {
            "name": "أفريقيا جنوب الصحراء",
            "region": "أفريقيا جنوب الصحراء الكبرى",
            "description": (
                "الشبكة الإقليمية للممارسين من مدن أفريقيا جنوب الصحراء الكبرى: الخدمات "
                "البلدية، والقدرة على الصمود أمام تغير المناخ، والمستوطنات غير الرسمية، "
                "والمالية المحلية."
            ),
        },
    },
}


def add_translations(apps, schema_editor):
    Hub = apps.get_model("hubs", "Hub")
    for hub in Hub.objects.filter(slug__in=TRANSLATIONS):
        if not hub.translations:
            hub.translations = TRANSLATIONS[hub.slug]
            hub.save(update_fields=["translations"])


class Migration(migrations.Migration):
    dependencies = [("hubs", "0005_translated_labels")]
    operations = [migrations.RunPython(add_translations, migrations.RunPython.noop)]
