"""The approved minutes as an OParl 1.1 `Meeting` for a council information system.

OParl is a read-only API, so a Ratsinformationssystem cannot fetch our minutes by itself;
what it can do is import OParl-shaped JSON (or a vendor import built on it). `oparl_meeting`
maps the minutes onto one `Meeting` object with everything embedded, the way an OParl
server outputs a Meeting, and `write_oparl_json` writes it.

Mapping (types ``https://schema.oparl.org/1.1/<Type>``):

- **Meeting**: ``id``, ``type``, ``name`` (given by the caller, e.g. "12. Sitzung des Rates
  der Gemeinde Musterstadt"); ``start``/``end`` from the meeting's date and ``start_time``/
  ``end_time`` in German local time with its offset ("2026-11-19T18:00:00+01:00"; an end
  before the start is the next day; without a start time both are left out, without an end
  time ``end`` is); ``location`` (embedded Location, ``description`` = the place) where a
  place is given; ``meetingState`` "durchgeführt" once the minutes are approved
  (``approved_at``), as OParl recommends; ``resultsProtocol`` (``verbatimProtocol`` for a
  Wortprotokoll) and ``auxiliaryFile`` as embedded File objects; ``agendaItem``;
  ``created`` (the argument, default now) and ``modified`` (the later of ``created`` and
  ``approved_at``), the same on every embedded object; ``web`` and ``license`` where
  given; ``keyword`` "KI-gestützter Entwurf – nicht geprüft" while the minutes are marked
  ``ai_generated``.
- **File**: one per entry of ``files``; the key is the name shown to the user
  (``name``, e.g. "Niederschrift (PDF)"; where the key is empty or just the file name, a
  German default such as "Niederschrift (PDF)" / "Wortprotokoll (Word)" is used, since
  OParl asks for a name other than the file name), the `PublishedFile` gives ``fileName``,
  ``mimeType``, ``size``, ``sha512Checksum`` and ``date``. The first PDF is the protocol
  file, the others (DOCX, JSON …) are ``auxiliaryFile`` in the given order; without a PDF
  the first file is the protocol file. The caller passes the files of the version being exported
  (the public version for ``public_only=True``).
- **AgendaItem**: ``number``, ``order`` (position on the full agenda, counting from 0 as
  OParl's examples do), ``name`` (title), ``public``, ``result``, ``resolutionText``,
  ``keyword`` ["Vorlage 2026/0142"] where a paper is referenced (the reference as given;
  "Vorlage " is put in front of a bare number), and ``consultation`` (the URL of its
  Consultation, see below) where a paper is referenced and ids are URLs. Embedded in the
  Meeting an item has no ``meeting`` back reference (OParl leaves it out of embedded
  objects); the service's interface adds it where an item is fetched at its own id.
- **result**: the minutes' German result ("mehrheitlich beschlossen"); OParl has no fields
  for vote counts, so the counts that were said follow in parentheses:
  "mehrheitlich beschlossen (Ja 14, Nein 3, Enthaltungen 2, Befangen 1)". A count that was
  not said is left out (never written as 0). Without a result only the counts appear; with
  neither, ``result`` is left out.

With ``public_only=True`` (the default) non-public items are left out entirely: no title,
no resolution, no paper reference, not even their id. ``order`` keeps the position on the
full agenda, so an item has the same id in the public and the full export.

Ids are URLs under ``base_url`` (``[review] public_base_url``) in the layout of
`protokoll.publication.oparl_ids` (``{base_url}/oparl/meeting/{meeting_id}``,
``.../agendaitem/{meeting_id}-{order}``, ``.../consultation/{meeting_id}-{order}``,
``.../location/{meeting_id}``, ``.../file/{meeting_id}/{file_name}`` with ``/access`` and
``/download``): the addresses at which the service's read-only OParl interface answers
(``/oparl/...``, `protokoll.service.usecases.oparl`), which serves this very Meeting.
Where ``base_url`` is empty the export is meant to travel as a folder together with its
files: ids are then URNs of the private scheme ``urn:protokoll:``
(``urn:protokoll:meeting:{meeting_id}``, ``urn:protokoll:agendaitem:{meeting_id}-{order}``,
``urn:protokoll:location:{meeting_id}``, ``urn:protokoll:file:{meeting_id}:{file_name}``),
``accessUrl`` is the file name as a relative URL (the file lies beside the JSON),
``downloadUrl`` and ``consultation`` are left out.

Extension fields (OParl allows vendor fields with a prefix; an importer that does not know
them ignores them): Meeting ``protokoll:body`` (the body that met), ``protokoll:aiGenerated``
(as in ``minutes.json``), ``protokoll:approved`` (when the minutes were approved);
AgendaItem ``protokoll:paperReference`` ("Vorlage 2026/0142", as given) and ``protokoll:votes``
(``{"yes", "no", "abstain", "biased"}``, ``null`` = not said).

Times are written in German local time (Europe/Berlin) with their offset; a naive
``datetime`` argument counts as German local time.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import mimetypes
import os
import re
import tempfile
import zoneinfo
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any

from protokoll.domain.minutes import Minutes, MinutesItem
from protokoll.publication.oparl_ids import OParlUrls
from protokoll.publication.pdf import PublicationError

OPARL_SCHEMA = "https://schema.oparl.org/1.1/"
MEETING_TYPE = OPARL_SCHEMA + "Meeting"
AGENDA_ITEM_TYPE = OPARL_SCHEMA + "AgendaItem"
FILE_TYPE = OPARL_SCHEMA + "File"
LOCATION_TYPE = OPARL_SCHEMA + "Location"

EXTENSION_PREFIX = "protokoll:"

PDF_MIME = "application/pdf"
DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
JSON_MIME = "application/json"
AI_DRAFT_KEYWORD = "KI-gestützter Entwurf – nicht geprüft"
MEETING_STATE_DONE = "durchgeführt"  # OParl's recommended state after the minutes' release

_MIME_BY_SUFFIX = {
    ".pdf": PDF_MIME,
    ".docx": DOCX_MIME,
    ".json": JSON_MIME,
    ".odt": "application/vnd.oasis.opendocument.text",
    ".txt": "text/plain",
    ".html": "text/html",
}
_FORMAT_LABELS = {PDF_MIME: "PDF", DOCX_MIME: "Word", JSON_MIME: "JSON"}
_SHA512_HEX = re.compile(r"[0-9a-f]{128}")
_TIME = re.compile(r"([01]?\d|2[0-3])[:.]([0-5]\d)(?::[0-5]\d)?")


@dataclass(frozen=True)
class PublishedFile:
    """A published document: what the OParl File object says about it."""

    file_name: str  # "niederschrift-2026-11-19.pdf"
    mime_type: str  # "application/pdf"
    size: int  # bytes
    sha512: str  # 128 lowercase hex digits
    date: dt.date  # the file's date (a datetime counts by its German local date)

    @classmethod
    def from_path(
        cls,
        path: str | os.PathLike[str],
        *,
        mime_type: str | None = None,
        file_date: dt.date | None = None,
    ) -> PublishedFile:
        """Describe the file at ``path``: size and SHA-512 are computed, the MIME type is
        taken from the suffix unless given, the date is today unless given."""
        path = Path(path)
        digest = hashlib.sha512()
        size = 0
        with path.open("rb") as fh:
            for block in iter(lambda: fh.read(1 << 20), b""):
                digest.update(block)
                size += len(block)
        return cls(
            file_name=path.name,
            mime_type=mime_type or guess_mime_type(path.name),
            size=size,
            sha512=digest.hexdigest(),
            date=file_date or datetime.now(_berlin()).date(),
        )


def guess_mime_type(file_name: str) -> str:
    """The MIME type for a file name (``application/octet-stream`` if unknown)."""
    suffix = Path(file_name).suffix.lower()
    guessed = _MIME_BY_SUFFIX.get(suffix) or mimetypes.guess_type(file_name)[0]
    return guessed or "application/octet-stream"


def oparl_meeting(
    minutes: Minutes,
    *,
    meeting_id: str,
    base_url: str,
    name: str,
    files: Mapping[str, PublishedFile],
    public_only: bool = True,
    approved_at: datetime | None = None,
    created: datetime | None = None,
    web: str | None = None,
    license: str | None = None,
) -> dict[str, Any]:
    """The minutes as an OParl 1.1 Meeting object (see the module docstring).

    ``meeting_id`` identifies the session in the ids; ``base_url`` is where the published
    documents are reachable (empty: ``urn:protokoll:`` ids); ``name`` is the Meeting's name;
    ``files`` maps display names to the published documents. ``created`` is when the
    meeting's record was created (default: now); ``modified`` is the later of ``created``
    and ``approved_at``. ``web`` is the address of the session's HTML page, ``license``
    the URL of the license, both optional.

    Raises `PublicationError` for an invalid ``base_url``, date or time of the minutes, and
    ``ValueError`` for arguments no user could have typed (an empty ``meeting_id``, a
    malformed `PublishedFile`).
    """
    if not meeting_id.strip():
        raise ValueError("meeting_id must not be empty")
    urls = OParlUrls.from_setting(base_url)
    meeting_id = meeting_id.strip()
    created_at = local_time(created or datetime.now(UTC))
    modified_at = max(created_at, local_time(approved_at)) if approved_at else created_at
    stamps = {"created": timestamp(created_at), "modified": timestamp(modified_at)}
    meeting = minutes.meeting

    data: dict[str, Any] = {
        "id": urls.meeting(meeting_id),
        "type": MEETING_TYPE,
        "name": name.strip() or meeting.body,
    }
    start, end = _start_end(meeting.date, meeting.start_time, meeting.end_time)
    if start is not None:
        data["start"] = timestamp(start)
    if end is not None:
        data["end"] = timestamp(end)
    if meeting.place.strip():
        data["location"] = {
            "id": urls.location(meeting_id),
            "type": LOCATION_TYPE,
            "description": meeting.place.strip(),
            **stamps,
        }
    if approved_at is not None:
        data["meetingState"] = MEETING_STATE_DONE

    file_objects = [
        _file(urls, meeting_id, label, f, minutes, stamps) for label, f in files.items()
    ]
    if file_objects:
        main = next((i for i, (_, f) in enumerate(files.items()) if f.mime_type == PDF_MIME), 0)
        wort = minutes.protocol_type == "wort"
        protocol_field = "verbatimProtocol" if wort else "resultsProtocol"
        data[protocol_field] = file_objects[main]
        auxiliary = [f for i, f in enumerate(file_objects) if i != main]
        if auxiliary:
            data["auxiliaryFile"] = auxiliary

    data["agendaItem"] = [
        _agenda_item(urls, meeting_id, item, order, stamps)
        for order, item in enumerate(minutes.items)
        if item.public or not public_only
    ]
    if minutes.ai_generated:
        data["keyword"] = [AI_DRAFT_KEYWORD]
    if web:
        data["web"] = web
    if license:
        data["license"] = license
    data.update(stamps)
    data[EXTENSION_PREFIX + "body"] = meeting.body
    data[EXTENSION_PREFIX + "aiGenerated"] = minutes.ai_generated
    if approved_at is not None:
        data[EXTENSION_PREFIX + "approved"] = timestamp(approved_at)
    return data


def write_oparl_json(data: Mapping[str, Any], path: str | os.PathLike[str]) -> Path:
    """Write ``data`` as UTF-8 JSON (indent 2, umlauts as they are) to ``path``, atomically:
    the file is either the complete new JSON or unchanged. Returns the path.

    Raises ``ValueError`` for NaN or infinite numbers (invalid JSON) and `PublicationError`
    when the file cannot be written."""
    target = Path(path)
    text = json.dumps(data, ensure_ascii=False, indent=2, allow_nan=False) + "\n"
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, part_name = tempfile.mkstemp(
            dir=target.parent, prefix=f".{target.name}.", suffix=".part"
        )
    except OSError as exc:
        raise _write_error(target, exc) from exc
    part = Path(part_name)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(part, 0o644)  # mkstemp creates 0600; the export is meant to be read
        os.replace(part, target)
    except OSError as exc:
        part.unlink(missing_ok=True)
        raise _write_error(target, exc) from exc
    except BaseException:
        part.unlink(missing_ok=True)
        raise
    return target


def _write_error(target: Path, exc: OSError) -> PublicationError:
    return PublicationError(
        f"Der OParl-Export „{target}“ konnte nicht geschrieben werden: {exc.strerror or exc}."
    )


# ---- objects --------------------------------------------------------------------------------


def _file(
    urls: OParlUrls,
    meeting_id: str,
    label: str,
    published: PublishedFile,
    minutes: Minutes,
    stamps: Mapping[str, str],
) -> dict[str, Any]:
    file_name = published.file_name.strip()
    if not file_name or "/" in file_name or "\\" in file_name:
        raise ValueError(f"PublishedFile.file_name must be a plain file name: {file_name!r}")
    if not _SHA512_HEX.fullmatch(published.sha512):
        raise ValueError(f"PublishedFile.sha512 must be 128 lowercase hex digits: {file_name}")
    if isinstance(published.size, bool) or not isinstance(published.size, int):
        raise ValueError(f"PublishedFile.size must be an int: {file_name}")
    if published.size < 0:
        raise ValueError(f"PublishedFile.size must not be negative: {file_name}")
    obj: dict[str, Any] = {
        "id": urls.file(meeting_id, file_name),
        "type": FILE_TYPE,
        "name": _display_name(label, file_name, published.mime_type, minutes),
        "fileName": file_name,
        "mimeType": published.mime_type or "application/octet-stream",
        "size": published.size,
        "sha512Checksum": published.sha512,
        "date": _local_date(published.date).isoformat(),
        "accessUrl": urls.access(meeting_id, file_name),
    }
    download = urls.download(meeting_id, file_name)
    if download is not None:
        obj["downloadUrl"] = download
    obj.update(stamps)
    return obj


def _display_name(label: str, file_name: str, mime_type: str, minutes: Minutes) -> str:
    """The label, or where it is empty or just the file name a German default
    ("Niederschrift (PDF)")."""
    label = label.strip()
    if label and label != file_name:
        return label
    kind = "Wortprotokoll" if minutes.protocol_type == "wort" else "Niederschrift"
    suffix = _FORMAT_LABELS.get(mime_type)
    return f"{kind} ({suffix})" if suffix else Path(file_name).stem or kind


def _agenda_item(
    urls: OParlUrls, meeting_id: str, item: MinutesItem, order: int, stamps: Mapping[str, str]
) -> dict[str, Any]:
    obj: dict[str, Any] = {
        "id": urls.agenda_item(meeting_id, order),
        "type": AGENDA_ITEM_TYPE,
        "number": item.number,
        "order": order,
        "name": item.title,
        "public": item.public,
    }
    result = result_text(item)
    if result:
        obj["result"] = result
    if item.resolution_text and item.resolution_text.strip():
        obj["resolutionText"] = item.resolution_text.strip()
    paper = item.paper.strip()
    if paper:
        obj["keyword"] = [paper_keyword(paper)]
        if urls.base:  # a Consultation the service serves; a urn would lead nowhere
            obj["consultation"] = urls.consultation(meeting_id, order)
    obj.update(stamps)
    if paper:
        obj[EXTENSION_PREFIX + "paperReference"] = paper
    votes = item.votes
    obj[EXTENSION_PREFIX + "votes"] = {
        "yes": votes.yes,
        "no": votes.no,
        "abstain": votes.abstain,
        "biased": votes.biased,
    }
    return obj


def paper_keyword(paper: str) -> str:
    """``"Vorlage 2026/0142"``: the reference as given ("Antrag 2026/051"), or "Vorlage "
    before a bare number ("2026/0142")."""
    paper = paper.strip()
    return f"Vorlage {paper}" if paper[:1].isdigit() else paper


def result_text(item: MinutesItem) -> str:
    """``mehrheitlich beschlossen (Ja 14, Nein 3, Enthaltungen 2)``: the result with the
    counts that were said; "" when there is neither a result nor a count."""
    votes = item.votes
    counts = ", ".join(
        f"{label} {value}"
        for label, value in (
            ("Ja", votes.yes),
            ("Nein", votes.no),
            ("Enthaltungen", votes.abstain),
            ("Befangen", votes.biased),
        )
        if value is not None
    )
    result = (item.result or "").strip()
    if result and counts:
        return f"{result} ({counts})"
    return result or counts


# ---- times ----------------------------------------------------------------------------------


def _berlin() -> zoneinfo.ZoneInfo:
    try:
        return zoneinfo.ZoneInfo("Europe/Berlin")
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise PublicationError(
            "Die Zeitzonendaten für Europe/Berlin fehlen; ohne sie kann der OParl-Export "
            "keine Uhrzeiten angeben. Bitte das Debian-Paket „tzdata“ installieren."
        ) from None


def local_time(moment: datetime) -> datetime:
    """``moment`` in German local time (a naive value counts as German local time)."""
    zone = _berlin()
    return moment.replace(tzinfo=zone) if moment.tzinfo is None else moment.astimezone(zone)


def timestamp(moment: datetime) -> str:
    """ISO 8601 with the German offset, to the second: ``2026-11-20T10:30:00+01:00``."""
    return local_time(moment).replace(microsecond=0).isoformat()


def _local_date(value: date) -> date:
    if isinstance(value, datetime):
        if value.tzinfo is None:
            return value.date()
        return value.astimezone(_berlin()).date()
    return value


def _start_end(day: str, start: str, end: str) -> tuple[datetime | None, datetime | None]:
    try:
        meeting_day = date.fromisoformat(day.strip())
    except ValueError:
        raise PublicationError(
            f"Das Sitzungsdatum „{day}“ ist kein Datum im Format JJJJ-MM-TT "
            "(z. B. 2026-11-19); bitte in der Niederschrift korrigieren."
        ) from None
    start_time = _clock(start, "Beginn")
    if start_time is None:
        return None, None
    zone = _berlin()
    begin = datetime.combine(meeting_day, start_time, tzinfo=zone)
    end_time = _clock(end, "Ende")
    if end_time is None:
        return begin, None
    finish = datetime.combine(meeting_day, end_time, tzinfo=zone)
    if finish < begin:  # the session went on past midnight
        finish = datetime.combine(meeting_day + timedelta(days=1), end_time, tzinfo=zone)
    return begin, finish


def _clock(value: str, what: str) -> time | None:
    text = value.strip()
    if not text:
        return None
    match = _TIME.fullmatch(text.removesuffix("Uhr").strip())
    if match is None:
        raise PublicationError(
            f"Die Uhrzeit „{text}“ ({what} der Sitzung) ist keine Uhrzeit im Format HH:MM "
            "(z. B. 18:00); bitte in der Niederschrift korrigieren."
        )
    return time(int(match[1]), int(match[2]))
