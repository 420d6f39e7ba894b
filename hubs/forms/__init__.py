"""Hub forms, one module per topic: membership decisions and threads."""

from .membership import DecisionNoteForm, DecisionReasonForm, JoinForm
from .threads import (
    EditForm,
    HideReasonForm,
    MessageForm,
    ReportReasonForm,
    ReportResolveForm,
    ThreadForm,
)

__all__ = [
    "DecisionNoteForm",
    "DecisionReasonForm",
    "EditForm",
    "HideReasonForm",
    "JoinForm",
    "MessageForm",
    "ReportReasonForm",
    "ReportResolveForm",
    "ThreadForm",
]
