"""Shared helpers for the service tests: fake model stages, an app with users per role.

The stages are fakes (`FakeStages`, a `protokoll.pipeline.runner.Steps`): they return a short German
transcript with two speakers in milliseconds, so the logic around them (uploads, jobs,
checkpoints, roles, documents) is tested without models. Intake can also run for real
(`real_intake=True`: ffmpeg decodes the recording, well under a second for the sample).

`make_service(tmp_path, monkeypatch)` builds the app from a config file and
`PROTOKOLL_SERVICE__*` variables (`service.data_dir` in `tmp_path`, the in-memory queue:
a job runs at once, inside the request that enqueues it), creates one user per role with
`auth.create_user`, and logs each in: by API token, and the owner also by cookie session
(with and without the CSRF header). Test modules define their `service` fixture as
`yield from running_service(tmp_path, monkeypatch)`.
"""

from __future__ import annotations

import collections
import hashlib
import threading
import time
import tomllib
import wave
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from argon2 import PasswordHasher
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import select

from protokoll.config import Settings, load_settings
from protokoll.documents.artifacts import file_sha256
from protokoll.domain.agenda import Agenda
from protokoll.domain.minutes import (
    Attendance,
    Minutes,
    MinutesItem,
    MinutesMeeting,
    SummarySentence,
)
from protokoll.domain.progress import ProgressHook
from protokoll.domain.stage_results import DecodedAudio, DiarizationOutcome, TranscriptionResult
from protokoll.domain.transcript import AudioInfo, ModelUse, Segment, SpeakerTurn, Transcript, Word
from protokoll.errors import ProtokollError
from protokoll.pipeline.steps import stage_intake
from protokoll.service.bootstrap import build_context
from protokoll.service.context import ServiceContext
from protokoll.service.http.app import create_app
from protokoll.service.infra import auth
from protokoll.service.infra.tables import Job, Meeting, Recording, User

ROOT = Path(__file__).resolve().parents[2]
SAMPLE_OGG = ROOT / "samples" / "sitzung.ogg"
SAMPLE_AGENDA = ROOT / "samples" / "agenda.toml"
PASSWORD = "Rathaus-Lindenau-2026"
NON_PUBLIC_TITLE = "Grundstücksangelegenheit: Verkauf einer Teilfläche am Mühlbach"

# role key -> (user name, roles); "schriftfuehrer" owns the meetings in the tests
USERS: dict[str, tuple[str, list[str]]] = {
    "schriftfuehrer": ("schreiber", ["schriftfuehrer"]),
    "schriftfuehrer2": ("schreiberin2", ["schriftfuehrer"]),
    "pruefer": ("pruefer", ["pruefer"]),
    "admin": ("admin", ["admin"]),
}
ALL_OUTPUTS = {
    "niederschrift.docx",
    "niederschrift.oeffentlich.docx",
    "minutes.json",
    "minutes.oeffentlich.json",
    "transcript.docx",
    "transcript.json",
    "transcript.vtt",
    "diarization.rttm",
}
PUBLIC_OUTPUTS = {"niederschrift.oeffentlich.docx", "minutes.oeffentlich.json"}

_sample_cache: dict[str, bytes] = {}


def sample_bytes() -> bytes:
    if "ogg" not in _sample_cache:
        _sample_cache["ogg"] = SAMPLE_OGG.read_bytes()
    return _sample_cache["ogg"]


def sample_agenda_data() -> dict[str, Any]:
    """samples/agenda.toml as data (items 1-3 public, item 4 non-public)."""
    return tomllib.loads(SAMPLE_AGENDA.read_text(encoding="utf-8"))


def public_agenda_data() -> dict[str, Any]:
    """The sample agenda without its non-public item."""
    data = sample_agenda_data()
    data["items"] = [i for i in data["items"] if i.get("public", True)]
    return data


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def wait_for(condition: Callable[[], bool], timeout: float = 10.0, what: str = "") -> None:
    """Poll `condition` until it holds; fail the test after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"timed out after {timeout} s waiting for {what or condition}")
        time.sleep(0.01)


# ---- fake stages -----------------------------------------------------------------------------

SENTENCES = (
    (0.0, 4.0, "Ich eröffne die Sitzung des Rates der Gemeinde Lindenau."),
    (5.0, 9.0, "Wir beantragen Tempo 30 in der Hauptstraße."),
    (10.0, 13.0, "Der Antrag ist einstimmig angenommen."),
)


def _words(start: float, end: float, text: str) -> tuple[Word, ...]:
    tokens = text.split()
    step = (end - start) / len(tokens)
    return tuple(
        Word(start_s=round(start + i * step, 3), end_s=round(start + (i + 1) * step, 3),
             text=" " + token, probability=0.9)
        for i, token in enumerate(tokens)
    )  # fmt: skip


def fake_transcription() -> TranscriptionResult:
    segments = [Segment(s, e, " " + t, words=_words(s, e, t)) for s, e, t in SENTENCES]
    return TranscriptionResult(
        language="de",
        segments=segments,
        model=ModelUse("transcription", "fake-whisper", "0" * 64, "cpu"),
        speech_s=11.0,
    )


def fake_diarization(
    duration_s: float, bounds: tuple[int | None, int | None]
) -> DiarizationOutcome:
    turns = [
        SpeakerTurn(0.0, 4.5, "SPEAKER_00"),
        SpeakerTurn(4.5, 9.5, "SPEAKER_01"),
        SpeakerTurn(9.5, max(duration_s, 13.0), "SPEAKER_00"),
    ]
    params = {"min_speakers": bounds[0], "max_speakers": bounds[1]}
    model = ModelUse("diarization", "fake-diarizer", "1" * 64, "cpu", params)
    return DiarizationOutcome(turns=turns, exclusive=list(turns), models=[model])


def fake_minutes(agenda: Agenda) -> Minutes:
    items = [
        MinutesItem(
            number=item.number,
            title=item.title,
            paper=item.paper,
            public=item.public,
            summary=[SummarySentence(f"Zu TOP {item.number} wurde beraten.")],
            result="zur Kenntnis genommen",
            speakers=["SPEAKER_00", "SPEAKER_01"],
        )
        for item in agenda.items
    ]
    chair = next((m.name for m in agenda.members if m.chair), "")
    return Minutes(
        meeting=MinutesMeeting(body=agenda.meeting.body, date=agenda.meeting.date.isoformat()),
        attendance=Attendance(chair=chair, present=[m.name for m in agenda.present_members]),
        items=items,
    )


@dataclass
class Pause:
    """Holds a stage inside its work until released (or until the job is stopped)."""

    entered: threading.Event = field(default_factory=threading.Event)
    release: threading.Event = field(default_factory=threading.Event)
    # progress fractions the stage reports, one after another, each after `step` is set
    fractions: list[float] = field(default_factory=list)
    step: threading.Event = field(default_factory=threading.Event)
    timeout_s: float = 20.0


class FakeStages:
    """`pipeline.runner.Steps` without models. Counts calls, records speaker bounds, can
    fail or pause.

    `fail_next(stage, exc)` makes the next call of `stage` raise `exc` (once per call);
    `pause(stage)` holds the stage until `Pause.release` is set, reporting progress so that
    a cancelled job stops there.
    """

    STAGES = ("intake", "transcription", "diarization", "minutes")

    def __init__(self, *, real_intake: bool = False) -> None:
        self.real_intake = real_intake
        self.calls: collections.Counter[str] = collections.Counter()
        self.bounds: list[tuple[int | None, int | None]] = []
        self.failures: dict[str, list[BaseException]] = collections.defaultdict(list)
        self.pauses: dict[str, Pause] = {}
        self.minutes_error: ProtokollError | None = None
        self.after_minutes: Callable[[], object] | None = None  # runs as the stage returns

    def fail_next(self, stage: str, exc: BaseException) -> None:
        assert stage in self.STAGES
        self.failures[stage].append(exc)

    def pause(self, stage: str, fractions: list[float] | None = None) -> Pause:
        assert stage in self.STAGES
        self.pauses[stage] = Pause(fractions=list(fractions or []))
        return self.pauses[stage]

    def _enter(self, stage: str, hook: ProgressHook) -> None:
        self.calls[stage] += 1
        hook(stage, 0.0, 1.0)
        if self.failures[stage]:
            raise self.failures[stage].pop(0)
        paused = self.pauses.pop(stage, None)
        if paused is None:
            return
        paused.entered.set()
        deadline = time.monotonic() + paused.timeout_s
        fraction = 0.0
        while not paused.release.is_set():
            if paused.fractions and paused.step.is_set():
                paused.step.clear()
                fraction = paused.fractions.pop(0)
            hook(stage, fraction, 1.0)  # raises JobStopped once the job is cancelled or lost
            if time.monotonic() > deadline:
                raise AssertionError(f"stage {stage} was never released")
            time.sleep(0.01)

    def intake(
        self, recording: Path, settings: Settings, work_dir: Path, hook: ProgressHook
    ) -> DecodedAudio:
        self._enter("intake", hook)
        if self.real_intake:
            return stage_intake(recording, settings, work_dir, hook)
        wav = work_dir / "audio16k.wav"
        with wave.open(str(wav), "wb") as fh:
            fh.setnchannels(1)
            fh.setsampwidth(2)
            fh.setframerate(16_000)
            fh.writeframes(b"\x00\x00" * 1600)
        info = AudioInfo(
            file_name=recording.name,
            sha256=file_sha256(recording),
            duration_s=220.0,
            source_format="ogg",
            source_codec="opus",
            source_sample_rate_hz=48_000,
            source_channels=1,
            size_bytes=recording.stat().st_size,
        )
        hook("intake", 1.0, 1.0)
        return DecodedAudio(info=info, wav_path=wav, peak_loudness_dbfs=-19.0)

    def transcription(
        self, decoded: DecodedAudio, settings: Settings, agenda: Agenda | None, hook: ProgressHook
    ) -> TranscriptionResult:
        self._enter("transcription", hook)
        return fake_transcription()

    def diarization(
        self,
        decoded: DecodedAudio,
        settings: Settings,
        agenda: Agenda | None,
        bounds: tuple[int | None, int | None],
        hook: ProgressHook,
    ) -> DiarizationOutcome:
        self._enter("diarization", hook)
        self.bounds.append(bounds)
        return fake_diarization(decoded.duration_s, bounds)

    def minutes(
        self, transcript: Transcript, agenda: Agenda, settings: Settings, hook: ProgressHook
    ) -> Minutes:
        self._enter("minutes", hook)
        if self.minutes_error is not None:
            raise self.minutes_error
        minutes = fake_minutes(agenda)
        if self.after_minutes is not None:
            self.after_minutes()
        return minutes


# ---- settings, context, app ----------------------------------------------------------------


def cheap_password_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    """Argon2id with minimal cost: the tests create and log in many users."""
    monkeypatch.setattr(auth, "_hasher", PasswordHasher(time_cost=1, memory_cost=64, parallelism=1))


def service_settings(tmp_path: Path, **service: str) -> Settings:
    """Settings as an operator would give them: a config file plus environment variables."""
    config = tmp_path / "config.toml"
    if not config.exists():
        config.write_text("# service tests\n", encoding="utf-8")
    environ = {
        "PROTOKOLL_SERVICE__DATA_DIR": str(tmp_path / "data"),
        "PROTOKOLL_SERVICE__QUEUE": "memory",
        "PROTOKOLL_SERVICE__HEARTBEAT_S": "0.05",
        "PROTOKOLL_SERVICE__LOGIN_MAX_FAILURES": "3",
    }
    environ.update({f"PROTOKOLL_SERVICE__{k.upper()}": v for k, v in service.items()})
    return load_settings(config, environ)


def make_context(tmp_path: Path, stages: FakeStages, **service: str) -> ServiceContext:
    return build_context(service_settings(tmp_path, **service), stages=stages)


ROLE_CLIENTS = ("schriftfuehrer", "schriftfuehrer2", "pruefer", "admin")


@dataclass
class Service:
    """The app, its context, the fake stages and a logged-in client per role.

    Clients: the four `USERS` roles by API token; "anonymous" without credentials;
    "cookie" is the Schriftführer by session cookie with the CSRF header, "cookie_no_csrf"
    the same user by another session cookie, without the header.
    """

    app: FastAPI
    ctx: ServiceContext
    stages: FakeStages
    monkeypatch: pytest.MonkeyPatch
    user_ids: dict[str, int] = field(default_factory=dict)
    tokens: dict[str, str] = field(default_factory=dict)
    clients: dict[str, TestClient] = field(default_factory=dict)
    csrf: str = ""
    held: list[str] | None = None
    extra_clients: list[TestClient] = field(default_factory=list)

    # ---- clients -------------------------------------------------------------------

    def client(self, role: str) -> TestClient:
        return self.clients[role]

    def new_client(self, **headers: str) -> TestClient:
        client = TestClient(self.app, headers=headers)
        self.extra_clients.append(client)
        return client

    def token_client(self, token: str) -> TestClient:
        return self.new_client(Authorization=f"Bearer {token}")

    def login(self, username: str, password: str = PASSWORD) -> tuple[TestClient, str]:
        """A client logged in by cookie, and the session's CSRF token."""
        client = self.new_client()
        response = client.post("/api/auth/login", json={"username": username, "password": password})
        assert response.status_code == 200, response.text
        return client, response.json()["csrf_token"]

    def close(self) -> None:
        for client in {id(c): c for c in [*self.clients.values(), *self.extra_clients]}.values():
            client.close()
        self.ctx.db.engine.dispose()

    # ---- the queue -------------------------------------------------------------------

    def hold_jobs(self) -> list[str]:
        """From now on, enqueued jobs wait (state "queued") until `run_held()`."""
        held: list[str] = []
        self.held = held
        self.monkeypatch.setattr(self.ctx.queue, "enqueue", held.append)
        return held

    def run_held(self) -> list[str]:
        assert self.held is not None
        states = [self.ctx.runner.run(job_id) for job_id in self.held]
        self.held.clear()
        return states

    # ---- the database ----------------------------------------------------------------

    def job(self, job_id: str) -> Job:
        with self.ctx.db.session() as s:
            job = s.get(Job, job_id)
            assert job is not None
            s.expunge(job)
            return job

    def set_job(self, job_id: str, **values: Any) -> None:
        with self.ctx.db.session() as s:
            job = s.get(Job, job_id)
            assert job is not None
            for key, value in values.items():
                setattr(job, key, value)

    def count(self, model: type[Any], **where: Any) -> int:
        with self.ctx.db.session() as s:
            query = select(model).filter_by(**where)
            return len(list(s.scalars(query)))

    def user(self, role: str) -> User:
        with self.ctx.db.session() as s:
            user = s.get(User, self.user_ids[role])
            assert user is not None
            s.expunge(user)
            return user

    # ---- API shortcuts (as the owner, each asserting success) ---------------------------

    def create_meeting(
        self,
        role: str = "schriftfuehrer",
        *,
        agenda: dict[str, Any] | None = None,
        body: str = "Rat der Gemeinde Lindenau",
    ) -> dict[str, Any]:
        payload: dict[str, Any] = {"body": body, "date": "2026-11-19", "title": "12. Sitzung"}
        if agenda is not None:
            payload["agenda"] = agenda
        response = self.client(role).post("/api/meetings", json=payload)
        assert response.status_code == 201, response.text
        data: dict[str, Any] = response.json()
        return data

    def start_upload(
        self,
        meeting_id: str,
        data: bytes,
        *,
        role: str = "schriftfuehrer",
        name: str = "sitzung.ogg",
        sha256: str | None = None,
    ) -> dict[str, Any]:
        payload: dict[str, Any] = {"filename": name, "size": len(data)}
        if sha256 is not None:
            payload["sha256"] = sha256
        response = self.client(role).post(f"/api/meetings/{meeting_id}/uploads", json=payload)
        assert response.status_code == 201, response.text
        upload: dict[str, Any] = response.json()
        return upload

    def upload(
        self,
        meeting_id: str,
        data: bytes | None = None,
        *,
        role: str = "schriftfuehrer",
        name: str = "sitzung.ogg",
    ) -> dict[str, Any]:
        """Upload a recording in one chunk (with its checksum); returns the recording."""
        data = sample_bytes() if data is None else data
        upload = self.start_upload(meeting_id, data, role=role, name=name, sha256=sha256_hex(data))
        client = self.client(role)
        response = client.put(f"/api/uploads/{upload['id']}", params={"offset": 0}, content=data)
        assert response.status_code == 200, response.text
        response = client.post(f"/api/uploads/{upload['id']}/complete")
        assert response.status_code == 201, response.text
        recording: dict[str, Any] = response.json()
        return recording

    def start_job(
        self, meeting_id: str, role: str = "schriftfuehrer", **body: Any
    ) -> dict[str, Any]:
        response = self.client(role).post(f"/api/meetings/{meeting_id}/jobs", json=body)
        assert response.status_code == 202, response.text
        job: dict[str, Any] = response.json()
        return job

    def meeting_with_job(
        self, *, agenda: dict[str, Any] | None = None
    ) -> tuple[dict[str, Any], dict[str, Any], dict[str, Any]]:
        """A meeting (sample agenda by default), its recording and a finished job."""
        meeting = self.create_meeting(agenda=sample_agenda_data() if agenda is None else agenda)
        recording = self.upload(meeting["id"])
        job = self.start_job(meeting["id"])
        assert job["state"] == "done", job
        return meeting, recording, job

    def publish(self, meeting_id: str, *, edits: dict[str, Any] | None = None) -> None:
        """Take the meeting's current version through review to publication: an optional
        edit (`items` of a new version, as the review API takes it), submitted by the
        Schriftführer, approved by the Prüfer, published by the Schriftführer."""
        if edits is not None:
            review = self.client("schriftfuehrer").get(f"/api/meetings/{meeting_id}/review")
            body = {"base": review.json()["current"], "items": edits}
            response = self.client("schriftfuehrer").post(
                f"/api/meetings/{meeting_id}/versions", json=body
            )
            assert response.status_code == 201, response.text
        for action, role in (
            ("einreichen", "schriftfuehrer"),
            ("freigeben", "pruefer"),
            ("veroeffentlichen", "schriftfuehrer"),
        ):
            response = self.client(role).post(
                f"/api/meetings/{meeting_id}/review/{action}", json={"reason": ""}
            )
            assert response.status_code == 200, response.text

    def meeting_dir(self, meeting_id: str) -> Path:
        return self.ctx.layout.meeting(meeting_id)

    def recording_row(self, recording_id: str) -> Recording | None:
        with self.ctx.db.session() as s:
            row = s.get(Recording, recording_id)
            if row is not None:
                s.expunge(row)
            return row

    def meeting_row(self, meeting_id: str) -> Meeting | None:
        with self.ctx.db.session() as s:
            row = s.get(Meeting, meeting_id)
            if row is not None:
                s.expunge(row)
            return row


def make_service(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    *,
    stages: FakeStages | None = None,
    **service_overrides: str,
) -> Service:
    cheap_password_hashing(monkeypatch)
    stages = stages or FakeStages()
    settings = service_settings(tmp_path, **service_overrides)
    app = create_app(settings, stages=stages)
    ctx: ServiceContext = app.state.ctx
    svc = Service(app=app, ctx=ctx, stages=stages, monkeypatch=monkeypatch)
    with ctx.db.session() as s:
        for role, (username, roles) in USERS.items():
            user = auth.create_user(s, username, PASSWORD, roles, display_name=username.title())
            svc.user_ids[role] = user.id
            svc.tokens[role], _record = auth.create_api_token(s, user, "Tests")
    for role in ROLE_CLIENTS:
        svc.clients[role] = TestClient(app, headers={"Authorization": f"Bearer {svc.tokens[role]}"})
    svc.clients["anonymous"] = TestClient(app)
    owner = USERS["schriftfuehrer"][0]
    cookie, svc.csrf = svc.login(owner)
    cookie.headers["X-CSRF-Token"] = svc.csrf
    svc.clients["cookie"] = cookie
    svc.clients["cookie_no_csrf"], _csrf = svc.login(owner)
    return svc


def running_service(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Service]:
    """The body of the test modules' `service` fixture: `yield from running_service(...)`."""
    svc = make_service(tmp_path, monkeypatch)
    try:
        yield svc
    finally:
        svc.close()
