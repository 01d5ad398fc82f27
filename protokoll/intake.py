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

import hashlib
import json
import logging
import math
import os
import re
import shutil
import struct
import subprocess
import wave
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

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
_PROBE_TIMEOUT_S = 120
_MIN_DURATION_S = 0.5
# decoded audio may fall short of the declared duration by this much (encoder delay,
# padding, rounding) before the file counts as truncated
_SHORTFALL_TOLERANCE_S = 0.5
_SHORTFALL_TOLERANCE_SHARE = 0.005
# ffmpeg error lines (one per damaged packet) tolerated in a complete file
_DECODE_ERRORS_FREE = 10
_DECODE_ERRORS_PER_MINUTE = 2.0
# WAV data sizes that streaming writers leave as placeholders: the size is unknown
_WAV_PLACEHOLDER_SIZE = 0x7FFF_0000
_OGG_MAX_PAGE = 27 + 255 + 255 * 255
_ACCEPTED = (
    "Bitte eine Aufnahme als WAV, MP3, M4A, OGG/Opus, FLAC oder ein Video mit Tonspur hochladen."
)


@dataclass(frozen=True)
class DecodedAudio:
    """The recording as 16 kHz mono 16-bit PCM WAV on disk, plus what intake learned."""

    info: AudioInfo
    wav_path: Path
    peak_loudness_dbfs: float
    # German notes for the user about tolerated problems (e.g. a few damaged packets)
    warnings: tuple[str, ...] = ()

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


# ---- formatting for messages -------------------------------------------------------------


def _num(value: float, digits: int = 1) -> str:
    return f"{value:.{digits}f}".replace(".", ",")


def _human_duration(seconds: float) -> str:
    if seconds < 120:
        return f"{_num(seconds)} Sekunden"
    if seconds < 2 * 3600:
        return f"{seconds / 60:.0f} Minuten"
    return f"{_num(seconds / 3600)} Stunden"


def _human_size(size: float) -> str:
    if size >= 1024**3:
        return f"{_num(size / 1024**3)} GB"
    return f"{_num(size / 1024**2)} MB"


# ---- what kind of file is it? --------------------------------------------------------------

_SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"%PDF", "ein PDF-Dokument"),
    (b"PK\x03\x04", "ein ZIP-Archiv oder Office-Dokument (z. B. DOCX, ODT)"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "ein altes Office-Dokument (z. B. DOC, XLS)"),
    (b"{\\rtf", "ein RTF-Dokument"),
    (b"\x89PNG\r\n\x1a\n", "ein PNG-Bild"),
    (b"\xff\xd8\xff", "ein JPEG-Bild"),
    (b"GIF87a", "ein GIF-Bild"),
    (b"GIF89a", "ein GIF-Bild"),
    (b"BM", "ein BMP-Bild"),
)


def _describe_non_media(path: Path) -> str | None:
    """A German description of common non-media files, or None if the kind is unknown."""
    with path.open("rb") as fh:
        head = fh.read(4096)
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "ein WebP-Bild"
    for magic, kind in _SIGNATURES:
        if head.startswith(magic) and (magic != b"BM" or len(head) > 26):
            return kind
    if b"\x00" not in head:
        try:
            text = head.decode("utf-8")
        except UnicodeDecodeError as exc:  # a multi-byte character cut at the block end
            text = head[: exc.start].decode("utf-8") if exc.start > len(head) - 4 else ""
        if text and sum(c.isprintable() or c.isspace() for c in text) >= 0.95 * len(text):
            return "eine Textdatei"
    return None


def _looks_like_mp4(path: Path) -> bool:
    """An ISO media file starts with a box such as ftyp (or mdat, when moov comes last)."""
    with path.open("rb") as fh:
        head = fh.read(8)
    return head[4:8] in (b"ftyp", b"mdat", b"moov", b"free", b"skip", b"wide", b"pnot")


# ---- ffprobe -------------------------------------------------------------------------------


def _parse_clock(value: object) -> float | None:
    """Matroska's per-stream DURATION tag, e.g. '01:02:03.500000000'."""
    match = re.fullmatch(r"(\d+):(\d{2}):(\d{2}(?:\.\d+)?)", str(value or "").strip())
    if not match:
        return None
    hours, minutes, secs = match.groups()
    return int(hours) * 3600 + int(minutes) * 60 + float(secs)


def probe(path: Path) -> dict[str, object]:
    """Return ffprobe's view of the first audio stream and the container.

    `duration` is the declared duration of the audio stream where the file states it
    (None where ffprobe only estimated it from the bitrate); `duration_estimate` is
    ffprobe's best guess in any case.
    """
    cmd = [
        "ffprobe", "-v", "warning", "-print_format", "json",
        "-show_format", "-show_streams", str(path),
    ]  # fmt: skip
    try:
        result = subprocess.run(cmd, capture_output=True, check=False, timeout=_PROBE_TIMEOUT_S)
    except subprocess.TimeoutExpired:
        raise NotAudioError(
            f"„{path.name}“ konnte nicht gelesen werden (Zeitüberschreitung beim Erkennen des "
            f"Formats); die Datei ist vermutlich beschädigt. {_ACCEPTED}"
        ) from None
    stderr = result.stderr.decode("utf-8", "replace")
    try:
        data = json.loads(result.stdout.decode("utf-8", "replace") or "{}")
    except json.JSONDecodeError:
        data = {}
    if result.returncode != 0 or not isinstance(data, dict) or "format" not in data:
        kind = _describe_non_media(path)
        if kind:
            raise NotAudioError(f"„{path.name}“ ist keine Aufnahme, sondern {kind}. {_ACCEPTED}")
        if "moov atom not found" in stderr and _looks_like_mp4(path):
            raise CorruptAudioError(
                f"„{path.name}“ ist beschädigt oder unvollständig: der Datei fehlt das "
                "Inhaltsverzeichnis (MP4/M4A „moov“). Das passiert, wenn die Aufnahme nicht "
                "ordnungsgemäß beendet oder die Datei nicht vollständig übertragen wurde. "
                "Bitte die vollständige Originaldatei hochladen."
            )
        raise NotAudioError(
            f"„{path.name}“ ist keine lesbare Audio- oder Videodatei (Format nicht erkannt, oder "
            f"die Datei ist beschädigt oder unvollständig). {_ACCEPTED}"
        )
    all_streams = [s for s in data.get("streams", []) if isinstance(s, dict)]
    streams = [s for s in all_streams if s.get("codec_type") == "audio"]
    fmt = data.get("format", {})
    if not streams:
        kind = _describe_non_media(path)
        if kind:
            raise NotAudioError(f"„{path.name}“ ist keine Aufnahme, sondern {kind}. {_ACCEPTED}")
        found = fmt.get("format_long_name") or fmt.get("format_name") or "?"
        what = (
            "eine Videodatei"
            if any(s.get("codec_type") == "video" for s in all_streams)
            else "eine Datei"
        )
        raise NotAudioError(
            f"„{path.name}“ enthält keine Tonspur (erkannt als {what} im Format {found}). "
            "Bitte eine Datei mit Ton hochladen."
        )
    stream = streams[0]
    estimated = "estimating duration from bitrate" in stderr.lower()
    duration = _float_or_none(stream.get("duration"))
    if duration is None:
        tags = stream.get("tags") or {}
        duration = _parse_clock(tags.get("DURATION") or tags.get("duration"))
    others = [
        s for s in all_streams
        if s is not stream and not (s.get("disposition") or {}).get("attached_pic")
    ]  # fmt: skip
    if duration is None and not others:  # the container's duration is the audio's
        duration = _float_or_none(fmt.get("duration"))
    estimate = duration if duration is not None else _float_or_none(fmt.get("duration"))
    return {
        "format": fmt.get("format_name", "?"),
        "codec": stream.get("codec_name", "?"),
        "sample_rate": int(_float_or_none(stream.get("sample_rate")) or 0),
        "channels": int(stream.get("channels") or 0),
        "duration": None if estimated else duration,
        "duration_estimate": estimate,
    }


def _float_or_none(value: object) -> float | None:
    try:
        result = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    return result if math.isfinite(result) else None


# ---- container checks ffmpeg does not do ------------------------------------------------------


def _wav_declared_duration(path: Path) -> float | None:
    """Duration stated by a RIFF/RF64 WAV header's data chunk; None if unknown.

    ffprobe ignores a data size larger than the file (it estimates from the file size
    instead), so a truncated WAV would otherwise pass as a shorter recording.
    """
    with path.open("rb") as fh:
        head = fh.read(12)
        if len(head) < 12 or head[8:12] not in (b"WAVE",) or head[:4] not in (
            b"RIFF", b"RF64", b"BW64"
        ):  # fmt: skip
            return None
        ds64_data_size: int | None = None
        byte_rate = 0
        while True:
            header = fh.read(8)
            if len(header) < 8:
                return None
            chunk_id, size = header[:4], struct.unpack("<I", header[4:])[0]
            if chunk_id == b"ds64":
                body = fh.read(size + (size & 1))
                if len(body) >= 16:
                    ds64_data_size = struct.unpack("<Q", body[8:16])[0]
                continue
            if chunk_id == b"fmt ":
                body = fh.read(size + (size & 1))
                if len(body) < 16:
                    return None
                byte_rate = struct.unpack("<I", body[8:12])[0]
                continue
            if chunk_id == b"data":
                if size == 0xFFFFFFFF and ds64_data_size is not None:
                    size = ds64_data_size
                elif size == 0 or size >= _WAV_PLACEHOLDER_SIZE:
                    return None  # written to a pipe or by a recorder that never finished it
                return size / byte_rate if byte_rate else None
            fh.seek(size + (size & 1), os.SEEK_CUR)


def _ogg_cut_mid_page(path: Path, size: int) -> bool:
    """True if the Ogg file ends inside a page (cut off during transfer or recording)."""
    with path.open("rb") as fh:
        start = max(0, size - _OGG_MAX_PAGE - 64)
        fh.seek(start)
        tail = fh.read()
    pos = tail.rfind(b"OggS")
    while pos >= 0:
        header = tail[pos : pos + 27]
        if len(header) < 27:
            return True  # the last page header itself is cut
        if header[4] == 0 and header[5] & ~0x07 == 0:
            segments = header[26]
            table = tail[pos + 27 : pos + 27 + segments]
            if len(table) < segments:
                return True
            end = pos + 27 + segments + sum(table)
            if end > len(tail):
                return True
            rest = tail[end:]
            # a few bytes of a next page header ("O", "Og", ...) also mean it was cut
            return bool(rest) and len(rest) < 27 and b"OggS".startswith(rest[:4])
        pos = tail.rfind(b"OggS", 0, pos)
    return False


def _ogg_has_end_marker(path: Path, size: int) -> bool:
    with path.open("rb") as fh:
        fh.seek(max(0, size - _OGG_MAX_PAGE - 64))
        tail = fh.read()
    pos = tail.rfind(b"OggS")
    return pos >= 0 and len(tail) >= pos + 6 and bool(tail[pos + 5] & 0x04)


# ---- decoding ---------------------------------------------------------------------------------


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
            f"„{path.name}“ ist mit {_human_size(size)} größer als die erlaubten "
            f"{_human_size(max_size_bytes)}."
        )
    meta = probe(path)
    declared = meta["duration"] if isinstance(meta["duration"], float) else None
    fmt_name = str(meta["format"])
    if fmt_name == "wav":
        declared = _wav_declared_duration(path) or declared
    if declared is not None and declared > max_duration_s:
        raise InputError(
            f"„{path.name}“ ist {_human_duration(declared)} lang; erlaubt sind höchstens "
            f"{_human_duration(max_duration_s)}."
        )
    warnings: list[str] = []
    if fmt_name == "ogg":
        if _ogg_cut_mid_page(path, size):
            raise CorruptAudioError(
                f"„{path.name}“ ist beschädigt oder unvollständig: die Datei bricht mitten in "
                "einem Datenblock ab (vermutlich nicht vollständig übertragen). Bitte die "
                "vollständige Datei hochladen."
            )
        if not _ogg_has_end_marker(path, size):
            warnings.append(
                f"„{path.name}“ wurde nicht ordnungsgemäß abgeschlossen; möglicherweise fehlt "
                "das Ende der Aufnahme."
            )
    digest = sha256_of(path)
    work_dir.mkdir(parents=True, exist_ok=True)
    wav_path = work_dir / "audio16k.wav"
    try:
        result = _decode_to_wav(
            path,
            wav_path,
            channels=int(meta["channels"]),  # type: ignore[call-overload]
            expected_s=declared or _float_or_none(meta["duration_estimate"]),
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
                f"{_human_duration(duration)} von {_human_duration(declared)}. Bitte die "
                "vollständige Datei hochladen."
            )
    if result.num_samples == 0:
        raise EmptyInputError(
            f"„{path.name}“ enthält keine Audiodaten"
            + (f"; die Datei ist beschädigt oder unvollständig{detail}." if detail else ".")
        )
    if duration < _MIN_DURATION_S:
        raise EmptyInputError(
            f"„{path.name}“ ist nur {_human_duration(duration)} lang und enthält damit keine "
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
            f"„{src.name}“ ist länger als die erlaubten {_human_duration(max_duration_s)}."
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
