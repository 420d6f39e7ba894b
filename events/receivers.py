"""What the events app does when another app tells it something."""

from . import services


def proposal_accepted(sender, *, proposal_id: int, **kwargs) -> None:
    """A topic accepted in a topic call becomes a draft learning process (sent after the
    decision's commit)."""
    services.learning_process_from_proposal(proposal_id=proposal_id)
