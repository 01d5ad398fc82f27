"""The real service as a subprocess, driven by Chromium: the browser tests' shared parts."""

from __future__ import annotations

import io
import math
import os
import re
import signal
import socket
import struct
import subprocess
import sys
import time
import wave
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

import httpx
import psutil
import pytest

sync_api = pytest.importorskip("playwright.sync_api", reason="playwright ist nicht installiert")
from playwright.sync_api import Browser, BrowserContext, Page, ViewportSize, expect, sync_playwright  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "samples"
CHROMIUM = Path("/usr/bin/chromium")
VIEWPORT: ViewportSize = {"width": 1366, "height": 768}

pytestmark = pytest.mark.skipif(
    not CHROMIUM.exists(), reason="Chromium fehlt unter /usr/bin/chromium (apt install chromium)"
)

ADMIN_OWN_PASSWORD = "verwaltung-eigenes-pw-1"
PASSWORDS = {
    "schrift": "schrift-passwort-1",
    "verwaltung": "verwaltung-passwort-1",
    "gesperrt": "gesperrt-passwort-1",
    "pruefer": "pruefer-passwort-1",
}
ROLES = {
    "schrift": ["schriftfuehrer"],
    "verwaltung": ["admin"],
    "gesperrt": ["schriftfuehrer"],
    "pruefer": ["pruefer"],
}


# ---- the service as a subprocess -----------------------------------------------------------


@dataclass
class Service:
    url: str
    data_dir: Path
    proc: subprocess.Popen[bytes]
    log: IO[str]
    admin_password: str = ""  # the first-start admin's: one-time, then ADMIN_OWN_PASSWORD
    extra: dict[str, Any] = field(default_factory=dict)

    def log_text(self) -> str:
        return (self.data_dir / "service.log").read_text(encoding="utf-8", errors="replace")

    def stop(self) -> None:
        """SIGTERM to serve (it stops its worker); its worker, should it linger, by pid."""
        children = []
        if self.proc.poll() is None:
            children = psutil.Process(self.proc.pid).children(recursive=True)
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=60)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=10)
        for child in children:
            if child.is_running():
                child.terminate()
        _gone, alive = psutil.wait_procs(children, timeout=30)
        for child in alive:
            child.kill()
        self.log.close()


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def start_service(data_dir: Path, *, worker: bool, first_start: bool = True) -> Service:
    """`first_start=False`: the data folder already has an admin (no one-time password)."""
    data_dir.mkdir(parents=True, exist_ok=True)
    port = _free_port()
    env = {
        **os.environ,
        "PROTOKOLL_SERVICE__DATA_DIR": str(data_dir),
        "PROTOKOLL_SERVICE__UPLOAD_CHUNK_MB": "1",  # several chunks even for small files
    }
    cmd = [sys.executable, "-m", "protokoll", "serve", "--port", str(port)]
    if not worker:
        cmd.append("--no-worker")
    log = (data_dir / "service.log").open("w", encoding="utf-8")
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    service = Service(f"http://127.0.0.1:{port}", data_dir, proc, log)
    deadline = time.monotonic() + 120
    while True:
        if proc.poll() is not None:
            service.stop()
            pytest.fail(f"Der Dienst ist nicht gestartet:\n{service.log_text()}")
        try:
            if httpx.get(f"{service.url}/healthz", timeout=2).status_code == 200:
                break
        except httpx.HTTPError:
            pass
        if time.monotonic() > deadline:
            service.stop()
            pytest.fail(f"Der Dienst antwortet nicht:\n{service.log_text()}")
        time.sleep(0.3)
    if first_start:
        match = re.search(r"Erster Start.*?\n\s*\n\s*(\S+)", service.log_text(), re.S)
        assert match, service.log_text()
        service.admin_password = match.group(1)
    return service


def add_users(service: Service, names: list[str]) -> None:
    """Accounts through the JSON API, logged in as the first-start admin. Every password
    here is one-time (the first-start admin's, those an admin gives): each account sets its
    own first, as a person would at the first login."""
    with httpx.Client(base_url=service.url, timeout=30) as client:
        headers = _own_password(client, "admin", service.admin_password, ADMIN_OWN_PASSWORD)
        service.admin_password = ADMIN_OWN_PASSWORD
        for name in names:
            body = {
                "username": name,
                "display_name": name.capitalize(),
                "password": f"einmal-{PASSWORDS[name]}",
                "roles": ROLES[name],
            }
            client.post("/api/users", json=body, headers=headers).raise_for_status()
    for name in names:
        with httpx.Client(base_url=service.url, timeout=30) as client:
            _own_password(client, name, f"einmal-{PASSWORDS[name]}", PASSWORDS[name])


def _own_password(client: httpx.Client, name: str, current: str, own: str) -> dict[str, str]:
    """Log in with `current`; a one-time password is replaced by `own`. The CSRF header."""
    login = client.post("/api/auth/login", json={"username": name, "password": current})
    login.raise_for_status()
    headers = {"X-CSRF-Token": login.json()["csrf_token"]}
    if login.json()["user"]["must_change_password"]:
        body = {"old_password": current, "new_password": own}
        client.post("/api/me/password", json=body, headers=headers).raise_for_status()
    return headers


def audit_actions(service: Service, actor: str) -> list[str]:
    """The audit log's actions by one user (read as the first-start admin); the chain holds."""
    with httpx.Client(base_url=service.url, timeout=30) as client:
        client.post(
            "/api/auth/login", json={"username": "admin", "password": service.admin_password}
        ).raise_for_status()
        assert client.get("/api/audit/verify").json()["ok"]
        entries = client.get("/api/audit", params={"limit": 1000}).json()
    return [e["action"] for e in entries if e["actor"] == actor]


@pytest.fixture(scope="module")
def service(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Service]:
    """A service without a worker: jobs stay queued, nothing runs the models."""
    svc = start_service(tmp_path_factory.mktemp("web"), worker=False)
    try:
        add_users(svc, list(PASSWORDS))
        yield svc
    finally:
        svc.stop()


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox"])
        try:
            yield chromium
        finally:
            chromium.close()


@dataclass
class Tab:
    page: Page
    base: str
    console_errors: list[str]

    def go(self, path: str) -> None:
        self.page.goto(self.base + path)

    def script_errors(self) -> list[str]:
        """Script errors and CSP violations (not HTTP errors the page expects and shows)."""
        return [e for e in self.console_errors if not e.startswith("Failed to load resource")]


def new_tab(context: BrowserContext, base: str) -> Tab:
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    return Tab(page, base, errors)


def new_context(
    browser: Browser, timeout_ms: float = 15_000, *, java_script_enabled: bool = True
) -> BrowserContext:
    context = browser.new_context(
        viewport=VIEWPORT, locale="de-DE", accept_downloads=True,
        java_script_enabled=java_script_enabled,
    )  # fmt: skip
    context.set_default_timeout(timeout_ms)
    return context


@pytest.fixture
def tab(browser: Browser, service: Service) -> Iterator[Tab]:
    context = new_context(browser)
    try:
        yield new_tab(context, service.url)
    finally:
        context.close()


def log_in(tab: Tab, username: str, password: str | None = None) -> None:
    tab.go("/anmelden")
    tab.page.get_by_label("Benutzername").fill(username)
    tab.page.get_by_label("Passwort").fill(password or PASSWORDS[username])
    tab.page.get_by_role("button", name="Anmelden").click()
    expect(tab.page.get_by_role("button", name="Abmelden")).to_be_visible()


def notice(page: Page) -> Any:
    """The confirmation shown after an action (role=status)."""
    return page.locator("main > .notice-ok[role=status]")


def create_meeting(tab: Tab, body: str, agenda: Path | None = None) -> str:
    """Through the form; returns the meeting page's path."""
    tab.go("/sitzungen/neu")
    page = tab.page
    page.get_by_label("Gremium").fill(body)
    page.get_by_label("Datum der Sitzung").fill("2026-11-19")
    page.get_by_label("Bezeichnung (optional)").fill("Browsertest")
    if agenda is not None:
        page.get_by_label("Tagesordnung als Datei").set_input_files(agenda)
    page.get_by_role("button", name="Sitzung anlegen").click()
    expect(notice(page)).to_contain_text("Die Sitzung wurde angelegt.")
    expect(page.get_by_role("heading", level=1)).to_contain_text(body)
    return page.url.removeprefix(tab.base).split("?")[0]


def upload(tab: Tab, name: str, data: bytes, mime: str = "audio/mpeg") -> None:
    page = tab.page
    page.get_by_label("Aufnahme auswählen").set_input_files(
        {"name": name, "mimeType": mime, "buffer": data}
    )
    page.get_by_role("button", name="Hochladen", exact=True).click()


def wav_bytes(seconds: float, rate: int = 16_000) -> bytes:
    """A 440 Hz tone as 16-bit mono WAV (32 KB per second)."""
    frames = b"".join(
        struct.pack("<h", int(8000 * math.sin(2 * math.pi * 440 * i / rate)))
        for i in range(int(seconds * rate))
    )
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(rate)
        out.writeframes(frames)
    return buffer.getvalue()


# ---- login ---------------------------------------------------------------------------------


# accessibility basics every page must meet (lang, labelled fields, headings in order)
A11Y_CHECK = """() => {
  const problems = [];
  if (document.documentElement.lang !== "de") problems.push("lang");
  const fields = document.querySelectorAll("input, select, textarea");
  for (const f of fields) {
    if (f.type === "hidden" || f.hidden) continue;
    if (!(f.labels && f.labels.length) && !f.getAttribute("aria-label")) {
      problems.push("unlabelled " + (f.id || f.name));
    }
  }
  let last = 0;
  for (const h of document.querySelectorAll("h1, h2, h3, h4, h5, h6")) {
    const level = Number(h.tagName[1]);
    if (level > last + 1) problems.push("heading jumps to " + h.tagName + ": " + h.textContent);
    last = level;
  }
  if (document.querySelectorAll("h1").length !== 1) problems.push("h1 count");
  if (document.querySelector("[style], [onclick], script:not([src])")) problems.push("inline");
  return problems;
}"""


# the page's width, and every pair of the named regions that overlap (text on text)
LAYOUT_CHECK = """(selectors) => {
  const doc = document.documentElement;
  const past = (el) => el.getBoundingClientRect().right > innerWidth + 1;
  const boxes = [];
  for (const sel of selectors) {
    for (const el of document.querySelectorAll(sel)) {
      const r = el.getBoundingClientRect();
      if (r.width && r.height) {
        boxes.push([sel, r.left, r.top + scrollY, r.right, r.bottom + scrollY]);
      }
    }
  }
  const overlaps = [];
  for (let i = 0; i < boxes.length; i++) for (let j = i + 1; j < boxes.length; j++) {
    const [a, al, at, ar, ab] = boxes[i], [b, bl, bt, br, bb] = boxes[j];
    if (al < br - 1 && bl < ar - 1 && at < bb - 1 && bt < ab - 1) overlaps.push(a + " / " + b);
  }
  // the innermost elements past the right edge (outside a scrolling box), for the message
  const wide = [];
  for (const el of document.body.querySelectorAll("*")) {
    if (!past(el) || [...el.children].some(past)) continue;
    let scrolls = false;
    for (let p = el.parentElement; p && !scrolls; p = p.parentElement) {
      scrolls = ["auto", "scroll"].includes(getComputedStyle(p).overflowX);
    }
    if (!scrolls) wide.push(el.tagName.toLowerCase() + "." + el.className + "#" + el.id);
  }
  return {width: doc.scrollWidth, viewport: innerWidth, overlaps, wide: wide.slice(0, 8)};
}"""

# the review page's regions that must never overlap
REVIEW_REGIONS = [
    ".review-state",
    ".transcript-pane",
    "#sprecher",
    "article.top-edit",
    "#h-word",
    "table.versions",
]
