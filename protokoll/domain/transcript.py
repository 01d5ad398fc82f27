"""The data that flows between stages: audio facts, words, segments, speaker turns.

Small frozen dataclasses whose field names carry their unit. They hold no logic
beyond conversion to and from plain dicts (the `transcript.json` schema, see
`docs/transcript-schema.md`).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from typing import Any

SCHEMA_VERSION = "1.1"
UNKNOWN_SPEAKER = "UNBEKANNT"


@dataclass(frozen=True)
class AudioInfo:
    """What intake learned about the uploaded recording."""

    file_name: str
    sha256: str
    duration_s: float
    source_format: str
    source_codec: str
    source_sample_rate_hz: int
    source_channels: int
    size_bytes: int


@dataclass(frozen=True)
class Word:
    start_s: float
    end_s: float
    text: str
    probability: float
    speaker: str | None = None


@dataclass(frozen=True)
class Segment:
    start_s: float
    end_s: float
    text: str
    words: tuple[Word, ...] = ()
    speaker: str | None = None
    # how sure the diarization is that this voice is `speaker` (0..1; None: not measured)
    speaker_confidence: float | None = None


@dataclass(frozen=True)
class SpeakerTurn:
    start_s: float
    end_s: float
    speaker: str
    # how clearly the voice in this turn matches its speaker rather than the next best (0..1)
    confidence: float | None = None

    @property
    def duration_s(self) -> float:
        return self.end_s - self.start_s


@dataclass(frozen=True)
class DroppedPassage:
    """A passage the hallucination guard removed, kept so a reviewer can check it."""

    start_s: float
    end_s: float
    text: str
    reason: str


@dataclass(frozen=True)
class ModelUse:
    """Which model produced a stage's result (for the audit trail)."""

    stage: str
    name: str
    sha256: str
    device: str
    parameters: dict[str, Any] = field(default_factory=dict)


@dataclass
class Transcript:
    audio: AudioInfo
    language: str
    segments: list[Segment]
    turns: list[SpeakerTurn]
    dropped: list[DroppedPassage] = field(default_factory=list)
    models: list[ModelUse] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    # per speaker label: share of its speech attributed without doubt (0..1)
    speaker_confidence: dict[str, float] = field(default_factory=dict)

    @property
    def speakers(self) -> list[str]:
        """Speaker labels in order of first appearance in the text."""
        seen: dict[str, None] = {}
        for seg in self.segments:
            if seg.speaker is not None:
                seen.setdefault(seg.speaker, None)
        return list(seen)

    def to_dict(self) -> dict[str, Any]:
        return {
            "schema_version": SCHEMA_VERSION,
            "audio": asdict(self.audio),
            "language": self.language,
            "speakers": self.speakers,
            "segments": [
                {
                    "start_s": round(s.start_s, 3),
                    "end_s": round(s.end_s, 3),
                    "speaker": s.speaker,
                    **_confidence("speaker_confidence", s.speaker_confidence),
                    "text": s.text,
                    "words": [
                        {
                            "start_s": round(w.start_s, 3),
                            "end_s": round(w.end_s, 3),
                            "text": w.text,
                            "probability": round(w.probability, 4),
                            "speaker": w.speaker,
                        }
                        for w in s.words
                    ],
                }
                for s in self.segments
            ],
            "speaker_confidence": {k: round(v, 3) for k, v in self.speaker_confidence.items()},
            "speaker_turns": [
                {
                    "start_s": round(t.start_s, 3),
                    "end_s": round(t.end_s, 3),
                    "speaker": t.speaker,
                    **_confidence("confidence", t.confidence),
                }
                for t in self.turns
            ],
            "dropped_passages": [asdict(d) for d in self.dropped],
            "models": [asdict(m) for m in self.models],
            "warnings": list(self.warnings),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Transcript:
        segments = [
            Segment(
                start_s=s["start_s"],
                end_s=s["end_s"],
                text=s["text"],
                speaker=s.get("speaker"),
                speaker_confidence=s.get("speaker_confidence"),
                words=tuple(Word(**w) for w in s.get("words", [])),
            )
            for s in data["segments"]
        ]
        return cls(
            audio=AudioInfo(**data["audio"]),
            language=data["language"],
            segments=segments,
            turns=[SpeakerTurn(**t) for t in data.get("speaker_turns", [])],
            dropped=[DroppedPassage(**d) for d in data.get("dropped_passages", [])],
            models=[ModelUse(**m) for m in data.get("models", [])],
            warnings=list(data.get("warnings", [])),
            speaker_confidence=dict(data.get("speaker_confidence", {})),
        )


def _confidence(key: str, value: float | None) -> dict[str, float]:
    return {} if value is None else {key: round(value, 3)}


UNKNOWN_SPEAKER_NAME = "Unbekannt"
_DIARIZATION_LABEL = re.compile(r"SPEAKER_(\d+)")


def speaker_display_name(label: str | None, speaker_names: Mapping[str, str] | None = None) -> str:
    """The name shown to readers for a speaker label.

    A mapped name wins; the diarization's ``SPEAKER_00`` reads "Sprecher 1" (German
    readers, counted from one); other labels are shown as they are; a missing label
    (``None``) or the pipeline's ``UNBEKANNT`` label reads "Unbekannt".
    """
    if label is not None and speaker_names:
        name = speaker_names.get(label)
        if name is not None and name.strip():
            return name.strip()
    if label is None or label == UNKNOWN_SPEAKER:
        return UNKNOWN_SPEAKER_NAME
    match = _DIARIZATION_LABEL.fullmatch(label)
    if match:
        return f"Sprecher {int(match.group(1)) + 1}"
    return label
