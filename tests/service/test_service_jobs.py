"""The job runner around the stages: checkpoints, resume, re-run, cancel, claim, leases,
progress. The stages are fakes (`FakeStages`); the database, queue, runner and files are
the real ones."""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import subprocess
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from protokoll.errors import ProtokollError
from protokoll.pipeline.stages import overall_progress
from protokoll.service.context import ServiceContext
from protokoll.service.infra import auth, jobs
from protokoll.service.infra.tables import Job, Meeting, Recording, User, utcnow
from protokoll.service.usecases import meetings as svc
from protokoll.service.usecases.access import Conflict
from tests.support.service import (
    PASSWORD,
    SAMPLE_OGG,
    FakeStages,
    cheap_password_hashing,
    make_context,
    sample_agenda_data,
    wait_for,
)

ALL_STAGES = ["intake", "transcription", "diarization", "assignment", "minutes"]


@dataclass
class Rig:
    """A context with one user, one meeting (sample agenda) and its recording."""

    ctx: ServiceContext
    stages: FakeStages
    user_id: int
    meeting_id: str
    recording_id: str

    def new_job(self, **params: Any) -> str:
        with self.ctx.db.session() as s:
            user, meeting = self._load(s)
            return svc.start_job(self.ctx, s, user, meeting, params=params).id

    def _load(self, s: Session) -> tuple[User, Meeting]:
        user, meeting = s.get(User, self.user_id), s.get(Meeting, self.meeting_id)
        assert user is not None and meeting is not None
        return user, meeting

    @staticmethod
    def _job(s: Session, job_id: str) -> Job:
        job = s.get(Job, job_id)
        assert job is not None
        return job

    def run(self, job_id: str) -> str:
        return self.ctx.runner.run(job_id)

    def run_in_thread(self, job_id: str) -> tuple[threading.Thread, list[str]]:
        result: list[str] = []
        thread = threading.Thread(target=lambda: result.append(self.run(job_id)), daemon=True)
        thread.start()
        return thread, result

    def job(self, job_id: str) -> Job:
        with self.ctx.db.session() as s:
            job = s.get(Job, job_id)
            assert job is not None
            s.expunge(job)
            return job

    def update(self, job_id: str, **values: Any) -> None:
        with self.ctx.db.session() as s:
            job = s.get(Job, job_id)
            assert job is not None
            for key, value in values.items():
                setattr(job, key, value)

    def retry(self, job_id: str) -> None:
        with self.ctx.db.session() as s:
            user, meeting = self._load(s)
            svc.retry_job(s, user, self._job(s, job_id), meeting)

    def rerun(self, job_id: str, stage: str, **params: Any) -> None:
        with self.ctx.db.session() as s:
            user, meeting = self._load(s)
            svc.rerun_job(self.ctx, s, user, self._job(s, job_id), meeting, stage, params)

    def cancel(self, job_id: str) -> None:
        with self.ctx.db.session() as s:
            user, meeting = self._load(s)
            svc.cancel_job(s, user, self._job(s, job_id), meeting)

    def started(self, job_id: str) -> dict[str, int]:
        return {k: int(v["started"]) for k, v in self.job(job_id).stages.items()}

    def work(self, job_id: str) -> Path:
        return self.ctx.layout.work(self.meeting_id, job_id)

    def out(self, job_id: str) -> Path:
        return self.ctx.layout.out(self.meeting_id, job_id)


@pytest.fixture
def rig(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Rig]:
    cheap_password_hashing(monkeypatch)
    stages = FakeStages()
    ctx = make_context(tmp_path, stages)
    with ctx.db.session() as s:
        user = auth.create_user(s, "schreiber", PASSWORD, ["schriftfuehrer"])
        meeting = svc.create_meeting(s, user, body="Rat der Gemeinde Lindenau", date="2026-11-19")
        svc.set_agenda_data(s, user, meeting, sample_agenda_data())
        recording = Recording(
            meeting_id=meeting.id, original_name="sitzung.ogg", stored_name="aufnahme.ogg",
            size_bytes=SAMPLE_OGG.stat().st_size, sha256="0" * 64, media_format="ogg",
            codec="opus", duration_s=220.2, uploaded_by=user.id,
        )  # fmt: skip
        s.add(recording)
        s.flush()
        target = ctx.layout.recording(meeting.id, recording.stored_name)
        target.parent.mkdir(parents=True)
        shutil.copyfile(SAMPLE_OGG, target)
        made = Rig(ctx, stages, user.id, meeting.id, recording.id)
    yield made
    ctx.db.engine.dispose()


# ---- a job from start to end ----------------------------------------------------------------


def test_job_runs_every_stage_once_and_publishes_the_documents(rig: Rig) -> None:
    job_id = rig.new_job()
    assert rig.job(job_id).state == "queued"
    assert rig.run(job_id) == "done"
    job = rig.job(job_id)
    assert (job.state, job.error, job.attempts) == ("done", None, 1)
    assert (job.progress, job.stage_progress, job.eta_s) == (1.0, 1.0, 0.0)
    assert job.lease_until is None and job.worker == jobs.worker_name()
    assert job.started_at is not None and job.finished_at is not None
    assert list(job.stages) == ALL_STAGES
    assert all(
        v["done"] is True and v["started"] == 1 and "seconds" in v for v in job.stages.values()
    )
    assert rig.stages.calls == {"intake": 1, "transcription": 1, "diarization": 1, "minutes": 1}
    assert sorted(p.name for p in rig.work(job_id).iterdir()) == [
        "audio16k.wav", "diarization.json", "intake.json", "transcription.json",
    ]  # fmt: skip
    assert (rig.out(job_id) / "niederschrift.oeffentlich.docx").is_file()
    transcript = json.loads((rig.out(job_id) / "transcript.json").read_text(encoding="utf-8"))
    assert transcript["audio"]["file_name"] == "sitzung.ogg"  # the name the user gave


def test_job_without_agenda_has_no_minutes_stage(rig: Rig) -> None:
    with rig.ctx.db.session() as s:
        meeting = s.get(Meeting, rig.meeting_id)
        assert meeting is not None
        meeting.agenda_json = None
    job_id = rig.new_job()
    assert rig.run(job_id) == "done"
    assert list(rig.job(job_id).stages) == ALL_STAGES[:4]
    assert rig.stages.calls["minutes"] == 0
    assert not (rig.out(job_id) / "niederschrift.docx").exists()


# ---- resume after a failure ------------------------------------------------------------------


@pytest.mark.parametrize("stage", ["intake", "transcription", "diarization", "minutes"])
@pytest.mark.parametrize(
    "error", [RuntimeError("Speicher voll"), ProtokollError("Modell fehlt.")], ids=["bug", "user"]
)
def test_retry_after_a_failure_skips_the_finished_stages(
    rig: Rig, stage: str, error: Exception
) -> None:
    rig.stages.fail_next(stage, error)
    job_id = rig.new_job()
    state = rig.run(job_id)
    job = rig.job(job_id)
    if stage == "minutes" and isinstance(error, ProtokollError):
        # a failing minutes stage costs only the minutes: the job is done, with a warning
        assert state == "done"
        assert any("Modell fehlt." in w for w in job.warnings)
        return
    assert state == "failed" and job.state == "failed"
    assert job.error is not None and str(error) in job.error
    failed_at = ALL_STAGES.index(stage)
    assert all(job.stages[s]["done"] for s in ALL_STAGES[:failed_at])
    assert job.stages[stage] == {"started": 1, "done": False}
    assert not any(s in job.stages for s in ALL_STAGES[failed_at + 1 :])

    rig.retry(job_id)
    assert rig.job(job_id).state == "queued" and rig.job(job_id).error is None
    assert rig.run(job_id) == "done"
    expected = {s: 1 for s in ALL_STAGES}
    expected[stage] = 2
    assert rig.started(job_id) == expected
    assert rig.stages.calls == {s: n for s, n in expected.items() if s != "assignment"}
    assert rig.job(job_id).attempts == 2


def test_retry_decodes_again_when_the_decoded_audio_is_gone(rig: Rig) -> None:
    rig.stages.fail_next("diarization", ProtokollError("Modell fehlt."))
    job_id = rig.new_job()
    assert rig.run(job_id) == "failed"
    (rig.work(job_id) / "audio16k.wav").unlink()
    rig.retry(job_id)
    assert rig.run(job_id) == "done"
    assert rig.stages.calls["intake"] == 2
    assert rig.stages.calls["transcription"] == 1  # its checkpoint is still good


def test_only_failed_or_cancelled_jobs_can_be_retried(rig: Rig) -> None:
    job_id = rig.new_job()
    with pytest.raises(Conflict):
        rig.retry(job_id)  # queued
    rig.run(job_id)
    with pytest.raises(Conflict, match="Nur fehlgeschlagene oder abgebrochene"):
        rig.retry(job_id)  # done


# ---- re-run a stage ----------------------------------------------------------------------------


def test_rerun_diarization_with_other_bounds_keeps_the_transcription(rig: Rig) -> None:
    job_id = rig.new_job(max_speakers=8)
    assert rig.run(job_id) == "done"
    transcription = (rig.work(job_id) / "transcription.json").read_bytes()
    rig.rerun(job_id, "diarization", min_speakers=2, max_speakers=3)
    job = rig.job(job_id)
    assert job.state == "queued" and job.params == {"min_speakers": 2, "max_speakers": 3}
    assert not (rig.work(job_id) / "diarization.json").exists()
    assert (rig.work(job_id) / "transcription.json").read_bytes() == transcription
    assert rig.run(job_id) == "done"
    assert rig.stages.bounds == [(None, 8), (2, 3)]
    assert rig.stages.calls == {"intake": 1, "transcription": 1, "diarization": 2, "minutes": 2}
    assert rig.started(job_id) == dict.fromkeys(ALL_STAGES, 1)  # re-run stages start afresh
    checkpoint = json.loads((rig.work(job_id) / "diarization.json").read_text(encoding="utf-8"))
    assert checkpoint["models"][0]["parameters"] == {"min_speakers": 2, "max_speakers": 3}
    transcript = json.loads((rig.out(job_id) / "transcript.json").read_text(encoding="utf-8"))
    parameters = [m["parameters"] for m in transcript["models"]]
    assert {"min_speakers": 2, "max_speakers": 3} in parameters


def test_rerun_of_the_minutes_alone(rig: Rig) -> None:
    job_id = rig.new_job()
    rig.run(job_id)
    rig.rerun(job_id, "minutes")
    assert rig.run(job_id) == "done"
    assert rig.stages.calls == {"intake": 1, "transcription": 1, "diarization": 1, "minutes": 2}


def test_rerun_of_the_assignment_rewrites_the_transcript_documents(rig: Rig) -> None:
    job_id = rig.new_job()
    rig.run(job_id)
    (rig.out(job_id) / "transcript.vtt").unlink()
    rig.rerun(job_id, "assignment")
    assert rig.run(job_id) == "done"
    assert (rig.out(job_id) / "transcript.vtt").is_file()
    assert rig.stages.calls["diarization"] == 1 and rig.stages.calls["minutes"] == 2


def test_rerun_is_refused_while_the_job_is_busy_or_for_an_unknown_stage(rig: Rig) -> None:
    job_id = rig.new_job()
    for state in ("queued", "running"):
        rig.update(job_id, state=state)
        with pytest.raises(Conflict, match="läuft noch"):
            rig.rerun(job_id, "diarization")
    rig.update(job_id, state="done")
    with pytest.raises(ProtokollError, match="Unbekannter Verarbeitungsschritt"):
        rig.rerun(job_id, "alles")
    assert rig.job(job_id).state == "done"


# ---- cancel ----------------------------------------------------------------------------------


def test_cancelled_queued_job_is_not_run(rig: Rig) -> None:
    job_id = rig.new_job()
    rig.cancel(job_id)
    assert rig.job(job_id).state == "cancelled"
    assert rig.run(job_id) == "cancelled"
    assert sum(rig.stages.calls.values()) == 0
    assert rig.job(job_id).attempts == 0
    with pytest.raises(Conflict, match="bereits beendet"):
        rig.cancel(job_id)


def test_cancel_stops_a_running_job_at_its_next_progress_report(rig: Rig) -> None:
    pause = rig.stages.pause("transcription")
    job_id = rig.new_job()
    thread, result = rig.run_in_thread(job_id)
    assert pause.entered.wait(10)
    assert rig.job(job_id).state == "running"
    rig.cancel(job_id)
    assert rig.job(job_id).cancel_requested is True
    thread.join(15)
    assert not thread.is_alive() and result == ["cancelled"]
    job = rig.job(job_id)
    assert (job.state, job.cancel_requested, job.lease_until) == ("cancelled", False, None)
    assert job.finished_at is not None
    assert job.stages["intake"]["done"] and not job.stages["transcription"]["done"]
    # "retry" continues after the decoded audio
    rig.retry(job_id)
    assert rig.run(job_id) == "done"
    assert rig.started(job_id)["intake"] == 1 and rig.started(job_id)["transcription"] == 2


# ---- claim and leases ------------------------------------------------------------------------


def test_claim_is_exclusive(rig: Rig) -> None:
    job_id = rig.new_job()
    with rig.ctx.db.session() as s:
        assert jobs.claim(s, job_id, "server-a:1", 60) is True
    with rig.ctx.db.session() as s:
        assert jobs.claim(s, job_id, "server-b:2", 60) is False
    job = rig.job(job_id)
    assert (job.state, job.worker, job.attempts) == ("running", "server-a:1", 1)
    assert job.lease_until is not None and job.lease_until > utcnow()
    # the runner of another process gives up without touching the job
    assert rig.run(job_id) == "running"
    assert sum(rig.stages.calls.values()) == 0


def test_concurrent_claims_let_exactly_one_worker_win(rig: Rig) -> None:
    job_id = rig.new_job()
    barrier = threading.Barrier(6)
    wins: list[str] = []

    def claim(name: str) -> None:
        barrier.wait(5)
        with rig.ctx.db.session() as s:
            if jobs.claim(s, job_id, name, 60):
                wins.append(name)

    threads = [threading.Thread(target=claim, args=(f"w{i}:{i}",)) for i in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(20)
    assert len(wins) == 1
    assert rig.job(job_id).worker == wins[0] and rig.job(job_id).attempts == 1


@pytest.mark.parametrize("state", ["done", "failed", "cancelled"])
def test_finished_jobs_cannot_be_claimed(rig: Rig, state: str) -> None:
    job_id = rig.new_job()
    rig.update(job_id, state=state)
    with rig.ctx.db.session() as s:
        assert jobs.claim(s, job_id, "w:1", 60) is False


def test_a_job_with_a_cancel_request_cannot_be_claimed(rig: Rig) -> None:
    job_id = rig.new_job()
    rig.update(job_id, cancel_requested=True)
    with rig.ctx.db.session() as s:
        assert jobs.claim(s, job_id, "w:1", 60) is False


def test_an_expired_lease_can_be_taken_over(rig: Rig) -> None:
    job_id = rig.new_job()
    past = utcnow() - dt.timedelta(seconds=5)
    rig.update(job_id, state="running", worker="server-a:1", lease_until=past, attempts=1)
    with rig.ctx.db.session() as s:
        assert jobs.claim(s, job_id, "server-b:2", 60) is True
    assert rig.job(job_id).worker == "server-b:2" and rig.job(job_id).attempts == 2


def dead_pid() -> int:
    process = subprocess.Popen(["true"])
    process.wait()
    return process.pid


def add_job(
    rig: Rig, state: str, worker: str | None = None, lease_until: dt.datetime | None = None
) -> str:
    """A job row as a worker leaves it (start_job allows only one busy job per recording,
    so the row is written directly)."""
    with rig.ctx.db.session() as s:
        job = Job(
            meeting_id=rig.meeting_id, recording_id=rig.recording_id, created_by=rig.user_id,
            state=state, worker=worker, lease_until=lease_until, params={}, stages={},
            warnings=[], attempts=1, progress=0.1, stage_progress=0.2, cancel_requested=False,
        )  # fmt: skip
        s.add(job)
        s.flush()
        return job.id


def test_reclaim_stale_requeues_jobs_of_dead_workers(rig: Rig) -> None:
    future, past = utcnow() + dt.timedelta(minutes=5), utcnow() - dt.timedelta(seconds=1)
    host = jobs.worker_name().rsplit(":", 1)[0]
    expired = add_job(rig, "running", "server-a:1", past)
    alive = add_job(rig, "running", "server-b:2", future)
    dead_here = add_job(rig, "running", f"{host}:{dead_pid()}", future)
    living_here = add_job(rig, "running", f"{host}:{os.getpid()}", future)
    queued = add_job(rig, "queued")
    assert set(rig.ctx.reclaim_stale()) == {expired, dead_here}
    for job_id in (expired, dead_here):
        job = rig.job(job_id)
        assert (job.state, job.worker, job.lease_until) == ("queued", None, None)
    assert rig.job(alive).state == "running" and rig.job(living_here).state == "running"
    assert rig.job(queued).state == "queued"
    assert rig.ctx.reclaim_stale() == []


def test_stale_job_whose_cancellation_was_asked_ends_cancelled(rig: Rig) -> None:
    job_id = rig.new_job()
    past = utcnow() - dt.timedelta(seconds=1)
    rig.update(job_id, state="running", worker="x:1", lease_until=past, cancel_requested=True)
    assert rig.ctx.reclaim_stale() == []
    job = rig.job(job_id)
    assert (job.state, job.cancel_requested) == ("cancelled", False)
    assert job.finished_at is not None


def test_reclaimed_job_resumes_from_its_checkpoints(rig: Rig) -> None:
    """A worker died during diarization: the queue hands the job to the next worker,
    which continues after the transcription."""
    rig.stages.fail_next("diarization", ProtokollError("Worker abgestürzt"))
    job_id = rig.new_job()
    rig.run(job_id)
    past = utcnow() - dt.timedelta(seconds=1)
    rig.update(job_id, state="running", worker="server-a:1", lease_until=past, error=None)
    assert rig.ctx.queue.reclaim() == [job_id]  # the memory queue runs it at once
    job = rig.job(job_id)
    assert job.state == "done" and job.attempts == 2
    assert rig.stages.calls == {"intake": 1, "transcription": 1, "diarization": 2, "minutes": 1}


def test_a_worker_that_lost_its_lease_stops_without_touching_the_job(rig: Rig) -> None:
    pause = rig.stages.pause("transcription")
    job_id = rig.new_job()
    thread, result = rig.run_in_thread(job_id)
    assert pause.entered.wait(10)
    rig.update(job_id, worker="server-b:2")  # another worker took the job over
    thread.join(15)
    assert result == ["lost"]
    job = rig.job(job_id)
    assert (job.state, job.worker, job.finished_at) == ("running", "server-b:2", None)


# ---- progress --------------------------------------------------------------------------------


def test_progress_and_time_left_are_stored_while_the_job_runs(rig: Rig) -> None:
    pause = rig.stages.pause("transcription", fractions=[0.5])
    job_id = rig.new_job()
    thread, result = rig.run_in_thread(job_id)
    assert pause.entered.wait(10)
    wait_for(lambda: rig.job(job_id).stage == "transcription", what="first heartbeat")
    pause.step.set()  # the stage reports half of its work
    wait_for(lambda: rig.job(job_id).stage_progress == 0.5, what="progress 0.5")
    wait_for(lambda: rig.job(job_id).eta_s is not None, what="an estimate")
    job = rig.job(job_id)
    expected = overall_progress(ALL_STAGES, "transcription", 0.5)
    assert job.progress == pytest.approx(expected) == pytest.approx(0.01 + 0.06 * 0.5)
    assert job.eta_s is not None and job.eta_s > 0
    assert job.lease_until is not None and job.lease_until > utcnow()
    pause.release.set()
    thread.join(15)
    assert result == ["done"]
    job = rig.job(job_id)
    assert (job.state, job.progress, job.stage_progress, job.eta_s) == ("done", 1.0, 1.0, 0.0)


def test_overall_progress_weights_the_stages() -> None:
    assert overall_progress(ALL_STAGES, "intake", 0.0) == 0.0
    assert overall_progress(ALL_STAGES, "minutes", 1.0) == pytest.approx(1.0)
    without_minutes = ALL_STAGES[:4]
    assert overall_progress(without_minutes, "assignment", 1.0) == pytest.approx(1.0)
    halfway = overall_progress(without_minutes, "diarization", 0.0)
    assert halfway == pytest.approx(0.07 / 0.16)


def test_memory_queue_runs_a_job_inside_enqueue(rig: Rig) -> None:
    job_id = rig.new_job()
    rig.ctx.queue.enqueue(job_id)  # memory queue: runs inside enqueue
    assert rig.job(job_id).state == "done"
    with rig.ctx.db.session() as s:
        assert list(s.scalars(select(Job.state))) == ["done"]
