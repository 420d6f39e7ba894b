"""The one application error type, and the one map from its codes to HTTP statuses.

Services raise `ActionError(message, code=...)` when an action is refused; views turn it into
a 4xx page with `http_status(error)`, consumers into an `error` frame with `frame(error)`.
Selectors raise `NotFound` (a domain "not found", never `Http404`): the view decides that it
is a 404, the consumer that it is a `not_found` frame.
"""

from typing import Any

# Every code a service may use, with its HTTP status. The websocket `error` frame carries the
# code itself (DESIGN.md: invalid, too_large, rate_limited, forbidden, locked, not_found).
STATUS_FOR_CODE: dict[str, int] = {
    "invalid": 400,
    "too_large": 400,
    "wrong_password": 400,
    "stale": 400,
    "locked": 409,
    "consent_required": 400,
    "forbidden": 403,
    "not_found": 404,
    "rate_limited": 429,
}


class ActionError(Exception):
    """An action that is not allowed, or makes no sense in the current state.

    `message` is shown to the person (translated); `code` says why, in STATUS_FOR_CODE."""

    def __init__(self, message, *, code: str = "invalid"):
        if code not in STATUS_FOR_CODE:
            raise ValueError(f"unknown ActionError code {code!r}")
        super().__init__(message)
        self.message = message
        self.code = code

    def __repr__(self):
        return f"{type(self).__name__}({str(self.message)!r}, code={self.code!r})"


class NotFound(ActionError):
    """What was asked for does not exist, or the asker may not know that it does."""

    def __init__(self, message="", *, code: str = "not_found"):
        super().__init__(message, code=code)


def http_status(error: ActionError) -> int:
    return STATUS_FOR_CODE[error.code]


def frame(error: ActionError, **extra: Any) -> dict[str, Any]:
    """The websocket `error` frame for ERROR (EXTRA: e.g. the post's client_id)."""
    return {"type": "error", "code": error.code, "detail": str(error.message), **extra}
