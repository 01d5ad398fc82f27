"""A municipality's settings: the installation's config.toml with the sections the
municipality sets for itself (its letterhead and template, review and retention rules,
register and OParl texts). See protokoll.service.usecases.municipalities."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from pydantic import ValidationError
from sqlalchemy.orm import Session

from protokoll.config import Settings, _deep_merge, _format_validation_error
from protokoll.errors import InputError
from protokoll.service.infra.tables import DEFAULT_MUNICIPALITY, Municipality

# the config.toml sections a municipality may set for itself
TENANT_SECTIONS = ("minutes", "review", "ai_register", "oparl")
# keys of those sections that stay the installation's (they steer the machines)
INSTALLATION_KEYS = {"minutes": ("enabled",)}


def settings_for(
    base: Settings, overrides: Mapping[str, Any], root: Path | None = None
) -> Settings:
    """The installation's settings with a municipality's overrides; InputError (German)
    for a section or key it may not set, or an invalid value. A relative template path
    lies in the municipality's folder `root`."""
    if not overrides:
        return base
    unknown = sorted(set(overrides) - set(TENANT_SECTIONS))
    if unknown:
        raise InputError(
            f"Diese Einstellungen legt die Installation fest, nicht die Kommune: "
            f"{', '.join(unknown)}. Je Kommune einstellbar: {', '.join(TENANT_SECTIONS)}."
        )
    for section, keys in INSTALLATION_KEYS.items():
        fixed = sorted(set(overrides.get(section) or {}) & set(keys))
        if fixed:
            raise InputError(
                f"„{section}.{fixed[0]}“ legt die Installation fest, nicht die Kommune."
            )
    own_minutes = dict(overrides.get("minutes") or {})
    template = own_minutes.get("template")
    if isinstance(template, str) and template and root is not None:
        own_minutes["template"] = str(root / template)  # relative: in its folder
        overrides = {**overrides, "minutes": own_minutes}
    try:
        return Settings.model_validate(_deep_merge(base.model_dump(), overrides))
    except ValidationError as exc:
        raise InputError(_format_validation_error(exc, "den Einstellungen der Kommune")) from None


def settings_of(s: Session, base: Settings, municipality_id: str, root: Path) -> Settings:
    """The settings that hold for the municipality's meetings."""
    found = s.get(Municipality, municipality_id)
    overrides: dict[str, Any] = dict((found.settings if found is not None else None) or {})
    own_review = dict(overrides.get("review") or {})
    installation_url = base.review.public_base_url.strip().rstrip("/")
    if municipality_id != DEFAULT_MUNICIPALITY and installation_url:
        # its public address (OParl ids, published files) lies below the installation's,
        # where the service answers for it (/kommunen/<key>/oparl/...), unless it has one
        own_review.setdefault("public_base_url", f"{installation_url}/kommunen/{municipality_id}")
        overrides["review"] = own_review
    return settings_for(base, overrides, root)
