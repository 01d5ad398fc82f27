"""The JSON API (`/api/...`, OpenAPI at `/api/openapi.json`). Messages for users are German."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from fastapi import APIRouter, File, HTTPException, Query, Request, Response, UploadFile
from fastapi.responses import FileResponse
from pydantic import BaseModel, Field
from sqlalchemy import select
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from protokoll.service.context import ServiceContext
from protokoll.service.http.deps import SESSION_COOKIE, CallerDep, CtxDep, DbDep, UserDep
from protokoll.service.infra import audit, auth
from protokoll.service.infra.storage import safe_display_name
from protokoll.service.infra.tables import ApiToken, AuditEntry, User
from protokoll.service.usecases import accounts
from protokoll.service.usecases import meetings as svc

router = APIRouter(prefix="/api")


# ---- request bodies ------------------------------------------------------------------------


class LoginBody(BaseModel):
    username: str = Field(max_length=64)
    password: str = Field(max_length=1000)


class PasswordBody(BaseModel):
    old_password: str = Field(max_length=1000)
    new_password: str = Field(max_length=1000)


class TokenBody(BaseModel):
    name: str = Field(default="API", max_length=200)


class UserBody(BaseModel):
    username: str = Field(max_length=64)
    display_name: str = Field(default="", max_length=200)
    password: str = Field(max_length=1000)
    roles: list[str]


class UserPatch(BaseModel):
    display_name: str | None = Field(default=None, max_length=200)
    roles: list[str] | None = None
    active: bool | None = None
    password: str | None = Field(default=None, max_length=1000)


class MeetingBody(BaseModel):
    body: str = Field(max_length=300, description="Gremium, z. B. Gemeinderat")
    date: dt.date
    title: str = Field(default="", max_length=300)
    agenda: dict[str, Any] | None = Field(
        default=None, description="Tagesordnung im Format von docs/agenda-format.md"
    )
    oparl_url: str | None = Field(default=None, max_length=2000)
    members: list[dict[str, Any]] | None = None


class MembersBody(BaseModel):
    members: list[dict[str, Any]]


class UploadBody(BaseModel):
    filename: str = Field(max_length=1000)
    size: int = Field(gt=0)
    sha256: str | None = Field(default=None, description="SHA-256 (hex) zur Prüfung")


class JobBody(BaseModel):
    recording_id: str | None = None
    min_speakers: int | None = Field(default=None, ge=1, le=200)
    max_speakers: int | None = Field(default=None, ge=1, le=200)


class RerunBody(BaseModel):
    stage: str = Field(description="intake | transcription | diarization | assignment | minutes")
    min_speakers: int | None = Field(default=None, ge=1, le=200)
    max_speakers: int | None = Field(default=None, ge=1, le=200)


def user_view(user: User) -> dict[str, Any]:
    return {
        "id": user.id,
        "username": user.username,
        "display_name": user.display_name,
        "roles": sorted(user.role_set),
        "active": user.active,
    }


# ---- login, own account ------------------------------------------------------------------


@router.post("/auth/login", tags=["Anmeldung"])
def login(
    body: LoginBody,
    response: Response,
    ctx: CtxDep,
    s: DbDep,
) -> dict[str, Any]:
    """Anmelden; setzt das Sitzungs-Cookie und liefert das CSRF-Token für Änderungen."""
    try:
        user, token, record = accounts.log_in(s, ctx.settings.service, body.username, body.password)
    except auth.AuthError as exc:
        raise HTTPException(401, str(exc)) from None
    set_session_cookie(response, ctx, token)
    return {"user": user_view(user), "csrf_token": record.csrf_token}


def set_session_cookie(response: Response, ctx: ServiceContext, token: str) -> None:
    service = ctx.settings.service
    response.set_cookie(
        SESSION_COOKIE,
        token,
        max_age=int(service.session_hours * 3600),
        httponly=True,
        samesite="strict",
        secure=service.mode == "produktion",
        path="/",
    )


@router.post("/auth/logout", tags=["Anmeldung"])
def logout(
    request: Request,
    response: Response,
    _caller: CallerDep,
    s: DbDep,
) -> dict[str, str]:
    accounts.log_out(s, _caller.user, request.cookies.get(SESSION_COOKIE))
    response.delete_cookie(SESSION_COOKIE, path="/")
    return {"status": "abgemeldet"}


@router.get("/me", tags=["Anmeldung"])
def me(caller: CallerDep) -> dict[str, Any]:
    return {"user": user_view(caller.user), "csrf_token": caller.csrf_token}


@router.post("/me/password", tags=["Anmeldung"])
def change_password(
    body: PasswordBody,
    request: Request,
    ctx: CtxDep,
    user: UserDep,
    s: DbDep,
) -> dict[str, str]:
    accounts.change_own_password(
        s, ctx.settings.service, user, body.old_password, body.new_password,
        keep_token=request.cookies.get(SESSION_COOKIE),
    )  # fmt: skip
    return {"status": "Passwort geändert"}


@router.get("/me/tokens", tags=["Anmeldung"])
def list_tokens(user: UserDep, s: DbDep) -> list[Any]:
    tokens = s.scalars(select(ApiToken).where(ApiToken.user_id == user.id, ~ApiToken.revoked))
    return [
        {"id": t.id, "name": t.name, "created_at": t.created_at.isoformat(),
         "last_used_at": t.last_used_at.isoformat() if t.last_used_at else None}
        for t in tokens
    ]  # fmt: skip


@router.post("/me/tokens", status_code=201, tags=["Anmeldung"])
def create_token(body: TokenBody, user: UserDep, s: DbDep) -> dict[str, Any]:
    """Ein API-Token für Skripte; es wird nur dieses eine Mal angezeigt."""
    token, record = accounts.create_token(s, user, body.name)
    return {"id": record.id, "name": record.name, "token": token}


@router.delete("/me/tokens/{token_id}", tags=["Anmeldung"])
def revoke_token(token_id: int, user: UserDep, s: DbDep) -> dict[str, str]:
    accounts.revoke_token(s, user, token_id)
    return {"status": "widerrufen"}


# ---- users (admin) -----------------------------------------------------------------------


_admin = accounts.require_admin


@router.get("/users", tags=["Benutzer"])
def list_users(user: UserDep, s: DbDep) -> list[Any]:
    _admin(user)
    return [user_view(u) for u in s.scalars(select(User).order_by(User.username))]


@router.post("/users", status_code=201, tags=["Benutzer"])
def create_user(body: UserBody, user: UserDep, s: DbDep) -> dict[str, Any]:
    _admin(user)
    created = auth.create_user(
        s, body.username, body.password, body.roles, body.display_name, actor=user
    )
    return user_view(created)


@router.patch("/users/{user_id}", tags=["Benutzer"])
def update_user(
    user_id: int,
    body: UserPatch,
    user: UserDep,
    s: DbDep,
) -> dict[str, Any]:
    target = accounts.update_user(
        s, user, user_id, roles=body.roles, active=body.active,
        display_name=body.display_name, password=body.password,
    )  # fmt: skip
    return user_view(target)


# ---- audit log (admin) --------------------------------------------------------------------


@router.get("/audit", tags=["Protokollkette"])
def list_audit(
    user: UserDep,
    s: DbDep,
    after: Annotated[int, Query(ge=0, description="nur Einträge nach dieser Nummer")] = 0,
    limit: Annotated[int, Query(ge=1, le=1000)] = 200,
    meeting_id: str | None = None,
) -> list[Any]:
    """Einträge des Prüfprotokolls (KI-Schritte und menschliche Handlungen), aufsteigend."""
    _admin(user)
    query = select(AuditEntry).where(AuditEntry.seq > after)
    if meeting_id:
        query = query.where(AuditEntry.meeting_id == meeting_id)
    return [audit.entry_view(e) for e in s.scalars(query.order_by(AuditEntry.seq).limit(limit))]


@router.get("/audit/verify", tags=["Protokollkette"])
def verify_audit(user: UserDep, s: DbDep) -> dict[str, Any]:
    """Die Hash-Kette prüfen; nennt den ersten veränderten, fehlenden oder falschen Eintrag."""
    _admin(user)
    result = audit.verify(s)
    return {
        "ok": result.ok,
        "entries": result.entries,
        "first_broken": result.first_broken,
        "message": result.message(),
    }


# ---- meetings ----------------------------------------------------------------------------


@router.get("/meetings", tags=["Sitzungen"])
def list_meetings(user: UserDep, s: DbDep) -> list[Any]:
    return [
        {"id": m.id, "body": m.body, "date": m.date.isoformat(), "title": m.title}
        for m in svc.visible_meetings(s, user)
    ]


@router.post("/meetings", status_code=201, tags=["Sitzungen"])
def create_meeting(
    body: MeetingBody,
    user: UserDep,
    s: DbDep,
) -> dict[str, Any]:
    """Sitzung anlegen, optional mit Tagesordnung (Daten oder OParl-Adresse) und Mitgliedern."""
    meeting = svc.create_meeting(s, user, body=body.body, date=body.date, title=body.title)
    if body.agenda is not None and body.oparl_url:
        raise HTTPException(422, "Bitte entweder eine Tagesordnung oder eine OParl-Adresse.")
    if body.agenda is not None:
        svc.set_agenda_data(s, user, meeting, body.agenda)
    elif body.oparl_url:
        svc.set_agenda_url(s, user, meeting, body.oparl_url)
    if body.members is not None:
        svc.set_members(s, user, meeting, body.members)
    return svc.meeting_view(s, user, meeting)


@router.get("/meetings/{meeting_id}", tags=["Sitzungen"])
def get_meeting(meeting_id: str, user: UserDep, s: DbDep) -> dict[str, Any]:
    return svc.meeting_view(s, user, svc.get_meeting(s, user, meeting_id))


@router.put("/meetings/{meeting_id}/agenda", tags=["Sitzungen"])
async def put_agenda(
    meeting_id: str,
    file: Annotated[UploadFile, File(description="Tagesordnung: .toml, .json oder .docx")],
    ctx: CtxDep,
    user: UserDep,
    s: DbDep,
) -> dict[str, Any]:
    data = await file.read(int(ctx.settings.service.agenda_max_mb * 1024**2) + 1)

    def store() -> dict[str, Any]:
        meeting = svc.get_meeting(s, user, meeting_id)
        svc.set_agenda_file(ctx, s, user, meeting, file.filename or "tagesordnung", data)
        return svc.meeting_view(s, user, meeting)

    return await run_in_threadpool(store)


@router.put("/meetings/{meeting_id}/members", tags=["Sitzungen"])
def put_members(
    meeting_id: str,
    body: MembersBody,
    user: UserDep,
    s: DbDep,
) -> dict[str, Any]:
    meeting = svc.get_meeting(s, user, meeting_id)
    svc.set_members(s, user, meeting, body.members)
    return svc.meeting_view(s, user, meeting)


@router.delete("/meetings/{meeting_id}", tags=["Sitzungen"])
def delete_meeting(
    meeting_id: str,
    ctx: CtxDep,
    user: UserDep,
    s: DbDep,
) -> dict[str, str]:
    """Sitzung mit Aufnahmen, Zwischenständen und Dokumenten löschen."""
    svc.delete_meeting(ctx, s, user, svc.get_meeting(s, user, meeting_id))
    return {"status": "gelöscht"}


# ---- recordings and uploads ----------------------------------------------------------------


@router.post("/meetings/{meeting_id}/uploads", status_code=201, tags=["Aufnahmen"])
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


@router.get("/uploads/{upload_id}", tags=["Aufnahmen"])
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


@router.put("/uploads/{upload_id}", tags=["Aufnahmen"])
async def put_chunk(
    upload_id: str,
    request: Request,
    offset: Annotated[int, Query(ge=0)],
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


@router.post("/uploads/{upload_id}/complete", status_code=201, tags=["Aufnahmen"])
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


@router.delete("/uploads/{upload_id}", tags=["Aufnahmen"])
def abort_upload(
    upload_id: str,
    ctx: CtxDep,
    user: UserDep,
    s: DbDep,
) -> dict[str, str]:
    svc.abort_upload(ctx, svc.get_upload(s, user, upload_id))
    return {"status": "abgebrochen"}


@router.get("/meetings/{meeting_id}/recordings/{recording_id}", tags=["Aufnahmen"])
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


@router.delete("/meetings/{meeting_id}/recordings/{recording_id}", tags=["Aufnahmen"])
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


# ---- jobs and documents --------------------------------------------------------------------


def _enqueue(ctx: ServiceContext, s: Session, job_id: str) -> None:
    s.commit()  # the worker must see the job before it gets the message
    ctx.queue.enqueue(job_id)


@router.post("/meetings/{meeting_id}/jobs", status_code=202, tags=["Verarbeitung"])
def start_job(
    meeting_id: str,
    body: JobBody,
    ctx: CtxDep,
    user: UserDep,
    s: DbDep,
) -> dict[str, Any]:
    """Verarbeitung starten (Transkription, Sprecher, Niederschrift)."""
    meeting = svc.get_meeting(s, user, meeting_id)
    params = body.model_dump(include={"min_speakers", "max_speakers"}, exclude_none=True)
    job = svc.start_job(ctx, s, user, meeting, recording_id=body.recording_id, params=params)
    _enqueue(ctx, s, job.id)
    s.refresh(job)
    return svc.job_view(job)


@router.get("/meetings/{meeting_id}/jobs", tags=["Verarbeitung"])
def list_jobs(meeting_id: str, user: UserDep, s: DbDep) -> list[Any]:
    meeting = svc.get_meeting(s, user, meeting_id)
    return [svc.job_view(j) for j in svc.jobs_of(s, meeting)]


@router.get("/jobs/{job_id}", tags=["Verarbeitung"])
def get_job(job_id: str, user: UserDep, s: DbDep) -> dict[str, Any]:
    """Stand, Fortschritt (0–1), geschätzte Restzeit in Sekunden, Fehler."""
    job, _meeting = svc.get_job(s, user, job_id)
    return svc.job_view(job)


@router.post("/jobs/{job_id}/retry", status_code=202, tags=["Verarbeitung"])
def retry_job(
    job_id: str,
    ctx: CtxDep,
    user: UserDep,
    s: DbDep,
) -> dict[str, Any]:
    """Fehlgeschlagenen oder abgebrochenen Auftrag ab dem letzten Zwischenstand fortsetzen."""
    job, meeting = svc.get_job(s, user, job_id)
    svc.retry_job(s, user, job, meeting)
    _enqueue(ctx, s, job.id)
    s.refresh(job)
    return svc.job_view(job)


@router.post("/jobs/{job_id}/rerun", status_code=202, tags=["Verarbeitung"])
def rerun_job(
    job_id: str,
    body: RerunBody,
    ctx: CtxDep,
    user: UserDep,
    s: DbDep,
) -> dict[str, Any]:
    """Einen Schritt und die folgenden erneut ausführen, z. B. die Sprechererkennung mit
    anderer Sprecherzahl, ohne erneute Transkription."""
    job, meeting = svc.get_job(s, user, job_id)
    params = body.model_dump(include={"min_speakers", "max_speakers"}, exclude_none=True)
    svc.rerun_job(ctx, s, user, job, meeting, body.stage, params)
    _enqueue(ctx, s, job.id)
    s.refresh(job)
    return svc.job_view(job)


@router.post("/jobs/{job_id}/cancel", tags=["Verarbeitung"])
def cancel_job(job_id: str, user: UserDep, s: DbDep) -> dict[str, Any]:
    job, meeting = svc.get_job(s, user, job_id)
    svc.cancel_job(s, user, job, meeting)
    return svc.job_view(job)


@router.get("/jobs/{job_id}/outputs", tags=["Dokumente"])
def list_outputs(
    job_id: str,
    ctx: CtxDep,
    user: UserDep,
    s: DbDep,
) -> list[Any]:
    job, meeting = svc.get_job(s, user, job_id)
    return [
        {"name": o.name, "label": o.label, "size_bytes": o.size_bytes,
         "url": f"/api/jobs/{job.id}/outputs/{o.name}"}
        for o in svc.outputs(ctx, user, meeting, job)
    ]  # fmt: skip


@router.get("/jobs/{job_id}/outputs/{name}", tags=["Dokumente"])
def download_output(
    job_id: str,
    name: str,
    ctx: CtxDep,
    user: UserDep,
    s: DbDep,
) -> FileResponse:
    job, meeting = svc.get_job(s, user, job_id)
    path = svc.output_path(ctx, user, meeting, job, name)
    audit.record(
        s, "document.downloaded", user=user, meeting_id=meeting.id, job_id=job.id,
        details={"name": name},
    )  # fmt: skip
    download = f"{meeting.date.isoformat()}_{safe_display_name(meeting.body)}_{name}"
    return FileResponse(path, filename=download)


# the review routes (versions, review steps, publication, register) live in their own module
from protokoll.service.http import api_review  # noqa: E402

router.include_router(api_review.router)
