"""The measured figures ("Kennzahlen") of the AI-register entry, from audit-log entries.

`register_figures` is pure: it takes entries as `audit.entry_view` gives them (mappings with
`seq, at, kind, action, actor, meeting_id, job_id, details`), in `seq` order, and counts:

- sessions processed: distinct meetings with a finished `stage.transcription`;
- hours of audio: `duration_s` of `stage.intake`, each (meeting, `recording_sha256`) once,
  so a retried or re-run job does not count its recording twice;
- models in use: distinct name + version + SHA-256 of the models the AI stages record,
  with their stages, how many stage runs used them, on which devices, first and last use;
- minutes approved (distinct meeting + version with a final `review.approved`), published
  (distinct meeting + version with `review.published`), and how many of the published ones
  a person had approved before publication (must be all of them: the share is stated);
- the average edit rate over final approvals (`null` without one);
- recordings deleted by reason (`veroeffentlichung`, `frist`, `manuell`; `freigabe` before
  issue #17);
- incidents: failed jobs, refused uploads, failed logins, and whether the audit chain
  verified (`chain_ok`, passed in by the caller, `None` when not checked).

With `since`, figures count what happened from then on, but earlier entries still set
the state: an approval given before `since` covers a publication after it, and a recording
or meeting already counted before `since` is not counted again ("first time" semantics).

`figures_from_db` reads the `AuditEntry` rows in batches, runs `audit.verify` and calls
`register_figures`.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from protokoll.pipeline.stages import rank

DELETION_REASONS = ("veroeffentlichung", "freigabe", "frist", "manuell")  # freigabe: before #17
BATCH = 5000
_SHA256 = re.compile(r"[0-9a-f]{64}")

_Pair = tuple[str | None, Any]  # (meeting_id, minutes version)
_ModelKey = tuple[str, str | None, str | None]  # (name, version, sha256)


@dataclass(frozen=True)
class ModelFigure:
    """One model (name, version, weights) and how the AI stages used it."""

    name: str
    version: str | None
    sha256: str | None
    stages: tuple[str, ...]
    runs: int  # stage runs that used it
    devices: tuple[str, ...]
    first_used: str
    last_used: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "version": self.version,
            "sha256": self.sha256,
            "stages": list(self.stages),
            "runs": self.runs,
            "devices": list(self.devices),
            "first_used": self.first_used,
            "last_used": self.last_used,
        }


@dataclass(frozen=True)
class RegisterFigures:
    period_from: str | None  # ISO 8601, UTC
    period_to: str | None
    entries: int  # audit entries in the period
    sessions_processed: int
    audio_hours: float
    jobs_started: int
    jobs_cancelled: int
    jobs_retried: int
    models: tuple[ModelFigure, ...]
    minutes_approved: int
    minutes_published: int
    published_human_approved: int
    published_human_approved_share: float | None  # None when nothing was published
    average_edit_rate: float | None  # None without a final approval that has one
    edit_rates_counted: int
    recordings_deleted: Mapping[str, int] = field(default_factory=dict)
    jobs_failed: int = 0
    uploads_refused: int = 0
    logins_failed: int = 0
    chain_ok: bool | None = None

    def to_dict(self) -> dict[str, Any]:
        """The figures as the `kennzahlen` object of the register entry."""
        return {
            "period": {"from": self.period_from, "to": self.period_to},
            "audit_entries": self.entries,
            "sessions_processed": self.sessions_processed,
            "audio_hours": self.audio_hours,
            "jobs": {
                "started": self.jobs_started,
                "cancelled": self.jobs_cancelled,
                "retried": self.jobs_retried,
            },
            "models": [m.to_dict() for m in self.models],
            "minutes": {
                "approved": self.minutes_approved,
                "published": self.minutes_published,
                "published_human_approved": self.published_human_approved,
                "published_human_approved_share": self.published_human_approved_share,
                "average_edit_rate": self.average_edit_rate,
                "edit_rates_counted": self.edit_rates_counted,
            },
            "recordings_deleted": dict(self.recordings_deleted),
            "incidents": {
                "jobs_failed": self.jobs_failed,
                "uploads_refused": self.uploads_refused,
                "logins_failed": self.logins_failed,
                "chain_ok": self.chain_ok,
            },
        }


@dataclass
class _ModelUse:
    stages: set[str] = field(default_factory=set)
    runs: int = 0
    devices: set[str] = field(default_factory=set)
    first: str = ""
    last: str = ""


def _timestamp(value: Any) -> datetime:
    when = value if isinstance(value, datetime) else datetime.fromisoformat(str(value))
    return when.replace(tzinfo=UTC) if when.tzinfo is None else when.astimezone(UTC)


def _iso(when: datetime) -> str:
    return when.astimezone(UTC).isoformat(timespec="seconds")


def _number(value: Any) -> float | None:
    """A finite number (no bool), else None."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value) if math.isfinite(value) else None


def _text(value: Any) -> str | None:
    return str(value) if value not in (None, "") else None


def _sha256(value: Any) -> str | None:
    """A SHA-256 hex digest in lower case; None for none (a remote model) or a malformed one."""
    digest = str(value or "").strip().lower()
    return digest if _SHA256.fullmatch(digest) else None


def _models_of(stage: str, details: Mapping[str, Any]) -> dict[_ModelKey, str | None]:
    """The models a stage entry used itself, with their device. The minutes stage also lists
    the models of earlier stages (with their own `stage`); those are counted there."""
    found: dict[_ModelKey, str | None] = {}
    models = details.get("models")
    if not isinstance(models, list):
        return found
    for model in models:
        if not isinstance(model, Mapping) or model.get("stage", stage) != stage:
            continue
        name = _text(model.get("name")) or _text(model.get("id"))
        if name is None:
            continue
        version = _text(model.get("version")) or _text(model.get("revision"))
        key = (name, version, _sha256(model.get("sha256")))
        found[key] = _text(model.get("device")) or _text(details.get("device"))
    return found


def _stage_rank(stage: str) -> int:
    return rank(stage)


def register_figures(
    entries: Iterable[Mapping[str, Any]],
    *,
    chain_ok: bool | None = None,
    since: datetime | None = None,
) -> RegisterFigures:
    """Count the register figures from audit entries given in `seq` order (see the module)."""
    start = _timestamp(since) if since is not None else None
    first_at: datetime | None = None
    last_at: datetime | None = None
    counted = 0
    last_seq: int | None = None

    transcribed: set[str | None] = set()
    sessions = 0
    recordings: set[tuple[str | None, str]] = set()
    audio_s = 0.0
    jobs: Counter[str] = Counter()
    models: dict[_ModelKey, _ModelUse] = {}
    approved_now: dict[str | None, set[Any]] = {}  # versions a person approved, per meeting
    approved_pairs: set[_Pair] = set()
    approvals_in_period = 0
    edit_rates: dict[_Pair, float | None] = {}
    published: dict[_Pair, bool] = {}  # pair first published in the period -> always approved
    published_before: set[_Pair] = set()
    deleted: Counter[str] = Counter(dict.fromkeys(DELETION_REASONS, 0))

    for entry in entries:
        seq = entry.get("seq")
        if isinstance(seq, int):
            if last_seq is not None and seq <= last_seq:
                raise ValueError(f"audit entries must come in seq order ({seq} after {last_seq})")
            last_seq = seq
        at = _timestamp(entry["at"])
        in_period = start is None or at >= start
        if in_period:
            counted += 1
            first_at = first_at or at
            last_at = at
        action = str(entry.get("action", ""))
        meeting = entry.get("meeting_id")
        raw_details = entry.get("details")
        details: Mapping[str, Any] = raw_details if isinstance(raw_details, Mapping) else {}
        version = details.get("version")
        pair: _Pair = (meeting, version)

        if action == "stage.intake":
            digest = _text(details.get("recording_sha256")) or f"job:{entry.get('job_id')}"
            duration = _number(details.get("duration_s"))
            if (meeting, digest) not in recordings:
                recordings.add((meeting, digest))
                if in_period and duration is not None and duration > 0:
                    audio_s += duration
        elif action == "stage.transcription" and meeting is not None and meeting not in transcribed:
            transcribed.add(meeting)
            if in_period:
                sessions += 1

        if action.startswith("stage.") and in_period:
            stage = action.removeprefix("stage.")
            for key, device in _models_of(stage, details).items():
                use = models.setdefault(key, _ModelUse(first=_iso(at)))
                use.stages.add(stage)
                use.runs += 1
                use.last = _iso(at)
                if device:
                    use.devices.update(d for d in device.split(",") if d)

        if action == "review.approved" and details.get("final") is True:
            if entry.get("kind") == "human":
                approved_now.setdefault(meeting, set()).add(version)
            if pair not in approved_pairs:
                approved_pairs.add(pair)
                if in_period:
                    approvals_in_period += 1
            if in_period:
                edit_rates[pair] = _number(details.get("edit_rate"))
        elif action == "review.returned":
            approved_now.pop(meeting, None)  # sent back: earlier approvals no longer stand
        elif action == "review.published":
            approved = version in approved_now.get(meeting, set())
            if pair in published:
                published[pair] = published[pair] and approved
            elif pair not in published_before:
                if in_period:
                    published[pair] = approved
                else:
                    published_before.add(pair)
        elif in_period and action.startswith(("job.", "upload.", "login.")):
            jobs[action] += 1
        elif in_period and action == "recording.deleted":
            # the manual deletion in the web interface records no reason
            deleted[str(details.get("reason") or "manuell")] += 1

    rates = [r for r in edit_rates.values() if r is not None]
    human_approved = sum(published.values())
    return RegisterFigures(
        period_from=_iso(start) if start is not None else (_iso(first_at) if first_at else None),
        period_to=_iso(last_at) if last_at else None,
        entries=counted,
        sessions_processed=sessions,
        audio_hours=round(audio_s / 3600, 3),
        jobs_started=jobs["job.started"],
        jobs_cancelled=jobs["job.cancelled"],
        jobs_retried=jobs["job.retried"],
        models=tuple(
            ModelFigure(
                name=name,
                version=version,
                sha256=sha256,
                stages=tuple(sorted(use.stages, key=_stage_rank)),
                runs=use.runs,
                devices=tuple(sorted(use.devices)),
                first_used=use.first,
                last_used=use.last,
            )
            for (name, version, sha256), use in sorted(
                models.items(),
                key=lambda kv: (
                    min(_stage_rank(s) for s in kv[1].stages),
                    kv[0][0],
                    kv[0][1] or "",
                    kv[0][2] or "",
                ),
            )
        ),
        minutes_approved=approvals_in_period,
        minutes_published=len(published),
        published_human_approved=human_approved,
        published_human_approved_share=(
            round(human_approved / len(published), 4) if published else None
        ),
        average_edit_rate=round(sum(rates) / len(rates), 4) if rates else None,
        edit_rates_counted=len(rates),
        recordings_deleted=dict(deleted),
        jobs_failed=jobs["job.failed"],
        uploads_refused=jobs["upload.refused"],
        logins_failed=jobs["login.failed"],
        chain_ok=chain_ok,
    )
