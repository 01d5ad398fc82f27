"""The time left of a job, from the stages' weights and how long its stages actually took.

The stage weights (`protokoll.pipeline.stages`) say how a job's time divides on the CPU
profile. A single rate for the whole job (time so far / progress so far) misleads when a
machine's stages do not divide like that (a GPU transcribes far faster than the LLM writes):
the estimate then grows while the job runs. So the estimate is made per stage:

- the running stage: its own pace, once it has reported some progress; before that, the
  pace of the stages done so far, applied to its weight; once the next report is overdue
  (the estimate would read 0 while the stage still works), its pace measured up to now;
- the stages still to come: their weights at the pace of the stages done so far (the
  running one included);
- what is shown is smoothed over time: it counts down with the clock and moves towards
  each new estimate gradually (time constant `tau_s`, and the longer `tau_up_s` when the
  new estimate is higher), so one slow progress report does not make it jump up.

Everything takes its time from `clock`, so tests can drive it with a fake one.
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable, Sequence

from protokoll.pipeline.stages import BY_NAME

Clock = Callable[[], float]


class TimeLeft:
    def __init__(
        self,
        stages: Sequence[str],
        *,
        clock: Clock = time.monotonic,
        tau_s: float = 30.0,
        tau_up_s: float = 90.0,
        min_fraction: float = 0.02,
    ) -> None:
        self.stages = list(stages)
        self.weights = {s: BY_NAME[s].weight for s in self.stages}
        self.clock = clock
        self.tau_s = tau_s
        self.tau_up_s = tau_up_s
        self.min_fraction = min_fraction
        self._lock = threading.Lock()
        self._current: str | None = None
        self._fraction = 0.0
        self._began = 0.0
        self._reported_at = 0.0  # when the running stage last reported more progress
        self._spent: dict[str, float] = {}  # seconds of the stages finished in this attempt
        self._shown: float | None = None
        self._shown_at = 0.0

    def update(self, stage: str, fraction: float) -> None:
        """`stage` runs and has done `fraction` of its work (0–1)."""
        with self._lock:
            now = self.clock()
            if stage != self._current:
                if self._current is not None and self._current in self.weights:
                    self._spent[self._current] = now - self._began
                self._current, self._began, self._fraction = stage, now, 0.0
            fraction = max(0.0, min(1.0, fraction))
            if fraction != self._fraction:
                self._fraction, self._reported_at = fraction, now

    def estimate(self) -> float | None:
        """The unsmoothed estimate of the seconds left; None while nothing was measured."""
        with self._lock:
            return self._estimate(self.clock())

    def _estimate(self, now: float) -> float | None:
        current, fraction = self._current, self._fraction
        if current is None or current not in self.weights:
            return None
        weight = self.weights[current]
        elapsed = max(0.0, now - self._began)
        # the stage's own pace up to its last report (progress comes in steps: measured
        # to "now", a step just before the next report would look slow)
        reported = max(0.0, self._reported_at - self._began)
        own_pace = None  # seconds per unit of weight in the running stage
        if fraction >= self.min_fraction and weight > 0 and reported > 0:
            own_pace = reported / (weight * fraction)
        seconds = sum(self._spent.values())
        done = sum(self.weights[s] for s in self._spent)
        if own_pace is not None:
            seconds, done = seconds + reported, done + weight * fraction
        if done <= 0 or seconds <= 0:
            return None
        pace = seconds / done
        if own_pace is not None:
            since = now - self._reported_at
            left_now = own_pace * weight * (1.0 - fraction) - since
            if left_now <= 0.0 and fraction < 1.0:
                # overdue: the next report is later than the stage's pace promised (an LLM
                # call on a long TOP). Rather than "0:00" until it comes, the pace measured up
                # to now, which is slower than any report has shown (walk-through of #17)
                left_now = elapsed / (weight * fraction) * weight * (1.0 - fraction)
        else:
            left_now = max(0.0, pace * weight - elapsed)
        later = self.stages[self.stages.index(current) + 1 :]
        return left_now + pace * sum(self.weights[s] for s in later)

    def eta_s(self) -> float | None:
        """The seconds left as shown: counting down with the clock, moving towards each new
        estimate with time constant `tau_s` (`tau_up_s` upwards)."""
        with self._lock:
            now = self.clock()
            new = self._estimate(now)
            if new is None:
                return self._shown
            if self._shown is None:
                self._shown = new
            else:
                dt = max(0.0, now - self._shown_at)
                counted = max(0.0, self._shown - dt)
                tau = self.tau_up_s if new > counted else self.tau_s
                blend = 1.0 - math.exp(-dt / tau) if tau > 0 else 1.0
                self._shown = counted + blend * (new - counted)
            self._shown_at = now
            return self._shown
