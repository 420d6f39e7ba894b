from django.urls import include, path

from .views import hubs, moderation

app_name = "hubs"
urlpatterns = [
    path("", hubs.hub_list, name="list"),
    path("<slug:slug>/", hubs.hub_detail, name="detail"),
    path("<slug:slug>/join/", hubs.hub_join, name="join"),
    path("<slug:slug>/leave/", hubs.hub_leave, name="leave"),
    path("<slug:slug>/members/", hubs.hub_members, name="members"),
    path("<slug:slug>/moderation/", moderation.dashboard, name="moderation"),
    path("<slug:slug>/moderation/log/", moderation.log, name="moderation_log"),
    path(
        "<slug:slug>/moderation/requests/<int:pk>/approve/",
        moderation.approve,
        name="approve",
    ),
    path(
        "<slug:slug>/moderation/requests/<int:pk>/reject/",
        moderation.reject,
        name="reject",
    ),
    path(
        "<slug:slug>/moderation/members/<int:pk>/suspend/",
        moderation.suspend,
        name="suspend",
    ),
    path(
        "<slug:slug>/moderation/members/<int:pk>/reinstate/",
        moderation.reinstate,
        name="reinstate",
    ),
    path("<slug:slug>/", include("hubs.urls_threads")),
]
