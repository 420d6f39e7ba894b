from django.conf import settings
from django.contrib import admin
from django.urls import include, path, re_path
from django.views.static import serve
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from goodpractices.api import api_router

from . import views

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("django-admin/", admin.site.urls),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("api/v2/", api_router.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/", include("allauth.urls")),
    # Before members' and hubs' URLs: /members/me/calendar/ and /hubs/<slug>/events/new/.
    path("", include("events.urls")),
    path("", include("members.urls")),
    path("hubs/", include("hubs.urls")),
    path("", include("search.urls")),
    path("", include("goodpractices.urls")),
]

if settings.SERVE_MEDIA:
    urlpatterns += [
        re_path(r"^media/(?P<path>.*)$", serve, {"document_root": settings.MEDIA_ROOT}),
    ]

# Wagtail serves the page tree (home, /practices/...) last.
urlpatterns += [path("", include(wagtail_urls))]
