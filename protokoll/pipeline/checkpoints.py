"""Stage results on disk, so that an interrupted job resumes where it stopped.

Each stage of a job writes its result as one JSON file into the job's work
folder (`intake.json`, `transcription.json`, `diarization.json`); the decoded
audio stays beside them as `audio16k.wav`. A file is written to a temporary
name and renamed, so a crash leaves either the whole checkpoint or none.
Removing a checkpoint (and those after it) makes that stage run again.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, Generic, TypeVar

from protokoll.domain.stage_results import DecodedAudio, DiarizationOutcome, TranscriptionResult
from protokoll.domain.transcript import (
    AudioInfo,
    DroppedPassage,
    ModelUse,
    Segment,
    SpeakerTurn,
    Word,
)
from protokoll.pipeline.stages import STAGE_NAMES, STAGES, stages_from

CHECKPOINT_VERSION = 1
T = TypeVar("T")
# the checkpointed stages, in order, and the file each leaves behind
STAGE_FILES = {s.name: s.checkpoint for s in STAGES if s.checkpoint}


def write_json_atomic(path: Path, data: Any) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(data, fh, ensure_ascii=False)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _read(path: Path) -> dict[str, Any] | None:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (FileNotFoundError, json.JSONDecodeError):
        return None
    if not isinstance(data, dict) or data.get("checkpoint_version") != CHECKPOINT_VERSION:
        return None
    return data


def _segment_to_dict(seg: Segment) -> dict[str, Any]:
    return asdict(seg)


def _segment_from_dict(data: dict[str, Any]) -> Segment:
    words = tuple(Word(**w) for w in data.get("words", ()))
    return Segment(
        start_s=data["start_s"],
        end_s=data["end_s"],
        text=data["text"],
        words=words,
        speaker=data.get("speaker"),
    )


def save_intake(work_dir: Path, decoded: DecodedAudio) -> None:
    write_json_atomic(
        work_dir / STAGE_FILES["intake"],
        {
            "checkpoint_version": CHECKPOINT_VERSION,
            "info": asdict(decoded.info),
            "wav": decoded.wav_path.name,
            "peak_loudness_dbfs": decoded.peak_loudness_dbfs,
            "warnings": list(decoded.warnings),
        },
    )


def load_intake(work_dir: Path) -> DecodedAudio | None:
    data = _read(work_dir / STAGE_FILES["intake"])
    if data is None:
        return None
    wav = work_dir / data["wav"]
    if not wav.is_file():
        return None  # the decoded audio is gone: decode again
    return DecodedAudio(
        info=AudioInfo(**data["info"]),
        wav_path=wav,
        peak_loudness_dbfs=data["peak_loudness_dbfs"],
        warnings=tuple(data["warnings"]),
    )


def save_transcription(work_dir: Path, result: TranscriptionResult) -> None:
    write_json_atomic(
        work_dir / STAGE_FILES["transcription"],
        {
            "checkpoint_version": CHECKPOINT_VERSION,
            "language": result.language,
            "segments": [_segment_to_dict(s) for s in result.segments],
            "dropped": [asdict(d) for d in result.dropped],
            "model": asdict(result.model) if result.model else None,
            "speech_s": result.speech_s,
        },
    )


def load_transcription(work_dir: Path) -> TranscriptionResult | None:
    data = _read(work_dir / STAGE_FILES["transcription"])
    if data is None:
        return None
    return TranscriptionResult(
        language=data["language"],
        segments=[_segment_from_dict(s) for s in data["segments"]],
        dropped=[DroppedPassage(**d) for d in data["dropped"]],
        model=ModelUse(**data["model"]) if data["model"] else None,
        speech_s=data["speech_s"],
    )


def save_diarization(work_dir: Path, outcome: DiarizationOutcome) -> None:
    write_json_atomic(
        work_dir / STAGE_FILES["diarization"],
        {
            "checkpoint_version": CHECKPOINT_VERSION,
            "turns": [asdict(t) for t in outcome.turns],
            "exclusive": [asdict(t) for t in outcome.exclusive],
            "models": [asdict(m) for m in outcome.models],
            "warnings": list(outcome.warnings),
            "speaker_confidence": dict(outcome.speaker_confidence),
        },
    )


def load_diarization(work_dir: Path) -> DiarizationOutcome | None:
    data = _read(work_dir / STAGE_FILES["diarization"])
    if data is None:
        return None
    return DiarizationOutcome(
        turns=[SpeakerTurn(**t) for t in data["turns"]],
        exclusive=[SpeakerTurn(**t) for t in data["exclusive"]],
        models=[ModelUse(**m) for m in data["models"]],
        warnings=list(data["warnings"]),
        speaker_confidence=dict(data.get("speaker_confidence", {})),
    )


@dataclass(frozen=True)
class Codec(Generic[T]):
    """How one stage's result is saved to and loaded from its checkpoint file."""

    save: Callable[[Path, T], None]
    load: Callable[[Path], T | None]


CODECS: dict[str, Codec[Any]] = {
    "intake": Codec(save_intake, load_intake),
    "transcription": Codec(save_transcription, load_transcription),
    "diarization": Codec(save_diarization, load_diarization),
}
assert set(CODECS) == set(STAGE_FILES), "every checkpointed stage needs a codec"


def discard_from(work_dir: Path, stage: str) -> list[str]:
    """Remove the checkpoints of `stage` and every later stage; returns the removed names."""
    if stage not in STAGE_NAMES:
        return []
    removed = []
    for name in stages_from(stage):
        if name not in STAGE_FILES:
            continue
        path = work_dir / STAGE_FILES[name]
        if path.exists():
            path.unlink()
            removed.append(name)
    if stage == "intake":
        (work_dir / "audio16k.wav").unlink(missing_ok=True)
    return removed
