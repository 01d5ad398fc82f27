"""Workers that die: a killed worker's job is taken over and resumes from its checkpoints.

The slow test runs the real thing: `protokoll serve --no-worker` and a separate
`protokoll worker` on one data folder (SQLite database, SQLite queue), the sample
recording through the real models, the worker SIGKILLed in the middle of the
diarization, a new worker that re-queues the orphaned job at start. The fast tests
check the same lease logic in-process with tiny fake stages (no models): a job left
"running" by a dead process on this host or with an expired lease is re-queued by
`ServiceContext.reclaim_stale` and completed; a live lease is respected; a failing
job reports a German error and the other jobs go on.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import socket
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient

from protokoll.errors import ModelError
from protokoll.service.context import ServiceContext
from protokoll.service.infra.tables import Job, User
from protokoll.service.usecases import meetings as svc
from tests.support.media import MakeMedia
from tests.support.service_process import (
    REPO,
    ServiceEnv,
    TinyStages,
    WorkerCrash,
    create_meeting,
    local_app,
    service_env,
    upload_file,
    wait_for,
)

SAMPLE = REPO / "samples" / "sitzung.ogg"
MODELS = ("whisper-base", "pyannote-segmentation-3.0", "campplus-zh-en-common")


# ---- an in-process service with the in-memory queue ------------------------------------------


@dataclass
class Local:
    ctx: ServiceContext
    client: TestClient
    stages: TinyStages
    recording: bytes

    def meeting_with_recording(self, body: str = "Gemeinderat") -> str:
        r = self.client.post("/api/meetings", json={"body": body, "date": "2026-11-19"})
        assert r.status_code == 201, r.text
        meeting_id = str(r.json()["id"])
        size = len(self.recording)
        r = self.client.post(
            f"/api/meetings/{meeting_id}/uploads", json={"filename": "ton.wav", "size": size}
        )
        assert r.status_code == 201, r.text
        upload_id = r.json()["id"]
        r = self.client.put(
            f"/api/uploads/{upload_id}", params={"offset": 0}, content=self.recording
        )
        assert r.status_code == 200, r.text
        r = self.client.post(f"/api/uploads/{upload_id}/complete")
        assert r.status_code == 201, r.text
        return meeting_id

    def queued_job(self, meeting_id: str) -> str:
        """A job row in state "queued" that no queue message announces (a worker runs it)."""
        with self.ctx.db.session() as s:
            user = s.query(User).filter_by(username="anna").one()
            job = svc.start_job(self.ctx, s, user, svc.get_meeting(s, user, meeting_id))
            return job.id

    def job(self, job_id: str) -> dict[str, Any]:
        r = self.client.get(f"/api/jobs/{job_id}")
        assert r.status_code == 200, r.text
        data: dict[str, Any] = r.json()
        return data

    def set_job(self, job_id: str, **values: Any) -> None:
        with self.ctx.db.session() as s:
            job = s.get(Job, job_id)
            assert job is not None
            for key, value in values.items():
                setattr(job, key, value)

    def crash_in_diarization(self, job_id: str) -> None:
        """Run the job in this process until the diarization "kills" it."""
        self.stages.fail["diarization"] = WorkerCrash()
        with pytest.raises(WorkerCrash):
            self.ctx.runner.run(job_id)
        job = self.job(job_id)
        assert job["state"] == "running"  # nobody finished it: it looks like a live job
        assert job["stages"]["transcription"]["done"] is True
        assert job["stages"]["diarization"] == {"started": 1, "done": False}


@pytest.fixture
def local(tmp_path: Path, make_media: MakeMedia) -> Iterator[Local]:
    stages = TinyStages()
    app, ctx, token = local_app(tmp_path / "data", stages)
    wav = make_media(tmp_path / "ton.wav", "-ac", "1", signal="speech", seconds=3.0)
    with TestClient(app, headers={"Authorization": f"Bearer {token}"}) as client:
        yield Local(ctx, client, stages, wav.read_bytes())


def dead_pid() -> int:
    """The pid of a process that has ended (and been reaped)."""
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait(timeout=30)
    return proc.pid


def past(seconds: float = 5.0) -> dt.datetime:
    return dt.datetime.now(dt.UTC) - dt.timedelta(seconds=seconds)


# ---- fast: the lease mechanism -----------------------------------------------------------


def test_job_of_a_dead_worker_on_this_host_is_requeued_and_resumes(local: Local) -> None:
    meeting_id = local.meeting_with_recording()
    job_id = local.queued_job(meeting_id)
    local.crash_in_diarization(job_id)

    # the "worker" is this test process: alive, lease fresh -> not stale
    assert local.ctx.reclaim_stale() == []
    assert local.job(job_id)["state"] == "running"

    # the same row, but its worker's process on this host is gone
    local.set_job(job_id, worker=f"{socket.gethostname()}:{dead_pid()}")
    reclaimed = local.ctx.queue.reclaim()  # the in-memory queue runs the job at once
    assert reclaimed == [job_id]

    job = local.job(job_id)
    assert job["state"] == "done", job["error"]
    assert job["attempts"] == 2
    assert job["stages"]["intake"]["started"] == 1
    assert job["stages"]["transcription"]["started"] == 1
    assert job["stages"]["diarization"]["started"] == 2
    assert all(job["stages"][s]["done"] for s in ("intake", "transcription", "diarization"))
    # checkpoints: intake and transcription did not run again
    assert local.stages.calls == Counter(intake=1, transcription=1, diarization=2)
    names = {o["name"] for o in local.client.get(f"/api/jobs/{job_id}/outputs").json()}
    assert {"transcript.json", "transcript.docx", "transcript.vtt", "diarization.rttm"} <= names
    assert local.ctx.reclaim_stale() == []  # done jobs are nobody's business


def test_job_with_an_expired_lease_is_requeued_and_completed(local: Local) -> None:
    meeting_id = local.meeting_with_recording()
    job_id = local.queued_job(meeting_id)
    local.crash_in_diarization(job_id)

    # a worker on another machine: its pid cannot be checked from here, only its lease
    future = dt.datetime.now(dt.UTC) + dt.timedelta(seconds=60)
    local.set_job(job_id, worker="gpu-server-2:4242", lease_until=future)
    assert local.ctx.reclaim_stale() == []

    local.set_job(job_id, lease_until=past())
    assert local.ctx.reclaim_stale() == [job_id]
    job = local.job(job_id)
    assert job["state"] == "queued"  # re-queued, not yet run
    assert local.ctx.reclaim_stale() == []  # a queued job is not reclaimed twice

    assert local.ctx.runner.run(job_id) == "done"
    job = local.job(job_id)
    assert job["state"] == "done", job["error"]
    assert job["attempts"] == 2
    assert job["stages"]["transcription"]["started"] == 1
    assert job["stages"]["diarization"]["started"] == 2
    assert local.stages.calls["transcription"] == 1


def test_stale_job_whose_cancellation_was_asked_ends_cancelled(local: Local) -> None:
    meeting_id = local.meeting_with_recording()
    job_id = local.queued_job(meeting_id)
    local.crash_in_diarization(job_id)
    r = local.client.post(f"/api/jobs/{job_id}/cancel")  # the dead worker never sees it
    assert r.status_code == 200, r.text
    assert r.json()["cancel_requested"] is True
    local.set_job(job_id, worker=f"{socket.gethostname()}:{dead_pid()}")

    assert local.ctx.queue.reclaim() == []  # nothing to run again
    job = local.job(job_id)
    assert job["state"] == "cancelled"
    assert job["cancel_requested"] is False
    assert job["finished_at"] is not None
    assert local.stages.calls["diarization"] == 1
    # "Erneut versuchen" continues from the checkpoints
    r = local.client.post(f"/api/jobs/{job_id}/retry")
    assert r.status_code == 202, r.text
    job = local.job(job_id)
    assert job["state"] == "done", job["error"]
    assert job["stages"]["transcription"]["started"] == 1
    assert job["stages"]["diarization"]["started"] == 2


def test_a_live_lease_keeps_a_second_worker_off_the_job(local: Local) -> None:
    meeting_id = local.meeting_with_recording()
    job_id = local.queued_job(meeting_id)
    future = dt.datetime.now(dt.UTC) + dt.timedelta(seconds=60)
    local.set_job(
        job_id, state="running", worker="gpu-server-2:4242", lease_until=future, attempts=1
    )

    assert local.ctx.runner.run(job_id) == "running"  # claim refused
    job = local.job(job_id)
    assert job["attempts"] == 1
    assert job["stages"] == {}
    assert sum(local.stages.calls.values()) == 0

    # the lease runs out without a heartbeat: now another worker may take it directly
    local.set_job(job_id, lease_until=past())
    assert local.ctx.runner.run(job_id) == "done"
    assert local.job(job_id)["attempts"] == 2


def test_internal_error_fails_only_its_job_in_german_and_retry_resumes(local: Local) -> None:
    first = local.meeting_with_recording("Gemeinderat")
    second = local.meeting_with_recording("Bauausschuss")
    local.stages.fail["diarization"] = RuntimeError("CUDA out of memory")

    r = local.client.post(f"/api/meetings/{first}/jobs", json={})
    assert r.status_code == 202, r.text
    failed_id = r.json()["id"]
    failed = local.job(failed_id)
    assert failed["state"] == "failed"
    assert failed["state_label"] == "fehlgeschlagen"
    assert failed["error"].startswith("Interner Fehler in der Verarbeitung (RuntimeError: CUDA")
    assert "„Erneut versuchen“ setzt dort fort" in failed["error"]

    r = local.client.post(f"/api/meetings/{second}/jobs", json={})
    assert r.status_code == 202, r.text
    other = local.job(r.json()["id"])
    assert other["state"] == "done", other["error"]
    assert other["error"] is None

    r = local.client.post(f"/api/jobs/{failed_id}/retry")
    assert r.status_code == 202, r.text
    retried = local.job(failed_id)
    assert retried["state"] == "done", retried["error"]
    assert retried["error"] is None
    assert retried["stages"]["transcription"]["started"] == 1  # from the checkpoint
    assert retried["stages"]["diarization"]["started"] == 2
    assert local.stages.calls == Counter(intake=2, transcription=2, diarization=3)


def test_user_error_of_a_stage_is_shown_as_it_is(local: Local) -> None:
    meeting_id = local.meeting_with_recording()
    message = "Das Modell „whisper-base“ fehlt. Bitte `protokoll models install` ausführen."
    local.stages.fail["transcription"] = ModelError(message)
    r = local.client.post(f"/api/meetings/{meeting_id}/jobs", json={})
    assert r.status_code == 202, r.text
    job = local.job(r.json()["id"])
    assert job["state"] == "failed"
    assert job["error"] == message


def test_recording_damaged_after_upload_fails_its_job_with_a_german_message(
    local: Local,
) -> None:
    broken = local.meeting_with_recording("Gemeinderat")
    healthy = local.meeting_with_recording("Hauptausschuss")
    recordings = list((local.ctx.layout.meeting(broken) / "recordings").iterdir())
    assert len(recordings) == 1
    # the disk (or someone) damaged the stored file after it passed the upload checks
    recordings[0].write_bytes(os.urandom(len(local.recording)))

    r = local.client.post(f"/api/meetings/{broken}/jobs", json={})
    assert r.status_code == 202, r.text
    job = local.job(r.json()["id"])
    assert job["state"] == "failed"
    error = job["error"]
    assert error and not error.startswith("Interner Fehler"), error
    assert any(w in error for w in ("Aufnahme", "Audio", "beschädigt", "Datei")), error
    assert "Traceback" not in error
    assert local.stages.calls["transcription"] == 0

    r = local.client.post(f"/api/meetings/{healthy}/jobs", json={})
    assert r.status_code == 202, r.text
    other = local.job(r.json()["id"])
    assert other["state"] == "done", other["error"]

    # the message names the file as the user uploaded it, not its internal stored name
    assert "„ton.wav“" in error, error
    assert recordings[0].name not in error, error


# ---- slow: SIGKILL a real worker mid-job ----------------------------------------------------


def _job(client: httpx.Client, job_id: str) -> dict[str, Any]:
    r = client.get(f"/api/jobs/{job_id}")
    assert r.status_code == 200, r.text
    data: dict[str, Any] = r.json()
    return data


def _wait_done(
    client: httpx.Client, env: ServiceEnv, job_id: str, timeout: float
) -> dict[str, Any]:
    def finished() -> dict[str, Any] | None:
        job = _job(client, job_id)
        if job["state"] in ("failed", "cancelled"):
            raise AssertionError(f"job {job['state']}: {job['error']}\n{env.logs()}")
        return job if job["state"] == "done" else None

    try:
        result: dict[str, Any] = wait_for(finished, timeout=timeout, interval=0.5, what="job")
    except AssertionError as exc:
        raise AssertionError(f"{exc}\n{env.logs()}") from None
    return result


def _transcript(client: httpx.Client, job_id: str) -> dict[str, Any]:
    r = client.get(f"/api/jobs/{job_id}/outputs/transcript.json")
    assert r.status_code == 200, r.text
    data: dict[str, Any] = json.loads(r.content)
    return data


def _start_job(client: httpx.Client) -> tuple[str, str]:
    meeting_id = create_meeting(client)  # no agenda: no LLM minutes stage
    recording = upload_file(client, meeting_id, SAMPLE.read_bytes(), "sitzung.ogg")
    assert recording["format"] == "ogg"
    r = client.post(f"/api/meetings/{meeting_id}/jobs", json={})
    assert r.status_code == 202, r.text
    return meeting_id, str(r.json()["id"])


@pytest.mark.slow
def test_sigkilled_worker_is_replaced_and_the_job_resumes_identically(tmp_path: Path) -> None:
    for model_id in MODELS:
        if not (REPO / "models" / model_id / "installed.json").exists():
            pytest.fail(f"model {model_id} missing: run `protokoll models install` first")
    with service_env(tmp_path / "svc") as env:
        env.add_user()
        env.start_server()
        worker = env.start_worker()
        with env.client() as client:
            meeting_id, job_id = _start_job(client)

            # wait until the transcription is checkpointed and the diarization is running
            def in_diarization() -> dict[str, Any] | None:
                assert worker.alive(), worker.tail()
                job = _job(client, job_id)
                assert job["state"] in ("queued", "running"), (job, env.logs())
                stages = job["stages"]
                if stages.get("transcription", {}).get("done") and job["stage"] == "diarization":
                    return job
                return None

            started = time.monotonic()
            job = wait_for(in_diarization, timeout=900, interval=0.1, what="the diarization")
            assert job["stages"]["diarization"] == {"started": 1, "done": False}, job
            worker.kill()  # SIGKILL: no handler, no clean-up, the lease stays
            killed_at = time.monotonic()
            print(f"\nworker killed {killed_at - started:.1f} s after the job started")

            job = _job(client, job_id)
            assert job["state"] == "running"  # orphaned: nobody will finish it
            assert job["attempts"] == 1
            work = env.data_dir / "meetings" / meeting_id / "jobs" / job_id / "work"
            assert (work / "transcription.json").is_file()
            assert not (work / "diarization.json").exists()

            env.start_worker()  # re-queues the job of the dead pid at its start
            resumed = wait_for(
                lambda: _job(client, job_id)["attempts"] == 2,
                timeout=120, interval=0.2, what="the new worker to claim the job",
            )  # fmt: skip
            assert resumed
            resumed_at = time.monotonic()
            job = _wait_done(client, env, job_id, timeout=1800)
            done_at = time.monotonic()
            print(
                f"new worker claimed the job {resumed_at - killed_at:.1f} s after the kill, "
                f"finished {done_at - killed_at:.1f} s after the kill; "
                f"stages {json.dumps(job['stages'])}"
            )
            assert job["attempts"] == 2
            assert job["stages"]["intake"]["started"] == 1
            assert job["stages"]["transcription"]["started"] == 1  # not transcribed again
            assert job["stages"]["diarization"]["started"] == 2
            assert job["error"] is None

            # the same recording once more, uninterrupted, for comparison
            _meeting2, job2_id = _start_job(client)
            t0 = time.monotonic()
            job2 = _wait_done(client, env, job2_id, timeout=1800)
            print(f"uninterrupted job took {time.monotonic() - t0:.1f} s")
            assert job2["attempts"] == 1
            assert all(v["started"] == 1 for v in job2["stages"].values())

            resumed_doc, plain_doc = _transcript(client, job_id), _transcript(client, job2_id)
        assert "Worker ausgefallen, Auftrag wird fortgesetzt" in env.logs()

    assert resumed_doc["segments"], "the sample has speech"
    assert len(resumed_doc["speakers"]) >= 2
    # field by field first, for a readable failure; then the whole document
    for key in ("segments", "speakers", "speaker_turns", "audio", "models", "warnings"):
        assert resumed_doc[key] == plain_doc[key], f"transcript.json differs in {key!r}"
    assert resumed_doc == plain_doc
