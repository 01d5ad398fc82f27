"""What one stage hands to the next: the decoded audio, the recognised text, the speaker turns.

Plain data, so that checkpoints can store them and fakes can stand in for the models.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from protokoll.domain.transcript import AudioInfo, DroppedPassage, ModelUse, Segment, SpeakerTurn


@dataclass(frozen=True)
class DecodedAudio:
    """The recording as 16 kHz mono 16-bit PCM WAV on disk, plus what intake learned."""

    info: AudioInfo
    wav_path: Path
    peak_loudness_dbfs: float
    # German notes for the user about tolerated problems (e.g. a few damaged packets)
    warnings: tuple[str, ...] = ()

    @property
    def duration_s(self) -> float:
        return self.info.duration_s


@dataclass
class TranscriptionResult:
    language: str
    segments: list[Segment]
    dropped: list[DroppedPassage] = field(default_factory=list)
    model: ModelUse | None = None
    speech_s: float = 0.0


@dataclass
class DiarizationOutcome:
    """What the diarization stage hands on: turns (or the one-speaker fallback) and notes."""

    turns: list[SpeakerTurn]
    exclusive: list[SpeakerTurn]
    models: list[ModelUse] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    # per speaker label: share of its speech attributed without doubt (0..1)
    speaker_confidence: dict[str, float] = field(default_factory=dict)
