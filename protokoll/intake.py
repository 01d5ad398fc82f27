"""Audio intake: check an uploaded recording and decode it to 16 kHz mono PCM.

ffprobe identifies the container and its audio stream; ffmpeg decodes the
first audio stream (any format ffmpeg reads: wav, mp3, m4a/aac, ogg/opus,
flac, the audio track of mp4/mkv/webm video), downmixes all channels and
resamples to 16 kHz. The decoded samples are streamed in blocks into a 16-bit
WAV file in the job's work folder while loudness is measured, so memory stays
flat whatever the length. Everything a user can get wrong ends in an
`InputError` with a German message.
"""

from __future__ import annotations

import hashlib
import json
import logging
import math
import shutil
import subprocess
import wave
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from protokoll.errors import (
    CorruptAudioError,
    EmptyInputError,
    InputError,
    NotAudioError,
    SilentAudioError,
)
from protokoll.progress import ProgressHook, null_hook
from protokoll.transcript import AudioInfo

log = logging.getLogger(__name__)

SAMPLE_RATE_HZ = 16_000
_BLOCK_SAMPLES = SAMPLE_RATE_HZ * 10  # 10 s per read
_HASH_CHUNK = 1 << 20
# decoded audio shorter than this share of the container's declared duration is truncated
_MIN_DECODED_SHARE = 0.97
_MIN_DURATION_S = 0.5


@dataclass(frozen=True)
class DecodedAudio:
    """The recording as 16 kHz mono 16-bit PCM WAV on disk, plus what intake learned."""

    info: AudioInfo
    wav_path: Path
    peak_loudness_dbfs: float

    @property
    def duration_s(self) -> float:
        return self.info.duration_s


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        while chunk := fh.read(_HASH_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _require_tools() -> None:
    for tool in ("ffmpeg", "ffprobe"):
        if shutil.which(tool) is None:
            raise InputError(
                f"{tool} ist nicht installiert; ohne ffmpeg kann keine Aufnahme gelesen werden "
                "(Debian/Ubuntu: apt-get install ffmpeg)."
            )


def probe(path: Path) -> dict[str, object]:
    """Return ffprobe's view of the first audio stream and the container."""
    cmd = [
        "ffprobe", "-v", "error", "-print_format", "json",
        "-show_format", "-show_streams", str(path),
    ]  # fmt: skip
    result = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise NotAudioError(
            f"„{path.name}“ ist keine lesbare Audio- oder Videodatei (Format nicht erkannt "
            "oder Datei beschädigt). Bitte eine Aufnahme als WAV, MP3, M4A, OGG/Opus, FLAC "
            "oder ein Video mit Tonspur hochladen."
        )
    data = json.loads(result.stdout or "{}")
    streams = [s for s in data.get("streams", []) if s.get("codec_type") == "audio"]
    fmt = data.get("format", {})
    if not streams:
        raise NotAudioError(
            f"„{path.name}“ enthält keine Tonspur (erkannt als {fmt.get('format_long_name', '?')})."
            " Bitte eine Datei mit Ton hochladen."
        )
    stream = streams[0]
    return {
        "format": fmt.get("format_name", "?"),
        "codec": stream.get("codec_name", "?"),
        "sample_rate": int(stream.get("sample_rate") or 0),
        "channels": int(stream.get("channels") or 0),
        "duration": _float_or_none(stream.get("duration")) or _float_or_none(fmt.get("duration")),
    }


def _float_or_none(value: object) -> float | None:
    try:
        result = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    return result if math.isfinite(result) else None


def _dbfs(rms: float) -> float:
    return 20 * math.log10(max(rms, 1e-10))


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
    if not path.is_file():
        raise InputError(f"Die Datei „{path}“ wurde nicht gefunden.")
    size = path.stat().st_size
    if size == 0:
        raise EmptyInputError(
            f"„{path.name}“ ist leer (0 Byte). Bitte die Aufnahme erneut hochladen."
        )
    if size > max_size_bytes:
        raise InputError(
            f"„{path.name}“ ist mit {size / 1024**3:.1f} GB größer als die erlaubten "
            f"{max_size_bytes / 1024**3:.0f} GB."
        )
    meta = probe(path)
    declared = meta["duration"]
    if isinstance(declared, float) and declared > max_duration_s:
        raise InputError(
            f"„{path.name}“ ist {declared / 3600:.1f} Stunden lang; erlaubt sind höchstens "
            f"{max_duration_s / 3600:.0f} Stunden."
        )
    digest = sha256_of(path)
    work_dir.mkdir(parents=True, exist_ok=True)
    wav_path = work_dir / "audio16k.wav"
    num_samples, peak_dbfs, errors = _decode_to_wav(
        path, wav_path, declared if isinstance(declared, float) else None, hook
    )
    duration = num_samples / SAMPLE_RATE_HZ
    if num_samples == 0 or duration < _MIN_DURATION_S:
        raise EmptyInputError(
            f"„{path.name}“ enthält keine verwertbaren Audiodaten"
            + (" (die Datei ist beschädigt)." if errors else ".")
        )
    if isinstance(declared, float) and declared > 5 and duration < declared * _MIN_DECODED_SHARE:
        raise CorruptAudioError(
            f"„{path.name}“ ist unvollständig oder beschädigt: lesbar sind nur "
            f"{duration:.0f} von {declared:.0f} Sekunden. Bitte die vollständige Datei hochladen."
        )
    if errors and _is_fatal(errors):
        raise CorruptAudioError(
            f"„{path.name}“ ist beschädigt und kann nicht vollständig gelesen werden ({errors[0]})."
        )
    if peak_dbfs < silence_threshold_dbfs:
        raise SilentAudioError(
            f"„{path.name}“ enthält nur Stille (lautester Abschnitt {peak_dbfs:.0f} dBFS). "
            "Bitte prüfen, ob das Mikrofon bei der Aufnahme eingeschaltet war."
        )
    info = AudioInfo(
        file_name=path.name,
        sha256=digest,
        duration_s=round(duration, 3),
        source_format=str(meta["format"]),
        source_codec=str(meta["codec"]),
        source_sample_rate_hz=int(meta["sample_rate"]),  # type: ignore[call-overload]
        source_channels=int(meta["channels"]),  # type: ignore[call-overload]
        size_bytes=size,
    )
    log.info("Intake: %s, %.1f s, %s/%s", path.name, duration, meta["format"], meta["codec"])
    return DecodedAudio(info=info, wav_path=wav_path, peak_loudness_dbfs=round(peak_dbfs, 1))


_FATAL_MARKERS = ("invalid data", "error while decoding", "corrupt", "truncat", "end of file")


def _is_fatal(errors: list[str]) -> bool:
    return any(marker in e.lower() for e in errors for marker in _FATAL_MARKERS)


def _decode_to_wav(
    src: Path, dst: Path, declared_s: float | None, hook: ProgressHook
) -> tuple[int, float, list[str]]:
    """Stream ffmpeg's 16 kHz mono s16le output into a WAV file; return samples, peak dBFS."""
    cmd = [
        "ffmpeg", "-nostdin", "-hide_banner", "-v", "error", "-i", str(src),
        "-map", "0:a:0", "-vn", "-sn", "-dn", "-ac", "1", "-ar", str(SAMPLE_RATE_HZ),
        "-f", "s16le", "-acodec", "pcm_s16le", "pipe:1",
    ]  # fmt: skip
    err_path = dst.with_suffix(".ffmpeg.log")
    total = declared_s or 0.0
    num_samples = 0
    peak_rms = 0.0
    carry = np.zeros(0, dtype=np.int16)
    with err_path.open("w+b") as err, wave.open(str(dst), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(SAMPLE_RATE_HZ)
        proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=err)
        assert proc.stdout is not None
        try:
            while raw := proc.stdout.read(_BLOCK_SAMPLES * 2):
                if len(raw) % 2:
                    raw = raw[:-1]
                block = np.frombuffer(raw, dtype=np.int16)
                out.writeframes(block.tobytes())
                num_samples += len(block)
                # loudness per full second (carry the remainder into the next block)
                block = np.concatenate([carry, block])
                whole = len(block) // SAMPLE_RATE_HZ * SAMPLE_RATE_HZ
                if whole:
                    secs = block[:whole].astype(np.float32).reshape(-1, SAMPLE_RATE_HZ) / 32768.0
                    peak_rms = max(peak_rms, float(np.sqrt((secs**2).mean(axis=1)).max()))
                carry = block[whole:]
                hook("intake", num_samples / SAMPLE_RATE_HZ, max(total, num_samples / 16000))
        finally:
            proc.stdout.close()
            returncode = proc.wait()
        if len(carry):
            tail = carry.astype(np.float32) / 32768.0
            peak_rms = max(peak_rms, float(np.sqrt((tail**2).mean())))
        err.seek(0)
        errors = [ln for ln in err.read().decode("utf-8", "replace").splitlines() if ln.strip()]
    err_path.unlink(missing_ok=True)
    if returncode != 0 and num_samples == 0:
        raise CorruptAudioError(
            f"„{src.name}“ kann nicht dekodiert werden: {errors[-1] if errors else 'unbekannt'}."
        )
    if errors:
        log.warning("ffmpeg meldete beim Dekodieren von %s: %s", src.name, errors[:3])
    return num_samples, _dbfs(peak_rms), errors


def read_wav(path: Path) -> np.ndarray:
    """Load a decoded 16 kHz mono WAV as float32 in [-1, 1]."""
    with wave.open(str(path), "rb") as wav:
        if wav.getframerate() != SAMPLE_RATE_HZ or wav.getnchannels() != 1:
            raise InputError(f"{path} ist keine 16-kHz-Mono-Datei.")
        n = wav.getnframes()
        out = np.empty(n, dtype=np.float32)
        pos = 0
        while pos < n:
            frames = np.frombuffer(wav.readframes(_BLOCK_SAMPLES * 6), dtype=np.int16)
            if not len(frames):
                break
            out[pos : pos + len(frames)] = frames / np.float32(32768.0)
            pos += len(frames)
    return out[:pos]
