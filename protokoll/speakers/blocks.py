"""Block-wise diarization with one clustering over the whole session.

pyannote's pipeline, applied to a whole recording at once, holds the audio,
every window's segmentation, every embedding and an all-pairs distance matrix
in memory: on five hours that is several gigabytes, and its clustering grows
with the square of the length. Here the same pipeline object runs in three
passes instead:

1. Per block (10 minutes plus a margin on each side, read from disk):
   segmentation, speaker count and one embedding per (window, local speaker).
   Only those compact results are kept (bytes per window, not audio).
2. One clustering over the embeddings of the whole session (a time-even subset
   of at most `max_clustering_chunks` windows, so its cost is bounded) gives the
   speaker centroids: the same speaker gets the same label from the first
   minute to the last, and the agenda's member count bounds the number.
3. Per block, every embedding is assigned to its nearest centroid (one
   speaker per local speaker of a window, as pyannote does), the block's
   diarization is reconstructed and its core (without the margins) kept.

The margins give each block's edges the same context as the middle; turns
that cross a block boundary are joined again.
"""

from __future__ import annotations

import logging
import math
import warnings
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

import numpy as np

from protokoll.audio.source import SAMPLE_RATE_HZ, AudioSource
from protokoll.devices import release_memory
from protokoll.domain.transcript import SpeakerTurn
from protokoll.speakers.clustering import (
    ClusteringParams,
    Labeller,
    SpeakerClusters,
    cluster_speakers,
)
from protokoll.speakers.local_split import heard_and_voiced
from protokoll.speakers.speech_bias import decide, powerset_scores

log = logging.getLogger(__name__)

MARGIN_S = 10.0  # one segmentation window of context on each side of a block
MIN_SIDE_S = 1.0  # speech on each side of a pause before a local track is split there
# share of the progress bar: first pass, clustering, last pass
_PASS1, _CLUSTER = 0.85, 0.9

Progress = Callable[[float], None]


@dataclass
class BlockFeatures:
    """What the first pass keeps of one block: everything the last pass needs, no audio."""

    offset_s: float  # where the block's audio (margin included) starts in the recording
    core_start_s: float  # the part of the recording this block reports
    core_end_s: float
    step_s: float
    duration_s: float  # window length
    segmentations: np.ndarray  # (windows, frames, local speakers), uint8 or float16
    count: np.ndarray  # (frames, 1) int8: active speakers per frame
    count_start_s: float
    count_step_s: float
    count_duration_s: float
    embeddings: np.ndarray  # (windows, local speakers, dimension) float32

    def core_windows(self) -> np.ndarray:
        """Indices of the windows whose centre lies in this block's core."""
        centres = self.offset_s + np.arange(len(self.segmentations)) * self.step_s
        centres = centres + self.duration_s / 2
        return np.flatnonzero((centres >= self.core_start_s) & (centres < self.core_end_s))


def block_spans(duration_s: float, block_s: float) -> list[tuple[float, float]]:
    """Cores of consecutive blocks; a remainder under half a block joins the last one."""
    spans: list[tuple[float, float]] = []
    start = 0.0
    while start < duration_s:
        end = start + block_s
        if duration_s - end < block_s / 2:
            end = duration_s
        spans.append((start, end))
        start = end
    return spans


def first_pass(
    pipeline: Any,
    source: AudioSource,
    core: tuple[float, float],
    progress: Progress,
    speech_bias: float = 0.0,
    split_pause_s: float = 0.0,
    ties_up: bool = False,
    overlap_down: bool = False,
) -> BlockFeatures:
    """Segmentation, speaker count and embeddings of one block (core plus margins).

    `speech_bias` leans the segmentation's decision towards speech (`speech_bias.py`);
    with `split_pause_s`, a local speaker's track is cut at its pauses of at least that
    length into free local slots (`local_split.py`) before the embeddings; `ties_up`
    and `overlap_down` are `speaker_count`'s."""
    # lazy: torch takes seconds and hundreds of MB to import; only model stages need it
    import torch
    from pyannote.core import SlidingWindowFeature

    start_s = max(0.0, core[0] - MARGIN_S)
    end_s = min(source.duration_s, core[1] + MARGIN_S)
    audio = source.read(round(start_s * SAMPLE_RATE_HZ), round(end_s * SAMPLE_RATE_HZ))
    waveform = torch.from_numpy(np.ascontiguousarray(audio, dtype=np.float32))[None]
    file = {"waveform": waveform, "sample_rate": SAMPLE_RATE_HZ, "uri": "block"}

    def hook(step: str, artifact: Any, file: Any = None, total: Any = None,
             completed: Any = None) -> None:  # fmt: skip
        share = (completed / total) if total and completed is not None else 0.0
        progress(0.3 * share if step == "segmentation" else 0.3 + 0.7 * share)

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with powerset_scores(pipeline) as powerset:
            segmentations = pipeline.get_segmentations(file, hook=hook)
        window = segmentations.sliding_window
        if powerset is not None:
            plain = decide(segmentations.data, powerset)
            leaning = decide(segmentations.data, powerset, speech_bias) if speech_bias else plain
            frame_s = window.duration / plain.shape[1]
            heard, voiced = heard_and_voiced(plain, leaning, frame_s, split_pause_s, MIN_SIDE_S)
            binarized = SlidingWindowFeature(heard, window)
            voices = SlidingWindowFeature(voiced, window)
        else:
            # lazy: pyannote.audio imports torch and lightning (seconds); only diarization needs it
            from pyannote.audio.utils.signal import binarize

            binarized = binarize(
                segmentations, onset=pipeline.segmentation.threshold, initial_state=False
            )
            voices = binarized
        count = speaker_count(
            binarized, pipeline._segmentation.model.receptive_field, ties_up, overlap_down
        )
        num_windows, _, local = binarized.data.shape
        if np.nanmax(count.data) > 0:
            embeddings = pipeline.get_embeddings(
                file,
                voices,
                exclude_overlap=pipeline.embedding_exclude_overlap,
                hook=hook,
            )
        else:  # no speech in this block: nothing to embed
            dim = pipeline._embedding.dimension
            embeddings = np.full((num_windows, local, dim), np.nan, dtype=np.float32)
    if powerset is not None:
        kept = binarized.data.astype(np.uint8)
    else:
        kept = segmentations.data.astype(np.float16)
    assert isinstance(count, SlidingWindowFeature)
    return BlockFeatures(
        offset_s=start_s,
        core_start_s=core[0],
        core_end_s=core[1],
        step_s=float(window.step),
        duration_s=float(window.duration),
        segmentations=kept,
        count=np.nan_to_num(count.data).astype(np.int8),
        count_start_s=float(count.sliding_window.start),
        count_step_s=float(count.sliding_window.step),
        count_duration_s=float(count.sliding_window.duration),
        embeddings=np.asarray(embeddings, dtype=np.float32),
    )


def training_set(blocks: list[BlockFeatures], max_windows: int) -> tuple[np.ndarray, np.ndarray]:
    """Embeddings and binarized segmentations of a time-even subset of core windows."""
    total = sum(len(b.core_windows()) for b in blocks)
    stride = max(1, math.ceil(total / max_windows))
    embeddings, segmentations = [], []
    position = 0
    for block in blocks:
        core = block.core_windows()
        chosen = core[(position + np.arange(len(core))) % stride == 0]
        position += len(core)
        embeddings.append(block.embeddings[chosen])
        segmentations.append((block.segmentations[chosen] > 0.5).astype(np.float32))
    return np.concatenate(embeddings), np.concatenate(segmentations)


def cluster_centroids(
    pipeline: Any,
    embeddings: np.ndarray,
    segmentations: np.ndarray,
    min_speakers: int | None,
    max_speakers: int | None,
) -> np.ndarray | None:
    """Speaker centroids from one clustering of the whole session (None: nobody spoke)."""
    # lazy: pyannote.audio imports torch and lightning (seconds); only diarization needs it
    from pyannote.core import SlidingWindow, SlidingWindowFeature

    valid = ~np.any(np.isnan(embeddings), axis=2)
    active = segmentations.sum(axis=1) > 0
    if not np.any(valid & active):
        return None
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        _, _, centroids = pipeline.clustering(
            embeddings=embeddings,
            segmentations=SlidingWindowFeature(segmentations, SlidingWindow(start=0.0)),
            num_clusters=None,
            min_clusters=min_speakers or 1,
            max_clusters=max_speakers or np.inf,
        )
    centroids = np.asarray(centroids, dtype=np.float64)
    keep = ~np.any(np.isnan(centroids), axis=1)
    return centroids[keep] if np.any(keep) else None


def session_centroids(
    blocks: list[BlockFeatures],
    max_windows: int,
    params: ClusteringParams,
    min_speakers: int | None,
    max_speakers: int | None,
    labeller: Labeller | None = None,
) -> SpeakerClusters | None:
    """protokoll's clustering (`speakers.clustering`) over the whole session's windows."""
    if not blocks:
        return None
    embeddings, segmentations = training_set(blocks, max_windows)
    return cluster_speakers(
        embeddings,
        segmentations,
        blocks[0].duration_s,
        params,
        min_speakers=min_speakers,
        max_speakers=max_speakers,
        labeller=labeller,
    )


def assign_windows(
    pipeline: Any, block: BlockFeatures, centroids: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Cluster index per (window, local speaker), -2 where silent; and the assignment margin.

    The margin is how much closer (cosine similarity) the voice is to its speaker than to
    the next best one: 0 is a coin toss, 0.2 and more is clear."""
    # lazy: scipy.spatial is only needed for clustering, in the diarization stage
    from scipy.spatial.distance import cdist

    windows, local, dim = block.embeddings.shape
    clustering = pipeline.clustering
    flat = block.embeddings.reshape(-1, dim).astype(np.float64)
    distance = np.full((len(flat), len(centroids)), np.nan)
    valid = ~np.any(np.isnan(flat), axis=1)
    if np.any(valid):
        distance[valid] = cdist(flat[valid], centroids, metric=clustering.metric)
    soft = (2 - distance).reshape(windows, local, len(centroids))
    if np.all(np.isnan(soft)):
        hard = np.zeros((windows, local), dtype=np.int8)
    elif getattr(clustering, "constrained_assignment", False):
        hard = clustering.constrained_argmax(soft)
    else:
        hard = np.argmax(np.nan_to_num(soft, nan=-np.inf), axis=2).astype(np.int8)
    ranked = np.sort(np.nan_to_num(soft, nan=-np.inf), axis=2)
    with np.errstate(invalid="ignore"):  # silent local speakers: -inf minus -inf
        margin = ranked[..., -1] - ranked[..., -2] if len(centroids) > 1 else np.ones(hard.shape)
    margin = np.where(np.isfinite(margin), margin, 0.0)
    inactive = block.segmentations.sum(axis=1) == 0
    hard[inactive] = -2
    return np.asarray(hard), np.asarray(margin, dtype=np.float64)


CLEAR_MARGIN = 0.2  # an assignment margin from which a turn's attribution counts as certain


def turn_confidence(
    block: BlockFeatures, hard: np.ndarray, margin: np.ndarray, turns: list[SpeakerTurn]
) -> list[SpeakerTurn]:
    """Each turn with the mean clarity of the windows that put its speaker there."""
    starts = block.offset_s + np.arange(len(hard)) * block.step_s
    ends = starts + block.duration_s
    out = []
    for t in turns:
        cluster = int(t.speaker[1:])
        overlap = np.clip(np.minimum(ends, t.end_s) - np.maximum(starts, t.start_s), 0, None)
        mine = (hard == cluster) & (overlap[:, None] > 0)
        weights = np.broadcast_to(overlap[:, None], hard.shape)[mine]
        clarity = np.clip(margin[mine] / CLEAR_MARGIN, 0, 1)
        value = float(np.average(clarity, weights=weights)) if weights.sum() > 0 else 0.0
        out.append(replace(t, confidence=round(value, 3)))
    return out


def block_turns(
    pipeline: Any, block: BlockFeatures, hard: np.ndarray, max_speakers: int | None
) -> tuple[list[SpeakerTurn], list[SpeakerTurn]]:
    """Reconstruct the block's diarization; its core's turns in recording time.

    Returns (turns, exclusive turns); labels are the global cluster indices."""
    # lazy: pyannote.audio imports torch and lightning (seconds); only diarization needs it
    from pyannote.core import SlidingWindow, SlidingWindowFeature

    if np.all(hard == -2):
        return [], []
    window = SlidingWindow(start=0.0, duration=block.duration_s, step=block.step_s)
    segmentations = SlidingWindowFeature(block.segmentations.astype(np.float32), window)
    count_window = SlidingWindow(
        start=block.count_start_s, duration=block.count_duration_s, step=block.count_step_s
    )
    count = block.count
    if max_speakers:
        count = np.minimum(count, max_speakers).astype(np.int8)
    out = []
    for limit in (count, np.minimum(count, 1).astype(np.int8)):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            discrete = pipeline.reconstruct(
                segmentations, hard, SlidingWindowFeature(limit, count_window)
            )
            annotation = pipeline.to_annotation(
                discrete,
                min_duration_on=0.0,
                min_duration_off=pipeline.segmentation.min_duration_off,
            )
        out.append(_core_turns(annotation, block))
    return out[0], out[1]


def _core_turns(annotation: Any, block: BlockFeatures) -> list[SpeakerTurn]:
    turns = []
    for segment, _, label in annotation.itertracks(yield_label=True):
        start = max(block.offset_s + float(segment.start), block.core_start_s)
        end = min(block.offset_s + float(segment.end), block.core_end_s)
        if end > start:
            turns.append(SpeakerTurn(start, end, f"C{int(label):03d}"))
    return turns


def _joined_confidence(a: SpeakerTurn, b: SpeakerTurn) -> float | None:
    if a.confidence is None or b.confidence is None:
        return None
    total = a.duration_s + b.duration_s
    return round((a.confidence * a.duration_s + b.confidence * b.duration_s) / max(total, 1e-9), 3)


def join_at_cuts(turns: list[SpeakerTurn], cuts: set[float]) -> list[SpeakerTurn]:
    """Join a speaker's turns that a block boundary cut in two."""
    out: list[SpeakerTurn] = []
    open_by_speaker: dict[str, int] = {}
    for turn in sorted(turns, key=lambda t: (t.start_s, t.end_s, t.speaker)):
        i = open_by_speaker.get(turn.speaker)
        if i is not None and out[i].end_s == turn.start_s and turn.start_s in cuts:
            out[i] = SpeakerTurn(
                out[i].start_s, turn.end_s, turn.speaker, _joined_confidence(out[i], turn)
            )
            continue
        open_by_speaker[turn.speaker] = len(out)
        out.append(turn)
    return out


def speaker_count(
    heard: Any, frames: Any, ties_up: bool = False, overlap_down: bool = False
) -> Any:
    """Speakers per frame: the mean over the windows that cover the frame of how many local
    speakers each hears (no warm-up trimmed), rounded.

    pyannote rounds half to even (`np.rint`), so a frame that one of its two windows hears
    and the other does not is silence, while one of two windows hearing a second speaker
    over the first gives two. With `ties_up` half rounds up: what half the windows hear
    is speech. At the 4 s window step most frames lie under two windows, and on the dev
    sessions 45% of the missed speech was such a tie (`bench/speaker_misses.py`).

    With `overlap_down` a second (third, ...) speaker counts only where the mean reaches
    it: a frame that some windows hear with two speakers and others with one is one
    speaker. On the dev sessions (reference overlap on 0 to 0.8% of the speech per
    session) rounding 1.5 up put a second speaker on 1.2% of the speech that had one
    (0.1% in the clean sessions, 0.6 to 2.7% in the reverberant, noisy ones; a third of
    it within a second of a turn change); with `overlap_down` 0.2%, while missed overlap
    went from 0.1% to 0.2% (`bench/speaker_misses.py`).
    """
    # lazy: pyannote.audio imports torch and lightning (seconds); only diarization needs it
    from pyannote.audio.core.inference import Inference
    from pyannote.core import SlidingWindowFeature

    count = Inference.aggregate(
        SlidingWindowFeature(np.sum(heard.data, axis=-1, keepdims=True), heard.sliding_window),
        frames,
        hamming=False,
        missing=0.0,
        skip_average=False,
    )
    mean = count.data
    rounded = np.floor(mean + 0.5) if ties_up else np.rint(mean)
    if overlap_down:
        rounded = np.where(rounded >= 2, np.maximum(np.floor(mean), 1), rounded)
    count.data = rounded.astype(np.uint8)
    return count


def extract_blocks(
    pipeline: Any,
    source: AudioSource,
    *,
    block_s: float,
    progress: Progress,
    speech_bias: float = 0.0,
    split_pause_s: float = 0.0,
    ties_up: bool = False,
    overlap_down: bool = False,
) -> list[BlockFeatures]:
    """The first pass over the whole recording, block by block."""
    total = source.duration_s
    blocks: list[BlockFeatures] = []
    for core in block_spans(total, block_s):

        def block_progress(share: float, core: tuple[float, float] = core) -> None:
            progress(_PASS1 * (core[0] + share * (core[1] - core[0])) / total)

        blocks.append(
            first_pass(
                pipeline,
                source,
                core,
                block_progress,
                speech_bias,
                split_pause_s,
                ties_up,
                overlap_down,
            )
        )
        block_progress(1.0)
        release_memory()
    return blocks


def blocks_to_turns(
    pipeline: Any,
    blocks: list[BlockFeatures],
    centroids: np.ndarray,
    max_speakers: int | None,
    progress: Progress,
) -> tuple[list[SpeakerTurn], list[SpeakerTurn]]:
    """The last pass: turns and exclusive turns (labels C000, ...), each with a confidence."""
    turns: list[SpeakerTurn] = []
    exclusive: list[SpeakerTurn] = []
    total = blocks[-1].core_end_s if blocks else 0.0
    for block in blocks:
        hard, margin = assign_windows(pipeline, block, centroids)
        t, x = block_turns(pipeline, block, hard, max_speakers)
        turns.extend(turn_confidence(block, hard, margin, t))
        exclusive.extend(turn_confidence(block, hard, margin, x))
        progress(_CLUSTER + (1 - _CLUSTER) * block.core_end_s / max(total, 1e-9))
    cuts = {block.core_start_s for block in blocks[1:]}
    return join_at_cuts(turns, cuts), join_at_cuts(exclusive, cuts)


def speech_turns(blocks: list[BlockFeatures], label: str = "C000") -> list[SpeakerTurn]:
    """Where anyone speaks (the segmentation's speaker count), as one speaker's turns."""
    turns: list[SpeakerTurn] = []
    for block in blocks:
        active = block.count[:, 0] > 0
        times = block.offset_s + block.count_start_s + np.arange(len(active)) * block.count_step_s
        times = times + block.count_duration_s / 2
        inside = active & (times >= block.core_start_s) & (times < block.core_end_s)
        edges = np.flatnonzero(np.diff(np.concatenate([[0], inside.astype(np.int8), [0]])))
        for a, b in zip(edges[::2], edges[1::2], strict=True):
            start = max(block.core_start_s, float(times[a]) - block.count_step_s / 2)
            end = min(block.core_end_s, float(times[b - 1]) + block.count_step_s / 2)
            turns.append(SpeakerTurn(start, end, label, confidence=0.0))
    return join_at_cuts(turns, {b.core_start_s for b in blocks[1:]})


def diarize_blockwise(
    pipeline: Any,
    source: AudioSource,
    *,
    block_s: float,
    max_clustering_windows: int,
    min_speakers: int | None,
    max_speakers: int | None,
    progress: Progress,
) -> tuple[list[SpeakerTurn], list[SpeakerTurn], int]:
    """Turns, exclusive turns (labels C000, C001, ...) and the number of blocks."""
    blocks = extract_blocks(pipeline, source, block_s=block_s, progress=progress)
    embeddings, segmentations = training_set(blocks, max_clustering_windows)
    centroids = cluster_centroids(pipeline, embeddings, segmentations, min_speakers, max_speakers)
    del embeddings, segmentations
    progress(_CLUSTER)
    if centroids is None:
        return [], [], len(blocks)
    log.info("Sprechererkennung: %d Sprecher in %d Blöcken", len(centroids), len(blocks))
    turns, exclusive = blocks_to_turns(pipeline, blocks, centroids, max_speakers, progress)
    return turns, exclusive, len(blocks)
