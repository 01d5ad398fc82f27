"""The progress contract: every stage reports through a hook `hook(stage, completed, total)`.

`stage` is a stage name (`protokoll.pipeline.stages`); `completed` and `total` are in the
stage's own unit (seconds of audio for most stages). The CLI prints it, the service stores it.
"""

from __future__ import annotations

from typing import Protocol


class ProgressHook(Protocol):
    def __call__(self, stage: str, completed: float, total: float) -> None: ...


def null_hook(stage: str, completed: float, total: float) -> None:
    """A hook that ignores progress."""
