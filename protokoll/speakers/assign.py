"""Speaker assignment: give each word the speaker whose turn overlaps it most.

Pure functions, no model. A word that overlaps no turn takes the nearest turn
within `max_gap_s` (word timestamps and turn edges disagree by a few hundred
milliseconds); beyond that it stays unassigned (`None`). Segments are then
re-cut wherever the speaker changes between words, so a recogniser segment that
spans two speakers becomes two segments.

Word timestamps and turn edges both wobble by a few hundred milliseconds, so a
change of speaker that falls a word or two away from the end of a sentence is
moved onto that sentence end (`snap_to_sentences`): people hand over the word
at the end of a sentence, not in its middle.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from dataclasses import replace

from protokoll.domain.transcript import Segment, SpeakerTurn, Word


def _overlap(a_start: float, a_end: float, b_start: float, b_end: float) -> float:
    return min(a_end, b_end) - max(a_start, b_start)


def _gap(a_start: float, a_end: float, b_start: float, b_end: float) -> float:
    """Distance between two intervals (0 if they touch or overlap)."""
    return max(0.0, b_start - a_end, a_start - b_end)


class _TurnIndex:
    """Turns sorted by start with a running maximum of ends, for interval queries."""

    def __init__(self, turns: Sequence[SpeakerTurn]) -> None:
        self.turns = sorted(turns, key=lambda t: (t.start_s, t.end_s, t.speaker))
        self.starts = [t.start_s for t in self.turns]
        self.longest = max((t.duration_s for t in self.turns), default=0.0)

    def near(self, start: float, end: float, margin: float) -> list[SpeakerTurn]:
        """Turns that overlap or lie within `margin` of [start, end]."""

        lo = bisect_left(self.starts, start - margin - self.longest)
        hi = bisect_right(self.starts, end + margin)
        return [t for t in self.turns[lo:hi] if _gap(start, end, t.start_s, t.end_s) <= margin]


def speaker_for_span(
    start_s: float, end_s: float, turns: Sequence[SpeakerTurn] | _TurnIndex, max_gap_s: float = 1.0
) -> str | None:
    """The speaker overlapping [start_s, end_s] most; else the nearest within max_gap_s."""
    index = turns if isinstance(turns, _TurnIndex) else _TurnIndex(turns)
    candidates = index.near(start_s, end_s, max_gap_s)
    if not candidates:
        return None
    # total overlap per speaker (a speaker may have several turns around one span)
    per_speaker: dict[str, float] = {}
    for t in candidates:
        ov = _overlap(start_s, end_s, t.start_s, t.end_s)
        if ov > 0:
            per_speaker[t.speaker] = per_speaker.get(t.speaker, 0.0) + ov
    if per_speaker:
        return max(sorted(per_speaker), key=lambda spk: per_speaker[spk])
    nearest = min(candidates, key=lambda t: (_gap(start_s, end_s, t.start_s, t.end_s), t.speaker))
    return nearest.speaker


def assign_word_speakers(
    words: Sequence[Word], turns: Sequence[SpeakerTurn], max_gap_s: float = 1.0
) -> list[Word]:
    index = _TurnIndex(turns)
    return [
        replace(w, speaker=speaker_for_span(w.start_s, w.end_s, index, max_gap_s)) for w in words
    ]


_SENTENCE_END = (".", "?", "!", ":")
SNAP_MAX_WORDS = 2


def _ends_sentence(word: Word) -> bool:
    return word.text.rstrip().endswith(_SENTENCE_END)


def snap_to_sentences(words: Sequence[Word], max_words: int = SNAP_MAX_WORDS) -> list[Word]:
    """Move each speaker change onto a sentence end no more than `max_words` words away.

    A change between words i-1 and i that does not follow a sentence end is
    moved to the nearest sentence end within `max_words` words; the words in
    between take the speaker of the side they belong to. Changes with no
    sentence end nearby are left as they are.
    """
    out = list(words)
    i = 1
    while i < len(out):
        prev, cur = out[i - 1], out[i]
        if prev.speaker == cur.speaker or _ends_sentence(prev):
            i += 1
            continue
        best: int | None = None
        for dist in range(1, max_words + 1):
            # a sentence end just after the change: the first words still belong to prev
            j = i + dist - 1
            if j < len(out) - 1 and _ends_sentence(out[j]) and out[j].speaker == cur.speaker:
                best = j + 1
                break
            # a sentence end just before the change: the last words belong to cur
            k = i - 1 - dist
            if k >= 0 and _ends_sentence(out[k]) and out[k + 1].speaker == prev.speaker:
                best = k + 1
                break
        if best is None:
            i += 1
            continue
        if best > i:
            for m in range(i, best):
                out[m] = replace(out[m], speaker=prev.speaker)
        else:
            for m in range(best, i):
                out[m] = replace(out[m], speaker=cur.speaker)
        i = max(best, i) + 1
    return out


def _join(words: Sequence[Word]) -> str:
    return "".join(w.text for w in words).strip()


def assign_speakers(
    segments: Sequence[Segment], turns: Sequence[SpeakerTurn], max_gap_s: float = 1.0
) -> list[Segment]:
    """Assign speakers to words and segments; split segments where the speaker changes."""
    index = _TurnIndex(turns)
    result: list[Segment] = []
    for seg in segments:
        if not seg.words:
            speaker = speaker_for_span(seg.start_s, seg.end_s, index, max_gap_s)
            result.append(replace(seg, speaker=speaker))
            continue
        words = [
            replace(w, speaker=speaker_for_span(w.start_s, w.end_s, index, max_gap_s))
            for w in seg.words
        ]
        words = snap_to_sentences(words)
        run: list[Word] = [words[0]]
        for word in words[1:]:
            if word.speaker == run[-1].speaker:
                run.append(word)
                continue
            result.append(_segment_from_run(run))
            run = [word]
        result.append(_segment_from_run(run))
    return result


def _segment_from_run(run: Sequence[Word]) -> Segment:
    return Segment(
        start_s=run[0].start_s,
        end_s=run[-1].end_s,
        text=_join(run),
        words=tuple(run),
        speaker=run[0].speaker,
    )


def attribution_confidence(
    segments: Sequence[Segment], turns: Sequence[SpeakerTurn]
) -> list[Segment]:
    """Each segment with the confidence of its speaker's turns under it (time-weighted).

    Segments without a speaker, or whose turns carry no confidence, keep None."""
    index = _TurnIndex(turns)
    out = []
    for seg in segments:
        value = None
        if seg.speaker is not None:
            weight = total = 0.0
            for t in index.near(seg.start_s, seg.end_s, 0.0):
                overlap = _overlap(seg.start_s, seg.end_s, t.start_s, t.end_s)
                if t.speaker == seg.speaker and t.confidence is not None and overlap > 0:
                    weight += overlap
                    total += overlap * t.confidence
            value = round(total / weight, 3) if weight > 0 else None
        out.append(replace(seg, speaker_confidence=value))
    return out
