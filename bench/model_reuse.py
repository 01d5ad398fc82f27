"""What keeping the models loaded saves per job: the same short recording processed N times
cold (fresh `ModelSteps` per job, as a worker did before: every model resolved, hash-checked
and loaded for the job) and N times warm (one `WarmSteps` for all jobs, as a worker does
with `[service] keep_models = true`), in one process with the real CPU-profile models.

    python -m bench.model_reuse --jobs 3 --seconds 30            # with the sample agenda
    python -m bench.model_reuse --jobs 3 --seconds 30 --no-agenda  # no minutes stage, no LLM

The recording is the sample's first `--seconds` (16 kHz WAV, made once under out/bench/);
with the agenda the minutes stage runs (the LLM drafts on what the excerpt holds). Heavy
libraries are imported before the clock starts, so neither series pays for imports; the
cold series runs first. The saving is the mean of the cold jobs minus the mean of the
warm jobs after the first (the first warm job loads like a cold one); the resident memory
after each job shows what keeping the models costs. The transcripts of
all jobs are compared: the warm ones must equal the cold ones. One untimed job runs first,
so that neither series pays for the first touch of the model files (reading them into the
page cache: on a cold cache the first job took 114 s instead of 11 s here). The table is printed and
the figures written to out/bench/model_reuse.json (or `--out`).
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import logging
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.common import ROOT, SAMPLE_AGENDA, machine, peak_rss_mb, sample_excerpt
from protokoll.config import load_settings
from protokoll.devices import resident_mb
from protokoll.domain.agenda import Agenda, load_agenda
from protokoll.pipeline.runner import Job, ModelSteps, Runner, Steps
from protokoll.pipeline.warm import WarmSteps

STAGES = ("intake", "transcription", "diarization", "assignment", "minutes")


def warm_up_imports() -> None:
    """Import the model libraries now, so that no series pays for them."""
    # lazy: the benchmark's own clock starts after these imports
    import faster_whisper  # noqa: F401
    import llama_cpp  # noqa: F401
    import pyannote.audio  # noqa: F401
    import torch  # noqa: F401


def one_job(steps: Steps, recording: Path, agenda: Agenda | None, work: Path) -> dict[str, Any]:
    settings = load_settings(ROOT / "config.toml", {})
    job = Job(recording, work / "work", work / "out", agenda=agenda, checkpoints=False)
    began = time.perf_counter()
    result = Runner(settings, steps).run(job)
    seconds = time.perf_counter() - began
    return {
        "seconds": round(seconds, 2),
        "stages": {k: round(v, 2) for k, v in result.stage_seconds.items()},
        "rss_mb": round(resident_mb() or 0.0),
        "segments": [dataclasses.asdict(s) for s in result.transcript.segments],
    }


def series(
    kind: str, jobs: int, recording: Path, agenda: Agenda | None, tmp: Path
) -> list[dict[str, Any]]:
    warm = WarmSteps() if kind == "warm" else None
    runs = []
    for i in range(jobs):
        steps: Steps = warm if warm is not None else ModelSteps()
        runs.append(one_job(steps, recording, agenda, tmp / f"{kind}-{i}"))
        print(f"  {kind} job {i + 1}: {runs[-1]['seconds']:.1f} s", flush=True)
    if warm is not None:
        runs[-1]["loads"] = dict(warm.loads)
        runs[-1]["reuses"] = dict(warm.reuses)
        warm.close()
    return runs


def summary(cold: list[dict[str, Any]], warm: list[dict[str, Any]]) -> dict[str, Any]:
    cold_mean = statistics.mean(r["seconds"] for r in cold)
    later = warm[1:] or warm
    warm_mean = statistics.mean(r["seconds"] for r in later)

    def stage_mean(runs: list[dict[str, Any]], stage: str) -> float | None:
        values = [r["stages"][stage] for r in runs if stage in r["stages"]]
        return round(statistics.mean(values), 2) if values else None

    return {
        "cold_mean_s": round(cold_mean, 2),
        "warm_first_s": warm[0]["seconds"],
        "warm_later_mean_s": round(warm_mean, 2),
        "saving_per_job_s": round(cold_mean - warm_mean, 2),
        "saving_per_job_share": round((cold_mean - warm_mean) / cold_mean, 3),
        "stage_means_s": {
            stage: {"cold": stage_mean(cold, stage), "warm": stage_mean(later, stage)}
            for stage in STAGES
        },
        "rss_after_job_mb": {"cold": cold[-1]["rss_mb"], "warm": warm[-1]["rss_mb"]},
        "same_transcripts": all(r["segments"] == cold[0]["segments"] for r in cold + warm),
    }


def table(result: dict[str, Any]) -> str:
    s = result["summary"]
    rows = [
        "| stage | cold, mean s | warm (jobs 2..N), mean s |",
        "|---|---|---|",
    ]
    for stage, means in s["stage_means_s"].items():
        if means["cold"] is not None:
            rows.append(f"| {stage} | {means['cold']:.1f} | {means['warm']:.1f} |")
    rows.append(
        f"| **job** | **{s['cold_mean_s']:.1f}** | **{s['warm_later_mean_s']:.1f}** "
        f"(first warm job {s['warm_first_s']:.1f}) |"
    )
    rows.append(
        f"\nsaving per job: {s['saving_per_job_s']:.1f} s "
        f"({100 * s['saving_per_job_share']:.0f}%); transcripts identical: "
        f"{s['same_transcripts']}; resident memory after a job: cold "
        f"{s['rss_after_job_mb']['cold']} MB, warm {s['rss_after_job_mb']['warm']} MB"
    )
    return "\n".join(rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--jobs", type=int, default=3, help="jobs per series (default 3)")
    parser.add_argument("--seconds", type=float, default=30.0, help="excerpt length")
    parser.add_argument("--no-agenda", action="store_true", help="no minutes stage, no LLM")
    parser.add_argument("--out", type=Path, default=ROOT / "out" / "bench" / "model_reuse.json")
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)

    recording = sample_excerpt(args.seconds, ROOT / "out" / "bench")
    agenda = None if args.no_agenda else load_agenda(SAMPLE_AGENDA)
    print(f"# {machine()}")
    print(f"# {args.jobs} jobs per series, {args.seconds:g} s excerpt, agenda: {bool(agenda)}")
    warm_up_imports()
    with tempfile.TemporaryDirectory(prefix="protokoll-bench-") as tmp:
        began = time.perf_counter()
        one_job(ModelSteps(), recording, agenda, Path(tmp) / "first-touch")
        first_touch_s = round(time.perf_counter() - began, 2)
        print(f"  untimed first job (page cache): {first_touch_s:.1f} s", flush=True)
        cold = series("cold", args.jobs, recording, agenda, Path(tmp))
        warm = series("warm", args.jobs, recording, agenda, Path(tmp))
    result: dict[str, Any] = {
        "machine": machine(),
        "jobs": args.jobs,
        "excerpt_s": args.seconds,
        "agenda": agenda is not None,
        "first_touch_s": first_touch_s,
        "summary": summary(cold, warm),
        "cold": [{k: v for k, v in r.items() if k != "segments"} for r in cold],
        "warm": [{k: v for k, v in r.items() if k != "segments"} for r in warm],
        "peak_rss_mb": round(peak_rss_mb()),
    }
    print(table(result))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"written: {args.out}")


if __name__ == "__main__":
    main()
