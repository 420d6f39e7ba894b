"""SITE_URL follows PORT in development; Django's and Wagtail's Site records follow SITE_URL
and SITE_NAME (after every migrate, and seed_demo keeps them), so mail and full URLs name
this site, not example.com or localhost:80."""

import json

import pytest
from django.contrib.sites.models import Site
from wagtail.models import Site as WagtailSite

from core.sites import site_sync

from .test_settings import run_python

SITE_PROBE = (
    "import json, django; from django.conf import settings; django.setup(); "
    "print(json.dumps({'site_url': settings.SITE_URL, 'admin': settings.WAGTAILADMIN_BASE_URL, "
    "'name': settings.SITE_NAME, 'tasks': settings.TASKS['default']['BACKEND']}))"
)


def site_settings(**variables):
    variables = {"PORT": "", "SITE_URL": "", "SITE_NAME": "", **variables}
    result = run_python(
        "import os\nfor k in [k for k, v in os.environ.items() if v == '']: del os.environ[k]\n"
        + SITE_PROBE.replace("; ", "\n"),
        **variables,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_site_url_follows_port_unless_given():
    assert site_settings() == {
        "site_url": "http://127.0.0.1:8000",
        "admin": "http://127.0.0.1:8000",
        "name": "Connective Cities",
        "tasks": "django_tasks_db.DatabaseBackend",
    }
    assert site_settings(PORT="8123")["site_url"] == "http://127.0.0.1:8123"
    found = site_settings(PORT="8123", SITE_URL="https://hubs.example.org/", SITE_NAME="CC Hubs")
    assert found["site_url"] == found["admin"] == "https://hubs.example.org"
    assert found["name"] == "CC Hubs"


@pytest.mark.django_db
def test_migrate_named_the_sites_after_site_url_and_site_name():
    site = Site.objects.get_current()
    assert (site.domain, site.name) == ("127.0.0.1:8000", "Connective Cities")
    wagtail_site = WagtailSite.objects.get(is_default_site=True)
    assert (wagtail_site.hostname, wagtail_site.port) == ("127.0.0.1", 8000)
    assert wagtail_site.site_name == "Connective Cities"


@pytest.mark.django_db
def test_the_sites_follow_a_new_site_url(settings):
    settings.SITE_URL = "https://hubs.example.org"
    settings.SITE_NAME = "CC Hubs"
    site_sync()
    site = Site.objects.get_current()
    assert (site.domain, site.name) == ("hubs.example.org", "CC Hubs")
    wagtail_site = WagtailSite.objects.get(is_default_site=True)
    assert (wagtail_site.hostname, wagtail_site.port, wagtail_site.site_name) == (
        "hubs.example.org",
        443,
        "CC Hubs",
    )
    assert wagtail_site.root_url == "https://hubs.example.org"
    home = wagtail_site.root_page
    assert home.full_url == "https://hubs.example.org/"


@pytest.mark.django_db
def test_seed_demo_keeps_the_site_records(settings):
    from django.core.management import call_command

    settings.SITE_URL = "http://127.0.0.1:8123"
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert Site.objects.get_current().domain == "127.0.0.1:8123"
    wagtail_site = WagtailSite.objects.get(is_default_site=True)
    assert (wagtail_site.hostname, wagtail_site.port) == ("127.0.0.1", 8123)
