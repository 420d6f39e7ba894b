"""A fresh install has the four thematic fields, the regions (the three hubs' and three
others), the 17 SDGs, the practice index at /practices/ under the home page, the editors'
right to publish there, and the review workflow with the regional coordinator task."""

from django.db import migrations

THEMES = [
    (
        "integrated_urban_development",
        "Integrated urban development",
        "For example climate resilience, mobility, land management and urban planning.",
    ),
    ("municipal_services", "Municipal services", "For example waste management and water."),
    ("good_urban_governance", "Good urban governance", "For example inclusion and digitalisation."),
    ("local_economic_development", "Local economic development", "For example start-ups."),
]

REGIONS = [
    ("mena", "Middle East and North Africa", "mena"),
    ("see", "South-East Europe", "see"),
    ("ssa", "Sub-Saharan Africa", "ssa"),
    ("europe", "Germany and Europe", None),
    ("asia", "Asia", None),
    ("latin-america", "Latin America", None),
]

ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def _next_child_path(Page, parent):
    last = (
        Page.objects.filter(path__startswith=parent.path, depth=parent.depth + 1)
        .order_by("-path")
        .first()
    )
    if last is None:
        return parent.path + "0001"
    step = last.path[-4:]
    number = 0
    for char in step:
        number = number * 36 + ALPHABET.index(char)
    number += 1
    digits = ""
    for _ in range(4):
        number, rest = divmod(number, 36)
        digits = ALPHABET[rest] + digits
    return parent.path + digits


def forwards(apps, schema_editor):
    ContentType = apps.get_model("contenttypes.ContentType")
    Permission = apps.get_model("auth.Permission")
    Group = apps.get_model("auth.Group")
    Page = apps.get_model("wagtailcore.Page")
    GroupPagePermission = apps.get_model("wagtailcore.GroupPagePermission")
    Workflow = apps.get_model("wagtailcore.Workflow")
    WorkflowTask = apps.get_model("wagtailcore.WorkflowTask")
    WorkflowPage = apps.get_model("wagtailcore.WorkflowPage")
    Hub = apps.get_model("hubs.Hub")
    Theme = apps.get_model("goodpractices.Theme")
    Region = apps.get_model("goodpractices.Region")
    Goal = apps.get_model("goodpractices.SustainableDevelopmentGoal")
    HomePage = apps.get_model("goodpractices.HomePage")
    IndexPage = apps.get_model("goodpractices.GoodPracticeIndexPage")
    ReviewTask = apps.get_model("goodpractices.HubCoordinatorReviewTask")

    for order, (slug, name, description) in enumerate(THEMES):
        Theme.objects.get_or_create(
            slug=slug, defaults={"name": name, "description": description, "sort_order": order}
        )
    for order, (slug, name, hub_slug) in enumerate(REGIONS):
        hub = Hub.objects.filter(slug=hub_slug).first() if hub_slug else None
        Region.objects.get_or_create(
            slug=slug, defaults={"name": name, "hub": hub, "sort_order": order}
        )
    for number in range(1, 18):
        Goal.objects.get_or_create(number=number)

    home = HomePage.objects.first()
    if home is None:
        return
    index_page = IndexPage.objects.first()
    if index_page is None:
        content_type, _ = ContentType.objects.get_or_create(
            app_label="goodpractices", model="goodpracticeindexpage"
        )
        index_page = IndexPage.objects.create(
            title="Good practices",
            draft_title="Good practices",
            slug="practices",
            content_type=content_type,
            path=_next_child_path(Page, home),
            depth=home.depth + 1,
            numchild=0,
            url_path=f"{home.url_path}practices/",
            live=True,
            locale_id=home.locale_id,
            intro=(
                "Examples from experts for experts: what cities worldwide did about a "
                "local challenge, what came of it, and what others can learn from it."
            ),
        )
        Page.objects.filter(pk=home.pk).update(numchild=home.numchild + 1)

    # Editors publish good practices.
    page_type, _ = ContentType.objects.get_or_create(app_label="wagtailcore", model="page")
    editors, _ = Group.objects.get_or_create(name="Editors")
    for codename, name in (
        ("add_page", "Can add page"),
        ("change_page", "Can change page"),
        ("publish_page", "Can publish page"),
    ):
        permission, _ = Permission.objects.get_or_create(
            content_type=page_type, codename=codename, defaults={"name": name}
        )
        GroupPagePermission.objects.get_or_create(
            group=editors, page_id=index_page.pk, permission=permission
        )
    for model, verbs in (("theme", ("add", "change", "delete")), ("region", ("change",))):
        content_type, _ = ContentType.objects.get_or_create(app_label="goodpractices", model=model)
        for verb in verbs:
            permission, _ = Permission.objects.get_or_create(
                content_type=content_type,
                codename=f"{verb}_{model}",
                defaults={"name": f"Can {verb} {model}"},
            )
            editors.permissions.add(permission)
    access_type, _ = ContentType.objects.get_or_create(app_label="wagtailadmin", model="admin")
    access, _ = Permission.objects.get_or_create(
        content_type=access_type,
        codename="access_admin",
        defaults={"name": "Can access Wagtail admin"},
    )
    editors.permissions.add(access)

    # The review workflow on /practices/.
    if not WorkflowPage.objects.filter(page_id=index_page.pk).exists():
        task_type, _ = ContentType.objects.get_or_create(
            app_label="goodpractices", model="hubcoordinatorreviewtask"
        )
        task = ReviewTask.objects.create(
            name="Regional review", content_type=task_type, active=True
        )
        workflow = Workflow.objects.create(name="Good practice review", active=True)
        WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=0)
        WorkflowPage.objects.create(page_id=index_page.pk, workflow=workflow)


class Migration(migrations.Migration):
    dependencies = [
        ("goodpractices", "0003_practices"),
        ("hubs", "0002_regional_hubs"),
        ("wagtailcore", "0098_apitoken"),
        ("wagtailadmin", "0001_create_admin_access_permissions"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
