"""Forms of the thread pages. They validate shape only; the services decide the rest."""

import uuid

from django import forms
from django.utils.translation import gettext_lazy as _

from core.themes import ThematicField

from ..models.threads import BODY_MAX_LENGTH, TITLE_MAX_LENGTH
from ..services.threads import REASON_MAX_LENGTH


class ThreadForm(forms.Form):
    title = forms.CharField(
        label=_("Title"),
        max_length=TITLE_MAX_LENGTH,
        help_text=_("Your local challenge in one line."),
    )
    theme = forms.ChoiceField(
        label=_("Thematic field"),
        choices=[("", _("— none —")), *ThematicField.choices],
        required=False,
    )
    question = forms.CharField(
        label=_("Your question"),
        max_length=BODY_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=_("Describe the situation and what you would like advice on. Markdown works."),
    )


class MessageForm(forms.Form):
    body = forms.CharField(
        label=_("Your message"),
        max_length=BODY_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Markdown works: **bold**, *italic*, [links](https://example.org), lists."),
    )
    # A new UUID in every rendered form: submitting the same form twice posts once.
    client_id = forms.UUIDField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("client_id", str(uuid.uuid4()))


class EditForm(forms.Form):
    body = forms.CharField(
        label=_("Your message"),
        max_length=BODY_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 6}),
    )


class ReportReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        max_length=REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class HideReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=REASON_MAX_LENGTH, required=False)


class ReportResolveForm(forms.Form):
    decision = forms.ChoiceField(
        choices=[("hide", _("Hide the message")), ("dismiss", _("Dismiss the report"))]
    )
    reason = forms.CharField(label=_("Note"), max_length=REASON_MAX_LENGTH, required=False)
