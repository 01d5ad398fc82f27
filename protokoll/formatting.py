"""German formatting of dates, times, numbers, shares, durations and sizes, in one place.

Every German text protokoll writes (documents, web pages, CLI messages, the register
entry) formats these through here, so a date reads the same everywhere: ``19.11.2026``,
``19.11.2026, 18:30 Uhr``, ``1 234,5``, ``12,5 %``.
"""

from __future__ import annotations

import datetime as dt
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
    """`12 Byte`, `3,4 KB`, `5,6 MB`, `7,8 GB` (binary units, as file managers show them)."""
    if size < 1024:
        return f"{int(size)} Byte"
    if size < 1024**2:
        return f"{num_de(size / 1024)} KB"
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


DASH = "–"  # shown for a value that is not known


def date_de(value: str | dt.date | None, *, utc: bool = False, empty: str = "") -> str:
    """``2026-11-19`` (or a date, or an ISO timestamp) as ``19.11.2026``; with `utc`, a
    timestamp with a zone counts in UTC. Text that is not an ISO date is returned as it
    is; nothing gives `empty`."""
    if value is None or value == "":
        return empty
    day: dt.date
    if isinstance(value, str):
        text = value.strip()
        try:
            day = dt.datetime.fromisoformat(text)
        except ValueError:
            try:
                day = dt.date.fromisoformat(text[:10])
            except ValueError:
                return text
    else:
        day = value
    if utc and isinstance(day, dt.datetime) and day.tzinfo is not None:
        day = day.astimezone(dt.UTC)
    return day.strftime("%d.%m.%Y")


def datetime_de(value: str | dt.datetime | None, *, utc: bool = False, empty: str = "") -> str:
    """A moment as ``19.11.2026, 18:30 Uhr``, in the server's local time (or in UTC, marked
    ``(UTC)``). Naive moments are taken as they are."""
    if value is None or value == "":
        return empty
    moment = dt.datetime.fromisoformat(value) if isinstance(value, str) else value
    if moment.tzinfo is not None:
        moment = moment.astimezone(dt.UTC) if utc else moment.astimezone()
    text = moment.strftime("%d.%m.%Y, %H:%M Uhr")
    return f"{text} (UTC)" if utc and moment.tzinfo is not None else text


def time_de(value: dt.time | dt.datetime) -> str:
    """A clock time as ``18:30``."""
    return value.strftime("%H:%M")


def number_de(value: float | None, digits: int = 0, *, empty: str = DASH) -> str:
    """``1234.5`` as ``1 234,5`` (thin grouping by a space, decimal comma)."""
    if value is None:
        return empty
    return f"{value:,.{digits}f}".replace(",", " ").replace(".", ",")


def percent_de(share: float | None, digits: int = 0, *, empty: str = DASH) -> str:
    """A share (0.125) as a German percentage (``13 %``, or ``12,5 %`` with one digit)."""
    if share is None or isinstance(share, bool) or not isinstance(share, int | float):
        return empty
    return f"{num_de(share * 100, digits)} %"


def to_millis(seconds: float) -> int:
    """Seconds as whole milliseconds (rounded half away from zero); rejects bad values."""
    if math.isnan(seconds) or math.isinf(seconds) or seconds < 0:
        raise ValueError(f"time must be a finite, non-negative number of seconds, got {seconds!r}")
    return math.floor(seconds * 1000 + 0.5)


def format_hms(seconds: float) -> str:
    """``HH:MM:SS`` (whole seconds, rounded down); hours grow past two digits if needed."""
    total = to_millis(seconds) // 1000
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours:02d}:{minutes:02d}:{secs:02d}"
