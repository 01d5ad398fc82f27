"""Documents of one version of the minutes, rendered on request with that version's speaker
mapping, so one mapping applies everywhere: minutes (JSON, DOCX), transcript (DOCX, VTT).

Also reads a DOCX edited in Word back into a new version (matched by the identifier
the download carries).
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

from sqlalchemy.orm import Session

from protokoll.documents import artifacts
from protokoll.domain.transcript import Transcript
from protokoll.errors import InputError
from protokoll.review import transcript_edits
from protokoll.review.docx_import import read_document_id, read_niederschrift_docx
from protokoll.service.context import ServiceContext
from protokoll.service.infra.tables import Meeting, MinutesVersion, User
from protokoll.service.usecases import minutes_review as review
from protokoll.service.usecases import publishing
from protokoll.service.usecases.access import Conflict, NotFound

VERSION_DOCUMENTS = {name: artifacts.MEDIA_TYPES[name] for name in artifacts.VERSION_FILES}
MAX_DOCX_BYTES = 20 * 1024**2


def load_transcript(
    ctx: ServiceContext, meeting: Meeting, version: MinutesVersion, *, corrected: bool = True
) -> Transcript:
    """The transcript of ``version``: with the reviewers' corrections that version holds
    (`Minutes.transcript_edits`), or as recognised (``corrected=False``)."""
    if not version.job_id:
        raise NotFound("Zu dieser Fassung gibt es kein Transkript.")
    path = ctx.of(meeting).layout.out(meeting.id, version.job_id) / artifacts.TRANSCRIPT_JSON
    try:
        transcript = Transcript.from_dict(json.loads(path.read_text(encoding="utf-8")))
    except FileNotFoundError as exc:
        raise NotFound("Das Transkript dieser Fassung ist nicht mehr vorhanden.") from exc
    if not corrected:
        return transcript
    return transcript_edits.apply(transcript, review.minutes_of(version).transcript_edits)


def render(ctx: ServiceContext, meeting: Meeting, version: MinutesVersion, name: str) -> bytes:
    """The document ``name`` of ``version``, rendered now."""
    if name not in VERSION_DOCUMENTS:
        raise NotFound("Dieses Dokument gibt es nicht.")
    ctx = ctx.of(meeting)
    minutes = review.minutes_of(version)
    needs_transcript = artifacts.BY_NAME[name].source == "transcript"
    products = artifacts.Products(
        minutes=minutes,
        transcript=load_transcript(ctx, meeting, version) if needs_transcript else None,
        template=ctx.settings.minutes.template,
        document_id=review.document_id(meeting.id, version.number),
        speaker_names=minutes.speaker_names,
        meeting_facts={"body": minutes.meeting.body, "date": minutes.meeting.date},
        low_confidence_threshold=ctx.settings.output.low_confidence_threshold,
        letterhead=publishing.letterhead_name(ctx, meeting) or None,
    )
    with tempfile.TemporaryDirectory(prefix="protokoll-fassung-") as tmp:
        path = Path(tmp) / name
        artifacts.render(name, products, path)
        return path.read_bytes()


def import_docx(
    ctx: ServiceContext, s: Session, user: User, meeting: Meeting, data: bytes, note: str = ""
) -> MinutesVersion:
    """A DOCX edited in Word becomes a new version of the draft it was downloaded from."""
    review.require_review(user, meeting)
    if len(data) > MAX_DOCX_BYTES:
        raise InputError("Das Word-Dokument ist zu groß (höchstens 20 MB).")
    parsed = review.parse_document_id(read_document_id(data))
    if parsed is None:
        raise InputError(
            "Dieses Word-Dokument ist keine heruntergeladene Fassung einer Niederschrift aus "
            "protokoll (die Kennung fehlt). Bitte die Fassung über „Word-Dokument "
            "herunterladen“ holen, bearbeiten und wieder hochladen."
        )
    meeting_id, number = parsed
    if meeting_id != meeting.id:
        raise Conflict("Dieses Word-Dokument gehört zu einer anderen Sitzung.")
    current = review.current_version(s, meeting.id)
    if current is None:
        raise Conflict("Es gibt noch keinen Entwurf der Niederschrift.")
    if number != current.number:
        raise Conflict(
            f"Das Dokument wurde aus Fassung {number} erstellt; inzwischen gibt es Fassung "
            f"{current.number}. Bitte die aktuelle Fassung herunterladen und die Änderungen "
            "dort vornehmen."
        )
    imported = read_niederschrift_docx(data, review.minutes_of(current))
    note = note or "; ".join(imported.warnings)
    return review.save_version(
        s, user, meeting, imported.minutes, source="word", base_number=number, note=note
    )
