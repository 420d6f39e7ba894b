"""What the members app holds about a person (and the third-party apps it answers for), for
the data export and account deletion. Registered from `MembersConfig.ready`."""

from django.contrib.contenttypes.models import ContentType

from core import personal_data


def _iso(value):
    return value.isoformat() if value else None


# members ---------------------------------------------------------------------


def export_account(user):
    from allauth.account.models import EmailAddress

    from .models import Profile

    data = {
        "id": user.pk,
        "email": user.email,
        "name": user.name,
        "handle": user.handle,
        "date_joined": _iso(user.date_joined),
        "last_login": _iso(user.last_login),
        "is_active": user.is_active,
        "is_staff": user.is_staff,
        "groups": sorted(user.groups.values_list("name", flat=True)),
        "email_addresses": [
            {"email": address.email, "verified": address.verified, "primary": address.primary}
            for address in EmailAddress.objects.filter(user=user).order_by("pk")
        ],
        "profile": None,
    }
    profile = Profile.objects.filter(user=user).prefetch_related("expertise", "languages").first()
    if profile is not None:
        data["profile"] = {
            "organisation": profile.organisation,
            "organisation_type": profile.organisation_type,
            "city": profile.city,
            "country": str(profile.country),
            "preferred_language": profile.preferred_language,
            "time_zone": profile.time_zone,
            "position": profile.position,
            "bio": profile.bio,
            "expertise": [row.theme for row in profile.expertise.all()],
            "languages_spoken": [row.language for row in profile.languages.all()],
            "available_for_peer_advice": profile.available_for_advice,
            "visibility": profile.visibility,
            "updated": _iso(profile.updated),
        }
    return data


def export_consents(user):
    from .selectors import consent_history

    return [
        {
            "document": record.version.document,
            "version": record.version.number,
            "effective_date": _iso(record.version.effective_date),
            "language": record.language,
            "how": record.how,
            "when": _iso(record.created),
        }
        for record in consent_history(user)
    ]


def export_policy_publications(user):
    from .models import PolicyVersion

    return [
        {"document": v.document, "version": v.number, "published": _iso(v.published_at)}
        for v in PolicyVersion.objects.filter(published_by=user).order_by("published_at")
    ]


# third-party -------------------------------------------------------------------


def _user_content_type():
    from .models import User

    return ContentType.objects.get_for_model(User)


def export_admin_log(user):
    from django.contrib.admin.models import LogEntry

    return [
        {"when": _iso(entry.action_time), "object": entry.object_repr, "action": entry.action_flag}
        for entry in LogEntry.objects.filter(user=user).order_by("action_time")
    ]


def erase_admin_log(user):
    """Entries staff wrote about this account name the person (object_repr): delete them.
    The person's own entries go with the user row (CASCADE)."""
    from django.contrib.admin.models import LogEntry

    LogEntry.objects.filter(content_type=_user_content_type(), object_id=str(user.pk)).delete()


def export_wagtail_log(user):
    from wagtail.models import ModelLogEntry, PageLogEntry

    entries = []
    for model in (PageLogEntry, ModelLogEntry):
        for entry in model.objects.filter(user=user).order_by("timestamp"):
            entries.append(
                {"when": _iso(entry.timestamp), "action": entry.action, "object": entry.label}
            )
    return entries


def erase_wagtail_log(user):
    """Wagtail keeps its audit log when a user goes (no database constraint): unlink the
    person's entries and delete the entries about the account itself (they carry the
    name)."""
    from wagtail.models import ModelLogEntry, PageLogEntry

    ModelLogEntry.objects.filter(content_type=_user_content_type(), object_id=str(user.pk)).delete()
    for model in (PageLogEntry, ModelLogEntry):
        model.objects.filter(user=user).update(user=None)


def export_wagtail_profile(user):
    from wagtail.users.models import UserProfile

    profile = UserProfile.objects.filter(user=user).first()
    if profile is None:
        return None
    return {
        "preferred_language": profile.preferred_language,
        "current_time_zone": profile.current_time_zone,
        "submitted_notifications": profile.submitted_notifications,
        "approved_notifications": profile.approved_notifications,
        "rejected_notifications": profile.rejected_notifications,
        "updated_comments_notifications": profile.updated_comments_notifications,
    }


def export_wagtail_comments(user):
    from wagtail.models import Comment, CommentReply

    comments = [
        {"page": c.page_id, "text": c.text, "when": _iso(c.created_at)}
        for c in Comment.objects.filter(user=user).order_by("created_at")
    ]
    replies = [
        {"comment": r.comment_id, "text": r.text, "when": _iso(r.created_at)}
        for r in CommentReply.objects.filter(user=user).order_by("created_at")
    ]
    return {"comments": comments, "replies": replies}


def register() -> None:
    add = personal_data.register
    add(
        "account",
        export=export_account,
        models=(
            "members.User",
            "members.User_groups",
            "members.User_user_permissions",
            "members.Profile",
            "members.Expertise",
            "members.SpokenLanguage",
            "account.EmailAddress",
        ),
    )
    add("consents", export=export_consents, models=("members.ConsentRecord",))
    add(
        "policy_publications",
        export=export_policy_publications,
        models=("members.PolicyVersion",),
    )
    add("admin_log", export=export_admin_log, erase=erase_admin_log, models=("admin.LogEntry",))
    add(
        "wagtail_log",
        export=export_wagtail_log,
        erase=erase_wagtail_log,
        models=("wagtailcore.PageLogEntry", "wagtailcore.ModelLogEntry"),
    )
    add("wagtail_profile", export=export_wagtail_profile, models=("wagtailusers.UserProfile",))
    add(
        "wagtail_comments",
        export=export_wagtail_comments,
        models=("wagtailcore.Comment", "wagtailcore.CommentReply"),
    )
