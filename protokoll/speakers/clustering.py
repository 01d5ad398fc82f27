"""How many people spoke, and which voice is whose: clustering of speaker embeddings.

The input is what the first pass keeps of each segmentation window: one
embedding per local speaker and the frames where that speaker talks. A council
session is lopsided: the chair talks for a third of the time, many members
speak once for 10–30 s. Counting clusters by how many windows they hold
(pyannote's `min_cluster_size`) therefore folds one-time speakers into the
chair. Here a cluster's weight is the seconds of clean speech behind it, and a
short cluster joins an existing speaker only when its voice is close to one:

1. Embeddings with at least `min_embedding_speech_s` of clean (non-overlapped)
   speech in their window are clustered with average-linkage agglomerative
   clustering on cosine distance, cut at `threshold`.
2. Clusters with at least `min_speaker_speech_s` seconds are speakers. A
   smaller cluster joins the nearest speaker when its centroid is within
   `join_distance` of it; otherwise it stays a speaker of its own (someone who
   spoke once), unless it has under `min_own_speech_s` seconds.
3. Centroids are refined by re-assigning the clustered embeddings twice
   (k-means steps), and speakers whose centroids end up closer than
   `merge_distance` are merged.
4. `max_speakers` (the members present, from the agenda) bounds the count: the
   closest speakers are merged until it holds. It is never a target.

Thresholds were chosen on the development split of `bench/speakers.py` and the
bundled sample only (docs/speakers.md), never on the held-out split.
The same function serves every embedding model; its thresholds belong to the
embedding model (CAM++ here) and live in the configuration.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

import numpy as np


@dataclass(frozen=True)
class ClusteringParams:
    threshold: float = 0.45  # cosine distance at which the dendrogram is cut
    join_distance: float = 0.4  # a small cluster joins a speaker closer than this
    merge_distance: float = 0.30  # speakers closer than this are one speaker
    min_speaker_speech_s: float = 16.0  # clean speech that makes a cluster a speaker outright
    min_embedding_speech_s: float = 1.0  # clean speech an embedding needs to be clustered
    min_own_speech_s: float = 6.0  # clean speech a far short cluster needs to stay a speaker


@dataclass(frozen=True)
class SpeakerClusters:
    centroids: np.ndarray  # (speakers, dimension), unit length
    speech_s: np.ndarray  # (speakers,) clean speech seconds behind each centroid
    confidence: np.ndarray  # (speakers,) share of that speech assigned without doubt


class Labeller(Protocol):
    def __call__(
        self,
        embeddings: np.ndarray,
        speech_s: np.ndarray,
        params: ClusteringParams,
        *,
        min_speakers: int | None = None,
        max_speakers: int | None = None,
    ) -> np.ndarray: ...


def _unit(x: np.ndarray) -> np.ndarray:
    norm = np.linalg.norm(x, axis=-1, keepdims=True)
    return np.asarray(x / np.maximum(norm, 1e-12))


def clean_speech_s(segmentations: np.ndarray, window_s: float) -> np.ndarray:
    """(windows, local speakers) seconds each local speaker talks alone in its window."""
    active = segmentations > 0.5
    alone = active.sum(axis=2, keepdims=True) == 1
    frames = segmentations.shape[1]
    return np.asarray((active & alone).sum(axis=1) * (window_s / max(frames, 1)), dtype=np.float64)


def _centroids(x: np.ndarray, w: np.ndarray, labels: np.ndarray, k: int) -> np.ndarray:
    return _unit(np.stack([(x[labels == c] * w[labels == c, None]).sum(axis=0) for c in range(k)]))


def _relabel(labels: np.ndarray) -> tuple[np.ndarray, int]:
    _, inverse = np.unique(labels, return_inverse=True)
    return inverse.astype(np.int64), int(inverse.max()) + 1 if inverse.size else 0


def _merge_closest(
    x: np.ndarray,
    w: np.ndarray,
    labels: np.ndarray,
    limit: float | None,
    most: int | None,
    least: int | None = None,
) -> np.ndarray:
    """Merge the two closest speakers while closer than `limit` or more than `most`."""
    labels, k = _relabel(labels)
    while k > max(1, least or 1):
        c = _centroids(x, w, labels, k)
        d = 1 - c @ c.T
        np.fill_diagonal(d, np.inf)
        i, j = np.unravel_index(np.argmin(d), d.shape)
        if not ((limit is not None and d[i, j] < limit) or (most is not None and k > most)):
            break
        labels[labels == max(i, j)] = min(i, j)
        labels, k = _relabel(labels)
    return labels


def cluster_embeddings(
    embeddings: np.ndarray,
    speech_s: np.ndarray,
    params: ClusteringParams,
    *,
    min_speakers: int | None = None,
    max_speakers: int | None = None,
) -> np.ndarray:
    """Cluster labels for flat (n, dimension) embeddings weighted by their clean speech."""
    # lazy: scipy.cluster is only needed in the diarization stage
    from scipy.cluster.hierarchy import fcluster, linkage

    n = len(embeddings)
    if n == 1:
        return np.zeros(1, dtype=np.int64)
    x = _unit(embeddings.astype(np.float64))
    w = speech_s.astype(np.float64)
    tree = linkage(x, method="average", metric="cosine")
    labels, k = _relabel(fcluster(tree, params.threshold, criterion="distance"))
    if min_speakers and k < min_speakers:
        labels, k = _relabel(fcluster(tree, min(min_speakers, n), criterion="maxclust"))

    # 2. short clusters join a close speaker or stay a speaker of their own
    mass = np.bincount(labels, weights=w, minlength=k)
    large = mass >= params.min_speaker_speech_s
    if not large.any():
        large[np.argmax(mass)] = True
    c = _centroids(x, w, labels, k)
    big = np.flatnonzero(large)
    for small in np.flatnonzero(~large):
        d = 1 - c[big] @ c[small]
        nearest = big[int(np.argmin(d))]
        if d.min() < params.join_distance or mass[small] < params.min_own_speech_s:
            labels[labels == small] = nearest
    labels, k = _relabel(labels)

    # 3. refine: k-means steps on the clustered embeddings, then merge near-duplicates
    for _ in range(2):
        c = _centroids(x, w, labels, k)
        labels, k = _relabel(np.argmax(x @ c.T, axis=1))
    return _merge_closest(x, w, labels, params.merge_distance, max_speakers, min_speakers)


def cluster_speakers(
    embeddings: np.ndarray,
    segmentations: np.ndarray,
    window_s: float,
    params: ClusteringParams,
    *,
    min_speakers: int | None = None,
    max_speakers: int | None = None,
    labeller: Labeller | None = None,
) -> SpeakerClusters | None:
    """Speakers of a session from (windows, local, dim) embeddings; None when nobody spoke.

    `labeller` replaces `cluster_embeddings` (the benchmark compares alternatives with it).

    Falls back to every valid embedding with any speech when none has enough clean
    speech (heavy overlap), so speech always yields at least one speaker."""
    dim = embeddings.shape[2]
    valid = ~np.any(np.isnan(embeddings), axis=2)
    clean = clean_speech_s(segmentations, window_s)
    chosen = valid & (clean >= params.min_embedding_speech_s)
    weight = clean
    if not chosen.any():
        active = (segmentations > 0.5).sum(axis=1) * (window_s / max(segmentations.shape[1], 1))
        chosen, weight = valid & (active > 0), active
    if not chosen.any():
        return None
    x = embeddings[chosen].reshape(-1, dim)
    w = np.maximum(weight[chosen], 1e-3)
    labeller = labeller or cluster_embeddings
    labels = labeller(x, w, params, min_speakers=min_speakers, max_speakers=max_speakers)
    k = int(labels.max()) + 1
    xu = _unit(x.astype(np.float64))
    centroids = _centroids(xu, w, labels, k)
    sims = xu @ centroids.T
    best = sims[np.arange(len(x)), labels]
    sims[np.arange(len(x)), labels] = -np.inf
    second = sims.max(axis=1) if k > 1 else np.full(len(x), -1.0)
    sure = (best - second) >= 0.1
    speech = np.bincount(labels, weights=w, minlength=k)
    confidence = np.bincount(labels, weights=w * sure, minlength=k) / np.maximum(speech, 1e-9)
    return SpeakerClusters(centroids, speech, confidence)
