"""Several machines: PostgreSQL for the database, Redis for the queue.

These tests need running servers and are skipped without them:

    eval "$(scripts/ci_services.sh)"   # as root on Debian: starts both, prints the URLs
    # PROTOKOLL_TEST_POSTGRES_URL=postgresql+psycopg://protokoll:protokoll@127.0.0.1:5432/protokoll_test
    # PROTOKOLL_TEST_REDIS_URL=redis://127.0.0.1:6379/15

Each test works in a schema of its own in the PostgreSQL database (dropped afterwards)
and empties protokoll's queue in the Redis database first, so the database and the
Redis instance can be shared with other runs.

The acceptance test of issue #20 is the last one (slow, real models, 1-4 minutes on two
CPU cores): the API and two workers, six recordings, one worker killed mid-job.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import socket
import subprocess
import sys
import threading
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from fastapi.testclient import TestClient
from sqlalchemy import Engine, inspect, make_url, select, text, update

from protokoll.config import ServiceSettings, Settings
from protokoll.domain.agenda import Agenda
from protokoll.domain.progress import ProgressHook
from protokoll.domain.stage_results import DecodedAudio, TranscriptionResult
from protokoll.errors import ConfigError
from protokoll.service.context import ServiceContext
from protokoll.service.infra import jobs as joblib
from protokoll.service.infra.db import Database, make_engine, migrate
from protokoll.service.infra.queue import JobQueue
from protokoll.service.infra.tables import AuditEntry, Base, Job, Meeting, User, utcnow
from protokoll.service.usecases import meetings as svc
from tests.support.media import MakeMedia, make_media_file
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
    writers_race,
)

POSTGRES_URL = os.environ.get("PROTOKOLL_TEST_POSTGRES_URL", "")
REDIS_URL = os.environ.get("PROTOKOLL_TEST_REDIS_URL", "")
HOW = "scripts/ci_services.sh starts the servers and prints the variable"
needs_postgres = pytest.mark.skipif(
    not POSTGRES_URL, reason=f"PROTOKOLL_TEST_POSTGRES_URL is not set ({HOW})"
)
needs_redis = pytest.mark.skipif(
    not REDIS_URL, reason=f"PROTOKOLL_TEST_REDIS_URL is not set ({HOW})"
)
MODELS = ("whisper-base", "pyannote-segmentation-3.0", "campplus-zh-en-common")


# ---- fixtures ------------------------------------------------------------------------------


@pytest.fixture
def pg_url() -> Iterator[str]:
    """The test database with a fresh schema first on the search path; dropped afterwards."""
    if not POSTGRES_URL:
        pytest.skip(f"PROTOKOLL_TEST_POSTGRES_URL is not set ({HOW})")
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = make_engine(POSTGRES_URL)
    try:
        with admin.begin() as conn:
            conn.execute(text(f'CREATE SCHEMA "{schema}"'))
        url = make_url(POSTGRES_URL).update_query_dict({"options": f"-csearch_path={schema}"})
        yield url.render_as_string(hide_password=False)
    finally:
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        admin.dispose()


def redis_queue(data_dir: Path, seen: list[str]) -> JobQueue:
    service = ServiceSettings(queue="redis", queue_url=REDIS_URL)
    return JobQueue(service, data_dir, run_job=seen.append, reclaim=list)


@pytest.fixture
def redis_url(tmp_path: Path) -> str:
    """The Redis URL, with protokoll's queue in it emptied."""
    if not REDIS_URL:
        pytest.skip(f"PROTOKOLL_TEST_REDIS_URL is not set ({HOW})")
    redis_queue(tmp_path, []).huey.flush()
    return REDIS_URL


def schema_differences(engine: Engine) -> list[Any]:
    with engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        return list(compare_metadata(context, Base.metadata))


# ---- migrations --------------------------------------------------------------------------


def test_sqlite_migrations_match_the_models(tmp_path: Path) -> None:
    """The reference point for the PostgreSQL test below (runs everywhere)."""
    engine = make_engine(f"sqlite:///{tmp_path / 'protokoll.db'}")
    try:
        migrate(engine)
        assert schema_differences(engine) == []
    finally:
        engine.dispose()


@needs_postgres
def test_postgresql_migrations_match_the_models(pg_url: str) -> None:
    engine = make_engine(pg_url)
    try:
        migrate(engine)
        migrate(engine)  # idempotent: a second process starting changes nothing
        tables = set(inspect(engine).get_table_names())
        assert {t.name for t in Base.metadata.sorted_tables} | {"alembic_version"} == tables
        assert schema_differences(engine) == []
        with engine.connect() as conn:  # all of it in this test's own schema
            assert str(conn.execute(text("select current_schema()")).scalar()).startswith("t_")
            assert conn.execute(text("select count(*) from alembic_version")).scalar() == 1
    finally:
        engine.dispose()


# ---- PostgreSQL in-process: a whole job, leases, claims --------------------------------------


@needs_postgres
def test_job_end_to_end_on_postgresql(pg_url: str, tmp_path: Path, make_media: MakeMedia) -> None:
    stages = TinyStages()
    app, ctx, token = local_app(tmp_path / "data", stages, database_url=pg_url)
    assert ctx.db.engine.dialect.name == "postgresql"
    wav = make_media(tmp_path / "ton.wav", "-ac", "1", signal="speech", seconds=3.0).read_bytes()
    try:
        with TestClient(app, headers={"Authorization": f"Bearer {token}"}) as client:
            r = client.post("/api/meetings", json={"body": "Kreistag", "date": "2026-11-19"})
            assert r.status_code == 201, r.text
            meeting_id = r.json()["id"]
            r = client.post(
                f"/api/meetings/{meeting_id}/uploads",
                json={"filename": "kreistag.wav", "size": len(wav)},
            )
            upload_id = r.json()["id"]
            assert client.put(
                f"/api/uploads/{upload_id}", params={"offset": 0}, content=wav
            ).status_code == 200  # fmt: skip
            r = client.post(f"/api/uploads/{upload_id}/complete")
            assert r.status_code == 201, r.text

            r = client.post(f"/api/meetings/{meeting_id}/jobs", json={"max_speakers": 3})
            assert r.status_code == 202, r.text
            job = client.get(f"/api/jobs/{r.json()['id']}").json()
            assert job["state"] == "done", job["error"]
            assert job["params"] == {"max_speakers": 3}
            assert job["attempts"] == 1
            assert job["progress"] == 1.0
            started, finished = job["started_at"], job["finished_at"]
            assert dt.datetime.fromisoformat(finished) >= dt.datetime.fromisoformat(started)
            assert started.endswith("+00:00")  # aware UTC back from PostgreSQL
            names = {o["name"] for o in client.get(f"/api/jobs/{job['id']}/outputs").json()}
            assert "transcript.json" in names
            r = client.get(f"/api/jobs/{job['id']}/outputs/transcript.json")
            assert r.status_code == 200
            assert r.json()["segments"][0]["text"] == "Guten Morgen."

            r = client.delete(f"/api/meetings/{meeting_id}")
            assert r.status_code == 200, r.text
        with ctx.db.session() as s:  # the cascade removed recordings and jobs
            assert s.query(Job).count() == 0
    finally:
        ctx.db.engine.dispose()


@needs_postgres
def test_crashed_job_is_reclaimed_on_postgresql(
    pg_url: str, tmp_path: Path, make_media: MakeMedia
) -> None:
    stages = TinyStages()
    app, ctx, token = local_app(tmp_path / "data", stages, database_url=pg_url)
    wav = make_media(tmp_path / "ton.wav", "-ac", "1", signal="speech", seconds=3.0).read_bytes()
    try:
        with TestClient(app, headers={"Authorization": f"Bearer {token}"}) as client:
            meeting_id = create_meeting(client)
            upload_file(client, meeting_id, wav, "ton.wav")
        with ctx.db.session() as s:
            user = s.query(User).filter_by(username="anna").one()
            job_id = svc.start_job(ctx, s, user, svc.get_meeting(s, user, meeting_id)).id
        stages.fail["diarization"] = WorkerCrash()
        with pytest.raises(WorkerCrash):
            ctx.runner.run(job_id)
        assert ctx.reclaim_stale() == []  # lease fresh, worker (this process) alive
        with ctx.db.session() as s:
            row = s.get(Job, job_id)
            assert row is not None and row.state == "running"
            row.worker = "gpu-server-3:777"
            row.lease_until = dt.datetime.now(dt.UTC) - dt.timedelta(seconds=1)
        assert ctx.queue.reclaim() == [job_id]  # in-memory queue: runs at once
        with ctx.db.session() as s:
            row = s.get(Job, job_id)
            assert row is not None
            assert row.state == "done", row.error
            assert row.attempts == 2
            assert row.stages["transcription"]["started"] == 1
            assert row.stages["diarization"]["started"] == 2
    finally:
        ctx.db.engine.dispose()


@needs_postgres
def test_only_one_of_many_workers_claims_a_job_on_postgresql(
    pg_url: str, tmp_path: Path, make_media: MakeMedia
) -> None:
    app, ctx, token = local_app(tmp_path / "data", TinyStages(), database_url=pg_url)
    wav = make_media(tmp_path / "ton.wav", "-ac", "1", signal="sine", seconds=2.0).read_bytes()
    try:
        with TestClient(app, headers={"Authorization": f"Bearer {token}"}) as client:
            meeting_id = create_meeting(client)
            upload_file(client, meeting_id, wav, "ton.wav")
        with ctx.db.session() as s:
            user = s.query(User).filter_by(username="anna").one()
            job_id = svc.start_job(ctx, s, user, svc.get_meeting(s, user, meeting_id)).id

        db = Database(make_engine(pg_url))
        barrier = threading.Barrier(8)
        wins: list[str] = []

        def claim(n: int) -> None:
            barrier.wait(timeout=30)
            with db.session() as s:
                if joblib.claim(s, job_id, f"worker-{n}:1", 60):
                    wins.append(f"worker-{n}:1")

        threads = [threading.Thread(target=claim, args=(n,)) for n in range(8)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
        db.engine.dispose()
        assert len(wins) == 1
        with ctx.db.session() as s:
            row = s.get(Job, job_id)
            assert row is not None
            assert (row.state, row.worker, row.attempts) == ("running", wins[0], 1)
    finally:
        ctx.db.engine.dispose()


# ---- who holds a job, in the audit log: claims, reclaims, a lost lease (SQLite and PostgreSQL)


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest) -> str:
    """ "" (the SQLite file in the data folder) or the PostgreSQL test schema."""
    return "" if request.param == "sqlite" else str(request.getfixturevalue("pg_url"))


def queued_job(
    tmp_path: Path, make_media: MakeMedia, database_url: str, stages: TinyStages
) -> tuple[ServiceContext, str]:
    app, ctx, token = local_app(tmp_path / "data", stages, database_url=database_url)
    wav = make_media(tmp_path / "ton.wav", "-ac", "1", signal="speech", seconds=3.0).read_bytes()
    with TestClient(app, headers={"Authorization": f"Bearer {token}"}) as client:
        upload_file(client, create_meeting(client), wav, "ton.wav")
    with ctx.db.session() as s:
        user = s.query(User).filter_by(username="anna").one()
        meeting = s.query(Meeting).one()
        return ctx, svc.start_job(ctx, s, user, meeting).id


def job_audit(ctx: ServiceContext, job_id: str) -> list[tuple[str, dict[str, Any]]]:
    with ctx.db.session() as s:
        entries = s.scalars(
            select(AuditEntry).where(AuditEntry.job_id == job_id).order_by(AuditEntry.seq)
        )
        return [(e.action, json.loads(e.details)) for e in entries]


def test_a_late_reclaim_leaves_the_job_with_the_worker_that_claimed_it(
    database_url: str, tmp_path: Path, make_media: MakeMedia
) -> None:
    """Two workers reclaim at the same minute: the second read the job as stale before the
    first queued it again and a third worker claimed it. The second must not queue it once
    more (which would let a fourth worker run it beside the third)."""
    ctx, job_id = queued_job(tmp_path, make_media, database_url, TinyStages())
    try:
        past = dt.datetime.now(dt.UTC) - dt.timedelta(seconds=1)
        with ctx.db.session() as s:
            s.execute(
                update(Job).where(Job.id == job_id)
                .values(state="running", worker="server-a:1", lease_until=past, attempts=1)
            )  # fmt: skip
        with ctx.db.session() as late:
            assert joblib.stale_jobs(late) == [job_id]
            assert ctx.reclaim_stale() == [job_id]  # the first reclaim
            with ctx.db.session() as s:
                assert joblib.claim(s, job_id, "server-c:3", 60)
            assert joblib.requeue(late, job_id) is False
        with ctx.db.session() as s:
            row = s.get(Job, job_id)
            assert row is not None
            assert (row.state, row.worker, row.attempts) == ("running", "server-c:3", 2)
        assert [(a, d) for a, d in job_audit(ctx, job_id) if a != "job.started"] == [
            ("job.reclaimed", {"worker": "server-a:1", "attempt": 1, "reason": "lease_expired",
                               "lease_until": past.isoformat(), "state": "queued"}),
            ("job.claimed", {"worker": "server-c:3", "attempt": 2}),
        ]  # fmt: skip
    finally:
        ctx.db.engine.dispose()


@dataclass
class TakenOverInTranscription(TinyStages):
    """Another worker takes the job over (the lease ran out) while the transcription runs."""

    take_over: list[Callable[[], object]] = field(default_factory=list)

    def transcription(
        self, decoded: DecodedAudio, settings: Settings, agenda: Agenda | None, hook: ProgressHook
    ) -> TranscriptionResult:
        result = super().transcription(decoded, settings, agenda, hook)
        for action in self.take_over:
            action()
        return result


def test_a_worker_that_lost_its_lease_adds_nothing_to_the_job_or_the_log(
    database_url: str, tmp_path: Path, make_media: MakeMedia
) -> None:
    stages = TakenOverInTranscription()
    ctx, job_id = queued_job(tmp_path, make_media, database_url, stages)
    me = joblib.worker_name()

    def take_over() -> None:
        with ctx.db.session() as s:
            past = dt.datetime.now(dt.UTC) - dt.timedelta(seconds=1)
            s.execute(update(Job).where(Job.id == job_id).values(lease_until=past))
        with ctx.db.session() as s:
            assert joblib.claim(s, job_id, "server-b:2", 60)

    stages.take_over.append(take_over)
    try:
        assert ctx.runner.run(job_id) == "lost"
        with ctx.db.session() as s:
            row = s.get(Job, job_id)
            assert row is not None
            assert (row.state, row.worker, row.attempts) == ("running", "server-b:2", 2)
            assert row.stages["transcription"] == {"started": 1, "done": False}
        assert [(a, d.get("worker")) for a, d in job_audit(ctx, job_id)] == [
            ("job.started", None),
            ("job.claimed", me),
            ("stage.intake", me),
            ("job.claimed", "server-b:2"),  # and nothing more from this worker
        ]
        assert job_audit(ctx, job_id)[-1][1] == {
            "worker": "server-b:2", "attempt": 2, "taken_over_from": me
        }  # fmt: skip
    finally:
        ctx.db.engine.dispose()


@needs_postgres
def test_concurrent_uploads_with_one_api_token_on_postgresql(pg_url: str, tmp_path: Path) -> None:
    """A script uploading several files at once with its API token must not stall the
    server (every request of a token writes its last use; see the report in the notes)."""
    data = (REPO / "samples" / "sitzung.ogg").read_bytes()
    chunk = 64 * 1024
    with service_env(tmp_path / "svc", PROTOKOLL_SERVICE__DATABASE_URL=pg_url) as env:
        env.add_user()
        env.start_server()
        with env.client(timeout=30) as client:
            meeting_id = create_meeting(client)
            outcome: dict[int, str] = {}

            def upload(n: int) -> None:
                try:
                    with httpx.Client(
                        base_url=env.base_url, headers=dict(client.headers), timeout=20
                    ) as own:
                        recording = upload_file(own, meeting_id, data, f"teil-{n}.ogg", chunk)
                        outcome[n] = recording["sha256"]
                except Exception as exc:
                    outcome[n] = f"{type(exc).__name__}: {exc}"

            threads = [threading.Thread(target=upload, args=(n,)) for n in range(3)]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join(timeout=120)
            health: object
            try:
                health = httpx.get(f"{env.base_url}/healthz", timeout=10).status_code
            except httpx.TransportError as exc:
                health = repr(exc)
        expected = hashlib.sha256(data).hexdigest()
        assert outcome == {n: expected for n in range(3)}, f"{outcome}\n{env.logs()}"
        assert health == 200


@needs_postgres
def test_two_users_writing_at_once_do_not_stall_the_server_on_postgresql(
    pg_url: str, tmp_path: Path
) -> None:
    with service_env(tmp_path / "svc", PROTOKOLL_SERVICE__DATABASE_URL=pg_url) as env:
        env.add_user("anna")
        env.add_user("bernd")
        env.start_server()
        outcome = writers_race(env)
        assert outcome == {"anna": "ok", "bernd": "ok"}, f"{outcome}\n{env.logs()}"


# ---- Redis queue ---------------------------------------------------------------------------


def test_redis_queue_without_url_is_a_german_config_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"fehlt service\.queue_url"):
        JobQueue(ServiceSettings(queue="redis"), tmp_path, run_job=print, reclaim=list)


@needs_redis
def test_redis_carries_job_ids_from_web_to_worker(redis_url: str, tmp_path: Path) -> None:
    web = redis_queue(tmp_path / "web", [])
    ran: list[str] = []
    worker = redis_queue(tmp_path / "worker", ran)  # another process, in real life
    for job_id in ("auftrag-1", "auftrag-2", "auftrag-3"):
        web.enqueue(job_id)
    assert web.huey.pending_count() == 3
    while (task := worker.huey.dequeue()) is not None:
        worker.huey.execute(task)
    assert ran == ["auftrag-1", "auftrag-2", "auftrag-3"]  # in order, each once
    assert web.huey.pending_count() == 0
    assert not (tmp_path / "web" / "queue.db").exists()  # nothing went to SQLite


# ---- web + worker subprocesses on PostgreSQL + Redis ----------------------------------------


def cluster_env(root: Path, pg_url: str, redis_url: str) -> Any:
    return service_env(
        root,
        PROTOKOLL_SERVICE__DATABASE_URL=pg_url,
        PROTOKOLL_SERVICE__QUEUE="redis",
        PROTOKOLL_SERVICE__QUEUE_URL=redis_url,
    )


def start_cluster(env: ServiceEnv) -> None:
    env.add_user()
    env.start_server()
    env.start_worker()


def wait_finished(client: httpx.Client, env: ServiceEnv, job_id: str, timeout: float) -> Any:
    def finished() -> dict[str, Any] | None:
        job: dict[str, Any] = client.get(f"/api/jobs/{job_id}").json()
        return job if job["state"] in ("done", "failed", "cancelled") else None

    try:
        return wait_for(finished, timeout=timeout, interval=0.5, what="the job")
    except AssertionError as exc:
        raise AssertionError(f"{exc}\n{env.logs()}") from None


@needs_postgres
@needs_redis
def test_web_and_worker_processes_share_postgresql_and_redis(
    pg_url: str, redis_url: str, tmp_path: Path, make_media: MakeMedia
) -> None:
    """A silent recording passes the upload checks; the worker's intake refuses it
    (no model is loaded), so the round trip web -> Redis -> worker -> PostgreSQL ->
    web takes seconds."""
    silent = make_media(tmp_path / "stille.wav", "-ac", "1", signal="silence", seconds=4.0)
    with cluster_env(tmp_path / "svc", pg_url, redis_url) as env:
        start_cluster(env)
        with env.client() as client:
            meeting_id = create_meeting(client)
            upload_file(client, meeting_id, silent.read_bytes(), "stille.wav")
            r = client.post(f"/api/meetings/{meeting_id}/jobs", json={})
            assert r.status_code == 202, r.text
            job = wait_finished(client, env, r.json()["id"], timeout=120)
        assert job["state"] == "failed", job
        assert job["attempts"] == 1
        assert "enthält nur Stille" in job["error"], job["error"]
        assert not (env.data_dir / "queue.db").exists()  # the queue is Redis
        assert not (env.data_dir / "protokoll.db").exists()  # the database is PostgreSQL
    engine = make_engine(pg_url)
    try:
        with engine.connect() as conn:
            state = conn.execute(text("select state from jobs")).scalar()
        assert state == "failed"
    finally:
        engine.dispose()


@pytest.mark.slow
@needs_postgres
@needs_redis
def test_real_job_through_postgresql_and_redis(pg_url: str, redis_url: str, tmp_path: Path) -> None:
    for model_id in MODELS:
        if not (REPO / "models" / model_id / "installed.json").exists():
            pytest.fail(f"model {model_id} missing: run `protokoll models install` first")
    with cluster_env(tmp_path / "svc", pg_url, redis_url) as env:
        start_cluster(env)
        with env.client() as client:
            meeting_id = create_meeting(client)  # no agenda: no LLM stage
            sample = (REPO / "samples" / "sitzung.ogg").read_bytes()
            upload_file(client, meeting_id, sample, "sitzung.ogg")
            r = client.post(f"/api/meetings/{meeting_id}/jobs", json={})
            assert r.status_code == 202, r.text
            job = wait_finished(client, env, r.json()["id"], timeout=900)
            assert job["state"] == "done", f"{job['error']}\n{env.logs()}"
            r = client.get(f"/api/jobs/{job['id']}/outputs/transcript.json")
            assert r.status_code == 200, r.text
            transcript = r.json()
    assert len(transcript["speakers"]) >= 2
    text = " ".join(s["text"] for s in transcript["segments"])
    assert "Sitzung" in text and "Niederschrift" in text, text[:300]


# ---- acceptance (issue #20): two workers, six recordings, one worker killed ------------------


@dataclass(frozen=True)
class Excerpt:
    """A part of samples/sitzung.ogg, cut in the pauses between turns, and words that only it
    holds (whisper-base hears them; they are in no other excerpt)."""

    name: str
    start_s: float
    end_s: float
    words: tuple[str, ...]


EXCERPTS = (
    Excerpt("top1-niederschrift", 12.5, 33.4, ("Niederschrift", "Oktober")),
    Excerpt("top2-schule", 42.9, 67.1, ("1972", "Fenster")),
    Excerpt("top2-zeitplan", 67.1, 87.6, ("Zeitplan", "Containern")),
    Excerpt("top2-energie", 87.6, 107.9, ("Photovoltaikanlage", "Baufortschritt")),
    Excerpt("top3-tempo30", 137.9, 163.3, ("Hauptstraße", "Feuerwehr")),
    Excerpt("top4-grundstueck", 187.4, 212.9, ("Verkauf", "CDU")),
)
# a worker's entries that end its attempt of a job (the runner's end entries carry worker and
# attempt); `job.reclaimed` ends it too: the lease was taken from a worker that is gone
ENDS = ("job.done", "job.failed", "job.stopped", "job.retry_scheduled", "job.reclaimed")


@dataclass
class Attempt:
    worker: str
    number: int
    claimed: AuditEntry
    entries: list[AuditEntry] = field(default_factory=list)  # its stage entries
    ended: AuditEntry | None = None


def attempts_in_audit(entries: list[AuditEntry]) -> list[Attempt]:
    """The attempts of one job, from its audit entries in the log's order (`seq`: appends are
    serialised, so the order is the order of the transactions that wrote them).

    An attempt runs from its `job.claimed` to its end: the worker's own end entry, the
    `job.reclaimed` that took the job from it, or a claim that took over its expired lease.
    Two attempts ran at the same time when a claim comes while an attempt is running, or a
    worker writes for the job outside its own attempt; either fails here."""
    attempts: list[Attempt] = []
    holder: Attempt | None = None
    for entry in entries:
        details = json.loads(entry.details)
        where = f"seq {entry.seq} {entry.action} {details}"
        if entry.action == "job.claimed":
            if holder is not None:
                assert details.get("taken_over_from") == holder.worker, f"overlap at {where}"
                holder.ended = entry
            holder = Attempt(details["worker"], details["attempt"], entry)
            assert holder.number == len(attempts) + 1, where
            attempts.append(holder)
        elif entry.action.startswith("stage."):
            assert holder is not None and details["worker"] == holder.worker, f"outside: {where}"
            holder.entries.append(entry)
        elif entry.action in ENDS:
            assert holder is not None, f"an end without an attempt: {where}"
            assert (details["worker"], details["attempt"]) == (holder.worker, holder.number), where
            holder.ended, holder = entry, None
    assert holder is None, f"attempt {holder} never ended"
    return attempts


def cut(excerpt: Excerpt, folder: Path) -> Path:
    sample = REPO / "samples" / "sitzung.ogg"
    return make_media_file(
        folder / f"{excerpt.name}.wav", "-ac", "1", "-ar", "16000",
        inputs=["-ss", str(excerpt.start_s), "-to", str(excerpt.end_s), "-i", str(sample)],
    )  # fmt: skip


@pytest.mark.slow
@needs_postgres
@needs_redis
def test_two_workers_six_jobs_one_worker_killed_every_job_done_once(
    pg_url: str, redis_url: str, tmp_path: Path
) -> None:
    """Issue #20's acceptance test: the API and two workers on PostgreSQL and Redis, six
    recordings, one worker killed (SIGKILL) in the middle of a job. The other worker takes
    the job over at its next reclaim and continues after the stage that had finished; every
    job ends done exactly once, no two attempts of a job overlap (audit log), and each
    transcript is the one of its own recording."""
    for model_id in MODELS:
        if not (REPO / "models" / model_id / "installed.json").exists():
            pytest.fail(f"model {model_id} missing: run `protokoll models install` first")
    recordings = {excerpt: cut(excerpt, tmp_path) for excerpt in EXCERPTS}
    db = Database(make_engine(pg_url))
    settings = {
        "PROTOKOLL_SERVICE__DATABASE_URL": pg_url,
        "PROTOKOLL_SERVICE__QUEUE": "redis",
        "PROTOKOLL_SERVICE__QUEUE_URL": redis_url,
        "PROTOKOLL_SERVICE__WORKER_LEASE_S": "15",
    }
    try:
        with service_env(tmp_path / "svc", **settings) as env:
            env.add_user()
            env.start_server()
            doomed, survivor = env.start_worker(), env.start_worker()
            host = socket.gethostname()
            doomed_name, survivor_name = f"{host}:{doomed.pid}", f"{host}:{survivor.pid}"
            submitted: dict[str, tuple[Excerpt, dict[str, Any]]] = {}
            with env.client() as client:
                for excerpt, path in recordings.items():
                    meeting_id = create_meeting(client, f"Ausschuss {excerpt.name}")
                    recording = upload_file(client, meeting_id, path.read_bytes(), path.name)
                    r = client.post(f"/api/meetings/{meeting_id}/jobs", json={})
                    assert r.status_code == 202, r.text
                    submitted[r.json()["id"]] = (excerpt, recording)

                def doomed_in_the_middle() -> str | None:
                    """A job of the doomed worker past its intake (a checkpoint to resume)."""
                    with db.session() as s:
                        running = select(Job).where(
                            Job.worker == doomed_name, Job.state == "running"
                        )
                        for job in s.scalars(running):
                            if (job.stages or {}).get("intake", {}).get("done"):
                                return job.id
                    return None

                try:
                    victim = wait_for(doomed_in_the_middle, timeout=300, interval=0.1,
                                      what="a job of the first worker past its intake")  # fmt: skip
                except AssertionError as exc:
                    raise AssertionError(f"{exc}\n{env.logs()}") from None
                doomed.kill()
                killed_at = utcnow()
                finished = {
                    job_id: wait_finished(client, env, job_id, timeout=420) for job_id in submitted
                }
                transcripts = {}
                for job_id, job in finished.items():
                    assert job["state"] == "done", f"{job_id}: {job['error']}\n{env.logs()}"
                    r = client.get(f"/api/jobs/{job_id}/outputs/transcript.json")
                    assert r.status_code == 200, r.text
                    transcripts[job_id] = r.json()
            verified = subprocess.run(
                [sys.executable, "-m", "protokoll", "audit", "verify"],
                cwd=REPO, env=env.env(), capture_output=True, timeout=120,
            )  # fmt: skip
            assert verified.returncode == 0, verified.stdout + verified.stderr
            logs = env.logs()
        with db.session() as s:
            by_seq = select(AuditEntry).order_by(AuditEntry.seq)
            log = {j: list(s.scalars(by_seq.where(AuditEntry.job_id == j))) for j in submitted}
    finally:
        db.engine.dispose()

    # every job done exactly once, the attempts of a job one after the other
    for job_id, entries in log.items():
        attempts = attempts_in_audit(entries)
        assert [a.ended.action for a in attempts if a.ended is not None].count("job.done") == 1
        assert attempts[-1].ended is not None and attempts[-1].ended.action == "job.done"
        assert finished[job_id]["attempts"] == len(attempts)
        if job_id != victim:
            assert len(attempts) == 1, [a.ended and a.ended.action for a in attempts]
            assert attempts[0].worker in (doomed_name, survivor_name)
    # the killed attempt ended when the survivor found its worker gone, not before
    first, second = attempts_in_audit(log[victim])
    assert (first.worker, second.worker) == (doomed_name, survivor_name), logs
    assert first.ended is not None and first.ended.action == "job.reclaimed"
    reclaimed = json.loads(first.ended.details)
    assert reclaimed["reason"] in ("process_gone", "lease_expired"), reclaimed
    assert first.ended.at >= killed_at
    assert all(e.at < killed_at for e in first.entries)
    # ... and the survivor continued after the decoded audio
    assert [e.action for e in first.entries][:1] == ["stage.intake"]
    done_stages = [e.action for e in first.entries + second.entries]
    assert sorted(done_stages) == sorted(set(done_stages)), done_stages  # each stage once
    assert set(done_stages) == {
        "stage.intake", "stage.transcription", "stage.diarization", "stage.assignment"
    }  # fmt: skip
    assert finished[victim]["stages"]["intake"]["started"] == 1

    # each transcript is its own recording's
    for job_id, transcript in transcripts.items():
        excerpt, recording = submitted[job_id]
        audio = transcript["audio"]
        assert (audio["file_name"], audio["sha256"]) == (f"{excerpt.name}.wav", recording["sha256"])
        duration = excerpt.end_s - excerpt.start_s
        assert audio["duration_s"] == pytest.approx(duration, abs=0.1)
        assert len(transcript["speakers"]) >= 1 and transcript["segments"]
        for segment in transcript["segments"]:
            assert 0 <= segment["start_s"] <= segment["end_s"] <= duration + 0.1, segment
        text = " ".join(segment["text"] for segment in transcript["segments"])
        assert any(word in text for word in excerpt.words), f"{excerpt.name}: {text}"
        others = {w for other in EXCERPTS if other != excerpt for w in other.words}
        assert not [w for w in others if w in text], f"{excerpt.name}: {text}"
