from django.conf import settings
from django.contrib import admin
from django.urls import include, path, re_path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from goodpractices.api import api_router
from hubs.urls import people_urls

from . import views

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("favicon.ico", views.favicon, name="favicon"),
    path("healthz/live", views.healthz_live, name="healthz_live"),
    # One login door (allauth's): the admin login and password-reset pages lead there.
    path("admin/login/", views.admin_login_door, {"default_next": "/admin/"}),
    path("django-admin/login/", views.admin_login_door, {"default_next": "/django-admin/"}),
    re_path(r"^admin/password_reset/", views.admin_password_reset_door),
    re_path(r"^django-admin/password_reset/", views.admin_password_reset_door),
    path("django-admin/", admin.site.urls),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("api/v2/", api_router.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/", include("allauth.urls")),
    # Before members' and hubs' URLs: /members/me/calendar/ and /hubs/<slug>/events/new/.
    path("", include("events.urls")),
    path("", include("members.urls")),
    # Before the hubs: the follow buttons live under /hubs/<slug>/.
    path("", include("notifications.urls")),
    path("hubs/", include("hubs.urls")),
    path("members/", include(people_urls)),
    path("calls/", include("calls.urls")),
    path("", include("search.urls")),
    path("", include("goodpractices.urls")),
]

if settings.SERVE_MEDIA:
    urlpatterns += [
        re_path(r"^media/(?P<path>.*)$", views.serve_media, {"document_root": settings.MEDIA_ROOT}),
    ]

# Wagtail serves the page tree (home, /practices/...) last.
urlpatterns += [path("", include(wagtail_urls))]

handler400 = "network.views.bad_request"
