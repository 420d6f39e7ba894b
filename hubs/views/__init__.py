"""Hub views, one module per topic."""

from .hubs import hub_detail, hub_list
from .threads import (
    message_delete,
    message_edit,
    message_hide,
    message_post,
    message_report,
    message_unhide,
    report_resolve,
    thread_create,
    thread_detail,
    thread_moderate,
    thread_resolve,
    thread_section_context,
)

__all__ = [
    "hub_detail",
    "hub_list",
    "message_delete",
    "message_edit",
    "message_hide",
    "message_post",
    "message_report",
    "message_unhide",
    "report_resolve",
    "thread_create",
    "thread_detail",
    "thread_moderate",
    "thread_resolve",
    "thread_section_context",
]
