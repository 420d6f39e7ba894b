from django.db import migrations

INTRO = (
    "Connective Cities is the international city platform for sustainable development. "
    "Municipal practitioners from cities worldwide advise each other in three regional "
    "networks, learn from good practices and shape the network's programme together."
)


def create_homepage(apps, schema_editor):
    ContentType = apps.get_model("contenttypes.ContentType")
    Locale = apps.get_model("wagtailcore.Locale")
    Page = apps.get_model("wagtailcore.Page")
    Site = apps.get_model("wagtailcore.Site")
    HomePage = apps.get_model("goodpractices.HomePage")

    if HomePage.objects.exists():
        return
    # Replace Wagtail's "Welcome" page; its Site goes with it.
    Page.objects.filter(depth=2, slug="home").delete()
    content_type, _ = ContentType.objects.get_or_create(
        app_label="goodpractices", model="homepage"
    )
    locale = Locale.objects.order_by("pk").first()
    home = HomePage.objects.create(
        title="Connective Cities: peer advice between cities",
        draft_title="Connective Cities: peer advice between cities",
        slug="home",
        content_type=content_type,
        path="00010001",
        depth=2,
        numchild=0,
        url_path="/home/",
        live=True,
        locale=locale,
        intro=INTRO,
    )
    Page.objects.filter(depth=1).update(numchild=1)
    Site.objects.update_or_create(
        is_default_site=True,
        defaults={"hostname": "localhost", "port": 80, "root_page": home, "site_name": "Connective Cities"},
    )


class Migration(migrations.Migration):
    dependencies = [
        ("goodpractices", "0001_initial"),
        ("wagtailcore", "0098_apitoken"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]
    operations = [migrations.RunPython(create_homepage, migrations.RunPython.noop)]
