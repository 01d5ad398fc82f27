"""Long, varied test recordings with exact references, built from the bundled sample.

`build_long_recording(minutes, dest_dir, seed=...)` lays out the speaker turns of
``samples/sitzung.ogg`` in a new, seeded order ("rounds" of permuted groups of consecutive
turns, each turn with a seeded gain change and seeded pauses of room noise between turns)
and inserts seeded non-speech events every few minutes of speech: silence (room noise only),
synthetic applause and synthetic music. The result is one Opus file (32 kbit/s, like a real
upload) plus exact references: speaker turns as RTTM, the transcript one turn per line, and
the events as JSON.

The session is planned first (a small list of pieces with exact sample positions), then
rendered piece by piece and piped as raw 16 kHz PCM into a single ffmpeg process, so memory
stays bounded whatever the length (no piece is longer than one minute). Builds are cached
in ``dest_dir`` under a name made from the parameters; a JSON manifest, written last and
atomically, marks a build as complete. Usage:

    python bench/longform.py --minutes 20 --out /tmp/longform
    python bench/longform.py --minutes 300 --out /tmp/longform --seed 3
"""

from __future__ import annotations

import argparse
import hashlib
import itertools
import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import ROOT, SAMPLE, peak_rss_mb
from protokoll.documents.rttm import write_rttm
from protokoll.domain.transcript import SpeakerTurn

__all__ = [
    "GENERATOR_VERSION",
    "LongRecording",
    "build_long_recording",
    "default_event_every_s",
    "load_long_recording",
]

# Bump whenever the output for the same (minutes, seed) changes; cached builds are then rebuilt.
GENERATOR_VERSION = 1

SAMPLE_REFERENCE = ROOT / "samples" / "sitzung.reference.json"
SR = 16_000
OPUS_ARGS = ["-c:a", "libopus", "-b:a", "32k", "-ac", "1", "-fflags", "+bitexact",
             "-flags:a", "+bitexact", "-map_metadata", "-1"]  # fmt: skip

NOISE_RMS_DB = -55.0  # room-noise floor, as in the sample (dBFS)
PAD_S = 0.02  # sample audio kept around each cut turn (pure room noise in the sample)
EDGE_S = 1.0  # room noise at the very start and end of the session
PAUSE_S = (0.4, 2.0)  # pause between turns (and around events)
GAIN_DB = (-4.0, 3.0)  # per-turn gain change
PEAK = 0.97  # no sample of a turn or event exceeds this after its gain (clip-safe)
KNEE = 0.5  # events: peaks above this (-6 dBFS) are compressed softly
# Speech between two events, seconds: 3-6 minutes in sessions of an hour or more; shorter
# sessions get proportionally more frequent events (down to 1-2 minutes at 20 minutes and
# below), so that even a 20-minute recording has every kind at least twice.
EVENT_EVERY_S = (180.0, 360.0)
EVENT_DURATION_S = {"silence": (8.0, 60.0), "applause": (4.0, 15.0), "music": (15.0, 45.0)}
EVENT_LEVEL_DB = {"applause": (-26.0, -20.0), "music": (-26.0, -22.0)}  # RMS, dBFS
EVENT_KINDS = ("silence", "applause", "music")
MIN_SPEECH_AFTER_EVENT_S = 30.0  # no event unless at least this much session follows it

Signal = npt.NDArray[np.float64]


@dataclass(frozen=True)
class LongRecording:
    """A built recording and its exact references (all paths inside ``dest_dir``)."""

    audio: Path  # the encoded recording (Ogg/Opus, 32 kbit/s, mono)
    rttm: Path  # reference speaker turns (file id = the audio file's stem)
    text: Path  # reference transcript, one turn per line, in spoken order
    duration_s: float
    speech_s: float  # total duration of the reference speech turns
    speakers: int  # distinct true speakers
    # JSON list of the inserted non-speech events: {kind, start_s, end_s, level_dbfs}, the
    # level being the RMS aimed at before encoding (-55 dBFS for silence, i.e. room noise)
    events: Path


# --------------------------------------------------------------------------- planning


@dataclass(frozen=True)
class _SourceTurn:
    speaker: str
    text: str
    start: int  # tight sample range in the decoded sample
    end: int
    peak: float  # peak of the padded range


@dataclass(frozen=True)
class _Piece:
    kind: str  # "noise", "turn" or one of EVENT_KINDS
    length: int  # samples written for this piece
    turn: int = -1  # index into the source turns (kind "turn")
    gain: float = 1.0  # linear gain (kind "turn")
    level_db: float = NOISE_RMS_DB  # RMS target of an event


@dataclass(frozen=True)
class _Plan:
    pieces: list[_Piece]
    turns: list[tuple[int, int, int]]  # (start, end, source turn) in output samples
    events: list[tuple[str, int, int, float]]  # (kind, start, end, level_db)
    total: int  # samples


def _round_order(n: int, rng: np.random.Generator) -> list[int]:
    """One round: the source turns cut into groups of 2-4 consecutive turns, groups shuffled."""
    groups: list[list[int]] = []
    i = 0
    while i < n:
        size = int(rng.integers(2, 5))
        groups.append(list(range(i, min(n, i + size))))
        i += size
    return [t for g in rng.permutation(len(groups)) for t in groups[int(g)]]


def _kinds(rng: np.random.Generator) -> Iterator[str]:
    """Event kinds: every kind once per cycle of three, seeded order, no kind twice in a row."""
    last = ""
    while True:
        cycle = [EVENT_KINDS[int(i)] for i in rng.permutation(len(EVENT_KINDS))]
        if cycle[0] == last:
            cycle.reverse()
        yield from cycle
        last = cycle[-1]


def _plan(
    source: list[_SourceTurn], minutes: float, seed: int, event_every_s: tuple[float, float]
) -> _Plan:
    rng = np.random.default_rng([seed, 0])
    target = round(minutes * 60 * SR)
    pad, edge = round(PAD_S * SR), round(EDGE_S * SR)
    pieces: list[_Piece] = []
    turns: list[tuple[int, int, int]] = []
    events: list[tuple[str, int, int, float]] = []
    pos = 0  # samples planned so far
    tight_end = 0  # end of the last turn's speech or event (position of the next gap)
    prev_pad = 0  # padding already written after tight_end
    kinds = _kinds(rng)
    queue: list[int] = []
    speech_since_event = 0
    next_event = rng.uniform(*event_every_s) * SR

    def gap(samples: int, before: int) -> None:
        """Noise so that `samples` lie between tight_end and the next tight start."""
        nonlocal pos
        n = samples - prev_pad - before
        pieces.append(_Piece("noise", n))
        pos += n

    while True:
        if not queue:
            queue = _round_order(len(source), rng)
        idx = queue[0]
        src = source[idx]
        length = src.end - src.start
        pause = edge if not turns else round(rng.uniform(*PAUSE_S) * SR)
        gain_db = rng.uniform(*GAIN_DB)
        # event first, if enough speech passed and enough session is left after it
        if turns and speech_since_event >= next_event:
            kind = next(kinds)
            ev_len = round(rng.uniform(*EVENT_DURATION_S[kind]) * SR)
            level = float(rng.uniform(*EVENT_LEVEL_DB.get(kind, (NOISE_RMS_DB, NOISE_RMS_DB))))
            ev_pause = round(rng.uniform(*PAUSE_S) * SR)
            after = tight_end + ev_pause + ev_len + pause + length + edge
            if after + MIN_SPEECH_AFTER_EVENT_S * SR <= target:
                gap(ev_pause, 0)
                pieces.append(_Piece(kind, ev_len, level_db=level))
                events.append((kind, pos, pos + ev_len, level))
                pos += ev_len
                tight_end, prev_pad = pos, 0
            speech_since_event = 0
            next_event = rng.uniform(*event_every_s) * SR
        # stop before this turn when the session without it is closer to the target
        current = tight_end + edge
        with_turn = tight_end + pause + length + edge
        if turns and (current >= target or with_turn - target > target - current):
            break
        queue.pop(0)
        gap(pause, pad)
        peak = src.peak * 10 ** (gain_db / 20)
        gain = 10 ** (gain_db / 20) * min(1.0, PEAK / peak) if peak > 0 else 1.0
        pieces.append(_Piece("turn", length + 2 * pad, turn=idx, gain=gain))
        turns.append((pos + pad, pos + pad + length, idx))
        pos += length + 2 * pad
        tight_end, prev_pad = pos - pad, pad
        speech_since_event += length
    gap(edge, 0)
    return _Plan(pieces, turns, events, pos)


# --------------------------------------------------------------------------- synthesis


def _rms(x: Signal) -> float:
    return float(np.sqrt(np.mean(np.square(x)))) if len(x) else 0.0


def _shaped_noise(
    n: int, rng: np.random.Generator, shape: Callable[[npt.NDArray[Any]], npt.NDArray[Any]]
) -> Signal:
    """Gaussian noise of `n` samples with amplitude spectrum `shape(frequencies)`.

    The FFT runs on the next power of two and is cut to `n`: an arbitrary length may have
    a large prime factor, which makes the FFT slow and memory-hungry (Bluestein).
    """
    size = 1 << max(n - 1, 1).bit_length()
    spec = np.fft.rfft(rng.standard_normal(size))
    spec *= shape(np.fft.rfftfreq(size, 1 / SR))
    noise: Signal = np.fft.irfft(spec, size)[:n]
    return noise


def _room_noise(n: int, rng: np.random.Generator) -> Signal:
    """Pink-ish noise (1/f power above 50 Hz) at NOISE_RMS_DB, as in samples/make_sample.py."""
    if n <= 0:
        return np.zeros(0)
    noise = _shaped_noise(n, rng, lambda f: 1 / np.sqrt(np.maximum(f, 50.0)))
    return noise * (10 ** (NOISE_RMS_DB / 20) / max(_rms(noise), 1e-12))


def _to_level(x: Signal, level_db: float) -> Signal:
    """Scale ``x`` to an RMS of ``level_db`` dBFS with peaks at most PEAK.

    Peaks above KNEE are compressed softly (as a recorder's limiter would), and the RMS is
    restored after each pass, so peaky signals such as claps still reach ``level_db``.
    """
    target = 10 ** (level_db / 20)
    for _ in range(4):
        x = x * (target / max(_rms(x), 1e-12))
        over = np.abs(x) > KNEE
        if not over.any():
            return x
        mag = np.abs(x[over]) - KNEE
        x[over] = np.sign(x[over]) * (KNEE + (PEAK - KNEE) * np.tanh(mag / (PEAK - KNEE)))
    peak = float(np.abs(x).max())
    return x * (PEAK / peak) if peak > PEAK else x


def _fade(x: Signal, fade_in_s: float, fade_out_s: float) -> Signal:
    n_in = min(len(x), round(fade_in_s * SR))
    n_out = min(len(x), round(fade_out_s * SR))
    x[:n_in] *= np.linspace(0.0, 1.0, n_in)
    x[len(x) - n_out :] *= np.linspace(1.0, 0.0, n_out)
    return x


def _applause(n: int, level_db: float, rng: np.random.Generator) -> Signal:
    """Many overlapping claps: decaying band-passed noise bursts at random onsets whose
    density rises quickly, holds with a slow wobble and thins out at the end."""
    t = np.arange(n) / SR
    dur = n / SR
    rise = rng.uniform(0.3, 1.0)
    fall = rng.uniform(1.0, min(3.5, dur / 2))
    envelope = np.minimum(1.0, t / rise) * np.clip((dur - t) / fall, 0.0, 1.0) ** 1.5
    envelope *= 1.0 + 0.2 * np.sin(2 * np.pi * rng.uniform(0.2, 0.5) * t + rng.uniform(0, 6.3))
    # clap bank: 24 bursts of 80 ms, band-passed around 0.7-2.5 kHz, decaying in 4-12 ms
    length = round(0.08 * SR)
    freqs = np.fft.rfftfreq(length, 1 / SR)
    tt = np.arange(length) / SR
    bank = []
    for _ in range(24):
        centre = rng.uniform(700, 2500)
        band = np.exp(-0.5 * ((freqs - centre) / (centre * rng.uniform(0.3, 0.6))) ** 2)
        burst = np.fft.irfft(np.fft.rfft(rng.standard_normal(length)) * band, length)
        burst *= np.exp(-tt / rng.uniform(0.004, 0.012)) * np.minimum(1.0, tt / 0.0005)
        bank.append(burst / max(float(np.abs(burst).max()), 1e-12))
    # onsets: an inhomogeneous Poisson process with the envelope as its rate (30-90 claps/s)
    expected = rng.uniform(30, 90) * float(envelope.sum()) / SR
    cdf = np.cumsum(envelope)
    onsets = np.searchsorted(cdf, rng.random(rng.poisson(expected)) * cdf[-1])
    amps = rng.lognormal(0.0, 0.5, len(onsets))
    which = rng.integers(0, len(bank), len(onsets))
    out = np.zeros(n + length)
    for onset, amp, k in zip(onsets, amps, which, strict=True):
        out[onset : onset + length] += amp * bank[k]
    # a faint diffuse bed (the room's reverberation of the claps) following the envelope
    bed = _shaped_noise(
        n, rng, lambda f: np.exp(-0.5 * (np.log(np.maximum(f, 1.0) / 1500) / 0.7) ** 2)
    )
    x = out[:n] + 0.15 * _rms(out[:n]) / max(_rms(bed), 1e-12) * bed * envelope
    return _to_level(_fade(x, 0.01, 0.05), level_db)


_MAJOR = (0, 2, 4, 5, 7, 9, 11)
_PROGRESSIONS = ((0, 4, 5, 3), (0, 3, 4, 0), (0, 5, 3, 4), (5, 3, 0, 4), (0, 3, 0, 4))


def _tone(
    freq: float, n: int, rng: np.random.Generator, *, decay_s: float, harmonics: int
) -> Signal:
    """A harmonic tone with slight vibrato, a short attack and an exponential decay."""
    t = np.arange(n) / SR
    vibrato = 1.0 + 0.003 * np.sin(2 * np.pi * rng.uniform(4.5, 6.0) * t + rng.uniform(0, 6.3))
    phase = 2 * np.pi * np.cumsum(freq * vibrato) / SR
    x = np.zeros(n)
    for h in range(1, harmonics + 1):
        if h * freq < 0.45 * SR:
            x += rng.uniform(0.6, 1.0) / h**1.3 * np.sin(h * phase + rng.uniform(0, 6.3))
    attack = np.minimum(1.0, t / rng.uniform(0.02, 0.06))
    release = np.clip((n / SR - t) / 0.05, 0.0, 1.0)
    return x * attack * np.exp(-t / decay_s) * release


def _music(n: int, level_db: float, rng: np.random.Generator) -> Signal:
    """Chords of harmonic tones (bass, triad) changing every 1.5-3 s, with a simple melody."""
    key = 196.0 * 2 ** (int(rng.integers(0, 8)) / 12)  # G3 .. D4

    def pitch(degree: int, octave: int) -> float:
        semis = _MAJOR[degree % 7] + 12 * (degree // 7 + octave)
        return key * 2 ** (semis / 12)

    x = np.zeros(n)
    progression = _PROGRESSIONS[int(rng.integers(0, len(_PROGRESSIONS)))]
    start, step = 0, 0
    tail = round(0.3 * SR)
    while start < n:
        chord_len = min(n - start, round(rng.uniform(1.5, 3.0) * SR))
        seg = min(n - start, chord_len + tail)
        root = progression[step % len(progression)]
        harmonics = int(rng.integers(3, 6))
        decay = rng.uniform(1.5, 3.5)
        voices = [(root, -1, 0.8)] + [(root + d, 0, 0.55) for d in (0, 2, 4)]
        for degree, octave, amp in voices:
            x[start : start + seg] += amp * _tone(
                pitch(degree, octave), seg, rng, decay_s=decay, harmonics=harmonics
            )
        # melody: notes of 0.25-0.6 s from the scale, mostly chord tones, an octave up
        m = start
        while m < start + chord_len:
            note_len = min(start + seg - m, round(rng.uniform(0.25, 0.6) * SR))
            degree = root + int(rng.choice([0, 2, 4, 0, 2, 4, 1, 3, 5]))
            x[m : m + note_len] += 0.7 * _tone(
                pitch(degree, 1), note_len, rng, decay_s=0.8, harmonics=3
            )
            m += note_len
        start += chord_len
        step += 1
    return _to_level(_fade(x, 0.3, 1.0), level_db)


# --------------------------------------------------------------------------- building


def _sha256(*paths: Path) -> str:
    digest = hashlib.sha256()
    for path in paths:
        digest.update(path.read_bytes())
    return digest.hexdigest()


def _decode_sample() -> npt.NDArray[np.int16]:
    raw = subprocess.run(
        ["ffmpeg", "-nostdin", "-v", "error", "-i", str(SAMPLE),
         "-f", "s16le", "-ar", str(SR), "-ac", "1", "-"],
        check=True, capture_output=True,
    ).stdout  # fmt: skip
    return np.frombuffer(raw, dtype="<i2")


def _source_turns(pcm: npt.NDArray[np.int16]) -> list[_SourceTurn]:
    reference = json.loads(SAMPLE_REFERENCE.read_text(encoding="utf-8"))
    pad = round(PAD_S * SR)
    turns = []
    for t in reference["turns"]:
        start, end = round(t["start_s"] * SR), round(t["end_s"] * SR)
        if start - pad < 0 or end + pad > len(pcm):
            raise ValueError(f"sample turn {t!r} lies outside the decoded sample")
        peak = float(np.abs(pcm[start - pad : end + pad].astype(np.float64)).max()) / 32768
        turns.append(_SourceTurn(t["speaker"], t["text"].strip(), start, end, peak))
    for a, b in itertools.pairwise(turns):
        if b.start - pad < a.end + pad:
            raise ValueError("sample turns overlap or lie too close to be cut apart")
    return turns


def _render(
    plan: _Plan, source: list[_SourceTurn], pcm: npt.NDArray[np.int16], seed: int
) -> Iterator[bytes]:
    """The session's raw s16le PCM, one piece at a time."""
    pad = round(PAD_S * SR)
    for index, piece in enumerate(plan.pieces):
        rng = np.random.default_rng([seed, 1, index])
        if piece.kind == "noise":
            x = _room_noise(piece.length, rng)
        elif piece.kind == "turn":
            src = source[piece.turn]
            cut = pcm[src.start - pad : src.end + pad].astype(np.float64) / 32768
            x = cut * piece.gain
        elif piece.kind == "silence":
            x = _room_noise(piece.length, rng)
        elif piece.kind == "applause":
            x = _applause(piece.length, piece.level_db, rng) + _room_noise(piece.length, rng)
        elif piece.kind == "music":
            x = _music(piece.length, piece.level_db, rng) + _room_noise(piece.length, rng)
        else:  # pragma: no cover - the planner makes only the kinds above
            raise AssertionError(piece.kind)
        if len(x) != piece.length:  # pragma: no cover - a bug in a synthesiser
            raise AssertionError(f"{piece.kind}: {len(x)} samples instead of {piece.length}")
        yield np.clip(np.round(x * 32768), -32768, 32767).astype("<i2").tobytes()


def _encode(chunks: Iterator[bytes], dest: Path) -> None:
    """Pipe raw PCM chunks into one ffmpeg process that writes Ogg/Opus to `dest`."""
    with tempfile.TemporaryFile() as errors:
        proc = subprocess.Popen(
            ["ffmpeg", "-nostdin", "-v", "error", "-y",
             "-f", "s16le", "-ar", str(SR), "-ac", "1", "-i", "-",
             *OPUS_ARGS, "-f", "ogg", str(dest)],
            stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=errors,
        )  # fmt: skip
        assert proc.stdin is not None
        try:
            for chunk in chunks:
                proc.stdin.write(chunk)
            proc.stdin.close()
        except BrokenPipeError:
            pass  # ffmpeg died; its exit status and message are reported below
        except BaseException:
            proc.kill()
            proc.wait()
            raise
        if proc.wait() != 0:
            errors.seek(0)
            message = errors.read().decode(errors="replace")[-2000:]
            raise RuntimeError(f"ffmpeg failed ({proc.returncode}): {message}")


def default_event_every_s(minutes: float) -> tuple[float, float]:
    """The default range of speech between two events for a session of `minutes`."""
    scale = min(1.0, max(minutes / 60, 1 / 3))
    return (EVENT_EVERY_S[0] * scale, EVENT_EVERY_S[1] * scale)


def _stem(minutes: float, seed: int, event_every_s: tuple[float, float]) -> str:
    stem = f"longform-{minutes:g}min-s{seed}-v{GENERATOR_VERSION}"
    if event_every_s != default_event_every_s(minutes):
        stem += f"-e{event_every_s[0]:g}-{event_every_s[1]:g}"
    return stem


def _from_manifest(dest_dir: Path, manifest: dict[str, Any]) -> LongRecording:
    def path(key: str) -> Path:
        return dest_dir / str(manifest[key])

    return LongRecording(
        audio=path("audio"),
        rttm=path("rttm"),
        text=path("text"),
        duration_s=float(manifest["duration_s"]),
        speech_s=float(manifest["speech_s"]),
        speakers=int(manifest["speakers"]),
        events=path("events"),
    )


def load_long_recording(manifest_path: Path) -> LongRecording:
    """The recording a manifest (`*.manifest.json`) describes; its paths are beside it."""
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    return _from_manifest(manifest_path.resolve().parent, manifest)


def _write_atomic(path: Path, text: str) -> None:
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_text(text, encoding="utf-8", newline="\n")
    os.replace(tmp, path)


def build_long_recording(
    minutes: float,
    dest_dir: Path,
    *,
    seed: int = 7,
    event_every_s: tuple[float, float] | None = None,
) -> LongRecording:
    """Build (or return the cached) recording of about `minutes` minutes in `dest_dir`.

    The same (minutes, seed, event_every_s, GENERATOR_VERSION) and the same bundled sample
    give the same recording; a complete earlier build in `dest_dir` is returned as it is.
    `event_every_s` is the seeded range of speech between two non-speech events (seconds);
    by default `default_event_every_s(minutes)`: 3-6 minutes from 60 minutes up, 1-2
    minutes for 20 minutes and less.
    """
    if not minutes > 0:
        raise ValueError("minutes must be positive")
    if event_every_s is None:
        event_every_s = default_event_every_s(minutes)
    if not 0 < event_every_s[0] <= event_every_s[1]:
        raise ValueError("event_every_s must be a range (low, high) with 0 < low <= high")
    dest_dir = Path(dest_dir)
    dest_dir.mkdir(parents=True, exist_ok=True)
    stem = _stem(minutes, seed, event_every_s)
    manifest_path = dest_dir / f"{stem}.manifest.json"
    key: dict[str, object] = {
        "generator_version": GENERATOR_VERSION,
        "minutes": minutes,
        "seed": seed,
        "event_every_s": list(event_every_s),
        "sample_sha256": _sha256(SAMPLE, SAMPLE_REFERENCE),
    }
    if manifest_path.exists():
        try:
            manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
            cached = _from_manifest(dest_dir, manifest)
        except (ValueError, KeyError, TypeError):
            pass  # unreadable: build again
        else:
            files = (cached.audio, cached.rttm, cached.text, cached.events)
            if all(manifest.get(k) == v for k, v in key.items()) and all(f.exists() for f in files):
                return cached

    # a stale manifest must not vouch for the files while they are being replaced
    manifest_path.unlink(missing_ok=True)
    started = time.monotonic()
    pcm = _decode_sample()
    source = _source_turns(pcm)
    plan = _plan(source, minutes, seed, event_every_s)
    suffixes = {"audio": "ogg", "rttm": "rttm", "text": "txt", "events": "events.json"}
    names = {part: f"{stem}.{ext}" for part, ext in suffixes.items()}
    audio = dest_dir / names["audio"]
    tmp_audio = dest_dir / f".{stem}.{os.getpid()}.tmp.ogg"
    try:
        _encode(_render(plan, source, pcm, seed), tmp_audio)
        os.replace(tmp_audio, audio)
    finally:
        tmp_audio.unlink(missing_ok=True)

    turns = [SpeakerTurn(s / SR, e / SR, source[i].speaker) for s, e, i in plan.turns]
    tmp_rttm = dest_dir / f".{stem}.{os.getpid()}.tmp.rttm"
    write_rttm(turns, stem, tmp_rttm)
    os.replace(tmp_rttm, dest_dir / names["rttm"])
    _write_atomic(dest_dir / names["text"], "".join(f"{source[i].text}\n" for *_, i in plan.turns))
    events = [
        {"kind": k, "start_s": s / SR, "end_s": e / SR, "level_dbfs": round(level, 1)}
        for k, s, e, level in plan.events
    ]
    _write_atomic(dest_dir / names["events"], json.dumps(events, indent=1) + "\n")
    kinds = [k for k, *_ in plan.events]
    manifest = {
        **key,
        **names,
        "duration_s": plan.total / SR,
        "speech_s": sum(e - s for s, e, _ in plan.turns) / SR,
        "speakers": len({source[i].speaker for *_, i in plan.turns}),
        "turns": len(plan.turns),
        "events_by_kind": {k: kinds.count(k) for k in EVENT_KINDS},
        "build_s": round(time.monotonic() - started, 1),
    }
    _write_atomic(manifest_path, json.dumps(manifest, indent=2) + "\n")
    return _from_manifest(dest_dir, manifest)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--minutes", type=float, required=True)
    parser.add_argument("--out", type=Path, required=True, help="destination folder")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument(
        "--event-every",
        type=float,
        nargs=2,
        default=None,
        metavar=("LOW_S", "HIGH_S"),
        help="speech between two events, seconds (default: scaled to the length)",
    )
    args = parser.parse_args()
    every = None if args.event_every is None else (args.event_every[0], args.event_every[1])
    started = time.monotonic()
    rec = build_long_recording(args.minutes, args.out, seed=args.seed, event_every_s=every)
    manifest_path = rec.audio.with_name(rec.audio.name.removesuffix(".ogg") + ".manifest.json")
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    for key in ("audio", "rttm", "text", "events"):
        manifest[key] = str(getattr(rec, key).resolve())
    manifest["manifest"] = str(manifest_path.resolve())
    manifest["wall_s"] = round(time.monotonic() - started, 1)
    manifest["peak_rss_mb"] = round(peak_rss_mb(), 1)
    print(json.dumps(manifest, indent=2))


if __name__ == "__main__":
    main()
