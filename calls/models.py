"""Topic calls (Themenaufruf): a call with its requirements, the proposals municipalities send
in, the reviewers' scores and the decision.

A call's opening and deadline are wall-clock dates and times in the call's own time zone
(the 2026 call closes on 17 February 2026 in Germany, whatever the server's zone), turned into
aware datetimes by `TopicCall.opens_at` and `TopicCall.deadline`.
"""

import datetime
import os
import zoneinfo

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.models import Orderable

from core.themes import ThematicField

# Lengths that keep a proposal within the call's "two pages at most" (about 6,000 characters).
LIMITS = {
    "background": 2000,
    "learning": 1500,
    "knowledge_transfer": 1500,
    "further_goals": 1000,
}
MAX_PARTNERS = 10
LETTER_MAX_BYTES = 2 * 1024 * 1024


def time_zone_choices():
    zones = sorted(zoneinfo.available_timezones() - {"localtime", "Factory"})
    return [(zone, zone) for zone in zones if "/" in zone or zone == "UTC"]


class PrivateStorage(FileSystemStorage):
    """Backing letters: outside MEDIA_ROOT and with no URL, so only the letter view (which
    checks who asks) can hand one out. The folder is read from the settings at each use
    (CALLS_PRIVATE_ROOT, default var/private/calls)."""

    @property
    def base_location(self):
        root = getattr(settings, "CALLS_PRIVATE_ROOT", None)
        return root or settings.VAR_DIR / "private" / "calls"

    @property
    def location(self):
        return os.path.abspath(self.base_location)

    @property
    def base_url(self):
        return None


def private_storage():
    return PrivateStorage()


def letter_path(instance, filename):
    return f"letters/{instance.call_id}/{instance.applicant_id}-{timezone.now():%Y%m%d%H%M%S}.pdf"


class TopicCall(ClusterableModel):
    """One call for topic proposals, managed by editors in the Wagtail admin (Snippets)."""

    year = models.PositiveSmallIntegerField(_("year"))
    title = models.CharField(_("title"), max_length=200)
    original_title = models.CharField(
        _("original title"),
        max_length=200,
        blank=True,
        help_text=_("The title as published in the original language, e.g. Themenaufruf 2026."),
    )
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    introduction = models.TextField(_("introduction"), max_length=4000)
    time_zone = models.CharField(
        _("time zone"),
        max_length=64,
        choices=time_zone_choices,
        default="Europe/Berlin",
        help_text=_("Opening and deadline are read in this time zone."),
    )
    opens_on = models.DateField(_("opens on"))
    opens_time = models.TimeField(_("opens at"), default=datetime.time(0, 0))
    deadline_date = models.DateField(_("deadline"))
    deadline_time = models.TimeField(
        _("deadline time"),
        default=datetime.time(23, 59),
        help_text=_("Proposals submitted up to this minute inclusive are accepted."),
    )
    decision_by = models.DateField(
        _("applicants hear back by"),
        null=True,
        blank=True,
    )
    contacts = models.TextField(
        _("contacts"),
        max_length=2000,
        blank=True,
        help_text=_("Who answers questions: names, roles, phone numbers, addresses."),
    )
    reviewers = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewers"),
        blank=True,
        related_name="reviewed_calls",
        help_text=_("Members who score the proposals of this call."),
    )

    panels = [
        MultiFieldPanel(
            [FieldPanel("year"), FieldPanel("title"), FieldPanel("original_title")],
            heading=_("Call"),
        ),
        FieldPanel("slug"),
        FieldPanel("introduction"),
        MultiFieldPanel(
            [
                FieldPanel("time_zone"),
                FieldRowPanel([FieldPanel("opens_on"), FieldPanel("opens_time")]),
                FieldRowPanel([FieldPanel("deadline_date"), FieldPanel("deadline_time")]),
                FieldPanel("decision_by"),
            ],
            heading=_("Dates"),
        ),
        InlinePanel("requirements", heading=_("Requirements"), label=_("Requirement")),
        FieldPanel("contacts"),
        FieldPanel("reviewers"),
    ]

    class Meta:
        verbose_name = _("topic call")
        verbose_name_plural = _("topic calls")
        ordering = ["-year", "-deadline_date"]

    def __str__(self):
        return self.title

    @property
    def zone(self):
        return zoneinfo.ZoneInfo(self.time_zone)

    @property
    def opens_at(self) -> datetime.datetime:
        return datetime.datetime.combine(self.opens_on, self.opens_time, tzinfo=self.zone)

    @property
    def deadline(self) -> datetime.datetime:
        """The last accepted instant: the end of the deadline minute in the call's zone."""
        closing = datetime.datetime.combine(self.deadline_date, self.deadline_time, self.zone)
        return closing.replace(second=59, microsecond=999999)

    def is_open(self, *, at=None) -> bool:
        at = at or timezone.now()
        return self.opens_at <= at <= self.deadline

    def is_past(self, *, at=None) -> bool:
        return (at or timezone.now()) > self.deadline


class Requirement(Orderable):
    """A requirement of the call, published with it; reviewers score each one."""

    call = ParentalKey(TopicCall, on_delete=models.CASCADE, related_name="requirements")
    text = models.CharField(_("requirement"), max_length=500)

    panels = [FieldPanel("text")]

    class Meta(Orderable.Meta):
        verbose_name = _("requirement")
        verbose_name_plural = _("requirements")

    def __str__(self):
        return self.text


class Proposal(models.Model):
    """A municipality's topic proposal for a call: one per member and call."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    class Decision(models.TextChoices):
        NONE = "", _("Not decided yet")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")
        RESERVE = "reserve", _("On the reserve list")

    class ApplicantKind(models.TextChoices):
        MUNICIPALITY = "municipality", _("Municipality (city, town, district)")
        COMPANY = "municipal_company", _("Municipal company")

    call = models.ForeignKey(
        TopicCall, verbose_name=_("call"), on_delete=models.PROTECT, related_name="proposals"
    )
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("applicant"),
        on_delete=models.CASCADE,
        related_name="call_proposals",
    )
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.DRAFT
    )
    # The applicant
    organisation = models.CharField(_("municipality or municipal company"), max_length=200)
    organisation_kind = models.CharField(
        _("kind of applicant"), max_length=20, choices=ApplicantKind.choices, blank=True
    )
    country = CountryField(_("country of the applicant"), blank=True)
    contact_name = models.CharField(_("contact person"), max_length=150, blank=True)
    contact_role = models.CharField(_("role of the contact person"), max_length=150, blank=True)
    contact_email = models.EmailField(_("email of the contact person"), blank=True)
    contact_phone = models.CharField(_("phone of the contact person"), max_length=40, blank=True)
    # The topic
    topic_title = models.CharField(_("title of the topic"), max_length=200, blank=True)
    thematic_fields = models.JSONField(_("thematic fields"), default=list, blank=True)
    background = models.TextField(
        _("the topic and its background"), max_length=LIMITS["background"], blank=True
    )
    learning = models.TextField(
        _("what you want to learn and what you bring"), max_length=LIMITS["learning"], blank=True
    )
    knowledge_transfer = models.TextField(
        _("contribution to knowledge transfer and skills"),
        max_length=LIMITS["knowledge_transfer"],
        blank=True,
    )
    further_goals = models.TextField(
        _("further goals of the exchange"), max_length=LIMITS["further_goals"], blank=True
    )
    backing_confirmed = models.BooleanField(_("backed by the decision makers"), default=False)
    backing_letter = models.FileField(
        _("letter of support (PDF)"),
        storage=private_storage,
        upload_to=letter_path,
        blank=True,
        max_length=200,
    )
    follow_up_willing = models.BooleanField(_("willing to take part in follow-ups"), default=False)
    # Life cycle
    created = models.DateTimeField(_("created"), auto_now_add=True)
    updated = models.DateTimeField(_("updated"), auto_now=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    decision = models.CharField(
        _("decision"), max_length=12, choices=Decision.choices, default="", blank=True
    )
    decision_message = models.TextField(_("message to the applicant"), max_length=3000, blank=True)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("proposal")
        verbose_name_plural = _("proposals")
        ordering = ["call", "organisation", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["call", "applicant"], name="one_proposal_per_call")
        ]

    def __str__(self):
        return self.topic_title or self.organisation

    def thematic_field_labels(self):
        labels = dict(ThematicField.choices)
        return [labels.get(code, code) for code in self.thematic_fields]


class Partner(models.Model):
    """A municipality the applicant proposes as a partner in the exchange."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="partners")
    name = models.CharField(_("partner municipality"), max_length=200)
    country = CountryField(_("country"))
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("partner municipality")
        verbose_name_plural = _("partner municipalities")
        ordering = ["position", "pk"]

    def __str__(self):
        return f"{self.name} ({self.country.name})"


class Review(models.Model):
    """One reviewer's review of one proposal: their scores, or their declared conflict of
    interest (then no scores)."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="reviews")
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewer"),
        on_delete=models.CASCADE,
        related_name="call_reviews",
    )
    conflict_of_interest = models.BooleanField(_("conflict of interest"), default=False)
    comment = models.TextField(_("overall comment"), max_length=3000, blank=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    updated = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("review")
        verbose_name_plural = _("reviews")
        constraints = [
            models.UniqueConstraint(fields=["proposal", "reviewer"], name="one_review_each")
        ]

    def __str__(self):
        return f"{self.reviewer} · {self.proposal}"


class Score(models.Model):
    """A reviewer's score (1 to 5) for one requirement, with a comment."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="scores")
    requirement = models.ForeignKey(Requirement, on_delete=models.CASCADE, related_name="scores")
    value = models.PositiveSmallIntegerField(
        _("score"), validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    comment = models.TextField(_("comment"), max_length=1000, blank=True)

    class Meta:
        verbose_name = _("score")
        verbose_name_plural = _("scores")
        constraints = [
            models.UniqueConstraint(fields=["review", "requirement"], name="one_score_each"),
            models.CheckConstraint(
                condition=models.Q(value__gte=1, value__lte=5), name="score_1_to_5"
            ),
        ]

    def __str__(self):
        return f"{self.requirement_id}: {self.value}"


class MailSent(models.Model):
    """A mail to an applicant, recorded in the transaction that sends it: the task that sends
    it finds its key here when run a second time."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="mails")
    key = models.CharField(max_length=120, unique=True)
    sent_at = models.DateTimeField(default=timezone.now)

    def __str__(self):
        return self.key
