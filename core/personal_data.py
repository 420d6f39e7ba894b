"""The registry of personal data.

Every app that stores data about a person registers it here: what the data export
(GDPR Art. 15/20) shows and what account deletion erases. A test checks that every model
pointing at the user model is covered, so a new one cannot be forgotten silently.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class PersonalDataSource:
    key: str
    export: Callable[[Any], Any]
    erase: Callable[[Any], None] | None = None
    models: tuple[str, ...] = field(default_factory=tuple)


_sources: dict[str, PersonalDataSource] = {}


def register(
    key: str,
    *,
    export: Callable[[Any], Any],
    erase: Callable[[Any], None] | None = None,
    models: tuple[str, ...] = (),
) -> None:
    """Register a source. `models` are the "app_label.ModelName" labels it covers;
    `erase(user)` runs inside the deletion transaction, before the user row goes. A key
    registered twice is a programming error: one source would silently replace another."""
    if key in _sources:
        raise ValueError(f"personal-data source {key!r} is registered twice")
    _sources[key] = PersonalDataSource(key=key, export=export, erase=erase, models=models)


def sources() -> list[PersonalDataSource]:
    return list(_sources.values())


def covered_models() -> set[str]:
    return {label for source in _sources.values() for label in source.models}


def export_all(user) -> dict[str, Any]:
    """{source key: what it exports} for USER: the data export (GDPR Art. 15/20)."""
    return {source.key: source.export(user) for source in sources()}


def erase_all(user) -> None:
    """Run every source's erase(USER) (inside the deletion transaction)."""
    for source in sources():
        if source.erase is not None:
            source.erase(user)


# Apps whose models must all be covered by a registered source when they relate to the user.
OUR_APPS = (
    "core",
    "members",
    "hubs",
    "goodpractices",
    "calls",
    "events",
    "notifications",
    "search",
)

# Third-party models that relate to the user and are deliberately NOT in the export, each with
# the reason. Everything relating to the user is still removed or unlinked on deletion by the
# foreign key's on_delete (CASCADE or SET_NULL), which the deletion test checks.
EXEMPTIONS = {
    # Derived from hub memberships (exported under "memberships"); deleted with the user.
    "guardian.UserObjectPermission": "object permissions mirror the memberships",
    # Editorial work belongs to the organisation that publishes it; the link to the person is
    # set to NULL when the account is deleted.
    "wagtailcore.Page": "editorial work; owner/locked_by set to NULL on deletion",
    "wagtailcore.Revision": "editorial work; user set to NULL on deletion",
    "wagtailcore.WorkflowState": "editorial workflow; requested_by set to NULL on deletion",
    "wagtailcore.TaskState": "editorial workflow; finished_by set to NULL on deletion",
    "wagtailimages.Image": "editorial media; uploaded_by_user set to NULL on deletion",
    "wagtaildocs.Document": "editorial media; uploaded_by_user set to NULL on deletion",
    "wagtailcore.UploadedFile": "temporary upload; uploaded_by_user set to NULL on deletion",
    # Transient editor state and credentials: no content about the person; deleted with them.
    "wagtailadmin.EditingSession": "who is editing a page right now; deleted with the user",
    "wagtailadmin.FormState": "unsaved admin form state; deleted with the user",
    "wagtailcore.APIToken": "an access credential, never exported; deleted with the user",
    "wagtailcore.PageSubscription": "comment notification switch; deleted with the user",
    # Translation memory: editorial work, like the pages it translates.
    "wagtail_localize.StringTranslation": "translated strings; last_translated_by set to NULL",
    "wagtail_localize.SegmentOverride": "translation overrides; last_translated_by set to NULL",
}
