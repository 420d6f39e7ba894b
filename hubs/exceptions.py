class HubActionError(Exception):
    """A hub action that is not allowed or makes no sense in the current state.

    `code` is "forbidden" (the actor may not do it), "invalid" (the state does not allow it)
    or "not_found".
    """

    def __init__(self, message, *, code="invalid"):
        super().__init__(message)
        self.message = message
        self.code = code
