from django.urls import path

from . import views

app_name = "notifications"
urlpatterns = [
    path("notifications/", views.notification_list, name="list"),
    path("notifications/read/", views.mark_read, name="read"),
    path("notifications/settings/", views.preferences, name="settings"),
    path("notifications/unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path(
        "hubs/<slug:slug>/threads/<id:thread_id>/follow/",
        views.thread_follow,
        name="thread_follow",
    ),
    path(
        "hubs/<slug:slug>/threads/<id:thread_id>/unfollow/",
        views.thread_unfollow,
        name="thread_unfollow",
    ),
    path("hubs/<slug:slug>/threads/<id:thread_id>/mute/", views.thread_mute, name="thread_mute"),
    path(
        "hubs/<slug:slug>/threads/<id:thread_id>/mentions/",
        views.mention_suggestions,
        name="mentions",
    ),
    path("hubs/<slug:slug>/follow/", views.hub_follow, name="hub_follow"),
    path("hubs/<slug:slug>/unfollow/", views.hub_unfollow, name="hub_unfollow"),
]
