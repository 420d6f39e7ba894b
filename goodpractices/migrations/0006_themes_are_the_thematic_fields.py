"""Theme rows are the thematic fields of `core.themes.ThematicField`: a slug spelt with
dashes (`municipal-services`) becomes the field's code (`municipal_services`), a second
spelling beside the canonical row is merged into it (its practices keep the theme), every
field has its row, and the slug is limited to the codes. With this, search and the practice
index use the slug as it is (no more replacing `-` with `_`)."""

from django.db import migrations, models

# The codes and English names as they were when this migration was written.
FIELDS = [
    ("integrated_urban_development", "Integrated urban development"),
    ("municipal_services", "Municipal services"),
    ("good_urban_governance", "Good urban governance"),
    ("local_economic_development", "Local economic development"),
]


def forwards(apps, schema_editor):
    Theme = apps.get_model("goodpractices", "Theme")
    Page = apps.get_model("goodpractices", "GoodPracticePage")
    field = Page._meta.get_field("themes")
    Link = field.remote_field.through
    page_column, theme_column = field.m2m_field_name(), field.m2m_reverse_field_name()

    for theme in list(Theme.objects.all()):
        code = theme.slug.strip().lower().replace("-", "_")
        if code == theme.slug:
            continue
        canonical = Theme.objects.filter(slug=code).first()
        if canonical is None:
            theme.slug = code
            theme.save(update_fields=["slug"])
            continue
        linked = set(
            Link.objects.filter(**{theme_column: theme}).values_list(f"{page_column}_id", flat=True)
        )
        already = set(
            Link.objects.filter(**{theme_column: canonical, f"{page_column}_id__in": linked})
            .values_list(f"{page_column}_id", flat=True)
        )
        Link.objects.bulk_create(
            [Link(**{f"{page_column}_id": page_id, theme_column: canonical})
             for page_id in sorted(linked - already)]
        )  # fmt: skip
        theme.delete()

    for order, (code, name) in enumerate(FIELDS):
        if Theme.objects.filter(slug=code).exists():
            continue
        if Theme.objects.filter(name=name).exists():
            name = f"{name} ({code})"
        Theme.objects.create(slug=code, name=name, sort_order=order)


class Migration(migrations.Migration):
    dependencies = [
        ("goodpractices", "0005_contact_from_expert_directory"),
    ]

    operations = [
        migrations.RunPython(forwards, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="theme",
            name="slug",
            field=models.SlugField(
                choices=[
                    ("integrated_urban_development", "Integrated urban development"),
                    ("municipal_services", "Municipal services"),
                    ("good_urban_governance", "Good urban governance"),
                    ("local_economic_development", "Local economic development"),
                ],
                max_length=60,
                unique=True,
                verbose_name="thematic field",
            ),
        ),
    ]
