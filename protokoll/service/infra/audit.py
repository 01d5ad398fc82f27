"""The audit log: every AI step and every human action, append-only and tamper-evident.

Each entry stores the SHA-256 of its own content together with the hash of the
entry before it, so changing, inserting or removing an entry breaks the chain
from there on; `verify` walks the chain and names the first broken entry. The
database refuses UPDATE and DELETE on the table (triggers, migration 0002), and
no code path here changes or deletes entries.

Appends from the web process and the workers are serialised by the one-row
table `audit_head`: an append first updates that row, which takes the write
lock (SQLite) or the row lock (PostgreSQL) until the transaction ends. An entry
is written in the same transaction as the change it records, so there is no
change without its entry and no entry without its change.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from protokoll.service.infra.tables import AuditEntry, AuditHead, User, utcnow

GENESIS = "0" * 64
KINDS = ("ai", "human", "system")


def canonical(data: Any) -> str:
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def entry_hash(
    *,
    seq: int,
    at: dt.datetime,
    kind: str,
    action: str,
    actor_id: int | None,
    actor: str,
    meeting_id: str | None,
    job_id: str | None,
    details: str,
    prev_hash: str,
) -> str:
    content = canonical(
        {
            "seq": seq,
            "at": at.astimezone(dt.UTC).isoformat(timespec="microseconds"),
            "kind": kind,
            "action": action,
            "actor_id": actor_id,
            "actor": actor,
            "meeting_id": meeting_id,
            "job_id": job_id,
            "details": details,
            "prev_hash": prev_hash,
        }
    )
    return hashlib.sha256(content.encode()).hexdigest()


def record(
    s: Session,
    action: str,
    *,
    kind: str = "human",
    user: User | None = None,
    actor: str | None = None,
    meeting_id: str | None = None,
    job_id: str | None = None,
    details: dict[str, Any] | None = None,
) -> AuditEntry:
    """Append one entry in the caller's transaction."""
    if kind not in KINDS:
        raise ValueError(f"unknown audit kind {kind!r}")
    s.flush()
    # the UPDATE takes the lock that serialises appends until this transaction ends
    s.execute(
        update(AuditHead)
        .where(AuditHead.id == 1)
        .values(seq=AuditHead.seq + 1)
        .execution_options(synchronize_session=False)
    )
    head = s.execute(select(AuditHead.seq, AuditHead.hash).where(AuditHead.id == 1)).one()
    seq, prev = int(head.seq), str(head.hash)
    at = utcnow()
    body = canonical(details or {})
    name = actor or (user.username if user is not None else "system")
    digest = entry_hash(
        seq=seq, at=at, kind=kind, action=action, actor_id=user.id if user else None,
        actor=name, meeting_id=meeting_id, job_id=job_id, details=body, prev_hash=prev,
    )  # fmt: skip
    entry = AuditEntry(
        seq=seq, at=at, kind=kind, action=action, actor_id=user.id if user else None,
        actor=name, meeting_id=meeting_id, job_id=job_id, details=body, prev_hash=prev,
        hash=digest,
    )  # fmt: skip
    s.add(entry)
    s.execute(
        update(AuditHead)
        .where(AuditHead.id == 1)
        .values(hash=digest)
        .execution_options(synchronize_session=False)
    )
    s.flush()
    return entry


@dataclass(frozen=True)
class Verification:
    ok: bool
    entries: int
    first_broken: int | None = None  # seq of the first entry that does not verify
    reason: str = ""

    def message(self) -> str:
        if self.ok:
            return f"Protokollkette in Ordnung: {self.entries} Einträge geprüft."
        return (
            f"Protokollkette UNTERBROCHEN bei Eintrag {self.first_broken}: {self.reason} "
            f"({self.entries} Einträge davor sind in Ordnung)."
        )


def verify(s: Session, batch: int = 5000) -> Verification:
    """Walk the chain in order; the first entry whose content, link or number is wrong."""
    prev, expected_seq, checked = GENESIS, 1, 0
    last_seq = 0
    while True:
        query = select(AuditEntry).where(AuditEntry.seq > last_seq)
        rows = s.scalars(query.order_by(AuditEntry.seq).limit(batch)).all()
        if not rows:
            break
        for e in rows:
            if e.seq != expected_seq:
                return Verification(
                    False, checked, expected_seq,
                    f"Eintrag {expected_seq} fehlt (nächster vorhandener: {e.seq}).",
                )  # fmt: skip
            if e.prev_hash != prev:
                return Verification(
                    False, checked, e.seq, "Verweis auf den vorigen Eintrag stimmt nicht."
                )
            digest = entry_hash(
                seq=e.seq, at=e.at, kind=e.kind, action=e.action, actor_id=e.actor_id,
                actor=e.actor, meeting_id=e.meeting_id, job_id=e.job_id, details=e.details,
                prev_hash=e.prev_hash,
            )  # fmt: skip
            if digest != e.hash:
                return Verification(False, checked, e.seq, "Inhalt wurde nachträglich verändert.")
            prev, expected_seq, checked = e.hash, e.seq + 1, checked + 1
            last_seq = e.seq
    head = s.execute(select(AuditHead.seq, AuditHead.hash).where(AuditHead.id == 1)).one()
    if int(head.seq) != checked or (checked and head.hash != prev):
        return Verification(
            False, checked, checked + 1 if int(head.seq) > checked else int(head.seq),
            "Die letzten Einträge fehlen (der Kettenkopf verweist auf spätere).",
        )  # fmt: skip
    return Verification(True, checked)


def entry_view(e: AuditEntry) -> dict[str, Any]:
    return {
        "seq": e.seq,
        "at": e.at.isoformat(),
        "kind": e.kind,
        "action": e.action,
        "actor": e.actor,
        "actor_id": e.actor_id,
        "meeting_id": e.meeting_id,
        "job_id": e.job_id,
        "details": json.loads(e.details),
        "hash": e.hash,
        "prev_hash": e.prev_hash,
    }
