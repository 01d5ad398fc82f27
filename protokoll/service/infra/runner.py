"""The service's side of a job: claim it, run it on the pipeline's one runner, finish it.

The stages themselves run in `protokoll.pipeline.runner.Runner`. What a shared server adds
comes in as that runner's observer (`_JobObserver`): a stage already done in an earlier
attempt is taken from its checkpoint (so a job that a crash, a restart or a killed worker
interrupted continues at the stage it was in), each stage's start and end go into the job
record and the audit log, progress and the estimated time left are stored by a heartbeat
thread that also renews the worker's lease, and a cancel request stops the job at the next
progress report. A stage can be re-run alone by forgetting it (`rerun_from`).
"""

from __future__ import annotations

import contextvars
import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from protokoll.config import Settings
from protokoll.domain.agenda import Agenda
from protokoll.errors import ProtokollError
from protokoll.pipeline import checkpoints
from protokoll.pipeline.eta import TimeLeft
from protokoll.pipeline.runner import Job as PipelineJob
from protokoll.pipeline.runner import ModelSteps, Observer, Runner, Steps
from protokoll.pipeline.stages import Stage, overall_progress, stages_for, stages_from
from protokoll.service.infra import audit, logs, tenancy
from protokoll.service.infra import jobs as joblib
from protokoll.service.infra.db import Database, disk_full
from protokoll.service.infra.storage import Layout
from protokoll.service.infra.tables import Job as JobRow
from protokoll.service.infra.tables import Meeting, Recording, utcnow

log = logging.getLogger(__name__)


# called with (session, meeting id, job id, minutes.json) when a job wrote a new AI draft
DraftHook = Callable[[Session, str, str, Path], object]


class JobStopped(Exception):
    """The job was cancelled or taken over by another worker; stop without a result."""


@dataclass
class _Live:
    """Progress shared between the stage (writer) and the heartbeat thread (reader)."""

    stages: list[str]
    stage: str | None = None
    fraction: float = 0.0
    stop_reason: str | None = None  # "cancelled" | "lost"
    time_left: TimeLeft = field(init=False)

    def __post_init__(self) -> None:
        self.time_left = TimeLeft(self.stages)

    def at(self, stage: str, fraction: float) -> None:
        """The running stage and its own progress (0–1)."""
        self.stage, self.fraction = stage, fraction
        self.time_left.update(stage, fraction)

    def progress(self) -> float:
        if self.stage is None:
            return 0.0
        return overall_progress(self.stages, self.stage, self.fraction)

    def eta_s(self) -> float | None:
        return self.time_left.eta_s()


def transient(exc: BaseException) -> bool:
    """A fault that may pass by itself: a lost connection (database, queue, LLM server), a
    timeout, a database that is busy. A full disk is not (it needs someone to act)."""
    if disk_full(exc):
        return False
    return isinstance(exc, ConnectionError | TimeoutError | OperationalError)


def _retry_note(exc: BaseException) -> str:
    return (
        f"Vorübergehender Fehler in der Verarbeitung ({type(exc).__name__}); der Auftrag "
        "wird automatisch erneut versucht und setzt beim letzten Zwischenstand fort."
    )


# how long a worker keeps trying to record a job's end while the disk is full
FINISH_RETRY_S = 3600.0


@dataclass(frozen=True)
class _JobInput:
    job_id: str
    meeting_id: str
    recording: Path
    recording_name: str
    agenda: Agenda | None
    params: dict[str, Any]
    stages_done: dict[str, dict[str, Any]]
    layout: Layout  # the meeting's municipality's folder
    settings: Settings  # with the municipality's own sections


class JobRunner:
    def __init__(
        self,
        db: Database,
        layout: Layout,
        settings: Settings,
        stages: Steps | None = None,
        *,
        on_draft: DraftHook | None = None,
    ) -> None:
        self.db = db
        self.layout = layout
        self.settings = settings
        self.stages: Steps = stages or ModelSteps()
        self.on_draft = on_draft

    # ---- entry point (called by the queue's task) -----------------------------------------

    def run(self, job_id: str) -> str:
        """Run the job if this worker can claim it; returns the job's final state."""
        worker = joblib.worker_name()
        lease = self.settings.service.worker_lease_s
        with self.db.session() as s:
            if not joblib.claim(s, job_id, worker, lease):
                job = s.get(JobRow, job_id)
                return job.state if job else "missing"
            job_input = self._load(s, job_id)
        with logs.job_context(job_id, job_input.meeting_id):
            return self._run_claimed(job_id, worker, job_input)

    def _run_claimed(self, job_id: str, worker: str, job_input: _JobInput) -> str:
        live = _Live(stages=self._stage_list(job_input))
        stop = threading.Event()
        beat = threading.Thread(  # in the job's logging context (its ids on every record)
            target=contextvars.copy_context().run,
            args=(self._heartbeat, job_id, worker, live, stop), daemon=True,
        )  # fmt: skip
        beat.start()
        state, error = "done", None
        try:
            self._execute(job_input, live)
        except JobStopped:
            state = "cancelled" if live.stop_reason == "cancelled" else "lost"
        except ProtokollError as exc:
            state, error = "failed", str(exc)
        except Exception as exc:
            state = "failed"
            if transient(exc) and self._may_retry(job_id):
                log.warning("Auftrag %s: vorübergehender Fehler, neuer Versuch: %r", job_id, exc)
                state, error = "retry", _retry_note(exc)
            elif transient(exc):
                log.error(
                    "Auftrag %s: vorübergehender Fehler, keine Versuche mehr: %r", job_id, exc
                )
                error = (
                    f"Vorübergehender Fehler in der Verarbeitung ({type(exc).__name__}), auch "
                    f"nach {self.settings.service.job_retries + 1} Versuchen. Die bisher "
                    "erreichten Zwischenstände bleiben erhalten; „Erneut versuchen“ setzt dort "
                    "fort. Geschieht es wieder, bitte den Betrieb informieren."
                )
            elif disk_full(exc):
                log.error("Auftrag %s: Speicherplatz voll: %s", job_id, exc)
                error = (
                    "Auf dem Server ist der Speicherplatz voll; die Verarbeitung wurde "
                    "angehalten und nichts Unfertiges veröffentlicht. Die bisher erreichten "
                    "Zwischenstände bleiben erhalten: sobald wieder Platz ist, setzt „Erneut "
                    "versuchen“ dort fort. Bitte den Betrieb informieren."
                )
            else:
                log.exception("Auftrag %s: unerwarteter Fehler", job_id)
                error = (
                    f"Interner Fehler in der Verarbeitung ({type(exc).__name__}: {exc}). Die "
                    "bisher erreichten Zwischenstände bleiben erhalten; „Erneut versuchen“ "
                    "setzt dort fort."
                )
        finally:
            stop.set()
            beat.join()
        if state == "lost":
            return state  # another worker owns the job now
        self._finish(job_id, worker, state, error)
        return state

    def _stage_list(self, job_input: _JobInput) -> list[str]:
        return stages_for(
            with_minutes=job_input.agenda is not None and job_input.settings.minutes.enabled
        )

    def _load(self, s: Any, job_id: str) -> _JobInput:
        job = s.get(JobRow, job_id)
        meeting = s.get(Meeting, job.meeting_id)
        recording = s.get(Recording, job.recording_id)
        agenda = Agenda.model_validate_json(meeting.agenda_json) if meeting.agenda_json else None
        layout = self.layout.tenant(meeting.municipality_id)
        return _JobInput(
            job_id=job.id,
            meeting_id=meeting.id,
            recording=layout.recording(meeting.id, recording.stored_name),
            recording_name=recording.original_name,
            agenda=agenda,
            params=dict(job.params or {}),
            stages_done=dict(job.stages or {}),
            layout=layout,
            settings=tenancy.settings_of(s, self.settings, meeting.municipality_id, layout.root),
        )

    # ---- the stages -------------------------------------------------------------------------

    def _execute(self, job: _JobInput, live: _Live) -> None:
        observer = _JobObserver(self, job, live)
        run = PipelineJob(
            recording=job.recording,
            work_dir=job.layout.work(job.meeting_id, job.job_id),
            out_dir=job.layout.out(job.meeting_id, job.job_id),
            agenda=job.agenda,
            recording_name=job.recording_name,
            bounds=(job.params.get("min_speakers"), job.params.get("max_speakers")),
        )
        result = Runner(job.settings, self.stages, observer).run(run)
        with self.db.session() as s:
            row = s.get(JobRow, job.job_id)
            if row is not None:
                row.warnings = list(result.warnings)

    def _store_stages(self, s: Session, job: _JobInput, live: _Live) -> None:
        """Store the stage records; a worker that no longer holds the job stops instead."""
        stages = {k: dict(v) for k, v in job.stages_done.items()}
        if not joblib.store_stages(s, job.job_id, joblib.worker_name(), stages):
            live.stop_reason = "lost"
            raise JobStopped("lost")

    # ---- progress, heartbeat, end -----------------------------------------------------------

    def _heartbeat(self, job_id: str, worker: str, live: _Live, stop: threading.Event) -> None:
        service = self.settings.service
        interval = service.heartbeat_s
        while not stop.wait(interval):
            try:
                with self.db.session() as s:
                    owned = joblib.renew(
                        s, job_id, worker, service.worker_lease_s,
                        stage=live.stage, stage_progress=live.fraction,
                        progress=live.progress(), eta_s=live.eta_s(),
                    )  # fmt: skip
                    job = s.get(JobRow, job_id)
                    if job is None or not owned:
                        live.stop_reason = "lost"
                    elif job.cancel_requested:
                        live.stop_reason = "cancelled"
            except Exception:  # a busy database must not kill the job; the next beat retries
                log.warning("Heartbeat für Auftrag %s fehlgeschlagen", job_id, exc_info=True)

    def _finish(self, job_id: str, worker: str, state: str, error: str | None) -> None:
        """Record the job's end. A full disk stops the database too: the worker keeps the
        job and tries again (1 s, doubling to 30 s) until there is space or FINISH_RETRY_S
        have passed, so the job never stays "running" without a worker."""
        delay, deadline = 1.0, time.monotonic() + FINISH_RETRY_S
        while True:
            try:
                self._record_end(job_id, worker, state, error)
                return
            except Exception as exc:
                if not disk_full(exc) or time.monotonic() > deadline:
                    raise
                log.error(
                    "Auftrag %s: das Ende lässt sich nicht speichern, der Speicherplatz ist "
                    "voll; neuer Versuch in %.0f s", job_id, delay,
                )  # fmt: skip
                time.sleep(delay)
                delay = min(delay * 2, 30.0)

    def _may_retry(self, job_id: str) -> bool:
        with self.db.session() as s:
            job = s.get(JobRow, job_id)
            return job is not None and job.attempts <= self.settings.service.job_retries

    def retry_delay_s(self, job_id: str) -> float:
        """How long a job queued again after a transient fault waits: `retry_backoff_s`,
        doubling with each attempt."""
        with self.db.session() as s:
            job = s.get(JobRow, job_id)
            return self._delay_for(job.attempts if job is not None else 1)

    def _delay_for(self, attempts: int) -> float:
        return float(self.settings.service.retry_backoff_s * 2 ** max(0, attempts - 1))

    def _record_end(self, job_id: str, worker: str, state: str, error: str | None) -> None:
        with self.db.session() as s:
            if not joblib.release(s, job_id, worker):
                return  # another worker holds the job now
            job = s.get(JobRow, job_id)
            if job is None:
                return
            ended = {"worker": worker, "attempt": job.attempts}
            if state == "retry":  # queued again; the queue delivers it after the delay
                delay = self._delay_for(job.attempts)
                job.state, job.worker, job.lease_until = "queued", None, None
                of = self.settings.service.job_retries + 1
                job.error = (
                    f"{error} Neuer Versuch in {delay:.0f} s (Versuch {job.attempts + 1} von {of})."
                )
                audit.record(
                    s, "job.retry_scheduled", kind="system", actor="worker",
                    meeting_id=job.meeting_id, job_id=job.id,
                    details={"error": error or "", "stage": job.stage, "delay_s": delay, **ended},
                )  # fmt: skip
                return
            job.state = state
            job.error = error
            job.finished_at = utcnow()
            details = dict(ended)
            if state != "done":  # where it stopped
                details["stage"] = job.stage
            if state == "failed":
                details["error"] = error or ""
            action = {"done": "job.done", "failed": "job.failed"}.get(state, "job.stopped")
            audit.record(
                s, action, kind="system", actor="worker", meeting_id=job.meeting_id,
                job_id=job.id, details=details,
            )  # fmt: skip
            if state == "done":
                job.progress, job.stage_progress, job.eta_s = 1.0, 1.0, 0.0
            if state == "cancelled":
                job.cancel_requested = False


class _JobObserver(Observer):
    """The service's hooks on the pipeline runner for one job."""

    wants_records = True  # they go into the audit log

    def __init__(self, runner: JobRunner, job: _JobInput, live: _Live) -> None:
        self.runner, self.job, self.live = runner, job, live

    def done_before(self, stage: str) -> bool:
        return bool(self.job.stages_done.get(stage, {}).get("done"))

    def started(self, stage: str) -> None:
        self.live.at(stage, 0.0)
        record = dict(self.job.stages_done.get(stage, {}))
        record["started"] = int(record.get("started", 0)) + 1
        record["done"] = False
        self.job.stages_done[stage] = record
        with self.runner.db.session() as s:
            self.runner._store_stages(s, self.job, self.live)

    def progress(self, stage: str, completed: float, total: float) -> None:
        if self.live.stop_reason is not None:
            raise JobStopped(self.live.stop_reason)
        if stage == self.live.stage and total > 0:
            self.live.at(stage, max(0.0, min(1.0, completed / total)))

    def finished(self, stage: Stage, seconds: float, record: dict[str, Any]) -> None:
        """Mark the stage finished and write its audit entry, in one transaction."""
        self.live.at(stage.name, 1.0)
        job = self.job
        state = dict(job.stages_done.get(stage.name, {}))
        state["done"] = True
        state["seconds"] = round(seconds, 2)
        job.stages_done[stage.name] = state
        details = {**record, "seconds": state["seconds"], "worker": joblib.worker_name()}
        if "models" in details:
            details["models"] = [_without_hotwords(m) for m in details["models"]]
        details.setdefault("device", _device_of(details))
        with self.runner.db.session() as s:
            self.runner._store_stages(s, job, self.live)  # first: holds the row to the end
            audit.record(
                s, f"stage.{stage.name}", kind=stage.kind, actor="worker",
                meeting_id=job.meeting_id, job_id=job.job_id, details=details,
            )  # fmt: skip

    def draft_ready(self, minutes_json: Path) -> None:
        if self.runner.on_draft is not None:
            with self.runner.db.session() as s:
                self.runner.on_draft(s, self.job.meeting_id, self.job.job_id, minutes_json)


def _without_hotwords(model: dict[str, Any]) -> dict[str, Any]:
    """The recogniser's hotwords hold every agenda title, non-public ones included: the
    audit log, which administrators read, keeps only their number."""
    params = dict(model.get("parameters") or {})
    if isinstance(params.get("hotwords"), str):
        params["hotwords"] = f"({len(params['hotwords'].split())} Wörter)"
    return {**model, "parameters": params}


def _device_of(details: dict[str, Any]) -> str | None:
    devices = {m.get("device") for m in details.get("models", []) if isinstance(m, dict)}
    devices.discard(None)
    return ",".join(sorted(str(d) for d in devices)) or None


def rerun_from(layout: Layout, job: JobRow, stage: str) -> list[str]:
    """Forget the results of `stage` and all later stages, so they run again."""
    work = layout.work(job.meeting_id, job.id)
    checkpoints.discard_from(work, stage)
    later = stages_from(stage)
    job.stages = {k: v for k, v in (job.stages or {}).items() if k not in later}
    return later
