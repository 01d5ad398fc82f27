"""Recordings and their resumable uploads: start an upload for a meeting, send the file in
chunks (`PUT /api/uploads/{id}?offset=N`), ask where an interrupted upload stands, complete
it (checked and stored as a recording) or abort it; download or delete a stored recording."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import FileResponse
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool

from protokoll.service.context import ServiceContext
from protokoll.service.http.deps import MAX_DB_INT, CtxDep, DbDep, UserDep
from protokoll.service.infra import audit
from protokoll.service.usecases import meetings as svc

router = APIRouter(prefix="/api", tags=["Aufnahmen"])


class UploadBody(BaseModel):
    filename: str = Field(max_length=1000)
    size: int = Field(ge=0, le=MAX_DB_INT)  # 0: the use case says „leer“ in German
    sha256: str | None = Field(default=None, description="SHA-256 (hex) zur Prüfung")


@router.post("/meetings/{meeting_id}/uploads", status_code=201)
def start_upload(
    meeting_id: str,
    body: UploadBody,
    ctx: CtxDep,
    user: UserDep,
    s: DbDep,
) -> dict[str, Any]:
    """Upload beginnen. Danach die Datei in Teilen senden (PUT …/uploads/{id}?offset=N),
    zuletzt abschließen (POST …/uploads/{id}/complete). Ein abgebrochener Upload wird
    mit GET …/uploads/{id} (liefert `offset`) dort fortgesetzt."""
    meeting = svc.get_meeting(s, user, meeting_id)
    upload = svc.start_upload(
        ctx, s, user, meeting, filename=body.filename, size=body.size, sha256=body.sha256
    )
    return _upload_view(ctx, upload)


def _upload_view(ctx: ServiceContext, upload: Any) -> dict[str, Any]:
    return {
        "id": upload.id,
        "meeting_id": upload.meeting_id,
        "name": upload.original_name,
        "size": upload.size_bytes,
        "offset": upload.received_bytes,
        "state": upload.state,
        "error": upload.error,
        "recording_id": upload.recording_id,
        "chunk_bytes": ctx.settings.service.upload_chunk_mb * 1024**2,
    }


@router.get("/uploads/{upload_id}")
def get_upload(
    upload_id: str,
    ctx: CtxDep,
    user: UserDep,
    s: DbDep,
) -> dict[str, Any]:
    upload = svc.get_upload(s, user, upload_id)
    part = ctx.layout.upload_part(upload.id)
    if upload.state == "open":
        upload.received_bytes = part.stat().st_size if part.exists() else 0
    return _upload_view(ctx, upload)


@router.put("/uploads/{upload_id}")
async def put_chunk(
    upload_id: str,
    request: Request,
    offset: Annotated[int, Query(ge=0, le=MAX_DB_INT)],
    ctx: CtxDep,
    user: UserDep,
    s: DbDep,
) -> dict[str, Any]:
    """Einen Teil der Datei senden (Rohdaten im Body), ab Byte `offset`."""

    def load() -> Any:
        upload = svc.get_upload(s, user, upload_id)
        s.commit()  # no transaction stays open while the body streams in
        return upload

    upload = await run_in_threadpool(load)
    size = await svc.receive_chunk(ctx, upload, offset, request.stream())
    upload.received_bytes = size
    upload.updated_at = dt.datetime.now(dt.UTC)
    return _upload_view(ctx, upload)


@router.post("/uploads/{upload_id}/complete", status_code=201)
def complete_upload(
    upload_id: str,
    ctx: CtxDep,
    user: UserDep,
    s: DbDep,
) -> dict[str, Any]:
    """Upload prüfen (Inhalt, Format, Vollständigkeit, Prüfsumme) und als Aufnahme speichern."""
    upload = svc.get_upload(s, user, upload_id)
    try:
        recording = svc.complete_upload(ctx, s, upload)
    except Exception:
        s.commit()  # the upload's failed state and message stay recorded
        raise
    return svc.recording_view(recording)


@router.delete("/uploads/{upload_id}")
def abort_upload(
    upload_id: str,
    ctx: CtxDep,
    user: UserDep,
    s: DbDep,
) -> dict[str, str]:
    svc.abort_upload(ctx, svc.get_upload(s, user, upload_id))
    return {"status": "abgebrochen"}


@router.get("/meetings/{meeting_id}/recordings/{recording_id}")
def download_recording(
    meeting_id: str,
    recording_id: str,
    ctx: CtxDep,
    user: UserDep,
    s: DbDep,
) -> FileResponse:
    meeting = svc.get_meeting(s, user, meeting_id)
    path, recording = svc.recording_path(ctx, s, user, meeting, recording_id)
    audit.record(
        s, "recording.downloaded", user=user, meeting_id=meeting.id,
        details={"recording_id": recording.id},
    )  # fmt: skip
    return FileResponse(path, filename=recording.original_name)


@router.delete("/meetings/{meeting_id}/recordings/{recording_id}")
def delete_recording(
    meeting_id: str,
    recording_id: str,
    ctx: CtxDep,
    user: UserDep,
    s: DbDep,
) -> dict[str, str]:
    meeting = svc.get_meeting(s, user, meeting_id)
    svc.delete_recording(ctx, s, user, meeting, recording_id)
    return {"status": "gelöscht"}
