"""The AI-register entry from the service's own database: its audit log and its settings.

`protokoll.register` builds the entry from audit entries and settings it is given; this
module reads those entries (and checks the hash chain) and hands them over.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import inspect, select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from protokoll.config import Settings
from protokoll.register.figures import BATCH, RegisterFigures, register_figures
from protokoll.register.report import RegisterExport
from protokoll.register.standards import RegisterError
from protokoll.register.targets import TARGET_NAMES, TARGETS, build_export
from protokoll.service.infra import audit
from protokoll.service.infra.db import Database, database_url, make_engine, open_database
from protokoll.service.infra.tables import DEFAULT_MUNICIPALITY, AuditEntry


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
