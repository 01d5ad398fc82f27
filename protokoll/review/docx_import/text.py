"""Text normalisation: texts are compared after folding what Word changes on its own or
by autocorrection (runs, non-breaking and soft hyphens and spaces, typographic quotes,
whitespace)."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

_INVISIBLE = dict.fromkeys(map(ord, "\u00ad\u200b\u200c\u200d\u2060\ufeff"), None)
_QUOTES = str.maketrans(
    {
        "„": '"',
        "“": '"',
        "”": '"',
        "«": '"',
        "»": '"',
        "″": '"',
        "‚": "'",
        "‘": "'",
        "’": "'",
        "‹": "'",
        "›": "'",
        "′": "'",
        "`": "'",
        "´": "'",
    }
)
_SPACE = re.compile(r"\s+")


def collapse(text: str) -> str:
    """NFC, invisible characters removed, all whitespace (line breaks, tabs, non-breaking
    spaces) as single spaces."""
    text = unicodedata.normalize("NFC", text).translate(_INVISIBLE).replace("\u2011", "-")
    return _SPACE.sub(" ", text).strip()


def fold(text: str) -> str:
    """Typographic quotes as plain ones (same length: positions stay valid)."""
    return text.translate(_QUOTES)


def text_key(text: str) -> str:
    """The comparison key of a text: what Word or autocorrection change on their own does
    not count as an edit."""
    return fold(collapse(text))


def collapsed_lines(paragraphs: Sequence[str]) -> list[str]:
    """The non-empty lines of ``paragraphs``, collapsed."""
    return [c for p in paragraphs for line in p.split("\n") if (c := collapse(line))]
