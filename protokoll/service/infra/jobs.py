"""The life of a job in the database: queued, claimed by one worker, progress, end.

A worker claims a job with one conditional UPDATE, so two workers never run
the same job; while it runs, the worker renews a lease. A job whose lease has
run out (its worker crashed or was killed) is queued again by the next worker
that looks (`reclaim_stale`), and resumes from its checkpoints.

Every change of hands is an audit entry in the same transaction: `job.claimed`
(worker, attempt; `taken_over_from` when an expired lease was taken directly) and
`job.reclaimed` (the worker whose lease ran out or whose process is gone). With the
stage entries (worker) and the end entries of the runner (`job.done`, `job.failed`,
`job.stopped`, `job.retry_scheduled`, each with worker and attempt) the log shows who
held a job when; the writes of a worker check that it still holds the job
(`store_stages`, `release`), so a worker that lost its lease adds nothing after it.
"""

from __future__ import annotations

import datetime as dt
import os
import socket
from typing import Any

from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session

from protokoll.service.infra import audit
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
    """Take the job if it is queued or its worker's lease has run out (audited)."""
    seen = db.execute(
        select(Job.state, Job.worker, Job.attempts, Job.meeting_id).where(Job.id == job_id)
    ).one_or_none()
    if seen is None:
        return False
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
            # unchanged since read, so the audit entry names the right predecessor
            Job.state == seen.state,
            Job.worker.is_not_distinct_from(seen.worker),
            Job.attempts == seen.attempts,
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
    if getattr(result, "rowcount", 0) != 1:
        return False
    details: dict[str, object] = {"worker": worker, "attempt": seen.attempts + 1}
    if seen.state == "running":
        details["taken_over_from"] = seen.worker
    audit.record(
        db, "job.claimed", kind="system", actor="worker", meeting_id=seen.meeting_id,
        job_id=job_id, details=details,
    )  # fmt: skip
    return True


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


def store_stages(db: Session, job_id: str, worker: str, stages: dict[str, Any]) -> bool:
    """Store the job's stage records if `worker` still holds the job; False if not. The
    UPDATE keeps the row locked to the end of the transaction, so an entry written after it
    comes before a later claim in the audit log."""
    result = db.execute(
        update(Job)
        .where(Job.id == job_id, Job.worker == worker, Job.state == "running")
        .values(stages=stages)
        .execution_options(synchronize_session=False)
    )
    return bool(getattr(result, "rowcount", 0) == 1)


def release(db: Session, job_id: str, worker: str) -> bool:
    """Give up the lease of a job `worker` still holds, before recording its end; False if
    another worker holds it now (the row stays locked to the end of the transaction)."""
    result = db.execute(
        update(Job)
        .where(Job.id == job_id, Job.worker == worker)
        .values(lease_until=None)
        .execution_options(synchronize_session=False)
    )
    return bool(getattr(result, "rowcount", 0) == 1)


def stale_jobs(db: Session) -> list[str]:
    """Running jobs whose lease has run out, and this host's jobs whose process is gone."""
    now = utcnow()
    host = socket.gethostname()
    return [
        job.id
        for job in db.scalars(select(Job).where(Job.state == "running"))
        if _stale(job, now, host)
    ]


def _stale(job: Job, now: dt.datetime, host: str) -> str | None:
    """Why the running `job` has no worker any more, or None."""
    if job.lease_until is not None and job.lease_until < now:
        return "lease_expired"
    name, _, pid = (job.worker or "").rpartition(":")
    if name == host and pid.isdigit() and not _alive(int(pid)):
        return "process_gone"
    return None


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

    The job is read afresh and changed only if it is still stale and unchanged since: a
    job that another worker reclaimed and claimed in the meantime stays with that worker.
    Audited as `job.reclaimed`. Returns whether the job should be handed to the queue."""
    job = db.scalars(
        select(Job).where(Job.id == job_id).execution_options(populate_existing=True)
    ).one_or_none()
    if job is None or job.state != "running":
        return False
    now = utcnow()
    reason = _stale(job, now, socket.gethostname())
    if reason is None:
        return False
    cancelled = bool(job.cancel_requested)
    values: dict[str, object] = {"worker": None, "lease_until": None, "state": "queued"}
    if cancelled:
        values.update(state="cancelled", cancel_requested=False, finished_at=now)
    result = db.execute(
        update(Job)
        .where(
            Job.id == job_id,
            Job.state == "running",
            Job.worker.is_not_distinct_from(job.worker),
            Job.attempts == job.attempts,
            Job.cancel_requested.is_(cancelled),
        )
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    if getattr(result, "rowcount", 0) != 1:
        return False
    lease = job.lease_until.isoformat() if job.lease_until is not None else None
    audit.record(
        db, "job.reclaimed", kind="system", actor="worker", meeting_id=job.meeting_id,
        job_id=job_id, details={"worker": job.worker, "attempt": job.attempts,
                                "reason": reason, "lease_until": lease, "state": values["state"]},
    )  # fmt: skip
    db.expire(job)
    return not cancelled
