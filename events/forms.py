"""Forms of the event pages. They check shape (a capacity of at least one, an end after the
start, a known time zone); the services decide who may do what. Times are entered in the
event's own time zone."""

from zoneinfo import ZoneInfo

from django import forms
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from core.themes import ThematicField
from members.models import SPOKEN_LANGUAGES

from . import selectors
from .models import Event, LearningProcess
from .services import TEXT_LIMIT

LOCAL_FORMAT = "%Y-%m-%dT%H:%M"


class LocalDateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format=LOCAL_FORMAT, **kwargs)


def _local_field(label, *, required=True, help_text=""):
    return forms.DateTimeField(
        label=label,
        required=required,
        widget=LocalDateTimeInput(),
        input_formats=[LOCAL_FORMAT, "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"],
        help_text=help_text,
    )


class EventForm(forms.Form):
    """Create, propose or change an event."""

    TIME_FIELDS = ("starts_at", "ends_at", "registration_opens", "registration_deadline")

    title = forms.CharField(label=_("Title"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind of event"), choices=Event.Kind.choices)
    description = forms.CharField(
        label=_("Description"),
        max_length=10_000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    learning_process = forms.ModelChoiceField(
        label=_("Learning process"),
        queryset=LearningProcess.objects.all(),
        required=False,
        empty_label=_("— none —"),
    )
    theme = forms.ChoiceField(
        label=_("Thematic field"),
        choices=[("", _("— none —")), *ThematicField.choices],
        required=False,
    )
    time_zone = forms.CharField(
        label=_("Time zone of the event"),
        max_length=64,
        initial="UTC",
        help_text=_("For example Europe/Berlin, Africa/Nairobi, Asia/Amman."),
        widget=forms.TextInput(attrs={"list": "time-zones", "autocomplete": "off"}),
    )
    starts_at = _local_field(_("Starts (in the event's time zone)"))
    ends_at = _local_field(_("Ends (in the event's time zone)"))
    online = forms.BooleanField(label=_("Online"), required=False)
    venue = forms.CharField(label=_("Venue"), max_length=200, required=False)
    city = forms.CharField(label=_("City"), max_length=120, required=False)
    country = forms.ChoiceField(
        label=_("Country"), choices=lambda: [("", "—"), *countries], required=False
    )
    meeting_link = forms.URLField(
        label=_("Meeting link"),
        required=False,
        assume_scheme="https",
        help_text=_("Shown to accepted participants only."),
    )
    language = forms.ChoiceField(
        label=_("Working language"), choices=SPOKEN_LANGUAGES, initial="en"
    )
    capacity = forms.IntegerField(
        label=_("Places"), min_value=1, max_value=10_000, initial=Event.DIALOGUE_CAPACITY
    )
    registration_opens = _local_field(_("Registration opens"), required=False)
    registration_deadline = _local_field(_("Registration deadline"), required=False)
    motivation_question = forms.CharField(
        label=_("Motivation question"),
        max_length=300,
        required=False,
        help_text=_("A short question every applicant answers, e.g. What do you bring?"),
    )
    review_registrations = forms.BooleanField(
        label=_("Organisers review each registration"),
        required=False,
        help_text=_("Otherwise registrations are accepted at once while places are free."),
    )
    members_only = forms.BooleanField(label=_("For the members of the hub only"), required=False)

    @classmethod
    def for_event(cls, event: Event, **kwargs):
        zone = ZoneInfo(event.time_zone)
        initial = {name: getattr(event, name) for name in cls.base_fields if hasattr(event, name)}
        for name in cls.TIME_FIELDS:
            value = getattr(event, name)
            initial[name] = value.astimezone(zone).replace(tzinfo=None) if value else None
        initial["country"] = event.country.code if event.country else ""
        return cls(initial=initial, **kwargs)

    def clean_time_zone(self):
        zone = self.cleaned_data["time_zone"].strip()
        if zone not in selectors.valid_time_zones():
            raise forms.ValidationError(_("Unknown time zone: use a name like Europe/Berlin."))
        return zone

    def clean(self):
        data = super().clean()
        zone = data.get("time_zone")
        if zone:
            tz = ZoneInfo(zone)
            for name in self.TIME_FIELDS:
                if data.get(name):
                    data[name] = data[name].replace(tzinfo=None).replace(tzinfo=tz)
        starts, ends = data.get("starts_at"), data.get("ends_at")
        if starts and ends and ends < starts:
            self.add_error("ends_at", _("The event cannot end before it starts."))
        deadline = data.get("registration_deadline")
        if deadline and ends and deadline > ends:
            self.add_error(
                "registration_deadline",
                _("The registration deadline must be before the end of the event."),
            )
        if not data.get("online") and not (data.get("city") or data.get("venue")):
            self.add_error("city", _("Give the city or venue, or mark the event as online."))
        return data

    def event_data(self) -> dict:
        data = dict(self.cleaned_data)
        data["country"] = data.get("country") or ""
        return data


class RegistrationForm(forms.Form):
    motivation = forms.CharField(
        label=_("Your answer"),
        max_length=TEXT_LIMIT,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        max_length=TEXT_LIMIT,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ProposeForm(EventForm):
    hub = forms.ModelChoiceField(label=_("Hub"), queryset=None, empty_label=None)

    field_order = ["hub"]

    def __init__(self, *args, hubs, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["hub"].queryset = hubs
        self.order_fields(["hub", *[name for name in self.fields if name != "hub"]])


class DocumentationForm(forms.Form):
    summary = forms.CharField(
        label=_("Summary of the event"),
        max_length=20_000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
    )
    practices = forms.ModelMultipleChoiceField(
        label=_("Good practices it produced"), queryset=None, required=False
    )
    threads = forms.ModelMultipleChoiceField(
        label=_("Consultation threads it produced"), queryset=None, required=False
    )
    file = forms.FileField(label=_("Add a file"), required=False)
    file_title = forms.CharField(label=_("Title of the file"), max_length=200, required=False)

    def __init__(self, *args, practices, threads, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["practices"].queryset = practices
        self.fields["threads"].queryset = threads

    def clean_file(self):
        from django.conf import settings

        upload = self.cleaned_data.get("file")
        if upload is None:
            return None
        extension = upload.name.rsplit(".", 1)[-1].lower() if "." in upload.name else ""
        if extension not in settings.WAGTAILDOCS_EXTENSIONS:
            raise forms.ValidationError(
                _("Files of this type cannot be added: %(types)s only.")
                % {"types": ", ".join(settings.WAGTAILDOCS_EXTENSIONS)}
            )
        return upload
