"""Short test recordings made with ffmpeg from lavfi sources."""

from __future__ import annotations

import subprocess
from collections.abc import Callable, Sequence
from pathlib import Path

SIGNALS = {
    # a 440 Hz tone at -21 dBFS RMS (lavfi's default amplitude 1/8)
    "sine": "sine=frequency=440:duration={seconds}:sample_rate={rate}",
    # speech-like: a harmonic complex modulated at syllable rate (4 Hz)
    "speech": "aevalsrc='(0.25*sin(2*PI*180*t)+0.12*sin(2*PI*360*t)+0.06*sin(2*PI*1100*t))"
    "*(0.55+0.45*sin(2*PI*4*t))':s={rate}:d={seconds}",
    "noise": "anoisesrc=color=pink:amplitude=0.05:duration={seconds}:sample_rate={rate}",
    "silence": "anullsrc=r={rate}:cl=stereo:d={seconds}",
}

MakeMedia = Callable[..., Path]


def make_media_file(
    path: Path,
    *output_args: str,
    signal: str = "sine",
    seconds: float = 6.0,
    rate: int = 44_100,
    inputs: Sequence[str] | None = None,
) -> Path:
    """Write `path` with ffmpeg from a lavfi source (``signal``: a name from SIGNALS or a
    lavfi graph with ``{seconds}`` and ``{rate}``; ``inputs``: raw ffmpeg input arguments
    instead). Further positional arguments are ffmpeg output options."""
    if inputs is None:
        graph = SIGNALS.get(signal, signal).format(seconds=seconds, rate=rate)
        inputs = ["-f", "lavfi", "-i", graph]
    cmd = ["ffmpeg", "-nostdin", "-v", "error", "-y", *inputs, *output_args, str(path)]
    subprocess.run(cmd, check=True, capture_output=True)
    return path
