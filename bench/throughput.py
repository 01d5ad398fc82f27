"""Throughput of the service: the same batch of recordings processed by 1 and by 2 worker
processes, with the real models, against one real `protokoll serve --no-worker` (SQLite
database and queue in a temporary data folder, accounts by `protokoll users add`).

    python -m bench.throughput --workers 1 2 --jobs 4 --seconds 20

The batch: `--jobs` different excerpts of the sample (`--seconds` long, starting 50 s
apart), no agenda, so each job runs intake, transcription, diarization and the transcript's
documents but no LLM minutes stage (on 2 CPU cores the minutes of every job would take
most of the time and say nothing more about the queue). For each worker count a fresh
installation is started, the workers are waited for (their "Worker bereit" line), the
recordings are uploaded, and then all jobs are submitted at once; the clock runs from the
first submission to the last job's end. Reported: wall time, jobs per hour, the mean time
a job took from its start on a worker to its end, and the stage means. Workers keep their
models between jobs (`[service] keep_models`, the default; `--cold` turns it off).

Every worker uses all cores (as configured by default), so two workers on a 2-core
machine share the CPU: the figures show what a second worker process brings there, not
what a second GPU would. Their thread pools then fight over the cores (torch's above all);
`--pin` gives each worker its own share of the cores (CPU affinity, set as it starts, so
every stage sizes its threads to that share), as `taskset` or a container's cpuset would.

The table is printed and written to out/bench/throughput.json (or `--out`).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.common import ROOT, machine, sample_excerpt

STAGES = ("intake", "transcription", "diarization", "assignment")
TERMINAL = ("done", "failed", "cancelled")


def run_config(
    workers: int,
    recordings: list[Path],
    tmp: Path,
    *,
    keep_models: bool,
    pin: bool,
    timeout_s: float,
) -> dict[str, Any]:
    # the test suite's process helpers: a server, workers, users and tokens, as the cluster
    # test runs them
    from tests.support.service_process import (
        create_meeting,
        service_env,
        upload_file,
        wait_for,
    )

    extra = {"PROTOKOLL_SERVICE__KEEP_MODELS": "true" if keep_models else "false"}
    with service_env(tmp / f"workers-{workers}", **extra) as env:
        env.add_user("anna")
        env.start_server()
        procs = [env.start_worker() for _ in range(workers)]
        if pin:
            cores = sorted(os.sched_getaffinity(0))
            for i, proc in enumerate(procs):  # before the worker has imported anything
                os.sched_setaffinity(proc.pid, cores[i::workers] or cores)
        for proc in procs:
            wait_for(
                lambda proc=proc: "Worker bereit" in proc.log.read_text(errors="replace"),
                timeout=180, what=f"{proc.name} {proc.pid} ready",
            )  # fmt: skip
        with env.client(timeout=120) as client:
            meetings = []
            for i, recording in enumerate(recordings):
                meeting_id = create_meeting(client, body=f"Ausschuss {i + 1}")
                upload_file(client, meeting_id, recording.read_bytes(), recording.name)
                meetings.append(meeting_id)
            began = time.monotonic()
            job_ids = []
            for meeting_id in meetings:
                r = client.post(f"/api/meetings/{meeting_id}/jobs", json={})
                assert r.status_code == 202, r.text
                job_ids.append(r.json()["id"])

            def finished() -> list[dict[str, Any]] | None:
                jobs = [client.get(f"/api/jobs/{j}").json() for j in job_ids]
                return jobs if all(j["state"] in TERMINAL for j in jobs) else None

            jobs: list[dict[str, Any]] = wait_for(
                finished, timeout=timeout_s, interval=0.5, what="all jobs"
            )
            wall_s = time.monotonic() - began
        logs = "".join(p.log.read_text(errors="replace") for p in procs)
    failed = [j for j in jobs if j["state"] != "done"]
    if failed:
        raise SystemExit(f"{len(failed)} job(s) not done: {failed[0]['error']}\n{logs[-3000:]}")
    per_job = [
        (dt.datetime.fromisoformat(j["finished_at"]) - dt.datetime.fromisoformat(j["started_at"]))
        .total_seconds()
        for j in jobs
    ]  # fmt: skip
    stage_means = {
        stage: round(statistics.mean(j["stages"][stage]["seconds"] for j in jobs), 2)
        for stage in STAGES
        if all(stage in j["stages"] for j in jobs)
    }
    return {
        "workers": workers,
        "pinned": pin,
        "jobs": len(jobs),
        "wall_s": round(wall_s, 1),
        "jobs_per_hour": round(len(jobs) * 3600 / wall_s, 1),
        "job_mean_s": round(statistics.mean(per_job), 1),
        "job_seconds": [round(s, 1) for s in per_job],
        "stage_means_s": stage_means,
        "model_loads_logged": logs.count("wird geladen"),
        "model_reuses_logged": logs.count("wiederverwendet"),
    }


def table(results: list[dict[str, Any]]) -> str:
    rows = [
        "| workers | jobs | wall s | jobs/hour | mean s per job (start to end) | "
        "transcription / diarization mean s | models loaded / reused |",
        "|---|---|---|---|---|---|---|",
    ]
    for r in results:
        st = r["stage_means_s"]
        rows.append(
            f"| {r['workers']} | {r['jobs']} | {r['wall_s']:.1f} | {r['jobs_per_hour']:.0f} | "
            f"{r['job_mean_s']:.1f} | {st.get('transcription', 0):.1f} / "
            f"{st.get('diarization', 0):.1f} | {r['model_loads_logged']} / "
            f"{r['model_reuses_logged']} |"
        )
    return "\n".join(rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--jobs", type=int, default=4, help="recordings in the batch")
    parser.add_argument("--seconds", type=float, default=20.0, help="length of each")
    parser.add_argument("--cold", action="store_true", help="keep_models = false")
    parser.add_argument("--pin", action="store_true", help="each worker its share of the cores")
    parser.add_argument("--timeout", type=float, default=900.0, help="per configuration, s")
    parser.add_argument("--out", type=Path, default=ROOT / "out" / "bench" / "throughput.json")
    args = parser.parse_args()

    cache = ROOT / "out" / "bench"
    recordings = [
        sample_excerpt(args.seconds, cache, start_s=float((50 * k) % 200)) for k in range(args.jobs)
    ]
    print(f"# {machine()}")
    print(
        f"# {args.jobs} recordings of {args.seconds:g} s, no agenda, keep_models = {not args.cold}"
    )
    results = []
    with tempfile.TemporaryDirectory(prefix="protokoll-throughput-") as tmp:
        for workers in args.workers:
            results.append(
                run_config(
                    workers, recordings, Path(tmp),
                    keep_models=not args.cold, pin=args.pin, timeout_s=args.timeout,
                )
            )  # fmt: skip
            print(f"  {workers} worker(s): {results[-1]['wall_s']:.1f} s", flush=True)
    print(table(results))
    report = {
        "machine": machine(),
        "recordings": args.jobs,
        "seconds_each": args.seconds,
        "agenda": False,
        "keep_models": not args.cold,
        "pinned": args.pin,
        "results": results,
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"written: {args.out}")


if __name__ == "__main__":
    main()
