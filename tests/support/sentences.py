"""Transcript sentences for the rule tests of the minutes stage."""

from __future__ import annotations

from protokoll.minutes.sentences import Sentence

CHAIR = "SPEAKER_00"


def sents(*lines: str | tuple[str, str], step: float = 5.0) -> list[Sentence]:
    """Sentences `step` seconds apart; a line is text (the chair) or (speaker, text)."""
    out = []
    for i, line in enumerate(lines):
        speaker, text = (CHAIR, line) if isinstance(line, str) else line
        out.append(Sentence(i, i * step, i * step + step - 1.0, speaker, text))
    return out
