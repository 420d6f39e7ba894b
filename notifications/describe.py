"""One sentence for a notification, in the active language: the list, the mails and the
digests say the same thing."""

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .models import Kind


def describe(notification) -> str:
    n = notification
    actor = n.actor.name if n.actor_id and n.actor else _("Someone")
    thread = n.thread.title if n.thread_id and n.thread else ""
    hub = n.hub.name if n.hub_id and n.hub else ""
    page = n.page.title if n.page_id and n.page else ""
    values = {"actor": actor, "thread": thread, "hub": hub, "count": n.count, "page": page}
    if n.kind == Kind.REPLY:
        if n.count == 1:
            return _("%(actor)s replied in “%(thread)s”") % values
        return (
            ngettext(
                "%(count)d new reply in “%(thread)s”",
                "%(count)d new replies in “%(thread)s”",
                n.count,
            )
            % values
        )
    if n.kind == Kind.NEW_THREAD:
        if n.count == 1:
            return _("%(actor)s started “%(thread)s” in %(hub)s") % values
        return (
            ngettext("%(count)d new thread in %(hub)s", "%(count)d new threads in %(hub)s", n.count)
            % values
        )
    if n.kind == Kind.MENTION:
        return _("%(actor)s mentioned you in “%(thread)s”") % values
    if n.kind == Kind.ANSWER_ACCEPTED:
        return _("Your message in “%(thread)s” was accepted as the answer") % values
    if n.kind == Kind.MESSAGE_HIDDEN:
        return _("A coordinator hid your message in “%(thread)s”") % values
    if n.kind == Kind.REPORT_OUTCOME:
        if n.outcome == "hidden":
            return _("The message you reported in “%(thread)s” was hidden") % values
        return _("Your report in “%(thread)s” was reviewed and dismissed") % values
    if n.kind == Kind.MEMBERSHIP_DECIDED:
        if n.outcome == "approved":
            return _("Your request to join %(hub)s was approved") % values
        return _("Your request to join %(hub)s was declined") % values
    if n.kind == Kind.SUSPENSION:
        if n.outcome == "reinstated":
            return _("Your membership of %(hub)s was reinstated") % values
        return _("Your membership of %(hub)s was suspended") % values
    if n.kind == Kind.JOIN_REQUEST:
        return _("%(actor)s asks to join %(hub)s") % values
    if n.kind == Kind.NEW_REPORT:
        return _("%(actor)s reported a message in “%(thread)s”") % values
    if n.kind == Kind.PROPOSAL_REVIEW:
        return _("A proposed good practice, “%(page)s”, waits for your review") % values
    if n.kind == Kind.PROPOSAL_DECIDED:
        if n.outcome == "published":
            return _("Your proposed good practice was published") % values
        return _("Your proposed good practice was sent back") % values
    if n.kind == Kind.NEW_PRACTICE:
        return _("New good practice in your thematic fields: “%(page)s”") % values
    return str(Kind(n.kind).label)
