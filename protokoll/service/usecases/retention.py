"""Retention of recordings: deleted when the minutes are published, or after a number of
days, as `[review]` says (each municipality's own setting); never at approval, so a draft
returned after approval is still checked against the audio. Each deletion is in the audit
log.

The recording's record stays (marked deleted, with the reason) so the jobs' transcripts
and documents remain; what goes is the audio: the uploaded file and the decoded copy
in each job's work folder. `plan` says, for the pages, when that will happen.
"""

from __future__ import annotations

import datetime as dt
import logging

from sqlalchemy import select
from sqlalchemy.orm import Session

from protokoll.formatting import date_de, datetime_de
from protokoll.service.context import ServiceContext
from protokoll.service.infra import audit
from protokoll.service.infra.tables import Job, Meeting, Municipality, Recording, User, utcnow

log = logging.getLogger(__name__)

REASON_LABELS = {
    "veroeffentlichung": "bei der Veröffentlichung der Niederschrift gelöscht",
    "frist": "nach Ablauf der Aufbewahrungsfrist gelöscht",
    "freigabe": "nach der Freigabe der Niederschrift gelöscht",  # before issue #17
}


def deleted_message(recording: Recording) -> str:
    """ "Die Aufnahme wurde … gelöscht", with the reason."""
    reason = REASON_LABELS.get(recording.deleted_reason or "", "gelöscht")
    return f"Die Aufnahme wurde {reason}"


def remove_audio(
    ctx: ServiceContext, s: Session, recording: Recording, reason: str, user: User | None = None
) -> bool:
    """Delete the recording's audio (upload and decoded copies); False if already gone."""
    if recording.deleted_at is not None:
        return False
    meeting = s.get(Meeting, recording.meeting_id)
    layout = ctx.of(meeting).layout if meeting is not None else ctx.layout
    layout.recording(recording.meeting_id, recording.stored_name).unlink(missing_ok=True)
    jobs = s.scalars(select(Job).where(Job.recording_id == recording.id))
    for job in jobs:
        work = layout.work(recording.meeting_id, job.id)
        for wav in work.glob("*.wav"):
            wav.unlink(missing_ok=True)
    recording.deleted_at = utcnow()
    recording.deleted_reason = reason
    audit.record(
        s, "recording.deleted", kind="human" if user else "system", user=user,
        meeting_id=recording.meeting_id,
        details={"recording_id": recording.id, "sha256": recording.sha256, "reason": reason},
    )  # fmt: skip
    return True


def delete_for_publication(ctx: ServiceContext, s: Session, meeting_id: str, user: User) -> int:
    """On publication: delete the meeting's recordings if the configuration (the
    municipality's `[review] delete_recording`) says so. Returns the count."""
    meeting = s.get(Meeting, meeting_id)
    if meeting is not None:
        ctx = ctx.of(meeting)
    if ctx.settings.review.delete_recording != "veroeffentlichung":
        return 0
    query = select(Recording).where(
        Recording.meeting_id == meeting_id, Recording.deleted_at.is_(None)
    )
    return sum(remove_audio(ctx, s, r, "veroeffentlichung", user) for r in s.scalars(query))


def expires_at(ctx: ServiceContext, recording: Recording) -> dt.datetime | None:
    """When the retention period deletes ``recording`` (None: no time limit)."""
    days = ctx.settings.review.recording_retention_days
    if days <= 0:
        return None
    return _aware(recording.created_at) + dt.timedelta(days=days)


def _aware(moment: dt.datetime) -> dt.datetime:
    """The database returns UTC moments without their zone (SQLite)."""
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=dt.UTC)


def plan(ctx: ServiceContext, recording: Recording, *, published: bool) -> str:
    """When ``recording`` is (or was) deleted, as one German sentence for the pages.

    ``ctx`` is the meeting's (``ctx.of(meeting)``); ``published``: the minutes are
    published already (then only the retention period is left)."""
    if recording.deleted_at is not None:
        when = datetime_de(_aware(recording.deleted_at))
        return f"{deleted_message(recording)} ({when})."
    expiry = expires_at(ctx, recording)
    by_publication = ctx.settings.review.delete_recording == "veroeffentlichung" and not published
    latest = f"am {date_de(expiry.astimezone().date())}" if expiry else ""
    if by_publication:
        text = "Die Aufnahme wird bei der Veröffentlichung der Niederschrift gelöscht"
        return text + (f", spätestens {latest} (Aufbewahrungsfrist)." if expiry else ".")
    if expiry:
        return f"Die Aufnahme wird {latest} gelöscht (Aufbewahrungsfrist)."
    return "Die Aufnahme wird nicht automatisch gelöscht."


def sweep_expired(ctx: ServiceContext, now: dt.datetime | None = None) -> int:
    """Delete recordings older than `recording_retention_days` (0: never), each
    municipality by its own setting. Returns the count.

    Recordings with a job still running are left for the next sweep.
    """
    removed = 0
    with ctx.db.session() as s:
        for municipality_id in s.scalars(select(Municipality.id).order_by(Municipality.id)):
            own = ctx.for_municipality(municipality_id, s)
            days = own.settings.review.recording_retention_days
            if days > 0:
                removed += _sweep(own, s, municipality_id, (now or utcnow()), days)
    return removed


def _sweep(
    ctx: ServiceContext, s: Session, municipality_id: str, now: dt.datetime, days: int
) -> int:
    cutoff = now - dt.timedelta(days=days)
    removed = 0
    query = (
        select(Recording)
        .join(Meeting, Meeting.id == Recording.meeting_id)
        .where(
            Meeting.municipality_id == municipality_id,
            Recording.deleted_at.is_(None),
            Recording.created_at < cutoff,
        )
    )
    for recording in list(s.scalars(query)):
        busy = s.scalar(
            select(Job.id).where(
                Job.recording_id == recording.id, Job.state.in_(("queued", "running"))
            )
        )
        if busy is None and remove_audio(ctx, s, recording, "frist"):
            removed += 1
    if removed:
        log.info(
            "retention: %d recording(s) of %s deleted after %d days",
            removed, municipality_id, days,
        )  # fmt: skip
    return removed
