from django.urls import path

from . import views

app_name = "members"
urlpatterns = [
    path("accounts/consent/", views.consent, name="consent"),
    path("guidelines/", views.policy_detail, {"document": "guidelines"}, name="guidelines"),
    path(
        "guidelines/versions/<id:number>/",
        views.policy_detail,
        {"document": "guidelines"},
        name="guidelines_version",
    ),
    path("privacy/", views.policy_detail, {"document": "privacy"}, name="privacy"),
    path(
        "privacy/versions/<id:number>/",
        views.policy_detail,
        {"document": "privacy"},
        name="privacy_version",
    ),
    path("members/me/", views.profile_edit, name="me"),
    path("members/me/data/", views.data_export, name="data_export"),
    path("members/me/delete/", views.account_delete, name="delete"),
]
