"""Guards against Whisper's known failures in German, as pure functions.

* Phantom lines: subtitle credits that Whisper learned from TV subtitles and
  emits over silence ("Untertitel der Amara.org-Community", "Untertitel im
  Auftrag des ZDF"). A segment with such a sentence is always dropped. Polite
  closings that people do
  say ("Vielen Dank für Ihre Aufmerksamkeit") are dropped only where the model
  itself doubts there was speech (high no-speech probability or low word
  confidence).
* Sound descriptions: "[Musik]", "(Applaus)", "*Beifall*" or music notes,
  which Whisper writes over music and applause, are no speech and dropped.
* Repetition loops: an n-gram repeated back to back beyond what anyone says
  ("und und und" is fine, twenty times "Die Sitzung ist eröffnet." is not) is
  collapsed to one occurrence; the same segment text (four words or more)
  repeated in a row is kept once, while short answers ("Ja.") may repeat.

Every removal becomes a `DroppedPassage` with its time, so a reviewer can listen.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, replace

from protokoll.domain.transcript import DroppedPassage, Segment, Word

# Subtitle credits: never part of a council session. They are matched per sentence and
# anchored at its start, so that a speaker who mentions subtitles ("Wir besprechen die
# Untertitel der Vorlage") or a web address in a sentence is not taken for a credit.
_BROADCASTERS = r"(zdf|ard|wdr|ndr|swr|br|mdr|hr|rbb|sr|funk|3sat|arte|phoenix|kika|orf|srf)"
_CREDIT_PATTERNS = [
    # "Untertitel im Auftrag des ZDF für funk, 2017", "Untertitelung des ZDF, 2020",
    # "Untertitel der Amara.org-Community", "Untertitel: ARD Text im Auftrag von Funk (2017)"
    rf"^untertitel(ung)?\b.*\b({_BROADCASTERS}|amara)\b",
    # "Untertitel von Stephanie Geiges", "Untertitelung durch ..." (a name, nothing more)
    r"^untertitel(ung)? (von|durch) \w+( \w+){0,2}$",
    # a bare "Untertitelung." before "BR 2018"
    r"^untertitel(ung)?$",
    r"\bamara\.?org\b",
    rf"^copyright\b.*\b{_BROADCASTERS}\b",
    rf"^{_BROADCASTERS} \d{{4}}$",
    # a sentence that is nothing but a web address ("www.zdf.de")
    r"^(www\.)?[a-z0-9-]+(\.[a-z0-9-]+)*\.(de|com|org|net)$",
]
_CREDIT_RE = re.compile("|".join(f"(?:{p})" for p in _CREDIT_PATTERNS))
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")

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

# Descriptions of sound instead of words: "[Musik]", "(Applaus)", "*Beifall*", "♪ ♪"
_SOUND_TAG_RE = re.compile(r"\[[^\]]*\]|\([^)]*\)|\*[^*]*\*|[♪♫🎵🎶]+")

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
    """Whether a sentence of `text` is a subtitle credit that Whisper invents over silence."""
    for sentence in _SENTENCE_END.split(text.strip()):
        if re.match(r"\s*untertitel(ung)?\s*:", sentence, re.IGNORECASE):
            return True  # "Untertitel: Stephanie Geiges"
        if _CREDIT_RE.search(normalize(sentence)):
            return True
    return False


def is_sound_description(text: str) -> bool:
    """Whether `text` only describes a sound ("[Musik]", "*Applaus*"): no speech to keep."""
    if not _SOUND_TAG_RE.search(text):
        return False
    rest = _SOUND_TAG_RE.sub(" ", text)
    return not re.search(r"\w", rest)


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


def _loop_reason(n: int, count: int) -> str:
    what = "dasselbe Wort" if n == 1 else f"dieselben {n} Wörter"
    return f"Wiederholungsschleife ({count}× {what})"


def collapse_loops(segment: Segment) -> tuple[Segment, list[DroppedPassage]]:
    """Collapse back-to-back repeated n-grams in one segment to a single occurrence.

    A loop that runs into the end of the segment often ends in a cut-off repetition
    ("... Die Sitzung ist eröffnet. Die Sitzung"); that remnant goes with the loop.
    """
    dropped: list[DroppedPassage] = []
    words = list(segment.words)
    use_words = bool(words)
    tokens = [w.text for w in words] if use_words else segment.text.split()
    keys = [normalize(t) for t in tokens]
    while (loop := find_loop(keys)) is not None:
        start, n, count = loop
        cut_from, cut_to = start + n, start + n * count
        rest = len(keys) - cut_to
        if 0 < rest < n and keys[cut_to:] == keys[start : start + rest]:
            cut_to = len(keys)
        reason = _loop_reason(n, count)
        if use_words:
            removed = words[cut_from:cut_to]
            text = "".join(w.text for w in removed).strip()
            dropped.append(DroppedPassage(removed[0].start_s, removed[-1].end_s, text, reason))
            del words[cut_from:cut_to]
        else:
            text = " ".join(tokens[cut_from:cut_to])
            dropped.append(DroppedPassage(segment.start_s, segment.end_s, text, reason))
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
        if is_sound_description(seg.text):
            dropped.append(
                DroppedPassage(seg.start_s, seg.end_s, seg.text.strip(), "Geräusch statt Sprache")
            )
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
