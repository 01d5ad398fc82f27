"""Load on the loopback, bounded in count and time: 20 users upload recordings, start jobs
and poll pages for 30 seconds against one real `protokoll serve` (SQLite database and
queue) and one worker running the real models (`bench/load_test.py`; the note's five-minute
figures come from the same code). No 5xx, no lost or corrupted upload."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from bench.load_test import run_load
from tests.support.service_process import ServiceEnv

pytestmark = pytest.mark.slow

USERS = 20
SECONDS = 30.0


@pytest.fixture
def installation(tmp_path: Path) -> Iterator[ServiceEnv]:
    env = ServiceEnv(tmp_path / "last")
    try:
        for n in range(USERS):
            env.add_user(f"nutzer{n:02d}")
        env.start_server()
        env.start_worker()
        yield env
    finally:
        env.stop_all()


def test_twenty_users_uploading_and_polling(installation: ServiceEnv) -> None:
    tokens = {f"nutzer{n:02d}": installation.api_token(f"nutzer{n:02d}") for n in range(USERS)}
    report = run_load(installation.base_url, tokens, SECONDS)
    logs = installation.logs()
    assert report["server_errors"] == [], logs
    assert report["transport_errors"] == [], logs
    uploads = report["uploads"]
    assert uploads["refused"] == []
    assert uploads["checked"] >= USERS  # every user got at least one upload through
    assert (uploads["lost"], uploads["corrupted"]) == (0, 0)
    assert report["jobs_started"] == uploads["checked"]
    assert sum(report["job_states_at_end"].values()) == report["jobs_started"]
    assert all(int(code) < 500 for code in report["statuses"])
    # generous bounds for a busy 2-core CI machine; the measured figures are in the note
    assert report["latency"]["page"]["p95_ms"] < 3000, report["latency"]
    assert report["latency"]["all"]["p95_ms"] < 5000, report["latency"]
