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

Against someone who can write the database itself (triggers dropped), the chain is keyed
and anchored outside it (`audit_seal.py`): entries are HMAC'd with a key the database
does not hold, and the head is written to an append-only anchor file. `verify` states
what it checked and what it cannot prove.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, select, update
from sqlalchemy.orm import Session

from protokoll.service.infra.audit_seal import Anchor, AnchorFile, AuditKey
from protokoll.service.infra.tables import (
    DEFAULT_MUNICIPALITY,
    AuditEntry,
    AuditHead,
    Meeting,
    User,
    utcnow,
)

GENESIS = "0" * 64
# the municipality of entries by a district administrator (no municipality key has "_")
DISTRICT_SCOPE = "_kreis"
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
    key: AuditKey | None = None,
    municipality_id: str | None = None,
) -> str:
    """SHA-256 of the entry's content; HMAC-SHA256 under `key` from its `from_seq` on.
    The municipality is part of the content where the entry has one (entries written
    before municipalities existed have none and keep their hash)."""
    fields: dict[str, Any] = {
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
    if municipality_id is not None:
        fields["municipality_id"] = municipality_id
    content = canonical(fields)
    if key is not None and seq >= key.from_seq:
        return hmac.new(key.secret, content.encode(), hashlib.sha256).hexdigest()
    return hashlib.sha256(content.encode()).hexdigest()


def session_key(s: Session) -> AuditKey | None:
    key = s.info.get("audit_key")
    return key if isinstance(key, AuditKey) else None


def session_anchors(s: Session) -> AnchorFile | None:
    anchors = s.info.get("audit_anchors")
    return anchors if isinstance(anchors, AnchorFile) else None


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
    municipality_id: str | None = None,
) -> AuditEntry:
    """Append one entry in the caller's transaction. Its municipality: `municipality_id`,
    else the meeting's, else the user's (None: an installation-wide entry, such as a
    district administrator's)."""
    if kind not in KINDS:
        raise ValueError(f"unknown audit kind {kind!r}")
    s.flush()
    if municipality_id is None:
        municipality_id = _municipality_of(s, meeting_id, user)
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
        key=session_key(s), municipality_id=municipality_id,
    )  # fmt: skip
    entry = AuditEntry(
        seq=seq, at=at, kind=kind, action=action, actor_id=user.id if user else None,
        actor=name, meeting_id=meeting_id, job_id=job_id, details=body, prev_hash=prev,
        hash=digest, municipality_id=municipality_id,
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


def _municipality_of(s: Session, meeting_id: str | None, user: User | None) -> str | None:
    if meeting_id is not None:
        found = s.scalar(select(Meeting.municipality_id).where(Meeting.id == meeting_id))
        if found is not None:
            return str(found)
    if user is None:
        return None
    return user.municipality_id or DISTRICT_SCOPE


def of_municipality(municipality_id: str | None) -> ColumnElement[bool]:
    """The entries of a municipality; those without one (written before municipalities
    existed, or by the system outside any meeting) are the default municipality's.
    None: the district administrators' own entries."""
    column = AuditEntry.municipality_id
    if municipality_id is None:
        return column == DISTRICT_SCOPE
    if municipality_id == DEFAULT_MUNICIPALITY:
        return (column == municipality_id) | column.is_(None)
    return column == municipality_id


@dataclass(frozen=True)
class Verification:
    ok: bool
    entries: int
    first_broken: int | None = None  # seq of the first entry that does not verify
    reason: str = ""
    head_seq: int = 0
    head_hash: str = ""
    keyed: bool = False  # a key outside the database was there to check with
    anchors: int = 0  # anchors outside the database the chain was checked against
    last_anchor: str = ""  # when the newest of them was written

    def message(self) -> str:
        if not self.ok:
            return (
                f"Protokollkette UNTERBROCHEN bei Eintrag {self.first_broken}: {self.reason} "
                f"({self.entries} Einträge davor sind in Ordnung)."
            )
        text = f"Protokollkette in Ordnung: {self.entries} Einträge geprüft"
        if self.entries:
            text += f", Kopf Nr. {self.head_seq} {self.head_hash}"
        text += "."
        if self.keyed:
            text += " Verkettet mit einem Schlüssel außerhalb der Datenbank."
        if self.anchors:
            text += (
                f" Abgeglichen mit {self.anchors} Ankern außerhalb der Datenbank "
                f"(zuletzt {self.last_anchor})."
            )
        text += (
            " Nicht beweisbar: Änderungen durch jemanden, der auch Schlüssel- und Ankerdatei "
            "ändern kann, und Einträge nach dem letzten Anker, die samt Kopf entfernt wurden."
        )
        return text


def verify(s: Session, batch: int = 5000) -> Verification:
    """Walk the chain in order; the first entry whose content, link or number is wrong.
    Then the head against the key's start and the anchors outside the database."""
    key = session_key(s)
    anchor_file = session_anchors(s)
    anchors = anchor_file.read() if anchor_file is not None else []
    anchored: dict[int, list[Anchor]] = {}
    for a in anchors:
        anchored.setdefault(a.seq, []).append(a)
    prev, expected_seq, checked = GENESIS, 1, 0
    last_seq = 0

    def broken(seq: int, reason: str) -> Verification:
        return Verification(False, checked, seq, reason, keyed=key is not None)

    while True:
        query = select(AuditEntry).where(AuditEntry.seq > last_seq)
        rows = s.scalars(query.order_by(AuditEntry.seq).limit(batch)).all()
        if not rows:
            break
        for e in rows:
            if e.seq != expected_seq:
                return broken(
                    expected_seq, f"Eintrag {expected_seq} fehlt (nächster vorhandener: {e.seq})."
                )
            if e.prev_hash != prev:
                return broken(e.seq, "Verweis auf den vorigen Eintrag stimmt nicht.")
            digest = entry_hash(
                seq=e.seq, at=e.at, kind=e.kind, action=e.action, actor_id=e.actor_id,
                actor=e.actor, meeting_id=e.meeting_id, job_id=e.job_id, details=e.details,
                prev_hash=e.prev_hash, key=key, municipality_id=e.municipality_id,
            )  # fmt: skip
            if digest != e.hash:
                why = "Inhalt wurde nachträglich verändert."
                if key is None and e.seq > 1 and len(e.hash) == 64:
                    why += " (Oder der Schlüssel der Protokollkette fehlt.)"
                return broken(e.seq, why)
            for a in anchored.get(e.seq, []):
                if a.hash != e.hash:
                    return broken(
                        e.seq,
                        f"Eintrag weicht vom Anker vom {a.at} ab: die Geschichte wurde "
                        "umgeschrieben.",
                    )
            prev, expected_seq, checked = e.hash, e.seq + 1, checked + 1
            last_seq = e.seq
    head = s.execute(select(AuditHead.seq, AuditHead.hash).where(AuditHead.id == 1)).one()
    if int(head.seq) != checked or (checked and head.hash != prev):
        return broken(
            checked + 1 if int(head.seq) > checked else int(head.seq),
            "Die letzten Einträge fehlen (der Kettenkopf verweist auf spätere).",
        )
    if anchors and max(a.seq for a in anchors) > checked:
        newest = max(anchors, key=lambda a: a.seq)
        return broken(
            checked + 1,
            f"Einträge fehlen: der Anker vom {newest.at} belegt {newest.seq} Einträge, die "
            f"Datenbank enthält {checked} (gekürzt, ersetzt oder geleert).",
        )
    if key is not None and checked < key.from_seq - 1:
        return broken(
            checked + 1,
            f"Einträge fehlen: als der Schlüssel angelegt wurde, gab es schon "
            f"{key.from_seq - 1} Einträge, die Datenbank enthält {checked} (ersetzt oder "
            "geleert).",
        )
    return Verification(
        True, checked, head_seq=checked, head_hash=prev if checked else "",
        keyed=key is not None, anchors=len(anchors),
        last_anchor=anchors[-1].at if anchors else "",
    )  # fmt: skip


def head_seq(s: Session) -> int:
    return int(s.execute(select(AuditHead.seq).where(AuditHead.id == 1)).scalar_one())


def seal(s: Session) -> Verification:
    """Verify, and if the chain holds, append its head to the anchor file."""
    result = verify(s)
    anchor_file = session_anchors(s)
    if result.ok and anchor_file is not None and result.entries:
        anchor_file.append(result.head_seq, result.head_hash)
    return result


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
        "municipality_id": e.municipality_id,
        "details": json.loads(e.details),
        "hash": e.hash,
        "prev_hash": e.prev_hash,
    }
