"""One entry point for every register target: `build_export(target, …)`.

- `de`: the German entry in this project's own schema (`export.py`), plus the KI-Steckbrief;
- `nl`: the Dutch Algoritmeregister v1.0 (`algoritmeregister.py`), in Dutch;
- `uk`: the UK ATRS v4.0 (`atrs.py`), in English.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from protokoll.config import Settings
from protokoll.modelstore import ModelEntry
from protokoll.register import algoritmeregister, atrs
from protokoll.register.export import (
    build_register_entry,
    load_manifest_leniently,
    tool_models,
    validate_register_entry,
)
from protokoll.register.figures import RegisterFigures
from protokoll.register.report import RegisterExport
from protokoll.register.standards import RegisterError

TARGETS = ("de", "nl", "uk")
TARGET_NAMES = {
    "de": "KI-Register (deutsch, eigenes Schema) und KI-Steckbrief",
    "nl": "Algoritmeregister (Niederlande), Standard v1.0, auf Niederländisch",
    "uk": "Algorithmic Transparency Recording Standard (Vereinigtes Königreich) v4.0, auf Englisch",
}


def build_export(
    target: str,
    settings: Settings,
    figures: RegisterFigures,
    *,
    generated_at: datetime,
    manifest: Mapping[str, ModelEntry] | None = None,
) -> RegisterExport:
    """The target's register data, checked against its schema, with the German report.
    `RegisterError` (German) when a required value is missing or the data fails the schema."""
    if target not in TARGETS:
        raise RegisterError(f"Unbekanntes Registerziel „{target}“; möglich: {', '.join(TARGETS)}.")
    if manifest is None:
        manifest = load_manifest_leniently(settings)
    if target == "de":
        entry = build_register_entry(
            settings, figures, generated_at=generated_at, manifest=manifest
        )
        validate_register_entry(entry)
        missing = [f"[ai_register] {key}" for key in entry["fehlende_angaben"]]
        return RegisterExport("de", entry, missing, list(entry["hinweise"]))
    models = tool_models(settings, figures, manifest)
    builder = algoritmeregister if target == "nl" else atrs
    return builder.build(settings, figures, models)
