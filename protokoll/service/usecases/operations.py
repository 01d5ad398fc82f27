"""What operators watch: Prometheus metrics and the readiness of an instance.

The metrics are read from the database at each scrape, so every web instance of a cluster
reports the same figures, nothing is lost when a process restarts, and workers on other
machines need no endpoint of their own:

- `protokoll_jobs{state}`: jobs by state (queued, running, done, failed, cancelled, …);
- `protokoll_queue_length`: jobs waiting for a worker;
- `protokoll_stage_duration_seconds{stage}`: a histogram of how long each finished stage
  of every job took (from the jobs' stage records);
- `protokoll_worker_heartbeat_timestamp_seconds{worker}`: the last heartbeat of each worker
  that holds a job (a running job renews its lease every `heartbeat_s`);
- `protokoll_upload_bytes_total`: bytes of all recordings received;
- `protokoll_gpu_memory_allocated_bytes{device}`: where this process uses a CUDA GPU;
- `protokoll_build_info{version}`.

No label carries a meeting, a name or any text of a session.
"""

from __future__ import annotations

import datetime as dt
import sys
import tempfile
from collections.abc import Iterator
from typing import Any

from prometheus_client.core import (
    CounterMetricFamily,
    GaugeMetricFamily,
    HistogramMetricFamily,
    Metric,
)
from prometheus_client.registry import Collector
from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from protokoll import __version__
from protokoll.service.context import ServiceContext
from protokoll.service.infra.jobs import STATE_LABELS
from protokoll.service.infra.tables import Job, Recording

# seconds; stages run from seconds (intake of a short file) to hours (a long session on CPU)
STAGE_BUCKETS = (1, 5, 15, 30, 60, 120, 300, 600, 1200, 1800, 3600, 7200, 14400)


class DatabaseMetrics(Collector):
    """A Prometheus collector that reads the service database at every scrape."""

    def __init__(self, ctx: ServiceContext) -> None:
        self.ctx = ctx

    def collect(self) -> Iterator[Metric]:
        with self.ctx.db.session() as s:
            yield from _job_metrics(s)
            yield from _stage_metrics(s)
            yield from _worker_metrics(s, self.ctx.settings.service.worker_lease_s)
            uploaded = s.scalar(select(func.coalesce(func.sum(Recording.size_bytes), 0)))
        upload = CounterMetricFamily(
            "protokoll_upload_bytes", "Bytes of all recordings received (completed uploads)."
        )
        upload.add_metric([], float(uploaded or 0))
        yield upload
        yield from _gpu_metrics()
        info = GaugeMetricFamily("protokoll_build_info", "The running version.", labels=["version"])
        info.add_metric([__version__], 1.0)
        yield info


def _job_metrics(s: Session) -> Iterator[Metric]:
    counts = dict(s.execute(select(Job.state, func.count()).group_by(Job.state)).all())
    jobs = GaugeMetricFamily("protokoll_jobs", "Jobs by state.", labels=["state"])
    for state in sorted(set(STATE_LABELS) | set(counts)):
        jobs.add_metric([state], float(counts.get(state, 0)))
    yield jobs
    queue = GaugeMetricFamily("protokoll_queue_length", "Jobs waiting for a worker.")
    queue.add_metric([], float(counts.get("queued", 0)))
    yield queue


def _stage_metrics(s: Session) -> Iterator[Metric]:
    durations: dict[str, list[float]] = {}
    for (stages,) in s.execute(select(Job.stages)):
        for stage, record in (stages or {}).items():
            if record.get("done") and isinstance(record.get("seconds"), int | float):
                durations.setdefault(stage, []).append(float(record["seconds"]))
    family = HistogramMetricFamily(
        "protokoll_stage_duration_seconds", "How long finished stages took.", labels=["stage"]
    )
    for stage, values in sorted(durations.items()):
        buckets = [(str(b), float(sum(v <= b for v in values))) for b in STAGE_BUCKETS]
        buckets.append(("+Inf", float(len(values))))
        family.add_metric([stage], buckets, sum(values))
    yield family


def _worker_metrics(s: Session, lease_s: float) -> Iterator[Metric]:
    query = (
        select(Job.worker, func.max(Job.lease_until))
        .where(Job.state == "running", Job.worker.is_not(None), Job.lease_until.is_not(None))
        .group_by(Job.worker)
    )
    family = GaugeMetricFamily(
        "protokoll_worker_heartbeat_timestamp_seconds",
        "Last heartbeat of each worker holding a job (Unix time).",
        labels=["worker"],
    )
    for worker, lease_until in s.execute(query):
        if worker is None or lease_until is None:
            continue
        if lease_until.tzinfo is None:
            lease_until = lease_until.replace(tzinfo=dt.UTC)
        family.add_metric([worker], lease_until.timestamp() - lease_s)
    yield family


def _gpu_metrics() -> Iterator[Metric]:
    """GPU memory of this process, only where torch is already loaded and sees CUDA (the web
    process never imports torch for this)."""
    torch: Any = sys.modules.get("torch")
    if torch is None or not torch.cuda.is_available():
        return
    family = GaugeMetricFamily(
        "protokoll_gpu_memory_allocated_bytes", "GPU memory allocated by this process.",
        labels=["device"],
    )  # fmt: skip
    for index in range(torch.cuda.device_count()):
        family.add_metric([f"cuda:{index}"], float(torch.cuda.memory_allocated(index)))
    yield family


# ---- readiness ----------------------------------------------------------------------------


def readiness(ctx: ServiceContext) -> dict[str, str]:
    """Each check's German result; all "ok" means ready to take requests."""
    checks: dict[str, str] = {}
    try:
        with ctx.db.session() as s:
            s.execute(text("SELECT 1"))
        checks["datenbank"] = "ok"
    except Exception as exc:
        checks["datenbank"] = f"nicht erreichbar ({type(exc).__name__})"
    try:
        folder = ctx.layout.data_dir
        with tempfile.NamedTemporaryFile(dir=folder, prefix=".bereit-"):
            pass
        checks["datenordner"] = "ok"
    except OSError as exc:
        checks["datenordner"] = f"nicht beschreibbar ({exc.strerror or exc})"
    try:
        ctx.queue.huey.pending_count()
        checks["warteschlange"] = "ok"
    except Exception as exc:
        checks["warteschlange"] = f"nicht erreichbar ({type(exc).__name__})"
    return checks
