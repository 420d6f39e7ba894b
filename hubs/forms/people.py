"""The expert directory's filters (the hub filter is why it lives in the hubs app)."""

from django import forms
from django.utils.translation import gettext_lazy as _
from django_countries import countries
from django_countries.fields import LazyTypedChoiceField

from core.themes import ThematicField
from members.models import SPOKEN_LANGUAGES, language_name

from ..selectors.people import expert_hubs


class ExpertFilterForm(forms.Form):
    q = forms.CharField(label=_("Name, organisation or bio"), max_length=100, required=False)
    theme = forms.ChoiceField(
        label=_("Thematic field"),
        choices=[("", _("All thematic fields")), *ThematicField.choices],
        required=False,
    )
    hub = forms.ModelChoiceField(
        label=_("Hub"),
        queryset=None,
        to_field_name="slug",
        required=False,
        empty_label=_("All hubs"),
    )
    country = LazyTypedChoiceField(
        label=_("Country"), choices=[("", _("All countries")), *countries], required=False
    )
    language = forms.ChoiceField(label=_("Language spoken"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["hub"].queryset = expert_hubs()
        self.fields["language"].choices = [
            ("", _("All languages")),
            *sorted(
                ((code, language_name(code)) for code, _name in SPOKEN_LANGUAGES),
                key=lambda item: item[1].casefold(),
            ),
        ]
