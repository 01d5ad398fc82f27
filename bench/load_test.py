"""Load on the loopback: concurrent users upload recordings and poll, against one real
`protokoll serve` (SQLite database and queue, one worker running the real models).

Each simulated user, until the time is up:

1. creates a meeting (`POST /api/meetings`);
2. uploads a short WAV in two chunks (`POST …/uploads`, `PUT …?offset=`, `POST …/complete`)
   and checks that the stored recording has the SHA-256 of what was sent;
3. starts a job (`POST …/jobs`);
4. polls like a browser tab: the job (`GET /api/jobs/{id}`), the meetings page (`GET /`)
   and the meeting's page (`GET /sitzungen/{id}`), once a second, a few times.

At the end the state of every job is read (the worker runs the real models one job at a
time, so most are still queued), and every recording that was accepted is downloaded again
and compared byte for
byte (SHA-256) with what its user sent: an upload is "lost" when it was accepted but is
missing, "corrupted" when its bytes differ. Every request's latency is kept by kind
(page, api, upload, write); the report gives count, p50, p95 and maximum per kind, the
status codes, and every 5xx. Nothing else runs on the machine meanwhile, or the
figures mean little.

    python -m bench.load_test --users 20 --seconds 300 --out bench/results/load.json

The service is started by this script in a temporary folder (accounts by
`protokoll users add`); `--no-worker` leaves the jobs queued (no model runs).
"""

from __future__ import annotations

import argparse
import hashlib
import io
import json
import math
import platform
import statistics
import tempfile
import threading
import time
import wave
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import numpy as np

KINDS = ("page", "api", "upload", "write")
POLLS_PER_ROUND = 5


def wav_bytes(seed: int, seconds: float = 3.0, rate: int = 16000) -> bytes:
    """A short mono WAV, different per seed (a tone plus noise), so no two uploads match."""
    rng = np.random.default_rng(seed)
    t = np.arange(int(seconds * rate)) / rate
    signal = 0.3 * np.sin(2 * math.pi * (180 + seed % 200) * t) + 0.05 * rng.standard_normal(len(t))
    pcm = (np.clip(signal, -1, 1) * 32767).astype("<i2").tobytes()
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as f:
        f.setnchannels(1)
        f.setsampwidth(2)
        f.setframerate(rate)
        f.writeframes(pcm)
    return buffer.getvalue()


@dataclass
class Tally:
    """What all users saw, shared between their threads."""

    latencies: dict[str, list[float]] = field(default_factory=lambda: {k: [] for k in KINDS})
    statuses: Counter[int] = field(default_factory=Counter)
    server_errors: list[str] = field(default_factory=list)
    transport_errors: list[str] = field(default_factory=list)
    accepted: list[tuple[str, str, str, str]] = field(default_factory=list)  # user, mtg, rec, sha
    refused: list[str] = field(default_factory=list)  # 4xx on an upload, with the message
    jobs_started: int = 0
    job_ids: list[tuple[str, str]] = field(default_factory=list)  # user, job
    lock: threading.Lock = field(default_factory=threading.Lock)

    def note(self, kind: str, seconds: float, response: httpx.Response) -> None:
        with self.lock:
            self.latencies[kind].append(seconds)
            self.statuses[response.status_code] += 1
            if response.status_code >= 500:
                self.server_errors.append(
                    f"{response.request.method} {response.request.url.path}: "
                    f"{response.status_code} {response.text[:200]}"
                )


def timed(
    tally: Tally, kind: str, call: Callable[..., httpx.Response], *args: Any, **kwargs: Any
) -> httpx.Response | None:
    start = time.perf_counter()
    try:
        response = call(*args, **kwargs)
    except httpx.HTTPError as exc:
        with tally.lock:
            tally.transport_errors.append(f"{kind}: {exc.__class__.__name__}: {exc}")
        return None
    tally.note(kind, time.perf_counter() - start, response)
    return response


def user_loop(
    client: httpx.Client, user: str, number: int, deadline: float, tally: Tally, jobs: bool
) -> None:
    rounds = 0
    while time.monotonic() < deadline:
        rounds += 1
        seed = number * 100_000 + rounds
        meeting = timed(tally, "write", client.post, "/api/meetings", json={
            "body": f"Ausschuss {number}", "date": "2026-11-19", "title": f"Lasttest {seed}",
        })  # fmt: skip
        if meeting is None or meeting.status_code != 201:
            time.sleep(1)
            continue
        meeting_id = meeting.json()["id"]
        data = wav_bytes(seed)
        sha = hashlib.sha256(data).hexdigest()
        body = {"filename": f"sitzung-{seed}.wav", "size": len(data), "sha256": sha}
        path = f"/api/meetings/{meeting_id}/uploads"
        upload = timed(tally, "write", client.post, path, json=body)
        if upload is None or upload.status_code != 201:
            continue
        upload_id = upload.json()["id"]
        half = len(data) // 2
        for offset, chunk in ((0, data[:half]), (half, data[half:])):
            timed(tally, "upload", client.put, f"/api/uploads/{upload_id}",
                  params={"offset": offset}, content=chunk)  # fmt: skip
        done = timed(tally, "write", client.post, f"/api/uploads/{upload_id}/complete")
        if done is None:
            continue
        if done.status_code != 201:
            with tally.lock:
                tally.refused.append(f"{done.status_code}: {done.text[:200]}")
            continue
        recording = done.json()
        with tally.lock:
            tally.accepted.append((user, meeting_id, recording["id"], sha))
            if recording["sha256"] != sha:
                tally.server_errors.append(f"recording {recording['id']}: SHA-256 differs")
        job_id = None
        if jobs:
            job = timed(tally, "write", client.post, f"/api/meetings/{meeting_id}/jobs", json={})
            if job is not None and job.status_code == 202:
                job_id = job.json()["id"]
                with tally.lock:
                    tally.jobs_started += 1
                    tally.job_ids.append((user, job_id))
        for _ in range(POLLS_PER_ROUND):
            if time.monotonic() >= deadline:
                break
            if job_id:
                timed(tally, "api", client.get, f"/api/jobs/{job_id}")
            timed(tally, "page", client.get, "/")
            timed(tally, "page", client.get, f"/sitzungen/{meeting_id}")
            time.sleep(1.0)


def verify_uploads(clients: dict[str, httpx.Client], tally: Tally) -> dict[str, int]:
    """Every accepted recording downloaded again: lost (gone) or corrupted (other bytes)."""
    lost = corrupted = 0
    for user, meeting_id, recording_id, sha in tally.accepted:
        r = clients[user].get(f"/api/meetings/{meeting_id}/recordings/{recording_id}")
        if r.status_code != 200:
            lost += 1
        elif hashlib.sha256(r.content).hexdigest() != sha:
            corrupted += 1
    return {"checked": len(tally.accepted), "lost": lost, "corrupted": corrupted}


def percentiles(values: list[float]) -> dict[str, Any]:
    if not values:
        return {"count": 0}
    ordered = sorted(values)
    cuts = statistics.quantiles(ordered, n=100, method="inclusive") if len(ordered) > 1 else []

    def at(p: int) -> float:
        return ordered[0] if not cuts else cuts[p - 1]

    return {
        "count": len(ordered),
        "p50_ms": round(at(50) * 1000, 1),
        "p95_ms": round(at(95) * 1000, 1),
        "max_ms": round(ordered[-1] * 1000, 1),
    }


def run_load(
    base_url: str, tokens: dict[str, str], seconds: float, *, jobs: bool = True
) -> dict[str, Any]:
    """`len(tokens)` users (name → API token) for `seconds`; the report as a dict."""
    tally = Tally()
    clients = {
        user: httpx.Client(
            base_url=base_url, timeout=120, headers={"Authorization": f"Bearer {token}"}
        )
        for user, token in tokens.items()
    }
    deadline = time.monotonic() + seconds
    started = time.monotonic()
    threads = [
        threading.Thread(
            target=user_loop, args=(clients[user], user, n, deadline, tally, jobs), daemon=True
        )
        for n, user in enumerate(tokens)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=seconds + 300)
    elapsed = time.monotonic() - started
    uploads = verify_uploads(clients, tally)
    job_states = Counter(
        clients[user].get(f"/api/jobs/{job_id}").json().get("state", "?")
        for user, job_id in tally.job_ids
    )
    for client in clients.values():
        client.close()
    every = [x for kind in KINDS for x in tally.latencies[kind]]
    return {
        "users": len(tokens),
        "seconds": round(elapsed, 1),
        "requests": sum(tally.statuses.values()),
        "statuses": {str(k): v for k, v in sorted(tally.statuses.items())},
        "server_errors": tally.server_errors,
        "transport_errors": tally.transport_errors,
        "uploads": {**uploads, "refused": tally.refused},
        "jobs_started": tally.jobs_started,
        "job_states_at_end": dict(sorted(job_states.items())),
        "latency": {kind: percentiles(tally.latencies[kind]) for kind in KINDS}
        | {"all": percentiles(every)},
    }


def main() -> None:
    from tests.support.service_process import ServiceEnv  # the test suite's service runner

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=300)
    parser.add_argument("--no-worker", action="store_true", help="jobs stay queued")
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="protokoll-last-") as tmp:
        env = ServiceEnv(Path(tmp))
        names = [f"nutzer{n:02d}" for n in range(args.users)]
        for name in names:
            env.add_user(name)
        env.start_server()
        if not args.no_worker:
            env.start_worker()
        try:
            tokens = {name: env.api_token(name) for name in names}
            report = run_load(env.base_url, tokens, args.seconds, jobs=True)
        finally:
            env.stop_all()
    report["machine"] = f"{platform.node()} · {platform.processor() or platform.machine()}"
    report["worker"] = not args.no_worker
    text = json.dumps(report, ensure_ascii=False, indent=2)
    print(text)
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(text + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
