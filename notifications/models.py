"""What members are told (Notification), what they follow (Follow), how they want to hear of
each kind (NotificationPreference), and the records that make mail and digests go out once
(MailThrottle, DigestSent)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    REPLY = "reply", _("Replies in threads I started or follow")
    MENTION = "mention", _("Mentions of me")
    ANSWER_ACCEPTED = "answer_accepted", _("My message accepted as the answer")
    MESSAGE_HIDDEN = "message_hidden", _("My message hidden by a coordinator")
    REPORT_OUTCOME = "report_outcome", _("The outcome of a report I filed")
    MEMBERSHIP_DECIDED = "membership_decided", _("Decisions on my join requests")
    SUSPENSION = "suspension", _("My suspension or reinstatement")
    NEW_THREAD = "new_thread", _("New threads in hubs I follow")
    JOIN_REQUEST = "join_request", _("New join requests (coordinators)")
    NEW_REPORT = "new_report", _("New reports (coordinators)")
    PROPOSAL_REVIEW = "proposal_review", _("Proposals waiting for my review (coordinators)")
    PROPOSAL_DECIDED = "proposal_decided", _("My proposal sent back or published")
    NEW_PRACTICE = "new_practice", _("New good practices in my thematic fields")


class Channel(models.TextChoices):
    APP = "app", _("In the site only")
    EMAIL = "email", _("Email at once")
    DAILY = "daily", _("Daily digest")
    WEEKLY = "weekly", _("Weekly digest")
    OFF = "off", _("Off")


# Direct things come by mail at once: what is said to me, and every decision about me or
# waiting for my decision; the hub's chatter waits for the daily digest, new practices in my
# fields for the weekly one. This app sends every such mail (hubs and goodpractices send none).
DEFAULT_CHANNELS = {
    Kind.REPLY: Channel.EMAIL,
    Kind.MENTION: Channel.EMAIL,
    Kind.ANSWER_ACCEPTED: Channel.EMAIL,
    Kind.MESSAGE_HIDDEN: Channel.EMAIL,
    Kind.REPORT_OUTCOME: Channel.APP,
    Kind.MEMBERSHIP_DECIDED: Channel.EMAIL,
    Kind.SUSPENSION: Channel.EMAIL,
    Kind.NEW_THREAD: Channel.DAILY,
    Kind.JOIN_REQUEST: Channel.EMAIL,
    Kind.NEW_REPORT: Channel.EMAIL,
    Kind.PROPOSAL_REVIEW: Channel.EMAIL,
    Kind.PROPOSAL_DECIDED: Channel.EMAIL,
    Kind.NEW_PRACTICE: Channel.WEEKLY,
}

# Kinds about a hub's content: withdrawn (while unread) when the person loses access.
CONTENT_KINDS = frozenset(
    {
        Kind.REPLY,
        Kind.MENTION,
        Kind.ANSWER_ACCEPTED,
        Kind.MESSAGE_HIDDEN,
        Kind.REPORT_OUTCOME,
        Kind.NEW_THREAD,
        Kind.JOIN_REQUEST,
        Kind.NEW_REPORT,
    }
)
# Kinds that collect into one unread entry per thread (replies) or hub (new threads).
GROUPED_KINDS = frozenset({Kind.REPLY, Kind.NEW_THREAD})


class Notification(models.Model):
    """One thing one member is told. Grouped kinds count up in one unread row ("10 new
    replies in …"); `message` is then the first of them, where the reader starts."""

    class MailState(models.TextChoices):
        NONE = "", _("no mail")
        PENDING = "pending", _("waiting to be mailed")
        SENT = "sent", _("mailed")

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    hub = models.ForeignKey("hubs.Hub", null=True, blank=True, on_delete=models.CASCADE)
    thread = models.ForeignKey("hubs.Thread", null=True, blank=True, on_delete=models.CASCADE)
    message = models.ForeignKey(
        "hubs.Message", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    page = models.ForeignKey(
        "wagtailcore.Page", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    # The outcome in a word (approved, rejected, suspended, hidden, dismissed, ...).
    outcome = models.CharField(max_length=20, blank=True)
    # Free text the person is shown: the coordinator's reason, the reviewer's comment.
    detail = models.TextField(blank=True, max_length=2000)
    count = models.PositiveIntegerField(default=1)
    created = models.DateTimeField(_("created"), default=timezone.now)
    updated = models.DateTimeField(_("updated"), default=timezone.now, db_index=True)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)
    mail_state = models.CharField(max_length=10, choices=MailState.choices, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-updated", "-pk"]
        indexes = [
            models.Index(fields=["recipient", "-updated"]),
            models.Index(
                fields=["recipient"], condition=Q(read_at__isnull=True), name="notif_unread"
            ),
        ]
        constraints = [
            # One unread group per thread (replies) and per hub (new threads).
            models.UniqueConstraint(
                fields=["recipient", "kind", "thread"],
                condition=Q(read_at__isnull=True, kind="reply"),
                name="one_unread_reply_group_per_thread",
            ),
            models.UniqueConstraint(
                fields=["recipient", "kind", "hub"],
                condition=Q(read_at__isnull=True, kind="new_thread"),
                name="one_unread_new_thread_group_per_hub",
            ),
        ]

    def __str__(self):
        return f"{self.kind} for {self.recipient_id}"

    @property
    def is_unread(self) -> bool:
        return self.read_at is None


class Follow(models.Model):
    """A member follows a thread (hears of replies) or a hub (hears of new threads). A
    muted thread tells nothing, not even mentions, and is not followed again by posting."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="follows"
    )
    thread = models.ForeignKey(
        "hubs.Thread", null=True, blank=True, on_delete=models.CASCADE, related_name="follows"
    )
    hub = models.ForeignKey(
        "hubs.Hub", null=True, blank=True, on_delete=models.CASCADE, related_name="follows"
    )
    muted = models.BooleanField(_("muted"), default=False)
    created = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("follow")
        verbose_name_plural = _("follows")
        constraints = [
            models.CheckConstraint(
                condition=Q(thread__isnull=False, hub__isnull=True)
                | Q(thread__isnull=True, hub__isnull=False),
                name="follow_thread_or_hub",
            ),
            models.UniqueConstraint(
                fields=["user", "thread"],
                condition=Q(thread__isnull=False),
                name="one_follow_per_thread",
            ),
            models.UniqueConstraint(
                fields=["user", "hub"], condition=Q(hub__isnull=False), name="one_follow_per_hub"
            ),
        ]

    def __str__(self):
        return f"{self.user_id} follows {self.thread_id or self.hub_id}"


class NotificationPreference(models.Model):
    """How a member wants to hear of one kind; no row: the default (DEFAULT_CHANNELS)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preferences"
    )
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")
        constraints = [
            models.UniqueConstraint(fields=["user", "kind"], name="one_preference_per_kind")
        ]

    def __str__(self):
        return f"{self.user_id} {self.kind}: {self.channel}"


class MailThrottle(models.Model):
    """When a member was last mailed about a thread: at most one mail per thread per
    window (NOTIFICATIONS_MAIL_WINDOW); what comes meanwhile waits and goes in one mail."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    thread = models.ForeignKey("hubs.Thread", on_delete=models.CASCADE, related_name="+")
    last_sent = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "thread"], name="one_throttle_per_thread")
        ]

    def __str__(self):
        return f"{self.user_id} mailed about {self.thread_id} at {self.last_sent}"


class DigestSent(models.Model):
    """A digest went to a member for one period (e.g. daily 2026-12-02, weekly 2026-W49).
    Written in the transaction that sends; the unique constraint makes a second run (a
    retry, a concurrent worker) find it done."""

    class Period(models.TextChoices):
        DAILY = "daily", _("daily")
        WEEKLY = "weekly", _("weekly")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="digests_sent"
    )
    period = models.CharField(max_length=10, choices=Period.choices)
    key = models.CharField(max_length=12)
    items = models.PositiveIntegerField(default=0)
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "period", "key"], name="one_digest_per_member_and_period"
            )
        ]

    def __str__(self):
        return f"{self.period} digest {self.key} for {self.user_id}"
