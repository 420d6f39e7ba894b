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
    `erase(user)` runs inside the deletion transaction, before the user row goes."""
    _sources[key] = PersonalDataSource(key=key, export=export, erase=erase, models=models)


def sources() -> list[PersonalDataSource]:
    return list(_sources.values())


def covered_models() -> set[str]:
    return {label for source in _sources.values() for label in source.models}
