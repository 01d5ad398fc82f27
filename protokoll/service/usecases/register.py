"""The AI-register entry from the service's own database: its audit log and its settings.

`protokoll.register` builds the entry from audit entries and settings it is given; this
module reads those entries (and checks the hash chain) and hands them over. A
municipality's administrator sets its register fields here as well (stored as the
municipality's own `ai_register` settings; config.toml stays the installation's default).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any, get_args

from sqlalchemy import inspect, select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from protokoll.config import (
    THEMES,
    PublicationCategory,
    Region,
    RegisterSettings,
    Settings,
    Status,
)
from protokoll.errors import InputError
from protokoll.register.figures import BATCH, RegisterFigures, register_figures
from protokoll.register.report import RegisterExport
from protokoll.register.standards import RegisterError
from protokoll.register.targets import TARGET_NAMES, TARGETS, build_export
from protokoll.service.context import ServiceContext
from protokoll.service.infra import audit, tenancy
from protokoll.service.infra.db import Database, database_url, make_engine, open_database
from protokoll.service.infra.tables import DEFAULT_MUNICIPALITY, AuditEntry, User, utcnow
from protokoll.service.usecases import accounts, municipalities


def _audit_entries(
    session: Session, municipality_id: str, batch: int = BATCH
) -> Iterator[dict[str, Any]]:
    """The municipality's audit entries as `audit.entry_view` gives them, in `seq` order,
    `batch` at a time."""
    last = 0
    while True:
        query = (
            select(AuditEntry)
            .where(AuditEntry.seq > last, audit.of_municipality(municipality_id))
            .order_by(AuditEntry.seq)
        )
        rows = session.scalars(query.limit(batch)).all()
        if not rows:
            return
        for row in rows:
            yield audit.entry_view(row)
        last = rows[-1].seq


def figures_from_db(
    session: Session,
    *,
    municipality_id: str = DEFAULT_MUNICIPALITY,
    since: datetime | None = None,
    batch: int = BATCH,
) -> RegisterFigures:
    """The municipality's figures from the service database (its own entries only), with
    the result of the audit-chain check."""
    chain_ok = audit.verify(session, batch=batch).ok
    entries = _audit_entries(session, municipality_id, batch)
    return register_figures(entries, chain_ok=chain_ok, since=since)


def register_export_from_db(
    session: Session,
    settings: Settings,
    target: str = "de",
    *,
    municipality_id: str = DEFAULT_MUNICIPALITY,
    now: datetime | None = None,
    since: datetime | None = None,
) -> RegisterExport:
    """Figures from the municipality's audit entries, the target's export built from them
    and validated (`RegisterError`, German, when it cannot be). `settings` are the
    municipality's."""
    figures = figures_from_db(session, municipality_id=municipality_id, since=since)
    return build_export(target, settings, figures, generated_at=now or datetime.now(UTC))


@dataclass(frozen=True)
class TargetState:
    """One register target on the admin's page: its export, or why there is none."""

    target: str
    name: str
    export: RegisterExport | None
    problem: str | None


def register_overview(
    session: Session,
    settings: Settings,
    *,
    municipality_id: str = DEFAULT_MUNICIPALITY,
    now: datetime | None = None,
) -> list[TargetState]:
    """Every target's export from one reading of the municipality's audit entries."""
    figures = figures_from_db(session, municipality_id=municipality_id)
    states = []
    for target in TARGETS:
        try:
            export = build_export(target, settings, figures, generated_at=now or datetime.now(UTC))
        except RegisterError as exc:
            states.append(TargetState(target, TARGET_NAMES[target], None, str(exc)))
        else:
            states.append(TargetState(target, TARGET_NAMES[target], export, None))
    return states


def register_entry_from_db(
    session: Session,
    settings: Settings,
    *,
    municipality_id: str = DEFAULT_MUNICIPALITY,
    now: datetime | None = None,
    since: datetime | None = None,
) -> dict[str, Any]:
    """The German entry (own schema; the KI-Steckbrief is written from it)."""
    export = register_export_from_db(
        session, settings, "de", municipality_id=municipality_id, now=now, since=since
    )
    return export.data


def existing_database(settings: Settings, *, base: Path | None = None) -> Database:
    """The service database, only if it exists and has the audit log: the export neither
    creates nor migrates one. `RegisterError` (German) otherwise."""
    data_dir = settings.service.data_dir
    if not data_dir.is_absolute():
        data_dir = (base or Path.cwd()) / data_dir
    url = database_url(settings.service.database_url, data_dir)
    hint = (
        "Es wurde noch nichts verarbeitet: bitte zuerst den Dienst starten (protokoll serve) "
        "oder in der Konfiguration service.data_dir bzw. service.database_url prüfen."
    )
    if not settings.service.database_url and not (data_dir / "protokoll.db").is_file():
        raise RegisterError(f"Die Datenbank {data_dir / 'protokoll.db'} gibt es noch nicht. {hint}")
    engine = make_engine(url)
    try:
        has_log = inspect(engine).has_table("audit_log")
    except SQLAlchemyError as exc:
        engine.dispose()
        raise RegisterError(
            f"Die Datenbank ist nicht erreichbar ({exc.__class__.__name__}). {hint}"
        ) from None
    if not has_log:
        engine.dispose()
        raise RegisterError(f"Die Datenbank enthält noch kein Prüfprotokoll. {hint}")
    return open_database(settings, data_dir, engine)


# ---- the municipality's own register settings (its administrator, in the web) -------------

# the `[ai_register]` fields the administrator sets on the register page; `texts` (the
# Dutch and English texts by field) stay in config.toml or the district's settings
EDITABLE_FIELDS = (
    "organization", "department", "contact_email", "website", "purpose", "legal_basis",
    "dpia_url", "status", "begin_date", "themes", "publication_category", "region",
)  # fmt: skip
TEXT_MAX_CHARS = 2000
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
CHOICES: dict[str, tuple[str, ...]] = {
    "status": get_args(Status),
    "publication_category": get_args(PublicationCategory),
    "region": get_args(Region),
}


def register_settings_of(ctx: ServiceContext, s: Session, admin: User) -> RegisterSettings:
    """The `[ai_register]` settings that hold for the admin's municipality."""
    accounts.require_admin(admin)
    assert admin.municipality_id is not None  # require_admin
    return ctx.for_municipality(admin.municipality_id, s).settings.ai_register


def update_register_settings(
    ctx: ServiceContext, s: Session, admin: User, values: Mapping[str, Any]
) -> RegisterSettings:
    """The admin sets the register fields of their municipality (`values`: some of
    `EDITABLE_FIELDS`; those not given stay). They are stored as the municipality's own
    settings where they differ from the installation's (config.toml stays the default);
    InputError (German) for an invalid value. Audited with the changed fields."""
    accounts.require_admin(admin)
    key = admin.municipality_id
    assert key is not None  # require_admin
    unknown = sorted(set(values) - set(EDITABLE_FIELDS))
    if unknown:
        raise InputError(f"Diese Angaben gibt es im KI-Register nicht: {', '.join(unknown)}.")
    cleaned = {name: _checked(name, value) for name, value in values.items()}
    installation = ctx.installation or ctx
    default = installation.settings.ai_register.model_dump(mode="json")
    found = municipalities.get(s, key)
    overrides: dict[str, Any] = dict(found.settings or {})
    before = register_settings_of(ctx, s, admin).model_dump(mode="json")
    own = dict(overrides.get("ai_register") or {})
    for name, value in cleaned.items():
        if value == default.get(name):
            own.pop(name, None)  # the installation's value again: follow config.toml
        else:
            own[name] = value
    if own:
        overrides["ai_register"] = own
    else:
        overrides.pop("ai_register", None)
    root = installation.layout.tenant(key).root
    settings = tenancy.settings_for(installation.settings, overrides, root)
    changed = {name: value for name, value in cleaned.items() if before.get(name) != value}
    if changed:
        found.settings = overrides
        found.updated_at = utcnow()
        audit.record(
            s, "register.settings_changed", user=admin, municipality_id=key,
            details={"changed": changed},
        )  # fmt: skip
    return settings.ai_register


def _checked(name: str, value: Any) -> Any:
    """One field's value, trimmed and checked, with a German message naming the field."""
    label = FIELD_LABELS[name]
    if name == "themes":
        themes = [t for t in (value or []) if isinstance(t, str) and t]
        if not themes:
            raise InputError(f"„{label}“: bitte mindestens ein Thema wählen.")
        unknown = [t for t in themes if t not in THEMES]
        if unknown:
            raise InputError(f"„{label}“: unbekanntes Thema {', '.join(unknown)}.")
        return [t for t in THEMES if t in themes]
    if not isinstance(value, str):
        raise InputError(f"„{label}“: bitte als Text angeben.")
    text = value.strip()
    if len(text) > TEXT_MAX_CHARS:
        raise InputError(f"„{label}“ ist zu lang (höchstens {TEXT_MAX_CHARS} Zeichen).")
    if name in CHOICES:
        allowed = CHOICES[name]
        if text not in allowed:
            raise InputError(
                f"„{label}“: „{text}“ ist nicht vorgesehen; bitte einen dieser Werte wählen: "
                f"{', '.join(allowed)}."
            )
    elif not text:
        return text
    elif name == "contact_email" and not _EMAIL.fullmatch(text):
        raise InputError(
            f"„{label}“: „{text}“ ist keine E-Mail-Adresse; bitte z. B. ki@gemeinde.de angeben."
        )
    elif name in ("website", "dpia_url") and not text.startswith(("https://", "http://")):
        raise InputError(
            f"„{label}“: bitte eine vollständige Adresse angeben, die mit https:// beginnt."
        )
    elif name == "begin_date":
        try:
            date.fromisoformat(text)
        except ValueError:
            raise InputError(
                f"„{label}“: bitte ein Datum angeben, z. B. 2026-01-15 (angegeben: {text})."
            ) from None
    return text


FIELD_LABELS = {
    "organization": "Organisation",
    "department": "Organisationseinheit",
    "contact_email": "Kontakt (E-Mail)",
    "website": "Website",
    "purpose": "Zweck",
    "legal_basis": "Rechtsgrundlage",
    "dpia_url": "Datenschutz-Folgenabschätzung (Adresse)",
    "status": "Stand",
    "begin_date": "In Betrieb seit",
    "themes": "Themen",
    "publication_category": "Einstufung",
    "region": "Region (britisches Register)",
}
