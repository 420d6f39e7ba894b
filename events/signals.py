"""Signals for the apps above: `event_changed(event_id=...)` after an event's content or
visibility changed (search indexes it). Sent by the services inside their transaction, so a
receiver can write to the same transaction (the search outbox)."""

from django.dispatch import Signal

event_changed = Signal()
