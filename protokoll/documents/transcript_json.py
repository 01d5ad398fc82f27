"""Write the full transcript as `transcript.json` (schema: `docs/transcript-schema.md`)."""

from __future__ import annotations

import json
import os

from protokoll.domain.transcript import Transcript


def format_transcript_json(transcript: Transcript) -> str:
    """The transcript as pretty-printed JSON text (UTF-8 characters kept, trailing newline).

    Raises ValueError if a number is NaN or infinite: such values are not valid JSON.
    """
    return json.dumps(transcript.to_dict(), ensure_ascii=False, indent=2, allow_nan=False) + "\n"


def write_transcript_json(transcript: Transcript, path: str | os.PathLike[str]) -> None:
    """Write ``transcript.to_dict()`` as UTF-8 JSON (indent 2, non-ASCII kept) to ``path``."""
    text = format_transcript_json(transcript)
    with open(path, "w", encoding="utf-8", newline="\n") as fh:
        fh.write(text)
