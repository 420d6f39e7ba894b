"""Consultation threads: a member's question to the hub, the conversation, reports."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.themes import ThematicField

from .hubs import Hub

BODY_MAX_LENGTH = 10_000
TITLE_MAX_LENGTH = 200


class Thread(models.Model):
    """A consultation: a member brings a local challenge, colleagues advise."""

    class State(models.TextChoices):
        OPEN = "open", _("Open")
        RESOLVED = "resolved", _("Resolved")

    hub = models.ForeignKey(Hub, on_delete=models.CASCADE, related_name="threads")
    title = models.CharField(_("title"), max_length=TITLE_MAX_LENGTH)
    question = models.TextField(_("question"), max_length=BODY_MAX_LENGTH)
    question_html = models.TextField(editable=False)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="threads_started",
    )
    theme = models.CharField(
        _("thematic field"), max_length=40, choices=ThematicField.choices, blank=True
    )
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.OPEN)
    accepted_answer = models.ForeignKey(
        "Message", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    pinned = models.BooleanField(_("pinned"), default=False)
    locked = models.BooleanField(_("locked"), default=False)
    created = models.DateTimeField(_("created"), default=timezone.now)
    last_activity = models.DateTimeField(_("last activity"), default=timezone.now)

    class Meta:
        verbose_name = _("consultation thread")
        verbose_name_plural = _("consultation threads")
        ordering = ["-pinned", "-last_activity", "-pk"]
        indexes = [models.Index(fields=["hub", "-pinned", "-last_activity"])]

    def __str__(self):
        return self.title

    @property
    def is_resolved(self):
        return self.state == self.State.RESOLVED


class Message(models.Model):
    """One contribution to a thread. `html` is rendered and sanitised once, on write."""

    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="messages")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="thread_messages",
    )
    body = models.TextField(_("message"), max_length=BODY_MAX_LENGTH)
    html = models.TextField(editable=False)
    client_id = models.UUIDField(null=True, blank=True, editable=False)
    created = models.DateTimeField(_("created"), default=timezone.now)
    edited = models.DateTimeField(_("edited"), null=True, blank=True)
    hidden = models.BooleanField(_("hidden"), default=False)
    hidden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    hidden_reason = models.TextField(_("reason for hiding"), blank=True, max_length=2000)
    hidden_at = models.DateTimeField(null=True, blank=True)
    deleted = models.BooleanField(_("deleted by its author"), default=False)
    deleted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["author", "client_id"],
                condition=Q(client_id__isnull=False),
                name="message_client_id_unique_per_author",
            ),
        ]
        indexes = [models.Index(fields=["thread", "id"])]

    def __str__(self):
        return f"message {self.pk} in thread {self.thread_id}"


class Report(models.Model):
    """A member flags a message for the hub's coordinators."""

    class State(models.TextChoices):
        OPEN = "open", _("Open")
        HIDDEN = "hidden", _("Resolved: message hidden")
        DISMISSED = "dismissed", _("Resolved: dismissed")

    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="reports")
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="message_reports",
    )
    reason = models.TextField(_("reason"), max_length=2000)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.OPEN)
    created = models.DateTimeField(_("reported"), default=timezone.now)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        ordering = ["created", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["message", "reporter"],
                condition=Q(state="open"),
                name="one_open_report_per_reporter_and_message",
            ),
        ]

    def __str__(self):
        return f"report {self.pk} on {self.message}"


class ThreadReadState(models.Model):
    """How far a member has read a thread: the unread counts on the hub page."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="thread_read_states"
    )
    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="read_states")
    last_read_message_id = models.BigIntegerField(default=0)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "thread"], name="one_read_state_per_thread"),
        ]

    def __str__(self):
        return f"{self.user_id} read {self.thread_id} up to {self.last_read_message_id}"
