"""Corrections of the transcript made in the review (pure functions).

A correction replaces the text of one segment of the job's `transcript.json`; the file
itself is never changed. The corrections live in the minutes (`Minutes.transcript_edits`,
segment index → text), so each one is a version of the minutes like any other edit, and
every reader of the transcript (review page, Wortprotokoll, subtitles) applies them with
`apply`.

Words keep their times where the text did not change: the corrected text is aligned with
the recognised words token by token (`difflib`); a replaced or inserted word gets the
time span of the words it replaces (shared evenly), and probability 1.0 (a person wrote
it, so it is no longer "unsicher erkannt").
"""

from __future__ import annotations

import copy
import difflib
from collections.abc import Sequence

from protokoll.domain.minutes import Minutes
from protokoll.domain.transcript import Segment, Transcript, Word
from protokoll.errors import InputError

MAX_SEGMENT_CHARS = 20_000
CHECKED_PROBABILITY = 1.0  # a word a person wrote


def _clean(text: str) -> str:
    return " ".join(text.split())


def realign(segment: Segment, text: str) -> Segment:
    """``segment`` with ``text``; its words follow the text, keeping the times of the
    words that stayed the same."""
    tokens = text.split()
    old = list(segment.words)
    if not old:
        return Segment(segment.start_s, segment.end_s, " " + text, (), segment.speaker,
                       segment.speaker_confidence)  # fmt: skip
    matcher = difflib.SequenceMatcher(a=[w.text.strip() for w in old], b=tokens, autojunk=False)
    words: list[Word] = []
    for op, a0, a1, b0, b1 in matcher.get_opcodes():
        if op == "equal":
            words.extend(
                Word(w.start_s, w.end_s, " " + tok, w.probability, w.speaker)
                for w, tok in zip(old[a0:a1], tokens[b0:b1], strict=True)
            )
            continue
        if b0 == b1:  # deleted words
            continue
        if a1 > a0:
            start, end = old[a0].start_s, old[a1 - 1].end_s
            speaker = old[a0].speaker
        else:  # inserted between words: at the end of the previous one
            start = end = old[a0 - 1].end_s if a0 > 0 else old[0].start_s
            speaker = old[max(a0 - 1, 0)].speaker
        step = (end - start) / (b1 - b0)
        words.extend(
            Word(round(start + i * step, 3), round(start + (i + 1) * step, 3), " " + tok,
                 CHECKED_PROBABILITY, speaker)
            for i, tok in enumerate(tokens[b0:b1])
        )  # fmt: skip
    return Segment(segment.start_s, segment.end_s, " " + text, tuple(words), segment.speaker,
                   segment.speaker_confidence)  # fmt: skip


def apply(transcript: Transcript, edits: dict[str, str]) -> Transcript:
    """The transcript with the corrections; indexes outside it are ignored (a correction
    belongs to the transcript its minutes were drafted from)."""
    if not edits:
        return transcript
    segments = list(transcript.segments)
    for key, text in edits.items():
        if key.isdigit() and int(key) < len(segments):
            segments[int(key)] = realign(segments[int(key)], _clean(text))
    result = copy.copy(transcript)
    result.segments = segments
    return result


def edit_segments(
    minutes: Minutes, segments: Sequence[Segment], changes: dict[str, str]
) -> tuple[Minutes, list[int]]:
    """The minutes with the transcript corrections ``changes`` (segment index → text) of the
    original ``segments`` (as the job wrote them), and the indexes that changed.

    A text equal to the recognised one removes the correction."""
    result = copy.deepcopy(minutes)
    changed: list[int] = []
    for key, raw in changes.items():
        key = str(key).strip()
        if not key.isdigit() or int(key) >= len(segments):
            raise InputError(f"Den Transkriptabschnitt {key} gibt es nicht.")
        index = int(key)
        if len(raw) > MAX_SEGMENT_CHARS:
            raise InputError(
                f"Der Text ist zu lang (höchstens {MAX_SEGMENT_CHARS // 1000}.000 Zeichen je "
                "Abschnitt)."
            )
        text = _clean(raw)
        if not text:
            raise InputError(
                "Ein Transkriptabschnitt kann nicht leer sein. Was nicht gesagt wurde, bitte "
                "durch „[unverständlich]“ oder Ähnliches ersetzen."
            )
        before = result.transcript_edits.get(str(index), _clean(segments[index].text))
        if text == _clean(segments[index].text):
            result.transcript_edits.pop(str(index), None)
        else:
            result.transcript_edits[str(index)] = text
        if text != before:
            changed.append(index)
    result.transcript_edits = dict(
        sorted(result.transcript_edits.items(), key=lambda kv: int(kv[0]))
    )
    return result, sorted(changed)
