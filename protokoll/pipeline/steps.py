"""What each stage does, as plain functions from the settings and the previous results.

The runner (`protokoll.pipeline.runner`) calls them in the order of
`protokoll.pipeline.stages`; `draft_minutes` can also run alone on an existing
transcript (`protokoll minutes`). If diarization fails, the transcript is still
delivered with one speaker label and a warning.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from pathlib import Path

from protokoll.asr.transcribe import Transcriber
from protokoll.audio.intake import decode
from protokoll.audio.source import AudioSource
from protokoll.config import Settings
from protokoll.devices import release_memory
from protokoll.domain.agenda import Agenda
from protokoll.domain.minutes import Minutes
from protokoll.domain.progress import ProgressHook, null_hook
from protokoll.domain.stage_results import DecodedAudio, DiarizationOutcome, TranscriptionResult
from protokoll.domain.transcript import Transcript
from protokoll.llm.base import LLM
from protokoll.minutes.draft import MinutesDrafter
from protokoll.pipeline.build import build_diarizer, build_llm, build_transcriber, model_store
from protokoll.speakers.assign import assign_speakers, attribution_confidence
from protokoll.speakers.diarize import Diarizer, single_speaker_turns

log = logging.getLogger(__name__)


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
        diarization.turns,
        diarization.exclusive_turns,
        models=list(diarization.models),
        warnings=list(diarization.warnings),
        speaker_confidence=dict(diarization.speaker_confidence),
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
    segments = attribution_confidence(segments, diarization.exclusive)
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
        speaker_confidence=dict(diarization.speaker_confidence),
    )


def build_drafter(agenda: Agenda, settings: Settings) -> MinutesDrafter:
    """The minutes stage's drafter; resolves (and hash-checks) the LLM, loads nothing yet."""
    return drafter_with(agenda, settings, build_llm(settings, model_store(settings)))


def drafter_with(agenda: Agenda, settings: Settings, llm: LLM | None) -> MinutesDrafter:
    """The drafter for `agenda` around a language model built before (cheap: the agenda is
    the drafter's, the model stays loaded for the next job's drafter)."""
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
