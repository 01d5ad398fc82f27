"""Where the speaker benchmark's missed speech lies (dev split only).

    python bench/speaker_misses.py                     # the 8 dev sets + 8 dev councils
    python bench/speaker_misses.py --seat-levels room  # the old sessions
    python bench/speaker_misses.py --levels            # members' levels, both variants
    python bench/speaker_misses.py --no-ties-up        # with pyannote's rounding
    python bench/speaker_misses.py --no-overlap-down   # 1.5 speakers rounded to two

Per session, with the configured default on the cached first pass of `bench/speakers.py`:
missed speech and false alarm (shares of the reference speech, 10 ms frames, no collar);
how much of the missed speech the speaker count let through, how much half of its
windows heard (a tie, which `count_ties_up` makes speech), and how much Silero VAD
(shipped with faster-whisper) would hear; how much speech Silero misses on its own; and
the voices missed most (share of their turns' time); and, as speaker time, the frames
given more speakers than the reference has where someone speaks (a spurious second
speaker, false alarm in the full scoring) and fewer where two or more speak (missed
overlap). `--no-ties-up`, `--no-overlap-down`: pyannote's rounding of the count.
With `--levels`, only each dev session's member levels at the microphone relative to
the chair (before the noise), as the sessions are built with each seat-level variant.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.speaker_sessions import SEAT_LEVELS, Session, member_levels_db
from bench.speaker_voices import SAMPLE_RATE_HZ, all_voices
from bench.speakers import (
    DEV_COUNCIL_SEED,
    SEED_BASE,
    SETS,
    Protokoll,
    dev_councils,
    recount,
    sessions,
)
from protokoll.domain.transcript import SpeakerTurn
from protokoll.speakers.blocks import speech_turns
from protokoll.speakers.clustering import ClusteringParams

FRAME_S = 0.01


def frames(turns: list[SpeakerTurn], n: int) -> np.ndarray:
    out = np.zeros(n, dtype=bool)
    for t in turns:
        out[int(t.start_s / FRAME_S) : int(t.end_s / FRAME_S)] = True
    return out


def counts(turns: list[SpeakerTurn], n: int) -> np.ndarray:
    """Speakers per 10 ms frame."""
    out = np.zeros(n, dtype=np.int16)
    for t in turns:
        out[int(t.start_s / FRAME_S) : int(t.end_s / FRAME_S)] += 1
    return out


def silero(audio: np.ndarray, n: int) -> np.ndarray:
    # lazy: faster-whisper's VAD loads onnxruntime
    from faster_whisper.vad import VadOptions, get_speech_timestamps

    options = VadOptions(min_silence_duration_ms=300, speech_pad_ms=100)
    spans = get_speech_timestamps(audio, options, sampling_rate=SAMPLE_RATE_HZ)
    return frames(
        [SpeakerTurn(s["start"] / SAMPLE_RATE_HZ, s["end"] / SAMPLE_RATE_HZ, "") for s in spans],
        n,
    )


@dataclass
class Misses:
    """Counts of 10 ms frames."""

    total: int = 0  # reference speech
    missed: int = 0
    false_alarm: int = 0
    heard_by_segmentation: int = 0  # missed frames where segmentation-3.0 heard speech
    heard_by_half: int = 0  # missed frames that half of their windows heard (a tie)
    heard_by_silero: int = 0  # missed frames where Silero VAD hears speech
    silero_missed: int = 0  # reference speech Silero VAD does not hear
    extra_speaker: int = 0  # speaker-frames given beyond the reference's where one speaks
    missed_overlap: int = 0  # speaker-frames missed where the system hears someone
    worst: list[tuple[str, float, int]] = field(default_factory=list)

    def add(self, other: Misses) -> None:
        for name in ("total", "missed", "false_alarm", "heard_by_segmentation",
                     "heard_by_half", "heard_by_silero", "silero_missed", "extra_speaker",
                     "missed_overlap"):  # fmt: skip
            setattr(self, name, getattr(self, name) + getattr(other, name))

    def line(self) -> str:
        total, missed = max(self.total, 1), max(self.missed, 1)
        return (
            f"missed {self.missed / total:.3f}, false alarm {self.false_alarm / total:.3f}"
            f" | of the missed: the count let through {self.heard_by_segmentation / missed:.3f},"
            f" half the windows heard {self.heard_by_half / missed:.3f},"
            f" Silero hears {self.heard_by_silero / missed:.3f}"
            f" | Silero alone misses {self.silero_missed / total:.3f}"
            f" | extra speaker {self.extra_speaker / total:.3f},"
            f" missed overlap {self.missed_overlap / total:.3f}"
        )


def misses(session: Session, system: Protokoll, params: ClusteringParams) -> Misses:
    n = int(session.audio.size / SAMPLE_RATE_HZ / FRAME_S) + 1
    blocks = system.features(session)
    hyp_turns = system.turns(blocks, "protokoll", params, session.audio)
    hyp = frames(hyp_turns, n)
    ref = frames(session.turns, n)
    ref_n, hyp_n = counts(session.turns, n), counts(hyp_turns, n)
    heard = frames(speech_turns(blocks), n)
    half = frames(speech_turns([recount(b, ties_up=True) for b in blocks]), n)
    vad = silero(session.audio, n)
    missed = ref & ~hyp
    per_voice: dict[str, list[int]] = {}
    for t in session.turns:
        a, b = int(t.start_s / FRAME_S), int(t.end_s / FRAME_S)
        cell = per_voice.setdefault(t.speaker, [0, 0])
        cell[0] += b - a
        cell[1] += int(missed[a:b].sum())
    worst = sorted(per_voice.items(), key=lambda kv: -kv[1][1] / max(kv[1][0], 1))[:4]
    return Misses(
        total=int(ref.sum()),
        missed=int(missed.sum()),
        false_alarm=int((hyp & ~ref).sum()),
        heard_by_segmentation=int((missed & heard).sum()),
        heard_by_half=int((missed & half).sum()),
        heard_by_silero=int((missed & vad).sum()),
        silero_missed=int((ref & ~vad).sum()),
        extra_speaker=int(np.maximum(hyp_n - ref_n, 0)[ref].sum()),
        missed_overlap=int(np.maximum(ref_n - hyp_n, 0)[hyp].sum()),
        worst=[(v, round(m / max(t, 1), 2), round(t * FRAME_S)) for v, (t, m) in worst],
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seat-levels", choices=SEAT_LEVELS, default="gain")
    parser.add_argument("--dev-councils", type=int, default=8)
    parser.add_argument("--levels", action="store_true", help="only the members' levels")
    parser.add_argument(
        "--no-ties-up", action="store_true", help="pyannote's count (ties to silence)"
    )
    parser.add_argument(
        "--no-overlap-down", action="store_true", help="pyannote's count (1.5 to two speakers)"
    )
    args = parser.parse_args()
    voices = all_voices()["dev"]
    if args.levels:
        plans = [
            (name, size, SEED_BASE["dev"] + k, cond) for k, (name, size, cond) in enumerate(SETS)
        ]
        plans += [
            (f"council-{k}", 15, DEV_COUNCIL_SEED + k, "hall")
            for k in range(1, args.dev_councils + 1)
        ]
        for name, size, seed, condition in plans:
            for variant in SEAT_LEVELS:
                levels = member_levels_db(voices, size, seed, condition, variant)
                print(f"{name:10s} {variant:4s} members {levels[0]:+.0f} to {levels[-1]:+.0f} dB")
        return
    files = sessions("dev", voices, args.seat_levels)
    files += dev_councils(voices, args.dev_councils, args.seat_levels)
    system = Protokoll(
        count_ties_up=False if args.no_ties_up else None,
        count_overlap_down=False if args.no_overlap_down else None,
    )
    params = ClusteringParams(**system.settings.clustering.model_dump())
    pooled = Misses()
    for session in files:
        found = misses(session, system, params)
        pooled.add(found)
        print(f"{session.uri:18s} {found.line()} | most missed (voice, share, s): {found.worst}")
    print(f"pooled: {pooled.line()}")


if __name__ == "__main__":
    main()
