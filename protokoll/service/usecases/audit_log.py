"""The audit log as an administrator reads it: the own municipality's entries, newest
first, page by page, filtered by meeting, person, kind and action; and as a CSV file
with German column headers (the same filters), written in batches.

Entries hold no transcript or minutes text (stage records carry hashes, counts and model
names; the recogniser's hotwords only as a count), so what is shown here is safe for the
administrator, who reads no non-public content.
"""

from __future__ import annotations

import csv
import io
import json
import math
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session

from protokoll.errors import InputError
from protokoll.formatting import date_de
from protokoll.pipeline.stages import LABELS as STAGE_LABELS
from protokoll.service.infra import audit
from protokoll.service.infra.tables import AuditEntry, Meeting, User
from protokoll.service.usecases import accounts

PAGE_SIZE = 50
CSV_BATCH = 1000
KIND_LABELS = {"ai": "KI", "human": "Person", "system": "System"}
ACTION_LABELS = {
    "login": "Anmeldung",
    "login.failed": "Anmeldung fehlgeschlagen",
    "logout": "Abmeldung",
    "password.changed": "Eigenes Passwort geändert",
    "token.created": "API-Token erzeugt",
    "token.revoked": "API-Token widerrufen",
    "user.created": "Benutzer angelegt",
    "user.changed": "Benutzer geändert",
    "municipality.created": "Kommune angelegt",
    "municipality.changed": "Kommune geändert",
    "meeting.created": "Sitzung angelegt",
    "meeting.deleted": "Sitzung gelöscht",
    "agenda.set": "Tagesordnung gespeichert",
    "members.set": "Mitgliederliste gespeichert",
    "upload.refused": "Upload abgelehnt",
    "recording.uploaded": "Aufnahme hochgeladen",
    "recording.downloaded": "Aufnahme heruntergeladen",
    "recording.played": "Aufnahme abgespielt",
    "recording.deleted": "Aufnahme gelöscht",
    "job.started": "Verarbeitung gestartet",
    "job.retried": "Verarbeitung wiederholt",
    "job.rerun": "Schritt neu ausgeführt",
    "job.cancelled": "Verarbeitung abgebrochen",
    "job.failed": "Verarbeitung fehlgeschlagen",
    "job.retry_scheduled": "Verarbeitung wird erneut versucht",
    "job.claimed": "Verarbeitung von einem Worker übernommen",
    "job.reclaimed": "Verarbeitung nach Ausfall eines Workers neu übernommen",
    "job.done": "Verarbeitung abgeschlossen",
    "job.stopped": "Verarbeitung angehalten",
    "document.downloaded": "Dokument heruntergeladen",
    "minutes.version": "Neue Fassung der Niederschrift",
    "speakers.mapped": "Sprecher zugeordnet",
    "transcript.edited": "Transkript korrigiert",
    "review.submitted": "Zur Prüfung gegeben",
    "review.returned": "Zur Überarbeitung zurückgegeben",
    "review.approved": "Freigegeben",
    "review.published": "Veröffentlicht",
    "register.exported": "KI-Register exportiert",
    "register.settings_changed": "Angaben für das KI-Register geändert",
    "template.uploaded": "Vorlage (Briefkopf) hochgeladen",
    "template.reset": "Vorlage (Briefkopf) zurückgesetzt",
    "audit.exported": "Prüfprotokoll exportiert",
}
CSV_HEADERS = (
    "Nr.", "Zeitpunkt", "Art", "Aktion", "Kennung der Aktion", "Person", "Sitzung",
    "Sitzung (Gremium, Datum)", "Auftrag", "Angaben", "Prüfsumme",
)  # fmt: skip
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def action_label(action: str) -> str:
    """The German name of an action; an AI stage by its stage's name."""
    if action.startswith("stage."):
        stage = action.removeprefix("stage.")
        return f"KI-Schritt: {STAGE_LABELS.get(stage, stage)}"
    return ACTION_LABELS.get(action, action)


@dataclass(frozen=True)
class AuditFilter:
    """What the administrator narrows the log to; empty: everything."""

    meeting_id: str = ""
    actor: str = ""
    kind: str = ""
    action: str = ""

    def __post_init__(self) -> None:
        if self.kind and self.kind not in KIND_LABELS:
            raise InputError(
                f"Unbekannte Art „{self.kind}“; möglich sind: "
                + ", ".join(f"{k} ({label})" for k, label in KIND_LABELS.items())
                + "."
            )

    def conditions(self, municipality_id: str | None) -> list[ColumnElement[bool]]:
        found = [audit.of_municipality(municipality_id)]
        if self.meeting_id:
            found.append(AuditEntry.meeting_id == self.meeting_id)
        if self.actor:
            found.append(AuditEntry.actor == self.actor)
        if self.kind:
            found.append(AuditEntry.kind == self.kind)
        if self.action:
            found.append(AuditEntry.action == self.action)
        return found

    def params(self) -> dict[str, str]:
        """The filter as the query of the JSON API (for the download link)."""
        values = {
            "meeting_id": self.meeting_id, "actor": self.actor, "kind": self.kind,
            "action": self.action,
        }  # fmt: skip
        return {k: v for k, v in values.items() if v}


@dataclass(frozen=True)
class AuditPage:
    entries: list[dict[str, Any]]  # `entry_row` of each, newest first
    total: int  # entries that match the filter
    number: int  # this page, from 1
    pages: int


def entries_page(
    s: Session, admin: User, flt: AuditFilter, number: int = 1, size: int = PAGE_SIZE
) -> AuditPage:
    """One page of the admin's own municipality's entries, newest first."""
    accounts.require_admin(admin)
    where = flt.conditions(admin.municipality_id)
    total = s.scalar(select(func.count()).select_from(AuditEntry).where(*where)) or 0
    pages = max(1, math.ceil(total / size))
    number = min(max(1, number), pages)
    query = select(AuditEntry).where(*where).order_by(AuditEntry.seq.desc())
    rows = list(s.scalars(query.offset((number - 1) * size).limit(size)))
    meetings = _meeting_names(s, {r.meeting_id for r in rows if r.meeting_id})
    return AuditPage([entry_row(r, meetings) for r in rows], total, number, pages)


def filter_choices(s: Session, admin: User) -> dict[str, list[tuple[str, str]]]:
    """(value, German label) pairs for the filter fields: the municipality's meetings, the
    persons and actions that occur in its log, and the kinds."""
    accounts.require_admin(admin)
    own = audit.of_municipality(admin.municipality_id)
    actors = s.scalars(select(AuditEntry.actor).where(own).distinct().order_by(AuditEntry.actor))
    actions = s.scalars(select(AuditEntry.action).where(own).distinct())
    query = select(Meeting).where(Meeting.municipality_id == admin.municipality_id)
    meetings = s.scalars(query.order_by(Meeting.date.desc(), Meeting.body))
    return {
        "meetings": [(m.id, _meeting_name(m)) for m in meetings],
        "actors": [(a, a) for a in actors],
        "actions": sorted(((a, action_label(a)) for a in actions), key=lambda p: p[1]),
        "kinds": list(KIND_LABELS.items()),
    }


def entry_row(e: AuditEntry, meetings: dict[str, str]) -> dict[str, Any]:
    details = json.loads(e.details)
    return {
        "seq": e.seq,
        "at": e.at,
        "kind": e.kind,
        "kind_label": KIND_LABELS.get(e.kind, e.kind),
        "action": e.action,
        "action_label": action_label(e.action),
        "actor": e.actor,
        "meeting_id": e.meeting_id or "",
        "meeting": meetings.get(e.meeting_id or "", ""),
        "job_id": e.job_id or "",
        "details": details,
        "details_text": details_text(details),
        "hash": e.hash,
    }


# the details' keys and values as the page shows them; the CSV keeps them as stored
DETAIL_LABELS = {
    "approved_by": "freigegeben von", "attempt": "Versuch", "base": "auf Fassung",
    "body": "Gremium", "changed": "geändert", "corrected": "korrigiert", "date": "Datum",
    "delay_s": "Wartezeit (s)", "device": "Gerät", "duration_s": "Dauer (s)",
    "edit_rate": "Änderungsanteil", "edit_rate_items": "Änderungsanteil je TOP",
    "error": "Fehler", "files": "Dateien", "format": "Format", "id": "Kennung",
    "items": "TOPs", "lease_until": "reserviert bis", "mapped": "zugeordnet",
    "model": "Modell", "municipality": "Kommune", "name": "Name", "one_time": "Einmalpasswort",
    "params": "Einstellungen", "published": "veröffentlicht", "reason": "Grund",
    "recording_id": "Aufnahme", "roles": "Rollen", "segments": "Abschnitte",
    "settings": "Einstellungen", "sha256": "SHA-256", "size": "Größe (Bytes)",
    "source": "Quelle", "stage": "Schritt", "state": "Stand", "target": "Ziel",
    "title": "Titel", "tokens_revoked": "widerrufene API-Tokens", "username": "Benutzername",
    "version": "Fassung", "worker": "Worker",
}  # fmt: skip
VALUE_LABELS = {
    "veroeffentlichung": "Veröffentlichung", "aufbewahrungsfrist": "Aufbewahrungsfrist",
    "ki": "KI", "web": "Browser", "word": "Word-Dokument", "api": "API", "csv": "CSV",
}  # fmt: skip
_SHARES = ("edit_rate", "edit_rate_items")  # fractions, shown as per cent
_MAX_PARTS = 6


def details_text(details: Any) -> str:
    """The entry's details in one German line: `Fassung: 3; Änderungsanteil: 13,5 %; …`.
    Lists are joined, small mappings listed, large ones counted ("3 Dateien"); the raw
    values stay in the CSV export and the entry's hash."""
    if not isinstance(details, dict):
        return _value(details, share=False)
    parts = [
        f"{DETAIL_LABELS.get(key, key)}: {_value(value, share=key in _SHARES, key=key)}"
        for key, value in details.items()
    ]
    return "; ".join(parts)


def _value(value: Any, *, share: bool, key: str = "") -> str:
    if isinstance(value, bool):
        return "ja" if value else "nein"
    if isinstance(value, (int, float)) and share:
        return f"{value * 100:.1f}".replace(".", ",") + " %"
    if isinstance(value, float):
        return f"{value:.3g}".replace(".", ",")
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str):
        return VALUE_LABELS.get(value, value)
    if isinstance(value, list):
        return ", ".join(_value(v, share=share) for v in value) or "–"
    if isinstance(value, dict):
        if (
            key == "files"
            or len(value) > _MAX_PARTS
            or any(isinstance(v, (dict, list)) for v in value.values())
        ):
            noun = "Dateien" if key == "files" else "Angaben"
            return f"{len(value)} {noun}"
        prefix = "TOP " if key == "edit_rate_items" else ""
        return (
            ", ".join(
                f"{prefix}{DETAIL_LABELS.get(k, k)}: {_value(v, share=share)}"
                for k, v in value.items()
            )
            or "–"
        )
    return json.dumps(value, ensure_ascii=False)


def csv_lines(s: Session, admin: User, flt: AuditFilter) -> Iterator[str]:
    """The matching entries as CSV (semicolons, as a German spreadsheet opens it; UTF-8
    with byte order mark), newest first, read `CSV_BATCH` at a time. Cells that a
    spreadsheet would run as a formula start with an apostrophe."""
    accounts.require_admin(admin)
    where = flt.conditions(admin.municipality_id)
    yield "\ufeff" + _csv_line(CSV_HEADERS)
    last: int | None = None
    while True:
        query = select(AuditEntry).where(*where)
        if last is not None:
            query = query.where(AuditEntry.seq < last)
        rows = list(s.scalars(query.order_by(AuditEntry.seq.desc()).limit(CSV_BATCH)))
        if not rows:
            return
        meetings = _meeting_names(s, {r.meeting_id for r in rows if r.meeting_id})
        for e in rows:
            row = entry_row(e, meetings)
            yield _csv_line((
                str(e.seq), e.at.astimezone().isoformat(timespec="seconds"), row["kind_label"],
                row["action_label"], e.action, e.actor, row["meeting_id"], row["meeting"],
                row["job_id"], audit.canonical(row["details"]), e.hash,
            ))  # fmt: skip
        last = rows[-1].seq


def record_export(s: Session, admin: User, flt: AuditFilter) -> None:
    accounts.require_admin(admin)
    audit.record(s, "audit.exported", user=admin, details={"format": "csv", **flt.params()})


def _csv_line(cells: tuple[str, ...]) -> str:
    out = io.StringIO()
    safe = ["'" + c if c.startswith(_FORMULA_START) else c for c in cells]
    csv.writer(out, delimiter=";", lineterminator="\r\n").writerow(safe)
    return out.getvalue()


def _meeting_name(m: Meeting) -> str:
    return f"{m.body}, {date_de(m.date)}"


def _meeting_names(s: Session, ids: set[str]) -> dict[str, str]:
    if not ids:
        return {}
    return {m.id: _meeting_name(m) for m in s.scalars(select(Meeting).where(Meeting.id.in_(ids)))}
