"""Recording in, speaker-attributed transcript and its documents out.

    intake -> transcription -> diarization -> speaker assignment -> outputs

With an agenda, the minutes stage follows (`draft_minutes`, which can also
run alone on an existing transcript). Outputs are first written to a hidden
staging folder beside the output folder and moved into place only when all of
them are complete, so a failure never leaves half-written files. If
diarization fails, the transcript is still delivered with one speaker label
and a warning.
"""

from __future__ import annotations

import logging
import os
import shutil
import tempfile
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from protokoll.agenda import Agenda
from protokoll.assign import assign_speakers
from protokoll.audio import AudioSource
from protokoll.config import Settings
from protokoll.devices import release_memory
from protokoll.diarize import Diarizer, single_speaker_turns
from protokoll.errors import ProtokollError
from protokoll.intake import DecodedAudio, decode
from protokoll.minutes import Minutes
from protokoll.progress import ProgressHook, null_hook
from protokoll.stages import build_diarizer, build_transcriber, model_store
from protokoll.transcribe import Transcriber, TranscriptionResult
from protokoll.transcript import ModelUse, SpeakerTurn, Transcript
from protokoll.writers.rttm import rttm_uri, write_rttm
from protokoll.writers.transcript_json import write_transcript_json
from protokoll.writers.vtt import write_vtt
from protokoll.writers.wortprotokoll_docx import write_wortprotokoll_docx

if TYPE_CHECKING:
    from protokoll.draft import MinutesDrafter

log = logging.getLogger(__name__)


@dataclass
class RunResult:
    transcript: Transcript
    outputs: dict[str, Path]
    stage_seconds: dict[str, float] = field(default_factory=dict)
    minutes: Minutes | None = None


@dataclass
class DiarizationOutcome:
    """What the diarization stage hands on: turns (or the one-speaker fallback) and notes."""

    turns: list[SpeakerTurn]
    exclusive: list[SpeakerTurn]
    models: list[ModelUse] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def stage_intake(
    recording: Path, settings: Settings, work_dir: Path, hook: ProgressHook = null_hook
) -> DecodedAudio:
    """Check the recording and decode it into `work_dir/audio16k.wav`."""
    intake = settings.intake
    return decode(
        recording,
        work_dir,
        max_duration_s=intake.max_duration_h * 3600,
        max_size_bytes=int(intake.max_size_gb * 1024**3),
        silence_threshold_dbfs=intake.silence_threshold_dbfs,
        hook=hook,
    )


def stage_transcription(
    decoded: DecodedAudio,
    settings: Settings,
    *,
    agenda: Agenda | None = None,
    transcriber: Transcriber | None = None,
    hook: ProgressHook = null_hook,
) -> TranscriptionResult:
    if transcriber is None:
        vocabulary = agenda.vocabulary_hint() if agenda else []
        transcriber = build_transcriber(settings, model_store(settings), vocabulary)
    result = transcriber.transcribe(AudioSource.from_wav(decoded.wav_path), hook=hook)
    del transcriber
    release_memory()  # the recogniser (and its GPU memory) goes before diarization
    return result


def speaker_bounds(
    settings: Settings,
    agenda: Agenda | None,
    min_speakers: int | None = None,
    max_speakers: int | None = None,
) -> tuple[int | None, int | None]:
    """Speaker bounds: explicit values, else the configuration, else the agenda's members."""
    dia = settings.diarization
    low = min_speakers or dia.min_speakers
    high = max_speakers or dia.max_speakers or (agenda.max_speakers() if agenda else None)
    if low and high and low > high:
        low = high
    return low, high


def stage_diarization(
    decoded: DecodedAudio,
    settings: Settings,
    *,
    agenda: Agenda | None = None,
    diarizer: Diarizer | None = None,
    min_speakers: int | None = None,
    max_speakers: int | None = None,
    hook: ProgressHook = null_hook,
) -> DiarizationOutcome:
    """Who spoke when; any failure falls back to one speaker with a warning."""
    fallback = single_speaker_turns(decoded.duration_s)
    if settings.diarization.backend == "none":
        return DiarizationOutcome(
            fallback,
            fallback,
            warnings=[
                "Sprechererkennung ist abgeschaltet; alle Beiträge stehen unter einem Sprecher."
            ],
        )
    low, high = speaker_bounds(settings, agenda, min_speakers, max_speakers)
    # a missing or damaged model is the operator's to fix (raised here), not a fallback
    diarizer = diarizer or build_diarizer(settings, model_store(settings))
    assert diarizer is not None
    try:
        diarization = diarizer.diarize(
            AudioSource.from_wav(decoded.wav_path),
            min_speakers=low,
            max_speakers=high,
            hook=hook,
        )
    except Exception as exc:  # the transcript must survive any diarization failure
        log.exception("Sprechererkennung fehlgeschlagen")
        return DiarizationOutcome(
            fallback,
            fallback,
            warnings=[
                "Die Sprechererkennung ist fehlgeschlagen; alle Beiträge stehen unter einem "
                f"Sprecher. Ursache: {exc}"
            ],
        )
    if not diarization.turns:
        return DiarizationOutcome(
            fallback, fallback, warnings=["Die Sprechererkennung hat keine Sprecher gefunden."]
        )
    return DiarizationOutcome(
        diarization.turns, diarization.exclusive_turns, models=list(diarization.models)
    )


def stage_assignment(
    decoded: DecodedAudio,
    result: TranscriptionResult,
    diarization: DiarizationOutcome,
    settings: Settings,
    hook: ProgressHook = null_hook,
) -> Transcript:
    """Speaker per word, segments re-cut per speaker: the finished transcript."""
    max_gap = settings.assignment.max_gap_s
    segments = assign_speakers(result.segments, diarization.exclusive, max_gap)
    hook("assignment", 1.0, 1.0)
    warnings = [*decoded.warnings, *diarization.warnings]
    if result.dropped:
        warnings.append(
            f"{len(result.dropped)} vermutlich halluzinierte Passage(n) wurden entfernt; "
            "sie sind am Ende des Dokuments zur Prüfung aufgeführt."
        )
    return Transcript(
        audio=decoded.info,
        language=result.language,
        segments=segments,
        turns=diarization.turns,
        dropped=result.dropped,
        models=([result.model] if result.model else []) + diarization.models,
        warnings=warnings,
    )


def transcribe_recording(
    recording: Path,
    settings: Settings,
    *,
    agenda: Agenda | None = None,
    work_dir: Path,
    hook: ProgressHook = null_hook,
    stage_seconds: dict[str, float] | None = None,
) -> Transcript:
    """Run intake, transcription, diarization and speaker assignment."""
    timings = {} if stage_seconds is None else stage_seconds
    store = model_store(settings)
    vocabulary = agenda.vocabulary_hint() if agenda else []
    # models are resolved (and hash-checked) before any audio is touched
    transcriber = build_transcriber(settings, store, vocabulary)
    diarizer = build_diarizer(settings, store)

    started = time.monotonic()
    decoded = stage_intake(recording, settings, work_dir, hook)
    timings["intake"] = time.monotonic() - started

    started = time.monotonic()
    result = stage_transcription(decoded, settings, transcriber=transcriber, hook=hook)
    del transcriber
    timings["transcription"] = time.monotonic() - started

    started = time.monotonic()
    diarization = stage_diarization(decoded, settings, agenda=agenda, diarizer=diarizer, hook=hook)
    del diarizer
    release_memory()  # and the diarization models before the minutes stage loads the LLM
    timings["diarization"] = time.monotonic() - started

    started = time.monotonic()
    transcript = stage_assignment(decoded, result, diarization, settings, hook)
    timings["assignment"] = time.monotonic() - started
    return transcript


Writer = Callable[[Path], None]
MINUTES_FILES = (
    "minutes.json",
    "niederschrift.docx",
    "minutes.oeffentlich.json",
    "niederschrift.oeffentlich.docx",
)


def publish(
    out_dir: Path, writers: Mapping[str, Writer], stale: Iterable[str] = ()
) -> dict[str, Path]:
    """Write every file into a staging folder, then move all into `out_dir`.

    Nothing is moved unless every writer succeeded, so a failure never leaves
    half-written or mismatched files; other files in `out_dir` stay untouched,
    except the `stale` ones: earlier outputs this run replaces by nothing (e.g. a
    public version when the agenda no longer has a non-public part).
    """
    out_dir = out_dir.resolve()
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.partial-", dir=out_dir.parent))
    try:
        for name, write in writers.items():
            write(staging / name)
        out_dir.mkdir(exist_ok=True)
        for name in writers:
            os.replace(staging / name, out_dir / name)
        for name in set(stale) - set(writers):
            (out_dir / name).unlink(missing_ok=True)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return {name: out_dir / name for name in writers}


def transcript_writers(
    transcript: Transcript, settings: Settings, agenda: Agenda | None = None
) -> dict[str, Writer]:
    uri = rttm_uri(Path(transcript.audio.file_name).stem)
    return {
        "transcript.json": lambda path: write_transcript_json(transcript, path),
        "diarization.rttm": lambda path: write_rttm(transcript.turns, uri, path),
        "transcript.vtt": lambda path: write_vtt(transcript.segments, path),
        "transcript.docx": lambda path: write_wortprotokoll_docx(
            transcript,
            path,
            meeting=agenda.meeting_facts() if agenda else None,
            low_confidence_threshold=settings.output.low_confidence_threshold,
        ),
    }


def minutes_writers(minutes: Minutes, settings: Settings) -> dict[str, Writer]:
    from protokoll.writers.minutes_json import write_minutes_json
    from protokoll.writers.niederschrift_docx import write_niederschrift_docx

    template = settings.minutes.template
    writers: dict[str, Writer] = {
        "minutes.json": lambda path: write_minutes_json(minutes, path),
        "niederschrift.docx": lambda path: write_niederschrift_docx(
            minutes, path, template=template
        ),
    }
    if settings.minutes.public_version and any(not i.public for i in minutes.items):
        writers["minutes.oeffentlich.json"] = lambda path: write_minutes_json(
            minutes, path, public_only=True
        )
        writers["niederschrift.oeffentlich.docx"] = lambda path: write_niederschrift_docx(
            minutes, path, template=template, public_only=True
        )
    return writers


def write_outputs(
    transcript: Transcript,
    out_dir: Path,
    settings: Settings,
    agenda: Agenda | None = None,
) -> dict[str, Path]:
    """Write the transcript's outputs atomically into `out_dir`."""
    return publish(out_dir, transcript_writers(transcript, settings, agenda))


def build_drafter(agenda: Agenda, settings: Settings) -> MinutesDrafter:
    """The minutes stage's drafter; resolves (and hash-checks) the LLM, loads nothing yet."""
    from protokoll.draft import MinutesDrafter
    from protokoll.stages import build_llm

    llm = build_llm(settings, model_store(settings))
    return MinutesDrafter(
        agenda,
        settings.minutes,
        llm,
        settings.llm.max_output_tokens,
        temperature=settings.llm.temperature,
        low_confidence=settings.output.low_confidence_threshold,
    )


def draft_minutes(
    transcript: Transcript,
    agenda: Agenda,
    settings: Settings,
    *,
    confirmed_names: Mapping[str, str] | None = None,
    corrected_starts: Mapping[str, float] | None = None,
    hook: ProgressHook = null_hook,
    drafter: MinutesDrafter | None = None,
) -> Minutes:
    """The minutes stage alone: from an existing transcript, no re-transcription."""
    drafter = drafter or build_drafter(agenda, settings)
    return drafter.draft(
        transcript,
        confirmed_names=confirmed_names,
        corrected_starts=corrected_starts,
        hook=hook,
    )


def run(
    recording: Path,
    out_dir: Path,
    settings: Settings,
    *,
    agenda: Agenda | None = None,
    hook: ProgressHook = null_hook,
) -> RunResult:
    """The whole job. The transcript is published first; a failing minutes stage then
    costs only the minutes (a warning says why), never the hours of transcription."""
    timings: dict[str, float] = {}
    drafter = None
    if agenda is not None and settings.minutes.enabled:
        drafter = build_drafter(agenda, settings)  # a missing LLM model fails before intake
    with tempfile.TemporaryDirectory(prefix="protokoll-work-") as work:
        transcript = transcribe_recording(
            recording, settings, agenda=agenda, work_dir=Path(work), hook=hook,
            stage_seconds=timings,
        )  # fmt: skip
    started = time.monotonic()
    outputs = publish(out_dir, transcript_writers(transcript, settings, agenda))
    timings["output"] = time.monotonic() - started
    minutes = None
    if agenda is not None and drafter is not None:
        started = time.monotonic()
        try:
            minutes = draft_minutes(transcript, agenda, settings, hook=hook, drafter=drafter)
            outputs.update(publish(out_dir, minutes_writers(minutes, settings), MINUTES_FILES))
        except ProtokollError as exc:
            log.error("Niederschrift nicht erstellt: %s", exc)
            transcript.warnings.append(
                f"Die Niederschrift konnte nicht erstellt werden: {exc} Das Transkript ist "
                "vollständig; „protokoll minutes“ erzeugt sie erneut."
            )
        timings["minutes"] = time.monotonic() - started
    hook("output", 1.0, 1.0)
    return RunResult(transcript=transcript, outputs=outputs, stage_seconds=timings, minutes=minutes)
