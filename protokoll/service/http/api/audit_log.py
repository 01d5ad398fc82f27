"""The audit log (`/api/audit`, admins only): read the entries of the hash-chained log of AI
steps and human actions (those of the admin's own municipality), as JSON or as a CSV file
(`/api/audit.csv`, German column headers, newest first), filtered by meeting, person,
kind and action; and verify the chain (the whole installation's: the district
administrator, or the admin of a single-municipality installation)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated, Any

from fastapi import APIRouter, Query
from fastapi.responses import StreamingResponse
from sqlalchemy import select

from protokoll.service.http.api.common import attachment
from protokoll.service.http.deps import MAX_DB_INT, CtxDep, DbDep, UserDep
from protokoll.service.infra import audit
from protokoll.service.infra.tables import DEFAULT_MUNICIPALITY as DEFAULT
from protokoll.service.infra.tables import AuditEntry, User, utcnow
from protokoll.service.usecases import access, accounts
from protokoll.service.usecases.audit_log import AuditFilter, csv_lines, record_export

router = APIRouter(prefix="/api", tags=["Protokollkette"])

MeetingQuery = Annotated[str, Query(max_length=32, description="nur Einträge dieser Sitzung")]
ActorQuery = Annotated[str, Query(max_length=200, description="nur Einträge dieser Person")]
KindQuery = Annotated[
    str, Query(max_length=10, description="nur Einträge dieser Art: ai, human, system")
]
ActionQuery = Annotated[
    str, Query(max_length=60, description="nur Einträge dieser Aktion, z. B. user.changed")
]


@router.get("/audit")
def list_audit(
    user: UserDep,
    s: DbDep,
    after: Annotated[
        int, Query(ge=0, le=MAX_DB_INT, description="nur Einträge nach dieser Nummer")
    ] = 0,
    limit: Annotated[int, Query(ge=1, le=1000)] = 200,
    meeting_id: MeetingQuery = "",
    actor: ActorQuery = "",
    kind: KindQuery = "",
    action: ActionQuery = "",
) -> list[Any]:
    """Einträge des Prüfprotokolls (KI-Schritte und menschliche Handlungen), aufsteigend."""
    accounts.require_admin(user)
    flt = AuditFilter(meeting_id, actor, kind, action)
    query = select(AuditEntry).where(AuditEntry.seq > after, *flt.conditions(user.municipality_id))
    return [audit.entry_view(e) for e in s.scalars(query.order_by(AuditEntry.seq).limit(limit))]


@router.get("/audit.csv", response_class=StreamingResponse)
def export_audit(
    ctx: CtxDep,
    user: UserDep,
    s: DbDep,
    meeting_id: MeetingQuery = "",
    actor: ActorQuery = "",
    kind: KindQuery = "",
    action: ActionQuery = "",
) -> StreamingResponse:
    """Das Prüfprotokoll der eigenen Kommune als CSV-Datei (Semikolon, UTF-8, deutsche
    Spaltenköpfe), neueste Einträge zuerst, mit denselben Filtern wie `/api/audit`. Der
    Export selbst wird protokolliert."""
    flt = AuditFilter(meeting_id, actor, kind, action)
    record_export(s, user, flt)
    s.commit()
    admin_id = user.id

    def lines() -> Iterator[str]:
        # its own session: the response is written after the request's session has ended
        with ctx.db.session() as own:
            admin = own.get(User, admin_id)
            assert admin is not None
            yield from csv_lines(own, admin, flt)

    name = f"pruefprotokoll_{utcnow().astimezone().strftime('%Y-%m-%d')}.csv"
    return StreamingResponse(
        lines(), media_type="text/csv; charset=utf-8", headers=attachment(name)
    )


@router.get("/audit/verify")
def verify_audit(user: UserDep, s: DbDep) -> dict[str, Any]:
    """Die Hash-Kette prüfen (mit Schlüssel und Ankern außerhalb der Datenbank); nennt den
    ersten veränderten, fehlenden oder falschen Eintrag. Hält die Kette, wird ihr Kopf
    als neuer Anker festgehalten."""
    access.require(
        user.has("kreisadmin") or (user.has("admin") and user.municipality_id == DEFAULT),
        "Die Kette der ganzen Installation prüft die Kreisverwaltung (oder die Verwaltung "
        "einer Installation für eine Kommune).",
    )
    result = audit.seal(s)
    return {
        "ok": result.ok,
        "entries": result.entries,
        "first_broken": result.first_broken,
        "head": {"seq": result.head_seq, "hash": result.head_hash} if result.ok else None,
        "keyed": result.keyed,
        "anchors": result.anchors,
        "message": result.message(),
    }
