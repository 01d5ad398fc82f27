"""The decoded recording as a source of 16 kHz float32 pieces, never the whole file at once.

A five-hour recording is 288 million samples: 1.15 GB as float32. The stages
read it in blocks from the decoded WAV on disk instead, so their memory does
not grow with the length of the session. `blocks()` cuts at the quietest half
second near each nominal boundary, so a cut falls into a pause, not a word.
"""

from __future__ import annotations

import wave
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from protokoll.errors import InputError

SAMPLE_RATE_HZ = 16_000  # every stage works on 16 kHz mono

_CUT_WINDOW_S = 0.5  # the quiet stretch a cut is centred in
_FRAME_S = 0.05  # energy frames for finding it


@dataclass(frozen=True)
class Block:
    """One piece of the recording: its first sample and its audio."""

    start: int
    audio: np.ndarray

    @property
    def start_s(self) -> float:
        return self.start / SAMPLE_RATE_HZ

    @property
    def end_s(self) -> float:
        return (self.start + len(self.audio)) / SAMPLE_RATE_HZ


class AudioSource:
    """16 kHz mono audio read in pieces, from a decoded WAV file or from an array."""

    def __init__(self, *, path: Path | None = None, array: np.ndarray | None = None) -> None:
        if (path is None) == (array is None):
            raise ValueError("AudioSource needs a WAV path or an array")
        self.path = path
        self._array = None if array is None else np.asarray(array, dtype=np.float32)
        if path is not None:
            with wave.open(str(path), "rb") as wav:
                if wav.getframerate() != SAMPLE_RATE_HZ or wav.getnchannels() != 1:
                    raise InputError(f"{path} ist keine 16-kHz-Mono-Datei.")
                if wav.getsampwidth() != 2:
                    raise InputError(f"{path} ist keine 16-Bit-PCM-Datei.")
                self.num_samples = wav.getnframes()
        else:
            assert self._array is not None
            self.num_samples = len(self._array)

    @classmethod
    def from_wav(cls, path: Path) -> AudioSource:
        return cls(path=path)

    @classmethod
    def from_array(cls, array: np.ndarray) -> AudioSource:
        return cls(array=array)

    @property
    def duration_s(self) -> float:
        return self.num_samples / SAMPLE_RATE_HZ

    def read(self, start: int, stop: int) -> np.ndarray:
        """Samples [start, stop) as float32 in [-1, 1] (shorter at the end of the file)."""
        start = max(0, min(start, self.num_samples))
        stop = max(start, min(stop, self.num_samples))
        if self._array is not None:
            return self._array[start:stop]
        assert self.path is not None
        with wave.open(str(self.path), "rb") as wav:
            wav.setpos(start)
            raw = wav.readframes(stop - start)
        return np.frombuffer(raw, dtype=np.int16).astype(np.float32) / np.float32(32768.0)

    def read_all(self) -> np.ndarray:
        return self.read(0, self.num_samples)

    def blocks(self, block_s: float, search_s: float = 30.0) -> Iterator[Block]:
        """Consecutive, gap-free blocks of about `block_s`, each cut in a quiet spot.

        The cut is the centre of the quietest half second within the last
        `search_s` seconds before the nominal end. The last block takes the rest.
        """
        size = max(1, int(block_s * SAMPLE_RATE_HZ))
        search = min(int(search_s * SAMPLE_RATE_HZ), size // 2)
        start = 0
        while start < self.num_samples:
            stop = start + size
            # a remainder shorter than the search span is taken into this block
            if stop + search >= self.num_samples:
                yield Block(start, self.read(start, self.num_samples))
                return
            audio = self.read(start, stop)
            cut = quiet_cut(audio[len(audio) - search :]) + len(audio) - search
            yield Block(start, audio[:cut])
            start += cut


def quiet_cut(audio: np.ndarray) -> int:
    """Index of the centre of the quietest half second in `audio` (its middle if shorter)."""
    frame = int(_FRAME_S * SAMPLE_RATE_HZ)
    window = max(1, int(_CUT_WINDOW_S / _FRAME_S))
    frames = len(audio) // frame
    if frames < window:
        return len(audio) // 2
    energy = (audio[: frames * frame].astype(np.float64) ** 2).reshape(frames, frame).sum(axis=1)
    moving = np.convolve(energy, np.ones(window), mode="valid")
    best = int(np.argmin(moving))
    return (best + window // 2) * frame
