"""Hub writes, one module per topic; import them from here: `from hubs import services`."""

from .membership import (
    coordinator_assign,
    coordinator_remove,
    log_entry_create,
    membership_approve,
    membership_leave,
    membership_record_activity,
    membership_reinstate,
    membership_reject,
    membership_request,
    membership_suspend,
    permissions_for,
    personal_data_erase,
)

__all__ = [
    "coordinator_assign",
    "coordinator_remove",
    "log_entry_create",
    "membership_approve",
    "membership_leave",
    "membership_record_activity",
    "membership_reinstate",
    "membership_reject",
    "membership_request",
    "membership_suspend",
    "permissions_for",
    "personal_data_erase",
]
