"""Scoring against references: word error rate and diarization error rate.

Used by the benchmark scripts in `bench/` and by the real-model tests, so the
figures in the README come from the same code the tests check.

WER normalisation (applied to reference and hypothesis alike): lower case,
numbers spelled out in German words ("14" -> "vierzehn", "1,8" -> "eins komma
acht"), punctuation removed, whitespace collapsed.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from num2words import num2words

from protokoll.domain.transcript import SpeakerTurn

_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")


def _spell_number(match: re.Match[str]) -> str:

    token = match.group(0)
    if re.fullmatch(r"\d{1,3}(\.\d{3})+", token):  # 1.200 -> 1200
        token = token.replace(".", "")
    if "," in token and token.count(",") == 1 and "." not in token:
        whole, frac = token.split(",")
        return f" {num2words(int(whole), lang='de')} komma " + " ".join(
            num2words(int(d), lang="de") for d in frac
        )
    if token.isdigit():
        return f" {num2words(int(token), lang='de')} "
    return " " + " ".join(num2words(int(p), lang="de") for p in re.split(r"[.,]", token) if p) + " "


def normalize_for_wer(text: str) -> list[str]:
    text = unicodedata.normalize("NFKC", text).lower()
    text = text.replace("%", " prozent ").replace("€", " euro ")
    text = _NUMBER.sub(_spell_number, text)
    text = re.sub(r"[^\w\s]", " ", text)
    return text.split()


def edit_distance(ref: Sequence[str], hyp: Sequence[str]) -> int:
    previous = list(range(len(hyp) + 1))
    for i, r in enumerate(ref, start=1):
        current = [i] + [0] * len(hyp)
        for j, h in enumerate(hyp, start=1):
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (r != h))
        previous = current
    return previous[-1]


@dataclass(frozen=True)
class WerResult:
    errors: int
    reference_words: int

    @property
    def wer(self) -> float:
        return self.errors / self.reference_words if self.reference_words else 0.0


def word_error_rate(reference: str, hypothesis: str) -> WerResult:
    ref, hyp = normalize_for_wer(reference), normalize_for_wer(hypothesis)
    return WerResult(edit_distance(ref, hyp), len(ref))


def diarization_error_rate(
    reference: Sequence[SpeakerTurn], hypothesis: Sequence[SpeakerTurn], collar_s: float = 0.25
) -> float:
    """DER with pyannote.metrics (collar around reference boundaries, overlap scored)."""
    # lazy: pyannote.audio imports torch and lightning (seconds); only diarization needs it
    from pyannote.core import Annotation, Segment
    from pyannote.metrics.diarization import DiarizationErrorRate

    def annotation(turns: Sequence[SpeakerTurn]) -> Annotation:
        ann = Annotation()
        for t in turns:
            ann[Segment(t.start_s, t.end_s)] = t.speaker
        return ann

    metric = DiarizationErrorRate(collar=collar_s, skip_overlap=False)
    return float(metric(annotation(reference), annotation(hypothesis)))
