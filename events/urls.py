"""Event URLs, in the `events` namespace, included at the site root (before the members'
and hubs' URLs, since `/members/me/calendar/` and `/hubs/<slug>/events/new/` live here)."""

from django.urls import path

from . import views

app_name = "events"
urlpatterns = [
    path("events/", views.calendar, name="calendar"),
    path("events/feed.ics", views.feed_ics, name="feed"),
    path("events/calendar/<str:token>.ics", views.personal_feed, name="personal_feed"),
    path("events/propose/", views.propose, name="propose"),
    path("events/proposals/", views.proposals, name="proposals"),
    path("events/<id:pk>/", views.detail, name="detail"),
    path("events/<id:pk>/event.ics", views.event_ics, name="ics"),
    path("events/<id:pk>/register/", views.register, name="register"),
    path("events/<id:pk>/cancel/", views.cancel, name="cancel"),
    path("events/<id:pk>/edit/", views.edit, name="edit"),
    path("events/<id:pk>/cancel-event/", views.cancel_event, name="cancel_event"),
    path("events/<id:pk>/document/", views.document, name="document"),
    path("events/<id:pk>/participants/", views.participants, name="participants"),
    path("events/<id:pk>/participants.csv", views.participants_csv, name="participants_csv"),
    *[
        path(
            f"events/<id:pk>/registrations/<id:registration_id>/{action}/",
            views.registration_decide,
            {"action": action},
            name=f"registration_{action}",
        )
        for action in ("accept", "decline", "attendance")
    ],
    *[
        path(
            f"events/<id:pk>/{action}/",
            views.proposal_decide,
            {"action": action},
            name=f"proposal_{action}",
        )
        for action in ("approve", "decline")
    ],
    path("hubs/<slug:slug>/events/new/", views.hub_event_new, name="hub_new"),
    path("members/me/calendar/", views.my_calendar, name="my_calendar"),
    path("learning-processes/", views.process_list, name="processes"),
    path("learning-processes/<slug:slug>/", views.process_detail, name="process"),
]
