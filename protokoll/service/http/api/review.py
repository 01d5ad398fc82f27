"""The review of the draft minutes: the review overview, minutes versions and new versions
from edits (speaker mapping, TOP edits or a whole document), the Word round trip (upload of
an edited DOCX, documents of a version), the transcript and the audio for listening, and
the review steps. `VersionBody`, `edited_minutes` and `recording_of_version` are shared
with the review web page, so every editing rule exists once."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Annotated, Any

from fastapi import APIRouter, File, Path, Request, Response, UploadFile
from fastapi.responses import FileResponse
from pydantic import BaseModel, Field
from sqlalchemy.orm import Session

from protokoll.domain.minutes import Minutes
from protokoll.domain.transcript import Segment, speaker_display_name
from protokoll.errors import InputError
from protokoll.review import edits, transcript_edits
from protokoll.service.context import ServiceContext
from protokoll.service.http.api.common import attachment, download_filename
from protokoll.service.http.deps import MAX_DB_INT, CtxDep, DbDep, RowId, UserDep
from protokoll.service.infra import audit
from protokoll.service.infra.tables import Meeting, MinutesVersion, Recording, User
from protokoll.service.usecases import meetings as svc
from protokoll.service.usecases import minutes_review as review
from protokoll.service.usecases import review_docs
from protokoll.service.usecases.access import NotFound

router = APIRouter(prefix="/api", tags=["Prüfung"])


class ItemEditBody(BaseModel):
    summary: list[str] | None = Field(default=None, max_length=2000)
    motions: list[str] | None = Field(default=None, max_length=200)
    resolution_text: str | None = Field(default=None, max_length=100_000)
    result: str | None = Field(default=None, max_length=100)
    votes: dict[str, int | None] | None = None
    start_s: float | None = None


class SessionEditBody(BaseModel):
    start_time: str | None = Field(default=None, max_length=20, description="Beginn, HH:MM")
    end_time: str | None = Field(default=None, max_length=20, description="Ende, HH:MM")
    place: str | None = Field(default=None, max_length=200)
    chair: str | None = Field(default=None, max_length=200, description="Vorsitz")
    recorder: str | None = Field(default=None, max_length=200, description="Schriftführung")


class VersionBody(BaseModel):
    base: int = Field(
        ge=1, le=MAX_DB_INT, description="Die Fassung, auf der die Änderung beruht (die aktuelle)."
    )
    note: str = Field(default="", max_length=2000)
    speaker_names: dict[str, str] | None = Field(
        default=None, description="Sprecherkennung → Name; leerer Name hebt die Zuordnung auf."
    )
    items: dict[str, ItemEditBody] | None = Field(
        default=None, description="Änderungen je TOP (Schlüssel: TOP-Nummer)."
    )
    session: SessionEditBody | None = Field(
        default=None, description="Sitzungsdaten: Beginn, Ende, Ort, Vorsitz, Schriftführung."
    )
    transcript: dict[str, str] | None = Field(
        default=None,
        description="Korrekturen des Transkripts: Abschnittsnummer (ab 0) → neuer Text; der "
        "erkannte Text hebt die Korrektur auf.",
        max_length=100_000,
    )
    minutes: dict[str, Any] | None = Field(
        default=None,
        description="Die ganze Niederschrift (minutes.json) statt einzelner Änderungen.",
    )


class SegmentBody(BaseModel):
    base: int = Field(
        ge=1, le=MAX_DB_INT, description="Die Fassung, auf der die Änderung beruht (die aktuelle)."
    )
    text: str = Field(max_length=transcript_edits.MAX_SEGMENT_CHARS + 1000)
    note: str = Field(default="", max_length=2000)


class StepBody(BaseModel):
    reason: str = Field(default="", max_length=2000)


def _meeting_for_review(s: Session, user: User, meeting_id: str) -> Meeting:
    meeting = svc.get_meeting(s, user, meeting_id)
    review.require_review(user, meeting)
    return meeting


def apply_edits(
    base: Minutes,
    body: VersionBody,
    duration_s: float | None,
    transcript_labels: Sequence[str] = (),
    segments: Sequence[Segment] = (),
) -> Minutes:
    """The new minutes from the request: a whole document, or mapping, TOP edits and
    corrections of the transcript (of ``segments``, as recognised)."""
    if body.minutes is not None:
        if (
            body.speaker_names is not None
            or body.items is not None
            or body.transcript
            or body.session is not None
        ):
            raise InputError("Bitte entweder die ganze Niederschrift oder Einzeländerungen senden.")
        try:
            minutes = Minutes.from_dict(body.minutes)
        except (TypeError, KeyError, ValueError, AttributeError) as exc:
            raise InputError(f"Die Niederschrift (JSON) ist nicht lesbar: {exc}") from exc
        if [i.number for i in minutes.items] != [i.number for i in base.items]:
            raise InputError("Die TOPs der Niederschrift müssen die der Fassung bleiben.")
        return minutes
    minutes = base
    if body.speaker_names is not None:
        minutes = edits.map_speakers(minutes, body.speaker_names, transcript_labels)
    for number, item in (body.items or {}).items():
        minutes = edits.edit_item(
            minutes, number, edits.ItemEdit(**item.model_dump()), duration_s=duration_s
        )
    if body.session is not None:
        minutes = edits.edit_session(minutes, edits.SessionEdit(**body.session.model_dump()))
    if body.transcript:
        if not segments:
            raise NotFound("Zu dieser Fassung gibt es kein Transkript.")
        minutes, _changed = transcript_edits.edit_segments(minutes, segments, body.transcript)
    return minutes


def edited_minutes(ctx: ServiceContext, s: Session, meeting: Meeting, body: VersionBody) -> Minutes:
    """The minutes ``body`` asks for, from the version it is based on."""
    base = review.get_version(s, meeting.id, body.base)
    recording = recording_of_version(s, base)
    try:
        transcript = review_docs.load_transcript(ctx, meeting, base, corrected=False)
        labels, segments = transcript.speakers, transcript.segments
    except NotFound:
        labels, segments = [], []
    duration = recording.duration_s if recording else None
    return apply_edits(review.minutes_of(base), body, duration, labels, segments)


def recording_of_version(s: Session, version: MinutesVersion) -> Recording | None:
    job = review.transcript_job(s, version)
    return review.recording_for(s, job)


@router.get("/meetings/{meeting_id}/review")
def get_review(meeting_id: str, ctx: CtxDep, user: UserDep, s: DbDep) -> dict[str, Any]:
    meeting = _meeting_for_review(s, user, meeting_id)
    return review.review_view(ctx, s, user, meeting)


@router.get("/meetings/{meeting_id}/versions/{number}")
def get_version(meeting_id: str, number: RowId, user: UserDep, s: DbDep) -> dict[str, Any]:
    meeting = _meeting_for_review(s, user, meeting_id)
    version = review.get_version(s, meeting.id, number)
    view = review.version_view(version, {})
    view["minutes"] = review.minutes_of(version).to_dict()
    return view


@router.post("/meetings/{meeting_id}/versions", status_code=201)
def create_version(
    meeting_id: str, body: VersionBody, ctx: CtxDep, user: UserDep, s: DbDep
) -> dict[str, Any]:
    meeting = _meeting_for_review(s, user, meeting_id)
    minutes = edited_minutes(ctx, s, meeting, body)
    version = review.save_version(
        s, user, meeting, minutes, source="web", base_number=body.base, note=body.note
    )
    return review.version_view(version, {user.id: user.display_name or user.username})


@router.post("/meetings/{meeting_id}/versions/docx", status_code=201)
def upload_docx(
    meeting_id: str,
    ctx: CtxDep,
    user: UserDep,
    s: DbDep,
    file: Annotated[UploadFile, File(description="Die in Word bearbeitete Fassung (DOCX)")],
) -> dict[str, Any]:
    meeting = _meeting_for_review(s, user, meeting_id)
    data = file.file.read(review_docs.MAX_DOCX_BYTES + 1)
    version = review_docs.import_docx(ctx, s, user, meeting, data)
    return review.version_view(version, {user.id: user.display_name or user.username})


@router.get("/meetings/{meeting_id}/versions/{number}/documents/{name}")
def version_document(
    meeting_id: str, number: RowId, name: str, ctx: CtxDep, user: UserDep, s: DbDep
) -> Response:
    meeting = _meeting_for_review(s, user, meeting_id)
    version = review.get_version(s, meeting.id, number)
    content = review_docs.render(ctx, meeting, version, name)
    audit.record(
        s, "document.downloaded", user=user, meeting_id=meeting.id,
        details={"name": name, "version": number},
    )  # fmt: skip
    filename = download_filename(meeting, name, number)
    return Response(
        content, media_type=review_docs.VERSION_DOCUMENTS[name],
        headers=attachment(filename),
    )  # fmt: skip


def segment_view(index: int, seg: Segment, names: dict[str, str], edited: bool) -> dict[str, Any]:
    """One segment of the transcript as the API and the review page's editor read it."""
    return {
        "index": index, "start_s": seg.start_s, "end_s": seg.end_s, "speaker": seg.speaker,
        "name": speaker_display_name(seg.speaker, names), "text": seg.text.strip(),
        "edited": edited,
        "words": [
            {"start_s": w.start_s, "end_s": w.end_s, "text": w.text.strip(),
             "probability": w.probability, "space": w.text[:1].isspace()}
            for w in seg.words
        ],
    }  # fmt: skip


@router.get("/meetings/{meeting_id}/transcript")
def get_transcript(meeting_id: str, ctx: CtxDep, user: UserDep, s: DbDep) -> dict[str, Any]:
    """The transcript of the current version, with its speaker mapping and corrections."""
    meeting = _meeting_for_review(s, user, meeting_id)
    version = review.current_version(s, meeting.id)
    if version is None:
        raise NotFound("Es gibt noch keinen Entwurf der Niederschrift.")
    minutes = review.minutes_of(version)
    transcript = review_docs.load_transcript(ctx, meeting, version)
    return {
        "version": version.number,
        "speaker_names": minutes.speaker_names,
        "segments": [
            segment_view(i, seg, minutes.speaker_names, str(i) in minutes.transcript_edits)
            for i, seg in enumerate(transcript.segments)
        ],
    }


@router.put("/meetings/{meeting_id}/transcript/segments/{index}")
def edit_segment(
    meeting_id: str,
    index: Annotated[int, Path(ge=0, le=MAX_DB_INT)],
    body: SegmentBody,
    ctx: CtxDep,
    user: UserDep,
    s: DbDep,
) -> dict[str, Any]:
    """Correct the text of one transcript segment: a new version of the minutes, based on
    ``base`` (which must be the current one), as every edit. Answers the new version and the
    segment as it reads now (its words keep their times where the text stayed the same)."""
    meeting = _meeting_for_review(s, user, meeting_id)
    request = VersionBody(base=body.base, note=body.note, transcript={str(index): body.text})
    minutes = edited_minutes(ctx, s, meeting, request)
    version = review.save_version(
        s, user, meeting, minutes, source="web", base_number=body.base, note=body.note
    )
    segment = review_docs.load_transcript(ctx, meeting, version).segments[index]
    edited = str(index) in minutes.transcript_edits
    return {
        "version": review.version_view(version, {user.id: user.display_name or user.username}),
        "segment": segment_view(index, segment, minutes.speaker_names, edited),
    }


@router.get("/meetings/{meeting_id}/audio")
def get_audio(meeting_id: str, request: Request, ctx: CtxDep, user: UserDep, s: DbDep) -> Response:
    """The recording of the current version for listening (supports HTTP range requests)."""
    meeting = _meeting_for_review(s, user, meeting_id)
    version = review.current_version(s, meeting.id)
    recording = recording_of_version(s, version) if version else None
    if recording is None:
        raise NotFound("Zu dieser Niederschrift gibt es keine Aufnahme.")
    path, recording = svc.recording_path(ctx, s, user, meeting, recording.id)
    if request.headers.get("range", "bytes=0-").startswith("bytes=0-"):  # not for every seek
        audit.record(
            s, "recording.played", user=user, meeting_id=meeting.id,
            details={"recording_id": recording.id},
        )  # fmt: skip
    return FileResponse(path, media_type=_audio_type(recording.media_format))


def _audio_type(media_format: str) -> str:
    known = {"ogg": "audio/ogg", "mp3": "audio/mpeg", "wav": "audio/wav", "flac": "audio/flac"}
    for key, value in known.items():
        if key in media_format:
            return value
    return (
        "audio/mp4"
        if "mp4" in media_format or "m4a" in media_format
        else "application/octet-stream"
    )


@router.post("/meetings/{meeting_id}/review/{action}")
def review_step(
    meeting_id: str, action: str, body: StepBody, ctx: CtxDep, user: UserDep, s: DbDep
) -> dict[str, Any]:
    meeting = svc.get_meeting(s, user, meeting_id)
    result = review.transition(ctx, s, user, meeting, action, body.reason)
    return {
        "state": result.state,
        "final_approval": result.final_approval,
        "approvals": result.approvals,
        "required": result.required,
        "recordings_deleted": result.recordings_deleted,
    }
