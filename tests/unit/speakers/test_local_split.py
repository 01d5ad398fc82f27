"""Cutting a local speaker's track at its pauses into pieces with slots of their own."""

from __future__ import annotations

import numpy as np

from protokoll.speakers.local_split import heard_and_voiced, pieces, split_at_pauses

FRAME_S = 0.1  # ten frames per second keeps the arrays readable


def _track(*runs: tuple[float, float], frames: int = 100) -> np.ndarray:
    active = np.zeros(frames, dtype=np.uint8)
    for start, end in runs:
        active[round(start / FRAME_S) : round(end / FRAME_S)] = 1
    return active


def _window(*tracks: np.ndarray) -> np.ndarray:
    columns = list(tracks) + [np.zeros(100, dtype=np.uint8)] * (3 - len(tracks))
    return np.stack(columns, axis=1)[None]


def test_two_turns_of_one_local_speaker_get_a_slot_each() -> None:
    # 3.5 s, a pause of 0.7 s, 3.5 s: two alike voices the model tracked as one
    window = _window(_track((1.0, 4.5), (5.2, 8.7)))
    out = split_at_pauses(window, FRAME_S, min_gap_s=0.5, min_side_s=1.0, slots=6)
    assert out.shape == (1, 100, 6)
    assert out[0, :, 0].tolist() == _track((1.0, 4.5)).tolist()
    assert out[0, :, 1].tolist() == _track((5.2, 8.7)).tolist()
    # the number of people talking per frame is what it was
    assert np.array_equal(out.sum(axis=2), window.sum(axis=2))


def test_a_short_pause_is_no_cut_and_a_short_piece_joins_its_nearer_neighbour() -> None:
    assert pieces(_track((1.0, 4.5), (4.8, 8.7)) > 0, min_gap=5, min_side=10) == [(10, 87)]
    # 0.5 s of speech after a 0.6 s pause joins the piece before it (0.6 < 1.0 s away)
    active = _track((0.0, 3.6), (4.2, 8.6), (9.2, 9.7)) > 0
    assert pieces(active, min_gap=5, min_side=10) == [(0, 36), (42, 97)]


def test_every_pause_cuts_while_slots_are_free() -> None:
    chair = _track((0.0, 2.0), (3.0, 5.0), (6.0, 9.0))
    member = _track((5.0, 5.9))
    out = split_at_pauses(_window(chair, member), FRAME_S, 0.5, 1.0, slots=4)
    assert out[0, :, 0].tolist() == _track((0.0, 2.0)).tolist()
    assert out[0, :, 2].tolist() == _track((3.0, 5.0)).tolist()
    assert out[0, :, 3].tolist() == _track((6.0, 9.0)).tolist()
    assert out[0, :, 1].tolist() == member.tolist()


def test_without_a_free_slot_the_rest_of_the_track_stays() -> None:
    a = _track((0.0, 2.0), (5.0, 7.0))
    window = _window(a, a, a)
    out = split_at_pauses(window, FRAME_S, 0.5, 1.0, slots=3)
    assert np.array_equal(out, window)
    single = _window(a)
    assert split_at_pauses(single, FRAME_S, 0.0, 1.0) is single


def test_pauses_come_from_the_plain_decision_when_the_leaning_one_bridged_them() -> None:
    leaning = _window(_track((1.0, 8.7)))  # the pause between the voices heard as speech
    plain = _window(_track((1.0, 4.5), (5.2, 8.7)))
    out = split_at_pauses(leaning, FRAME_S, 0.5, 1.0, slots=6, plain=plain)
    cut = (45 + 52) // 2  # the middle of the plain pause
    assert out[0, :, 0].tolist() == _track((1.0, cut * FRAME_S)).tolist()
    assert out[0, :, 1].tolist() == _track((cut * FRAME_S, 8.7)).tolist()
    assert np.array_equal(out.sum(axis=2), leaning.sum(axis=2))


def test_a_voice_is_learnt_only_where_the_plain_decision_hears_it() -> None:
    # plainly heard: two turns with a pause; leaning also hears the pause's end and a
    # stretch of music at 9-10 s that plain left to "nobody"
    plain = _window(_track((1.0, 4.5), (5.2, 8.7)))
    leaning = _window(_track((1.0, 4.5), (4.9, 8.7), (9.0, 10.0)))
    heard, voiced = heard_and_voiced(plain, leaning, FRAME_S, min_gap_s=0.5, min_side_s=1.0)
    assert heard.shape == voiced.shape == (1, 100, 6)
    # the same cut (in the middle of the plain pause) for both, the same slots
    assert voiced[0, :, 0].tolist() == _track((1.0, 4.5)).tolist()
    assert voiced[0, :, 1].tolist() == _track((5.2, 8.7)).tolist()
    assert heard[0, :, 0].tolist() == _track((1.0, 4.5)).tolist()
    assert heard[0, :, 1].tolist() == _track((4.9, 8.7), (9.0, 10.0)).tolist()
    # the music is heard (who talks when) but gives no voice (no frames to embed)
    assert heard[0, 90:, :].any() and not voiced[0, 90:, :].any()
    # without leaning both are the plain decision cut at its pauses
    same, also = heard_and_voiced(plain, plain, FRAME_S, min_gap_s=0.5, min_side_s=1.0)
    expected = split_at_pauses(plain, FRAME_S, 0.5, 1.0)
    assert (same == expected).all() and (also == expected).all()
