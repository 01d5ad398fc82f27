"""What kind of file is it, and how long does it say it is? (ffprobe and header checks)

`probe` asks ffprobe for the container and the first audio stream;
`describe_non_media` names common documents and images by their signature so
the user hears "ein PDF-Dokument" instead of a codec error; the WAV and Ogg
checks read the bytes ffprobe does not trust, to tell a truncated file from a
complete one.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
import struct
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from protokoll.errors import CorruptAudioError, NotAudioError

ACCEPTED_FORMATS_HINT = (
    "Bitte eine Aufnahme als WAV, MP3, M4A, OGG/Opus, FLAC oder ein Video mit Tonspur hochladen."
)

_HASH_CHUNK = 1 << 20


_PROBE_TIMEOUT_S = 120


_WAV_PLACEHOLDER_SIZE = 0x7FFF_0000


_OGG_MAX_PAGE = 27 + 255 + 255 * 255


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        while chunk := fh.read(_HASH_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


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


def describe_non_media(path: Path) -> str | None:
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


def looks_like_mp4(path: Path) -> bool:
    """An ISO media file starts with a box such as ftyp (or mdat, when moov comes last)."""
    with path.open("rb") as fh:
        head = fh.read(8)
    return head[4:8] in (b"ftyp", b"mdat", b"moov", b"free", b"skip", b"wide", b"pnot")


def parse_clock(value: object) -> float | None:
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
            f"Formats); die Datei ist vermutlich beschädigt. {ACCEPTED_FORMATS_HINT}"
        ) from None
    stderr = result.stderr.decode("utf-8", "replace")
    try:
        data = json.loads(result.stdout.decode("utf-8", "replace") or "{}")
    except json.JSONDecodeError:
        data = {}
    if result.returncode != 0 or not isinstance(data, dict) or "format" not in data:
        kind = describe_non_media(path)
        if kind:
            raise NotAudioError(
                f"„{path.name}“ ist keine Aufnahme, sondern {kind}. {ACCEPTED_FORMATS_HINT}"
            )
        if "moov atom not found" in stderr and looks_like_mp4(path):
            raise CorruptAudioError(
                f"„{path.name}“ ist beschädigt oder unvollständig: der Datei fehlt das "
                "Inhaltsverzeichnis (MP4/M4A „moov“). Das passiert, wenn die Aufnahme nicht "
                "ordnungsgemäß beendet oder die Datei nicht vollständig übertragen wurde. "
                "Bitte die vollständige Originaldatei hochladen."
            )
        raise NotAudioError(
            f"„{path.name}“ ist keine lesbare Audio- oder Videodatei (Format nicht erkannt, oder "
            f"die Datei ist beschädigt oder unvollständig). {ACCEPTED_FORMATS_HINT}"
        )
    all_streams = [s for s in data.get("streams", []) if isinstance(s, dict)]
    streams = [s for s in all_streams if s.get("codec_type") == "audio"]
    fmt = data.get("format", {})
    if not streams:
        kind = describe_non_media(path)
        if kind:
            raise NotAudioError(
                f"„{path.name}“ ist keine Aufnahme, sondern {kind}. {ACCEPTED_FORMATS_HINT}"
            )
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
    duration = float_or_none(stream.get("duration"))
    if duration is None:
        tags = stream.get("tags") or {}
        duration = parse_clock(tags.get("DURATION") or tags.get("duration"))
    others = [
        s for s in all_streams
        if s is not stream and not (s.get("disposition") or {}).get("attached_pic")
    ]  # fmt: skip
    if duration is None and not others:  # the container's duration is the audio's
        duration = float_or_none(fmt.get("duration"))
    estimate = duration if duration is not None else float_or_none(fmt.get("duration"))
    return {
        "format": fmt.get("format_name", "?"),
        "codec": stream.get("codec_name", "?"),
        "sample_rate": int(float_or_none(stream.get("sample_rate")) or 0),
        "channels": int(stream.get("channels") or 0),
        "duration": None if estimated else duration,
        "duration_estimate": estimate,
    }


def float_or_none(value: object) -> float | None:
    try:
        result = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    return result if math.isfinite(result) else None


def _wav_chunks(fh: BinaryIO) -> Iterator[tuple[bytes, int]]:
    """(id, size) of each chunk of a RIFF/RF64 WAV, with `fh` at the chunk's body while
    the caller looks at it; nothing for a file that is no WAV."""
    head = fh.read(12)
    if len(head) < 12 or head[8:12] != b"WAVE" or head[:4] not in (b"RIFF", b"RF64", b"BW64"):
        return
    while True:
        header = fh.read(8)
        if len(header) < 8:
            return
        chunk_id, size = header[:4], struct.unpack("<I", header[4:])[0]
        body = fh.tell()
        yield chunk_id, size
        fh.seek(body + size + (size & 1))


def wav_declared_duration(path: Path) -> float | None:
    """Duration stated by a RIFF/RF64 WAV header's data chunk; None if unknown.

    ffprobe ignores a data size larger than the file (it estimates from the file size
    instead), so a truncated WAV would otherwise pass as a shorter recording.
    """
    ds64_data_size: int | None = None
    byte_rate = 0
    with path.open("rb") as fh:
        for chunk_id, size in _wav_chunks(fh):
            if chunk_id == b"ds64":
                body = fh.read(size + (size & 1))
                if len(body) >= 16:
                    ds64_data_size = struct.unpack("<Q", body[8:16])[0]
            elif chunk_id == b"fmt ":
                body = fh.read(size + (size & 1))
                if len(body) < 16:
                    return None
                byte_rate = struct.unpack("<I", body[8:12])[0]
            elif chunk_id == b"data":
                if size == 0xFFFFFFFF and ds64_data_size is not None:
                    size = ds64_data_size
                elif size == 0 or size >= _WAV_PLACEHOLDER_SIZE:
                    return None  # written to a pipe or by a recorder that never finished it
                return size / byte_rate if byte_rate else None
    return None


def wav_sample_bytes(path: Path) -> int | None:
    """Bytes of sound actually present after a WAV's data chunk header (whatever size the
    header states); None if the file is no RIFF/RF64 WAV or has no data chunk."""
    with path.open("rb") as fh:
        for chunk_id, _size in _wav_chunks(fh):
            if chunk_id == b"data":
                return max(0, path.stat().st_size - fh.tell())
    return None


def ogg_cut_mid_page(path: Path, size: int) -> bool:
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


def ogg_has_end_marker(path: Path, size: int) -> bool:
    with path.open("rb") as fh:
        fh.seek(max(0, size - _OGG_MAX_PAGE - 64))
        tail = fh.read()
    pos = tail.rfind(b"OggS")
    return pos >= 0 and len(tail) >= pos + 6 and bool(tail[pos + 5] & 0x04)
