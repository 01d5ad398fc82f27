"""The audit log (`/api/audit`, admins only): read the entries of the hash-chained log of AI
steps and human actions (those of the admin's own municipality), and verify the chain
(the whole installation's: the district administrator, or the admin of a single-
municipality installation)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query
from sqlalchemy import select

from protokoll.service.http.deps import MAX_DB_INT, DbDep, UserDep
from protokoll.service.infra import audit
from protokoll.service.infra.tables import DEFAULT_MUNICIPALITY as DEFAULT
from protokoll.service.infra.tables import AuditEntry
from protokoll.service.usecases import access, accounts

router = APIRouter(prefix="/api", tags=["Protokollkette"])


@router.get("/audit")
def list_audit(
    user: UserDep,
    s: DbDep,
    after: Annotated[
        int, Query(ge=0, le=MAX_DB_INT, description="nur Einträge nach dieser Nummer")
    ] = 0,
    limit: Annotated[int, Query(ge=1, le=1000)] = 200,
    meeting_id: str | None = None,
) -> list[Any]:
    """Einträge des Prüfprotokolls (KI-Schritte und menschliche Handlungen), aufsteigend."""
    accounts.require_admin(user)
    own = audit.of_municipality(user.municipality_id)
    query = select(AuditEntry).where(AuditEntry.seq > after, own)
    if meeting_id:
        query = query.where(AuditEntry.meeting_id == meeting_id)
    return [audit.entry_view(e) for e in s.scalars(query.order_by(AuditEntry.seq).limit(limit))]


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
