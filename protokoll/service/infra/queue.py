"""The queue engine: huey.

huey carries job ids from the web process to the workers. One machine uses its
SQLite storage (a file beside the database, no server); several GPU servers
share a Redis instance (`service.queue = "redis"`, `queue_url`) without a
change to the code; tests use its in-memory mode, which runs a task at once.
The job itself lives in the database (`jobs.py`): the queue may lose a message
when a worker dies with it, so workers also re-queue jobs whose lease has run
out (`reclaim`), at start and every minute.

That minute is kept by a timer thread in each worker, not by a task in the queue: a
task would wait behind the queued jobs (a dead worker's job behind the whole backlog),
and every busy worker would add one per minute.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from pathlib import Path

from huey import Huey, MemoryHuey, RedisHuey, SqliteHuey

from protokoll.config import ServiceSettings
from protokoll.errors import ConfigError

log = logging.getLogger(__name__)

TASK_NAME = "protokoll.process_job"
RECLAIM_EVERY_S = 60.0


class JobQueue:
    """The huey instance with protokoll's task (run a job), and the reclaim of stale jobs."""

    def __init__(
        self,
        service: ServiceSettings,
        data_dir: Path,
        run_job: Callable[[str], object],
        reclaim: Callable[[], list[str]],
        retry_delay: Callable[[str], float] | None = None,
    ) -> None:
        self.huey = _build_huey(service, data_dir)
        self._run_job = run_job
        self._reclaim = reclaim
        self._retry_delay = retry_delay

        @self.huey.task(name=TASK_NAME)
        def process_job(job_id: str) -> None:
            if self._run_job(job_id) == "retry" and self._retry_delay is not None:
                self.enqueue_later(job_id, self._retry_delay(job_id))

        self._task = process_job

    def enqueue(self, job_id: str) -> None:
        self._task(job_id)

    def enqueue_later(self, job_id: str, delay_s: float) -> None:
        """Deliver the job again after `delay_s` (kept in the queue's storage)."""
        log.info("Auftrag %s: neuer Versuch in %.0f s", job_id, delay_s)
        self._task.schedule(args=(job_id,), delay=delay_s)

    def reclaim(self) -> list[str]:
        """Queue again the jobs whose worker died; returns their ids."""
        ids = self._reclaim()
        for job_id in ids:
            log.warning("Auftrag %s: Worker ausgefallen, Auftrag wird fortgesetzt", job_id)
            self.enqueue(job_id)
        return ids

    def consume(self, reclaim_every_s: float = RECLAIM_EVERY_S) -> None:
        """Run as a worker: one job at a time (one GPU job per worker), until SIGTERM/SIGINT;
        beside it, the reclaim every `reclaim_every_s`."""
        stop = threading.Event()
        timer = threading.Thread(
            target=self._reclaim_loop, args=(stop, reclaim_every_s), name="reclaim", daemon=True
        )
        timer.start()
        consumer = self.huey.create_consumer(workers=1, worker_type="thread", periodic=False)
        try:
            consumer.run()
        finally:
            stop.set()

    def _reclaim_loop(self, stop: threading.Event, every_s: float) -> None:
        while not stop.wait(every_s):
            try:
                self.reclaim()
            except Exception:  # the next round tries again; the worker must go on
                log.exception("reclaim failed")


def _build_huey(service: ServiceSettings, data_dir: Path) -> Huey:
    if service.queue == "memory":
        return MemoryHuey("protokoll", immediate=True, results=False)
    if service.queue == "redis":
        if not service.queue_url:
            raise ConfigError(
                'Für service.queue = "redis" fehlt service.queue_url (z. B. redis://host:6379/0).'
            )
        return RedisHuey("protokoll", url=service.queue_url, results=False)
    data_dir.mkdir(parents=True, exist_ok=True)
    return SqliteHuey("protokoll", filename=str(data_dir / "queue.db"), results=False)
