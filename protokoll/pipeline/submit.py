"""`protokoll batch --submit`: send each recording to the service's queue instead of running
it here.

Per recording, through the service's HTTP API (docs/service.md) with an API token: create a
meeting (with the agenda, read and checked here first, as data), upload the recording in
chunks (`POST /api/meetings/{id}/uploads`, `PUT /api/uploads/{id}?offset=N`, `POST
…/complete`: the server checks it as intake does), and start its job. A failure after the
meeting was created deletes that meeting again, so a retry leaves no empty meetings behind.

The HTTP client is the standard library's (no dependency the server does not need);
`Transport` lets tests talk to the app in-process.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import re
import urllib.error
import urllib.request
from collections.abc import Callable
from pathlib import Path
from typing import Any

from protokoll.documents.artifacts import file_sha256
from protokoll.domain.progress import ProgressHook
from protokoll.errors import SubmitError
from protokoll.pipeline.batch import SERVICE, AgendaLoader, Done, Recording, load_companions

# (method, url, headers, body) -> (HTTP status, response body); raises OSError when the
# server cannot be reached
Transport = Callable[[str, str, dict[str, str], bytes | None], tuple[int, bytes]]
DEFAULT_CHUNK_BYTES = 8 * 1024**2
CHUNK_RETRIES = 3
UPLOAD_STAGE = "Hochladen"  # not a pipeline stage: the progress display shows the key as is


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    """A redirect is answered as it is: the token must not follow it to another address."""

    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


def urllib_transport(timeout_s: float = 300.0) -> Transport:
    opener = urllib.request.build_opener(_NoRedirects())

    def send(
        method: str, url: str, headers: dict[str, str], body: bytes | None
    ) -> tuple[int, bytes]:
        request = urllib.request.Request(url, data=body, headers=headers, method=method)
        try:
            with opener.open(request, timeout=timeout_s) as response:
                return int(response.status), response.read()
        except urllib.error.HTTPError as exc:
            return int(exc.code), exc.read()

    return send


class ServiceClient:
    """The few API calls a batch needs; every refusal is a `SubmitError` in German."""

    def __init__(self, base_url: str, token: str, transport: Transport | None = None) -> None:
        self.base_url = base_url.rstrip("/")
        self.token = token
        self.transport = transport or urllib_transport()

    def call(
        self,
        method: str,
        path: str,
        *,
        data: dict[str, Any] | None = None,
        raw: bytes | None = None,
    ) -> dict[str, Any]:
        headers = {"Authorization": f"Bearer {self.token}", "Accept": "application/json"}
        body = raw
        if data is not None:
            body = json.dumps(data).encode("utf-8")
            headers["Content-Type"] = "application/json"
        elif raw is not None:
            headers["Content-Type"] = "application/octet-stream"
        try:
            status, content = self.transport(method, self.base_url + path, headers, body)
        except OSError as exc:
            reason = getattr(exc, "reason", exc)
            raise SubmitError(
                f"Der Dienst unter {self.base_url} ist nicht erreichbar ({reason})."
            ) from None
        try:
            answer = json.loads(content) if content else {}
        except ValueError:
            answer = {}
        if status == 401:
            raise SubmitError(
                "Der Dienst hat das API-Token nicht angenommen (HTTP 401). Bitte ein gültiges "
                "Token angeben (PROTOKOLL_API_TOKEN oder --token-file)."
            )
        if 300 <= status < 400:
            raise SubmitError(
                f"Der Dienst unter {self.base_url} leitet die Anfrage weiter (HTTP {status}). "
                "Bitte mit --server die Adresse angeben, unter der er selbst erreichbar ist "
                "(z. B. mit https://)."
            )
        if status >= 400:
            detail = answer.get("detail") if isinstance(answer, dict) else None
            raise SubmitError(
                f"Der Dienst hat die Aufnahme abgelehnt (HTTP {status}): "
                f"{detail if isinstance(detail, str) else 'ohne Begründung'}"
            )
        return answer if isinstance(answer, dict) else {"items": answer}


def meeting_date(path: Path) -> dt.date:
    """The date in the file name (`sitzung-2026-11-19.ogg`), else the file's date."""
    match = re.search(r"(\d{4})-(\d{2})-(\d{2})", path.name)
    if match:
        try:
            return dt.date(int(match[1]), int(match[2]), int(match[3]))
        except ValueError:
            pass
    return dt.datetime.fromtimestamp(path.stat().st_mtime).date()


class SubmitProcessor:
    """Sends a recording with its agenda to the service and starts its job."""

    mode = SERVICE

    def __init__(
        self,
        client: ServiceClient,
        load_agenda: AgendaLoader,
        *,
        body: str = "Sitzung",
        chunk_bytes: int | None = None,
    ) -> None:
        self.client = client
        self.load_agenda = load_agenda
        self.body = body  # the Gremium of a meeting without an agenda
        self.chunk_bytes = chunk_bytes

    def process(self, rec: Recording, hook: ProgressHook) -> Done:
        agenda, hints = load_companions(rec, self.load_agenda)  # a bad agenda fails here
        meeting: dict[str, Any] = {"title": rec.path.stem}
        if agenda is not None:
            meeting.update(
                body=agenda.meeting.body,
                date=agenda.meeting.date.isoformat(),
                agenda=agenda.model_dump(mode="json"),
            )
        else:
            meeting.update(body=self.body, date=meeting_date(rec.path).isoformat())
        meeting_id = str(self.client.call("POST", "/api/meetings", data=meeting)["id"])
        try:
            recording_id = self._upload(rec.path, meeting_id, hook)
            job = self.client.call(
                "POST", f"/api/meetings/{meeting_id}/jobs", data={"recording_id": recording_id}
            )
        except BaseException:
            self._delete_meeting(meeting_id)
            raise
        details = {
            "server": self.client.base_url,
            "meeting_id": meeting_id,
            "recording_id": recording_id,
            "job_id": str(job["id"]),
        }
        return Done(hints=hints, details=details)

    def _upload(self, path: Path, meeting_id: str, hook: ProgressHook) -> str:
        size = path.stat().st_size
        upload = self.client.call(
            "POST",
            f"/api/meetings/{meeting_id}/uploads",
            data={"filename": path.name, "size": size, "sha256": file_sha256(path)},
        )
        upload_id = str(upload["id"])
        chunk = self.chunk_bytes or int(upload.get("chunk_bytes") or DEFAULT_CHUNK_BYTES)
        offset, failures = 0, 0
        with path.open("rb") as fh:
            while offset < size:
                hook(UPLOAD_STAGE, offset, size)
                fh.seek(offset)
                try:
                    answer = self.client.call(
                        "PUT", f"/api/uploads/{upload_id}?offset={offset}", raw=fh.read(chunk)
                    )
                except SubmitError:
                    failures += 1
                    if failures > CHUNK_RETRIES:
                        raise
                    answer = self.client.call("GET", f"/api/uploads/{upload_id}")  # resume
                offset = int(answer["offset"])
        hook(UPLOAD_STAGE, size, size)
        recording = self.client.call("POST", f"/api/uploads/{upload_id}/complete")
        return str(recording["id"])

    def _delete_meeting(self, meeting_id: str) -> None:
        with contextlib.suppress(SubmitError):  # the original failure is the one to report
            self.client.call("DELETE", f"/api/meetings/{meeting_id}")
