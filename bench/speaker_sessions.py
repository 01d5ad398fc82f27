"""Council-like sessions built from real voices, with exact speaker turns.

A session has a chair who holds about 35% of the talk time in short turns
between the members' contributions, and a long tail of members: most speak
once, a few several times, each turn 5–30 s (bounded by how much of the
voice's material exists, so a 5 s voice is not looped six times). Speakers sit
at different distances from the microphone: levels differ by up to 15 dB.
About a quarter of the turn changes overlap by 0.3–1 s.

Seat levels (`seat_levels`):

* `gain` (the benchmark's sessions): every voice is brought to the chair's speech
  level and every seat's room response to the chair's energy, so the drawn gain sets
  a member's level at the microphone, 0 to 15 dB below the chair (measured on the dev
  sessions: 19 dB below to 3 dB above, as an excerpt's level differs a little from its
  recording's), as in a chamber where each seat has a desk microphone. Far seats
  still sound more reverberant.
* `room`: the voices keep their recordings' levels and the room's distance loss comes
  on top of the gain, as with a single microphone at the chair's desk: members arrive
  from 37 dB below the chair to 7 dB above it (the dev sessions), the quietest under
  the noise. Sessions built before 2026-12-04 (third stop) were built this way; it
  stays as a stress variant. `python bench/speaker_misses.py --levels` measures both.

Room conditions (`condition`):

* `clean`: levels and overlaps only.
* `hall`: each seat gets its own impulse response in a council chamber
  (pyroomacoustics image-source model, RT60 0.4–0.9 s), plus pink and babble
  noise at 15–25 dB SNR.
* `pa`: as `hall`, but speech reaches the microphone through a public-address
  loudspeaker: band-limited to 200–4000 Hz and softly clipped, before the room.

Everything is drawn from `numpy.random.default_rng(seed)`: the same seed gives
the same session, sample for sample.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from bench.speaker_voices import SAMPLE_RATE_HZ, Voice
from protokoll.domain.transcript import SpeakerTurn

CONDITIONS = ("clean", "hall", "pa")
SEAT_LEVELS = ("gain", "room")
CHAIR_SHARE = 0.35


@dataclass(frozen=True)
class Session:
    uri: str
    audio: np.ndarray
    turns: list[SpeakerTurn]

    @property
    def num_speakers(self) -> int:
        return len({t.speaker for t in self.turns})


def _excerpt(voice: Voice, seconds: float, rng: np.random.Generator) -> np.ndarray:
    """A contiguous stretch of the voice (wrapping around at the end)."""
    n = min(int(seconds * SAMPLE_RATE_HZ), voice.audio.size * 2)
    start = int(rng.integers(0, voice.audio.size))
    idx = (start + np.arange(n)) % voice.audio.size
    return voice.audio[idx]


def _schedule(
    n_members: int, material_s: list[float], rng: np.random.Generator
) -> list[tuple[int, float]]:
    """(member index, seconds) per member turn; member 0 of the list is the first to speak."""
    # long tail: 60% speak once, 25% twice, 15% three or four times
    times = rng.choice([1, 2, 3, 4], size=n_members, p=[0.6, 0.25, 0.1, 0.05])
    turns = [
        (m, float(min(rng.uniform(5, 30), max(5.0, 2 * material_s[m]))))
        for m in range(n_members)
        for _ in range(times[m])
    ]
    order = rng.permutation(len(turns))
    return [turns[i] for i in order]


def _pink(n: int, rng: np.random.Generator) -> np.ndarray:
    spectrum = np.fft.rfft(rng.normal(size=n))
    spectrum /= np.sqrt(np.maximum(np.arange(spectrum.size), 1))
    noise = np.fft.irfft(spectrum, n)
    return (noise / (np.std(noise) + 1e-9)).astype(np.float32)


def _babble(voices: list[Voice], n: int, rng: np.random.Generator) -> np.ndarray:
    """Six far-off voices at once, their words unintelligible: the murmur of a public."""
    out = np.zeros(n, dtype=np.float32)
    for v in rng.choice(len(voices), size=min(6, len(voices)), replace=False):
        idx = (int(rng.integers(0, voices[v].audio.size)) + np.arange(n)) % voices[v].audio.size
        out += voices[v].audio[idx]
    return out / (np.std(out) + 1e-9)


def _band(audio: np.ndarray, low_hz: float, high_hz: float) -> np.ndarray:
    # lazy: scipy.signal is only needed for the loudspeaker condition
    from scipy.signal import butter, sosfilt

    sos = butter(4, [low_hz, high_hz], btype="band", fs=SAMPLE_RATE_HZ, output="sos")
    return np.asarray(sosfilt(sos, audio), dtype=np.float32)


def _room_irs(n: int, rng: np.random.Generator) -> list[np.ndarray]:
    """One impulse response per seat in a council chamber, microphone at the chair's desk."""
    # lazy: pyroomacoustics is a benchmark-only dependency
    import pyroomacoustics as pra

    dims = [rng.uniform(10, 16), rng.uniform(7, 11), rng.uniform(3, 4.5)]
    rt60 = rng.uniform(0.4, 0.9)
    absorption, max_order = pra.inverse_sabine(rt60, dims)
    room = pra.ShoeBox(
        dims, fs=SAMPLE_RATE_HZ, materials=pra.Material(absorption), max_order=min(max_order, 12)
    )
    mic = np.array([dims[0] / 2, 1.5, 1.2])
    room.add_microphone(mic)
    for k in range(n):
        seat = (
            mic + np.array([0.0, 0.6, 0.0])  # the chair sits at the microphone
            if k == 0
            else [rng.uniform(1, dims[0] - 1), rng.uniform(2.5, dims[1] - 1), 1.2]
        )
        room.add_source(seat)
    room.compute_rir()
    return [np.asarray(room.rir[0][k], dtype=np.float32) for k in range(n)]


def _rms(audio: np.ndarray) -> float:
    return max(float(np.sqrt(np.mean(audio.astype(np.float64) ** 2))), 1e-9)


def level_seats(irs: list[np.ndarray]) -> list[np.ndarray]:
    """Every seat's impulse response scaled to the energy of the chair's (the first)."""
    chair = float(np.sum(irs[0].astype(np.float64) ** 2))
    return [
        (ir * np.sqrt(chair / max(float(np.sum(ir.astype(np.float64) ** 2)), 1e-12))).astype(
            np.float32
        )
        for ir in irs
    ]


def build_council(
    voices: list[Voice],
    n_speakers: int,
    seed: int,
    condition: str,
    uri: str,
    seat_levels: str = "gain",
    levels_db: dict[str, list[float]] | None = None,
) -> Session:
    """A session of `n_speakers` distinct voices from `voices` (the chair is the first).

    `levels_db`, if given, receives each turn's level at the microphone (dB, before the
    noise), per voice id."""
    # lazy: scipy.signal is only needed to build sessions
    from scipy.signal import fftconvolve

    if condition not in CONDITIONS:
        raise ValueError(f"unknown condition {condition!r}")
    if seat_levels not in SEAT_LEVELS:
        raise ValueError(f"unknown seat levels {seat_levels!r}")
    if n_speakers > len(voices):
        raise ValueError(f"{n_speakers} speakers asked for, {len(voices)} voices in the split")
    rng = np.random.default_rng(seed)
    chosen = [voices[i] for i in rng.choice(len(voices), size=n_speakers, replace=False)]
    chosen.sort(key=lambda v: -v.audio.size)  # the chair has the most material
    members = chosen[1:]  # chosen[0] is the chair
    gains = [1.0] + [10 ** (-rng.uniform(0, 15) / 20) for _ in members]
    if seat_levels == "gain":
        gains = [
            g * _rms(chosen[0].audio) / _rms(v.audio) for g, v in zip(gains, chosen, strict=True)
        ]
    irs = _room_irs(n_speakers, rng) if condition != "clean" else None
    if irs is not None and seat_levels == "gain":
        irs = level_seats(irs)

    plan: list[tuple[int, float]] = []
    for m, seconds in _schedule(
        len(members), [v.audio.size / SAMPLE_RATE_HZ for v in members], rng
    ):
        chair_s = float(
            np.clip(seconds * CHAIR_SHARE / (1 - CHAIR_SHARE) * rng.uniform(0.5, 1.5), 2, 25)
        )
        plan += [(0, chair_s), (m + 1, seconds)]
    plan.append((0, float(rng.uniform(4, 10))))

    pieces: list[tuple[int, np.ndarray]] = []
    turns: list[SpeakerTurn] = []
    pos = int(SAMPLE_RATE_HZ * 0.5)
    for speaker, seconds in plan:
        voice = chosen[speaker]
        clean = _excerpt(voice, seconds, rng) * gains[speaker]
        dry_n = clean.size
        if condition == "pa":
            clean = np.tanh(3 * _band(clean, 200, 4000)) / 3
        if irs is not None:
            clean = fftconvolve(clean, irs[speaker])[: dry_n + SAMPLE_RATE_HZ // 2].astype(
                np.float32
            )
        if turns and rng.random() < 0.25:
            pos -= int(rng.uniform(0.3, 1.0) * SAMPLE_RATE_HZ)  # overlap at the change
            pos = max(pos, int(turns[-1].start_s * SAMPLE_RATE_HZ) + SAMPLE_RATE_HZ)
        pieces.append((pos, clean))
        if levels_db is not None:
            level = 10 * np.log10(np.mean(clean.astype(np.float64) ** 2) + 1e-20)
            levels_db.setdefault(voice.id, []).append(float(level))
        turns.append(SpeakerTurn(pos / SAMPLE_RATE_HZ, (pos + dry_n) / SAMPLE_RATE_HZ, voice.id))
        pos += dry_n + int(rng.uniform(0.2, 1.2) * SAMPLE_RATE_HZ)

    audio = np.zeros(pos + SAMPLE_RATE_HZ, dtype=np.float32)
    for start, piece in pieces:
        audio[start : start + piece.size] += piece[: audio.size - start]
    if condition != "clean":
        snr_db = rng.uniform(15, 25)
        speech_rms = np.sqrt(np.mean(audio[audio != 0] ** 2))
        others = [v for v in voices if v not in chosen]  # the public is not on the council
        noise = 0.6 * _pink(audio.size, rng)
        if len(others) >= 3:
            noise = noise + 0.8 * _babble(others, audio.size, rng)
        noise *= speech_rms / (np.std(noise) + 1e-9) * 10 ** (-snr_db / 20)
        audio = audio + noise.astype(np.float32)
    audio *= 0.5 / max(1e-6, float(np.max(np.abs(audio))))
    return Session(uri, audio.astype(np.float32), turns)


def member_levels_db(
    voices: list[Voice], n_speakers: int, seed: int, condition: str, seat_levels: str = "gain"
) -> list[float]:
    """Each member's mean level at the microphone relative to the chair's (dB), sorted."""
    levels: dict[str, list[float]] = {}
    session = build_council(voices, n_speakers, seed, condition, "levels", seat_levels, levels)
    chair = float(np.mean(levels[session.turns[0].speaker]))
    return sorted(
        float(np.mean(v)) - chair for k, v in levels.items() if k != session.turns[0].speaker
    )
