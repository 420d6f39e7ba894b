class MemberActionError(Exception):
    """A member action was refused; the message is shown to the person."""

    def __init__(self, message, *, code="invalid"):
        super().__init__(message)
        self.message = message
        self.code = code


class ConsentError(MemberActionError):
    """A consent names a version that is not current (old, unknown, forged)."""
