"""Review of the minutes in the service: versions, the review state, approval, publication.

Every version is a new row (`MinutesVersion`), never an update: the AI draft stays as
the worker wrote it, each edit in the browser or in Word adds a version, and the edit
rate of each version against its AI draft is measured when it is saved. The review
state lives in `Review`; which step is allowed is decided by
`protokoll.review.workflow.decide` only. Each version, mapping and transition is in the
audit log, in the same transaction as the change.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from protokoll.domain.minutes import Minutes
from protokoll.errors import InputError
from protokoll.review import workflow
from protokoll.review.edit_rate import edit_rate
from protokoll.review.workflow import STATE_LABELS, Actor
from protokoll.service.context import ServiceContext
from protokoll.service.infra import audit
from protokoll.service.infra.tables import (
    Job,
    Meeting,
    MinutesVersion,
    Recording,
    Review,
    ReviewEvent,
    User,
    utcnow,
)
from protokoll.service.usecases import access, publishing, retention
from protokoll.service.usecases.access import Conflict, NotFound

log = logging.getLogger(__name__)

SOURCE_LABELS = {"ki": "KI-Entwurf", "web": "Bearbeitung im Browser", "word": "Word-Dokument"}
DOCUMENT_ID_PREFIX = "protokoll"


# ---- reading -------------------------------------------------------------------------------


def review_of(s: Session, meeting_id: str) -> Review | None:
    return s.get(Review, meeting_id)


def versions_of(s: Session, meeting_id: str) -> list[MinutesVersion]:
    query = select(MinutesVersion).where(MinutesVersion.meeting_id == meeting_id)
    return list(s.scalars(query.order_by(MinutesVersion.number)))


def get_version(s: Session, meeting_id: str, number: int) -> MinutesVersion:
    query = select(MinutesVersion).where(
        MinutesVersion.meeting_id == meeting_id, MinutesVersion.number == number
    )
    version = s.scalar(query)
    if version is None:
        raise NotFound(f"Fassung {number} gibt es nicht.")
    return version


def current_version(s: Session, meeting_id: str) -> MinutesVersion | None:
    review = review_of(s, meeting_id)
    if review is None or review.current_number is None:
        return None
    return get_version(s, meeting_id, review.current_number)


def minutes_of(version: MinutesVersion) -> Minutes:
    return Minutes.from_dict(json.loads(version.content))


def require_review(user: User, meeting: Meeting) -> None:
    """Reading and editing the draft: the meeting's Schriftführung and the reviewers."""
    access.require(
        access.can_see_confidential(user, meeting),
        "Die Niederschrift prüfen und bearbeiten dürfen nur die Schriftführung der Sitzung und "
        "die Prüfung.",
    )


def document_id(meeting_id: str, number: int) -> str:
    """The identifier embedded in a version's DOCX, which an upload is matched by."""
    return f"{DOCUMENT_ID_PREFIX}:{meeting_id}:{number}"


def parse_document_id(value: str | None) -> tuple[str, int] | None:
    parts = (value or "").split(":")
    if len(parts) != 3 or parts[0] != DOCUMENT_ID_PREFIX or not parts[2].isdigit():
        return None
    return parts[1], int(parts[2])


# ---- writing versions ----------------------------------------------------------------------


def _content(minutes: Minutes) -> tuple[str, str]:
    text = json.dumps(minutes.to_dict(), ensure_ascii=False, sort_keys=True, allow_nan=False)
    return text, hashlib.sha256(text.encode()).hexdigest()


def _next_number(s: Session, meeting_id: str) -> int:
    query = select(func.max(MinutesVersion.number)).where(MinutesVersion.meeting_id == meeting_id)
    return int(s.scalar(query) or 0) + 1


def add_ai_draft(s: Session, meeting_id: str, job_id: str, minutes_json: Path) -> MinutesVersion:
    """The worker's new AI draft becomes the current version (called when a job finished).

    A review in progress goes back to the draft state: its approvals were for other text.
    """
    minutes = Minutes.from_dict(json.loads(minutes_json.read_text(encoding="utf-8")))
    text, digest = _content(minutes)
    number = _next_number(s, meeting_id)
    version = MinutesVersion(
        meeting_id=meeting_id, number=number, source="ki", job_id=job_id, base_number=None,
        ai_number=number, created_by=None, content=text, sha256=digest, note="",
        edit_rate=None,
    )  # fmt: skip
    s.add(version)
    review = review_of(s, meeting_id)
    if review is None:
        review = Review(meeting_id=meeting_id, state="entwurf")
        s.add(review)
    elif review.state != "entwurf":
        _event(s, meeting_id, "neuer_entwurf", review.state, "entwurf", number, None, "")
    review.state, review.current_number, review.approved_number = "entwurf", number, None
    review.updated_at = utcnow()
    audit.record(
        s, "minutes.version", kind="system", actor="worker", meeting_id=meeting_id,
        job_id=job_id,
        details={"version": number, "source": "ki", "sha256": digest, "edit_rate": None,
                 "edit_rate_items": {}},
    )  # fmt: skip
    return version


def save_version(
    s: Session,
    user: User,
    meeting: Meeting,
    minutes: Minutes,
    *,
    source: str,
    base_number: int,
    note: str = "",
) -> MinutesVersion:
    """Store ``minutes`` as a new version edited from ``base_number`` (which must be current)."""
    require_review(user, meeting)
    review = review_of(s, meeting.id)
    if review is None or review.current_number is None:
        raise Conflict("Es gibt noch keinen Entwurf der Niederschrift.")
    workflow.check_editable(review.state)
    if base_number != review.current_number:
        raise Conflict(
            f"Die Änderung beruht auf Fassung {base_number}; inzwischen gibt es Fassung "
            f"{review.current_number}. Bitte die aktuelle Fassung öffnen und die Änderung "
            "dort erneut vornehmen."
        )
    base = get_version(s, meeting.id, base_number)
    text, digest = _content(minutes)
    if digest == base.sha256:
        raise InputError("Keine Änderung gegenüber der aktuellen Fassung.")
    ai = minutes_of(get_version(s, meeting.id, base.ai_number))
    rate = edit_rate(ai, minutes).to_dict()
    number = _next_number(s, meeting.id)
    version = MinutesVersion(
        meeting_id=meeting.id, number=number, source=source, job_id=base.job_id,
        base_number=base_number, ai_number=base.ai_number, created_by=user.id, content=text,
        sha256=digest, note=note[:2000], edit_rate=rate,
    )  # fmt: skip
    s.add(version)
    review.current_number, review.updated_at = number, utcnow()
    audit.record(
        s, "minutes.version", user=user, meeting_id=meeting.id,
        details={"version": number, "source": source, "base": base_number, "sha256": digest,
                 "edit_rate": rate["rate"], "edit_rate_items": _item_rates(rate)},
    )  # fmt: skip
    old_names = minutes_of(base).speaker_names
    if minutes.speaker_names != old_names:
        changed = {
            label
            for label in set(old_names) | set(minutes.speaker_names)
            if old_names.get(label) != minutes.speaker_names.get(label)
        }
        audit.record(
            s, "speakers.mapped", user=user, meeting_id=meeting.id,
            details={"version": number, "mapped": len(minutes.speaker_names),
                     "changed": sorted(changed)},
        )  # fmt: skip
    old_edits = minutes_of(base).transcript_edits
    if minutes.transcript_edits != old_edits:
        segments = {
            key
            for key in set(old_edits) | set(minutes.transcript_edits)
            if old_edits.get(key) != minutes.transcript_edits.get(key)
        }
        audit.record(
            s, "transcript.edited", user=user, meeting_id=meeting.id,
            details={"version": number, "segments": sorted(int(k) for k in segments),
                     "corrected": len(minutes.transcript_edits)},
        )  # fmt: skip
    return version


def _item_rates(rate: dict[str, Any]) -> dict[str, float]:
    return {str(i["number"]): float(i["rate"]) for i in rate.get("items", [])}


# ---- transitions ---------------------------------------------------------------------------


def _event(
    s: Session,
    meeting_id: str,
    action: str,
    from_state: str,
    to_state: str,
    number: int | None,
    user: User | None,
    reason: str,
    at: dt.datetime | None = None,
) -> ReviewEvent:
    event = ReviewEvent(
        meeting_id=meeting_id, action=action, from_state=from_state, to_state=to_state,
        version_number=number, user_id=user.id if user else None,
        actor=user.display_name or user.username if user else "system", reason=reason,
        at=at or utcnow(),
    )  # fmt: skip
    s.add(event)
    return event


def _approvals(s: Session, review: Review) -> list[ReviewEvent]:
    """The approvals of the current version since it was last submitted."""
    if review.current_number is None or review.submitted_at is None:
        return []
    query = select(ReviewEvent).where(
        ReviewEvent.meeting_id == review.meeting_id,
        ReviewEvent.action == "freigeben",
        ReviewEvent.version_number == review.current_number,
        ReviewEvent.at >= review.submitted_at,
    )
    return list(s.scalars(query.order_by(ReviewEvent.id)))


def approvers(s: Session, review: Review) -> list[int]:
    """Who approved the current version since it was last submitted."""
    return [e.user_id for e in _approvals(s, review) if e.user_id is not None]


def actor_for(user: User, meeting: Meeting) -> Actor:
    return Actor(user.id, user.has("pruefer"), access.owns(user, meeting))


def check_step(
    ctx: ServiceContext, s: Session, user: User, meeting: Meeting, action: str, reason: str = "x"
) -> workflow.Step:
    """The step ``action`` would take now, without taking it; raises if not allowed."""
    if not access.can_view(user, meeting):
        raise NotFound("Diese Sitzung gibt es nicht oder Sie haben keinen Zugriff darauf.")
    require_review(user, meeting)
    review = review_of(s, meeting.id)
    state = review.state if review else "entwurf"
    return workflow.decide(
        state, action, actor_for(user, meeting), has_version=bool(review and review.current_number),
        approvers=approvers(s, review) if review else [],
        four_eyes=ctx.of(meeting).settings.review.four_eyes, reason=reason,
    )  # fmt: skip


@dataclass(frozen=True)
class TransitionResult:
    state: str
    final_approval: bool
    approvals: int
    required: int
    recordings_deleted: int = 0


def transition(
    ctx: ServiceContext, s: Session, user: User, meeting: Meeting, action: str, reason: str = ""
) -> TransitionResult:
    """Take one review step; publication writes the published documents first, then
    deletes the recording if `[review] delete_recording` says so."""
    ctx = ctx.of(meeting)
    step = check_step(ctx, s, user, meeting, action, reason)
    review = review_of(s, meeting.id)
    assert review is not None and review.current_number is not None
    state = review.state
    reason = reason.strip()[:2000]
    number = review.current_number
    version = get_version(s, meeting.id, number)
    details: dict[str, Any] = {"version": number, "from": state, "to": step.to_state}
    deleted = 0
    # the step's moment; publication writes it into the documents, and the OParl interface
    # reads it back from the event, so both say the same
    at = utcnow()
    if action == "einreichen":
        review.submitted_at = utcnow()
    elif action == "zurueckgeben":
        review.approved_number = None
        details["reason"] = reason
    elif action == "freigeben":
        rate = version.edit_rate or {}
        details.update(
            approvals=step.approvals, required=step.required, final=step.final_approval,
            edit_rate=rate.get("rate", 0.0) if version.source != "ki" else 0.0,
            edit_rate_items=_item_rates(rate),
        )  # fmt: skip
        if step.final_approval:
            review.approved_number = number
    elif action == "veroeffentlichen":
        approved_by = approver_names(s, review)
        files = publishing.publish(ctx, s, meeting, version, approved_by, at)
        review.published_number = number
        details.update(approved_by=approved_by, files=files)
    _event(s, meeting.id, action, state, step.to_state, number, user, reason, at)
    review.state, review.updated_at = step.to_state, utcnow()
    audit.record(
        s, f"review.{_AUDIT_ACTIONS[action]}", user=user, meeting_id=meeting.id, details=details
    )
    if action == "veroeffentlichen":  # never at approval: a returned draft needs the audio
        deleted = retention.delete_for_publication(ctx, s, meeting.id, user)
    return TransitionResult(
        step.to_state, step.final_approval, step.approvals, step.required, deleted
    )


_AUDIT_ACTIONS = {
    "einreichen": "submitted",
    "zurueckgeben": "returned",
    "freigeben": "approved",
    "veroeffentlichen": "published",
}


def approver_names(s: Session, review: Review) -> list[str]:
    """The people whose approvals made the current version approved."""
    return list(dict.fromkeys(e.actor for e in _approvals(s, review)))


# ---- views ---------------------------------------------------------------------------------


def version_view(v: MinutesVersion, users: dict[int, str]) -> dict[str, Any]:
    rate = v.edit_rate or None
    return {
        "number": v.number,
        "source": v.source,
        "source_label": SOURCE_LABELS.get(v.source, v.source),
        "created_at": v.created_at.isoformat(),
        "created_by": users.get(v.created_by) if v.created_by else None,
        "base": v.base_number,
        "ai_draft": v.ai_number,
        "sha256": v.sha256,
        "note": v.note,
        "edit_rate": rate["rate"] if rate else None,
        "edit_rate_items": _item_rates(rate) if rate else {},
    }


def review_view(ctx: ServiceContext, s: Session, user: User, meeting: Meeting) -> dict[str, Any]:
    require_review(user, meeting)
    ctx = ctx.of(meeting)
    review = review_of(s, meeting.id)
    versions = versions_of(s, meeting.id)
    events = _events(s, meeting.id)
    ids = {v.created_by for v in versions if v.created_by}
    users = {
        u.id: u.display_name or u.username for u in s.scalars(select(User).where(User.id.in_(ids)))
    }
    state = review.state if review else "entwurf"
    given = approvers(s, review) if review else []
    actor = actor_for(user, meeting)
    has_version = bool(review and review.current_number)
    allowed = {}
    for action in workflow.ACTIONS:
        try:
            workflow.decide(
                state, action, actor, has_version=has_version, approvers=given,
                four_eyes=ctx.settings.review.four_eyes, reason="x",
            )  # fmt: skip
            allowed[action] = True
        except workflow.WorkflowError:
            allowed[action] = False
    return {
        "meeting_id": meeting.id,
        "state": state,
        "state_label": STATE_LABELS[state],
        "current": review.current_number if review else None,
        "approved": review.approved_number if review else None,
        "published": review.published_number if review else None,
        "four_eyes": ctx.settings.review.four_eyes,
        "approvals": len(given),
        "required": workflow.required_approvals(ctx.settings.review.four_eyes),
        "editable": has_version and state in workflow.EDITABLE_STATES,
        "allowed": allowed,
        "versions": [version_view(v, users) for v in versions],
        "events": [
            {
                "action": e.action,
                "from": e.from_state,
                "to": e.to_state,
                "version": e.version_number,
                "actor": e.actor,
                "reason": e.reason,
                "at": e.at.isoformat(),
            }
            for e in events
        ],
    }


@dataclass(frozen=True)
class ListState:
    """A meeting's review state as the meeting list shows it."""

    state: str | None  # None: no draft yet
    label: str
    waiting: str = ""  # German, what awaits this user ("" if nothing)


def list_states(s: Session, user: User, meetings: list[Meeting]) -> dict[str, ListState]:
    """Each meeting's review state, and whether it waits for ``user``: a reviewer is
    awaited by minutes in review they have not approved yet; the meeting's Schriftführung
    by a draft returned for rework, and by approved minutes to publish."""
    states: dict[str, ListState] = {}
    for meeting in meetings:
        review = review_of(s, meeting.id)
        if review is None:
            states[meeting.id] = ListState(None, "noch kein Entwurf")
            continue
        states[meeting.id] = ListState(
            review.state, STATE_LABELS[review.state], _waiting(s, user, meeting, review)
        )
    return states


def _waiting(s: Session, user: User, meeting: Meeting, review: Review) -> str:
    if not access.can_see_confidential(user, meeting):
        return ""
    if review.state == "in_pruefung" and user.has("pruefer"):
        return "" if user.id in approvers(s, review) else "wartet auf Ihre Freigabe"
    if not access.owns(user, meeting):
        return ""
    if review.state == "entwurf":
        last = s.scalar(
            select(ReviewEvent)
            .where(ReviewEvent.meeting_id == meeting.id)
            .order_by(ReviewEvent.id.desc())
            .limit(1)
        )
        if last is not None and last.action == "zurueckgeben":
            return "zur Überarbeitung zurückgegeben"
    if review.state == "freigegeben":
        return "freigegeben, wartet auf Veröffentlichung"
    return ""


def _events(s: Session, meeting_id: str) -> list[ReviewEvent]:
    query = select(ReviewEvent).where(ReviewEvent.meeting_id == meeting_id)
    return list(s.scalars(query.order_by(ReviewEvent.id)))


def is_published(s: Session, meeting_id: str) -> bool:
    review = review_of(s, meeting_id)
    return review is not None and review.state == "veroeffentlicht"


PUBLISHED_READ_ONLY = (
    "Die Niederschrift dieser Sitzung ist veröffentlicht; die Sitzung ist abgeschlossen. "
    "Aufnahmen, Tagesordnung, Mitglieder und Verarbeitung können nicht mehr geändert werden."
)


def refuse_when_published(s: Session, meeting: Meeting) -> None:
    """After publication the meeting is read-only: what was published stays as it was."""
    if is_published(s, meeting.id):
        raise Conflict(PUBLISHED_READ_ONLY)


def refuse_new_draft_when_approved(s: Session, meeting: Meeting) -> None:
    """A new job would replace the draft: not once the minutes are approved or published."""
    review = review_of(s, meeting.id)
    if review is not None and review.state in ("freigegeben", "veroeffentlicht"):
        raise Conflict(
            f"Die Niederschrift ist {STATE_LABELS[review.state].lower()}; eine neue "
            "Verarbeitung würde sie ersetzen. Bitte die Freigabe zuerst zurücknehmen lassen."
        )


def transcript_job(s: Session, version: MinutesVersion) -> Job | None:
    return s.get(Job, version.job_id) if version.job_id else None


def recording_for(s: Session, job: Job | None) -> Recording | None:
    return s.get(Recording, job.recording_id) if job else None
