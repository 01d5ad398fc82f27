"""Shared helpers for the benchmark scripts: building long recordings and references."""

from __future__ import annotations

import contextlib
import json
import os
import platform
import subprocess
from pathlib import Path

from protokoll.config import Settings, load_settings
from protokoll.devices import cuda_available
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


def sample_excerpt(seconds: float, dest_dir: Path, start_s: float = 0.0) -> Path:
    """The sample's first `seconds` (from `start_s`) as 16 kHz mono WAV in `dest_dir`; made
    once, the same bytes every time."""
    dest = dest_dir / f"sitzung-{start_s:g}-{seconds:g}s.wav"
    if not dest.exists():
        dest_dir.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            ["ffmpeg", "-nostdin", "-v", "error", "-y", "-ss", str(start_s), "-t", str(seconds),
             "-i", str(SAMPLE), "-ac", "1", "-ar", "16000", "-fflags", "+bitexact",
             "-map_metadata", "-1", str(dest)],
            check=True,
        )  # fmt: skip
    return dest


def machine() -> str:
    """The machine in one line: CPU model, cores this process may use, memory, GPU."""
    cpu = platform.processor() or platform.machine()
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    memory = ""
    with contextlib.suppress(OSError, ValueError, IndexError):
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                memory = f", {int(line.split()[1]) / 2**20:.0f} GiB"
    cores = len(os.sched_getaffinity(0))
    gpu = "CUDA GPU" if cuda_available() else "no GPU"
    return f"{cpu}, {cores} cores{memory}, {gpu}, python {platform.python_version()}"
