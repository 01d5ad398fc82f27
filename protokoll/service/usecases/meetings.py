"""What the service does, independent of HTTP: meetings, uploads, jobs, documents.

The JSON API (`service/http/api/`) and the web pages (`web.py`) both call these
functions, so the rules (access, states, file handling) exist once. Errors are
`ProtokollError`s with German messages; `access.NotFound`/`Forbidden`/`Conflict`
map to 404/403/409, input errors to 422.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
import os
import shutil
import tempfile
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from protokoll.agenda.fetch_policy import FetchPolicy
from protokoll.agenda.load import load_agenda_source
from protokoll.audio.intake import size_de
from protokoll.documents import artifacts
from protokoll.domain.agenda import Agenda, Member, agenda_from_data
from protokoll.errors import AgendaError, InputError, ProtokollError
from protokoll.pipeline.stages import LABELS, STAGE_NAMES
from protokoll.service.context import ServiceContext
from protokoll.service.infra import audit
from protokoll.service.infra.jobs import STATE_LABELS
from protokoll.service.infra.runner import rerun_from
from protokoll.service.infra.storage import (
    Layout,
    UploadError,
    append_chunk,
    check_media,
    safe_display_name,
)
from protokoll.service.infra.tables import Job, Meeting, Recording, Upload, User, utcnow
from protokoll.service.usecases import access, retention
from protokoll.service.usecases import minutes_review as review
from protokoll.service.usecases.access import Conflict, Gone, NotFound

log = logging.getLogger(__name__)

AGENDA_SUFFIXES = (".toml", ".json", ".docx")
MAX_OPEN_UPLOADS = 5  # per user
DISK_RESERVE_BYTES = 2 * 1024**3  # kept free for decoded audio and documents
OUTPUT_LABELS = {name: artifacts.LABELS[name] for name in artifacts.JOB_FILES_ORDER}
OUTPUT_ORDER = artifacts.JOB_FILES_ORDER


# ---- meetings ------------------------------------------------------------------------------


def files(ctx: ServiceContext, meeting: Meeting) -> Layout:
    """Where the meeting's files lie: in its municipality's folder."""
    return ctx.of(meeting).layout


def visible_meetings(s: Session, user: User) -> list[Meeting]:
    if user.municipality_id is None:
        return []
    query = (
        select(Meeting)
        .where(Meeting.municipality_id == user.municipality_id)
        .order_by(Meeting.date.desc(), Meeting.created_at.desc())
    )
    return [m for m in s.scalars(query) if access.can_view(user, m)]


def get_meeting(s: Session, user: User, meeting_id: str) -> Meeting:
    meeting = s.get(Meeting, meeting_id)
    if meeting is None or not access.can_view(user, meeting):
        raise NotFound("Diese Sitzung gibt es nicht oder Sie haben keinen Zugriff darauf.")
    return meeting


def agenda_of(meeting: Meeting) -> Agenda | None:
    return Agenda.model_validate_json(meeting.agenda_json) if meeting.agenda_json else None


def has_non_public(meeting: Meeting) -> bool:
    agenda = agenda_of(meeting)
    return agenda is not None and any(not item.public for item in agenda.items)


def _parse_date(value: str | dt.date) -> dt.date:
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(value.strip())
    except ValueError:
        raise InputError(
            f"„{value}“ ist kein gültiges Datum; bitte im Format JJJJ-MM-TT angeben."
        ) from None


def create_meeting(
    s: Session,
    user: User,
    *,
    body: str,
    date: str | dt.date,
    title: str = "",
) -> Meeting:
    access.require(
        access.can_create_meeting(user), "Nur die Schriftführung kann Sitzungen anlegen."
    )
    body = body.strip()
    if not body:
        raise InputError("Bitte das Gremium angeben (z. B. „Gemeinderat“).")
    assert user.municipality_id is not None  # can_create_meeting
    meeting = Meeting(
        owner_id=user.id, municipality_id=user.municipality_id, body=body[:300],
        date=_parse_date(date), title=title.strip()[:300],
    )  # fmt: skip
    s.add(meeting)
    s.flush()
    audit.record(
        s, "meeting.created", user=user, meeting_id=meeting.id,
        details={"body": meeting.body, "date": meeting.date.isoformat(), "title": meeting.title},
    )  # fmt: skip
    return meeting


def _with_meeting_facts(agenda: Agenda, meeting: Meeting) -> Agenda:
    """The meeting record's body and date win over the agenda's (the user typed them)."""
    facts = agenda.meeting.model_copy(update={"body": meeting.body, "date": meeting.date})
    return agenda.model_copy(update={"meeting": facts})


def set_agenda_file(
    ctx: ServiceContext, s: Session, user: User, meeting: Meeting, filename: str, data: bytes
) -> Agenda:
    """Parse an uploaded agenda (TOML, JSON or a DOCX invitation) and store it."""
    access.require(access.can_modify(user, meeting), "Nur die Schriftführung dieser Sitzung.")
    review.refuse_when_published(s, meeting)
    name = safe_display_name(filename)
    suffix = Path(name).suffix.lower()
    if suffix not in AGENDA_SUFFIXES:
        raise AgendaError(
            f"„{name}“: Tagesordnungen bitte als .toml, .json oder .docx (Einladung) hochladen."
        )
    limit = int(ctx.settings.service.agenda_max_mb * 1024**2)
    if len(data) > limit:
        raise AgendaError(f"„{name}“ ist größer als {size_de(limit)}.")
    folder = files(ctx, meeting).agenda_dir(meeting.id)
    folder.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=folder) as tmp:
        # read under the uploaded name, so that a message names the user's file
        readable = len(name.encode()) <= 200 and name not in (".", "..")
        path = Path(tmp) / (name if readable else f"tagesordnung{suffix}")
        path.write_bytes(data)
        agenda = load_agenda_source(path)
        stored = folder / f"tagesordnung{suffix}"
        os.replace(path, stored)
    return _store_agenda(s, user, meeting, agenda, name, "agenda.set")


def set_agenda_data(s: Session, user: User, meeting: Meeting, data: dict[str, Any]) -> Agenda:
    access.require(access.can_modify(user, meeting), "Nur die Schriftführung dieser Sitzung.")
    review.refuse_when_published(s, meeting)
    data = dict(data)
    data.setdefault("meeting", {"body": meeting.body, "date": meeting.date.isoformat()})
    agenda = agenda_from_data(data, "Tagesordnung")
    return _store_agenda(s, user, meeting, agenda, "JSON", "agenda.set")


def set_agenda_url(
    ctx: ServiceContext, s: Session, user: User, meeting: Meeting, url: str
) -> Agenda:
    """Fetch an OParl meeting (the council information system) as the agenda: https only,
    from public servers or the allow-listed hosts (`protokoll.agenda.fetch_policy`)."""
    access.require(access.can_modify(user, meeting), "Nur die Schriftführung dieser Sitzung.")
    review.refuse_when_published(s, meeting)
    url = url.strip()
    if not url.lower().startswith("https://"):
        raise AgendaError("Die OParl-Adresse muss mit https:// beginnen.")
    policy = FetchPolicy.for_service(ctx.settings.service.agenda_allowed_hosts)
    agenda = load_agenda_source(url, timeout=20, policy=policy)
    return _store_agenda(s, user, meeting, agenda, url, "agenda.set")


def set_members(s: Session, user: User, meeting: Meeting, members: list[dict[str, Any]]) -> Agenda:
    """Replace the member list (names, factions, roles) used for speaker names."""
    access.require(access.can_modify(user, meeting), "Nur die Schriftführung dieser Sitzung.")
    review.refuse_when_published(s, meeting)
    agenda = agenda_of(meeting)
    if agenda is None:
        raise Conflict("Bitte zuerst eine Tagesordnung hinterlegen.")
    try:
        parsed = [Member.model_validate(m) for m in members]
    except ValueError as exc:
        raise AgendaError(f"Die Mitgliederliste ist ungültig: {exc}") from None
    updated = agenda.model_copy(update={"members": parsed})
    return _store_agenda(s, user, meeting, updated, meeting.agenda_source, "members.set")


def parse_member_lines(text: str) -> list[dict[str, Any]]:
    """Members from a text box, one per line: `Name; Fraktion; Funktion` (the last two optional).

    A function containing "vorsitz" or "bürgermeister" marks the chair.
    """
    members = []
    for raw in text.splitlines():
        parts = [p.strip() for p in raw.split(";")]
        if not parts or not parts[0]:
            continue
        role = parts[2] if len(parts) > 2 else ""
        members.append(
            {
                "name": parts[0],
                "faction": parts[1] if len(parts) > 1 else "",
                "role": role,
                "chair": any(w in role.lower() for w in ("vorsitz", "bürgermeister")),
            }
        )
    return members


def _store_agenda(
    s: Session, user: User, meeting: Meeting, agenda: Agenda, source: str, action: str
) -> Agenda:
    agenda = _with_meeting_facts(agenda, meeting)
    meeting.agenda_json = agenda.model_dump_json()
    meeting.agenda_source = source[:2000]
    audit.record(
        s, action, user=user, meeting_id=meeting.id,
        details={
            "source": meeting.agenda_source,
            "items": len(agenda.items),
            "members": len(agenda.members),
            "sha256": hashlib.sha256(meeting.agenda_json.encode()).hexdigest(),
        },
    )  # fmt: skip
    return agenda


def may_delete(s: Session, user: User, meeting: Meeting) -> bool:
    """Before publication the meeting's Schriftführung or an admin; after it an admin only
    (with a reason, see `delete_meeting`)."""
    if review.is_published(s, meeting.id):
        return user.has("admin") and access.can_delete(user, meeting)
    return access.can_delete(user, meeting)


def delete_meeting(
    ctx: ServiceContext, s: Session, user: User, meeting: Meeting, reason: str = ""
) -> None:
    """Delete the meeting with all its files. A published one only an admin deletes, giving
    a reason; the reason is in the audit entry."""
    access.require(
        access.can_delete(user, meeting),
        "Sitzungen löschen darf nur die Schriftführung der Sitzung oder die Verwaltung.",
    )
    published = review.is_published(s, meeting.id)
    reason = " ".join(reason.split())[:2000]
    if published:
        access.require(
            user.has("admin"),
            "Die Niederschrift dieser Sitzung ist veröffentlicht; löschen darf die Sitzung "
            "jetzt nur die Verwaltung (mit Begründung).",
        )
        if not reason:
            raise InputError(
                "Die Niederschrift dieser Sitzung ist veröffentlicht. Bitte begründen, warum "
                "die Sitzung trotzdem gelöscht wird; die Begründung steht im Prüfprotokoll."
            )
    busy = _active_job(s, Job.meeting_id == meeting.id)
    if busy is not None:
        raise Conflict(
            "Für diese Sitzung läuft noch eine Verarbeitung. Bitte sie zuerst abbrechen."
        )
    for upload in s.scalars(select(Upload).where(Upload.meeting_id == meeting.id)):
        ctx.layout.upload_part(upload.id).unlink(missing_ok=True)
    details: dict[str, Any] = {"body": meeting.body, "date": meeting.date.isoformat()}
    if published:
        details.update(published=True, reason=reason)
    elif reason:
        details["reason"] = reason
    audit.record(s, "meeting.deleted", user=user, meeting_id=meeting.id, details=details)
    s.delete(meeting)
    s.flush()
    files(ctx, meeting).remove_meeting(meeting.id)


# ---- uploads -------------------------------------------------------------------------------


def start_upload(
    ctx: ServiceContext,
    s: Session,
    user: User,
    meeting: Meeting,
    *,
    filename: str,
    size: int,
    sha256: str | None = None,
) -> Upload:
    access.require(
        access.can_modify(user, meeting), "Aufnahmen lädt die Schriftführung der Sitzung hoch."
    )
    review.refuse_when_published(s, meeting)
    limit = int(ctx.settings.intake.max_size_gb * 1024**3)
    if size <= 0:
        raise UploadError("Die Datei ist leer (0 Byte). Bitte die Aufnahme auswählen.")
    if size > limit:
        raise UploadError(
            f"Die Datei ist mit {size_de(size)} größer als die erlaubten {size_de(limit)}."
        )
    if sha256 is not None and (
        len(sha256) != 64 or any(c not in "0123456789abcdef" for c in sha256.lower())
    ):
        raise UploadError("Die Prüfsumme muss ein SHA-256-Wert (64 Hexadezimalzeichen) sein.")
    _expire_uploads(ctx, s)
    open_uploads = s.scalars(
        select(Upload).where(Upload.user_id == user.id, Upload.state == "open")
    ).all()
    if len(open_uploads) >= MAX_OPEN_UPLOADS:
        raise UploadError(
            f"Es laufen bereits {len(open_uploads)} unvollständige Uploads. Bitte diese "
            "abschließen oder abbrechen."
        )
    pending = sum(u.size_bytes - u.received_bytes for u in s.scalars(
        select(Upload).where(Upload.state == "open")
    ))  # fmt: skip
    free = shutil.disk_usage(ctx.layout.uploads).free
    if size + pending + DISK_RESERVE_BYTES > free:
        raise UploadError(
            f"Auf dem Server ist nicht genug Speicherplatz frei: {size_de(free)} frei, benötigt "
            f"werden {size_de(size)} für diese Datei, {size_de(pending)} für noch laufende "
            f"Uploads und {size_de(DISK_RESERVE_BYTES)} Reserve. Bitte den Betrieb informieren."
        )
    upload = Upload(
        meeting_id=meeting.id,
        user_id=user.id,
        original_name=safe_display_name(filename),
        size_bytes=size,
        sha256=sha256.lower() if sha256 else None,
        received_bytes=0,
        state="open",
    )
    s.add(upload)
    s.flush()
    ctx.layout.upload_part(upload.id).touch()
    return upload


def get_upload(s: Session, user: User, upload_id: str) -> Upload:
    upload = s.get(Upload, upload_id)
    if upload is None or upload.user_id != user.id:
        raise NotFound("Diesen Upload gibt es nicht (mehr).")
    return upload


async def receive_chunk(
    ctx: ServiceContext, upload: Upload, offset: int, body: AsyncIterator[bytes]
) -> int:
    """Stream one chunk to disk; the caller stores `received_bytes` afterwards."""
    if upload.state != "open":
        raise Conflict("Dieser Upload ist bereits abgeschlossen oder abgebrochen.")
    return await append_chunk(
        ctx.layout.upload_part(upload.id),
        offset,
        body,
        declared_size=upload.size_bytes,
        max_chunk_bytes=max(ctx.settings.service.upload_chunk_mb * 1024**2, 1 << 20) * 2,
    )


def complete_upload(ctx: ServiceContext, s: Session, upload: Upload) -> Recording:
    """Check the finished upload and turn it into a recording; refused files are removed."""
    if upload.state == "done" and upload.recording_id:
        recording = s.get(Recording, upload.recording_id)
        if recording is not None:
            return recording
    if upload.state != "open":
        raise Conflict(upload.error or "Dieser Upload wurde abgebrochen.")
    part = ctx.layout.upload_part(upload.id)
    if review.is_published(s, upload.meeting_id):  # published while the upload ran
        upload.state, upload.error = "failed", review.PUBLISHED_READ_ONLY
        part.unlink(missing_ok=True)
        raise Conflict(review.PUBLISHED_READ_ONLY)
    received = part.stat().st_size if part.exists() else 0
    if received != upload.size_bytes:
        raise UploadError(
            f"Der Upload ist unvollständig: {size_de(received)} von {size_de(upload.size_bytes)} "
            "sind angekommen. Bitte fortsetzen."
        )
    intake = ctx.settings.intake
    try:
        checked = check_media(
            part,
            display_name=upload.original_name,
            max_duration_s=intake.max_duration_h * 3600,
            max_size_bytes=int(intake.max_size_gb * 1024**3),
        )
        if upload.sha256 and checked.sha256 != upload.sha256:
            raise UploadError(
                "Die Prüfsumme stimmt nicht: die Datei wurde bei der Übertragung verändert. "
                "Bitte erneut hochladen."
            )
    except ProtokollError as exc:
        upload.state, upload.error = "failed", str(exc)
        part.unlink(missing_ok=True)
        audit.record(
            s, "upload.refused", actor=_username(s, upload.user_id), meeting_id=upload.meeting_id,
            details={"name": upload.original_name, "size": received, "reason": str(exc)},
        )  # fmt: skip
        raise
    recording = Recording(
        meeting_id=upload.meeting_id,
        original_name=upload.original_name,
        stored_name=f"{upload.id}.{checked.kind}",
        size_bytes=received,
        sha256=checked.sha256,
        media_format=str(checked.check.meta.get("format", checked.kind)),
        codec=str(checked.check.meta.get("codec", "")),
        duration_s=checked.check.declared_s or _float(checked.check.meta.get("duration_estimate")),
        uploaded_by=upload.user_id,
    )
    meeting = s.get(Meeting, upload.meeting_id)
    assert meeting is not None  # the upload goes with its meeting (cascade)
    target = files(ctx, meeting).recording(meeting.id, recording.stored_name)
    target.parent.mkdir(parents=True, exist_ok=True)
    os.replace(part, target)
    s.add(recording)
    s.flush()
    upload.state, upload.recording_id, upload.received_bytes = "done", recording.id, received
    upload.updated_at = utcnow()
    audit.record(
        s, "recording.uploaded", actor=_username(s, upload.user_id),
        meeting_id=upload.meeting_id,
        details={
            "recording_id": recording.id, "name": recording.original_name,
            "size": recording.size_bytes, "sha256": recording.sha256,
            "format": recording.media_format, "duration_s": recording.duration_s,
        },
    )  # fmt: skip
    return recording


def _username(s: Session, user_id: int) -> str:
    user = s.get(User, user_id)
    return user.username if user else f"#{user_id}"


def abort_upload(ctx: ServiceContext, upload: Upload) -> None:
    if upload.state == "open":
        upload.state, upload.error = "failed", "Vom Benutzer abgebrochen."
    ctx.layout.upload_part(upload.id).unlink(missing_ok=True)


def _expire_uploads(ctx: ServiceContext, s: Session) -> None:
    limit = utcnow() - dt.timedelta(hours=ctx.settings.service.upload_expiry_h)
    for upload in s.scalars(select(Upload).where(Upload.state == "open")):
        if upload.updated_at < limit:
            upload.state, upload.error = "failed", "Abgelaufen: zu lange nicht fortgesetzt."
            ctx.layout.upload_part(upload.id).unlink(missing_ok=True)


def _float(value: object) -> float | None:
    try:
        return float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None


def delete_recording(
    ctx: ServiceContext, s: Session, user: User, meeting: Meeting, recording_id: str
) -> None:
    access.require(access.can_modify(user, meeting), "Nur die Schriftführung dieser Sitzung.")
    review.refuse_when_published(s, meeting)
    recording = _recording(s, meeting, recording_id)
    busy = _active_job(s, Job.recording_id == recording.id)
    if busy is not None:
        raise Conflict("Diese Aufnahme wird gerade verarbeitet; bitte zuerst abbrechen.")
    files(ctx, meeting).recording(meeting.id, recording.stored_name).unlink(missing_ok=True)
    for job in s.scalars(select(Job).where(Job.recording_id == recording.id)):
        # the database removes the jobs with the recording; their documents go too
        shutil.rmtree(files(ctx, meeting).job(meeting.id, job.id), ignore_errors=True)
    audit.record(
        s, "recording.deleted", user=user, meeting_id=meeting.id,
        details={"recording_id": recording.id, "sha256": recording.sha256},
    )  # fmt: skip
    s.delete(recording)


def _require_audio(recording: Recording | None) -> None:
    """Processing needs the audio, which retention may have deleted."""
    if recording is not None and recording.deleted_at is not None:
        raise Conflict(
            retention.deleted_message(recording) + "; sie kann nicht mehr verarbeitet werden."
        )


def _active_job(s: Session, where: Any) -> Job | None:
    """A queued or running job matching `where`, if any."""
    return s.scalar(select(Job).where(where, Job.state.in_(("queued", "running"))))


def _recording(s: Session, meeting: Meeting, recording_id: str) -> Recording:
    recording = s.get(Recording, recording_id)
    if recording is None or recording.meeting_id != meeting.id:
        raise NotFound("Diese Aufnahme gibt es nicht.")
    return recording


def recording_path(
    ctx: ServiceContext, s: Session, user: User, meeting: Meeting, recording_id: str
) -> tuple[Path, Recording]:
    access.require(
        access.can_see_confidential(user, meeting),
        "Aufnahmen sind nur für die Schriftführung und die Prüfung zugänglich.",
    )
    recording = _recording(s, meeting, recording_id)
    if recording.deleted_at is not None:
        raise Gone(retention.deleted_message(recording) + ".")
    return files(ctx, meeting).recording(meeting.id, recording.stored_name), recording


def recordings_of(s: Session, meeting: Meeting) -> list[Recording]:
    query = select(Recording).where(Recording.meeting_id == meeting.id)
    return list(s.scalars(query.order_by(Recording.created_at)))


# ---- jobs ----------------------------------------------------------------------------------


def _bounds(params: dict[str, Any]) -> dict[str, int]:
    bounds = {}
    for key in ("min_speakers", "max_speakers"):
        value = params.get(key)
        if value in (None, ""):
            continue
        try:
            number = int(value)
        except (TypeError, ValueError):
            raise InputError("Die Sprecherzahl muss eine ganze Zahl sein.") from None
        if not 1 <= number <= 200:
            raise InputError("Die Sprecherzahl muss zwischen 1 und 200 liegen.")
        bounds[key] = number
    low, high = bounds.get("min_speakers"), bounds.get("max_speakers")
    if low and high and low > high:
        raise InputError("Die Mindestzahl der Sprecher ist größer als die Höchstzahl.")
    return bounds


def start_job(
    ctx: ServiceContext,
    s: Session,
    user: User,
    meeting: Meeting,
    *,
    recording_id: str | None = None,
    params: dict[str, Any] | None = None,
) -> Job:
    access.require(
        access.can_modify(user, meeting), "Verarbeitungen startet die Schriftführung der Sitzung."
    )
    review.refuse_when_published(s, meeting)
    recordings = recordings_of(s, meeting)
    if not recordings:
        raise Conflict("Bitte zuerst eine Aufnahme hochladen.")
    recording = _recording(s, meeting, recording_id) if recording_id else recordings[-1]
    _require_audio(recording)
    review.refuse_new_draft_when_approved(s, meeting)
    busy = _active_job(s, Job.recording_id == recording.id)
    if busy is not None:
        raise Conflict("Diese Aufnahme wird bereits verarbeitet.")
    _refuse_second_job(s, meeting)
    job = Job(
        meeting_id=meeting.id,
        recording_id=recording.id,
        created_by=user.id,
        state="queued",
        params=_bounds(params or {}),
        stages={},
        warnings=[],
        attempts=0,
        progress=0.0,
        stage_progress=0.0,
        cancel_requested=False,
    )
    s.add(job)
    s.flush()
    audit.record(
        s, "job.started", user=user, meeting_id=meeting.id, job_id=job.id,
        details={"recording_id": recording.id, "params": job.params},
    )  # fmt: skip
    return job


BUSY_MEETING = (
    "Für diese Sitzung wartet oder läuft bereits eine Verarbeitung. Bitte warten, bis sie "
    "fertig ist, oder sie abbrechen; erst dann kann eine neue beginnen."
)


def _refuse_second_job(s: Session, meeting: Meeting, job: Job | None = None) -> None:
    """One job per meeting at a time: a second would compete for the same draft."""
    where = Job.meeting_id == meeting.id
    if job is not None:
        where = where & (Job.id != job.id)
    if _active_job(s, where) is not None:
        raise Conflict(BUSY_MEETING)


def get_job(s: Session, user: User, job_id: str) -> tuple[Job, Meeting]:
    job = s.get(Job, job_id)
    meeting = s.get(Meeting, job.meeting_id) if job else None
    if job is None or meeting is None or not access.can_view(user, meeting):
        raise NotFound("Diesen Auftrag gibt es nicht oder Sie haben keinen Zugriff darauf.")
    return job, meeting


def jobs_of(s: Session, meeting: Meeting) -> list[Job]:
    query = select(Job).where(Job.meeting_id == meeting.id).order_by(Job.created_at.desc())
    return list(s.scalars(query))


def retry_job(s: Session, user: User, job: Job, meeting: Meeting) -> Job:
    """Queue a failed or cancelled job again; it continues from its checkpoints."""
    access.require(access.can_modify(user, meeting), "Nur die Schriftführung dieser Sitzung.")
    review.refuse_when_published(s, meeting)
    if job.state not in ("failed", "cancelled"):
        raise Conflict("Nur fehlgeschlagene oder abgebrochene Aufträge können wiederholt werden.")
    _refuse_second_job(s, meeting, job)
    _require_audio(s.get(Recording, job.recording_id))
    review.refuse_new_draft_when_approved(s, meeting)
    job.state, job.error, job.cancel_requested = "queued", None, False
    job.finished_at = None
    audit.record(s, "job.retried", user=user, meeting_id=meeting.id, job_id=job.id)
    return job


def rerun_job(
    ctx: ServiceContext,
    s: Session,
    user: User,
    job: Job,
    meeting: Meeting,
    stage: str,
    params: dict[str, Any] | None = None,
) -> Job:
    """Run one stage and those after it again (e.g. diarization with other speaker bounds)."""
    access.require(access.can_modify(user, meeting), "Nur die Schriftführung dieser Sitzung.")
    review.refuse_when_published(s, meeting)
    if stage not in STAGE_NAMES:
        raise InputError(f"Unbekannter Verarbeitungsschritt „{stage}“.")
    if job.state in ("queued", "running"):
        raise Conflict("Der Auftrag läuft noch; bitte warten oder abbrechen.")
    _refuse_second_job(s, meeting, job)
    _require_audio(s.get(Recording, job.recording_id))
    review.refuse_new_draft_when_approved(s, meeting)
    if params:
        job.params = dict(_bounds({**(job.params or {}), **_bounds(params)}))
    rerun_from(files(ctx, meeting), job, stage)
    job.state, job.error, job.cancel_requested, job.finished_at = "queued", None, False, None
    audit.record(
        s, "job.rerun", user=user, meeting_id=meeting.id, job_id=job.id,
        details={"stage": stage, "params": job.params},
    )  # fmt: skip
    return job


def cancel_job(s: Session, user: User, job: Job, meeting: Meeting) -> Job:
    access.require(access.can_modify(user, meeting), "Nur die Schriftführung dieser Sitzung.")
    if job.state == "queued":
        job.state, job.finished_at = "cancelled", utcnow()
    elif job.state == "running":
        job.cancel_requested = True  # the worker stops at its next progress report
    else:
        raise Conflict("Der Auftrag ist bereits beendet.")
    audit.record(s, "job.cancelled", user=user, meeting_id=meeting.id, job_id=job.id)
    return job


# ---- documents -----------------------------------------------------------------------------


@dataclass(frozen=True)
class OutputFile:
    name: str
    label: str
    size_bytes: int


def outputs(ctx: ServiceContext, user: User, meeting: Meeting, job: Job) -> list[OutputFile]:
    out = files(ctx, meeting).out(meeting.id, job.id)
    if not out.is_dir():
        return []
    current = current_files(job)
    present = [n for n in OUTPUT_ORDER if n in current and (out / n).is_file()]
    allowed = access.visible_outputs(user, meeting, present, has_non_public=_job_non_public(out))
    return [OutputFile(n, OUTPUT_LABELS[n], (out / n).stat().st_size) for n in allowed]


def current_files(job: Job) -> frozenset[str]:
    """The documents in the job's folder that belong to its current run: all of them once
    it is done; while it runs (or after it failed) those of the stages it finished: the
    transcript's as soon as the speakers are assigned, long before the minutes. Files left
    from an earlier run of a stage that runs again are not offered."""
    if job.state == "done":
        return frozenset(OUTPUT_ORDER)
    names: set[str] = set()
    if _stage_done(job, "assignment"):
        names.update(artifacts.TRANSCRIPT_FILES)
    if _stage_done(job, "minutes"):
        names.update(artifacts.MINUTES_FILES)
    return frozenset(names)


def _stage_done(job: Job, stage: str) -> bool:
    return bool((job.stages or {}).get(stage, {}).get("done"))


def queue_positions(s: Session) -> dict[str, int]:
    """Every waiting job's place in the queue (1: next), across all municipalities: the
    workers take jobs in the order they were started."""
    query = select(Job.id).where(Job.state == "queued").order_by(Job.created_at, Job.id)
    return {job_id: place for place, job_id in enumerate(s.scalars(query), start=1)}


def _job_non_public(out: Path) -> bool:
    """Whether this job's minutes hold a non-public item (judged by the document itself, not
    by the meeting's agenda, which may have changed since). Unreadable counts as yes."""
    if (out / artifacts.PUBLIC_MINUTES_JSON).is_file():
        return True
    try:
        data = json.loads((out / artifacts.MINUTES_JSON).read_text(encoding="utf-8"))
        return any(not item.get("public", True) for item in data.get("items", []))
    except FileNotFoundError:
        return False
    except (OSError, ValueError, AttributeError):
        return True


def output_path(ctx: ServiceContext, user: User, meeting: Meeting, job: Job, name: str) -> Path:
    for item in outputs(ctx, user, meeting, job):
        if item.name == name:
            return files(ctx, meeting).out(meeting.id, job.id) / name
    raise NotFound("Dieses Dokument gibt es nicht oder Sie haben keinen Zugriff darauf.")


# ---- views (plain dicts for JSON and templates) -------------------------------------------


def job_view(job: Job, position: int | None = None) -> dict[str, Any]:
    """The job for the API and the pages; `position`: its place in the queue, if waiting."""
    return {
        "id": job.id,
        "meeting_id": job.meeting_id,
        "recording_id": job.recording_id,
        "state": job.state,
        "state_label": STATE_LABELS.get(job.state, job.state),
        "stage": job.stage,
        "stage_label": _stage_label(job.stage),
        "stage_progress": round(job.stage_progress or 0.0, 4),
        "progress": round(job.progress or 0.0, 4),
        "eta_s": None if job.eta_s is None else round(job.eta_s),
        "error": job.error,
        "warnings": list(job.warnings or []),
        "params": dict(job.params or {}),
        "stages": {k: dict(v) for k, v in (job.stages or {}).items()},
        "stage_times": stage_times(job),
        "transcript_ready": job.state == "done" or _stage_done(job, "assignment"),
        "queue_position": position if job.state == "queued" else None,
        "attempts": job.attempts,
        "cancel_requested": job.cancel_requested,
        "created_at": job.created_at.isoformat(),
        "started_at": job.started_at.isoformat() if job.started_at else None,
        "finished_at": job.finished_at.isoformat() if job.finished_at else None,
    }


def stage_times(job: Job) -> list[dict[str, Any]]:
    """How long each finished stage took, in the stages' order."""
    stages = job.stages or {}
    times = []
    for name in STAGE_NAMES:
        record = stages.get(name) or {}
        if record.get("done") and record.get("seconds") is not None:
            times.append({"stage": name, "label": LABELS[name], "seconds": record["seconds"]})
    return times


def _stage_label(stage: str | None) -> str | None:

    return LABELS.get(stage, stage) if stage else None


def recording_view(recording: Recording) -> dict[str, Any]:
    return {
        "id": recording.id,
        "name": recording.original_name,
        "size_bytes": recording.size_bytes,
        "sha256": recording.sha256,
        "format": recording.media_format,
        "codec": recording.codec,
        "duration_s": recording.duration_s,
        "created_at": recording.created_at.isoformat(),
        "deleted_at": recording.deleted_at.isoformat() if recording.deleted_at else None,
        "deleted_reason": recording.deleted_reason,
    }


def agenda_view(meeting: Meeting, confidential: bool) -> dict[str, Any] | None:
    """The agenda for display; without the right to see them, non-public titles are hidden."""
    agenda = agenda_of(meeting)
    if agenda is None:
        return None
    items = []
    for item in agenda.items:
        shown = item.public or confidential
        items.append(
            {
                "number": item.number,
                "title": item.title if shown else "(nichtöffentlich)",
                "public": item.public,
            }
        )
    return {
        "source": meeting.agenda_source if confidential else "",
        "items": items,
        "members": [m.model_dump() for m in agenda.members] if confidential else [],
    }


def meeting_view(s: Session, user: User, meeting: Meeting) -> dict[str, Any]:
    confidential = access.can_see_confidential(user, meeting)
    jobs = jobs_of(s, meeting)
    published = review.is_published(s, meeting.id)
    return {
        "id": meeting.id,
        "body": meeting.body,
        "date": meeting.date.isoformat(),
        "title": meeting.title,
        "owner_id": meeting.owner_id,
        "agenda": agenda_view(meeting, confidential),
        "recordings": [recording_view(r) for r in recordings_of(s, meeting)]
        if confidential
        else [],
        "jobs": [job_view(j) for j in jobs],
        "published": published,
        "permissions": {
            "modify": access.can_modify(user, meeting) and not published,
            "delete": may_delete(s, user, meeting),
            "confidential": confidential,
        },
    }


QUEUE_FINISHED_DAYS = 7
QUEUE_FINISHED_MAX = 20


def queue_view(s: Session, user: User) -> dict[str, list[dict[str, Any]]]:
    """The processing queue as this user may see it: the jobs of the meetings they can see
    (their own municipality's only), waiting and running ones first (running, then in queue
    order), then those that ended in the last `QUEUE_FINISHED_DAYS` days, newest first. A
    waiting job's place counts every waiting job, as the shared workers take them."""
    meetings = {m.id: m for m in visible_meetings(s, user)}
    if not meetings:
        return {"active": [], "finished": []}
    places = queue_positions(s)
    since = utcnow() - dt.timedelta(days=QUEUE_FINISHED_DAYS)
    query = select(Job).where(Job.meeting_id.in_(list(meetings)))
    active = list(s.scalars(query.where(Job.state.in_(("queued", "running")))))
    active.sort(key=lambda j: (j.state != "running", places.get(j.id, 0), j.created_at))
    finished = s.scalars(
        query.where(Job.state.in_(("done", "failed", "cancelled")), Job.finished_at >= since)
        .order_by(Job.finished_at.desc())
        .limit(QUEUE_FINISHED_MAX)
    )

    def row(job: Job) -> dict[str, Any]:
        meeting = meetings[job.meeting_id]
        view = job_view(job, places.get(job.id))
        view["meeting"] = {"id": meeting.id, "body": meeting.body,
                           "date": meeting.date.isoformat(), "title": meeting.title}  # fmt: skip
        view["total_s"] = sum(t["seconds"] for t in view["stage_times"]) or None
        return view

    return {"active": [row(j) for j in active], "finished": [row(j) for j in finished]}


def stage_names() -> list[str]:
    return list(STAGE_NAMES)


def dumps(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False)
