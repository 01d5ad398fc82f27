"""The documents a job produced (`/api/jobs/{id}/outputs`): list those the caller may see,
and download one; every download is recorded in the audit log."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from fastapi.responses import FileResponse

from protokoll.service.http.api.common import download_filename
from protokoll.service.http.deps import CtxDep, DbDep, UserDep
from protokoll.service.infra import audit
from protokoll.service.usecases import meetings as svc

router = APIRouter(prefix="/api", tags=["Dokumente"])


@router.get("/jobs/{job_id}/outputs")
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


@router.get("/jobs/{job_id}/outputs/{name}")
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
    return FileResponse(path, filename=download_filename(meeting, name))
