"""Signals for decoupled side effects (search indexing). Sent by the services inside their
transaction, so a receiver can write to the same transaction (the search outbox)."""

from django.dispatch import Signal

# Sent with thread_id=<int> whenever a thread's searchable content or visibility changes:
# the thread created or edited, a message posted, edited, hidden, shown again or deleted.
thread_content_changed = Signal()
