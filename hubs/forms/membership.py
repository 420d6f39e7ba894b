from django import forms
from django.utils.translation import gettext_lazy as _

from ..services.membership import TEXT_LIMIT


class JoinForm(forms.Form):
    message = forms.CharField(
        label=_("Message to the coordinators (optional)"),
        help_text=_("Your work and what you hope to share or learn helps them decide."),
        required=False,
        max_length=TEXT_LIMIT,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class DecisionNoteForm(forms.Form):
    """A decision with an optional note (approve, reinstate)."""

    reason = forms.CharField(
        label=_("Note (optional)"),
        required=False,
        max_length=TEXT_LIMIT,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class DecisionReasonForm(forms.Form):
    """A decision that must say why (reject, suspend): the person is told."""

    reason = forms.CharField(
        label=_("Reason"), max_length=TEXT_LIMIT, widget=forms.Textarea(attrs={"rows": 2})
    )
