"""Hub forms, one module per topic: membership decisions, threads, the expert directory."""

from .membership import DecisionNoteForm, DecisionReasonForm, JoinForm
from .people import ExpertFilterForm
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
    "ExpertFilterForm",
    "HideReasonForm",
    "JoinForm",
    "MessageForm",
    "ReportReasonForm",
    "ReportResolveForm",
    "ThreadForm",
]
