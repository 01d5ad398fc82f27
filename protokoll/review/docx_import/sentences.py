"""Time marks and sentences: a debate paragraph is split at its source time marks
("[00:12:03–00:12:40]") and cut into sentences, the base's sentences (as shown) taken
whole where they stand."""

from __future__ import annotations

import re
from collections.abc import Sequence

from protokoll.documents.niederschrift_layout import SOURCE_MARK, parse_sources
from protokoll.domain.minutes import SourceRange
from protokoll.review.docx_import.text import fold

# a piece of a paragraph: its text, the time mark after it and the mark's ranges
Piece = tuple[str, str | None, list[SourceRange] | None]

_SENTENCE_END = re.compile(r"[.!?…]+[\"'“”„«»‚‘’)\]]*(?= |$)")
_CLOSERS = "\"'“”„«»‚‘’)]"
_ABBREVIATIONS = frozenset(
    {
        "dr", "prof", "nr", "abs", "ca", "bzw", "ggf", "evtl", "vgl", "inkl", "zzgl", "mio",
        "mrd", "tsd", "hr", "fr", "str", "gem", "lt", "bspw", "sog", "dipl", "ing", "jun",
        "sen", "st", "usw", "etc", "tel", "allg", "anm", "kap", "lfd", "mind", "rd", "zt",
        "zb", "ua", "dh", "va", "ff", "bzgl", "ziff", "lit",
    }
)  # fmt: skip


def split_at_marks(text: str) -> list[Piece]:
    """A paragraph split at its time marks: (text before the mark, the mark, its ranges);
    the text after the last mark comes without one."""
    out: list[Piece] = []
    position = 0
    for match in SOURCE_MARK.finditer(text):
        ranges = parse_sources(match.group(0))
        if ranges is None:
            continue
        out.append((text[position : match.start()].strip(), match.group(0), ranges))
        position = match.end()
    rest = text[position:].strip()
    if rest:
        out.append((rest, None, None))
    return out


def _ends_sentence(text: str, match: re.Match[str]) -> bool:
    token = text[: match.end()].rsplit(" ", 1)[-1].rstrip(_CLOSERS)
    following = text[match.end() :].lstrip()
    if token.endswith(".") and not token.endswith(("..", "…")):
        stem = token[:-1].lstrip(_CLOSERS + "(„")
        if stem.replace(".", "").casefold() in _ABBREVIATIONS or stem.isdigit():
            return False  # "Mio. Euro", "z. B.", "die 11. Sitzung"
        if len(stem) == 1 and stem.isalpha():
            return False  # an initial
    return not (following and following[0].islower())


class Anchors:
    """The base's sentences as displayed (folded), found by their first two words."""

    def __init__(self, texts: Sequence[str]) -> None:
        self.by_start: dict[str, list[str]] = {}
        for text in {fold(t) for t in texts if t}:
            self.by_start.setdefault(" ".join(text.split(" ", 2)[:2]), []).append(text)
        for options in self.by_start.values():
            options.sort(key=len, reverse=True)

    def at(self, folded: str, position: int) -> str | None:
        """The longest known sentence that stands at ``position`` (ending at a space or the
        end of the text)."""
        first = folded.find(" ", position)
        second = folded.find(" ", first + 1) if first != -1 else -1
        one = folded[position : first if first != -1 else len(folded)]
        two = folded[position : second if second != -1 else len(folded)]
        for key in dict.fromkeys((two, one)):
            for anchor in self.by_start.get(key, ()):
                after = position + len(anchor)
                if folded.startswith(anchor, position) and (
                    after == len(folded) or folded[after] == " "
                ):
                    return anchor
        return None


def split_sentences(text: str, anchors: Anchors) -> list[str]:
    """``text`` (collapsed) cut into sentences: a known sentence (``anchors``, the base's
    sentences as displayed) is taken whole where it stands; the rest is cut after ".",
    "?" or "!" unless an abbreviation or an ordinal ends there, or where a known sentence
    begins."""
    folded = fold(text)
    out = []
    position, size = 0, len(text)
    while position < size:
        while position < size and text[position] == " ":
            position += 1
        if position >= size:
            break
        hit = anchors.at(folded, position)
        if hit is not None:
            out.append(text[position : position + len(hit)])
            position += len(hit)
            continue
        end = size
        for match in _SENTENCE_END.finditer(text, position):
            if _ends_sentence(text, match):
                end = match.end()
                break
        space = folded.find(" ", position, end)
        while space != -1:  # a known sentence starting inside ends this one
            if anchors.at(folded, space + 1) is not None:
                end = space + 1
                break
            space = folded.find(" ", space + 1, end)
        out.append(text[position:end].strip())
        position = end
    return [s for s in out if s]
