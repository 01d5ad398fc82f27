"""Real-time factor per stage, peak memory, speakers, DER and WER of the full pipeline.

Runs `protokoll.pipeline.steps.run` on the bundled sample and on a longer recording
built by looping it (default 30 minutes), each in a fresh process so the peak
memory figures are separate. Usage:

    python bench/speed.py                 # sample + 30 min
    python bench/speed.py --minutes 60    # sample + 60 min
    python bench/speed.py --device cuda   # on a GPU server
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import (
    SAMPLE,
    SAMPLE_AGENDA,
    SAMPLE_RTTM,
    SAMPLE_TXT,
    build_looped,
    peak_rss_mb,
    settings_for_device,
    stage_peaks,
)
from protokoll.documents.rttm import read_rttm, write_rttm
from protokoll.domain.agenda import load_agenda
from protokoll.pipeline.runner import run
from protokoll.scoring import diarization_error_rate, word_error_rate


def _one(audio: Path, ref_rttm: Path | None, ref_txt: Path, device: str) -> dict[str, object]:
    """Run the pipeline once in this process and return its figures."""

    settings = settings_for_device(device)
    agenda = load_agenda(SAMPLE_AGENDA)
    peaks, hook = stage_peaks()

    started = time.monotonic()
    with tempfile.TemporaryDirectory() as out:
        result = run(audio, Path(out), settings, agenda=agenda, hook=hook)
    wall = time.monotonic() - started
    t = result.transcript
    hyp_text = " ".join(s.text for s in t.segments)
    figures: dict[str, object] = {
        "audio_s": t.audio.duration_s,
        "wall_s": round(wall, 1),
        "rtf_total": round(wall / t.audio.duration_s, 4),
        "rtf": {k: round(v / t.audio.duration_s, 4) for k, v in result.stage_seconds.items()},
        "peak_rss_mb_after_stage": {k: round(v) for k, v in peaks.items()},
        "peak_rss_mb": round(peak_rss_mb()),
        "speakers_found": len({x.speaker for x in t.turns}),
        "wer": round(word_error_rate(ref_txt.read_text(encoding="utf-8"), hyp_text).wer, 4),
        "dropped_passages": len(t.dropped),
    }
    if ref_rttm is not None:
        figures["der"] = round(diarization_error_rate(read_rttm(ref_rttm), t.turns), 4)
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--minutes", type=float, default=30.0)
    parser.add_argument("--device", default="cpu")
    parser.add_argument("--one", nargs=3, metavar=("AUDIO", "RTTM", "TXT"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        audio, rttm, txt = args.one
        print(json.dumps(_one(Path(audio), Path(rttm), Path(txt), args.device)))
        return

    work = Path(tempfile.mkdtemp(prefix="protokoll-bench-"))
    cases = [("sample", SAMPLE, SAMPLE_RTTM, SAMPLE_TXT)]
    if args.minutes > 0:
        audio, turns, text = build_looped(args.minutes, work / f"looped-{args.minutes:g}min.ogg")

        rttm = work / "looped.rttm"
        write_rttm(turns, "looped", rttm)
        txt = work / "looped.txt"
        txt.write_text(text, encoding="utf-8")
        cases.append((f"{args.minutes:g} min", audio, rttm, txt))
    print(f"# machine: {platform.processor() or platform.machine()}, {os.cpu_count()} CPUs, "
          f"python {platform.python_version()}, device {args.device}")  # fmt: skip
    for name, audio, rttm, txt in cases:
        cmd = [sys.executable, __file__, "--device", args.device, "--one", str(audio), str(rttm),
               str(txt)]  # fmt: skip
        proc = subprocess.run(cmd, capture_output=True, text=True, check=False)
        if proc.returncode != 0:
            print(f"{name}: FAILED\n{proc.stderr[-2000:]}")
            continue
        figures = json.loads(proc.stdout.strip().splitlines()[-1])
        print(f"## {name}")
        print(json.dumps(figures, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
