"""Helpers for the service robustness tests (worker, uploads, cluster).

Subprocesses: `protokoll serve` / `protokoll worker` for real. A `ServiceEnv` is one
installation: a data folder (SQLite database and queue unless
`extra_env` names PostgreSQL/Redis), a free port and the environment variables every
process of it shares. Processes run with the repository as working directory (the
models folder in config.toml is relative) and log into files beside the data folder,
so a failing test can show what the server or worker said.

In-process: `TinyStages`, fake model stages (real ffmpeg intake, a fixed transcript
and one speaker; no models), and `local_app`, the app on the in-memory queue with one
user and an API token.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
from fastapi import FastAPI

from protokoll.config import Settings, load_settings
from protokoll.domain.agenda import Agenda
from protokoll.domain.minutes import Minutes
from protokoll.domain.progress import ProgressHook
from protokoll.domain.stage_results import DecodedAudio, DiarizationOutcome, TranscriptionResult
from protokoll.domain.transcript import Segment, SpeakerTurn, Transcript, Word
from protokoll.pipeline.steps import stage_intake
from protokoll.service.context import ServiceContext
from protokoll.service.http.app import create_app
from protokoll.service.infra import auth

REPO = Path(__file__).resolve().parents[2]
PASSWORD = "sehr-geheimes-passwort-1"  # at least 10 characters (auth.MIN_PASSWORD_LENGTH)


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _service_env(overrides: Mapping[str, str]) -> dict[str, str]:
    """The caller's environment without its own service settings, plus `overrides`."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("PROTOKOLL_SERVICE__", "PROTOKOLL_CONFIG", "PROTOKOLL_PROFILE"))
    }
    env.update(overrides)
    env.setdefault("PYTHONUNBUFFERED", "1")
    return env


def log_tail(path: Path, chars: int = 4000) -> str:
    try:
        return path.read_text(encoding="utf-8", errors="replace")[-chars:]
    except FileNotFoundError:
        return "(no log)"


@dataclass
class Proc:
    """A started service process and its log file."""

    popen: subprocess.Popen[bytes]
    log: Path
    name: str

    @property
    def pid(self) -> int:
        return self.popen.pid

    def alive(self) -> bool:
        return self.popen.poll() is None

    def tail(self) -> str:
        return f"--- {self.name} (pid {self.pid}) log ---\n{log_tail(self.log)}"

    def stop(self, timeout: float = 20.0) -> None:
        """Terminate, then kill after `timeout`; always reaps the process."""
        if self.popen.poll() is None:
            self.popen.terminate()
            try:
                self.popen.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.popen.kill()
                self.popen.wait(timeout=timeout)

    def kill(self) -> None:
        """SIGKILL, the way a crashed machine or the OOM killer ends a worker; reaped."""
        if self.popen.poll() is None:
            os.kill(self.popen.pid, signal.SIGKILL)
        self.popen.wait(timeout=30)


@dataclass
class ServiceEnv:
    root: Path
    extra_env: dict[str, str] = field(default_factory=dict)
    port: int = field(default_factory=free_port)
    procs: list[Proc] = field(default_factory=list)

    @property
    def data_dir(self) -> Path:
        return self.root / "data"

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def env(self) -> dict[str, str]:
        return _service_env(
            {
                "PROTOKOLL_SERVICE__DATA_DIR": str(self.data_dir),
                "PROTOKOLL_SERVICE__PORT": str(self.port),
                **self.extra_env,
            }
        )

    def _spawn(self, name: str, *args: str) -> Proc:
        self.root.mkdir(parents=True, exist_ok=True)
        log = self.root / f"{name}-{len(self.procs)}.log"
        with log.open("wb") as fh:
            popen = subprocess.Popen(
                [sys.executable, "-m", "protokoll", *args],
                cwd=REPO,
                env=self.env(),
                stdin=subprocess.DEVNULL,
                stdout=fh,
                stderr=subprocess.STDOUT,
            )
        proc = Proc(popen, log, name)
        self.procs.append(proc)
        return proc

    def add_user(self, username: str = "anna", role: str = "schriftfuehrer") -> None:
        done = subprocess.run(
            [sys.executable, "-m", "protokoll", "users", "add", username, "--role", role,
             "--password-stdin"],
            cwd=REPO, env=self.env(), input=f"{PASSWORD}\n".encode(), capture_output=True,
            timeout=120,
        )  # fmt: skip
        assert done.returncode == 0, done.stderr.decode(errors="replace")

    def start_server(self, timeout: float = 90.0) -> Proc:
        """`protokoll serve --no-worker`, waited for until /healthz answers."""
        proc = self._spawn("server", "serve", "--no-worker", "--port", str(self.port))
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if not proc.alive():
                raise AssertionError(f"server exited with {proc.popen.returncode}\n{proc.tail()}")
            try:
                if httpx.get(f"{self.base_url}/healthz", timeout=2).status_code == 200:
                    return proc
            except httpx.TransportError:
                pass
            time.sleep(0.2)
        raise AssertionError(f"server did not answer /healthz in {timeout:.0f} s\n{proc.tail()}")

    def start_worker(self) -> Proc:
        return self._spawn("worker", "worker")

    def stop_all(self) -> None:
        for proc in reversed(self.procs):
            proc.stop()

    def logs(self) -> str:
        return "\n".join(p.tail() for p in self.procs)

    def api_token(self, username: str = "anna") -> str:
        """A new API token of `username` (login, then POST /api/me/tokens)."""
        with httpx.Client(base_url=self.base_url, timeout=30) as browser:
            r = browser.post("/api/auth/login", json={"username": username, "password": PASSWORD})
            assert r.status_code == 200, r.text
            csrf = r.json()["csrf_token"]
            r = browser.post(
                "/api/me/tokens", json={"name": "test"}, headers={"X-CSRF-Token": csrf}
            )
            assert r.status_code == 201, r.text
            token: str = r.json()["token"]
        return token

    def client(self, username: str = "anna", timeout: float = 120.0) -> httpx.Client:
        """An HTTP client with an API token of `username`."""
        return httpx.Client(
            base_url=self.base_url,
            timeout=timeout,
            headers={"Authorization": f"Bearer {self.api_token(username)}"},
        )


@contextmanager
def service_env(root: Path, **extra_env: str) -> Iterator[ServiceEnv]:
    """A ServiceEnv whose processes are all stopped (terminate, then kill) at the end."""
    env = ServiceEnv(root, extra_env=dict(extra_env))
    try:
        yield env
    finally:
        env.stop_all()


def wait_for(
    check: Callable[[], Any], *, timeout: float, interval: float = 0.2, what: str = "condition"
) -> Any:
    """Call `check` until it returns a truthy value; AssertionError after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        value = check()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what}")
        time.sleep(interval)


def upload_file(
    client: Any, meeting_id: str, data: bytes, name: str, chunk: int = 1 << 20
) -> dict[str, Any]:
    """Upload `data` in chunks through the resumable upload API; returns the recording.

    `client`: an httpx.Client or Starlette's TestClient (its own httpx build)."""
    r = client.post(
        f"/api/meetings/{meeting_id}/uploads", json={"filename": name, "size": len(data)}
    )
    assert r.status_code == 201, r.text
    upload_id = r.json()["id"]
    for offset in range(0, len(data), chunk):
        r = client.put(
            f"/api/uploads/{upload_id}",
            params={"offset": offset},
            content=data[offset : offset + chunk],
        )
        assert r.status_code == 200, r.text
    r = client.post(f"/api/uploads/{upload_id}/complete")
    assert r.status_code == 201, r.text
    result: dict[str, Any] = r.json()
    return result


def create_meeting(client: Any, body: str = "Gemeinderat", **extra: Any) -> str:
    r = client.post("/api/meetings", json={"body": body, "date": "2026-11-19", **extra})
    assert r.status_code == 201, r.text
    return str(r.json()["id"])


# ---- tiny fake stages (no models) -----------------------------------------------------------


class WorkerCrash(BaseException):
    """Ends the run inside a stage like a killed process: no clean-up, no final state.

    A BaseException, so `JobRunner.run` (which turns every Exception into a failed job)
    lets it through and the job row stays "running" with the worker's name and lease.
    """


@dataclass
class TinyStages:
    """Real intake (ffmpeg, well under a second), fixed transcript and speakers."""

    calls: Counter[str] = field(default_factory=Counter)
    fail: dict[str, BaseException] = field(default_factory=dict)  # stage -> raised once

    def _enter(self, stage: str, hook: ProgressHook) -> None:
        self.calls[stage] += 1
        hook(stage, 0.0, 1.0)
        exc = self.fail.pop(stage, None)
        if exc is not None:
            raise exc

    def intake(
        self, recording: Path, settings: Settings, work_dir: Path, hook: ProgressHook
    ) -> DecodedAudio:
        self._enter("intake", hook)
        return stage_intake(recording, settings, work_dir, hook)

    def transcription(
        self, decoded: DecodedAudio, settings: Settings, agenda: Agenda | None, hook: ProgressHook
    ) -> TranscriptionResult:
        self._enter("transcription", hook)
        end = decoded.duration_s
        words = (Word(0.2, 1.0, " Guten", 0.93), Word(1.1, end - 0.2, " Morgen.", 0.91))
        segment = Segment(0.2, end - 0.2, "Guten Morgen.", words)
        return TranscriptionResult(language="de", segments=[segment], speech_s=end - 0.4)

    def diarization(
        self,
        decoded: DecodedAudio,
        settings: Settings,
        agenda: Agenda | None,
        bounds: tuple[int | None, int | None],
        hook: ProgressHook,
    ) -> DiarizationOutcome:
        self._enter("diarization", hook)
        turn = SpeakerTurn(0.0, decoded.duration_s, "SPEAKER_00")
        return DiarizationOutcome(turns=[turn], exclusive=[turn])

    def minutes(
        self, transcript: Transcript, agenda: Agenda, settings: Settings, hook: ProgressHook
    ) -> Minutes:
        raise AssertionError("meetings without an agenda have no minutes stage")


def local_app(
    data_dir: Path, stages: TinyStages | None = None, **service: str
) -> tuple[FastAPI, ServiceContext, str]:
    """The app in-process (in-memory queue unless `service` says otherwise), one user
    "anna" (Schriftführung) and her API token."""
    environ = {"PROTOKOLL_SERVICE__DATA_DIR": str(data_dir), "PROTOKOLL_SERVICE__QUEUE": "memory"}
    environ.update({f"PROTOKOLL_SERVICE__{k.upper()}": v for k, v in service.items()})
    settings = load_settings(REPO / "config.toml", environ)
    app = create_app(settings, stages=stages)
    ctx: ServiceContext = app.state.ctx
    with ctx.db.session() as s:
        user = auth.create_user(s, "anna", PASSWORD, ["schriftfuehrer"])
        token, _record = auth.create_api_token(s, user, "test")
    return app, ctx, token


def writers_race(env: ServiceEnv, rounds: int = 20, timeout: float = 20.0) -> dict[str, str]:
    """Two users at once: "anna" uploads her agenda again and again, "bernd" creates
    meetings. Returns "ok" or the error per user (both must exist in `env`)."""
    agenda = (REPO / "samples" / "agenda.toml").read_bytes()
    outcome: dict[str, str] = {}
    with env.client("anna", timeout=timeout) as anna, env.client("bernd", timeout=timeout) as bernd:
        meeting_id = create_meeting(anna)

        def upload_agendas() -> None:
            for _ in range(rounds):
                r = anna.put(
                    f"/api/meetings/{meeting_id}/agenda", files={"file": ("agenda.toml", agenda)}
                )
                assert r.status_code == 200, r.text

        def create_meetings() -> None:
            for n in range(rounds):
                r = bernd.post(
                    "/api/meetings", json={"body": f"Ausschuss {n}", "date": "2026-11-19"}
                )
                assert r.status_code == 201, r.text

        def run(name: str, work: Callable[[], None]) -> None:
            try:
                work()
                outcome[name] = "ok"
            except Exception as exc:
                outcome[name] = f"{type(exc).__name__}: {exc}"

        threads = [
            threading.Thread(target=run, args=("anna", upload_agendas)),
            threading.Thread(target=run, args=("bernd", create_meetings)),
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=rounds * timeout + 30)
    return outcome
