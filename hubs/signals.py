"""Signals for decoupled side effects (search indexing). Sent by the services inside their
transaction, so a receiver can write to the same transaction (the search outbox)."""

from django.dispatch import Signal

# Sent with thread_id=<int> whenever a thread's searchable content or visibility changes:
# the thread created or edited, a message posted, edited, hidden, shown again or deleted.
thread_content_changed = Signal()

# Sent after the transaction commits, with ids only, for listeners in higher layers (the
# notifications): a rolled-back change tells nobody, and nothing here knows who listens.
thread_created = Signal()  # thread_id
message_posted = Signal()  # message_id
message_edited = Signal()  # message_id
message_hidden = Signal()  # message_id, acting_user_id
answer_accepted = Signal()  # thread_id, message_id, acting_user_id
report_created = Signal()  # report_id
report_resolved = Signal()  # report_id (every open report of the message resolved with it)
join_requested = Signal()  # membership_id
membership_decided = Signal()  # membership_id (approved or rejected)
membership_suspended = Signal()  # membership_id
membership_reinstated = Signal()  # membership_id
membership_left = Signal()  # user_id, hub_id
thread_read = Signal()  # user_id, thread_id, last_message_id


def send_on_commit(signal: Signal, **ids) -> None:
    """Send SIGNAL with IDS once the surrounding transaction has committed."""
    from django.db import transaction

    transaction.on_commit(lambda: signal.send(sender="hubs", **ids))
