"""Diarization alone on the 1-hour recording of `bench/long.py`: speakers, DER, RTF.

    python bench/long.py --hours 1                  # builds and caches the recording
    python bench/long_diarization.py "" "split_pause_s=0"
    python bench/long_diarization.py --torch ""     # CAM++ in PyTorch, not ONNX Runtime

One line per setting (`key=value` pairs of `[diarization]`, separated by `;`, as in
`bench/speaker_checks.py`), all in one process, so that settings run next to each other
compare (the speed of a shared VM drifts). The time is the diarization call alone, the
models loaded before it.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.speaker_checks import environment
from protokoll.config import load_settings
from protokoll.documents.rttm import read_rttm
from protokoll.pipeline.build import build_diarizer, model_store
from protokoll.scoring import diarization_error_rate
from protokoll.speakers.diarize import PyannoteDiarizer

ROOT = Path(__file__).resolve().parent.parent
RECORDING = ROOT / "out" / "bench-long" / "longform-60min-s7-v1"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("settings", nargs="*", default=[""], help="key=value;key=value")
    parser.add_argument("--torch", action="store_true", help="CAM++ in PyTorch")
    parser.add_argument("--recording", type=Path, default=RECORDING, help="path without suffix")
    args = parser.parse_args()
    pcm = subprocess.run(
        ["ffmpeg", "-nostdin", "-v", "error", "-i", f"{args.recording}.ogg", "-f", "f32le",
         "-ac", "1", "-ar", "16000", "-"],
        capture_output=True, check=True,
    ).stdout  # fmt: skip
    audio = np.frombuffer(pcm, dtype=np.float32).copy()
    reference = read_rttm(f"{args.recording}.rttm")
    for setting in args.settings:
        settings = load_settings(ROOT / "config.toml", environment(setting))
        diarizer = build_diarizer(settings, model_store(settings, ROOT))
        assert isinstance(diarizer, PyannoteDiarizer)
        diarizer._pipeline = diarizer._build()
        diarizer._pipeline._embedding.model_.use_onnx = not args.torch
        started = time.monotonic()
        result = diarizer.diarize(audio)
        rtf = (time.monotonic() - started) / (len(audio) / 16000)
        der = diarization_error_rate(reference, result.turns, collar_s=0.25)
        print(
            f"{setting or 'config.toml'}{' (PyTorch)' if args.torch else ''}: "
            f"{result.num_speakers} speakers, DER {der:.4f}, RTF {rtf:.4f}",
            flush=True,
        )


if __name__ == "__main__":
    main()
