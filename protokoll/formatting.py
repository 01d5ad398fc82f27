"""German number, duration and size formatting for messages and documents."""

from __future__ import annotations

import math


def num_de(value: float, digits: int = 1) -> str:
    return f"{value:.{digits}f}".replace(".", ",")


def duration_de(seconds: float) -> str:
    if seconds < 120:
        return f"{num_de(seconds)} Sekunden"
    if seconds < 2 * 3600:
        return f"{seconds / 60:.0f} Minuten"
    return f"{num_de(seconds / 3600)} Stunden"


def size_de(size: float) -> str:
    if size >= 1024**3:
        return f"{num_de(size / 1024**3)} GB"
    return f"{num_de(size / 1024**2)} MB"


def format_duration(seconds: float) -> str:
    """`1:02:03` for an hour and more, else `4:05`; negative or unknown durations as `0:00`."""
    if not math.isfinite(seconds):
        return "0:00"
    seconds = max(0, round(seconds))
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours:d}:{minutes:02d}:{secs:02d}" if hours else f"{minutes:d}:{secs:02d}"
