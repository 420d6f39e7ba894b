"""The proposal form: the practice's fields in plain language. Text is taken as text
(any HTML in it is shown as typed, never interpreted)."""

from pathlib import Path

from django import forms
from django.conf import settings
from django.core.validators import FileExtensionValidator
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _
from django_countries import countries
from wagtail.images.fields import WagtailImageField

from .models import Region, SustainableDevelopmentGoal, Theme

MAX_DOCUMENT_SIZE = 5 * 1024 * 1024


class SDGChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return str(obj)


class ProposalForm(forms.Form):
    title = forms.CharField(
        label=_("What is your practice called?"),
        max_length=200,
        help_text=_("A short name, for example: Recycling plastic with kindergartens."),
    )
    summary = forms.CharField(
        label=_("Describe it in two or three sentences"),
        max_length=600,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    city = forms.CharField(label=_("City"), max_length=100)
    country = forms.ChoiceField(label=_("Country"), choices=lambda: [("", "---------"), *countries])
    region = forms.ModelChoiceField(
        label=_("Region"), queryset=Region.objects.all(), empty_label=None
    )
    themes = forms.ModelMultipleChoiceField(
        label=_("Which thematic fields does it belong to?"),
        queryset=Theme.objects.all(),
        widget=forms.CheckboxSelectMultiple,
    )
    sdgs = SDGChoiceField(
        label=_("Which sustainable development goals does it serve? (optional)"),
        queryset=SustainableDevelopmentGoal.objects.all(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    challenge = forms.CharField(
        label=_("What problem did your city face?"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    approach = forms.CharField(
        label=_("What did you do about it?"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    results = forms.CharField(
        label=_("What changed? (optional)"),
        max_length=5000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    lessons = forms.CharField(
        label=_("What would you tell another city trying this? (optional)"),
        max_length=5000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    period = forms.CharField(
        label=_("When? (optional)"),
        max_length=100,
        required=False,
        help_text=_("For example: 2018–2021, or since 2019."),
    )
    partners = forms.CharField(
        label=_("Who did you work with? (optional)"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    organisation = forms.CharField(
        label=_("Your organisation (optional)"), max_length=200, required=False
    )
    list_me_as_contact = forms.BooleanField(
        label=_("Other members may contact me about this practice"),
        required=False,
        help_text=_(
            "Shown to members if you are in the expert directory (available for peer advice "
            "on your profile)."
        ),
    )
    image = WagtailImageField(
        label=_("A photo (optional)"),
        required=False,
    )
    image_alt = forms.CharField(
        label=_("What does the photo show? (for people who cannot see it)"),
        max_length=250,
        required=False,
    )
    document = forms.FileField(
        label=_("A document (optional)"),
        required=False,
        validators=[FileExtensionValidator(settings.WAGTAILDOCS_EXTENSIONS)],
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["image"].help_text = _("JPEG, PNG or WebP, at most %(size)s.") % {
            "size": filesizeformat(settings.WAGTAILIMAGES_MAX_UPLOAD_SIZE)
        }
        self.fields["document"].help_text = _(
            "PDF, Word, OpenDocument, a spreadsheet or text, at most %(size)s."
        ) % {"size": filesizeformat(MAX_DOCUMENT_SIZE)}

    def clean_image(self):
        image = self.cleaned_data.get("image")
        if image and Path(image.name).suffix.lower() not in {".jpg", ".jpeg", ".png", ".webp"}:
            raise forms.ValidationError(_("Please upload a JPEG, PNG or WebP image."))
        return image

    def clean_document(self):
        document = self.cleaned_data.get("document")
        if document and document.size > MAX_DOCUMENT_SIZE:
            raise forms.ValidationError(
                _("This file is %(size)s; the most we accept is %(max)s.")
                % {
                    "size": filesizeformat(document.size),
                    "max": filesizeformat(MAX_DOCUMENT_SIZE),
                }
            )
        return document
