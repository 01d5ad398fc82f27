"""Every file protokoll produces, in one table: name, writer, media type, German label, and
whether it holds only the public part of a session.

The CLI and the job runner write a job's documents from here, the service labels and
serves them from here, the access rules ask `public` here, and publication writes the
approved documents from here. A document is always rendered by `render`, wherever it is
needed, so the Niederschrift looks the same in a job's output, a version under review and
the published minutes.

To add a document type: write its writer in `protokoll.documents`, add a row to
`ARTIFACTS` (and, if a job writes it, to `TRANSCRIPT_FILES` or `MINUTES_FILES`).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import shutil
import tempfile
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from protokoll.documents.minutes_json import write_minutes_json
from protokoll.documents.niederschrift_docx import write_niederschrift_docx
from protokoll.documents.rttm import rttm_uri, write_rttm
from protokoll.documents.transcript_json import write_transcript_json
from protokoll.documents.vtt import write_vtt
from protokoll.documents.wortprotokoll_docx import write_wortprotokoll_docx
from protokoll.domain.minutes import Minutes
from protokoll.domain.transcript import Transcript

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
# the files other code opens by name (the rest it only lists, serves or publishes)
TRANSCRIPT_JSON = "transcript.json"
MINUTES_JSON = "minutes.json"
PUBLIC_MINUTES_JSON = "minutes.oeffentlich.json"
OPARL_JSON = "oparl.json"


@dataclass
class Products:
    """What the writers draw on, and how this rendering differs (a version, an approval)."""

    transcript: Transcript | None = None
    minutes: Minutes | None = None
    meeting_facts: Mapping[str, str] | None = None  # for the Wortprotokoll's heading
    template: Path | None = None  # the municipality's Niederschrift template
    low_confidence_threshold: float = 0.5
    speaker_names: Mapping[str, str] | None = None  # confirmed names (a reviewed version)
    document_id: str | None = None  # ties a downloaded DOCX to its version
    approval: str | None = None  # "Geprüft und freigegeben von …" on published minutes
    letterhead: str | None = None  # the municipality's name, for the template's letterhead
    created: dt.datetime | None = None

    def need_transcript(self) -> Transcript:
        if self.transcript is None:
            raise ValueError("this document is written from a transcript")
        return self.transcript

    def need_minutes(self) -> Minutes:
        if self.minutes is None:
            raise ValueError("this document is written from minutes")
        return self.minutes


Writer = Callable[[Products, Path], None]


@dataclass(frozen=True)
class Artifact:
    name: str  # file name, the same in a job's folder, a download and the publication
    label: str  # German, as the web interface and the OParl export name it
    media_type: str
    public: bool  # holds only the public part: may go to anyone who may see the meeting
    write: Writer | None  # None: derived from another file (the PDF from the DOCX)
    source: Literal["transcript", "minutes", "publication"]


def _transcript_json(p: Products, path: Path) -> None:
    write_transcript_json(p.need_transcript(), path)


def _rttm(p: Products, path: Path) -> None:
    t = p.need_transcript()
    write_rttm(t.turns, rttm_uri(Path(t.audio.file_name).stem), path)


def _vtt(p: Products, path: Path) -> None:
    write_vtt(p.need_transcript().segments, path, p.speaker_names)


def _wortprotokoll(p: Products, path: Path) -> None:
    write_wortprotokoll_docx(
        p.need_transcript(), path, meeting=dict(p.meeting_facts) if p.meeting_facts else None,
        speaker_names=p.speaker_names, low_confidence_threshold=p.low_confidence_threshold,
    )  # fmt: skip


def _minutes_json(public_only: bool) -> Writer:
    def write(p: Products, path: Path) -> None:
        write_minutes_json(p.need_minutes(), path, public_only=public_only)

    return write


def _niederschrift(public_only: bool) -> Writer:
    def write(p: Products, path: Path) -> None:
        write_niederschrift_docx(
            p.need_minutes(), path, template=p.template, public_only=public_only,
            document_id=p.document_id, approval=p.approval, created=p.created,
            letterhead=p.letterhead,
        )  # fmt: skip

    return write


ARTIFACTS: tuple[Artifact, ...] = (
    Artifact("niederschrift.pdf", "Niederschrift (PDF)", "application/pdf", False, None,
             "publication"),
    Artifact("niederschrift.docx", "Niederschrift (Word)", DOCX, False, _niederschrift(False),
             "minutes"),
    Artifact("minutes.json", "Niederschrift (JSON)", "application/json", False,
             _minutes_json(False), "minutes"),
    Artifact("niederschrift.oeffentlich.pdf", "Niederschrift, öffentlicher Teil (PDF)",
             "application/pdf", True, None, "publication"),
    Artifact("niederschrift.oeffentlich.docx", "Niederschrift, öffentlicher Teil (Word)", DOCX,
             True, _niederschrift(True), "minutes"),
    Artifact("minutes.oeffentlich.json", "Niederschrift, öffentlicher Teil (JSON)",
             "application/json", True, _minutes_json(True), "minutes"),
    Artifact("oparl.json", "OParl-Export (öffentlicher Teil, JSON)", "application/json", True,
             None, "publication"),
    Artifact("transcript.docx", "Wortprotokoll (Word)", DOCX, False, _wortprotokoll,
             "transcript"),
    Artifact("transcript.json", "Transkript (JSON)", "application/json", False,
             _transcript_json, "transcript"),
    Artifact("transcript.vtt", "Untertitel (WebVTT)", "text/vtt", False, _vtt, "transcript"),
    Artifact("diarization.rttm", "Sprecherwechsel (RTTM, für Auswertungsprogramme)", "text/plain",
             False, _rttm, "transcript"),
)  # fmt: skip
BY_NAME: dict[str, Artifact] = {a.name: a for a in ARTIFACTS}
LABELS: dict[str, str] = {a.name: a.label for a in ARTIFACTS}
MEDIA_TYPES: dict[str, str] = {a.name: a.media_type for a in ARTIFACTS}

# what a job writes after speaker assignment, and after the minutes stage
TRANSCRIPT_FILES = ("transcript.json", "diarization.rttm", "transcript.vtt", "transcript.docx")
MINUTES_FILES = (
    "minutes.json",
    "niederschrift.docx",
    "minutes.oeffentlich.json",
    "niederschrift.oeffentlich.docx",
)
# the job documents in the order the web interface lists them
JOB_FILES_ORDER = (
    "niederschrift.docx",
    "niederschrift.oeffentlich.docx",
    "minutes.json",
    "minutes.oeffentlich.json",
    "transcript.docx",
    "transcript.json",
    "transcript.vtt",
    "diarization.rttm",
)
# the published documents, in the order the publication lists them
PUBLISHED_FILES = (
    "niederschrift.pdf",
    "niederschrift.docx",
    "minutes.json",
    "niederschrift.oeffentlich.pdf",
    "niederschrift.oeffentlich.docx",
    "minutes.oeffentlich.json",
    "oparl.json",
)
# documents a reviewer can have rendered for any version of the minutes
VERSION_FILES = ("niederschrift.docx", "minutes.json", "transcript.docx", "transcript.vtt")

# the German name a document gets when it is downloaded (after "<date>_<body>_"); the
# stored names above stay as they are: the OParl export, scripts and folders rely on them
DOWNLOAD_NAMES: dict[str, str] = {
    "niederschrift.pdf": "Niederschrift.pdf",
    "niederschrift.docx": "Niederschrift.docx",
    "minutes.json": "Niederschrift.json",
    "niederschrift.oeffentlich.pdf": "Niederschrift_öffentlich.pdf",
    "niederschrift.oeffentlich.docx": "Niederschrift_öffentlich.docx",
    "minutes.oeffentlich.json": "Niederschrift_öffentlich.json",
    "oparl.json": "OParl-Export.json",
    "transcript.docx": "Wortprotokoll.docx",
    "transcript.json": "Transkript.json",
    "transcript.vtt": "Untertitel.vtt",
    "diarization.rttm": "Sprecherwechsel.rttm",
}


def download_name(name: str, version: int | None = None) -> str:
    """The German download name of the stored document ``name`` ("transcript.json" →
    "Transkript.json"), of one version of the minutes ("Niederschrift_Fassung-3.docx")."""
    german = DOWNLOAD_NAMES.get(name, name)
    if version is None:
        return german
    stem, _, suffix = german.rpartition(".")
    return f"{stem}_Fassung-{version}.{suffix}"


def has_public_version(minutes: Minutes) -> bool:
    """A separate public version exists only when some item is non-public."""
    return any(not item.public for item in minutes.items)


def public_names(names: Iterable[str], *, has_non_public: bool) -> list[str]:
    """Of `names`, those anyone who may see the meeting may have: the public versions; and
    when the session had no non-public part at all, the minutes too (they are all public)."""
    minutes_names = {a.name for a in ARTIFACTS if a.source != "transcript"}
    return [
        n
        for n in names
        if n in BY_NAME and (BY_NAME[n].public or (not has_non_public and n in minutes_names))
    ]


def render(name: str, products: Products, path: Path) -> None:
    """Write the document `name` to `path`."""
    write = BY_NAME[name].write
    if write is None:
        raise ValueError(f"{name} is derived, not rendered")
    write(products, path)


def writers(names: Iterable[str], products: Products) -> dict[str, Callable[[Path], None]]:
    """File name -> a writer of that document from `products`, for `publish`."""

    def writer(name: str) -> Callable[[Path], None]:
        return lambda path: render(name, products, path)

    return {n: writer(n) for n in names}


def minutes_names(minutes: Minutes, *, public_version: bool) -> tuple[str, ...]:
    """The minutes documents of a job: with a public version where there is a non-public part."""
    if public_version and has_public_version(minutes):
        return MINUTES_FILES
    return MINUTES_FILES[:2]


def publish(
    out_dir: Path, writers: Mapping[str, Callable[[Path], None]], stale: Iterable[str] = ()
) -> dict[str, Path]:
    """Write every file into a staging folder, then move all into `out_dir`.

    Nothing is moved unless every writer succeeded, so a failure never leaves
    half-written or mismatched files; other files in `out_dir` stay untouched,
    except the `stale` ones: earlier outputs this run replaces by nothing (e.g. a
    public version when the agenda no longer has a non-public part).
    """
    out_dir = out_dir.resolve()
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.partial-", dir=out_dir.parent))
    try:
        for name, write in writers.items():
            write(staging / name)
        out_dir.mkdir(exist_ok=True)
        for name in writers:
            os.replace(staging / name, out_dir / name)
        for name in set(stale) - set(writers):
            (out_dir / name).unlink(missing_ok=True)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return {name: out_dir / name for name in writers}


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        while block := fh.read(1 << 20):
            digest.update(block)
    return digest.hexdigest()
