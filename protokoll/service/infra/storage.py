"""Files on disk: where recordings, uploads and job folders live, and how uploads stream.

    data_dir/
      uploads/<upload id>.part                  resumable uploads in progress
      meetings/<meeting id>/agenda/<file>       the agenda as uploaded
      meetings/<meeting id>/recordings/<id>.<ext>
      meetings/<meeting id>/jobs/<job id>/work  checkpoints (decoded audio, stage results)
      meetings/<meeting id>/jobs/<job id>/out   the finished documents
      meetings/<meeting id>/veroeffentlicht     the published minutes (after approval)
      mandanten/<key>/meetings/...              the same for every other municipality
      mandanten/<key>/vorlagen/                 its DOCX template (letterhead)

Stored names are generated (ids and a fixed extension); the name the user gave
is kept only in the database, for display. Uploads are written in chunks of a
fixed size, never held in memory, and become a recording only after they are
complete and checked, by one rename.
"""

from __future__ import annotations

import errno
import fcntl
import os
import re
import shutil
import unicodedata
from collections.abc import AsyncIterator
from dataclasses import dataclass, replace
from pathlib import Path

from protokoll.audio.intake import Precheck, linked_as, precheck
from protokoll.audio.mediaprobe import ACCEPTED_FORMATS_HINT, describe_non_media
from protokoll.documents.artifacts import file_sha256
from protokoll.errors import InputError, NotAudioError
from protokoll.formatting import size_de
from protokoll.service.infra.tables import DEFAULT_MUNICIPALITY

# a municipality's key: lower-case letters, digits, hyphens (it names its folder)
MUNICIPALITY_KEY = re.compile(r"[a-z0-9][a-z0-9-]{1,38}[a-z0-9]")

# container signatures of the audio and video formats intake reads
_MEDIA_MAGIC: tuple[tuple[int, bytes, str], ...] = (
    (0, b"RIFF", "wav"),
    (0, b"RF64", "wav"),
    (0, b"BW64", "wav"),
    (0, b"OggS", "ogg"),
    (0, b"fLaC", "flac"),
    (0, b"ID3", "mp3"),
    (0, b"\x1a\x45\xdf\xa3", "mkv"),
    (4, b"ftyp", "m4a"),
    (0, b"\x30\x26\xb2\x75", "wma"),
)


class UploadError(InputError):
    """The upload cannot be accepted; the message says why (German)."""


class StorageFull(UploadError):
    """The server's disk is full (HTTP 507); the upload keeps what it had."""


class UploadConflict(UploadError):
    """A chunk does not continue the upload where it stands (the client resumes)."""

    def __init__(self, message: str, offset: int) -> None:
        super().__init__(message)
        self.offset = offset


def safe_display_name(name: str) -> str:
    """The user's file name for display: no path, no control characters, at most 200 chars."""
    name = unicodedata.normalize("NFC", name).replace("\\", "/").rsplit("/", 1)[-1]
    name = re.sub(r"[\x00-\x1f\x7f]", "", name).strip().lstrip(".")
    return name[:200] or "aufnahme"


def sniff_media(path: Path) -> str:
    """The container by its first bytes; NotAudioError for anything else, whatever its name."""
    with path.open("rb") as fh:
        head = fh.read(64)
    for offset, magic, kind in _MEDIA_MAGIC:
        if head[offset : offset + len(magic)] == magic:
            if kind == "wav" and head[8:12] not in (b"WAVE",):
                break
            return kind
    if len(head) >= 2 and head[0] == 0xFF and head[1] & 0xE0 == 0xE0:
        return "mp3" if head[1] & 0x06 else "aac"  # MPEG audio frame or ADTS AAC
    described = describe_non_media(path)
    what = f"ist {described}, keine Aufnahme" if described else "ist keine Audio- oder Videodatei"
    raise NotAudioError(f"Die hochgeladene Datei {what}. {ACCEPTED_FORMATS_HINT}")


@dataclass(frozen=True)
class Layout:
    """The paths of one municipality's meetings (`tenant`); uploads in progress share one
    folder (random names), and become a recording in the municipality's folder."""

    data_dir: Path
    municipality: str = DEFAULT_MUNICIPALITY

    @property
    def uploads(self) -> Path:
        return self.data_dir / "uploads"

    @property
    def root(self) -> Path:
        """The municipality's folder: data_dir itself for the default municipality (a
        single-municipality installation keeps the layout above), else
        data_dir/mandanten/<key>/."""
        if self.municipality == DEFAULT_MUNICIPALITY:
            return self.data_dir
        if not MUNICIPALITY_KEY.fullmatch(self.municipality):
            raise ValueError(f"invalid municipality key {self.municipality!r}")
        return self.data_dir / "mandanten" / self.municipality

    def tenant(self, municipality_id: str) -> Layout:
        """The same data folder, for the meetings of `municipality_id`."""
        return replace(self, municipality=municipality_id)

    def upload_part(self, upload_id: str) -> Path:
        return self.uploads / f"{upload_id}.part"

    def meeting(self, meeting_id: str) -> Path:
        return self.root / "meetings" / meeting_id

    def agenda_dir(self, meeting_id: str) -> Path:
        return self.meeting(meeting_id) / "agenda"

    def recording(self, meeting_id: str, stored_name: str) -> Path:
        return self.meeting(meeting_id) / "recordings" / stored_name

    def job(self, meeting_id: str, job_id: str) -> Path:
        return self.meeting(meeting_id) / "jobs" / job_id

    def work(self, meeting_id: str, job_id: str) -> Path:
        return self.job(meeting_id, job_id) / "work"

    def out(self, meeting_id: str, job_id: str) -> Path:
        return self.job(meeting_id, job_id) / "out"

    def published(self, meeting_id: str) -> Path:
        """The published documents of the approved minutes (written once, atomically)."""
        return self.meeting(meeting_id) / "veroeffentlicht"

    def ensure(self) -> None:
        """Create the folders; the data folder is the service's alone (0700): recordings,
        transcripts and the database inside are readable by no other account."""
        self.data_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
        self.data_dir.chmod(0o700)
        for folder in (self.uploads, self.root, self.root / "meetings"):
            folder.mkdir(parents=True, exist_ok=True, mode=0o700)
            folder.chmod(0o700)

    def remove_meeting(self, meeting_id: str) -> None:
        shutil.rmtree(self.meeting(meeting_id), ignore_errors=True)


def private_files() -> None:
    """From now on this process creates files 0600 and folders 0700 (the service's
    processes call it first: council audio and non-public items are sensitive)."""
    os.umask(0o077)


async def append_chunk(
    part: Path,
    offset: int,
    chunks: AsyncIterator[bytes],
    *,
    declared_size: int,
    max_chunk_bytes: int,
) -> int:
    """Append the request body to `part` at `offset`; returns the new size.

    The body streams to disk as it arrives. A chunk that would pass the declared
    size, or is larger than a chunk may be, is refused and cut off again, so the
    part file never holds more than was accepted.
    """
    written = 0
    # unbuffered: a refused or failed chunk must leave nothing in a buffer that closing the
    # file would write after the truncation below
    with part.open("ab", buffering=0) as fh:
        try:
            fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            current = os.fstat(fh.fileno()).st_size
            raise UploadConflict(
                "Für diesen Upload wird gerade schon ein Teil empfangen; bitte warten und "
                f"bei Byte {current} fortsetzen.",
                current,
            ) from None
        current = os.fstat(fh.fileno()).st_size
        if offset != current:
            raise UploadConflict(
                f"Der Upload steht bei Byte {current}, nicht bei {offset}; bitte dort fortsetzen.",
                current,
            )
        try:
            async for block in chunks:
                written += len(block)
                if written > max_chunk_bytes:
                    raise UploadError(
                        f"Ein Teil darf höchstens {size_de(max_chunk_bytes)} groß sein; dieser "
                        "war größer und wurde verworfen. Bitte in kleineren Teilen senden."
                    )
                if current + written > declared_size:
                    raise UploadError(
                        "Es wurden mehr Daten gesendet als angekündigt; der Teil wurde verworfen."
                    )
                view = memoryview(block)
                while view:
                    view = view[fh.write(view) or 0 :]
            os.fsync(fh.fileno())
        except BaseException as exc:
            fh.truncate(current)  # a broken or refused chunk leaves the upload as it was
            if isinstance(exc, OSError) and exc.errno in (errno.ENOSPC, errno.EDQUOT):
                raise StorageFull(
                    "Auf dem Server ist kein Speicherplatz mehr frei. Dieser Teil wurde "
                    f"verworfen, der Upload steht weiter bei Byte {current}. Bitte den Betrieb "
                    "informieren und den Upload danach fortsetzen."
                ) from None
            raise
    return current + written


@dataclass(frozen=True)
class CheckedMedia:
    kind: str
    sha256: str
    check: Precheck


def check_media(
    path: Path, *, display_name: str, max_duration_s: float, max_size_bytes: int
) -> CheckedMedia:
    """Content sniffing and the intake checks that need no decoding; German errors."""
    kind = sniff_media(path)
    # precheck names the file in its messages: give it the user's name
    with linked_as(path, display_name, path.with_name(f"{path.stem}-check")) as named:
        checked = precheck(named, max_duration_s=max_duration_s, max_size_bytes=max_size_bytes)
    return CheckedMedia(kind=kind, sha256=file_sha256(path), check=checked)
