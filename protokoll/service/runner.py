"""Runs one job through the pipeline's stages, with a checkpoint after each.

    intake -> transcription -> diarization -> assignment (+ transcript documents)
           -> minutes (with an agenda)

Before a stage runs, the runner looks for its checkpoint in the job's work
folder and uses it instead; so a job that a crash, a restart or a killed worker
interrupted continues at the stage it was in, and a stage can be re-run alone
by removing its checkpoint (`rerun_from`). While a job runs, a heartbeat thread
renews the worker's lease and stores progress and the estimated time left.
"""

from __future__ import annotations

import dataclasses
import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from protokoll import checkpoints
from protokoll.agenda import Agenda
from protokoll.config import Settings
from protokoll.errors import ProtokollError
from protokoll.intake import DecodedAudio
from protokoll.minutes import Minutes
from protokoll.pipeline import (
    MINUTES_FILES,
    DiarizationOutcome,
    draft_minutes,
    minutes_writers,
    publish,
    stage_assignment,
    stage_diarization,
    stage_intake,
    stage_transcription,
    transcript_writers,
)
from protokoll.progress import ProgressHook
from protokoll.service import audit
from protokoll.service import jobs as joblib
from protokoll.service.db import Database
from protokoll.service.models import Job, Meeting, Recording, utcnow
from protokoll.service.storage import Layout, file_sha256, linked_as
from protokoll.transcribe import TranscriptionResult
from protokoll.transcript import Transcript

log = logging.getLogger(__name__)


class Stages(Protocol):
    """The model stages; the real ones by default, fakes in tests of the logic around them."""

    def intake(
        self, recording: Path, settings: Settings, work_dir: Path, hook: ProgressHook
    ) -> DecodedAudio: ...

    def transcription(
        self, decoded: DecodedAudio, settings: Settings, agenda: Agenda | None, hook: ProgressHook
    ) -> TranscriptionResult: ...

    def diarization(
        self,
        decoded: DecodedAudio,
        settings: Settings,
        agenda: Agenda | None,
        bounds: tuple[int | None, int | None],
        hook: ProgressHook,
    ) -> DiarizationOutcome: ...

    def minutes(
        self, transcript: Transcript, agenda: Agenda, settings: Settings, hook: ProgressHook
    ) -> Minutes: ...


class PipelineStages:
    """The real stages (faster-whisper, pyannote, the LLM)."""

    def intake(
        self, recording: Path, settings: Settings, work_dir: Path, hook: ProgressHook
    ) -> DecodedAudio:
        return stage_intake(recording, settings, work_dir, hook)

    def transcription(
        self, decoded: DecodedAudio, settings: Settings, agenda: Agenda | None, hook: ProgressHook
    ) -> TranscriptionResult:
        return stage_transcription(decoded, settings, agenda=agenda, hook=hook)

    def diarization(
        self,
        decoded: DecodedAudio,
        settings: Settings,
        agenda: Agenda | None,
        bounds: tuple[int | None, int | None],
        hook: ProgressHook,
    ) -> DiarizationOutcome:
        return stage_diarization(
            decoded, settings, agenda=agenda, min_speakers=bounds[0], max_speakers=bounds[1],
            hook=hook,
        )  # fmt: skip

    def minutes(
        self, transcript: Transcript, agenda: Agenda, settings: Settings, hook: ProgressHook
    ) -> Minutes:
        return draft_minutes(transcript, agenda, settings, hook=hook)


class JobStopped(Exception):
    """The job was cancelled or taken over by another worker; stop without a result."""


@dataclass
class _Live:
    """Progress shared between the stage (writer) and the heartbeat thread (reader)."""

    stages: list[str]
    stage: str | None = None
    fraction: float = 0.0
    started: float = field(default_factory=time.monotonic)
    start_progress: float | None = None
    stop_reason: str | None = None  # "cancelled" | "lost"

    def progress(self) -> float:
        if self.stage is None:
            return 0.0
        return joblib.overall_progress(self.stages, self.stage, self.fraction)

    def eta_s(self) -> float | None:
        now = self.progress()
        if self.start_progress is None:
            self.start_progress = now
        gained = now - self.start_progress
        if gained < 0.02:
            return None
        return (time.monotonic() - self.started) * (1.0 - now) / gained


@dataclass(frozen=True)
class _JobInput:
    job_id: str
    meeting_id: str
    recording: Path
    recording_name: str
    agenda: Agenda | None
    params: dict[str, Any]
    stages_done: dict[str, dict[str, Any]]


class JobRunner:
    def __init__(
        self, db: Database, layout: Layout, settings: Settings, stages: Stages | None = None
    ) -> None:
        self.db = db
        self.layout = layout
        self.settings = settings
        self.stages = stages or PipelineStages()

    # ---- entry point (called by the queue's task) -----------------------------------------

    def run(self, job_id: str) -> str:
        """Run the job if this worker can claim it; returns the job's final state."""
        worker = joblib.worker_name()
        lease = self.settings.service.worker_lease_s
        with self.db.session() as s:
            if not joblib.claim(s, job_id, worker, lease):
                job = s.get(Job, job_id)
                return job.state if job else "missing"
            job_input = self._load(s, job_id)
        live = _Live(stages=self._stage_list(job_input))
        stop = threading.Event()
        beat = threading.Thread(
            target=self._heartbeat, args=(job_id, worker, live, stop), daemon=True
        )
        beat.start()
        state, error = "done", None
        try:
            self._execute(job_input, live)
        except JobStopped:
            state = "cancelled" if live.stop_reason == "cancelled" else "lost"
        except ProtokollError as exc:
            state, error = "failed", str(exc)
        except Exception as exc:
            log.exception("Auftrag %s: unerwarteter Fehler", job_id)
            state = "failed"
            error = (
                f"Interner Fehler in der Verarbeitung ({type(exc).__name__}: {exc}). Die bisher "
                "erreichten Zwischenstände bleiben erhalten; „Erneut versuchen“ setzt dort fort."
            )
        finally:
            stop.set()
            beat.join()
        if state == "lost":
            return state  # another worker owns the job now
        self._finish(job_id, worker, state, error)
        return state

    def _stage_list(self, job_input: _JobInput) -> list[str]:
        stages = ["intake", "transcription", "diarization", "assignment"]
        if job_input.agenda is not None and self.settings.minutes.enabled:
            stages.append("minutes")
        return stages

    def _load(self, s: Any, job_id: str) -> _JobInput:
        job = s.get(Job, job_id)
        meeting = s.get(Meeting, job.meeting_id)
        recording = s.get(Recording, job.recording_id)
        agenda = Agenda.model_validate_json(meeting.agenda_json) if meeting.agenda_json else None
        return _JobInput(
            job_id=job.id,
            meeting_id=meeting.id,
            recording=self.layout.recording(meeting.id, recording.stored_name),
            recording_name=recording.original_name,
            agenda=agenda,
            params=dict(job.params or {}),
            stages_done=dict(job.stages or {}),
        )

    # ---- the stages -------------------------------------------------------------------------

    def _execute(self, job: _JobInput, live: _Live) -> None:
        work = self.layout.work(job.meeting_id, job.job_id)
        out = self.layout.out(job.meeting_id, job.job_id)
        work.mkdir(parents=True, exist_ok=True)
        hook = self._hook(live)
        settings = self.settings

        decoded = checkpoints.load_intake(work) if self._done(job, "intake") else None
        if decoded is None:
            decoded = self._stage(
                job, live, "intake",
                lambda: self._intake(job, work, hook),
            )  # fmt: skip
            checkpoints.save_intake(work, decoded)
            self._mark_done(job, "intake", "system", {
                "recording_sha256": decoded.info.sha256,
                "duration_s": decoded.info.duration_s,
                "format": decoded.info.source_format,
                "decoded_sha256": file_sha256(decoded.wav_path),
                "warnings": list(decoded.warnings),
            })  # fmt: skip

        result = checkpoints.load_transcription(work) if self._done(job, "transcription") else None
        if result is None:
            result = self._stage(
                job, live, "transcription",
                lambda: self.stages.transcription(decoded, settings, job.agenda, hook),
            )  # fmt: skip
            checkpoints.save_transcription(work, result)
            self._mark_done(job, "transcription", "ai", {
                "models": [dataclasses.asdict(result.model)] if result.model else [],
                "input_sha256": decoded.info.sha256,
                "output_sha256": file_sha256(work / checkpoints.STAGE_FILES["transcription"]),
                "segments": len(result.segments),
                "dropped_passages": len(result.dropped),
            })  # fmt: skip

        diarization = checkpoints.load_diarization(work) if self._done(job, "diarization") else None
        if diarization is None:
            bounds = (job.params.get("min_speakers"), job.params.get("max_speakers"))
            diarization = self._stage(
                job, live, "diarization",
                lambda: self.stages.diarization(decoded, settings, job.agenda, bounds, hook),
            )  # fmt: skip
            checkpoints.save_diarization(work, diarization)
            self._mark_done(job, "diarization", "ai", {
                "models": [dataclasses.asdict(m) for m in diarization.models],
                "input_sha256": decoded.info.sha256,
                "output_sha256": file_sha256(work / checkpoints.STAGE_FILES["diarization"]),
                "speakers": len({t.speaker for t in diarization.turns}),
                "bounds": list(bounds),
                "warnings": list(diarization.warnings),
            })  # fmt: skip

        transcript = stage_assignment(decoded, result, diarization, settings)
        if not (self._done(job, "assignment") and (out / "transcript.json").is_file()):

            def assign_and_write() -> None:
                publish(out, transcript_writers(transcript, settings, job.agenda))

            self._stage(job, live, "assignment", assign_and_write)
            self._mark_done(job, "assignment", "system", _output_hashes(out))
        warnings = list(transcript.warnings)

        if "minutes" in live.stages and not self._done(job, "minutes"):
            agenda = job.agenda
            assert agenda is not None

            minutes_record: dict[str, Any] = {}

            def write_minutes() -> None:
                try:
                    minutes = self.stages.minutes(transcript, agenda, settings, hook)
                    publish(out, minutes_writers(minutes, settings), MINUTES_FILES)
                    minutes_record["models"] = list(minutes.models)
                    minutes_record["flags"] = sum(len(i.flags) for i in minutes.items)
                except ProtokollError as exc:
                    minutes_record["error"] = str(exc)
                    warnings.append(
                        f"Die Niederschrift konnte nicht erstellt werden: {exc} Das Transkript "
                        "ist vollständig; die Niederschrift kann erneut erzeugt werden."
                    )

            self._stage(job, live, "minutes", write_minutes)
            minutes_record["input_sha256"] = file_sha256(out / "transcript.json")
            minutes_record.update(_output_hashes(out, MINUTES_FILES))
            self._mark_done(job, "minutes", "ai", minutes_record)
            if "error" not in minutes_record and (out / "minutes.json").is_file():
                from protokoll.service import review  # imports the context, which imports us

                with self.db.session() as s:
                    review.add_ai_draft(s, job.meeting_id, job.job_id, out / "minutes.json")
        with self.db.session() as s:
            row = s.get(Job, job.job_id)
            if row is not None:
                row.warnings = warnings

    def _intake(self, job: _JobInput, work: Path, hook: ProgressHook) -> DecodedAudio:
        # intake's messages and the documents name the file as the user uploaded it
        with linked_as(job.recording, job.recording_name, work / "eingang") as named:
            decoded = self.stages.intake(named, self.settings, work, hook)
        info = dataclasses.replace(decoded.info, file_name=job.recording_name)
        return dataclasses.replace(decoded, info=info)

    def _done(self, job: _JobInput, stage: str) -> bool:
        return bool(job.stages_done.get(stage, {}).get("done"))

    def _stage(self, job: _JobInput, live: _Live, stage: str, action: Callable[[], Any]) -> Any:
        live.stage, live.fraction = stage, 0.0
        record = dict(job.stages_done.get(stage, {}))
        record["started"] = int(record.get("started", 0)) + 1
        record["done"] = False
        job.stages_done[stage] = record
        self._store_stages(job)
        began = time.monotonic()
        value = action()
        record["seconds"] = round(time.monotonic() - began, 2)
        live.fraction = 1.0
        return value

    def _mark_done(self, job: _JobInput, stage: str, kind: str, details: dict[str, Any]) -> None:
        """Mark the stage finished and write its audit entry, in one transaction."""
        record = dict(job.stages_done.get(stage, {}))
        record["done"] = True
        job.stages_done[stage] = record
        details = {**details, "seconds": record.get("seconds"), "worker": joblib.worker_name()}
        if "models" in details:
            details["models"] = [_without_hotwords(m) for m in details["models"]]
        details.setdefault("device", _device_of(details))
        with self.db.session() as s:
            row = s.get(Job, job.job_id)
            if row is not None:
                row.stages = {k: dict(v) for k, v in job.stages_done.items()}
            audit.record(
                s, f"stage.{stage}", kind=kind, actor="worker", meeting_id=job.meeting_id,
                job_id=job.job_id, details=details,
            )  # fmt: skip

    def _store_stages(self, job: _JobInput) -> None:
        with self.db.session() as s:
            row = s.get(Job, job.job_id)
            if row is not None:
                row.stages = {k: dict(v) for k, v in job.stages_done.items()}

    # ---- progress, heartbeat, end -----------------------------------------------------------

    def _hook(self, live: _Live) -> ProgressHook:
        def hook(stage: str, completed: float, total: float) -> None:
            if live.stop_reason is not None:
                raise JobStopped(live.stop_reason)
            if stage == live.stage and total > 0:
                live.fraction = max(0.0, min(1.0, completed / total))

        return hook

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
                    job = s.get(Job, job_id)
                    if job is None or not owned:
                        live.stop_reason = "lost"
                    elif job.cancel_requested:
                        live.stop_reason = "cancelled"
            except Exception:  # a busy database must not kill the job; the next beat retries
                log.warning("Heartbeat für Auftrag %s fehlgeschlagen", job_id, exc_info=True)

    def _finish(self, job_id: str, worker: str, state: str, error: str | None) -> None:
        with self.db.session() as s:
            job = s.get(Job, job_id)
            if job is None or job.worker != worker:
                return
            job.state = state
            job.error = error
            job.finished_at = utcnow()
            if state == "failed":
                audit.record(
                    s, "job.failed", kind="system", actor="worker", meeting_id=job.meeting_id,
                    job_id=job.id, details={"error": error or "", "stage": job.stage},
                )  # fmt: skip
            job.lease_until = None
            if state == "done":
                job.progress, job.stage_progress, job.eta_s = 1.0, 1.0, 0.0
            if state == "cancelled":
                job.cancel_requested = False


def _output_hashes(out: Path, names: tuple[str, ...] | None = None) -> dict[str, Any]:
    names = names or tuple(p.name for p in sorted(out.iterdir()) if p.is_file())
    return {
        "outputs": {n: file_sha256(out / n) for n in names if (out / n).is_file()},
    }


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


def rerun_from(layout: Layout, job: Job, stage: str) -> list[str]:
    """Forget the results of `stage` and all later stages, so they run again."""
    work = layout.work(job.meeting_id, job.id)
    checkpoints.discard_from(work, stage)
    order = list(joblib.STAGE_ORDER)
    later = order[order.index(stage) :]
    job.stages = {k: v for k, v in (job.stages or {}).items() if k not in later}
    return later
