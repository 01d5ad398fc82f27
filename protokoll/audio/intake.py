"""Audio intake: check an uploaded recording and decode it to 16 kHz mono PCM.

ffprobe identifies the container and its audio stream; ffmpeg decodes the
first audio stream (any format ffmpeg reads: wav, mp3, m4a/aac, ogg/opus,
flac, the audio track of mp4/mkv/webm video), mixes all channels with equal
gain and resamples to 16 kHz. The decoded samples are streamed in blocks
into a 16-bit WAV file in the job's work folder while loudness is measured, so
memory stays flat whatever the length. Everything a user can get wrong ends in
an `InputError` with a German message.

A truncated or damaged file must never pass as a silently shorter recording.
ffmpeg decodes most truncated files without an error, so intake compares the
decoded length with the length the file declares (ffprobe's stream duration
where it is exact, the data chunk size of WAV files) and checks that an Ogg
file ends with a complete page. Single damaged packets in an otherwise
complete file are tolerated and reported as a warning.
"""

from __future__ import annotations

import logging
import math
import os
import re
import shutil
import subprocess
import wave
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

import numpy as np

from protokoll.audio.mediaprobe import (
    float_or_none,
    ogg_cut_mid_page,
    ogg_has_end_marker,
    probe,
    sha256_of,
    wav_declared_duration,
    wav_sample_bytes,
)
from protokoll.audio.source import SAMPLE_RATE_HZ, AudioSource
from protokoll.domain.progress import ProgressHook, null_hook
from protokoll.domain.stage_results import DecodedAudio
from protokoll.domain.transcript import AudioInfo
from protokoll.errors import (
    CorruptAudioError,
    EmptyInputError,
    InputError,
    SilentAudioError,
)
from protokoll.formatting import duration_de, size_de

log = logging.getLogger(__name__)

_BLOCK_SAMPLES = SAMPLE_RATE_HZ * 10  # 10 s per read
_MIN_DURATION_S = 0.5
# decoded audio may fall short of the declared duration by this much (encoder delay,
# padding, rounding) before the file counts as truncated
_SHORTFALL_TOLERANCE_S = 0.5
_SHORTFALL_TOLERANCE_SHARE = 0.005
# ffmpeg error lines (one per damaged packet) tolerated in a complete file
_DECODE_ERRORS_FREE = 10
_DECODE_ERRORS_PER_MINUTE = 2.0
# WAV data sizes that streaming writers leave as placeholders: the size is unknown


def _require_tools() -> None:
    for tool in ("ffmpeg", "ffprobe"):
        if shutil.which(tool) is None:
            raise InputError(
                f"{tool} ist nicht installiert; ohne ffmpeg kann keine Aufnahme gelesen werden "
                "(Debian/Ubuntu: apt-get install ffmpeg)."
            )


# ---- formatting for messages -------------------------------------------------------------


# ---- what kind of file is it? --------------------------------------------------------------


# ---- ffprobe -------------------------------------------------------------------------------


# ---- container checks ffmpeg does not do ------------------------------------------------------


# ---- decoding ---------------------------------------------------------------------------------


def _dbfs(rms: float) -> float:
    return 20 * math.log10(max(rms, 1e-10))


@dataclass(frozen=True)
class Precheck:
    """What the checks before decoding learned: ffprobe's view and the declared length."""

    meta: dict[str, object]
    declared_s: float | None
    size_bytes: int
    warnings: tuple[str, ...] = ()


def precheck(
    path: Path, *, max_duration_s: float = 8 * 3600, max_size_bytes: int = 20 * 1024**3
) -> Precheck:
    """The checks that need no decoding (seconds even for hours of audio).

    Refuses missing, empty, oversized, non-media, too long and visibly truncated
    files with a German InputError. `decode` runs it first; the web service runs it
    when an upload completes, so a wrong file is refused before it is stored.
    """
    _require_tools()
    if path.is_dir():
        raise InputError(f"„{path}“ ist ein Ordner; bitte die Aufnahme selbst angeben.")
    if not path.is_file():
        raise InputError(f"Die Aufnahme „{path}“ wurde nicht gefunden.")
    if not os.access(path, os.R_OK):
        raise InputError(f"Die Aufnahme „{path}“ kann nicht gelesen werden (keine Leserechte).")
    size = path.stat().st_size
    if size == 0:
        raise EmptyInputError(
            f"„{path.name}“ ist leer (0 Byte). Bitte die Aufnahme erneut hochladen."
        )
    if size > max_size_bytes:
        raise InputError(
            f"„{path.name}“ ist mit {size_de(size)} größer als die erlaubten "
            f"{size_de(max_size_bytes)}."
        )
    meta = probe(path)
    declared = meta["duration"] if isinstance(meta["duration"], float) else None
    fmt_name = str(meta["format"])
    if fmt_name == "wav":
        header_s = wav_declared_duration(path)
        if header_s == 0 or wav_sample_bytes(path) == 0:
            raise EmptyInputError(
                f"„{path.name}“ enthält keine Tonaufnahme: nur den Dateikopf, 0 Sekunden Ton. "
                "Bitte die Aufnahme erneut exportieren und hochladen."
            )
        declared = header_s or declared
    if declared is not None and declared > max_duration_s:
        raise InputError(
            f"„{path.name}“ ist {duration_de(declared)} lang; erlaubt sind höchstens "
            f"{duration_de(max_duration_s)}."
        )
    warnings: list[str] = []
    if fmt_name == "ogg":
        if ogg_cut_mid_page(path, size):
            raise CorruptAudioError(
                f"„{path.name}“ ist beschädigt oder unvollständig: die Datei bricht mitten in "
                "einem Datenblock ab (vermutlich nicht vollständig übertragen). Bitte die "
                "vollständige Datei hochladen."
            )
        if not ogg_has_end_marker(path, size):
            warnings.append(
                f"„{path.name}“ wurde nicht ordnungsgemäß abgeschlossen; möglicherweise fehlt "
                "das Ende der Aufnahme."
            )
    if fmt_name == "wav" and declared is not None:
        estimate = float_or_none(meta["duration_estimate"])
        if estimate is not None and declared > estimate + max(
            _SHORTFALL_TOLERANCE_S, declared * _SHORTFALL_TOLERANCE_SHARE
        ):
            raise CorruptAudioError(
                f"„{path.name}“ ist beschädigt oder unvollständig: die Datei enthält nur "
                f"{duration_de(estimate)} von {duration_de(declared)}. Bitte die "
                "vollständige Datei hochladen."
            )
    return Precheck(meta=meta, declared_s=declared, size_bytes=size, warnings=tuple(warnings))


def decode(
    path: Path,
    work_dir: Path,
    *,
    max_duration_s: float = 8 * 3600,
    max_size_bytes: int = 20 * 1024**3,
    silence_threshold_dbfs: float = -55.0,
    hook: ProgressHook = null_hook,
) -> DecodedAudio:
    """Check and decode `path` into `work_dir/audio16k.wav`; raise InputError if unusable."""
    _require_tools()
    checked = precheck(path, max_duration_s=max_duration_s, max_size_bytes=max_size_bytes)
    meta, declared, size = checked.meta, checked.declared_s, checked.size_bytes
    fmt_name = str(meta["format"])
    warnings = list(checked.warnings)
    digest = sha256_of(path)
    work_dir.mkdir(parents=True, exist_ok=True)
    wav_path = work_dir / "audio16k.wav"
    try:
        result = _decode_to_wav(
            path,
            wav_path,
            channels=int(meta["channels"]),  # type: ignore[call-overload]
            expected_s=declared or float_or_none(meta["duration_estimate"]),
            max_duration_s=max_duration_s,
            hook=hook,
        )
        duration = result.num_samples / SAMPLE_RATE_HZ
        _check_decoded(path, result, duration, declared, warnings)
        if result.peak_dbfs < silence_threshold_dbfs:
            level = (
                "kein Signal, digitale Stille"
                if result.peak_dbfs <= -100
                else f"lautester Abschnitt {result.peak_dbfs:.0f} dBFS"
            )
            raise SilentAudioError(
                f"„{path.name}“ enthält nur Stille ({level}). Bitte prüfen, ob das Mikrofon bei "
                "der Aufnahme eingeschaltet war und die richtige Datei hochgeladen wurde."
            )
    except BaseException:
        wav_path.unlink(missing_ok=True)
        raise
    for note in warnings:
        log.warning("%s", note)
    info = AudioInfo(
        file_name=path.name,
        sha256=digest,
        duration_s=round(duration, 3),
        source_format=fmt_name,
        source_codec=str(meta["codec"]),
        source_sample_rate_hz=int(meta["sample_rate"]),  # type: ignore[call-overload]
        source_channels=int(meta["channels"]),  # type: ignore[call-overload]
        size_bytes=size,
    )
    log.info("Intake: %s, %.1f s, %s/%s", path.name, duration, fmt_name, meta["codec"])
    return DecodedAudio(
        info=info,
        wav_path=wav_path,
        peak_loudness_dbfs=round(result.peak_dbfs, 1),
        warnings=tuple(warnings),
    )


@dataclass(frozen=True)
class _DecodeResult:
    num_samples: int
    peak_dbfs: float
    returncode: int
    error_count: int
    first_errors: tuple[str, ...]


def _check_decoded(
    path: Path,
    result: _DecodeResult,
    duration: float,
    declared: float | None,
    warnings: list[str],
) -> None:
    """Refuse truncated, damaged, empty or too short decodes; note tolerated damage."""
    detail = f" (ffmpeg: {result.first_errors[0]})" if result.first_errors else ""
    if result.returncode != 0:
        raise CorruptAudioError(
            f"„{path.name}“ ist beschädigt und kann nicht vollständig gelesen werden{detail}."
        )
    if declared is not None:
        tolerance = max(_SHORTFALL_TOLERANCE_S, declared * _SHORTFALL_TOLERANCE_SHARE)
        if duration < declared - tolerance:
            raise CorruptAudioError(
                f"„{path.name}“ ist beschädigt oder unvollständig: lesbar sind nur "
                f"{duration_de(duration)} von {duration_de(declared)}. Bitte die "
                "vollständige Datei hochladen."
            )
    if result.num_samples == 0:
        raise EmptyInputError(
            f"„{path.name}“ enthält keine Audiodaten"
            + (f"; die Datei ist beschädigt oder unvollständig{detail}." if detail else ".")
        )
    if duration < _MIN_DURATION_S:
        raise EmptyInputError(
            f"„{path.name}“ ist nur {duration_de(duration)} lang und enthält damit keine "
            "verwertbare Aufnahme."
        )
    allowed = max(_DECODE_ERRORS_FREE, _DECODE_ERRORS_PER_MINUTE * duration / 60)
    if result.error_count > allowed:
        raise CorruptAudioError(
            f"„{path.name}“ ist beschädigt: beim Lesen traten {result.error_count} Fehler auf"
            f"{detail}. Bitte die Originaldatei erneut hochladen."
        )
    if result.error_count:
        warnings.append(
            f"„{path.name}“ enthält {result.error_count} beschädigte Stelle(n); dort kann "
            "Text fehlen."
        )


_REPEATED = re.compile(r"last message repeated (\d+) times?", re.IGNORECASE)


def _downmix_filter(channels: int) -> list[str]:
    """Mix every channel with the same gain; ffmpeg's own downmix would drop LFE (5.1).

    More than two channels are usually separate microphones (multitrack recorders,
    conference systems), each silent while the others speak: 1/sqrt(n) keeps the level of
    one voice far higher than a plain average (1/n) and clips only if all channels carry
    the same sound close to full scale.
    """
    if channels <= 2:
        return []
    gain = f"{1 / math.sqrt(channels):.4f}"
    mix = "+".join(f"{gain}*c{i}" for i in range(channels))
    return ["-af", f"pan=mono|c0={mix}"]


def _decode_to_wav(
    src: Path,
    dst: Path,
    *,
    channels: int,
    expected_s: float | None,
    max_duration_s: float,
    hook: ProgressHook,
) -> _DecodeResult:
    """Stream ffmpeg's 16 kHz mono s16le output into a WAV file, measuring loudness."""
    cmd = [
        "ffmpeg", "-nostdin", "-hide_banner", "-nostats", "-v", "error", "-i", str(src),
        "-map", "0:a:0", "-vn", "-sn", "-dn", *_downmix_filter(channels),
        "-ac", "1", "-ar", str(SAMPLE_RATE_HZ), "-f", "s16le", "-acodec", "pcm_s16le", "pipe:1",
    ]  # fmt: skip
    err_path = dst.with_suffix(".ffmpeg.log")
    total = expected_s or 0.0
    max_samples = int((max_duration_s + 1.0) * SAMPLE_RATE_HZ)
    num_samples = 0
    peak_rms = 0.0
    too_long = False
    carry = np.zeros(0, dtype=np.int16)
    odd = b""
    try:
        with err_path.open("w+b") as err, wave.open(str(dst), "wb") as out:
            out.setnchannels(1)
            out.setsampwidth(2)
            out.setframerate(SAMPLE_RATE_HZ)
            proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=err)
            assert proc.stdout is not None
            try:
                while raw := proc.stdout.read(_BLOCK_SAMPLES * 2):
                    raw = odd + raw
                    odd = raw[len(raw) & ~1 :]
                    block = np.frombuffer(raw[: len(raw) & ~1], dtype=np.int16)
                    out.writeframes(block.tobytes())
                    num_samples += len(block)
                    # loudness per full second (the remainder carries into the next block);
                    # the mean is removed so a DC offset does not count as sound
                    block = np.concatenate([carry, block])
                    whole = len(block) // SAMPLE_RATE_HZ * SAMPLE_RATE_HZ
                    if whole:
                        secs = block[:whole].astype(np.float32).reshape(-1, SAMPLE_RATE_HZ)
                        secs = (secs - secs.mean(axis=1, keepdims=True)) / 32768.0
                        peak_rms = max(peak_rms, float(np.sqrt((secs**2).mean(axis=1)).max()))
                    carry = block[whole:]
                    done = num_samples / SAMPLE_RATE_HZ
                    hook("intake", done, max(total, done))
                    if num_samples > max_samples:
                        too_long = True
                        proc.kill()
                        break
            finally:
                proc.stdout.close()
                returncode = proc.wait()
            if len(carry) >= SAMPLE_RATE_HZ // 10:  # a tail shorter than 0.1 s says little
                tail = carry.astype(np.float32) / 32768.0
                tail -= tail.mean()
                peak_rms = max(peak_rms, float(np.sqrt((tail**2).mean())))
            err.seek(0)
            error_count, first_errors = _read_errors(err)
    finally:
        err_path.unlink(missing_ok=True)
    if too_long:
        raise InputError(
            f"„{src.name}“ ist länger als die erlaubten {duration_de(max_duration_s)}."
        )
    if returncode != 0 and num_samples == 0:
        raise CorruptAudioError(
            f"„{src.name}“ kann nicht dekodiert werden; die Datei ist beschädigt oder "
            f"unvollständig (ffmpeg: {first_errors[0] if first_errors else 'unbekannter Fehler'})."
        )
    if error_count:  # decode() decides whether they matter; warnings come from there
        log.info(
            "ffmpeg meldete %d Fehler beim Dekodieren von %s: %s",
            error_count, src.name, list(first_errors),
        )  # fmt: skip
    return _DecodeResult(num_samples, _dbfs(peak_rms), returncode, error_count, first_errors)


def _read_errors(err: BinaryIO) -> tuple[int, tuple[str, ...]]:
    """Count ffmpeg's error lines (line by line: the log may be long); keep the first three."""
    count = 0
    first: list[str] = []
    for raw_line in err:
        line = raw_line.decode("utf-8", "replace").strip()
        if not line:
            continue
        repeated = _REPEATED.search(line)
        if repeated:
            count += int(repeated.group(1))
            continue
        count += 1
        if len(first) < 3:
            first.append(re.sub(r"^\[[^\]]*\]\s*", "", line))
    return count, tuple(first)


def read_wav(path: Path) -> np.ndarray:
    """Load a decoded 16 kHz mono WAV as float32 in [-1, 1] (short recordings; the
    pipeline reads long ones in blocks through `protokoll.audio.source.AudioSource`)."""
    return AudioSource.from_wav(path).read_all()


@contextmanager
def linked_as(path: Path, name: str, folder: Path) -> Iterator[Path]:
    """`path` under the user's file name (a hard link in `folder`, removed afterwards), so
    that intake's messages name the file as the user knows it, not by its stored name."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
        named = folder / bounded_name(name)
        named.unlink(missing_ok=True)
        os.link(path, named)
        yield named
    finally:
        shutil.rmtree(folder, ignore_errors=True)


MAX_NAME_BYTES = 200  # file systems allow 255 bytes per name; room for suffixes


def bounded_name(name: str, limit: int = MAX_NAME_BYTES) -> str:
    """`name` as one path component of at most `limit` bytes (UTF-8), its suffix kept: a
    user's file name of any length can then be used on disk ("€" takes three bytes)."""
    name = name.replace("/", "_").replace("\0", "_").strip() or "aufnahme"
    if name in (".", ".."):
        name = "aufnahme"
    if len(name.encode("utf-8")) <= limit:
        return name
    stem, dot, suffix = name.rpartition(".")
    if not dot or len(suffix.encode("utf-8")) > 16:
        stem, suffix = name, ""
    room = limit - len(suffix.encode("utf-8")) - (1 if suffix else 0) - len("…".encode())
    short = stem.encode("utf-8")[:room].decode("utf-8", "ignore")
    return f"{short}…{'.' + suffix if suffix else ''}"
