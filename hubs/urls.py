"""Hub URLs, in the `hubs` namespace under /hubs/: hubs and memberships, moderation, threads.
`people_urls`, in the `people` namespace under /members/: a member's profile page and the
expert directory (DESIGN.md keeps their URLs under /members/)."""

from django.urls import path

from .views import hubs, moderation, people, threads

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
        "<slug:slug>/moderation/requests/<id:pk>/approve/",
        moderation.approve,
        name="approve",
    ),
    path(
        "<slug:slug>/moderation/requests/<id:pk>/reject/",
        moderation.reject,
        name="reject",
    ),
    path(
        "<slug:slug>/moderation/members/<id:pk>/suspend/",
        moderation.suspend,
        name="suspend",
    ),
    path(
        "<slug:slug>/moderation/members/<id:pk>/reinstate/",
        moderation.reinstate,
        name="reinstate",
    ),
    # threads
    path("<slug:slug>/threads/new/", threads.thread_create, name="thread_new"),
    path("<slug:slug>/threads/<id:thread_id>/", threads.thread_detail, name="thread_detail"),
    path("<slug:slug>/threads/<id:thread_id>/messages/", threads.message_post, name="message_post"),
    path("<slug:slug>/threads/<id:thread_id>/read/", threads.thread_read, name="thread_read"),
    path(
        "<slug:slug>/threads/<id:thread_id>/moderate/",
        threads.thread_moderate,
        name="thread_moderate",
    ),
    path(
        "<slug:slug>/threads/<id:thread_id>/resolve/",
        threads.thread_resolve,
        name="thread_resolve",
    ),
    path(
        "<slug:slug>/threads/<id:thread_id>/messages/<id:message_id>/edit/",
        threads.message_edit,
        name="message_edit",
    ),
    path(
        "<slug:slug>/threads/<id:thread_id>/messages/<id:message_id>/delete/",
        threads.message_delete,
        name="message_delete",
    ),
    path(
        "<slug:slug>/threads/<id:thread_id>/messages/<id:message_id>/report/",
        threads.message_report,
        name="message_report",
    ),
    path(
        "<slug:slug>/threads/<id:thread_id>/messages/<id:message_id>/hide/",
        threads.message_hide,
        name="message_hide",
    ),
    path(
        "<slug:slug>/threads/<id:thread_id>/messages/<id:message_id>/unhide/",
        threads.message_unhide,
        name="message_unhide",
    ),
    path(
        "<slug:slug>/reports/<id:report_id>/resolve/",
        threads.report_resolve,
        name="report_resolve",
    ),
]

people_urls = (
    [
        path("experts/", people.expert_list, name="experts"),
        path("<id:user_id>/", people.profile_detail, name="detail"),
    ],
    "people",
)
