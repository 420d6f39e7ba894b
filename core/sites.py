"""Django's and Wagtail's Site records follow SITE_URL and SITE_NAME. Both are read where
no request is at hand: allauth's mail says "[name]" and names the domain, Wagtail builds a
page's full URL from its Site. Synced after every `migrate` (so `make run` on another PORT
moves them) and by `seed_demo`."""

from urllib.parse import urlsplit

from django.conf import settings


def site_origin() -> tuple[str, str, int]:
    """(scheme, hostname, port) of SITE_URL, the port made explicit."""
    parts = urlsplit(settings.SITE_URL)
    port = parts.port or (443 if parts.scheme == "https" else 80)
    return parts.scheme, parts.hostname or "localhost", port


def site_sync(using: str = "default") -> None:
    """Set Django's current Site (domain, name) and Wagtail's default Site (hostname, port,
    name) from the settings. A Wagtail Site that another record already holds that
    hostname and port for is left alone."""
    from django.contrib.sites.models import Site
    from wagtail.models import Site as WagtailSite

    scheme, hostname, port = site_origin()
    default_port = 443 if scheme == "https" else 80
    domain = hostname if port == default_port else f"{hostname}:{port}"
    Site.objects.using(using).update_or_create(
        pk=settings.SITE_ID, defaults={"domain": domain, "name": settings.SITE_NAME}
    )
    Site.objects.clear_cache()
    wagtail_site = WagtailSite.objects.using(using).filter(is_default_site=True).first()
    if wagtail_site is None:
        return
    taken = (
        WagtailSite.objects.using(using)
        .filter(hostname=hostname, port=port)
        .exclude(pk=wagtail_site.pk)
        .exists()
    )
    changes = {"site_name": settings.SITE_NAME}
    if not taken:
        changes.update(hostname=hostname, port=port)
    if any(getattr(wagtail_site, field) != value for field, value in changes.items()):
        for field, value in changes.items():
            setattr(wagtail_site, field, value)
        wagtail_site.save(update_fields=list(changes))


def sync_after_migrate(sender, using="default", **kwargs) -> None:
    site_sync(using=using)
