"""What a register export hands back: the data for the target's file, and the German
report for whoever publishes it (missing settings and texts, notes)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from protokoll.config import Settings
from protokoll.register.export import NOT_GIVEN, GivenSettings
from protokoll.register.standards import STANDARD_NAMES, RegisterError
from protokoll.register.texts import Texts

FILE_NAMES = {
    "de": "ki-register.de.json",
    "nl": "algoritmeregister.nl.json",
    "uk": "atrs.uk.json",
}


@dataclass
class RegisterExport:
    target: str  # "de", "nl" or "uk"
    data: dict[str, Any]
    missing: list[str] = field(
        default_factory=list
    )  # settings to fill in, e.g. "[ai_register] team"
    hints: list[str] = field(default_factory=list)  # German notes

    @property
    def file_name(self) -> str:
        return FILE_NAMES[self.target]

    @property
    def standard(self) -> str:
        return STANDARD_NAMES[self.target]

    def summary(self) -> dict[str, Any]:
        """For the API and the register page: what was built and what is missing."""
        return {
            "ziel": self.target,
            "standard": self.standard,
            "dateiname": self.file_name,
            "fehlende_angaben": list(self.missing),
            "hinweise": list(self.hints),
        }


class Collector:
    """Collects, while an export is built, what is missing: a required value stops the
    export (`check`), an optional one is only reported."""

    def __init__(self, target: str) -> None:
        self.target = target
        self.required: list[str] = []
        self.optional: list[str] = []
        self.hints: list[str] = []

    def need(self, value: Any, setting: str) -> Any:
        if value is None or value == "":
            self.required.append(setting)
        return value

    def want(self, value: Any, setting: str) -> Any:
        if value is None or value == "":
            self.optional.append(setting)
        return value

    def check(self) -> None:
        if self.required:
            raise RegisterError(
                f"Der Eintrag für {STANDARD_NAMES[self.target]} lässt sich nicht erstellen, es "
                f"fehlen Pflichtangaben in der Konfiguration: {', '.join(self.required)}. Ein "
                "Eintrag ohne sie würde das Register zurückweisen."
            )

    def export(self, data: dict[str, Any]) -> RegisterExport:
        return RegisterExport(self.target, data, list(self.optional), list(self.hints))


def compact(data: dict[str, Any]) -> dict[str, Any]:
    """`data` without the keys whose value is None or empty (left out, not sent empty)."""
    return {k: v for k, v in data.items() if v not in (None, "", [])}


def given_value(value: str | None) -> str | None:
    """A checked `[ai_register]` value, or None where it is empty or unusable."""
    return None if value in (None, "", NOT_GIVEN) else value


def start(
    settings: Settings, target: str, language: str, overridable: tuple[str, ...]
) -> tuple[GivenSettings, Texts, Collector]:
    """What every non-German export begins with: the checked settings, the texts of its
    language (an unknown text key is a German error) and an empty report."""
    given = GivenSettings(settings)
    texts = Texts(settings, language, admin_only=overridable)
    unknown = texts.unknown_keys()
    if unknown:
        raise RegisterError(
            f"[ai_register.texts.{language}]: unbekannte Felder {', '.join(unknown)}; bekannt "
            f"sind: {', '.join(texts.known_keys())}."
        )
    out = Collector(target)
    out.hints += given.notes
    return given, texts, out
