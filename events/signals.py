"""Signals for the apps above: `event_changed(event_id=...)` after an event's content or
visibility changed (search indexes it). Sent on commit by the services only."""

from django.dispatch import Signal

event_changed = Signal()
