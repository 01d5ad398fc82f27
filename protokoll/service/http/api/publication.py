"""The published documents of a meeting (`/api/meetings/{id}/published`): list those the
caller may see (confidential ones only with access to them) and download one; every
download is recorded in the audit log."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from fastapi.responses import FileResponse

from protokoll.service.context import ServiceContext
from protokoll.service.http.api.common import download_filename
from protokoll.service.http.deps import CtxDep, DbDep, UserDep
from protokoll.service.infra import audit
from protokoll.service.infra.tables import Meeting, User
from protokoll.service.usecases import access, publishing
from protokoll.service.usecases import meetings as svc
from protokoll.service.usecases.access import NotFound

router = APIRouter(prefix="/api", tags=["Veröffentlichung"])


@router.get("/meetings/{meeting_id}/published")
def list_published(meeting_id: str, ctx: CtxDep, user: UserDep, s: DbDep) -> list[dict[str, Any]]:
    meeting = svc.get_meeting(s, user, meeting_id)
    names = published_for(ctx, user, meeting)
    folder = ctx.of(meeting).layout.published(meeting.id)
    return [
        {
            "name": n,
            "label": publishing.PUBLISHED_LABELS[n],
            "size_bytes": (folder / n).stat().st_size,
            "url": f"/api/meetings/{meeting.id}/published/{n}",
        }
        for n in names
    ]


def published_for(ctx: ServiceContext, user: User, meeting: Meeting) -> list[str]:
    return publishing.published_files(
        ctx, meeting, confidential=access.can_see_confidential(user, meeting)
    )


@router.get("/meetings/{meeting_id}/published/{name}")
def download_published(
    meeting_id: str, name: str, ctx: CtxDep, user: UserDep, s: DbDep
) -> FileResponse:
    meeting = svc.get_meeting(s, user, meeting_id)
    if name not in published_for(ctx, user, meeting):
        raise NotFound("Dieses Dokument gibt es nicht oder Sie haben keinen Zugriff darauf.")
    audit.record(
        s, "document.downloaded", user=user, meeting_id=meeting.id,
        details={"name": name, "published": True},
    )  # fmt: skip
    return FileResponse(
        ctx.of(meeting).layout.published(meeting.id) / name,
        filename=download_filename(meeting, name),
    )
