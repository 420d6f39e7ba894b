"""The preferences form: one choice of channel per kind."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Channel, Kind


class PreferencesForm(forms.Form):
    """A field per kind; a posted name that is no kind makes the form invalid (a 400)."""

    def __init__(self, data=None, *, initial_channels: dict[str, str]):
        super().__init__(data)
        for kind in Kind:
            self.fields[kind.value] = forms.ChoiceField(
                label=kind.label,
                choices=Channel.choices,
                initial=initial_channels[kind.value],
                widget=forms.Select,
            )
        self.unknown = []
        if data is not None:
            known = set(Kind.values) | {"csrfmiddlewaretoken"}
            self.unknown = sorted(key for key in data if key not in known)

    def clean(self):
        cleaned = super().clean()
        if self.unknown:
            raise forms.ValidationError(
                _("Unknown kind of notification: %(kinds)s"),
                code="unknown_kind",
                params={"kinds": ", ".join(self.unknown)},
            )
        return cleaned
