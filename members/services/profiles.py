"""Profile edits."""

from django.db import transaction

from ..models import Expertise, Profile, SpokenLanguage
from ..names import display_name_clean
from ..timezones import forget_time_zone

PROFILE_FIELDS = (
    "organisation",
    "organisation_type",
    "city",
    "country",
    "preferred_language",
    "time_zone",
    "position",
    "bio",
    "available_for_advice",
    "visibility",
)


@transaction.atomic
def profile_update(
    *,
    user,
    name: str,
    expertise: list[str],
    languages: list[str],
    **fields,
) -> Profile:
    """Save USER's display NAME, profile FIELDS, EXPERTISE (thematic field codes) and
    LANGUAGES spoken (codes). Values come validated from the profile form; the name is
    checked here too (`members.names`), whoever calls."""
    unknown = set(fields) - set(PROFILE_FIELDS)
    if unknown:
        raise TypeError(f"not profile fields: {sorted(unknown)}")
    name = display_name_clean(name)
    if user.name != name:
        user.name = name
        user.save(update_fields=["name"])
    profile, _created = Profile.objects.get_or_create(user=user, defaults=fields)
    changed = [field for field, value in fields.items() if getattr(profile, field) != value]
    for field in changed:
        setattr(profile, field, fields[field])
    if changed:
        profile.save(update_fields=[*changed, "updated"])
    forget_time_zone(user)
    _replace(profile, Expertise, "theme", set(expertise))
    _replace(profile, SpokenLanguage, "language", set(languages))
    return profile


def _replace(profile, model, field, wanted):
    existing = set(model.objects.filter(profile=profile).values_list(field, flat=True))
    model.objects.filter(profile=profile, **{f"{field}__in": existing - wanted}).delete()
    model.objects.bulk_create([model(profile=profile, **{field: v}) for v in wanted - existing])
