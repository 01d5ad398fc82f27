"""Segments as WebVTT subtitles, one cue per segment with the speaker as voice span.

Each cue reads::

    00:01:23.450 --> 00:01:27.900
    <v Stadträtin Müller>Vielen Dank, Herr Vorsitzender.

Timestamps are ``HH:MM:SS.mmm``. ``&``, ``<`` and ``>`` are escaped in text and voice
names; line breaks inside a segment's text are folded to spaces (a blank line would end
the cue). Segments without text get no cue.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping, Sequence

from protokoll.domain.transcript import Segment, speaker_display_name
from protokoll.formatting import to_millis

_WHITESPACE = re.compile(r"\s+")


def format_vtt_timestamp(seconds: float) -> str:
    """``HH:MM:SS.mmm`` for a time in seconds (rounded to the millisecond)."""
    millis = to_millis(seconds)
    hours, rest = divmod(millis, 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    secs, ms = divmod(rest, 1000)
    return f"{hours:02d}:{minutes:02d}:{secs:02d}.{ms:03d}"


def escape_vtt_text(text: str) -> str:
    """Text safe for a cue payload: ``&``, ``<``, ``>`` escaped, whitespace runs folded."""
    folded = _WHITESPACE.sub(" ", text).strip()
    return folded.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def format_vtt(segments: Sequence[Segment], speaker_names: Mapping[str, str] | None = None) -> str:
    """WebVTT text for ``segments``: one cue each, voice = mapped speaker name.

    A segment's speaker label is shown via ``speaker_names`` if mapped, else as the label;
    a segment without speaker gets the voice "Unbekannt". A cue whose end is not after its
    start is stretched to one millisecond (WebVTT requires end > start).
    """
    parts = ["WEBVTT\n"]
    for seg in segments:
        text = escape_vtt_text(seg.text)
        if not text:
            continue
        start_ms = to_millis(seg.start_s)
        end_ms = max(to_millis(seg.end_s), start_ms + 1)
        voice = escape_vtt_text(speaker_display_name(seg.speaker, speaker_names))
        parts.append(
            f"\n{format_vtt_timestamp(start_ms / 1000)} --> {format_vtt_timestamp(end_ms / 1000)}\n"
            f"<v {voice}>{text}\n"
        )
    return "".join(parts)


def write_vtt(
    segments: Sequence[Segment],
    path: str | os.PathLike[str],
    speaker_names: Mapping[str, str] | None = None,
) -> None:
    """Write ``segments`` as WebVTT (UTF-8) to ``path`` (see `format_vtt`)."""
    text = format_vtt(segments, speaker_names)
    with open(path, "w", encoding="utf-8", newline="\n") as fh:
        fh.write(text)
