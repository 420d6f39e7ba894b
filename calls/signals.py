"""Signals the calls app sends for apps above it (events turns an accepted proposal into a
draft learning process). Sent after the deciding transaction commits."""

from django.dispatch import Signal

# kwargs: proposal_id (int). Sent once per proposal, when it is accepted.
proposal_accepted = Signal()
