"""The service's logs: plain text (default) or one JSON object per line
(`[service] log_format = "json"`), for a log collector.

Every record written while a job runs carries the job's and the meeting's id (set by the
runner with `job_context`), in JSON as `job_id` and `meeting_id`, in text as a prefix.
Log messages name ids, stages, counts and file names, never text of a session: the
transcript, minutes and agenda titles are not logged (a test checks this for a whole job).
"""

from __future__ import annotations

import contextvars
import datetime as dt
import json
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

_JOB: contextvars.ContextVar[tuple[str, str] | None] = contextvars.ContextVar(
    "protokoll_job", default=None
)
TEXT_FORMAT = "%(levelname)s %(name)s: %(job_prefix)s%(message)s"


@contextmanager
def job_context(job_id: str, meeting_id: str) -> Iterator[None]:
    """Records logged inside carry the job's and the meeting's id."""
    token = _JOB.set((job_id, meeting_id))
    try:
        yield
    finally:
        _JOB.reset(token)


def current_job() -> tuple[str, str] | None:
    return _JOB.get()


class JobIds(logging.Filter):
    """Adds `job_id`, `meeting_id` and `job_prefix` to every record."""

    def filter(self, record: logging.LogRecord) -> bool:
        job = _JOB.get()
        record.job_id, record.meeting_id = job if job else (None, None)
        record.job_prefix = f"[Auftrag {job[0]}] " if job else ""
        return True


class JsonLines(logging.Formatter):
    """One JSON object per record: time (UTC), level, logger, message, ids, exception."""

    def format(self, record: logging.LogRecord) -> str:
        data: dict[str, Any] = {
            "time": dt.datetime.fromtimestamp(record.created, dt.UTC).isoformat(
                timespec="milliseconds"
            ),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        for key in ("job_id", "meeting_id"):
            value = getattr(record, key, None)
            if value:
                data[key] = value
        if record.exc_info:
            data["exception"] = self.formatException(record.exc_info)
        return json.dumps(data, ensure_ascii=False)


def configure(log_format: str, level: int) -> None:
    """Set up the root logger for `serve` and `worker`: one stderr handler, text or JSON."""
    handler = logging.StreamHandler()
    handler.addFilter(JobIds())
    handler.setFormatter(JsonLines() if log_format == "json" else logging.Formatter(TEXT_FORMAT))
    root = logging.getLogger()
    for old in list(root.handlers):
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(level)
