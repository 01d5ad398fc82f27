"""protokoll's speaker clustering on synthetic embeddings: counting, short turns, bounds.

Logic only; the real CAM++ embeddings of real voices are clustered in
tests/real/test_speakers_real.py and measured in bench/speakers.py.
"""

from __future__ import annotations

import numpy as np
import pytest

from protokoll.domain.transcript import SpeakerTurn
from protokoll.speakers.blocks import BlockFeatures, speech_turns, turn_confidence
from protokoll.speakers.clustering import (
    ClusteringParams,
    clean_speech_s,
    cluster_embeddings,
    cluster_speakers,
)

DIM = 64
# fixed here, so that these tests check the logic, not the tuned defaults
PARAMS = ClusteringParams(
    threshold=0.55,
    join_distance=0.45,
    merge_distance=0.3,
    min_speaker_speech_s=8.0,
    min_embedding_speech_s=1.0,
    min_own_speech_s=6.0,
)


def _voices(n: int, seed: int, spread: float = 1.0) -> np.ndarray:
    return np.random.default_rng(seed).standard_normal((n, DIM)) * spread


def _samples(centre: np.ndarray, count: int, noise: float, rng: np.random.Generator) -> np.ndarray:
    unit = centre / np.linalg.norm(centre)
    return unit + rng.standard_normal((count, DIM)) * noise / np.sqrt(DIM)


def _cluster(groups: list[tuple[np.ndarray, int, float]], **kw: object) -> np.ndarray:
    """groups: (centre, embeddings, seconds of clean speech each)."""
    rng = np.random.default_rng(0)
    x = np.concatenate([_samples(c, n, 0.5, rng) for c, n, _ in groups])
    w = np.concatenate([np.full(n, s) for _, n, s in groups])
    return cluster_embeddings(x, w, PARAMS, **kw)  # type: ignore[arg-type]


def test_a_chair_and_many_one_time_speakers_are_all_counted() -> None:
    # the chair holds a third of the talk; 20 members speak once (3 windows of 3 s each)
    centres = _voices(21, seed=1)
    labels = _cluster([(centres[0], 60, 4.0)] + [(c, 3, 3.0) for c in centres[1:]])
    assert len(set(labels)) == 21
    assert len(set(labels[:60])) == 1


def test_two_similar_voices_stay_apart() -> None:
    a = _voices(1, seed=2)[0]
    b = a + _voices(1, seed=3)[0] * 2.0  # cosine similarity about 0.55
    cos = a @ b / np.linalg.norm(a) / np.linalg.norm(b)
    assert 0.5 < cos < 0.6
    labels = _cluster([(a, 30, 4.0), (b, 30, 4.0)])
    assert len(set(labels)) == 2
    assert len(set(labels[:30])) == 1 and len(set(labels[30:])) == 1


def test_a_short_cluster_close_to_a_speaker_joins_it() -> None:
    a = _voices(1, seed=4)[0]
    rng = np.random.default_rng(5)
    x = np.concatenate([_samples(a, 40, 0.5, rng), _samples(a, 2, 1.2, rng)])
    w = np.concatenate([np.full(40, 4.0), np.full(2, 1.0)])
    labels = cluster_embeddings(x, w, PARAMS)
    assert len(set(labels)) == 1


def test_a_far_short_cluster_stays_a_speaker_only_with_enough_speech() -> None:
    # a voice unlike everyone's: with 9 s of clean speech (3 windows) it is someone who
    # spoke once; with 4 s (a fragment of a longer turn, or a blend at a turn change)
    # it is not a speaker of its own and goes to the nearest voice
    centres = _voices(4, seed=8)
    base = [(c, 20, 4.0) for c in centres[:3]]
    assert len(set(_cluster([*base, (centres[3], 3, 3.0)]))) == 4
    assert len(set(_cluster([*base, (centres[3], 2, 2.0)]))) == 3


def test_the_member_count_bounds_but_does_not_set_the_number() -> None:
    centres = _voices(8, seed=6)
    groups = [(c, 10, 4.0) for c in centres]
    assert len(set(_cluster(groups, max_speakers=5))) == 5
    assert len(set(_cluster(groups, max_speakers=40))) == 8


def test_min_speakers_is_honoured_when_the_voices_are_alike() -> None:
    a = _voices(1, seed=7)[0]
    labels = _cluster([(a, 20, 4.0)], min_speakers=2)
    assert len(set(labels)) == 2


def _segmentation(windows: int, pattern: str) -> np.ndarray:
    seg = np.zeros((windows, 100, 3), dtype=np.float32)
    if pattern == "clean":
        seg[:, :50, 0] = 1
        seg[:, 50:, 1] = 1
    elif pattern == "overlap":  # both local speakers always at once: no clean speech
        seg[:, :, 0] = 1
        seg[:, :, 1] = 1
    return seg


def test_clean_speech_counts_only_frames_where_one_speaker_talks() -> None:
    seg = _segmentation(2, "clean")
    seg[:, :10, 1] = 1  # 10 frames of overlap
    clean = clean_speech_s(seg, window_s=10.0)
    assert clean[0, 0] == pytest.approx(4.0) and clean[0, 1] == pytest.approx(5.0)
    assert clean[0, 2] == 0.0


def test_heavy_overlap_still_yields_a_speaker() -> None:
    rng = np.random.default_rng(8)
    emb = rng.standard_normal((6, 3, DIM)).astype(np.float32)
    emb[:, 2] = np.nan  # the third local speaker is silent
    found = cluster_speakers(emb, _segmentation(6, "overlap"), 10.0, PARAMS)
    assert found is not None and len(found.centroids) >= 1


def test_no_valid_embedding_means_no_speaker() -> None:
    emb = np.full((4, 3, DIM), np.nan, dtype=np.float32)
    assert cluster_speakers(emb, _segmentation(4, "clean"), 10.0, PARAMS) is None


def test_speaker_confidence_is_high_for_distinct_voices_and_lower_for_alike_ones() -> None:
    rng = np.random.default_rng(9)
    centres = _voices(2, seed=10)
    emb = np.full((40, 3, DIM), np.nan, dtype=np.float32)
    emb[:, 0] = _samples(centres[0], 40, 0.3, rng)
    emb[:, 1] = _samples(centres[1], 40, 0.3, rng)
    found = cluster_speakers(emb, _segmentation(40, "clean"), 10.0, PARAMS)
    assert found is not None and len(found.centroids) == 2
    assert np.all(found.confidence > 0.9)
    assert np.all((found.confidence >= 0) & (found.confidence <= 1))


def _block(count: np.ndarray) -> BlockFeatures:
    return BlockFeatures(
        offset_s=0.0, core_start_s=0.0, core_end_s=len(count) * 0.1, step_s=1.0, duration_s=10.0,
        segmentations=np.zeros((1, 10, 3), dtype=np.uint8), count=count[:, None].astype(np.int8),
        count_start_s=0.0, count_step_s=0.1, count_duration_s=0.1,
        embeddings=np.zeros((1, 3, DIM), dtype=np.float32),
    )  # fmt: skip


def test_speech_turns_cover_the_frames_where_someone_speaks() -> None:
    count = np.zeros(100)
    count[10:30] = 1
    count[50:60] = 2
    turns = speech_turns([_block(count)])
    assert [(round(t.start_s, 2), round(t.end_s, 2)) for t in turns] == [(1.0, 3.0), (5.0, 6.0)]
    assert {t.speaker for t in turns} == {"C000"} and all(t.confidence == 0.0 for t in turns)


def test_turn_confidence_follows_the_margin_of_the_windows_under_the_turn() -> None:
    block = _block(np.ones(300))
    block = BlockFeatures(**{**block.__dict__, "step_s": 10.0})
    hard = np.array([[0, -2, -2], [1, -2, -2], [0, 1, -2]])
    margin = np.array([[0.4, 0, 0], [0.05, 0, 0], [0.1, 0.1, 0]])
    turns = [SpeakerTurn(0.0, 9.0, "C000"), SpeakerTurn(11.0, 19.0, "C001")]
    sure, unsure = turn_confidence(block, hard, margin, turns)
    assert sure.confidence == 1.0
    assert unsure.confidence == pytest.approx(0.25)
