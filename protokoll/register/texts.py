"""The register texts in the language each target requires.

protokoll ships its own texts about itself in English (`texts/eng.toml`, for the UK ATRS)
and Dutch (`texts/nld.toml`, for the Algoritmeregister); the German texts are in
`export.py`. An administrator replaces any field's text, per language, in the settings::

    [ai_register.texts.nld]
    lawful_basis = "Gemeentewet art. 19; Reglement van orde van de raad"
    goal = "…"

Keys are the target's field names. A field for which neither the administrator nor
protokoll has a text in the required language is reported by the export and left out;
it is never filled with a text in another language.
"""

from __future__ import annotations

import tomllib
from functools import cache
from pathlib import Path
from typing import Any

from protokoll.config import Settings

TEXTS_DIR = Path(__file__).with_name("texts")


@cache
def builtin_texts(language: str) -> dict[str, str]:
    """protokoll's own texts in `language` ("eng", "nld"), keyed as in the TOML file."""
    with (TEXTS_DIR / f"{language}.toml").open("rb") as fh:
        data: dict[str, str] = tomllib.load(fh)
    return data


class Texts:
    """The texts of one language: the administrator's (`[ai_register.texts.<language>]`)
    before protokoll's own. `admin_only` keys have no built-in text."""

    def __init__(self, settings: Settings, language: str, *, admin_only: tuple[str, ...]):
        self.language = language
        self.own = dict(settings.ai_register.texts.get(language, {}))
        self.builtin = builtin_texts(language)
        self.admin_only = admin_only

    def known_keys(self) -> list[str]:
        fields = [k for k in self.builtin if not k.startswith("_")]
        return sorted({*fields, *self.admin_only})

    def unknown_keys(self) -> list[str]:
        """Keys the administrator set that are no field of this target."""
        known = set(self.known_keys())
        return sorted(k for k in self.own if k not in known)

    def given(self, key: str) -> bool:
        return bool(self.own.get(key, "").strip())

    def own_or(self, key: str, built: str) -> str:
        """The administrator's text for `key`, else `built` (protokoll's, from figures)."""
        own = self.own.get(key, "").strip()
        return own or built

    def field(self, key: str, **values: Any) -> str | None:
        """A field's text: the administrator's verbatim, else protokoll's (its
        placeholders filled from `values`), else None (no text in this language)."""
        own = self.own.get(key, "").strip()
        if own:
            return own
        template = self.builtin.get(key) or self.builtin.get(f"_{key}")
        return template.format(**values) if template is not None else None

    def piece(self, key: str, **values: Any) -> str:
        """One of protokoll's text pieces (`_key`), placeholders filled from `values`."""
        return self.builtin[f"_{key}"].format(**values)
