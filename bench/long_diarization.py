"""Diarization alone on a long recording of `bench/long.py`: speakers, DER, RTF, memory.

    python bench/long_diarization.py "" "split_pause_s=0"
    python bench/long_diarization.py --torch ""     # CAM++ in PyTorch, not ONNX Runtime
    python bench/long_diarization.py --hours 5 ""   # the 5-hour recording

One line per setting (`key=value` pairs of `[diarization]`, separated by `;`, as in
`bench/speaker_checks.py`), all in one process, so that settings run next to each other
compare (the speed of a shared VM drifts). The recording (built and cached by
`bench/longform.py`, seed 7, as `bench/long.py` builds it) is decoded once to a 16 kHz
WAV file and read block by block, as the pipeline reads it. The time is the diarization
call alone, the models loaded before it. Memory: the process's peak RSS (VmHWM) at each
tenth of the recording, so a rise with its length shows; as all settings share the
process, only the first setting's series is its own.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import peak_rss_mb, progress_peaks
from bench.longform import build_long_recording
from bench.speaker_checks import environment
from protokoll.audio.source import AudioSource
from protokoll.config import load_settings
from protokoll.documents.rttm import read_rttm
from protokoll.pipeline.build import build_diarizer, model_store
from protokoll.scoring import diarization_error_rate
from protokoll.speakers.diarize import PyannoteDiarizer

ROOT = Path(__file__).resolve().parent.parent
CACHE = ROOT / "out" / "bench-long"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("settings", nargs="*", default=[""], help="key=value;key=value")
    parser.add_argument("--torch", action="store_true", help="CAM++ in PyTorch")
    parser.add_argument("--hours", type=float, default=1.0, help="length of the recording")
    parser.add_argument("--cache", type=Path, default=CACHE, help="where recordings are kept")
    args = parser.parse_args()
    recording = build_long_recording(args.hours * 60, args.cache, seed=7)
    reference = read_rttm(recording.rttm)
    with tempfile.TemporaryDirectory() as tmp:
        wav = Path(tmp) / "recording.wav"
        subprocess.run(
            ["ffmpeg", "-nostdin", "-v", "error", "-i", str(recording.audio), "-ac", "1",
             "-ar", "16000", "-c:a", "pcm_s16le", str(wav)],
            check=True,
        )  # fmt: skip
        for setting in args.settings:
            settings = load_settings(ROOT / "config.toml", environment(setting))
            diarizer = build_diarizer(settings, model_store(settings, ROOT))
            assert isinstance(diarizer, PyannoteDiarizer)
            diarizer._pipeline = diarizer._build()
            diarizer._pipeline._embedding.model_.use_onnx = not args.torch
            series, hook = progress_peaks()
            source = AudioSource.from_wav(wav)
            started = time.monotonic()
            result = diarizer.diarize(source, hook=hook)
            rtf = (time.monotonic() - started) / source.duration_s
            der = diarization_error_rate(reference, result.turns, collar_s=0.25)
            print(
                f"{args.hours:g} h, {setting or 'config.toml'}"
                f"{' (PyTorch)' if args.torch else ''}: {result.num_speakers} of "
                f"{recording.speakers} speakers, DER {der:.4f}, RTF {rtf:.4f}, "
                f"peak RSS {peak_rss_mb():.0f} MB, by tenths {series.get('diarization', [])}",
                flush=True,
            )


if __name__ == "__main__":
    main()
