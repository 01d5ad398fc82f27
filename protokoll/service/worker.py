"""`protokoll worker`: takes jobs from the queue and runs them, one at a time.

Start as many workers as there are GPUs (each with its own CUDA_VISIBLE_DEVICES),
on one machine or several that share the database and the queue. On start, a
worker first re-queues jobs whose worker has died, so nothing waits for a
worker that will not come back.
"""

from __future__ import annotations

import logging

from protokoll.config import Settings
from protokoll.service.bootstrap import build_context

log = logging.getLogger(__name__)


def run_worker(settings: Settings) -> None:
    ctx = build_context(settings)
    if settings.service.queue == "memory":
        raise SystemExit("Ein eigener Worker braucht service.queue = sqlite oder redis.")
    reclaimed = ctx.queue.reclaim()
    if reclaimed:
        log.warning("%d unterbrochene(r) Auftrag/Aufträge werden fortgesetzt", len(reclaimed))
    log.info("Worker bereit (Warteschlange: %s)", settings.service.queue)
    ctx.queue.consume()
