"""Meetings (`/api/meetings`): list the meetings the caller may see, create one (optionally
with its agenda as data or an OParl address, and its members), show, replace the agenda
(file upload) or the member list, and delete a meeting with everything that belongs to it."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from fastapi import APIRouter, File, HTTPException, Query, UploadFile
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool

from protokoll.service.http.deps import CtxDep, DbDep, UserDep
from protokoll.service.usecases import meetings as svc

router = APIRouter(prefix="/api", tags=["Sitzungen"])


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


@router.get("/meetings")
def list_meetings(user: UserDep, s: DbDep) -> list[Any]:
    return [
        {"id": m.id, "body": m.body, "date": m.date.isoformat(), "title": m.title}
        for m in svc.visible_meetings(s, user)
    ]


@router.post("/meetings", status_code=201)
def create_meeting(
    body: MeetingBody,
    ctx: CtxDep,
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
        svc.set_agenda_url(ctx, s, user, meeting, body.oparl_url)
    if body.members is not None:
        svc.set_members(s, user, meeting, body.members)
    return svc.meeting_view(s, user, meeting)


@router.get("/meetings/{meeting_id}")
def get_meeting(meeting_id: str, user: UserDep, s: DbDep) -> dict[str, Any]:
    return svc.meeting_view(s, user, svc.get_meeting(s, user, meeting_id))


@router.put("/meetings/{meeting_id}/agenda")
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


@router.put("/meetings/{meeting_id}/members")
def put_members(
    meeting_id: str,
    body: MembersBody,
    user: UserDep,
    s: DbDep,
) -> dict[str, Any]:
    meeting = svc.get_meeting(s, user, meeting_id)
    svc.set_members(s, user, meeting, body.members)
    return svc.meeting_view(s, user, meeting)


@router.delete("/meetings/{meeting_id}")
def delete_meeting(
    meeting_id: str,
    ctx: CtxDep,
    user: UserDep,
    s: DbDep,
    grund: Annotated[str, Query(max_length=2000)] = "",
) -> dict[str, str]:
    """Sitzung mit Aufnahmen, Zwischenständen und Dokumenten löschen. Eine Sitzung mit
    veröffentlichter Niederschrift löscht nur die Verwaltung, mit Begründung (`grund`)."""
    svc.delete_meeting(ctx, s, user, svc.get_meeting(s, user, meeting_id), grund)
    return {"status": "gelöscht"}
