"""Everything a web process or a worker needs, built once from the settings.

The context only holds the parts; `protokoll.service.bootstrap.build_context` builds and
wires them (it is the one module that knows the use cases and the infrastructure both).
"""

from __future__ import annotations

from dataclasses import dataclass

from protokoll.config import Settings
from protokoll.service.infra import jobs as joblib
from protokoll.service.infra.db import Database
from protokoll.service.infra.queue import JobQueue
from protokoll.service.infra.runner import JobRunner
from protokoll.service.infra.storage import Layout


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
