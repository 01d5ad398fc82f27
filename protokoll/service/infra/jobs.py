"""The life of a job in the database: queued, claimed by one worker, progress, end.

A worker claims a job with one conditional UPDATE, so two workers never run
the same job; while it runs, the worker renews a lease. A job whose lease has
run out (its worker crashed or was killed) is queued again by the next worker
that looks (`reclaim_stale`), and resumes from its checkpoints.
"""

from __future__ import annotations

import datetime as dt
import os
import socket

from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session

from protokoll.service.infra.tables import Job, utcnow

STATE_LABELS = {
    "queued": "wartet",
    "running": "läuft",
    "done": "fertig",
    "failed": "fehlgeschlagen",
    "cancelled": "abgebrochen",
}


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def claim(db: Session, job_id: str, worker: str, lease_s: float) -> bool:
    """Take the job if it is queued or its worker's lease has run out."""
    now = utcnow()
    result = db.execute(
        update(Job)
        .where(
            Job.id == job_id,
            or_(
                Job.state == "queued",
                (Job.state == "running") & (Job.lease_until < now),
            ),
            Job.cancel_requested.is_(False),
        )
        .values(
            state="running",
            worker=worker,
            lease_until=now + dt.timedelta(seconds=lease_s),
            attempts=Job.attempts + 1,
            started_at=now,
            error=None,
        )
        .execution_options(synchronize_session=False)
    )
    return bool(getattr(result, "rowcount", 0) == 1)


def renew(
    db: Session,
    job_id: str,
    worker: str,
    lease_s: float,
    *,
    stage: str | None,
    stage_progress: float,
    progress: float,
    eta_s: float | None,
) -> bool:
    """Extend the lease and store progress; False if the job is no longer this worker's."""
    result = db.execute(
        update(Job)
        .where(Job.id == job_id, Job.worker == worker, Job.state == "running")
        .values(
            lease_until=utcnow() + dt.timedelta(seconds=lease_s),
            stage=stage,
            stage_progress=stage_progress,
            progress=progress,
            eta_s=eta_s,
        )
        .execution_options(synchronize_session=False)
    )
    return bool(getattr(result, "rowcount", 0) == 1)


def stale_jobs(db: Session) -> list[str]:
    """Running jobs whose lease has run out, and this host's jobs whose process is gone."""
    now = utcnow()
    host = socket.gethostname()
    ids = []
    for job in db.scalars(select(Job).where(Job.state == "running")):
        if job.lease_until is not None and job.lease_until < now:
            ids.append(job.id)
            continue
        name, _, pid = (job.worker or "").rpartition(":")
        if name == host and pid.isdigit() and not _alive(int(pid)):
            ids.append(job.id)
    return ids


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def requeue(db: Session, job_id: str) -> bool:
    """Queue a stale job again; one whose cancellation was asked for ends as cancelled.

    Returns whether the job should be handed to the queue."""
    job = db.get(Job, job_id)
    if job is None or job.state != "running":
        return False
    job.worker, job.lease_until = None, None
    if job.cancel_requested:
        job.state, job.cancel_requested, job.finished_at = "cancelled", False, utcnow()
        return False
    job.state = "queued"
    return True
