"""Everything a web process or a worker needs, built once from the settings.

The context only holds the parts; `protokoll.service.bootstrap.build_context` builds and
wires them (it is the one module that knows the use cases and the infrastructure both).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from sqlalchemy.orm import Session, object_session

from protokoll.config import Settings
from protokoll.service.infra import jobs as joblib
from protokoll.service.infra import tenancy
from protokoll.service.infra.db import Database
from protokoll.service.infra.queue import JobQueue
from protokoll.service.infra.runner import JobRunner
from protokoll.service.infra.storage import Layout
from protokoll.service.infra.tables import Meeting


@dataclass
class ServiceContext:
    settings: Settings
    layout: Layout
    db: Database
    runner: JobRunner
    queue: JobQueue
    # the municipality whose settings and folder this context holds (see `of`); None: the
    # installation's, as config.toml says
    municipality: str | None = None
    installation: ServiceContext | None = field(default=None, repr=False)

    def of(self, meeting: Meeting) -> ServiceContext:
        """The context for the meeting: its municipality's folder and settings."""
        return self.for_municipality(meeting.municipality_id, object_session(meeting))

    def for_municipality(self, municipality_id: str, s: Session | None) -> ServiceContext:
        if self.municipality == municipality_id:
            return self
        base = self.installation or self
        layout = base.layout.tenant(municipality_id)
        settings = base.settings
        if s is not None:
            settings = tenancy.settings_of(s, base.settings, municipality_id, layout.root)
        return replace(
            base, settings=settings, layout=layout, municipality=municipality_id,
            installation=base,
        )  # fmt: skip

    def reclaim_stale(self) -> list[str]:
        with self.db.session() as s:
            return [job_id for job_id in joblib.stale_jobs(s) if joblib.requeue(s, job_id)]
