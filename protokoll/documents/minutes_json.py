"""The minutes as ``minutes.json`` (schema: ``docs/minutes-schema.md``).

``public_only=True`` writes the public version: only public agenda items (as
`Minutes.to_dict` does), and of the document-level flags only those that do not point into
a non-public item (see `public_flags`).
"""

from __future__ import annotations

import json
import math
import os
import re
from dataclasses import asdict

from protokoll.domain.minutes import Flag, Minutes, MinutesItem


def write_minutes_json(
    minutes: Minutes, path: str | os.PathLike[str], *, public_only: bool = False
) -> None:
    """Write ``minutes`` as UTF-8 JSON (indented by 2, non-ASCII characters as they are).

    Raises ``ValueError`` for a NaN or infinite number instead of writing invalid JSON.
    """
    data = minutes.to_dict(public_only=public_only)
    if public_only:
        data["flags"] = [asdict(flag) for flag in public_flags(minutes)]
    text = json.dumps(data, ensure_ascii=False, indent=2, allow_nan=False)
    with open(path, "w", encoding="utf-8", newline="\n") as fh:
        fh.write(text + "\n")


def public_flags(minutes: Minutes) -> list[Flag]:
    """The document-level flags that may appear in the public version.

    A flag is left out when its time lies within a non-public item (an item without an
    end counts until the end of the recording) or when its message or text names a
    non-public item ("TOP 7") or quotes its title or paper reference.
    """
    secret = [item for item in minutes.items if not item.public]
    return [flag for flag in minutes.flags if not any(_points_into(flag, i) for i in secret)]


def _points_into(flag: Flag, item: MinutesItem) -> bool:
    if flag.start_s is not None and item.start_s is not None:
        end = item.end_s if item.end_s is not None else math.inf
        flag_end = flag.end_s if flag.end_s is not None else flag.start_s
        if flag.start_s < end and flag_end >= item.start_s:
            return True
    texts = " ".join(t for t in (flag.message, flag.text) if t)
    if item.number and re.search(rf"\bTOP\s*{re.escape(item.number)}(?!\w|\.\d)", texts):
        return True
    lowered = texts.lower()
    return any(part and part.lower() in lowered for part in (item.title, item.paper))
