"""Recording in, speaker-attributed transcript and its documents out.

    intake -> transcription -> diarization -> speaker assignment -> outputs

Outputs are first written to a hidden staging folder beside the output
folder and moved into place only when all of them are complete, so a failure
never leaves half-written files. If diarization fails, the transcript is still
delivered with one speaker label and a warning.
"""

from __future__ import annotations

import gc
import logging
import os
import shutil
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from protokoll.agenda import Agenda
from protokoll.assign import assign_speakers
from protokoll.config import Settings
from protokoll.diarize import single_speaker_turns
from protokoll.intake import decode, read_wav
from protokoll.progress import ProgressHook, null_hook
from protokoll.stages import build_diarizer, build_transcriber, model_store
from protokoll.transcript import Transcript
from protokoll.writers.rttm import rttm_uri, write_rttm
from protokoll.writers.transcript_json import write_transcript_json
from protokoll.writers.vtt import write_vtt
from protokoll.writers.wortprotokoll_docx import write_wortprotokoll_docx

log = logging.getLogger(__name__)

OUTPUT_FILES = ("transcript.json", "diarization.rttm", "transcript.vtt", "transcript.docx")


@dataclass
class RunResult:
    transcript: Transcript
    outputs: dict[str, Path]
    stage_seconds: dict[str, float] = field(default_factory=dict)


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
    transcriber = build_transcriber(settings, store, vocabulary)
    diarizer = build_diarizer(settings, store)

    started = time.monotonic()
    intake = settings.intake
    decoded = decode(
        recording,
        work_dir,
        max_duration_s=intake.max_duration_h * 3600,
        max_size_bytes=int(intake.max_size_gb * 1024**3),
        silence_threshold_dbfs=intake.silence_threshold_dbfs,
        hook=hook,
    )
    audio = read_wav(decoded.wav_path)
    timings["intake"] = time.monotonic() - started

    started = time.monotonic()
    result = transcriber.transcribe(audio, hook=hook)
    timings["transcription"] = time.monotonic() - started
    del transcriber
    gc.collect()  # release the recogniser (and its GPU memory) before diarization

    warnings: list[str] = list(decoded.warnings)
    models = [result.model] if result.model else []
    turns = exclusive = single_speaker_turns(decoded.duration_s)
    started = time.monotonic()
    if diarizer is None:
        warnings.append(
            "Sprechererkennung ist abgeschaltet; alle Beiträge stehen unter einem Sprecher."
        )
    else:
        dia = settings.diarization
        max_speakers = dia.max_speakers or (agenda.max_speakers() if agenda else None)
        min_speakers = dia.min_speakers
        if min_speakers and max_speakers and min_speakers > max_speakers:
            min_speakers = max_speakers
        try:
            diarization = diarizer.diarize(
                audio, min_speakers=min_speakers, max_speakers=max_speakers, hook=hook
            )
            if diarization.turns:
                turns, exclusive = diarization.turns, diarization.exclusive_turns
                models += diarization.models
            else:
                warnings.append("Die Sprechererkennung hat keine Sprecher gefunden.")
        except Exception as exc:  # the transcript must survive any diarization failure
            log.exception("Sprechererkennung fehlgeschlagen")
            warnings.append(
                "Die Sprechererkennung ist fehlgeschlagen; alle Beiträge stehen unter einem "
                f"Sprecher. Ursache: {exc}"
            )
    timings["diarization"] = time.monotonic() - started

    started = time.monotonic()
    segments = assign_speakers(result.segments, exclusive, settings.assignment.max_gap_s)
    timings["assignment"] = time.monotonic() - started
    hook("assignment", 1.0, 1.0)
    if result.dropped:
        warnings.append(
            f"{len(result.dropped)} vermutlich halluzinierte Passage(n) wurden entfernt; "
            "sie sind am Ende des Dokuments zur Prüfung aufgeführt."
        )
    return Transcript(
        audio=decoded.info,
        language=result.language,
        segments=segments,
        turns=turns,
        dropped=result.dropped,
        models=models,
        warnings=warnings,
    )


def write_outputs(
    transcript: Transcript,
    out_dir: Path,
    settings: Settings,
    agenda: Agenda | None = None,
) -> dict[str, Path]:
    """Write all outputs atomically into `out_dir`; nothing is left half-written."""
    out_dir = out_dir.resolve()
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.partial-", dir=out_dir.parent))
    try:
        write_transcript_json(transcript, staging / "transcript.json")
        write_rttm(transcript.turns, rttm_uri(Path(transcript.audio.file_name).stem),
                   staging / "diarization.rttm")  # fmt: skip
        write_vtt(transcript.segments, staging / "transcript.vtt")
        write_wortprotokoll_docx(
            transcript,
            staging / "transcript.docx",
            meeting=agenda.meeting_facts() if agenda else None,
            low_confidence_threshold=settings.output.low_confidence_threshold,
        )
        out_dir.mkdir(exist_ok=True)
        for name in OUTPUT_FILES:
            os.replace(staging / name, out_dir / name)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return {name: out_dir / name for name in OUTPUT_FILES}


def run(
    recording: Path,
    out_dir: Path,
    settings: Settings,
    *,
    agenda: Agenda | None = None,
    hook: ProgressHook = null_hook,
) -> RunResult:
    timings: dict[str, float] = {}
    with tempfile.TemporaryDirectory(prefix="protokoll-work-") as work:
        transcript = transcribe_recording(
            recording, settings, agenda=agenda, work_dir=Path(work), hook=hook,
            stage_seconds=timings,
        )  # fmt: skip
    started = time.monotonic()
    outputs = write_outputs(transcript, out_dir, settings, agenda)
    timings["output"] = time.monotonic() - started
    hook("output", 1.0, 1.0)
    return RunResult(transcript=transcript, outputs=outputs, stage_seconds=timings)
