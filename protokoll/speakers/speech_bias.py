"""Lean segmentation-3.0's decision towards speech.

segmentation-3.0 is a powerset model: per frame it gives log-probabilities of seven
classes (nobody, one of three local speakers, or one of three pairs), and pyannote
takes the most likely. A quiet seat at the far end of a reverberant chamber often
comes out as "nobody" by a small margin, and its words then belong to no speaker.
Subtracting `bias` from the "nobody" class before the argmax marks such frames as
speech; which speaker they belong to is still the model's choice.
"""

from __future__ import annotations

from typing import Any


def lean_towards_speech(pipeline: Any, bias: float) -> None:
    """Let the pipeline's segmentation prefer speech over silence by `bias` (log units)."""
    if bias <= 0:
        return
    # lazy: torch takes seconds and hundreds of MB to import; only model stages need it
    import torch
    from pyannote.audio.utils.powerset import Powerset

    inference = pipeline._segmentation
    conversion = inference.conversion
    if not isinstance(conversion, Powerset):  # multi-label models have their own threshold
        return

    class _Leaning(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.powerset = conversion

        def forward(self, log_probs: torch.Tensor, soft: bool = False) -> torch.Tensor:
            leaning = log_probs.clone()
            leaning[..., 0] -= bias  # class 0 is "nobody speaks"
            return self.powerset(leaning, soft=soft)

    inference.conversion = _Leaning()
