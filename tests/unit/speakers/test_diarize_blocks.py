"""Block-wise diarization: blocks, the bounded clustering subset and the joins at block cuts.

Pure logic, no model; the real model runs block-wise in test_diarization_real.py and
in the 20-minute long-session test.
"""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from protokoll.domain.transcript import SpeakerTurn
from protokoll.speakers.blocks import (
    BlockFeatures,
    block_spans,
    join_at_cuts,
    training_set,
)


def _block(offset: float, core: tuple[float, float], windows: int, seed: int) -> BlockFeatures:
    rng = np.random.default_rng(seed)
    return BlockFeatures(
        offset_s=offset,
        core_start_s=core[0],
        core_end_s=core[1],
        step_s=2.0,
        duration_s=10.0,
        segmentations=(rng.random((windows, 589, 3)) > 0.5).astype(np.uint8),
        count=np.ones((100, 1), dtype=np.int8),
        count_start_s=0.0,
        count_step_s=0.017,
        count_duration_s=0.017,
        embeddings=rng.standard_normal((windows, 3, 192)).astype(np.float32),
    )


def test_block_spans_cover_the_recording_without_a_tiny_last_block() -> None:
    assert block_spans(1400.0, 600.0) == [(0.0, 600.0), (600.0, 1400.0)]
    assert block_spans(2000.0, 600.0) == [(0.0, 600.0), (600.0, 1200.0), (1200.0, 2000.0)]
    assert block_spans(100.0, 600.0) == [(0.0, 100.0)]
    spans = block_spans(5 * 3600.0, 600.0)
    assert len(spans) == 30 and spans[-1][1] == 5 * 3600.0
    assert all(a[1] == b[0] for a, b in itertools.pairwise(spans))


def test_core_windows_are_those_centred_in_the_core() -> None:
    # audio from 590 s (10 s margin before the core 600-1200); windows every 2 s, 10 s long
    block = _block(590.0, (600.0, 1200.0), windows=311, seed=0)
    core = block.core_windows()
    centres = 590.0 + core * 2.0 + 5.0
    assert centres.min() >= 600.0 and centres.max() < 1200.0
    assert len(core) == 300  # one window per 2 s of core: no window counted twice


def test_training_set_is_bounded_and_even_over_time() -> None:
    blocks = [
        _block(max(0.0, k * 600.0 - 10), (k * 600.0, (k + 1) * 600.0), windows=310, seed=k)
        for k in range(30)  # five hours
    ]
    embeddings, segmentations = training_set(blocks, max_windows=2400)
    assert len(embeddings) == len(segmentations) <= 2400
    assert len(embeddings) >= 2200  # the bound is used, not undershot by much
    # every block contributes its share, so a speaker of the last hour is in the set
    per_block = [len(b.core_windows()) for b in blocks]
    assert sum(per_block) == 8998  # no window is centred in the first 5 s
    first = blocks[0].embeddings[blocks[0].core_windows()[0]]
    np.testing.assert_array_equal(embeddings[0], first)
    last = blocks[-1].embeddings[blocks[-1].core_windows()]
    chosen_from_last = [e for e in embeddings[-100:] if (last == e).all(axis=(1, 2)).any()]
    assert 60 <= len(chosen_from_last) <= 80  # 300 core windows, every 4th
    assert segmentations.dtype == np.float32 and set(np.unique(segmentations)) <= {0.0, 1.0}


def test_training_set_takes_everything_below_the_bound() -> None:
    blocks = [_block(0.0, (0.0, 600.0), windows=305, seed=1)]
    embeddings, _ = training_set(blocks, max_windows=2400)
    assert len(embeddings) == len(blocks[0].core_windows())


def test_turns_cut_by_a_block_boundary_are_joined_again() -> None:
    turns = [
        SpeakerTurn(590.0, 600.0, "C001"),
        SpeakerTurn(600.0, 604.5, "C001"),  # the same turn, cut at 600 s
        SpeakerTurn(598.0, 600.0, "C002"),  # overlapping speech, also cut
        SpeakerTurn(600.0, 601.0, "C002"),
        SpeakerTurn(700.0, 710.0, "C001"),
        SpeakerTurn(710.0, 712.0, "C001"),  # touching, but not at a cut: kept apart
    ]
    joined = join_at_cuts(turns, {600.0})
    assert joined == [
        SpeakerTurn(590.0, 604.5, "C001"),
        SpeakerTurn(598.0, 601.0, "C002"),
        SpeakerTurn(700.0, 710.0, "C001"),
        SpeakerTurn(710.0, 712.0, "C001"),
    ]


@pytest.mark.parametrize("cuts", [set(), {600.0}])
def test_joining_keeps_every_second_of_speech(cuts: set[float]) -> None:
    rng = np.random.default_rng(3)
    turns = []
    t = 0.0
    while t < 1200:
        d = float(rng.uniform(0.5, 20))
        turns.append(SpeakerTurn(t, min(t + d, 600.0) if t < 600 else t + d, "C000"))
        t = turns[-1].end_s
    total = sum(x.duration_s for x in turns)
    assert sum(x.duration_s for x in join_at_cuts(turns, cuts)) == pytest.approx(total)


def test_a_frame_half_of_whose_windows_hear_speech_is_speech_with_ties_up() -> None:
    from pyannote.core import SlidingWindow, SlidingWindowFeature

    from protokoll.speakers.blocks import speaker_count

    # three windows of 2 s at a 1 s step, two frames each, two local speakers; the frame
    # 1-2 s lies under windows 0 and 1, the frame 2-3 s under windows 1 and 2
    heard = np.zeros((3, 2, 2), dtype=np.uint8)
    heard[0, 1, 0] = 1  # 1-2 s: window 0 hears one speaker, window 1 nobody -> 0.5
    heard[1, 1, :] = 1  # 2-3 s: window 1 hears two, window 2 one -> 1.5
    heard[2, 0, 0] = 1
    window = SlidingWindow(start=0.0, duration=2.0, step=1.0)
    frames = SlidingWindow(start=0.0, duration=1.0, step=1.0)
    feature = SlidingWindowFeature(heard, window)
    pyannote_way = speaker_count(feature, frames).data[:, 0]
    ties_up = speaker_count(feature, frames, ties_up=True).data[:, 0]
    assert list(pyannote_way[:4]) == [0, 0, 2, 0]  # np.rint: 0.5 -> 0, 1.5 -> 2
    assert list(ties_up[:4]) == [0, 1, 2, 0]


def test_a_second_speaker_that_only_some_windows_hear_is_not_counted_with_overlap_down() -> None:
    from pyannote.core import SlidingWindow, SlidingWindowFeature

    from protokoll.speakers.blocks import speaker_count

    # three windows of 2 s at a 1 s step, two frames each, two local speakers
    heard = np.zeros((3, 2, 2), dtype=np.uint8)
    heard[0, 1, 0] = 1  # 1-2 s: window 0 hears one speaker, window 1 nobody -> 0.5
    heard[1, 1, :] = 1  # 2-3 s: window 1 hears two, window 2 one -> 1.5
    heard[2, 0, 0] = 1
    heard[0, 0, :] = 1  # 0-1 s: the only window over it hears two -> 2.0
    window = SlidingWindow(start=0.0, duration=2.0, step=1.0)
    frames = SlidingWindow(start=0.0, duration=1.0, step=1.0)
    feature = SlidingWindowFeature(heard, window)
    ties_up = speaker_count(feature, frames, ties_up=True).data[:, 0]
    down = speaker_count(feature, frames, ties_up=True, overlap_down=True).data[:, 0]
    assert list(ties_up[:4]) == [2, 1, 2, 0]  # 1.5 -> 2: half the windows hear a second
    assert list(down[:4]) == [2, 1, 1, 0]  # only where every window hears two
