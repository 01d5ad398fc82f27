"""Processing jobs (transcription, speakers, minutes): start one for a meeting, list a
meeting's jobs, show progress, and retry, rerun from a stage, or cancel a job. A started job
is committed before its id goes to the queue, so the worker always finds it."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from pydantic import BaseModel, Field
from sqlalchemy.orm import Session

from protokoll.service.context import ServiceContext
from protokoll.service.http.deps import CtxDep, DbDep, UserDep
from protokoll.service.infra.tables import Job
from protokoll.service.usecases import meetings as svc

router = APIRouter(prefix="/api", tags=["Verarbeitung"])


class JobBody(BaseModel):
    recording_id: str | None = None
    min_speakers: int | None = Field(default=None, ge=1, le=200)
    max_speakers: int | None = Field(default=None, ge=1, le=200)


class RerunBody(BaseModel):
    stage: str = Field(description="intake | transcription | diarization | assignment | minutes")
    min_speakers: int | None = Field(default=None, ge=1, le=200)
    max_speakers: int | None = Field(default=None, ge=1, le=200)


def _view(s: Session, job: Job) -> dict[str, Any]:
    """The job, with its place in the queue while it waits."""
    return svc.job_view(job, svc.queue_positions(s).get(job.id))


def _enqueue(ctx: ServiceContext, s: Session, job_id: str) -> None:
    s.commit()  # the worker must see the job before it gets the message
    ctx.queue.enqueue(job_id)


@router.post("/meetings/{meeting_id}/jobs", status_code=202)
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
    return _view(s, job)


@router.get("/meetings/{meeting_id}/jobs")
def list_jobs(meeting_id: str, user: UserDep, s: DbDep) -> list[Any]:
    meeting = svc.get_meeting(s, user, meeting_id)
    places = svc.queue_positions(s)
    return [svc.job_view(j, places.get(j.id)) for j in svc.jobs_of(s, meeting)]


@router.get("/queue")
def queue(user: UserDep, s: DbDep) -> dict[str, list[dict[str, Any]]]:
    """Die Warteschlange der eigenen Kommune: wartende und laufende Aufträge (mit Platz in
    der Warteschlange, Fortschritt und Restzeit), dann die der letzten 7 Tage beendeten (mit
    der Dauer jedes Schritts)."""
    return svc.queue_view(s, user)


@router.get("/jobs/{job_id}")
def get_job(job_id: str, user: UserDep, s: DbDep) -> dict[str, Any]:
    """Stand, Fortschritt (0–1), geschätzte Restzeit in Sekunden, Fehler, Platz in der
    Warteschlange (wartende Aufträge), Dauer jedes fertigen Schritts, und ob das Transkript
    schon fertig ist (seine Dokumente sind dann abrufbar, während die Niederschrift entsteht)."""
    job, _meeting = svc.get_job(s, user, job_id)
    return _view(s, job)


@router.post("/jobs/{job_id}/retry", status_code=202)
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
    return _view(s, job)


@router.post("/jobs/{job_id}/rerun", status_code=202)
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
    return _view(s, job)


@router.post("/jobs/{job_id}/cancel")
def cancel_job(job_id: str, user: UserDep, s: DbDep) -> dict[str, Any]:
    job, meeting = svc.get_job(s, user, job_id)
    svc.cancel_job(s, user, job, meeting)
    return _view(s, job)
