"""AudioSource: the decoded recording read in pieces, cut in pauses, never whole."""

from __future__ import annotations

import itertools
import wave
from pathlib import Path

import numpy as np
import pytest

from protokoll.audio.source import SAMPLE_RATE_HZ, AudioSource, quiet_cut
from protokoll.errors import InputError


def _write_wav(path: Path, samples: np.ndarray, rate: int = SAMPLE_RATE_HZ) -> Path:
    with wave.open(str(path), "wb") as wav:
        wav.setnchannels(1)
        wav.setsampwidth(2)
        wav.setframerate(rate)
        wav.writeframes((np.clip(samples, -1, 1) * 32767).astype(np.int16).tobytes())
    return path


def _speech_with_pauses(seconds: int, pauses_at: list[float], seed: int = 1) -> np.ndarray:
    """Loud noise ("speech") with half-second silent pauses at the given times."""
    rng = np.random.default_rng(seed)
    audio = 0.3 * rng.standard_normal(seconds * SAMPLE_RATE_HZ).astype(np.float32)
    for t in pauses_at:
        a = int(t * SAMPLE_RATE_HZ)
        audio[a : a + SAMPLE_RATE_HZ // 2] = 0.0
    return audio


def test_read_gives_the_same_samples_as_the_file(tmp_path: Path) -> None:
    audio = _speech_with_pauses(5, [])
    source = AudioSource.from_wav(_write_wav(tmp_path / "a.wav", audio))
    assert source.num_samples == len(audio)
    assert source.duration_s == pytest.approx(5.0)
    whole = source.read_all()
    expected = (np.clip(audio, -1, 1) * 32767).astype(np.int16) / np.float32(32768.0)
    np.testing.assert_allclose(whole, expected, atol=1e-6)
    np.testing.assert_array_equal(source.read(16000, 16100), whole[16000:16100])
    assert len(source.read(len(audio) - 10, len(audio) + 1000)) == 10  # clipped at the end
    assert len(source.read(-50, 0)) == 0


def test_blocks_are_gap_free_and_cut_in_pauses(tmp_path: Path) -> None:
    # 100 s with pauses at 17.2 s, 41.0 s and 65.0 s; blocks of 25 s, cuts searched 10 s back
    audio = _speech_with_pauses(100, [17.2, 41.0, 65.0])
    source = AudioSource.from_wav(_write_wav(tmp_path / "a.wav", audio))
    blocks = list(source.blocks(25.0, search_s=10.0))
    assert blocks[0].start == 0
    for before, after in itertools.pairwise(blocks):
        assert before.start + len(before.audio) == after.start  # nothing lost, nothing twice
    assert blocks[-1].start + len(blocks[-1].audio) == len(audio)
    cuts = [b.start / SAMPLE_RATE_HZ for b in blocks[1:]]
    # the middle of each pause; the last 9.75 s are too short for a block of their own
    assert cuts == pytest.approx([17.45, 41.25, 65.25], abs=0.06)
    for c in cuts:
        window = source.read(int((c - 0.1) * SAMPLE_RATE_HZ), int((c + 0.1) * SAMPLE_RATE_HZ))
        assert float(np.abs(window).max()) == 0.0  # every cut lies in a pause


def test_a_short_remainder_joins_the_last_block() -> None:
    source = AudioSource.from_array(np.zeros(SAMPLE_RATE_HZ * 31, dtype=np.float32))
    blocks = list(source.blocks(25.0, search_s=10.0))
    assert len(blocks) == 1 and len(blocks[0].audio) == SAMPLE_RATE_HZ * 31


def test_quiet_cut_finds_the_quietest_half_second() -> None:
    audio = np.ones(SAMPLE_RATE_HZ * 4, dtype=np.float32)
    audio[int(2.5 * SAMPLE_RATE_HZ) : 3 * SAMPLE_RATE_HZ] = 0.0
    assert quiet_cut(audio) / SAMPLE_RATE_HZ == pytest.approx(2.75, abs=0.05)
    assert quiet_cut(np.ones(100, dtype=np.float32)) == 50  # shorter than the window


def test_other_formats_are_refused(tmp_path: Path) -> None:
    path = _write_wav(tmp_path / "b.wav", np.zeros(4410), rate=44100)
    with pytest.raises(InputError, match="16-kHz"):
        AudioSource.from_wav(path)
    with pytest.raises(ValueError):
        AudioSource()
