"""Speed and peak memory of the transcription stage alone, block by block.

    python bench/asr_memory.py [--minutes 20] [--recording FILE]

Runs the configured transcriber (settings from config.toml and PROTOKOLL_*
variables, e.g. PROTOKOLL_TRANSCRIPTION__BATCH_SIZE=4) over the first
`--minutes` of a long benchmark recording (default: the cached 1-hour session
of `bench/longform.py`) and prints the real-time factor and the peak RSS after
each block. torch and pyannote are imported first, as in the pipeline's process.
Identical runs differ by up to about 100 MB in peak, so compare several.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import protokoll.asr.transcribe as transcribe
from bench.common import ROOT, SAMPLE_AGENDA, peak_rss_mb, settings_for_device
from bench.longform import build_long_recording
from protokoll.audio.intake import decode
from protokoll.audio.source import SAMPLE_RATE_HZ, AudioSource
from protokoll.domain.agenda import load_agenda
from protokoll.pipeline.build import build_transcriber, model_store


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--minutes", type=float, default=20.0)
    parser.add_argument("--recording", type=Path, default=None)
    args = parser.parse_args()

    import pyannote.audio  # noqa: F401  (the pipeline's process has it loaded too)
    import torch  # noqa: F401

    recording = args.recording
    if recording is None:
        recording = build_long_recording(60.0, ROOT / "out" / "bench-long").audio
    work = ROOT / "out" / "bench-asr-memory"
    wav = decode(recording, work).wav_path
    audio = AudioSource.from_wav(wav).read(0, int(args.minutes * 60 * SAMPLE_RATE_HZ))
    source = AudioSource.from_array(audio)

    blocks: list[int] = []
    release = transcribe.release_memory

    def release_and_record() -> None:
        release()
        blocks.append(round(peak_rss_mb()))

    transcribe.release_memory = release_and_record
    settings = settings_for_device("cpu")
    vocabulary = load_agenda(SAMPLE_AGENDA).vocabulary_hint()
    transcriber = build_transcriber(settings, model_store(settings), vocabulary)
    started = time.monotonic()
    result = transcriber.transcribe(source)
    elapsed = time.monotonic() - started
    s = settings.transcription
    print(
        f"beam {s.beam_size}, batch {s.batch_size}: "
        f"{source.duration_s / 60:.0f} min, RTF {elapsed / source.duration_s:.4f}, "
        f"{sum(len(seg.words) for seg in result.segments)} words, "
        f"peak RSS after each block (MB) {blocks}"
    )


if __name__ == "__main__":
    main()
