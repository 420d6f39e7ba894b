from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.translated import TranslatedTextMixin, clean_translations, translations_field


class Hub(TranslatedTextMixin, models.Model):
    """A regional network (MENA, SEE, SSA, ...), run by its coordinators. Its name, full
    name (`region`) and description are shown in the reader's language (`translations`)."""

    translated_fields = ("name", "region", "description")

    class JoinPolicy(models.TextChoices):
        OPEN = "open", _("Open: members are admitted at once")
        APPROVAL = "approval", _("By approval of a coordinator")

    name = models.CharField(_("name"), max_length=120)
    slug = models.SlugField(_("slug"), unique=True, max_length=40)
    region = models.CharField(_("region"), max_length=120)
    description = models.TextField(_("description"), blank=True)
    working_languages = models.CharField(
        _("working languages"),
        max_length=200,
        blank=True,
        help_text=_("Comma-separated language codes, for example: en, fr, ar"),
    )
    join_policy = models.CharField(
        _("join policy"), max_length=10, choices=JoinPolicy.choices, default=JoinPolicy.APPROVAL
    )
    created = models.DateTimeField(_("created"), auto_now_add=True)
    translations = translations_field()

    class Meta:
        verbose_name = _("hub")
        verbose_name_plural = _("hubs")
        ordering = ["name"]
        # Object permissions, granted per hub by the membership services only.
        permissions = [
            ("access_hub", _("Read the hub's consultation threads and members")),
            ("participate_hub", _("Start threads and post in the hub")),
            ("moderate_hub", _("Moderate the hub as its coordinator")),
        ]

    def __str__(self):
        # Choice labels (filters, forms) and mails show the hub in the reader's language.
        return self.name_local

    def clean(self):
        self.translations = clean_translations(self.translations, self.translated_fields)

    @property
    def name_local(self) -> str:
        return self.translated("name")

    @property
    def region_local(self) -> str:
        return self.translated("region")

    @property
    def description_local(self) -> str:
        return self.translated("description")

    @property
    def language_codes(self):
        return [code.strip() for code in self.working_languages.split(",") if code.strip()]


class Membership(models.Model):
    """A person's relation to a hub: the request, the decision, and the role held."""

    class State(models.TextChoices):
        REQUESTED = "requested", _("Requested")
        ACTIVE = "active", _("Active")
        REJECTED = "rejected", _("Rejected")
        LEFT = "left", _("Left")
        SUSPENDED = "suspended", _("Suspended")

    class Role(models.TextChoices):
        MEMBER = "member", _("Member")
        COORDINATOR = "coordinator", _("Coordinator")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    hub = models.ForeignKey(Hub, on_delete=models.CASCADE, related_name="memberships")
    state = models.CharField(_("state"), max_length=10, choices=State.choices)
    role = models.CharField(_("role"), max_length=12, choices=Role.choices, default=Role.MEMBER)
    message = models.TextField(_("message to the coordinators"), blank=True, max_length=2000)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_reason = models.TextField(blank=True, max_length=2000)
    requested_at = models.DateTimeField(auto_now_add=True)
    joined_at = models.DateTimeField(null=True, blank=True)
    last_activity = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(fields=["user", "hub"], name="one_membership_per_hub"),
        ]
        indexes = [models.Index(fields=["hub", "state"])]

    def __str__(self):
        return f"{self.user} in {self.hub} ({self.state})"

    @property
    def is_active(self):
        return self.state == self.State.ACTIVE

    @property
    def is_coordinator(self):
        return self.is_active and self.role == self.Role.COORDINATOR


class ModerationLogEntry(models.Model):
    """One moderation or membership decision: who did what to whom, why and when.

    Append-only: written by the services, never changed or deleted by the application.
    """

    class Action(models.TextChoices):
        JOIN_REQUESTED = "join_requested", _("asked to join")
        JOINED = "joined", _("joined")
        APPROVED = "approved", _("approved a join request")
        REJECTED = "rejected", _("rejected a join request")
        LEFT = "left", _("left the hub")
        SUSPENDED = "suspended", _("suspended a member")
        REINSTATED = "reinstated", _("reinstated a member")
        COORDINATOR_ASSIGNED = "coordinator_assigned", _("made a coordinator")
        COORDINATOR_REMOVED = "coordinator_removed", _("removed as coordinator")
        MESSAGE_HIDDEN = "message_hidden", _("hid a message")
        MESSAGE_UNHIDDEN = "message_unhidden", _("showed a hidden message again")
        REPORT_DISMISSED = "report_dismissed", _("dismissed a report")
        THREAD_LOCKED = "thread_locked", _("locked a thread")
        THREAD_UNLOCKED = "thread_unlocked", _("unlocked a thread")
        THREAD_PINNED = "thread_pinned", _("pinned a thread")
        THREAD_UNPINNED = "thread_unpinned", _("unpinned a thread")

    hub = models.ForeignKey(Hub, on_delete=models.CASCADE, related_name="log_entries")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Empty for actions by the system or an operator's command."),
    )
    action = models.CharField(_("action"), max_length=30, choices=Action.choices)
    subject = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("The person the action concerned."),
    )
    # What the action concerned, for the log to link to; `target` keeps the words written at
    # the time, for when the thread or message is gone.
    thread = models.ForeignKey(
        "hubs.Thread", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    message = models.ForeignKey(
        "hubs.Message", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    target = models.CharField(_("target"), max_length=200, blank=True)
    reason = models.TextField(_("reason"), blank=True)
    created = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("moderation log entry")
        verbose_name_plural = _("moderation log")
        ordering = ["-created", "-pk"]

    def __str__(self):
        return f"{self.created:%Y-%m-%d %H:%M} {self.actor} {self.get_action_display()}"
