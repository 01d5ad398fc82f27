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
import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

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


def _annotation(turns: Sequence[SpeakerTurn]) -> Any:
    # lazy: pyannote.core is only needed for diarization scoring
    from pyannote.core import Annotation, Segment

    ann = Annotation()
    for k, t in enumerate(turns):
        ann[Segment(t.start_s, t.end_s), k] = t.speaker
    return ann


def diarization_error_rate(
    reference: Sequence[SpeakerTurn], hypothesis: Sequence[SpeakerTurn], collar_s: float = 0.25
) -> float:
    """DER with pyannote.metrics (collar around reference boundaries, overlap scored)."""
    # lazy: pyannote.metrics is only needed for diarization scoring
    from pyannote.metrics.diarization import DiarizationErrorRate

    metric = DiarizationErrorRate(collar=collar_s, skip_overlap=False)
    return float(metric(_annotation(reference), _annotation(hypothesis)))


# The two settings published diarization results use: "forgiving" (a 0.25 s collar
# around each reference boundary, overlapped speech not scored; as in the DIHARD/VoxConverse
# "forgiving" tables) and "full" (no collar, overlap scored).
DER_SETTINGS = {"forgiving": (0.25, True), "full": (0.0, False)}


class DerScorer:
    """DER in both settings over many files; pooled figures weigh files by their speech."""

    def __init__(self) -> None:
        # lazy: pyannote.metrics is only needed for diarization scoring
        from pyannote.metrics.diarization import DiarizationErrorRate

        self._metrics = {
            name: DiarizationErrorRate(collar=collar, skip_overlap=skip)
            for name, (collar, skip) in DER_SETTINGS.items()
        }

    def add(
        self, reference: Sequence[SpeakerTurn], hypothesis: Sequence[SpeakerTurn]
    ) -> dict[str, float]:
        """Score one file; returns its DER per setting (and the full setting's parts)."""
        ref, hyp = _annotation(reference), _annotation(hypothesis)
        out: dict[str, float] = {}
        for name, metric in self._metrics.items():
            with warnings.catch_warnings():  # "uem approximated": the extent of both is wanted
                warnings.simplefilter("ignore")
                detail = metric(ref, hyp, detailed=True)
            out[name] = round(float(detail["diarization error rate"]), 4)
            if name == "full":
                total = max(float(detail["total"]), 1e-9)
                out["missed"] = round(float(detail["missed detection"]) / total, 4)
                out["false_alarm"] = round(float(detail["false alarm"]) / total, 4)
                out["confusion"] = round(float(detail["confusion"]) / total, 4)
        return out

    def pooled(self) -> dict[str, float]:
        return {name: round(float(abs(metric)), 4) for name, metric in self._metrics.items()}
