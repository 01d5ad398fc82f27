"""Speaker turns as NIST RTTM, the format diarization scorers (dscore, pyannote) read.

One line per turn::

    SPEAKER <uri> 1 <onset:.3f> <duration:.3f> <NA> <NA> <speaker> <NA> <NA>

Fields are separated by single spaces, so neither the file id (``uri``) nor a speaker
label may contain whitespace; whitespace in either is replaced by ``_``.
"""

from __future__ import annotations

import math
import os
import re
from collections.abc import Sequence

from protokoll.domain.transcript import SpeakerTurn

_WHITESPACE = re.compile(r"\s+")


def _token(value: str, what: str) -> str:
    token = _WHITESPACE.sub("_", value.strip())
    if not token:
        raise ValueError(f"RTTM {what} must not be empty")
    return token


def rttm_uri(name: str) -> str:
    """``name`` made usable as an RTTM file id: surrounding whitespace dropped, inner → ``_``."""
    return _token(name, "uri")


def format_rttm(turns: Sequence[SpeakerTurn], uri: str) -> str:
    """RTTM text for ``turns`` (in the given order), one ``SPEAKER`` line each.

    Times are written in seconds with millisecond precision. Raises ValueError for an empty
    uri or speaker label, a negative or non-finite time, or a turn that ends before it starts.
    """
    file_id = rttm_uri(uri)
    lines = []
    for turn in turns:
        if not (math.isfinite(turn.start_s) and math.isfinite(turn.end_s)):
            raise ValueError(f"turn has a non-finite time: {turn!r}")
        if turn.start_s < 0 or turn.end_s < turn.start_s:
            raise ValueError(f"turn must have 0 <= start_s <= end_s: {turn!r}")
        speaker = _token(turn.speaker, "speaker label")
        lines.append(
            f"SPEAKER {file_id} 1 {turn.start_s:.3f} {turn.end_s - turn.start_s:.3f} "
            f"<NA> <NA> {speaker} <NA> <NA>\n"
        )
    return "".join(lines)


def write_rttm(turns: Sequence[SpeakerTurn], uri: str, path: str | os.PathLike[str]) -> None:
    """Write ``turns`` as RTTM for file id ``uri`` to ``path`` (UTF-8)."""
    text = format_rttm(turns, uri)
    with open(path, "w", encoding="utf-8", newline="\n") as fh:
        fh.write(text)


def parse_rttm(text: str, uri: str | None = None) -> list[SpeakerTurn]:
    """Speaker turns from RTTM text, in file order.

    Only ``SPEAKER`` lines count; blank lines and ``#`` comments are skipped. With ``uri``
    given, only lines for that file id are kept (a reference RTTM may cover many files).
    Start and end are rounded to milliseconds, so ``parse_rttm(format_rttm(t, u)) == t``
    for turns whose times have at most three decimals.
    """
    wanted = rttm_uri(uri) if uri is not None else None
    turns: list[SpeakerTurn] = []
    for line_no, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        fields = stripped.split()
        if fields[0] != "SPEAKER":
            continue
        if len(fields) < 8:
            raise ValueError(f"RTTM line {line_no}: expected at least 8 fields, got {len(fields)}")
        if wanted is not None and fields[1] != wanted:
            continue
        try:
            onset = float(fields[3])
            duration = float(fields[4])
        except ValueError as exc:
            raise ValueError(f"RTTM line {line_no}: bad onset or duration") from exc
        if not (math.isfinite(onset) and math.isfinite(duration)) or duration < 0:
            raise ValueError(f"RTTM line {line_no}: bad onset or duration")
        turns.append(
            SpeakerTurn(
                start_s=round(onset, 3), end_s=round(onset + duration, 3), speaker=fields[7]
            )
        )
    return turns


def read_rttm(path: str | os.PathLike[str], uri: str | None = None) -> list[SpeakerTurn]:
    """Speaker turns from the RTTM file at ``path`` (see `parse_rttm`)."""
    with open(path, encoding="utf-8") as fh:
        return parse_rttm(fh.read(), uri)
