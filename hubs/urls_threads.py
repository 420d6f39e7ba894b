"""Thread URLs, included under /hubs/<slug>/ in the `hubs` namespace."""

from django.urls import path

from .views import threads as views

urlpatterns = [
    path("threads/new/", views.thread_create, name="thread_new"),
    path("threads/<int:thread_id>/", views.thread_detail, name="thread_detail"),
    path("threads/<int:thread_id>/messages/", views.message_post, name="message_post"),
    path("threads/<int:thread_id>/moderate/", views.thread_moderate, name="thread_moderate"),
    path("threads/<int:thread_id>/resolve/", views.thread_resolve, name="thread_resolve"),
    path(
        "threads/<int:thread_id>/messages/<int:message_id>/edit/",
        views.message_edit,
        name="message_edit",
    ),
    path(
        "threads/<int:thread_id>/messages/<int:message_id>/delete/",
        views.message_delete,
        name="message_delete",
    ),
    path(
        "threads/<int:thread_id>/messages/<int:message_id>/report/",
        views.message_report,
        name="message_report",
    ),
    path(
        "threads/<int:thread_id>/messages/<int:message_id>/hide/",
        views.message_hide,
        name="message_hide",
    ),
    path(
        "threads/<int:thread_id>/messages/<int:message_id>/unhide/",
        views.message_unhide,
        name="message_unhide",
    ),
    path("reports/<int:report_id>/resolve/", views.report_resolve, name="report_resolve"),
]
