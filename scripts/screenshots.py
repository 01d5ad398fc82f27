#!/usr/bin/env python3
"""Screenshots of every page of the web interface (1366x768, full page, PNG).

Starts the real service (`python -m protokoll serve`) on a free port with a
temporary data folder, creates accounts through the JSON API, then walks the pages
in Chromium (Debian's /usr/bin/chromium, driven by Playwright):

    .venv/bin/python scripts/screenshots.py                 # out/screenshots/*.png
    .venv/bin/python scripts/screenshots.py --with-job      # also process samples/sitzung.ogg

Without --with-job no worker runs, so the meeting page shows a queued job; with it,
the sample recording is processed (a few minutes on a CPU) and the page shows the
finished documents.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx
import psutil
from playwright.sync_api import Browser, Page, ViewportSize, expect, sync_playwright

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "samples"
CHROMIUM = "/usr/bin/chromium"
VIEWPORT: ViewportSize = {"width": 1366, "height": 768}
USERS = {
    "s.schreiber": ("Sabine Schreiber", "schriftfuehrung-1", ["schriftfuehrer"]),
    "m.verwalter": ("Markus Verwalter", "verwaltung-123", ["admin"]),
    "p.pruefer": ("Petra Prüfer", "pruefung-1234", ["pruefer"]),
}
MEMBERS = """Anna Berger; ; Bürgermeisterin
Thomas Keller; SPD; Ratsmitglied
Jürgen Wolff; CDU; Ratsmitglied
Sabine Roth; Bündnis 90/Die Grünen; Ratsmitglied
Michael Hartmann; ; Kämmerer"""


class ServiceProcess:
    """`protokoll serve` as a subprocess; stopped with SIGTERM (it stops its worker)."""

    def __init__(self, data_dir: Path, *, worker: bool) -> None:
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            port = sock.getsockname()[1]
        self.url = f"http://127.0.0.1:{port}"
        self.log_path = data_dir / "service.log"
        env = {**os.environ, "PROTOKOLL_SERVICE__DATA_DIR": str(data_dir)}
        cmd = [sys.executable, "-m", "protokoll", "serve", "--port", str(port)]
        if not worker:
            cmd.append("--no-worker")
        self._log = self.log_path.open("w", encoding="utf-8")
        self.proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=self._log, stderr=self._log)
        self.admin_password = self._wait()

    def _wait(self) -> str:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                break
            try:
                if httpx.get(f"{self.url}/healthz", timeout=2).status_code == 200:
                    log = self.log_path.read_text(encoding="utf-8")
                    match = re.search(r"Erster Start.*?\n\s*\n\s*(\S+)", log, re.S)
                    if not match:
                        raise SystemExit(f"Kein Erststart-Passwort im Protokoll:\n{log}")
                    return match.group(1)
            except httpx.HTTPError:
                pass
            time.sleep(0.3)
        self.stop()
        raise SystemExit(f"Der Dienst ist nicht gestartet:\n{self.log_path.read_text()}")

    def stop(self) -> None:
        """SIGTERM to serve (it stops its worker); a worker left behind is ended by its pid."""
        children = []
        if self.proc.poll() is None:
            children = psutil.Process(self.proc.pid).children(recursive=True)
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=60)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        for child in children:
            if child.is_running():
                child.terminate()
        _gone, alive = psutil.wait_procs(children, timeout=30)
        for child in alive:
            child.kill()
        self._log.close()


def create_users(service: ServiceProcess) -> None:
    with httpx.Client(base_url=service.url, timeout=30) as client:
        login = client.post(
            "/api/auth/login", json={"username": "admin", "password": service.admin_password}
        )
        login.raise_for_status()
        headers = {"X-CSRF-Token": login.json()["csrf_token"]}
        for username, (name, password, roles) in USERS.items():
            body = {"username": username, "display_name": name, "password": password}
            response = client.post("/api/users", json={**body, "roles": roles}, headers=headers)
            response.raise_for_status()


class Shooter:
    def __init__(self, browser: Browser, base: str, out: Path) -> None:
        self.browser, self.base, self.out = browser, base, out
        self.count = 0

    def page(self) -> Page:
        context = self.browser.new_context(viewport=VIEWPORT, locale="de-DE")
        context.set_default_timeout(30_000)
        return context.new_page()

    def shot(self, page: Page, name: str) -> None:
        self.count += 1
        path = self.out / f"{self.count:02d}-{name}.png"
        page.screenshot(path=str(path), full_page=True)
        print(f"  {path}")

    def log_in(self, page: Page, username: str, password: str) -> None:
        page.goto(self.base + "/anmelden")
        page.get_by_label("Benutzername").fill(username)
        page.get_by_label("Passwort").fill(password)
        page.get_by_role("button", name="Anmelden").click()
        expect(page.get_by_role("button", name="Abmelden")).to_be_visible()


def throttle_upload(page: Page, bytes_per_s: int) -> None:
    """Slow the page's uploads down, so the progress bar can be seen moving."""
    cdp = page.context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send(
        "Network.emulateNetworkConditions",
        {
            "offline": False,
            "latency": 20,
            "downloadThroughput": -1,
            "uploadThroughput": bytes_per_s,
        },
    )


def walk(shooter: Shooter, service: ServiceProcess, *, with_job: bool) -> None:
    base = shooter.base
    page = shooter.page()
    page.goto(base + "/anmelden")
    shooter.shot(page, "anmeldung")
    page.get_by_label("Benutzername").fill("s.schreiber")
    page.get_by_label("Passwort").fill("falsch-geraten")
    page.get_by_role("button", name="Anmelden").click()
    shooter.shot(page, "anmeldung-fehler")

    shooter.log_in(page, "s.schreiber", USERS["s.schreiber"][1])
    shooter.shot(page, "sitzungsliste-leer")

    page.goto(base + "/sitzungen/neu")
    page.get_by_label("Gremium").fill("Rat der Gemeinde Lindenau")
    page.get_by_label("Datum der Sitzung").fill("2026-11-19")
    page.get_by_label("Bezeichnung (optional)").fill("12. öffentliche Sitzung")
    page.get_by_label("Tagesordnung als Datei").set_input_files(SAMPLES / "agenda.toml")
    page.get_by_label("Mitglieder").fill(MEMBERS)
    shooter.shot(page, "neue-sitzung")
    page.get_by_role("button", name="Sitzung anlegen").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Lindenau")
    meeting_path = page.url.removeprefix(base).split("?")[0]

    throttle_upload(page, 150 * 1024)
    page.get_by_label("Aufnahme auswählen").set_input_files(SAMPLES / "sitzung.ogg")
    page.get_by_role("button", name="Hochladen", exact=True).click()
    expect(page.locator("#upload-percent")).to_have_text(re.compile(r"^([2-8]\d) %$"))
    page.locator("#upload-progress-row").scroll_into_view_if_needed()
    shooter.shot(page, "sitzung-upload-laeuft")
    expect(page.locator("#upload-status")).to_contain_text("hochgeladen und geprüft")
    throttle_upload(page, -1)
    shooter.shot(page, "sitzung-upload-fertig")

    page.get_by_role("button", name="Verarbeitung starten").click()
    job = page.locator("article.job").first
    if with_job:
        expect(job.locator(".job-eta")).to_contain_text("noch ca.", timeout=5 * 60_000)
        shooter.shot(page, "sitzung-verarbeitung-laeuft")
        expect(job.locator(".job-state")).to_have_text("fertig", timeout=15 * 60_000)
        expect(job.locator(".job-docs")).to_be_visible()
        shooter.shot(page, "sitzung-dokumente")
    else:
        expect(job.locator(".job-state")).to_have_text("wartet")
        shooter.shot(page, "sitzung-auftrag-wartet")

    page.goto(base + "/")
    shooter.shot(page, "sitzungsliste")
    page.goto(base + meeting_path + "/loeschen")
    shooter.shot(page, "sitzung-loeschen-bestaetigen")

    page.goto(base + "/konto")
    page.get_by_label("Name des neuen Tokens").fill("Import-Skript")
    page.get_by_role("button", name="Token erzeugen").click()
    shooter.shot(page, "konto")

    page.goto(base + "/sitzungen/0123456789abcdef")
    shooter.shot(page, "fehlerseite")
    page.context.close()

    admin = shooter.page()
    shooter.log_in(admin, "m.verwalter", USERS["m.verwalter"][1])
    shooter.shot(admin, "sitzungsliste-verwaltung")
    admin.goto(base + meeting_path)
    shooter.shot(admin, "sitzung-als-verwaltung")
    admin.goto(base + "/verwaltung/benutzer")
    shooter.shot(admin, "benutzerverwaltung")
    admin.goto(base + "/sitzungen/neu")
    shooter.shot(admin, "kein-zugriff")
    admin.context.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=ROOT / "out" / "screenshots")
    parser.add_argument(
        "--with-job", action="store_true", help="die Beispielaufnahme wirklich verarbeiten"
    )
    args = parser.parse_args()
    if not Path(CHROMIUM).exists():
        print(f"Chromium fehlt unter {CHROMIUM}.", file=sys.stderr)
        return 1
    args.out.mkdir(parents=True, exist_ok=True)
    for old in args.out.glob("*.png"):
        old.unlink()
    data_dir = Path(tempfile.mkdtemp(prefix="protokoll-screenshots-"))
    service = ServiceProcess(data_dir, worker=args.with_job)
    try:
        create_users(service)
        with sync_playwright() as p:
            browser = p.chromium.launch(
                executable_path=CHROMIUM, args=["--no-sandbox", "--lang=de-DE"]
            )
            try:
                print(f"Screenshots nach {args.out}:")
                walk(Shooter(browser, service.url, args.out), service, with_job=args.with_job)
            finally:
                browser.close()
    finally:
        service.stop()
        shutil.rmtree(data_dir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
