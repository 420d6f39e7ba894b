"""Forms of the calls app: the proposal with its partner formset, a review, a decision. The
rules live in `calls.services`; the forms show them field by field, keeping what was typed."""

from django import forms
from django.utils.translation import gettext_lazy as _
from django_countries import countries
from django_countries.fields import LazyTypedChoiceField

from core.themes import ThematicField

from . import services
from .models import LETTER_MAX_BYTES, LIMITS, MAX_PARTNERS, Proposal


def _country_field(label, required=False):
    return LazyTypedChoiceField(
        label=label, choices=[("", _("Choose a country")), *countries], required=required
    )


class ProposalForm(forms.ModelForm):
    """Every field of the call's "what the proposal should contain". Nothing is required to
    save a draft; `submitting=True` adds the call's rules for a submission."""

    thematic_fields = forms.MultipleChoiceField(
        label=_("Thematic field(s)"),
        choices=ThematicField.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    country = _country_field(_("Country of the applicant"))
    backing_letter = forms.FileField(
        label=_("Letter of support (optional, PDF)"),
        required=False,
        help_text=_("A PDF of at most %(size)d MB.") % {"size": LETTER_MAX_BYTES // 2**20},
        # Not ClearableFileInput: it links the stored file by URL, and letters have none.
        widget=forms.FileInput(attrs={"accept": "application/pdf,.pdf"}),
    )
    remove_letter = forms.BooleanField(label=_("Remove the letter I uploaded"), required=False)

    class Meta:
        model = Proposal
        # The template lays the fields out; the letter is stored apart from the content.
        fields = [*services.CONTENT_FIELDS, "backing_letter"]
        help_texts = {
            "background": _("The topic and its background: challenges and opportunities."),
            "learning": _(
                "What your municipality or company wants to learn from the exchange, and what "
                "it can bring to it."
            ),
            "knowledge_transfer": _(
                "How the proposal contributes to knowledge transfer and the skills of the "
                "international and German participants."
            ),
            "further_goals": _("Any further goals, e.g. solutions to a local challenge."),
            "backing_confirmed": _(
                "The topic and your engagement are backed by your municipality's decision makers."
            ),
            "follow_up_willing": _(
                "Beyond the dialogue event: exchange trips, project workshops, virtual formats."
            ),
        }
        widgets = {
            name: forms.Textarea(attrs={"rows": 6, "maxlength": limit})
            for name, limit in LIMITS.items()
        }

    def __init__(self, *args, submitting=False, partners=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.submitting = submitting
        self.partners = partners or []
        for name, field in self.fields.items():
            field.required = False
            if name in LIMITS:
                field.help_text = f"{field.help_text} " + str(
                    _("At most %(limit)d characters.") % {"limit": LIMITS[name]}
                )
        self.fields["organisation"].required = True  # a draft is named after its applicant
        self.fields["organisation_kind"].choices = [
            ("", _("Choose")),
            *Proposal.ApplicantKind.choices,
        ]

    def clean_backing_letter(self):
        upload = self.cleaned_data.get("backing_letter")
        if upload and hasattr(upload, "content_type"):  # a new upload, not the stored file
            problem = services.letter_problem(upload)
            if problem:
                raise forms.ValidationError(problem)
        return upload

    def clean(self):
        data = super().clean()
        for name, messages in services.length_problems(data).items():
            if name not in self.errors:
                for message in messages:
                    self.add_error(name, message)
        if self.submitting:
            problems = services.submission_problems(data=data, partners=self.partners)
            self.partner_errors = problems.pop("partners", [])
            for name, messages in problems.items():
                if name not in self.errors:
                    for message in messages:
                        self.add_error(name, message)
            if self.partner_errors:
                raise forms.ValidationError(self.partner_errors)
        return data


class PartnerForm(forms.Form):
    name = forms.CharField(label=_("Partner municipality"), max_length=200, required=False)
    country = _country_field(_("Country"))

    def clean(self):
        data = super().clean()
        if bool(data.get("name", "").strip()) != bool(data.get("country")):
            raise forms.ValidationError(_("Give both the municipality and its country."))
        return data


PartnerFormSet = forms.formset_factory(
    PartnerForm, extra=1, min_num=3, max_num=MAX_PARTNERS, validate_max=True
)


def partner_rows(formset) -> list[tuple[str, str]]:
    """(name, country) of the filled rows of a valid formset."""
    return [
        (form.cleaned_data["name"].strip(), form.cleaned_data["country"])
        for form in formset.forms
        if form.cleaned_data.get("name", "").strip()
    ]


class ReviewForm(forms.Form):
    """A score (1 to 5) and a comment per requirement; or a conflict of interest."""

    SCORE_CHOICES = [("", "–"), *[(str(n), str(n)) for n in range(1, 6)]]

    conflict_of_interest = forms.BooleanField(
        label=_("I declare a conflict of interest and do not score this proposal"),
        required=False,
    )
    comment = forms.CharField(
        label=_("Overall comment"), required=False, max_length=3000, widget=forms.Textarea
    )

    def __init__(self, *args, requirements, **kwargs):
        super().__init__(*args, **kwargs)
        self.requirements = requirements
        for number, req in enumerate(requirements, start=1):
            self.fields[f"score_{req.pk}"] = forms.TypedChoiceField(
                label=_("Score for requirement %(number)d") % {"number": number},
                choices=self.SCORE_CHOICES,
                coerce=int,
                required=False,
                empty_value=None,
            )
            self.fields[f"comment_{req.pk}"] = forms.CharField(
                label=_("Comment on requirement %(number)d") % {"number": number},
                required=False,
                max_length=1000,
                widget=forms.Textarea(attrs={"rows": 2}),
            )

    def clean(self):
        data = super().clean()
        if not data.get("conflict_of_interest"):
            for req in self.requirements:
                if data.get(f"score_{req.pk}") is None and f"score_{req.pk}" not in self.errors:
                    self.add_error(f"score_{req.pk}", _("Score this requirement from 1 to 5."))
        return data

    def rows(self):
        """(requirement, score field, comment field) for the template."""
        return [
            (req, self[f"score_{req.pk}"], self[f"comment_{req.pk}"]) for req in self.requirements
        ]

    def scores(self) -> dict[int, tuple[int, str]]:
        data = self.cleaned_data
        return {
            req.pk: (data[f"score_{req.pk}"], data.get(f"comment_{req.pk}", ""))
            for req in self.requirements
            if data.get(f"score_{req.pk}") is not None
        }


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[c for c in Proposal.Decision.choices if c[0]],
        widget=forms.RadioSelect,
    )
    message = forms.CharField(
        label=_("Message to the applicant"),
        required=False,
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "Required when declining: declined municipalities can be involved in other "
            "Connective Cities activities."
        ),
    )

    def clean(self):
        data = super().clean()
        if data.get("decision") == Proposal.Decision.DECLINED and not data.get("message", ""):
            self.add_error("message", _("Tell the applicant why, in a message."))
        return data
