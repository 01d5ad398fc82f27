"""Fixtures for the writer tests: a small, realistic German council transcript."""

from __future__ import annotations

from collections.abc import Sequence

import pytest

from protokoll.transcript import (
    AudioInfo,
    DroppedPassage,
    ModelUse,
    Segment,
    SpeakerTurn,
    Transcript,
    Word,
)


def _words(
    start_s: float, tokens: Sequence[tuple[str, float]], speaker: str | None
) -> tuple[Word, ...]:
    """Whisper-style words (leading space) of 0.4 s each, starting at ``start_s``."""
    out = []
    t = start_s
    for text, probability in tokens:
        out.append(
            Word(
                start_s=round(t, 3),
                end_s=round(t + 0.4, 3),
                text=text,
                probability=probability,
                speaker=speaker,
            )
        )
        t += 0.4
    return tuple(out)


def build_transcript() -> Transcript:
    audio = AudioInfo(
        file_name="Gemeinderat 2024-03-12.mp3",
        sha256="ab" * 32,
        duration_s=3725.5,
        source_format="mp3",
        source_codec="mp3",
        source_sample_rate_hz=44100,
        source_channels=2,
        size_bytes=59_604_480,
    )
    greeting = [(" Ich", 0.98), (" eröffne", 0.95), (" die", 0.99), (" Sitzung.", 0.97)]
    motion = [
        (" Wir", 0.99),
        (" beantragen", 0.93),
        (" die", 0.99),
        (" Kindertagesstätte", 0.31),
        (" Am", 0.88),
        (" Mühlbach", 0.42),
        (",", 0.9),
        (" Herr", 0.97),
        (" Vorsitzender.", 0.96),
    ]
    segments = [
        Segment(
            start_s=83.25,
            end_s=84.85,
            text=" Ich eröffne die Sitzung.",
            words=_words(83.25, greeting, "SPEAKER_00"),
            speaker="SPEAKER_00",
        ),
        Segment(
            start_s=85.0,
            end_s=88.5,
            text=" Der Tagesordnungspunkt 1 ist die Haushaltssatzung.",
            speaker="SPEAKER_00",
        ),
        Segment(
            start_s=90.1,
            end_s=93.7,
            text=" Wir beantragen die Kindertagesstätte Am Mühlbach, Herr Vorsitzender.",
            words=_words(90.1, motion, "SPEAKER_01"),
            speaker="SPEAKER_01",
        ),
        Segment(
            start_s=95.0, end_s=96.2, text=" (Zwischenruf) <unverständlich> & so", speaker=None
        ),
        Segment(
            start_s=3720.0,
            end_s=3725.5,
            text=" Damit schließe ich die Sitzung.",
            speaker="SPEAKER_00",
        ),
    ]
    turns = [
        SpeakerTurn(start_s=83.25, end_s=88.5, speaker="SPEAKER_00"),
        SpeakerTurn(start_s=90.1, end_s=93.7, speaker="SPEAKER_01"),
        SpeakerTurn(start_s=3720.0, end_s=3725.5, speaker="SPEAKER_00"),
    ]
    return Transcript(
        audio=audio,
        language="de",
        segments=segments,
        turns=turns,
        dropped=[
            DroppedPassage(
                start_s=1800.0,
                end_s=1830.0,
                text="Untertitel im Auftrag des ZDF, 2021",
                reason="bekannte Halluzination",
            )
        ],
        models=[
            ModelUse(
                stage="asr",
                name="faster-whisper-large-v3",
                sha256="cd" * 32,
                device="cpu",
                parameters={"beam_size": 5, "language": "de"},
            )
        ],
        warnings=["Sprechererkennung unsicher zwischen 00:30:00 und 00:31:00."],
    )


@pytest.fixture
def transcript() -> Transcript:
    return build_transcript()


@pytest.fixture
def speaker_names() -> dict[str, str]:
    return {"SPEAKER_00": "Bürgermeisterin Schäfer", "SPEAKER_01": "Stadtrat Öztürk"}
