from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _
from django_countries import countries
from django_countries.fields import LazyTypedChoiceField

from core.themes import EXAMPLES, ThematicField

from . import selectors
from .models import SPOKEN_LANGUAGES, PolicyDocument, Profile, language_name
from .names import NAME_MAX_LENGTH, validate_display_name
from .timezones import is_valid_time_zone


def _required_choice(choices):
    return [("", "---------"), *choices]


class SignupForm(forms.Form):
    """The fields allauth's signup form gets on top of email and password
    (ACCOUNT_SIGNUP_FORM_CLASS). The account is created by `services.member_register`
    through the account adapter, so no user row exists without both consents."""

    name = forms.CharField(
        label=_("Name"),
        max_length=NAME_MAX_LENGTH,
        validators=[validate_display_name],
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    organisation = forms.CharField(
        label=_("Organisation"),
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "organization"}),
    )
    organisation_type = forms.ChoiceField(
        label=_("Organisation type"),
        choices=_required_choice(Profile.OrganisationType.choices),
    )
    city = forms.CharField(label=_("City"), max_length=120)
    country = LazyTypedChoiceField(
        label=_("Country"),
        choices=_required_choice(countries),
        widget=forms.Select(attrs={"autocomplete": "country"}),
    )
    preferred_language = forms.ChoiceField(
        label=_("Preferred language"), choices=settings.LANGUAGES, initial="en"
    )
    accept_guidelines = forms.BooleanField(
        label=_("I accept the community guidelines"),
        required=True,
        error_messages={"required": _("You can only join if you accept the guidelines.")},
    )
    accept_privacy = forms.BooleanField(
        label=_(
            "I consent to the processing of my personal data as described in the privacy notice"
        ),
        required=True,
        error_messages={"required": _("You can only join if you consent to the privacy notice.")},
    )
    # The versions shown when the form was rendered: a person accepts what they saw.
    guidelines_version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    privacy_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    field_order = [
        "email",
        "name",
        "password1",
        "password2",
        "organisation",
        "organisation_type",
        "city",
        "country",
        "preferred_language",
        "accept_guidelines",
        "accept_privacy",
    ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.current_versions = selectors.current_policy_versions()
        for document in PolicyDocument.values:
            version = self.current_versions.get(document)
            self.fields[f"{document}_version"].initial = version.number if version else None

    def clean(self):
        cleaned = super().clean()
        for document in PolicyDocument.values:
            version = self.current_versions.get(document)
            if version is None:
                continue
            if cleaned.get(f"{document}_version") != version.number:
                # Published while the form was open (or tampered with): show the new one.
                self.data = self.data.copy()
                self.data[f"{document}_version"] = version.number
                self.add_error(
                    f"accept_{document}",
                    _("A new version of this document has been published; please read it."),
                )
        return cleaned

    def accepted_versions(self) -> dict[str, int]:
        return {
            document: self.cleaned_data[f"{document}_version"]
            for document in PolicyDocument.values
            if self.cleaned_data.get(f"accept_{document}")
        }

    def signup(self, request, user):
        """Everything is saved by the adapter's save_user (one transaction)."""


# Whole sentences, so each language can phrase them (no lower-cased name spliced in).
ACCEPT_LABELS = {
    PolicyDocument.GUIDELINES: _("I accept the new version of the community guidelines"),
    PolicyDocument.PRIVACY: _(
        "I consent to the processing of my personal data as described in the new version of "
        "the privacy notice"
    ),
}


class ConsentForm(forms.Form):
    """Accept the current versions not yet accepted: one required box each. The version
    numbers travel in the form and are checked by the service (a stale or forged one is a
    400)."""

    def __init__(self, *args, pending, **kwargs):
        super().__init__(*args, **kwargs)
        self.pending = pending
        for version in pending:
            self.fields[f"accept_{version.document}"] = forms.BooleanField(
                label=ACCEPT_LABELS[version.document], required=True
            )

    def posted_versions(self) -> dict[str, int] | None:
        """{document: number} for every version named in the POST; None when one is not a
        number or names an unknown document."""
        posted = {}
        for key, raw in self.data.items():
            if not key.endswith("_version"):
                continue
            document = key.removesuffix("_version")
            if document not in PolicyDocument.values or not str(raw).isdigit():
                return None
            posted[document] = int(raw)
        return posted


def _theme_choices():
    return [(value, f"{label} ({EXAMPLES[value]})") for value, label in ThematicField.choices]


class SpokenLanguageField(forms.MultipleChoiceField):
    def __init__(self, **kwargs):
        super().__init__(
            choices=lambda: sorted(
                ((code, language_name(code)) for code, _name in SPOKEN_LANGUAGES),
                key=lambda item: item[1].casefold(),
            ),
            **kwargs,
        )


class ProfileForm(forms.ModelForm):
    name = forms.CharField(
        label=_("Name"), max_length=NAME_MAX_LENGTH, validators=[validate_display_name]
    )
    expertise = forms.MultipleChoiceField(
        label=_("Expertise"),
        choices=_theme_choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The thematic fields you can advise on."),
    )
    languages = SpokenLanguageField(
        label=_("Languages spoken"),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
        help_text=_("Hold Ctrl (Cmd on a Mac) to choose several."),
    )

    class Meta:
        model = Profile
        fields = [
            "organisation",
            "organisation_type",
            "city",
            "country",
            "preferred_language",
            "time_zone",
            "position",
            "bio",
            "available_for_advice",
            "visibility",
        ]
        widgets = {
            "visibility": forms.RadioSelect,
            # Filled from the browser while empty (static/js/time-zone.js); the page offers
            # the zone names in the datalist `time-zones`.
            "time_zone": forms.TextInput(
                attrs={"list": "time-zones", "autocomplete": "off", "data-browser-zone": ""}
            ),
        }

    field_order = ["name", *Meta.fields[:6], "position", "bio", "expertise", "languages"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["name"].initial = user.name
        if self.instance.pk:
            self.fields["expertise"].initial = [e.theme for e in self.instance.expertise.all()]
            self.fields["languages"].initial = [
                row.language for row in self.instance.languages.all()
            ]

    def clean_time_zone(self):
        zone = (self.cleaned_data.get("time_zone") or "").strip()
        if zone and not is_valid_time_zone(zone):
            raise forms.ValidationError(
                _("Unknown time zone: use a name like Europe/Berlin."), code="time_zone"
            )
        return zone


class AccountDeleteForm(forms.Form):
    password = forms.CharField(
        label=_("Your password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    confirm = forms.BooleanField(
        label=_("I understand that my account and my personal data will be deleted for good"),
        required=True,
    )
