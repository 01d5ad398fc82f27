"""`protokoll batch --submit`: recordings go to the service's queue through its HTTP API
(here the app in-process, with fake model stages), a refused one is named with the
service's German reason and leaves no meeting behind, and a second run submits nothing."""

from __future__ import annotations

import http.server
import io
import json
import os
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from protokoll.agenda.load import load_agenda_source
from protokoll.domain.agenda import Agenda
from protokoll.errors import SubmitError
from protokoll.pipeline.batch import MANIFEST, SUMMARY, Batch
from protokoll.pipeline.submit import (
    ServiceClient,
    SubmitProcessor,
    Transport,
    meeting_date,
    urllib_transport,
)
from tests.support.media import MakeMedia
from tests.support.service import SAMPLE_AGENDA
from tests.support.service_process import TinyStages, free_port, local_app


def _load(agenda: Path, members: Path | None) -> Agenda:
    return load_agenda_source(agenda, members_from=members)


def _transport(client: TestClient) -> Transport:
    def send(
        method: str, url: str, headers: dict[str, str], body: bytes | None
    ) -> tuple[int, bytes]:
        response = client.request(method, url, headers=headers, content=body)
        return response.status_code, response.content

    return send


@pytest.fixture
def service(tmp_path: Path) -> Iterator[tuple[TestClient, str]]:
    app, _ctx, token = local_app(tmp_path / "data", TinyStages())
    with TestClient(app, headers={"Authorization": f"Bearer {token}"}) as client:
        yield client, token


def _batch(folder: Path, out: Path, client: TestClient, token: str) -> Batch:
    api = ServiceClient("http://testserver", token, _transport(client))
    processor = SubmitProcessor(api, _load, body="Bauausschuss", chunk_bytes=16 * 1024)
    return Batch(folder, out, processor, stream=io.StringIO(), progress=None)


def test_submit_two_good_one_corrupt_and_a_second_run_submits_nothing(
    tmp_path: Path, make_media: MakeMedia, service: tuple[TestClient, str]
) -> None:
    client, token = service
    folder, out = tmp_path / "aufnahmen", tmp_path / "out"
    folder.mkdir()
    make_media(folder / "sitzung-2026-11-19.wav", "-ac", "1", signal="speech", seconds=3.0)
    make_media(folder / "zweite.ogg", "-ac", "1", "-c:a", "libopus", signal="speech", seconds=2.0)
    (folder / "sitzung-2026-11-19.agenda.toml").write_bytes(SAMPLE_AGENDA.read_bytes())
    (folder / "kaputt.wav").write_bytes(b"RIFF" + os.urandom(3000))

    summary = _batch(folder, out, client, token).run_all()

    status = {n: o.status for n, o in summary.outcomes.items()}
    assert status == {"kaputt.wav": "failed", "sitzung-2026-11-19.wav": "submitted",
                      "zweite.ogg": "submitted"}  # fmt: skip
    assert summary.exit_code == 1
    reason = summary.outcomes["kaputt.wav"].reason
    assert reason.startswith("Der Dienst hat die Aufnahme abgelehnt (HTTP 4"), reason
    meetings = client.get("/api/meetings").json()
    assert len(meetings) == 2  # the refused recording's meeting was deleted again
    with_agenda = summary.outcomes["sitzung-2026-11-19.wav"].details
    meeting = client.get(f"/api/meetings/{with_agenda['meeting_id']}").json()
    assert meeting["body"] == "Rat der Gemeinde Lindenau"
    assert client.get(f"/api/jobs/{with_agenda['job_id']}").status_code == 200
    plain = next(
        m for m in meetings if m["id"] == summary.outcomes["zweite.ogg"].details["meeting_id"]
    )
    assert plain["body"] == "Bauausschuss"
    assert plain["title"] == "zweite"
    manifest = json.loads((out / "zweite" / MANIFEST).read_text(encoding="utf-8"))
    assert manifest["service"]["status"] == "submitted"
    assert manifest["service"]["job_id"] == summary.outcomes["zweite.ogg"].details["job_id"]
    written = json.loads((out / SUMMARY).read_text(encoding="utf-8"))
    assert written["mode"] == "service"
    assert f"Auftrag {with_agenda['job_id']}" in summary.table()
    assert summary.totals() == "Eingereicht: 2, fehlgeschlagen: 1."

    again = _batch(folder, out, client, token).run_all()

    status = {n: o.status for n, o in again.outcomes.items()}
    assert status == {"kaputt.wav": "failed", "sitzung-2026-11-19.wav": "skipped",
                      "zweite.ogg": "skipped"}  # fmt: skip
    assert len(client.get("/api/meetings").json()) == 2
    assert "übersprungen (schon eingereicht)" in again.table()


def test_submit_with_a_wrong_token_says_so_in_german(
    tmp_path: Path, make_media: MakeMedia, service: tuple[TestClient, str]
) -> None:
    client, _token = service
    folder = tmp_path / "aufnahmen"
    folder.mkdir()
    make_media(folder / "a.wav", "-ac", "1", signal="speech", seconds=1.0)

    summary = _batch(folder, tmp_path / "out", client, "falsch").run_all()

    assert summary.outcomes["a.wav"].reason.startswith(
        "Der Dienst hat das API-Token nicht angenommen (HTTP 401)."
    )


def test_meeting_date_from_the_file_name_or_its_time(tmp_path: Path) -> None:
    named = tmp_path / "rat-2026-11-19.ogg"
    named.write_bytes(b"x")
    assert meeting_date(named).isoformat() == "2026-11-19"
    plain = tmp_path / "rat.ogg"
    plain.write_bytes(b"x")
    os.utime(plain, (1_790_000_000, 1_790_000_000))
    assert meeting_date(plain).year == 2026


class _Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        status, body = (404, {"detail": "Diese Sitzung gibt es nicht."})
        if self.path == "/api/meetings":
            status, body = 200, {"auth": self.headers.get("Authorization", "")}
        if self.path == "/umgezogen":
            status = 301
        data = json.dumps(body).encode()
        self.send_response(status)
        if status == 301:
            self.send_header("Location", "http://anderswo.invalid/api/meetings")
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args: object) -> None:
        pass


def test_the_standard_library_transport_against_a_real_socket() -> None:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        client = ServiceClient(f"http://127.0.0.1:{server.server_port}/", "geheim")
        assert client.call("GET", "/api/meetings") == {"auth": "Bearer geheim"}
        with pytest.raises(SubmitError, match=r"HTTP 404.*Diese Sitzung gibt es nicht"):
            client.call("GET", "/api/meetings/x")
        with pytest.raises(SubmitError, match=r"leitet die Anfrage weiter \(HTTP 301\)"):
            client.call("GET", "/umgezogen")  # the token does not follow a redirect
    finally:
        server.shutdown()
        server.server_close()
    gone = ServiceClient(f"http://127.0.0.1:{free_port()}", "t", urllib_transport(timeout_s=5))
    with pytest.raises(SubmitError, match="ist nicht erreichbar"):
        gone.call("GET", "/api/meetings")
