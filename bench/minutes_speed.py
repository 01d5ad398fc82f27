"""Speed of the minutes stage: LLM tokens per second and the stage's time.

Runs the minutes stage (rules + the configured LLM) on the sample's real
transcript (`tests/data/sitzung.transcript.json`) and on a 2-hour transcript
built from it: every agenda item's passage is repeated until the session lasts
two hours, so each item is long enough to need the map-reduce path.

    python bench/minutes_speed.py [--hours 2]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import time
from dataclasses import replace
from itertools import pairwise
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import ROOT, SAMPLE_AGENDA
from protokoll.config import load_settings
from protokoll.domain.agenda import load_agenda
from protokoll.domain.transcript import Segment, Transcript
from protokoll.llm.base import LLM, ChatMessage, Generation
from protokoll.minutes.draft import MinutesDrafter
from protokoll.pipeline.build import build_llm, model_store

TRANSCRIPT = ROOT / "tests" / "data" / "sitzung.transcript.json"
REFERENCE = ROOT / "samples" / "sitzung.reference.json"


class CountingLLM:
    """Passes calls through and sums tokens and seconds."""

    def __init__(self, inner: LLM) -> None:
        self.inner = inner
        self.info = inner.info
        self.prompt_tokens = self.completion_tokens = self.calls = 0
        self.seconds = self.prompt_seconds = 0.0

    def generate(self, messages: list[ChatMessage], **kwargs: Any) -> Generation:
        generation = self.inner.generate(messages, **kwargs)
        self.calls += 1
        self.prompt_tokens += generation.prompt_tokens
        self.completion_tokens += generation.completion_tokens
        self.seconds += generation.seconds
        self.prompt_seconds += generation.prompt_seconds or 0.0
        return generation

    def count_tokens(self, text: str) -> int:
        return self.inner.count_tokens(text)


def _shift(seg: Segment, offset: float) -> Segment:
    words = tuple(replace(w, start_s=w.start_s + offset, end_s=w.end_s + offset) for w in seg.words)
    return replace(seg, start_s=seg.start_s + offset, end_s=seg.end_s + offset, words=words)


def long_transcript(base: Transcript, hours: float) -> Transcript:
    """Repeat each agenda item's passage so the whole session lasts `hours`."""
    starts = [b["start_s"] for b in json.loads(REFERENCE.read_text())["agenda_boundaries"]]
    edges = [0.0, *starts, base.audio.duration_s + 1]
    blocks = [[s for s in base.segments if lo <= s.start_s < hi] for lo, hi in pairwise(edges)]
    copies = max(1, round(hours * 3600 / base.audio.duration_s))
    segments: list[Segment] = []
    cursor = 0.0
    for i, block in enumerate(blocks):
        if not block:
            continue
        cursor = max(cursor, block[0].start_s) if i == 0 else cursor
        for _ in range(1 if i == 0 else copies):
            shift = cursor - block[0].start_s
            segments += [_shift(s, shift) for s in block]
            cursor = segments[-1].end_s + 1.0
    duration = segments[-1].end_s + 1
    audio = replace(base.audio, duration_s=duration)
    return Transcript(audio=audio, language="de", segments=segments, turns=base.turns)


def _rate(tokens: int, seconds: float) -> float:
    return round(tokens / seconds, 1) if seconds > 0 else 0.0


def run_once(transcript: Transcript) -> dict[str, float]:

    settings = load_settings(None)
    started = time.monotonic()
    llm = build_llm(settings, model_store(settings))
    load_s = time.monotonic() - started
    if llm is None:
        raise SystemExit("LLM backend is 'none'; nothing to measure")
    counting = CountingLLM(llm)
    drafter = MinutesDrafter(load_agenda(SAMPLE_AGENDA), settings.minutes, counting,
                             settings.llm.max_output_tokens)  # fmt: skip
    started = time.monotonic()
    minutes = drafter.draft(transcript)
    stage_s = time.monotonic() - started
    words = sum(len(s.words) for s in transcript.segments)
    return {
        "transcript_h": round(transcript.audio.duration_s / 3600, 2),
        "transcript_words": words,
        "llm_load_s": round(load_s, 1),
        "minutes_stage_s": round(stage_s, 1),
        "llm_calls": counting.calls,
        "prompt_tokens": counting.prompt_tokens,
        "completion_tokens": counting.completion_tokens,
        "llm_seconds": round(counting.seconds, 1),
        "prompt_tokens_per_s": _rate(counting.prompt_tokens, counting.prompt_seconds),
        "generation_tokens_per_s": _rate(
            counting.completion_tokens, counting.seconds - counting.prompt_seconds
        ),
        "flags": sum(len(i.flags) for i in minutes.items),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--hours", type=float, default=2.0)
    args = parser.parse_args()
    base = Transcript.from_dict(json.loads(TRANSCRIPT.read_text(encoding="utf-8")))
    print(f"# machine: {platform.machine()}, {os.cpu_count()} CPUs, python "
          f"{platform.python_version()}")  # fmt: skip
    print("## sample", json.dumps(run_once(base)))
    if args.hours > 0:
        print(f"## {args.hours:g} h", json.dumps(run_once(long_transcript(base, args.hours))))


if __name__ == "__main__":
    main()
