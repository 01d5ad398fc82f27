"""The one runner: recording in, transcript, minutes and their documents out.

It runs the stages of `protokoll.pipeline.stages` in order, for the CLI and the service
alike. After each checkpointed stage it saves the stage's result in the job's work folder
(`protokoll.pipeline.checkpoints`); before a stage it asks its observer whether that stage
already finished in an earlier attempt and, if so, loads the checkpoint instead. The
service's observer adds what a shared server needs (job records, audit entries, heartbeat,
cancelling, the new draft for review) as hooks; the CLI's observer only shows progress.

Documents are written atomically (`protokoll.documents.artifacts.publish`): the transcript's
right after speaker assignment, so a failing minutes stage costs only the minutes (a
warning says why), never the hours of transcription.
"""

from __future__ import annotations

import dataclasses
import logging
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol, TypeVar

from protokoll.asr.transcribe import Transcriber
from protokoll.audio.intake import linked_as
from protokoll.config import Settings
from protokoll.devices import release_memory
from protokoll.documents import artifacts
from protokoll.domain.agenda import Agenda
from protokoll.domain.minutes import Minutes
from protokoll.domain.progress import ProgressHook
from protokoll.domain.stage_results import DecodedAudio, DiarizationOutcome, TranscriptionResult
from protokoll.domain.transcript import Transcript
from protokoll.errors import ProtokollError
from protokoll.minutes.draft import MinutesDrafter
from protokoll.pipeline import checkpoints
from protokoll.pipeline.build import build_diarizer, build_transcriber, model_store
from protokoll.pipeline.stages import BY_NAME, Stage, stages_for
from protokoll.pipeline.steps import (
    build_drafter,
    draft_minutes,
    stage_assignment,
    stage_diarization,
    stage_intake,
    stage_transcription,
)
from protokoll.speakers.diarize import Diarizer

log = logging.getLogger(__name__)
T = TypeVar("T")

MINUTES_FAILED = (
    "Die Niederschrift konnte nicht erstellt werden: {error} Das Transkript ist vollständig; "
    "die Niederschrift kann erneut erzeugt werden (im Dienst mit „Erneut ausführen“ ab "
    "„Niederschrift“, auf der Kommandozeile mit „protokoll minutes“)."
)


class Steps(Protocol):
    """The model steps; the real ones (`ModelSteps`) by default, fakes in tests of the logic
    around them."""

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


class ModelSteps:
    """The real steps: faster-whisper, pyannote, the LLM.

    `prepare` resolves (and hash-checks) every model before any audio is touched, so a
    missing model is reported at once; without it each step loads its model when it runs.
    Each model is let go as soon as its step is done, so that the next one has the memory.
    """

    def __init__(self) -> None:
        self._transcriber: Transcriber | None = None
        self._diarizer: Diarizer | None = None
        self._drafter: MinutesDrafter | None = None

    @classmethod
    def prepare(cls, settings: Settings, agenda: Agenda | None, *, minutes: bool) -> ModelSteps:
        steps = cls()
        if minutes and agenda is not None:
            steps._drafter = build_drafter(agenda, settings)  # a missing LLM fails first
        store = model_store(settings)
        vocabulary = agenda.vocabulary_hint() if agenda else []
        steps._transcriber = build_transcriber(settings, store, vocabulary)
        steps._diarizer = build_diarizer(settings, store)
        return steps

    def intake(
        self, recording: Path, settings: Settings, work_dir: Path, hook: ProgressHook
    ) -> DecodedAudio:
        return stage_intake(recording, settings, work_dir, hook)

    def transcription(
        self, decoded: DecodedAudio, settings: Settings, agenda: Agenda | None, hook: ProgressHook
    ) -> TranscriptionResult:
        transcriber, self._transcriber = self._transcriber, None
        return stage_transcription(
            decoded, settings, agenda=agenda, transcriber=transcriber, hook=hook
        )

    def diarization(
        self,
        decoded: DecodedAudio,
        settings: Settings,
        agenda: Agenda | None,
        bounds: tuple[int | None, int | None],
        hook: ProgressHook,
    ) -> DiarizationOutcome:
        diarizer, self._diarizer = self._diarizer, None
        outcome = stage_diarization(
            decoded, settings, agenda=agenda, diarizer=diarizer,
            min_speakers=bounds[0], max_speakers=bounds[1], hook=hook,
        )  # fmt: skip
        del diarizer
        release_memory()  # the diarization models go before the minutes stage loads the LLM
        return outcome

    def minutes(
        self, transcript: Transcript, agenda: Agenda, settings: Settings, hook: ProgressHook
    ) -> Minutes:
        drafter, self._drafter = self._drafter, None
        return draft_minutes(transcript, agenda, settings, hook=hook, drafter=drafter)


class Observer:
    """What the runner tells the world, and asks it. The defaults: nothing was done before,
    progress goes nowhere, finished stages are not recorded."""

    # whether `finished` wants the stage's record (models, hashes: it costs a hash of the
    # decoded audio and of each checkpoint, so the CLI does without)
    wants_records = False

    def done_before(self, stage: str) -> bool:
        """Whether `stage` finished in an earlier attempt of this job (its checkpoint and
        documents may then be reused)."""
        return False

    def started(self, stage: str) -> None:
        """`stage` begins; progress reports for it follow."""

    def progress(self, stage: str, completed: float, total: float) -> None:
        """The progress hook every step calls; it may raise to stop the job."""

    def finished(self, stage: Stage, seconds: float, record: dict[str, Any]) -> None:
        """`stage` finished; `record` says what it used and produced (models, hashes)."""

    def draft_ready(self, minutes_json: Path) -> None:
        """A new AI draft of the minutes was written."""


@dataclass(frozen=True)
class Job:
    recording: Path
    work_dir: Path  # the stages' checkpoints and the decoded audio
    out_dir: Path | None  # the documents; None: the transcript only, no files
    agenda: Agenda | None = None
    recording_name: str | None = None  # the name the user knows the file by
    bounds: tuple[int | None, int | None] = (None, None)  # speaker bounds for this job
    minutes: bool = True  # run the minutes stage when there is an agenda
    checkpoints: bool = True  # save each stage's result in `work_dir` (to resume a job)


@dataclass
class RunResult:
    transcript: Transcript
    outputs: dict[str, Path]
    stage_seconds: dict[str, float] = field(default_factory=dict)
    minutes: Minutes | None = None
    warnings: list[str] = field(default_factory=list)


class Runner:
    def __init__(
        self, settings: Settings, steps: Steps | None = None, observer: Observer | None = None
    ) -> None:
        self.settings = settings
        self.steps: Steps = steps or ModelSteps()
        self.observer = observer or Observer()

    def stages(self, job: Job) -> list[str]:
        minutes = job.minutes and job.agenda is not None and self.settings.minutes.enabled
        return stages_for(with_minutes=minutes)

    def run(self, job: Job) -> RunResult:
        settings, steps, hook = self.settings, self.steps, self.observer.progress
        timings: dict[str, float] = {}
        job.work_dir.mkdir(parents=True, exist_ok=True)

        decoded: DecodedAudio = self._stage(
            "intake", job, timings, lambda: self._intake(job),
            lambda d: {
                "recording_sha256": d.info.sha256,
                "duration_s": d.info.duration_s,
                "format": d.info.source_format,
                "decoded_sha256": artifacts.file_sha256(d.wav_path),
                "warnings": list(d.warnings),
            },
        )  # fmt: skip
        result: TranscriptionResult = self._stage(
            "transcription", job, timings,
            lambda: steps.transcription(decoded, settings, job.agenda, hook),
            lambda r: {
                "models": [dataclasses.asdict(r.model)] if r.model else [],
                "input_sha256": decoded.info.sha256,
                "output_sha256": self._checkpoint_sha256(job, "transcription"),
                "segments": len(r.segments),
                "dropped_passages": len(r.dropped),
            },
        )  # fmt: skip
        diarization: DiarizationOutcome = self._stage(
            "diarization", job, timings,
            lambda: steps.diarization(decoded, settings, job.agenda, job.bounds, hook),
            lambda d: {
                "models": [dataclasses.asdict(m) for m in d.models],
                "input_sha256": decoded.info.sha256,
                "output_sha256": self._checkpoint_sha256(job, "diarization"),
                "speakers": len({t.speaker for t in d.turns}),
                "bounds": list(job.bounds),
                "warnings": list(d.warnings),
            },
        )  # fmt: skip

        transcript = stage_assignment(decoded, result, diarization, settings, hook)
        outputs = self._assignment(job, transcript, timings)
        warnings = list(transcript.warnings)

        minutes = None
        if "minutes" in self.stages(job):
            assert job.agenda is not None
            minutes = self._minutes(job, job.agenda, transcript, warnings, outputs, timings)
        transcript.warnings = warnings
        hook("output", 1.0, 1.0)
        return RunResult(transcript, outputs, timings, minutes, warnings)

    # ---- the stages ------------------------------------------------------------------------

    def _stage(
        self,
        name: str,
        job: Job,
        timings: dict[str, float],
        compute: Callable[[], T],
        record: Callable[[T], dict[str, Any]],
    ) -> T:
        """Reuse the stage's checkpoint if it finished before; else run, save, record it."""
        codec = checkpoints.CODECS[name]
        if self.observer.done_before(name):
            value = codec.load(job.work_dir)
            if value is not None:
                return value
        self.observer.started(name)
        began = time.monotonic()
        value = compute()
        seconds = time.monotonic() - began
        timings[name] = seconds
        if job.checkpoints:
            codec.save(job.work_dir, value)
        self.observer.finished(
            BY_NAME[name], seconds, record(value) if self.observer.wants_records else {}
        )
        return value

    def _intake(self, job: Job) -> DecodedAudio:
        hook = self.observer.progress
        if not job.recording_name:
            return self.steps.intake(job.recording, self.settings, job.work_dir, hook)
        # intake's messages and the documents name the file as the user uploaded it
        with linked_as(job.recording, job.recording_name, job.work_dir / "eingang") as named:
            decoded = self.steps.intake(named, self.settings, job.work_dir, hook)
        info = dataclasses.replace(decoded.info, file_name=job.recording_name)
        return dataclasses.replace(decoded, info=info)

    def _checkpoint_sha256(self, job: Job, stage: str) -> str | None:
        path = job.work_dir / checkpoints.STAGE_FILES[stage]
        return artifacts.file_sha256(path) if job.checkpoints else None

    def _assignment(
        self, job: Job, transcript: Transcript, timings: dict[str, float]
    ) -> dict[str, Path]:
        """Speaker per word (done above, it is cheap) and the transcript's documents."""
        out = job.out_dir
        if out is None:
            return {}
        names = artifacts.TRANSCRIPT_FILES
        if self.observer.done_before("assignment") and (out / artifacts.TRANSCRIPT_JSON).is_file():
            return {n: out / n for n in names if (out / n).is_file()}
        self.observer.started("assignment")
        began = time.monotonic()
        outputs = write_transcript_documents(transcript, out, self.settings, job.agenda)
        seconds = time.monotonic() - began
        timings["assignment"] = seconds
        hashes = _output_hashes(out) if self.observer.wants_records else {}
        self.observer.finished(BY_NAME["assignment"], seconds, hashes)
        return outputs

    def _minutes(
        self,
        job: Job,
        agenda: Agenda,
        transcript: Transcript,
        warnings: list[str],
        outputs: dict[str, Path],
        timings: dict[str, float],
    ) -> Minutes | None:
        if self.observer.done_before("minutes"):
            return None
        self.observer.started("minutes")
        began = time.monotonic()
        record: dict[str, Any] = {}
        minutes = None
        out = job.out_dir
        try:
            minutes = self.steps.minutes(transcript, agenda, self.settings, self.observer.progress)
            if out is not None:
                outputs.update(write_minutes_documents(minutes, out, self.settings))
            record["models"] = list(minutes.models)
            record["flags"] = sum(len(i.flags) for i in minutes.items)
        except ProtokollError as exc:
            log.error("Niederschrift nicht erstellt: %s", exc)
            record["error"] = str(exc)
            warnings.append(MINUTES_FAILED.format(error=exc))
            minutes = None
        seconds = time.monotonic() - began
        timings["minutes"] = seconds
        if out is not None and self.observer.wants_records:
            if (out / artifacts.TRANSCRIPT_JSON).is_file():
                record["input_sha256"] = artifacts.file_sha256(out / artifacts.TRANSCRIPT_JSON)
            record.update(_output_hashes(out, artifacts.MINUTES_FILES))
        self.observer.finished(BY_NAME["minutes"], seconds, record)
        if minutes is not None and out is not None and (out / artifacts.MINUTES_JSON).is_file():
            self.observer.draft_ready(out / artifacts.MINUTES_JSON)
        return minutes


def _output_hashes(out: Path, names: tuple[str, ...] | None = None) -> dict[str, Any]:
    names = names or tuple(p.name for p in sorted(out.iterdir()) if p.is_file())
    return {"outputs": {n: artifacts.file_sha256(out / n) for n in names if (out / n).is_file()}}


# ---- the CLI's entry points -----------------------------------------------------------------


class _Progress(Observer):
    def __init__(self, hook: ProgressHook) -> None:
        self.hook = hook

    def progress(self, stage: str, completed: float, total: float) -> None:
        self.hook(stage, completed, total)


def run(
    recording: Path,
    out_dir: Path,
    settings: Settings,
    *,
    agenda: Agenda | None = None,
    hook: ProgressHook | None = None,
    steps: Steps | None = None,
) -> RunResult:
    """The whole job, as `protokoll run` does it: every model resolved before the audio is
    touched, the stages in a temporary work folder, the documents into `out_dir`. `steps`
    replaces the model steps (tests of the logic around them)."""
    minutes = settings.minutes.enabled
    if steps is None:
        steps = ModelSteps.prepare(settings, agenda, minutes=minutes)
    observer = _Progress(hook) if hook is not None else Observer()
    with tempfile.TemporaryDirectory(prefix="protokoll-work-") as work:
        job = Job(recording, Path(work), out_dir, agenda=agenda, minutes=minutes, checkpoints=False)
        return Runner(settings, steps, observer).run(job)


def transcribe_recording(
    recording: Path,
    settings: Settings,
    *,
    agenda: Agenda | None = None,
    work_dir: Path,
    hook: ProgressHook | None = None,
    stage_seconds: dict[str, float] | None = None,
) -> Transcript:
    """Intake, transcription, diarization and speaker assignment; no documents, no minutes."""
    steps = ModelSteps.prepare(settings, agenda, minutes=False)
    observer = _Progress(hook) if hook is not None else Observer()
    job = Job(recording, work_dir, None, agenda=agenda, minutes=False, checkpoints=False)
    result = Runner(settings, steps, observer).run(job)
    if stage_seconds is not None:
        stage_seconds.update(result.stage_seconds)
    return result.transcript


def write_transcript_documents(
    transcript: Transcript, out_dir: Path, settings: Settings, agenda: Agenda | None = None
) -> dict[str, Path]:
    """The transcript's documents, written atomically into `out_dir`."""
    products = artifacts.Products(
        transcript=transcript,
        meeting_facts=agenda.meeting_facts() if agenda else None,
        low_confidence_threshold=settings.output.low_confidence_threshold,
    )
    return artifacts.publish(out_dir, artifacts.writers(artifacts.TRANSCRIPT_FILES, products))


def letterhead(settings: Settings) -> str | None:
    """The municipality's name for the shipped template's letterhead placeholder, where the
    settings know it (`[ai_register] organization`, else `[oparl] body_name`)."""
    for name in (settings.ai_register.organization, settings.oparl.body_name):
        if name.strip():
            return name.strip()
    return None


def write_minutes_documents(minutes: Minutes, out_dir: Path, settings: Settings) -> dict[str, Path]:
    """The minutes' documents (with a public version where there is a non-public part),
    written atomically into `out_dir`; a public version left from an earlier run goes."""
    names = artifacts.minutes_names(minutes, public_version=settings.minutes.public_version)
    products = artifacts.Products(
        minutes=minutes, template=settings.minutes.template, letterhead=letterhead(settings)
    )
    return artifacts.publish(
        out_dir, artifacts.writers(names, products), stale=artifacts.MINUTES_FILES
    )
