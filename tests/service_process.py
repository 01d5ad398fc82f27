"""Run `protokoll serve` / `protokoll worker` as real subprocesses for the service tests.

A `ServiceEnv` is one installation: a data folder (SQLite database and queue unless
`extra_env` names PostgreSQL/Redis), a free port and the environment variables every
process of it shares. Processes run with the repository as working directory (the
models folder in config.toml is relative) and log into files beside the data folder,
so a failing test can show what the server or worker said.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

REPO = Path(__file__).resolve().parents[1]
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

    def client(self, username: str = "anna", timeout: float = 120.0) -> httpx.Client:
        """An HTTP client with an API token of `username` (login, then POST /api/me/tokens)."""
        with httpx.Client(base_url=self.base_url, timeout=30) as browser:
            r = browser.post("/api/auth/login", json={"username": username, "password": PASSWORD})
            assert r.status_code == 200, r.text
            csrf = r.json()["csrf_token"]
            r = browser.post("/api/me/tokens", json={"name": "test"}, headers={"X-CSRF-Token": csrf})
            assert r.status_code == 201, r.text
            token = r.json()["token"]
        return httpx.Client(
            base_url=self.base_url,
            timeout=timeout,
            headers={"Authorization": f"Bearer {token}"},
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
    client: httpx.Client, meeting_id: str, data: bytes, name: str, chunk: int = 1 << 20
) -> dict[str, Any]:
    """Upload `data` in chunks through the resumable upload API; returns the recording."""
    r = client.post(f"/api/meetings/{meeting_id}/uploads", json={"filename": name, "size": len(data)})
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


def create_meeting(client: httpx.Client, body: str = "Gemeinderat", **extra: Any) -> str:
    r = client.post("/api/meetings", json={"body": body, "date": "2026-11-19", **extra})
    assert r.status_code == 201, r.text
    return str(r.json()["id"])
