from django.db import migrations

HUBS = [
    {
        "slug": "mena",
        "name": "MENA",
        "region": "Middle East and North Africa",
        "description": (
            "The regional network of practitioners from cities in the Middle East and North "
            "Africa: local economic development, municipal services, good urban governance "
            "and integrated urban development."
        ),
        "working_languages": "en, ar, fr",
        "join_policy": "approval",
    },
    {
        "slug": "see",
        "name": "SEE",
        "region": "South-East Europe",
        "description": (
            "The regional network of practitioners from cities in South-East Europe and the "
            "South Caucasus: circular economy, waste management, land management and "
            "municipal cooperation."
        ),
        "working_languages": "en, de",
        "join_policy": "open",
    },
    {
        "slug": "ssa",
        "name": "SSA",
        "region": "Sub-Saharan Africa",
        "description": (
            "The regional network of practitioners from cities in Sub-Saharan Africa: "
            "municipal services, climate resilience, informal settlements and local finance."
        ),
        "working_languages": "en, fr",
        "join_policy": "approval",
    },
]


def create_hubs(apps, schema_editor):
    Hub = apps.get_model("hubs", "Hub")
    for data in HUBS:
        Hub.objects.get_or_create(slug=data["slug"], defaults=data)


class Migration(migrations.Migration):
    dependencies = [("hubs", "0001_initial")]
    operations = [migrations.RunPython(create_hubs, migrations.RunPython.noop)]
