"""Small helpers shared by the writers (speaker display names, time formatting)."""

from __future__ import annotations

import math
import re
from collections.abc import Mapping

from protokoll.domain.transcript import UNKNOWN_SPEAKER

UNKNOWN_SPEAKER_NAME = "Unbekannt"
_DIARIZATION_LABEL = re.compile(r"SPEAKER_(\d+)")


def speaker_display_name(label: str | None, speaker_names: Mapping[str, str] | None = None) -> str:
    """The name shown to readers for a speaker label.

    A mapped name wins; the diarization's ``SPEAKER_00`` reads "Sprecher 1" (German
    readers, counted from one); other labels are shown as they are; a missing label
    (``None``) or the pipeline's ``UNBEKANNT`` label reads "Unbekannt".
    """
    if label is not None and speaker_names:
        name = speaker_names.get(label)
        if name is not None and name.strip():
            return name.strip()
    if label is None or label == UNKNOWN_SPEAKER:
        return UNKNOWN_SPEAKER_NAME
    match = _DIARIZATION_LABEL.fullmatch(label)
    if match:
        return f"Sprecher {int(match.group(1)) + 1}"
    return label


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
