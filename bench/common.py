"""Shared helpers for the benchmark scripts: building long recordings and references."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

from protokoll.config import Settings, load_settings
from protokoll.documents.rttm import read_rttm
from protokoll.domain.progress import ProgressHook
from protokoll.domain.transcript import SpeakerTurn

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "samples" / "sitzung.ogg"
SAMPLE_RTTM = ROOT / "samples" / "sitzung.rttm"
SAMPLE_TXT = ROOT / "samples" / "sitzung.txt"
SAMPLE_AGENDA = ROOT / "samples" / "agenda.toml"


def sample_duration_s() -> float:
    return float(
        json.loads((ROOT / "samples" / "sitzung.reference.json").read_text())["duration_s"]
    )


def build_looped(target_minutes: float, dest: Path) -> tuple[Path, list[SpeakerTurn], str]:
    """Concatenate the sample until it lasts about `target_minutes`; return audio, turns, text."""
    one = sample_duration_s()
    copies = max(1, round(target_minutes * 60 / one))
    if not dest.exists():
        subprocess.run(
            ["ffmpeg", "-nostdin", "-v", "error", "-y", "-stream_loop", str(copies - 1),
             "-i", str(SAMPLE), "-c", "copy", str(dest)],
            check=True,
        )  # fmt: skip
    base = read_rttm(SAMPLE_RTTM)
    turns = [
        SpeakerTurn(t.start_s + k * one, t.end_s + k * one, t.speaker)
        for k in range(copies)
        for t in base
    ]
    text = "\n".join([SAMPLE_TXT.read_text(encoding="utf-8")] * copies)
    return dest, turns, text


def settings_for_device(device: str) -> Settings:
    """The configuration, with transcription and diarization on `device`."""

    env = dict(os.environ)
    env["PROTOKOLL_TRANSCRIPTION__DEVICE"] = device
    env["PROTOKOLL_DIARIZATION__DEVICE"] = device
    return load_settings(None, env)


def stage_peaks() -> tuple[dict[str, float], ProgressHook]:
    """A progress hook that records the peak RSS when each stage completes, and its record."""
    peaks: dict[str, float] = {}

    def hook(stage: str, completed: float, total: float) -> None:
        if total and completed >= total:
            peaks[stage] = peak_rss_mb()

    return peaks, hook


def progress_peaks(parts: int = 10) -> tuple[dict[str, list[int]], ProgressHook]:
    """A progress hook that records the peak RSS (MB) at each tenth of every stage: memory
    that grows with the length of the recording shows as a rising series."""
    series: dict[str, list[int]] = {}

    def hook(stage: str, completed: float, total: float) -> None:
        marks = series.setdefault(stage, [])
        while total and len(marks) < parts and completed >= total * (len(marks) + 1) / parts:
            marks.append(round(peak_rss_mb()))

    return series, hook


def peak_rss_mb() -> float:
    """Peak resident set size of this process so far (VmHWM), in MB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")
