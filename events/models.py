"""Learning processes, their events, registrations and what the events send.

Times are stored in UTC; each event keeps its own IANA time zone (`time_zone`) so pages and
calendar files show it beside the viewer's. Every change goes through `events.services`.
"""

import secrets
import uuid

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from core.themes import ThematicField


class LearningProcess(models.Model):
    """A one-year learning process on a topic set by a host municipality: opened by an
    international dialogue event and continued with follow-ups."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PLANNED = "planned", _("Planned")
        RUNNING = "running", _("Running")
        FOLLOW_UP = "follow_up", _("Follow-up")
        CLOSED = "closed", _("Closed")

    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    topic = models.CharField(_("topic"), max_length=300)
    themes = models.CharField(
        _("thematic fields"),
        max_length=200,
        blank=True,
        help_text=_("Comma-separated codes of the thematic fields."),
    )
    host_name = models.CharField(_("host municipality or municipal company"), max_length=200)
    host_country = CountryField(_("host country"))
    year = models.PositiveSmallIntegerField(_("year"))
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.PLANNED
    )
    description = models.TextField(_("description"), blank=True)
    goals = models.TextField(_("goals"), blank=True)
    hubs = models.ManyToManyField(
        "hubs.Hub", blank=True, related_name="learning_processes", verbose_name=_("hubs")
    )
    practices = models.ManyToManyField(
        "goodpractices.GoodPracticePage",
        blank=True,
        related_name="learning_processes",
        verbose_name=_("good practices it produced"),
    )
    threads = models.ManyToManyField(
        "hubs.Thread",
        blank=True,
        related_name="learning_processes",
        verbose_name=_("consultation threads it produced"),
    )
    # A topic accepted in a topic call becomes a draft process (events.services).
    partners = models.JSONField(
        _("partner municipalities"),
        default=list,
        blank=True,
        help_text=_('A list of {"name": …, "country": ISO code}.'),
    )
    source_proposal = models.OneToOneField(
        "calls.Proposal",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="learning_process",
        verbose_name=_("topic-call proposal it comes from"),
    )
    created = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("learning process")
        verbose_name_plural = _("learning processes")
        ordering = ["-year", "title"]

    def __str__(self):
        return self.title

    @property
    def theme_codes(self) -> list[str]:
        valid = set(ThematicField.values)
        return [code.strip() for code in self.themes.split(",") if code.strip() in valid]

    @property
    def theme_labels(self) -> list[str]:
        return [str(ThematicField(code).label) for code in self.theme_codes]


class Event(models.Model):
    """A dialogue event, virtual exchange, workshop, trip, webinar or hub meeting."""

    class Kind(models.TextChoices):
        DIALOGUE_EVENT = "dialogue_event", _("International dialogue event")
        VIRTUAL_EXCHANGE = "virtual_exchange", _("Virtual exchange")
        PROJECT_WORKSHOP = "project_workshop", _("Project workshop")
        EXCHANGE_TRIP = "exchange_trip", _("Exchange trip")
        WEBINAR = "webinar", _("Webinar")
        HUB_MEETING = "hub_meeting", _("Hub meeting")

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Proposed, waiting for a coordinator")
        DECLINED = "declined", _("Proposal declined")
        PUBLISHED = "published", _("Published")
        CANCELLED = "cancelled", _("Cancelled")

    DIALOGUE_CAPACITY = 35  # the seeds: 25 to 35 participants

    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    description = models.TextField(_("description"), blank=True, max_length=10_000)
    learning_process = models.ForeignKey(
        LearningProcess,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="events",
        verbose_name=_("learning process"),
    )
    hubs = models.ManyToManyField(
        "hubs.Hub",
        blank=True,
        related_name="events",
        verbose_name=_("hubs"),
        help_text=_("None: a network-wide event."),
    )
    members_only = models.BooleanField(
        _("for members of its hubs only"),
        default=False,
    )
    theme = models.CharField(
        _("thematic field"), max_length=40, choices=ThematicField.choices, blank=True
    )
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    time_zone = models.CharField(_("time zone of the event"), max_length=64, default="UTC")
    online = models.BooleanField(_("online"), default=False)
    venue = models.CharField(_("venue"), max_length=200, blank=True)
    city = models.CharField(_("city"), max_length=120, blank=True)
    country = CountryField(_("country"), blank=True)
    meeting_link = models.URLField(
        _("meeting link"),
        blank=True,
        help_text=_("Shown to accepted participants only."),
    )
    language = models.CharField(_("working language"), max_length=8, default="en")
    capacity = models.PositiveIntegerField(
        _("places"), default=DIALOGUE_CAPACITY, validators=[MinValueValidator(1)]
    )
    registration_opens = models.DateTimeField(_("registration opens"), null=True, blank=True)
    registration_deadline = models.DateTimeField(_("registration deadline"), null=True, blank=True)
    motivation_question = models.CharField(
        _("motivation question"),
        max_length=300,
        blank=True,
        help_text=_("A short question every applicant answers."),
    )
    review_registrations = models.BooleanField(
        _("organisers review each registration"),
        default=False,
        help_text=_("Otherwise registrations are accepted at once while places are free."),
    )
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.PUBLISHED
    )
    organisers = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="organised_events",
        verbose_name=_("further organisers"),
        help_text=_("Besides the coordinators of its hubs and the editors."),
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="proposed_events",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_reason = models.TextField(_("reason"), blank=True, max_length=2000)
    cancel_reason = models.TextField(_("reason for cancelling"), blank=True, max_length=2000)
    # iCalendar: UID never changes; SEQUENCE grows with every change a calendar must see.
    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    sequence = models.PositiveIntegerField(default=0, editable=False)
    # Documentation after the event.
    summary = models.TextField(_("summary of the event"), blank=True, max_length=20_000)
    documented_at = models.DateTimeField(null=True, blank=True)
    practices = models.ManyToManyField(
        "goodpractices.GoodPracticePage",
        blank=True,
        related_name="events",
        verbose_name=_("good practices it produced"),
    )
    threads = models.ManyToManyField(
        "hubs.Thread",
        blank=True,
        related_name="events",
        verbose_name=_("consultation threads it produced"),
    )
    created = models.DateTimeField(_("created"), auto_now_add=True)
    updated = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("event")
        verbose_name_plural = _("events")
        ordering = ["starts_at", "pk"]
        indexes = [models.Index(fields=["status", "starts_at"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gte=models.F("starts_at")),
                name="event_ends_after_start",
            ),
            models.CheckConstraint(condition=models.Q(capacity__gte=1), name="event_capacity_1"),
        ]

    def __str__(self):
        return self.title

    @property
    def is_published(self):
        return self.status == self.Status.PUBLISHED

    @property
    def is_cancelled(self):
        return self.status == self.Status.CANCELLED

    @property
    def place(self) -> str:
        if self.online:
            return str(_("Online"))
        country = str(self.country.name) if self.country else ""
        return ", ".join(part for part in (self.venue, self.city, country) if part)


class Registration(models.Model):
    """One person's registration for an event, from the application to the attendance."""

    class State(models.TextChoices):
        PENDING = "pending", _("Waiting for the organisers")
        ACCEPTED = "accepted", _("Accepted")
        WAITLISTED = "waitlisted", _("On the waiting list")
        DECLINED = "declined", _("Declined")
        CANCELLED = "cancelled", _("Cancelled")

    # States that hold a place, and states whose people hear of changes.
    HOLDS_PLACE = (State.PENDING, State.ACCEPTED)
    REGISTERED = (State.PENDING, State.ACCEPTED, State.WAITLISTED)

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="registrations")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="event_registrations"
    )
    state = models.CharField(_("state"), max_length=12, choices=State.choices)
    motivation = models.TextField(_("motivation"), blank=True, max_length=2000)
    decline_reason = models.TextField(_("reason"), blank=True, max_length=2000)
    attended = models.BooleanField(_("attended"), null=True, blank=True)
    # The waitlist moves up in the order of this time (then id).
    queued_at = models.DateTimeField(_("registered"))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        ordering = ["queued_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["event", "user"], name="one_registration_per_event"),
        ]
        indexes = [models.Index(fields=["event", "state"])]

    def __str__(self):
        return f"{self.user} for {self.event} ({self.state})"


class EventFile(models.Model):
    """A file of the event's documentation (slides, a report)."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="files")
    title = models.CharField(_("title"), max_length=200)
    file = models.FileField(_("file"), upload_to="events/%Y/")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("documentation file")
        verbose_name_plural = _("documentation files")
        ordering = ["created", "pk"]

    def __str__(self):
        return self.title


class MailRecord(models.Model):
    """A mail about an event sent to one registered person, keyed so that it goes once
    (`reminder-7d`, `reminder-1d`, `changed-<sequence>`, ...) even if a task runs twice."""

    registration = models.ForeignKey(
        Registration, on_delete=models.CASCADE, related_name="mail_records"
    )
    key = models.CharField(max_length=40)
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["registration", "key"], name="one_mail_per_key"),
        ]

    def __str__(self):
        return f"{self.key} to registration {self.registration_id}"


class EventLogEntry(models.Model):
    """An organiser's or coordinator's decision about an event: append-only."""

    class Action(models.TextChoices):
        PROPOSED = "proposed", _("proposed the event")
        APPROVED = "approved", _("approved the proposal")
        DECLINED = "declined", _("declined the proposal")
        CREATED = "created", _("created the event")
        CHANGED = "changed", _("changed the event")
        CANCELLED = "cancelled", _("cancelled the event")
        ACCEPTED = "accepted", _("accepted a registration")
        REFUSED = "refused", _("declined a registration")
        ATTENDANCE = "attendance", _("marked attendance")
        DOCUMENTED = "documented", _("documented the event")

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="log_entries")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    action = models.CharField(_("action"), max_length=20, choices=Action.choices)
    subject = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reason = models.TextField(_("reason"), blank=True)
    created = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("event log entry")
        verbose_name_plural = _("event log")
        ordering = ["-created", "-pk"]

    def __str__(self):
        return f"{self.created:%Y-%m-%d %H:%M} {self.actor} {self.get_action_display()}"


def new_feed_token() -> str:
    return secrets.token_urlsafe(24)


class CalendarSettings(models.Model):
    """The secret of a member's personal feed. (Their time zone is on their profile,
    `members.Profile.time_zone`.)"""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="calendar_settings",
    )
    feed_token = models.CharField(max_length=64, unique=True, default=new_feed_token)

    class Meta:
        verbose_name = _("calendar settings")
        verbose_name_plural = _("calendar settings")

    def __str__(self):
        return f"calendar of {self.user}"
