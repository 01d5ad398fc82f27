"""Sentences with times and speakers, cut from the transcript's words.

The later stages (agenda segmentation, vote extraction, summaries) reason about
sentences, not recogniser segments: a chair's single segment often closes one
agenda item and opens the next, and the recogniser also breaks one sentence
into two segments ("Ich rufe Tagesordnungspunkt" | "5 auf."), which are joined
again when the same speaker goes on without a pause.

A sentence ends at ".", "?" or "!" (also before closing quotes or brackets),
but not after an ordinal in a date ("am 15. Oktober") or a common
abbreviation ("Dr.", "Nr.", "ca.", "Mio."). Segments without word times are
split on the same rule and their time is shared out by the length of the text.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from protokoll.domain.minutes import Evidence
from protokoll.domain.transcript import Segment

_SENTENCE_END = (".", "?", "!")
_CLOSERS = "\"'“”„«»‚‘’)]"
_ABBREVIATIONS = frozenset(
    {
        "dr", "prof", "nr", "abs", "ca", "bzw", "ggf", "evtl", "vgl", "inkl", "zzgl", "mio",
        "mrd", "tsd", "hr", "fr", "str", "gem", "lt", "bspw", "sog", "z.b", "u.a", "d.h", "v.a",
        "z.t", "o.ä", "s.o", "u.u", "dipl", "ing", "jun", "sen", "st",
    }
)  # fmt: skip
_MONTHS = frozenset(
    {
        "januar", "jänner", "februar", "märz", "april", "mai", "juni", "juli", "august",
        "september", "oktober", "november", "dezember",
    }
)  # fmt: skip
_ORDINAL = re.compile(r"\d{1,2}\.")
# words that open a sentence when capitalised inside a text without a full stop
_OPENERS = frozenset({"Wir", "Ich"})
# a sentence that ran on over a segment break is joined if the speaker pauses less
JOIN_GAP_S = 1.5


@dataclass(frozen=True)
class Sentence:
    index: int
    start_s: float
    end_s: float
    speaker: str | None
    text: str
    mean_probability: float = 1.0

    def evidence(self) -> Evidence:
        """This sentence as the passage a finding rests on."""
        return Evidence(self.text, self.start_s, self.end_s, self.speaker)


def _ends_sentence(word: str, following: str | None) -> bool:
    """Whether `word` (its last token) ends a sentence, given the text after it (None: end)."""
    tokens = word.split()
    core = tokens[-1].rstrip(_CLOSERS) if tokens else ""
    if not core.endswith(_SENTENCE_END):
        # a full stop the recogniser left out: "ich" and "wir" are lower case inside a
        # German sentence ("… nimmt den Bericht zur Kenntnis Wir kommen zu Punkt 2")
        nxt = following.strip() if following is not None else ""
        return nxt in _OPENERS and core.isalpha()
    if not core.endswith("."):
        return True
    nxt_tokens = following.split() if following is not None else []
    if not nxt_tokens:
        return True
    if core.rstrip(".").lower() in _ABBREVIATIONS:
        return False
    nxt = nxt_tokens[0].lstrip(_CLOSERS)
    # "am 15. Oktober", "vom 3. bis 5. Mai" (Whisper also writes lower case after a real
    # full stop, so a lower-case word alone does not keep the sentence going)
    return not (
        _ORDINAL.fullmatch(core)
        and nxt
        and (nxt.rstrip(".,;:!?").lower() in _MONTHS or nxt in ("und", "bis", "oder"))
    )


def _split_text(text: str) -> list[str]:
    """A text without word times, cut into sentences by the same rule as words."""
    tokens = text.split()
    parts: list[str] = []
    current: list[str] = []
    for i, token in enumerate(tokens):
        current.append(token)
        if _ends_sentence(token, tokens[i + 1] if i + 1 < len(tokens) else None):
            parts.append(" ".join(current))
            current = []
    if current:
        parts.append(" ".join(current))
    return parts


@dataclass
class _Part:
    start_s: float
    end_s: float
    text: str
    probability: float
    speaker: str | None
    opens_segment: bool = False


def _joinable(before: _Part, after: _Part) -> bool:
    """Whether `after` may continue the sentence that `before` is part of."""
    if not after.opens_segment:
        return True
    return after.speaker == before.speaker and after.start_s - before.end_s <= JOIN_GAP_S


def split_sentences(segments: Sequence[Segment]) -> list[Sentence]:
    """Split segments at sentence-final punctuation; keep each sentence's time and speaker.

    A segment that does not end a sentence is continued by the next one if the same
    speaker goes on within `JOIN_GAP_S`; otherwise the unfinished sentence is kept.
    """
    out: list[Sentence] = []

    def emit(parts: list[_Part]) -> None:
        text = " ".join("".join(p.text for p in parts).split())
        if not text:
            return
        probs = [p.probability for p in parts]
        speakers = Counter(p.speaker for p in parts if p.speaker is not None)
        out.append(
            Sentence(
                index=len(out),
                start_s=parts[0].start_s,
                end_s=parts[-1].end_s,
                speaker=speakers.most_common(1)[0][0] if speakers else None,
                text=text,
                mean_probability=sum(probs) / len(probs),
            )
        )

    parts = [part for seg in segments for part in _segment_parts(seg)]
    current: list[_Part] = []
    for i, part in enumerate(parts):
        if current and not _joinable(current[-1], part):
            emit(current)
            current = []
        current.append(part)
        nxt = parts[i + 1] if i + 1 < len(parts) else None
        following = nxt.text if nxt is not None and _joinable(part, nxt) else None
        if _ends_sentence(part.text, following):
            emit(current)
            current = []
    if current:
        emit(current)
    return out


def _spaced(text: str) -> str:
    """A word's text with the space before it that joining needs ("-Fraktion" has none)."""
    if not text or text[0].isspace() or not (text[0].isalnum() or text[0] in '„"(«‚'):
        return text
    return " " + text


def _segment_parts(seg: Segment) -> list[_Part]:
    """The words of a segment; without word times, its sentences with shared-out times."""
    parts: list[_Part]
    if seg.words:
        parts = [
            _Part(
                w.start_s,
                w.end_s,
                _spaced(w.text),
                w.probability,
                seg.speaker if seg.speaker is not None else w.speaker,
            )
            for w in seg.words
            if w.text.strip()
        ]
    else:
        pieces = _split_text(seg.text)
        total = sum(len(p) for p in pieces)
        parts = []
        t = seg.start_s
        for piece in pieces:
            share = (seg.end_s - seg.start_s) * len(piece) / total if total else 0.0
            parts.append(_Part(t, t + share, " " + piece, 1.0, seg.speaker))
            t += share
        if parts:
            parts[-1].end_s = seg.end_s
    if parts:
        parts[0].opens_segment = True
    return parts
