"""The speaker benchmark's sessions must have the levels its documentation states.

A member's level at the microphone, relative to the chair's, is measured on the
session's pieces before the noise is added.
"""

from __future__ import annotations

import numpy as np
import pytest

from bench import speaker_sessions
from bench.speaker_sessions import level_seats, member_levels_db
from bench.speaker_voices import SAMPLE_RATE_HZ, Voice


def _voices(n: int) -> list[Voice]:
    rng = np.random.default_rng(7)
    voices = []
    for k in range(n):
        # recordings of very different loudness (±12 dB), like the registry voices
        level = 10 ** (rng.uniform(-12, 12) / 20)
        audio = (rng.normal(size=SAMPLE_RATE_HZ * (20 - k % 5)) * 0.05 * level).astype(np.float32)
        voices.append(Voice(f"v{k}", audio))
    return voices


def test_members_reach_the_microphone_at_most_15_db_below_the_chair() -> None:
    for seed in (11, 12, 13):
        levels = member_levels_db(_voices(10), 8, seed, "hall", "gain")
        assert len(levels) == 7
        assert min(levels) > -16.5, levels
        assert max(levels) < 1.5, levels


def test_the_room_variant_keeps_distance_loss_and_recording_levels() -> None:
    levels = member_levels_db(_voices(10), 8, 11, "hall", "room")
    assert max(levels) - min(levels) > 20, levels


def test_level_seats_gives_every_response_the_chairs_energy() -> None:
    rng = np.random.default_rng(3)
    irs = [rng.normal(size=400).astype(np.float32) * s for s in (1.0, 0.1, 3.0)]
    energies = [float(np.sum(ir.astype(np.float64) ** 2)) for ir in level_seats(irs)]
    assert energies == pytest.approx([energies[0]] * 3, rel=1e-4)


def test_an_unknown_seat_level_is_refused() -> None:
    with pytest.raises(ValueError, match="seat levels"):
        speaker_sessions.build_council(_voices(4), 3, 1, "clean", "t", "loud")
