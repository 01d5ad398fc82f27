"""Builds the service's context from the settings: folders, database, queue, job runner.

This is the composition root: it wires the use cases (a finished AI draft becomes a
minutes version; the retention sweep) into the infrastructure as plain callables, so the
infrastructure never imports a use case.
"""

from __future__ import annotations

import logging
from pathlib import Path

from protokoll.config import Settings
from protokoll.pipeline.runner import ModelSteps, Steps
from protokoll.pipeline.warm import WarmSteps
from protokoll.service.context import ServiceContext
from protokoll.service.infra import audit
from protokoll.service.infra.audit_seal import AnchorFile
from protokoll.service.infra.db import Database, database_url, make_engine, migrate, open_database
from protokoll.service.infra.queue import JobQueue
from protokoll.service.infra.runner import JobRunner
from protokoll.service.infra.storage import Layout
from protokoll.service.usecases import minutes_review, retention

log = logging.getLogger(__name__)


def housekeeping(ctx: ServiceContext) -> list[str]:
    """What the workers do every minute: re-queue stale jobs, apply the retention period
    to recordings. Returns the re-queued job ids."""
    reclaimed = ctx.reclaim_stale()
    try:
        retention.sweep_expired(ctx)
    except Exception:  # the next minute tries again; reclaiming must not stop
        log.exception("retention sweep failed")
    try:
        anchor_daily(ctx.db)
    except Exception:
        log.exception("audit anchor failed")
    return reclaimed


def anchor_daily(db: Database) -> None:
    """Once a day the chain's head goes to the anchor file outside the database."""
    anchors = db.audit_anchors
    if isinstance(anchors, AnchorFile) and not anchors.anchored_today():
        with db.session() as s:
            result = audit.seal(s)
        if not result.ok:
            log.error("Protokollkette unterbrochen: %s", result.message())


def worker_steps(settings: Settings) -> Steps:
    """The model steps a worker runs jobs on: the models kept between jobs (`[service]
    keep_models`, within `model_memory_mb`), or loaded afresh for each job. Nothing is
    loaded before the first job."""
    return WarmSteps.from_settings(settings) if settings.service.keep_models else ModelSteps()


def build_context(
    settings: Settings, *, stages: Steps | None = None, base: Path | None = None
) -> ServiceContext:
    """Create folders, migrate the database to the newest schema, wire queue and runner."""
    data_dir = settings.service.data_dir
    if not data_dir.is_absolute():
        data_dir = (base or Path.cwd()) / data_dir
    layout = Layout(data_dir)
    layout.ensure()
    engine = make_engine(database_url(settings.service.database_url, data_dir))
    migrate(engine)
    db = open_database(settings, data_dir, engine)
    runner = JobRunner(
        db, layout, settings, stages or worker_steps(settings), on_draft=minutes_review.add_ai_draft
    )
    holder: dict[str, ServiceContext] = {}
    queue = JobQueue(
        settings.service,
        data_dir,
        run_job=runner.run,
        reclaim=lambda: housekeeping(holder["ctx"]),
        retry_delay=runner.retry_delay_s,
    )
    ctx = ServiceContext(settings=settings, layout=layout, db=db, runner=runner, queue=queue)
    holder["ctx"] = ctx
    return ctx
