"""Progress reporting: stages call a hook; the CLI (and later the job record) implements it.

A hook is any callable `hook(stage, completed, total)`: `stage` is a short
stage key ("intake", "transcription", ...), `completed` and `total` are in the
stage's own unit (seconds of audio for most stages).
"""

from __future__ import annotations

import math
import sys
import time
from typing import TextIO

from protokoll.formatting import format_duration
from protokoll.pipeline.stages import LABELS

STAGE_LABELS = LABELS  # every stage's German label, and the final output step's


class TerminalProgress:
    """Prints `Transkription         42 %  noch ca. 3:10` lines; rewrites the line on a TTY.

    Elsewhere (a log file, a pipe) it prints a new line at most every 10 s, plus the first
    and the final one of each stage. A stage reports completion once, however often the
    stage calls the hook with `completed >= total`.
    """

    def __init__(self, stream: TextIO | None = None, min_interval_s: float = 0.5) -> None:
        self.stream = stream or sys.stderr
        self.min_interval_s = min_interval_s
        self._stage: str | None = None
        self._finished: str | None = None
        self._stage_start = 0.0
        self._last_print = -math.inf
        self._tty = self.stream.isatty()
        if not self._tty:
            self.min_interval_s = max(min_interval_s, 10.0)

    def __call__(self, stage: str, completed: float, total: float) -> None:
        now = time.monotonic()
        done = total > 0 and completed >= total
        if stage == self._finished:
            if done:
                return  # completion already shown
            self._finished = None  # the stage runs again
        if stage != self._stage:
            if self._stage is not None and self._tty:
                self.stream.write("\n")
            self._stage, self._stage_start, self._last_print = stage, now, -math.inf
        if not done and now - self._last_print < self.min_interval_s:
            return
        self._last_print = now
        fraction = min(1.0, max(0.0, completed / total)) if total > 0 else 0.0
        label = STAGE_LABELS.get(stage, stage)
        line = f"{label:<20} {math.floor(fraction * 100):3d} %"
        elapsed = now - self._stage_start
        if 0.02 < fraction < 1.0 and elapsed > 1.0:
            remaining = elapsed * (1.0 - fraction) / fraction
            line += f"  noch ca. {format_duration(remaining)}"
        elif done:
            line += f"  fertig nach {format_duration(elapsed)}"
        if self._tty:
            self.stream.write("\r" + line.ljust(60))
            if done:
                self.stream.write("\n")
        else:
            self.stream.write(line + "\n")
        if done:
            self._stage, self._finished = None, stage
        self.stream.flush()
