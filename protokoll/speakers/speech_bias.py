"""segmentation-3.0's decision per frame, heard plainly and leaning towards speech.

segmentation-3.0 is a powerset model: per frame it gives log-probabilities of seven
classes (nobody, one of three local speakers, or one of three pairs), and pyannote
takes the most likely. A quiet seat at the far end of a reverberant chamber often
comes out as "nobody" by a small margin, and its words then belong to no speaker.
Subtracting `bias` from the "nobody" class before the argmax marks such frames as
speech; which speaker they belong to is still the model's choice.

The leaning also bridges short pauses, among them the pause between two alike voices
that the model tracks as one local speaker. The plain decision keeps those pauses, so
the first pass takes both from one run of the model: the leaning one for who talks
when, the plain one for where a track may be cut (`local_split.py`).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import numpy as np


@contextmanager
def powerset_scores(pipeline: Any) -> Iterator[Any]:
    """While inside, the pipeline's segmentation returns the powerset log-probabilities.

    Yields pyannote's `Powerset` conversion that was switched off, or None for a
    multi-label model (which then returns its own scores as before)."""
    # lazy: torch and pyannote.audio take seconds to import; only model stages need them
    import torch
    from pyannote.audio.utils.powerset import Powerset

    inference = pipeline._segmentation
    conversion = inference.conversion
    if not isinstance(conversion, Powerset):
        yield None
        return
    inference.conversion = torch.nn.Identity()
    try:
        yield conversion
    finally:
        inference.conversion = conversion


def decide(log_probs: np.ndarray, powerset: Any, bias: float = 0.0) -> np.ndarray:
    """(chunks, frames, 7) log-probabilities -> (chunks, frames, 3) activity, uint8."""
    # lazy: torch takes seconds and hundreds of MB to import; only model stages need it
    import torch

    scores = torch.from_numpy(np.array(log_probs, dtype=np.float32))
    if bias > 0:
        scores[..., 0] -= bias  # class 0 is "nobody speaks"
    with torch.no_grad():
        active = powerset.to_multilabel(scores.to(powerset.mapping.device))
    return np.asarray(active.cpu().numpy(), dtype=np.uint8)
