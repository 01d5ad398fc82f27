"""Everything a web process or a worker needs, built once from the settings."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

from protokoll.config import Settings
from protokoll.service import jobs as joblib
from protokoll.service.db import Database, database_url, make_engine, migrate
from protokoll.service.queue import JobQueue
from protokoll.service.runner import JobRunner, Stages
from protokoll.service.storage import Layout

log = logging.getLogger(__name__)


@dataclass
class ServiceContext:
    settings: Settings
    layout: Layout
    db: Database
    runner: JobRunner
    queue: JobQueue

    def reclaim_stale(self) -> list[str]:
        with self.db.session() as s:
            return [job_id for job_id in joblib.stale_jobs(s) if joblib.requeue(s, job_id)]

    def housekeeping(self) -> list[str]:
        """What the workers do every minute: re-queue stale jobs, apply the retention period
        to recordings. Returns the re-queued job ids."""
        from protokoll.service import retention  # imports this module

        reclaimed = self.reclaim_stale()
        try:
            retention.sweep_expired(self)
        except Exception:  # the next minute tries again; reclaiming must not stop
            log.exception("retention sweep failed")
        return reclaimed


def build_context(
    settings: Settings, *, stages: Stages | None = None, base: Path | None = None
) -> ServiceContext:
    """Create folders, migrate the database to the newest schema, wire queue and runner."""
    data_dir = settings.service.data_dir
    if not data_dir.is_absolute():
        data_dir = (base or Path.cwd()) / data_dir
    layout = Layout(data_dir)
    layout.ensure()
    engine = make_engine(database_url(settings.service.database_url, data_dir))
    migrate(engine)
    db = Database(engine)
    runner = JobRunner(db, layout, settings, stages)
    holder: dict[str, ServiceContext] = {}
    queue = JobQueue(
        settings.service,
        data_dir,
        run_job=runner.run,
        reclaim=lambda: holder["ctx"].housekeeping(),
    )
    ctx = ServiceContext(settings=settings, layout=layout, db=db, runner=runner, queue=queue)
    holder["ctx"] = ctx
    return ctx
