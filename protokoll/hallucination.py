"""Guards against Whisper's known failures in German, as pure functions.

* Phantom lines: subtitle credits that Whisper learned from TV subtitles and
  emits over silence ("Untertitel der Amara.org-Community", "Untertitel im
  Auftrag des ZDF"). These are always dropped. Polite closings that people do
  say ("Vielen Dank für Ihre Aufmerksamkeit") are dropped only where the model
  itself doubts there was speech (high no-speech probability or low word
  confidence).
* Repetition loops: an n-gram repeated back to back beyond what anyone says
  ("und und und" is fine, twenty times "Die Sitzung ist eröffnet." is not) is
  collapsed to one occurrence; the same segment text repeated in a row is kept
  once.

Every removal becomes a `DroppedPassage` with its time, so a reviewer can listen.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, replace

from protokoll.transcript import DroppedPassage, Segment, Word

# Subtitle credits: never part of a council session.
_CREDIT_PATTERNS = [
    r"untertitel(ung)? (der|von|im auftrag des|durch)",
    r"amara\.?org",
    r"untertitel im auftrag",
    r"copyright .*(wdr|zdf|ard|swr|ndr|br)\b",
    r"^(swr|wdr|zdf|ard|ndr) \d{4}$",
    r"untertitelung des (zdf|ndr|wdr|swr|br)",
    r"www\.[a-z0-9-]+\.(de|com|org)",
]
_CREDIT_RE = re.compile("|".join(_CREDIT_PATTERNS))

# Closings that are real speech at times; dropped only when the model doubts there was speech.
_DOUBTFUL_PHRASES = {
    "vielen dank für ihre aufmerksamkeit",
    "danke für ihre aufmerksamkeit",
    "vielen dank fürs zuschauen",
    "danke fürs zuschauen",
    "bis zum nächsten mal",
    "tschüss",
    "vielen dank",
    "danke",
}

MAX_REPEATS = 3  # an n-gram may occur this many times back to back
MAX_NGRAM = 12


@dataclass(frozen=True)
class SegmentEvidence:
    """What the recogniser said about a segment, beyond its text."""

    no_speech_prob: float = 0.0
    avg_logprob: float = 0.0


def normalize(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).lower()
    text = re.sub(r"[^\w\s.\-]", " ", text)
    text = re.sub(r"(?<!\w)[.\-]|[.\-](?!\w)", " ", text)
    return re.sub(r"\s+", " ", text).strip()


def is_subtitle_credit(text: str) -> bool:
    return bool(_CREDIT_RE.search(normalize(text)))


def _mean_probability(words: Sequence[Word]) -> float:
    return sum(w.probability for w in words) / len(words) if words else 1.0


def is_doubtful_closing(segment: Segment, evidence: SegmentEvidence) -> bool:
    if normalize(segment.text).rstrip(".") not in _DOUBTFUL_PHRASES:
        return False
    return evidence.no_speech_prob > 0.5 or _mean_probability(segment.words) < 0.4


def find_loop(tokens: Sequence[str], max_repeats: int = MAX_REPEATS) -> tuple[int, int, int] | None:
    """Find the first n-gram repeated back to back more than `max_repeats` times.

    Returns (start, n, count): tokens[start:start+n] occurs `count` times in a row.
    Short n-grams need more repeats than long ones before they count as a loop
    ("nein, nein, nein, nein" happens; four identical sentences do not).
    """
    size = len(tokens)
    for start in range(size):
        for n in range(1, min(MAX_NGRAM, (size - start) // 2) + 1):
            gram = tokens[start : start + n]
            count = 1
            pos = start + n
            while tokens[pos : pos + n] == gram:
                count += 1
                pos += n
            limit = max_repeats + (3 if n == 1 else 0)
            if count > limit:
                return start, n, count
    return None


def collapse_loops(segment: Segment) -> tuple[Segment, list[DroppedPassage]]:
    """Collapse back-to-back repeated n-grams in one segment to a single occurrence."""
    dropped: list[DroppedPassage] = []
    words = list(segment.words)
    use_words = bool(words)
    tokens = [normalize(w.text) for w in words] if use_words else segment.text.split()
    keys = tokens if use_words else [normalize(t) for t in tokens]
    while (loop := find_loop(keys)) is not None:
        start, n, count = loop
        cut_from, cut_to = start + n, start + n * count
        if use_words:
            removed = words[cut_from:cut_to]
            dropped.append(
                DroppedPassage(
                    start_s=removed[0].start_s,
                    end_s=removed[-1].end_s,
                    text="".join(w.text for w in removed).strip(),
                    reason=f"Wiederholungsschleife ({count}× dieselben {n} Wörter)",
                )
            )
            del words[cut_from:cut_to]
        else:
            dropped.append(
                DroppedPassage(
                    start_s=segment.start_s,
                    end_s=segment.end_s,
                    text=" ".join(tokens[cut_from:cut_to]),
                    reason=f"Wiederholungsschleife ({count}× dieselben {n} Wörter)",
                )
            )
            del tokens[cut_from:cut_to]
        del keys[cut_from:cut_to]
    if not dropped:
        return segment, []
    if use_words:
        text = "".join(w.text for w in words).strip()
        return replace(segment, words=tuple(words), text=text, end_s=words[-1].end_s), dropped
    return replace(segment, text=" ".join(tokens)), dropped


def filter_segments(
    segments: Sequence[Segment], evidence: Sequence[SegmentEvidence] | None = None
) -> tuple[list[Segment], list[DroppedPassage]]:
    """Drop phantom lines and repeated segments, collapse loops; return kept and dropped."""
    evidence = evidence or [SegmentEvidence()] * len(segments)
    kept: list[Segment] = []
    dropped: list[DroppedPassage] = []
    for seg, ev in zip(segments, evidence, strict=True):
        if not seg.text.strip():
            continue
        if is_subtitle_credit(seg.text):
            dropped.append(DroppedPassage(seg.start_s, seg.end_s, seg.text.strip(), "Phantomzeile"))
            continue
        if is_doubtful_closing(seg, ev):
            dropped.append(
                DroppedPassage(seg.start_s, seg.end_s, seg.text.strip(), "Phantomzeile in Stille")
            )
            continue
        seg, loops = collapse_loops(seg)
        dropped.extend(loops)
        if kept and len(seg.text.split()) >= 4 and normalize(kept[-1].text) == normalize(seg.text):
            dropped.append(
                DroppedPassage(seg.start_s, seg.end_s, seg.text.strip(), "wiederholter Satz")
            )
            continue
        kept.append(seg)
    return kept, dropped
