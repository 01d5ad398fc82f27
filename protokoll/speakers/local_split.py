"""Give each stretch of a local speaker's track between pauses its own embedding.

segmentation-3.0 labels up to three *local* speakers per 10 s window, and the
pipeline computes one embedding per local speaker and window. When two alike
voices follow each other within a window, the model may track both as one local
speaker: their only embedding is then a blend, and no clustering can tell them
apart. Here a track is cut in the middle of its pauses into pieces (a piece with too little
speech joins its neighbour across the shorter pause), and every piece after the
first moves to a local slot of its own, up to `slots` per window. Each piece gets
an embedding; pieces of one person are put together again by the clustering. The
number of people talking per frame does not change, and the embedding cost grows
little: CAM++ runs on the active frames only (`campplus.py`).
"""

from __future__ import annotations

import itertools

import numpy as np


def pieces(active: np.ndarray, min_gap: int, min_side: int) -> list[tuple[int, int]]:
    """(start, end) frames of a track's pieces between pauses of at least `min_gap` frames."""
    frames = np.flatnonzero(active)
    if frames.size == 0:
        return []
    cuts = np.flatnonzero(np.diff(frames) - 1 >= min_gap) + 1
    bounds = [0, *cuts.tolist(), int(frames.size)]
    spans = [[int(frames[a]), int(frames[b - 1]) + 1, b - a] for a, b in itertools.pairwise(bounds)]
    while len(spans) > 1:  # the shortest piece below `min_side` joins a neighbour
        k = min(range(len(spans)), key=lambda i: spans[i][2])
        if spans[k][2] >= min_side:
            break
        if k == 0:
            j = 1
        elif k == len(spans) - 1:
            j = k - 1
        else:
            before = spans[k][0] - spans[k - 1][1]
            after = spans[k + 1][0] - spans[k][1]
            j = k - 1 if before <= after else k + 1
        a, b = sorted((k, j))
        spans[a] = [spans[a][0], spans[b][1], spans[a][2] + spans[b][2]]
        del spans[b]
    return [(start, end) for start, end, _ in spans]


def split_at_pauses(
    segmentations: np.ndarray,
    frame_s: float,
    min_gap_s: float,
    min_side_s: float,
    slots: int = 6,
    plain: np.ndarray | None = None,
) -> np.ndarray:
    """(windows, frames, local) activity -> (windows, frames, `slots`), tracks cut at pauses.

    `plain` is the same windows' activity where the pauses are to be found (the
    segmentation's plain decision when `segmentations` leans towards speech); each
    track is cut in the middle of its pauses there."""
    if min_gap_s <= 0:
        return segmentations
    plain = segmentations if plain is None else plain
    windows, frames, local = segmentations.shape
    out = np.zeros((windows, frames, max(slots, local)), dtype=segmentations.dtype)
    out[:, :, :local] = segmentations
    min_gap = max(1, round(min_gap_s / frame_s))
    min_side = max(1, round(min_side_s / frame_s))
    for w, window in enumerate(out):
        used = window.any(axis=0)
        free = [k for k in range(window.shape[1]) if not used[k]]
        # the longest tracks first: they are the likeliest to hold two voices
        for k in np.argsort(-window.sum(axis=0), kind="stable"):
            if not used[k]:
                continue
            spans = pieces(plain[w, :, k] > 0, min_gap, min_side)
            cuts = [(end + start) // 2 for (_, end), (start, _) in itertools.pairwise(spans)]
            for start, end in zip(cuts, [*cuts[1:], frames], strict=False):
                if not free:
                    break
                slot = free.pop(0)
                window[start:end, slot] = window[start:end, k]
                window[start:end, k] = 0
    return out


def heard_and_voiced(
    plain: np.ndarray,
    leaning: np.ndarray,
    frame_s: float,
    min_gap_s: float,
    min_side_s: float,
) -> tuple[np.ndarray, np.ndarray]:
    """Both decisions cut at `plain`'s pauses into the same slots, as (heard, voiced).

    `heard` (the leaning decision) says who talks when; `voiced` (the plain decision)
    holds the frames a voice is learnt from, so a stretch heard only by leaning (music,
    say) gets no embedding of its own. Leaning only turns "nobody" frames into speech,
    so plain lies inside it: summed, 2 is heard plainly and 1 only by leaning, and the
    cut moves both together."""
    both = split_at_pauses(leaning + plain, frame_s, min_gap_s, min_side_s, plain=plain)
    return (both > 0).astype(np.uint8), (both > 1).astype(np.uint8)
