from core.exceptions import ActionError


class ConsentError(ActionError):
    """A consent names a version that is not current (old, unknown, forged)."""
