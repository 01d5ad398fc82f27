"""The JSON API: every endpoint for every role, uploads, jobs, documents, deletion.

`CASES` is the role matrix: one entry per route of `api.router`, with the status each
role gets. `test_matrix_covers_every_api_route` fails when an endpoint is added without
an entry here. Roles:

- schriftfuehrer: owns the meeting of the test world
- schriftfuehrer2: another Schriftführerin; the owner's meeting does not exist for her (404)
- pruefer: sees every meeting in full; edits and approves drafts, changes nothing else (403)
- admin: users; the meeting list and public documents only
- anonymous: no credentials (401)
- cookie_no_csrf: the owner by session cookie, but without the X-CSRF-Token header
  (403 for every change; reading works as for the owner)
"""

from __future__ import annotations

import io
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from docx import Document

from protokoll.errors import ProtokollError
from protokoll.service.http import api
from protokoll.service.infra import auth
from protokoll.service.infra.tables import (
    ApiToken,
    Job,
    Meeting,
    MinutesVersion,
    Recording,
    Upload,
    User,
)
from tests.support.routes import endpoints
from tests.support.service import (
    ALL_OUTPUTS,
    NON_PUBLIC_TITLE,
    PASSWORD,
    PUBLIC_OUTPUTS,
    SAMPLE_AGENDA,
    USERS,
    FakeStages,
    Service,
    make_service,
    public_agenda_data,
    running_service,
    sample_agenda_data,
    sample_bytes,
    sha256_hex,
)


@pytest.fixture
def service(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Service]:
    yield from running_service(tmp_path, monkeypatch)


# the TestClient's response: httpx's or httpx2's, whichever starlette uses
Response = Any
ROLES = ("schriftfuehrer", "schriftfuehrer2", "pruefer", "admin", "anonymous", "cookie_no_csrf")
SAFE = frozenset({"GET", "HEAD", "OPTIONS"})
NEW_PASSWORD = "Neues-Passwort-Lindenau"


# ---- the test world --------------------------------------------------------------------------


@dataclass
class World:
    """The owner's meeting with the sample agenda, its recording, a finished job and an
    open upload; built anew for every route."""

    svc: Service
    meeting: dict[str, Any]
    recording: dict[str, Any]
    job: dict[str, Any]
    upload: dict[str, Any]
    notes: dict[Any, Any] = field(default_factory=dict)

    @property
    def meeting_id(self) -> str:
        return str(self.meeting["id"])

    @property
    def job_id(self) -> str:
        return str(self.job["id"])


def build_world(svc: Service, *, full: bool = True) -> World:
    """`full=False`: no meeting (for the routes about accounts and users)."""
    if not full:
        return World(svc, {}, {}, {}, {})
    meeting, recording, job = svc.meeting_with_job()
    upload = svc.start_upload(meeting["id"], b"x" * 10)
    return World(svc, meeting, recording, job, upload)


def fresh_meeting(w: World) -> str:
    return str(w.svc.create_meeting(agenda=sample_agenda_data())["id"])


def fresh_upload(w: World, data: bytes = b"OggS" + b"\x00" * 6) -> str:
    return str(w.svc.start_upload(w.meeting_id, data)["id"])


def fresh_complete_upload(w: World) -> str:
    data = sample_bytes()
    upload_id = fresh_upload(w, data)
    put = w.svc.client("schriftfuehrer").put(
        f"/api/uploads/{upload_id}", params={"offset": 0}, content=data
    )
    assert put.status_code == 200, put.text
    return upload_id


def fresh_owner_token(w: World) -> int:
    with w.svc.ctx.db.session() as s:
        owner = s.get(User, w.svc.user_ids["schriftfuehrer"])
        assert owner is not None
        token, record = auth.create_api_token(s, owner, "zum Widerrufen")
        w.notes[record.id] = token
        return record.id


def as_user(role: str) -> str:
    """The user behind a client role (cookie clients and anonymous act for the owner)."""
    return role if role in USERS else "schriftfuehrer"


# ---- the matrix ------------------------------------------------------------------------------

Prepare = Callable[[World, str, int], tuple[str, dict[str, Any]]]
Check = Callable[[World, str, Response], None]


@dataclass(frozen=True)
class Case:
    method: str
    path: str  # the route's path template, as in the router
    # status per user role (the four USERS keys); anonymous gets 401, cookie_no_csrf the
    # owner's status for reading and 403 for changes, unless given here
    expect: dict[str, int]
    prepare: Prepare
    check: Check | None = None
    needs_meeting: bool = True  # whether the test world needs the meeting with its job

    def status(self, role: str) -> int:
        if role in self.expect:
            return self.expect[role]
        if role == "anonymous":
            return 401
        assert role == "cookie_no_csrf"
        return self.expect["schriftfuehrer"] if self.method in SAFE else 403

    def order(self) -> list[str]:
        """Refused roles first, so a permitted change cannot hide a refusal."""
        return sorted(ROLES, key=lambda r: (self.status(r) < 400, ROLES.index(r)))


def owner_only(ok: int) -> dict[str, int]:
    """May be done by the owner only: other Schriftführer do not see it, the others are
    refused."""
    return {"schriftfuehrer": ok, "schriftfuehrer2": 404, "pruefer": 403, "admin": 403}


def uploader_only(ok: int) -> dict[str, int]:
    """Uploads belong to the user who started them; for everyone else they do not exist."""
    return {"schriftfuehrer": ok, "schriftfuehrer2": 404, "pruefer": 404, "admin": 404}


def everyone(ok: int) -> dict[str, int]:
    return dict.fromkeys(USERS, ok)


def viewers(ok: int) -> dict[str, int]:
    return {"schriftfuehrer": ok, "schriftfuehrer2": 404, "pruefer": ok, "admin": ok}


def json_body(data: Any) -> dict[str, Any]:
    return {"json": data}


# -- checks (called for every role with the response; most look at the successful ones) --


def check_login(w: World, role: str, r: Response) -> None:
    assert r.json()["user"]["username"] == USERS[as_user(role)][0]
    assert r.json()["csrf_token"]
    assert "protokoll_sitzung=" in r.headers["set-cookie"]


def check_me(w: World, role: str, r: Response) -> None:
    if r.status_code == 200:
        assert r.json()["user"]["username"] == USERS[as_user(role)][0]
        assert (r.json()["csrf_token"] is None) == (role in USERS)


def check_password(w: World, role: str, r: Response) -> None:
    if r.status_code == 200:
        login = w.svc.client("anonymous").post(
            "/api/auth/login", json={"username": USERS[role][0], "password": NEW_PASSWORD}
        )
        assert login.status_code == 200, login.text
    elif role == "cookie_no_csrf":  # refused: the old password still works
        login = w.svc.client("anonymous").post(
            "/api/auth/login", json={"username": USERS["schriftfuehrer"][0], "password": PASSWORD}
        )
        assert login.status_code == 200, login.text


def check_token_list(w: World, role: str, r: Response) -> None:
    if r.status_code == 200:
        assert [t["name"] for t in r.json()] == ["Tests"]
        assert all("token" not in t and "token_hash" not in t for t in r.json())


def check_new_token(w: World, role: str, r: Response) -> None:
    if r.status_code == 201:
        token = r.json()["token"]
        assert token.startswith("pk_")
        me = w.svc.token_client(token).get("/api/me")
        assert me.json()["user"]["username"] == USERS[role][0]
    else:
        assert w.svc.count(ApiToken, user_id=w.svc.user_ids["schriftfuehrer"]) == 1


def check_revoke(w: World, role: str, r: Response) -> None:
    token_id = int(r.request.url.path.rsplit("/", 1)[1])
    works = w.svc.token_client(w.notes[token_id]).get("/api/me").status_code == 200
    assert works == (r.status_code != 200), f"{role}: token still works: {works}"


def check_user_list(w: World, role: str, r: Response) -> None:
    if r.status_code == 200:
        assert {u["username"] for u in r.json()} == {name for name, _ in USERS.values()}
        assert all("password_hash" not in u for u in r.json())


def check_user_created(w: World, role: str, r: Response) -> None:
    created = w.svc.count(User, username=f"neu-{role}".replace("_", "-"))
    assert created == (1 if r.status_code == 201 else 0)
    if r.status_code == 201:
        assert r.json()["roles"] == ["pruefer"]


def check_user_patched(w: World, role: str, r: Response) -> None:
    name = w.svc.user("schriftfuehrer2").display_name
    assert (name == f"Geändert von {role}") == (r.status_code == 200)


def check_audit_list(w: World, role: str, r: Response) -> None:
    if r.status_code == 200:
        actions = [e["action"] for e in r.json()]
        assert actions[0] == "meeting.created" and "job.started" in actions
        assert NON_PUBLIC_TITLE not in r.text


def check_audit_csv(w: World, role: str, r: Response) -> None:
    if r.status_code == 200:
        assert r.text.startswith("\ufeffNr.;Zeitpunkt;Art;Aktion")
        assert "meeting.created" in r.text and "job.started" in r.text
        assert NON_PUBLIC_TITLE not in r.text


def check_audit_verify(w: World, role: str, r: Response) -> None:
    if r.status_code == 200:
        assert r.json()["ok"] is True and r.json()["first_broken"] is None
        assert r.json()["entries"] > 0


def check_meeting_list(w: World, role: str, r: Response) -> None:
    if r.status_code == 200:
        ids = [m["id"] for m in r.json()]
        assert ids == ([] if role == "schriftfuehrer2" else [w.meeting_id])


def check_queue(w: World, role: str, r: Response) -> None:
    """The queue holds the jobs of the meetings the caller may see, and no others."""
    if r.status_code != 200:
        return  # anonymous, or a cookie without its CSRF header (checked by the matrix)
    ids = [j["id"] for j in r.json()["finished"]]
    assert r.json()["active"] == []
    assert ids == ([] if role == "schriftfuehrer2" else [w.job_id])


def check_meeting_created(w: World, role: str, r: Response) -> None:
    if r.status_code == 201:
        assert r.json()["owner_id"] == w.svc.user_ids[role]
        assert r.json()["permissions"] == {"modify": True, "delete": True, "confidential": True}
    else:
        assert w.svc.count(Meeting) == 1


def check_meeting_view(w: World, role: str, r: Response) -> None:
    if r.status_code == 404:
        assert "Sitzung" in r.json()["detail"]
    if r.status_code != 200:
        return
    data = r.json()
    titles = [item["title"] for item in data["agenda"]["items"]]
    assert [j["id"] for j in data["jobs"]] == [w.job_id]
    if as_user(role) == "admin":
        assert data["recordings"] == []
        assert titles[3] == "(nichtöffentlich)"
        assert NON_PUBLIC_TITLE not in json.dumps(data, ensure_ascii=False)
        assert data["agenda"]["members"] == [] and data["agenda"]["source"] == ""
        assert data["permissions"] == {"modify": False, "delete": True, "confidential": False}
    else:
        assert [rec["id"] for rec in data["recordings"]] == [w.recording["id"]]
        assert titles[3] == NON_PUBLIC_TITLE
        assert len(data["agenda"]["members"]) == 9
        owner = as_user(role) == "schriftfuehrer"
        assert data["permissions"] == {"modify": owner, "delete": owner, "confidential": True}


def check_agenda_set(w: World, role: str, r: Response) -> None:
    if r.status_code == 200:
        assert r.json()["agenda"]["source"] == "agenda.toml"
        assert (w.svc.ctx.layout.agenda_dir(w.meeting_id) / "tagesordnung.toml").is_file()
    else:
        assert not w.svc.ctx.layout.agenda_dir(w.meeting_id).exists()


def check_members_set(w: World, role: str, r: Response) -> None:
    if r.status_code == 200:
        assert [m["name"] for m in r.json()["agenda"]["members"]] == ["Anna Berger"]
    else:
        meeting = w.svc.meeting_row(w.meeting_id)
        assert meeting is not None and "Peter Brandt" in (meeting.agenda_json or "")


def check_meeting_deleted(w: World, role: str, r: Response) -> None:
    meeting_id = r.request.url.path.rsplit("/", 1)[1]
    exists = w.svc.meeting_row(meeting_id) is not None
    assert exists == (r.status_code != 200)
    assert w.svc.meeting_row(w.meeting_id) is not None


def check_upload_started(w: World, role: str, r: Response) -> None:
    if r.status_code == 201:
        assert r.json()["offset"] == 0 and r.json()["state"] == "open"
        assert r.json()["chunk_bytes"] == 8 * 1024**2
        assert w.svc.ctx.layout.upload_part(r.json()["id"]).is_file()
    else:
        assert w.svc.count(Upload, state="open") == 1


def check_upload_view(w: World, role: str, r: Response) -> None:
    if r.status_code == 200:
        assert r.json()["id"] == w.upload["id"] and r.json()["size"] == 10


def check_chunk(w: World, role: str, r: Response) -> None:
    upload_id = r.request.url.path.rsplit("/", 1)[1]
    size = w.svc.ctx.layout.upload_part(upload_id).stat().st_size
    assert size == (10 if r.status_code == 200 else 0)
    if r.status_code == 200:
        assert r.json()["offset"] == 10


def check_completed(w: World, role: str, r: Response) -> None:
    if r.status_code == 201:
        assert r.json()["sha256"] == sha256_hex(sample_bytes())
    else:
        assert w.svc.count(Recording) == 1


def check_upload_aborted(w: World, role: str, r: Response) -> None:
    upload_id = r.request.url.path.rsplit("/", 1)[1]
    assert w.svc.ctx.layout.upload_part(upload_id).exists() == (r.status_code != 200)


def check_recording_download(w: World, role: str, r: Response) -> None:
    if r.status_code == 200:
        assert r.content == sample_bytes()
        assert "sitzung.ogg" in r.headers["content-disposition"]
    else:
        assert r.content != sample_bytes()


def check_recording_deleted(w: World, role: str, r: Response) -> None:
    recording_id = r.request.url.path.rsplit("/", 1)[1]
    assert (w.svc.recording_row(recording_id) is None) == (r.status_code == 200)


def check_job_started(w: World, role: str, r: Response) -> None:
    if r.status_code == 202:
        assert r.json()["state"] == "done" and r.json()["id"] != w.job_id
    else:
        assert w.svc.count(Job) == 1


def check_job_list(w: World, role: str, r: Response) -> None:
    if r.status_code == 200:
        assert [j["id"] for j in r.json()] == [w.job_id]


def check_job_view(w: World, role: str, r: Response) -> None:
    if r.status_code == 200:
        assert r.json()["state"] == "done" and r.json()["progress"] == 1.0


def check_retried(w: World, role: str, r: Response) -> None:
    state = w.svc.job(w.job_id).state
    assert state == ("done" if r.status_code == 202 else "failed")


def check_rerun(w: World, role: str, r: Response) -> None:
    job = w.svc.job(w.job_id)
    if r.status_code == 202:
        assert r.json()["state"] == "done"
        assert job.params == {"max_speakers": 3}
        assert w.svc.stages.bounds[-1] == (None, 3)
    else:
        assert job.params == {}


def check_cancelled(w: World, role: str, r: Response) -> None:
    state = w.svc.job(w.job_id).state
    assert state == ("cancelled" if r.status_code == 200 else "queued")


def check_outputs(w: World, role: str, r: Response) -> None:
    if r.status_code != 200:
        return
    names = {o["name"] for o in r.json()}
    assert names == (PUBLIC_OUTPUTS if as_user(role) == "admin" else ALL_OUTPUTS)
    for item in r.json():
        assert item["url"] == f"/api/jobs/{w.job_id}/outputs/{item['name']}"
        assert item["size_bytes"] > 0 and item["label"]


def check_output_download(w: World, role: str, r: Response) -> None:
    if r.status_code == 200:
        assert "Tempo 30 in der Hauptstraße" in r.json()["segments"][1]["text"]
        assert "2026-11-19_" in r.headers["content-disposition"]


# -- request builders --


def _meeting(w: World, role: str, ok: int) -> tuple[str, dict[str, Any]]:
    return f"/api/meetings/{w.meeting_id}", {}


def _job(suffix: str = "", **kwargs: Any) -> Prepare:
    def prepare(w: World, role: str, ok: int) -> tuple[str, dict[str, Any]]:
        return f"/api/jobs/{w.job_id}{suffix}", dict(kwargs)

    return prepare


def _job_in_state(state: str, suffix: str, **kwargs: Any) -> Prepare:
    def prepare(w: World, role: str, ok: int) -> tuple[str, dict[str, Any]]:
        w.svc.set_job(w.job_id, state=state)
        return f"/api/jobs/{w.job_id}{suffix}", dict(kwargs)

    return prepare


def _static(url: str, **kwargs: Any) -> Prepare:
    def prepare(w: World, role: str, ok: int) -> tuple[str, dict[str, Any]]:
        return url, dict(kwargs)

    return prepare


NOT_DISTRICT = {"schriftfuehrer": 403, "schriftfuehrer2": 403, "pruefer": 403, "admin": 403}

CASES: list[Case] = [
    # ---- login, own account (no meeting needed)
    Case(
        "POST", "/api/auth/login",
        {**everyone(200), "anonymous": 200, "cookie_no_csrf": 200},
        lambda w, role, ok: ("/api/auth/login", json_body(
            {"username": USERS[as_user(role)][0], "password": PASSWORD})),
        check_login, needs_meeting=False,
    ),
    Case(
        "POST", "/api/auth/logout", everyone(200), _static("/api/auth/logout"),
        needs_meeting=False,
    ),
    Case("GET", "/api/me", everyone(200), _static("/api/me"), check_me, needs_meeting=False),
    Case(
        "POST", "/api/me/password", everyone(200),
        _static("/api/me/password",
                json={"old_password": PASSWORD, "new_password": NEW_PASSWORD}),
        check_password, needs_meeting=False,
    ),
    Case(
        "GET", "/api/me/tokens", everyone(200), _static("/api/me/tokens"), check_token_list,
        needs_meeting=False,
    ),
    Case(
        "POST", "/api/me/tokens", everyone(201),
        _static("/api/me/tokens", json={"name": "Skript"}), check_new_token,
        needs_meeting=False,
    ),
    Case(
        "DELETE", "/api/me/tokens/{token_id}",
        {"schriftfuehrer": 200, "schriftfuehrer2": 404, "pruefer": 404, "admin": 404},
        lambda w, role, ok: (f"/api/me/tokens/{fresh_owner_token(w)}", {}),
        check_revoke, needs_meeting=False,
    ),
    # ---- users
    Case(
        "GET", "/api/users",
        {"schriftfuehrer": 403, "schriftfuehrer2": 403, "pruefer": 403, "admin": 200},
        _static("/api/users"), check_user_list, needs_meeting=False,
    ),
    Case(
        "POST", "/api/users",
        {"schriftfuehrer": 403, "schriftfuehrer2": 403, "pruefer": 403, "admin": 201},
        lambda w, role, ok: ("/api/users", json_body({
            "username": f"neu-{role}".replace("_", "-"), "password": PASSWORD,
            "roles": ["pruefer"]})),
        check_user_created, needs_meeting=False,
    ),
    Case(
        "PATCH", "/api/users/{user_id}",
        {"schriftfuehrer": 403, "schriftfuehrer2": 403, "pruefer": 403, "admin": 200},
        lambda w, role, ok: (f"/api/users/{w.svc.user_ids['schriftfuehrer2']}",
                             json_body({"display_name": f"Geändert von {role}"})),
        check_user_patched, needs_meeting=False,
    ),
    # ---- municipalities: the district administrator's alone (test_service_tenants.py)
    Case(
        "GET", "/api/kommunen", NOT_DISTRICT, _static("/api/kommunen"), needs_meeting=False,
    ),
    Case(
        "POST", "/api/kommunen", NOT_DISTRICT,
        _static("/api/kommunen", json={"id": "olfen", "name": "Stadt Olfen"}),
        needs_meeting=False,
    ),
    Case(
        "PATCH", "/api/kommunen/{key}", NOT_DISTRICT,
        _static("/api/kommunen/standard", json={"name": "Anders"}), needs_meeting=False,
    ),
    Case(
        "POST", "/api/kommunen/{key}/verwaltung", NOT_DISTRICT,
        _static("/api/kommunen/standard/verwaltung",
                json={"username": "fremd", "password": PASSWORD}),
        needs_meeting=False,
    ),
    # ---- audit log
    Case(
        "GET", "/api/audit",
        {"schriftfuehrer": 403, "schriftfuehrer2": 403, "pruefer": 403, "admin": 200},
        lambda w, role, ok: ("/api/audit", {"params": {"meeting_id": w.meeting_id}}),
        check_audit_list,
    ),
    Case(
        "GET", "/api/audit.csv",
        {"schriftfuehrer": 403, "schriftfuehrer2": 403, "pruefer": 403, "admin": 200},
        lambda w, role, ok: ("/api/audit.csv", {"params": {"meeting_id": w.meeting_id}}),
        check_audit_csv,
    ),
    Case(
        "GET", "/api/audit/verify",
        {"schriftfuehrer": 403, "schriftfuehrer2": 403, "pruefer": 403, "admin": 200},
        _static("/api/audit/verify"), check_audit_verify,
    ),
    # ---- meetings
    Case("GET", "/api/meetings", everyone(200), _static("/api/meetings"), check_meeting_list),
    Case(
        "POST", "/api/meetings",
        {"schriftfuehrer": 201, "schriftfuehrer2": 201, "pruefer": 403, "admin": 403},
        _static("/api/meetings", json={"body": "Bauausschuss", "date": "2026-12-01"}),
        check_meeting_created,
    ),
    Case("GET", "/api/meetings/{meeting_id}", viewers(200), _meeting, check_meeting_view),
    Case(
        "PUT", "/api/meetings/{meeting_id}/agenda", owner_only(200),
        lambda w, role, ok: (f"/api/meetings/{w.meeting_id}/agenda", {
            "files": {"file": ("agenda.toml", SAMPLE_AGENDA.read_bytes(), "application/toml")}}),
        check_agenda_set,
    ),
    Case(
        "PUT", "/api/meetings/{meeting_id}/members", owner_only(200),
        lambda w, role, ok: (f"/api/meetings/{w.meeting_id}/members", json_body(
            {"members": [{"name": "Anna Berger", "role": "Bürgermeisterin", "chair": True}]})),
        check_members_set,
    ),
    Case(
        "DELETE", "/api/meetings/{meeting_id}",
        {"schriftfuehrer": 200, "schriftfuehrer2": 404, "pruefer": 403, "admin": 200},
        lambda w, role, ok: (f"/api/meetings/{fresh_meeting(w)}", {}),
        check_meeting_deleted,
    ),
    # ---- recordings and uploads
    Case(
        "POST", "/api/meetings/{meeting_id}/uploads", owner_only(201),
        lambda w, role, ok: (f"/api/meetings/{w.meeting_id}/uploads",
                             json_body({"filename": "sitzung.ogg", "size": 1000})),
        check_upload_started,
    ),
    Case(
        "GET", "/api/uploads/{upload_id}", uploader_only(200),
        lambda w, role, ok: (f"/api/uploads/{w.upload['id']}", {}),
        check_upload_view,
    ),
    Case(
        "PUT", "/api/uploads/{upload_id}", uploader_only(200),
        lambda w, role, ok: (f"/api/uploads/{fresh_upload(w) if ok < 300 else w.upload['id']}",
                             {"params": {"offset": 0}, "content": b"OggS" + b"\x01" * 6}),
        check_chunk,
    ),
    Case(
        "POST", "/api/uploads/{upload_id}/complete", uploader_only(201),
        lambda w, role, ok: (
            f"/api/uploads/{fresh_complete_upload(w) if ok < 300 else w.upload['id']}/complete",
            {}),
        check_completed,
    ),
    Case(
        "DELETE", "/api/uploads/{upload_id}", uploader_only(200),
        lambda w, role, ok: (f"/api/uploads/{fresh_upload(w) if ok < 300 else w.upload['id']}",
                             {}),
        check_upload_aborted,
    ),
    Case(
        "GET", "/api/meetings/{meeting_id}/recordings/{recording_id}",
        {"schriftfuehrer": 200, "schriftfuehrer2": 404, "pruefer": 200, "admin": 403},
        lambda w, role, ok: (f"/api/meetings/{w.meeting_id}/recordings/{w.recording['id']}", {}),
        check_recording_download,
    ),
    Case(
        "DELETE", "/api/meetings/{meeting_id}/recordings/{recording_id}", owner_only(200),
        lambda w, role, ok: (
            f"/api/meetings/{w.meeting_id}/recordings/"
            f"{w.svc.upload(w.meeting_id)['id'] if ok < 300 else w.recording['id']}", {}),
        check_recording_deleted,
    ),
    # ---- jobs and documents
    Case(
        "POST", "/api/meetings/{meeting_id}/jobs", owner_only(202),
        lambda w, role, ok: (f"/api/meetings/{w.meeting_id}/jobs", json_body({})),
        check_job_started,
    ),
    Case(
        "GET", "/api/meetings/{meeting_id}/jobs", viewers(200),
        lambda w, role, ok: (f"/api/meetings/{w.meeting_id}/jobs", {}),
        check_job_list,
    ),
    Case("GET", "/api/jobs/{job_id}", viewers(200), _job(), check_job_view),
    Case("GET", "/api/queue", everyone(200), _static("/api/queue"), check_queue),
    Case(
        "POST", "/api/jobs/{job_id}/retry", owner_only(202),
        _job_in_state("failed", "/retry"), check_retried,
    ),
    Case(
        "POST", "/api/jobs/{job_id}/rerun", owner_only(202),
        _job("/rerun", json={"stage": "diarization", "max_speakers": 3}), check_rerun,
    ),
    Case(
        "POST", "/api/jobs/{job_id}/cancel", owner_only(200),
        _job_in_state("queued", "/cancel"), check_cancelled,
    ),
    Case("GET", "/api/jobs/{job_id}/outputs", viewers(200), _job("/outputs"), check_outputs),
    Case(
        "GET", "/api/jobs/{job_id}/outputs/{name}",
        {"schriftfuehrer": 200, "schriftfuehrer2": 404, "pruefer": 200, "admin": 404},
        _job("/outputs/transcript.json"), check_output_download,
    ),
]  # fmt: skip


# -- the review routes (issue #5) --


def reviewers(ok: int) -> dict[str, int]:
    """The draft: the meeting's Schriftführung and the reviewers; the admin never."""
    return {"schriftfuehrer": ok, "schriftfuehrer2": 404, "pruefer": ok, "admin": 403}


def admin_only(ok: int) -> dict[str, int]:
    return {"schriftfuehrer": 403, "schriftfuehrer2": 403, "pruefer": 403, "admin": ok}


def _current_version(w: World) -> int:
    review = w.svc.client("pruefer").get(f"/api/meetings/{w.meeting_id}/review").json()
    return int(review["current"])


def _new_version(w: World, role: str, ok: int) -> tuple[str, dict[str, Any]]:
    body = {"base": _current_version(w), "speaker_names": {"SPEAKER_00": f"Vorsitz ({role})"}}
    w.notes["versions_before"] = w.svc.count(MinutesVersion, meeting_id=w.meeting_id)
    return f"/api/meetings/{w.meeting_id}/versions", json_body(body)


def check_new_version(w: World, role: str, r: Response) -> None:
    count = w.svc.count(MinutesVersion, meeting_id=w.meeting_id)
    if r.status_code == 201:
        assert count == w.notes["versions_before"] + 1 == r.json()["number"]
    else:
        assert count == w.notes["versions_before"]


def _segment_edit(w: World, role: str, ok: int) -> tuple[str, dict[str, Any]]:
    body = {"base": _current_version(w), "text": f"Ich eröffne die Sitzung ({role})."}
    w.notes["versions_before"] = w.svc.count(MinutesVersion, meeting_id=w.meeting_id)
    return f"/api/meetings/{w.meeting_id}/transcript/segments/0", json_body(body)


def check_segment_edit(w: World, role: str, r: Response) -> None:
    count = w.svc.count(MinutesVersion, meeting_id=w.meeting_id)
    if r.status_code == 200:
        assert count == w.notes["versions_before"] + 1 == r.json()["version"]["number"]
        assert r.json()["segment"]["text"] == f"Ich eröffne die Sitzung ({role})."
    else:
        assert count == w.notes["versions_before"]


def _docx_upload(w: World, role: str, ok: int) -> tuple[str, dict[str, Any]]:
    content = b"PK\x03\x04 kein Dokument"
    if ok < 300:
        number = _current_version(w)
        response = w.svc.client("pruefer").get(
            f"/api/meetings/{w.meeting_id}/versions/{number}/documents/niederschrift.docx"
        )
        doc = Document(io.BytesIO(response.content))
        # the fake draft has no resolutions: the first TOP says "kein Beschluss"
        target = next(p for p in doc.paragraphs if p.text == "kein Beschluss")
        for run in target.runs[1:]:
            run.text = ""
        target.runs[0].text = f"Geänderter Beschluss ({role})."
        buffer = io.BytesIO()
        doc.save(buffer)
        content = buffer.getvalue()
    w.notes["versions_before"] = w.svc.count(MinutesVersion, meeting_id=w.meeting_id)
    mime = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    return f"/api/meetings/{w.meeting_id}/versions/docx", {
        "files": {"file": ("niederschrift.docx", content, mime)}
    }


def check_docx_version(w: World, role: str, r: Response) -> None:
    check_new_version(w, role, r)
    if r.status_code == 201:
        assert r.json()["source"] == "word" and r.json()["edit_rate"] > 0


def _fresh_draft_step(action: str) -> Prepare:
    def prepare(w: World, role: str, ok: int) -> tuple[str, dict[str, Any]]:
        meeting_id = w.meeting_id
        if ok < 300:
            meeting_id = str(w.svc.meeting_with_job()[0]["id"])
        w.notes[role] = meeting_id
        return f"/api/meetings/{meeting_id}/review/{action}", json_body({"reason": ""})

    return prepare


def check_step(w: World, role: str, r: Response) -> None:
    review = w.svc.client("pruefer").get(f"/api/meetings/{w.notes[role]}/review").json()
    assert review["state"] == ("in_pruefung" if r.status_code == 200 else "entwurf")


def _published(w: World, role: str, ok: int) -> tuple[str, dict[str, Any]]:
    if "published" not in w.notes:
        for action, who in (("einreichen", "schriftfuehrer"), ("freigeben", "pruefer"),
                            ("veroeffentlichen", "schriftfuehrer")):  # fmt: skip
            response = w.svc.client(who).post(
                f"/api/meetings/{w.meeting_id}/review/{action}", json={}
            )
            assert response.status_code == 200, response.text
        w.notes["published"] = True
    return f"/api/meetings/{w.meeting_id}/published/oparl.json", {}


def check_published_download(w: World, role: str, r: Response) -> None:
    if r.status_code == 200:
        assert r.json()["type"] == "https://schema.oparl.org/1.1/Meeting"
        assert NON_PUBLIC_TITLE not in r.text


def check_register(w: World, role: str, r: Response) -> None:
    if r.status_code == 200:
        assert r.json()["schema"] == "protokoll-ki-register"
        assert set(r.json()) >= {"eintrag", "details", "kennzahlen"}


def check_register_target(w: World, role: str, r: Response) -> None:
    if r.status_code == 200:
        assert r.json()["ziel"] == "de" and r.json()["dateiname"] == "ki-register.de.json"
        assert r.json()["eintrag"]["schema"] == "protokoll-ki-register"


def check_register_file(w: World, role: str, r: Response) -> None:
    if r.status_code == 200:
        assert "ki-register.de.json" in r.headers["content-disposition"]
        assert r.json()["schema"] == "protokoll-ki-register"


def check_steckbrief(w: World, role: str, r: Response) -> None:
    if r.status_code == 200:
        doc = Document(io.BytesIO(r.content))
        assert any("protokoll" in p.text for p in doc.paragraphs)


def _review_path(suffix: str) -> Prepare:
    def prepare(w: World, role: str, ok: int) -> tuple[str, dict[str, Any]]:
        return f"/api/meetings/{w.meeting_id}{suffix}", {}

    return prepare


REVIEW_CASES = [
    Case("GET", "/api/meetings/{meeting_id}/review", reviewers(200), _review_path("/review")),
    Case("GET", "/api/meetings/{meeting_id}/versions/{number}", reviewers(200),
         _review_path("/versions/1")),
    Case("POST", "/api/meetings/{meeting_id}/versions", reviewers(201), _new_version,
         check_new_version),
    Case("POST", "/api/meetings/{meeting_id}/versions/docx", reviewers(201), _docx_upload,
         check_docx_version),
    Case("GET", "/api/meetings/{meeting_id}/versions/{number}/documents/{name}", reviewers(200),
         _review_path("/versions/1/documents/transcript.vtt")),
    Case("GET", "/api/meetings/{meeting_id}/transcript", reviewers(200),
         _review_path("/transcript")),
    Case("GET", "/api/meetings/{meeting_id}/audio", reviewers(200), _review_path("/audio")),
    Case("PUT", "/api/meetings/{meeting_id}/transcript/segments/{index}", reviewers(200),
         _segment_edit, check_segment_edit),
    Case("POST", "/api/meetings/{meeting_id}/review/{action}", reviewers(200),
         _fresh_draft_step("einreichen"), check_step),
    Case("GET", "/api/meetings/{meeting_id}/published", viewers(200),
         _review_path("/published")),
    Case("GET", "/api/meetings/{meeting_id}/published/{name}",
         {"schriftfuehrer": 200, "schriftfuehrer2": 404, "pruefer": 200, "admin": 200},
         _published, check_published_download),
    Case("GET", "/api/register", admin_only(200), _static("/api/register"), check_register,
         needs_meeting=False),
    Case("GET", "/api/register/steckbrief.docx", admin_only(200),
         _static("/api/register/steckbrief.docx"), check_steckbrief, needs_meeting=False),
    Case("GET", "/api/register/{ziel}", admin_only(200), _static("/api/register/de"),
         check_register_target, needs_meeting=False),
    Case("GET", "/api/register/{ziel}/datei", admin_only(200), _static("/api/register/de/datei"),
         check_register_file, needs_meeting=False),
]  # fmt: skip

CASES += REVIEW_CASES


def router_routes() -> set[tuple[str, str]]:
    return endpoints(api.router.routes)


def test_matrix_covers_every_api_route(service: Service) -> None:
    covered = [(c.method, c.path) for c in CASES]
    assert len(covered) == len(set(covered)), "a route appears twice in CASES"
    in_app = {(m, p) for m, p in endpoints(service.app.routes) if p.startswith("/api/")}
    assert len(in_app) >= 30
    assert set(covered) == router_routes() == in_app


@pytest.mark.parametrize("case", CASES, ids=lambda c: f"{c.method} {c.path}")
def test_route_for_every_role(service: Service, case: Case) -> None:
    world = build_world(service, full=case.needs_meeting)
    for role in case.order():
        expected = case.status(role)
        url, kwargs = case.prepare(world, role, expected)
        response = service.client(role).request(case.method, url, **kwargs)
        assert response.status_code == expected, (
            f"{role}: {case.method} {url} -> {response.status_code} {response.text[:300]}"
        )
        if expected >= 400:
            detail = response.json()["detail"]
            assert isinstance(detail, str) and detail
            if role == "anonymous":
                assert detail == "Bitte anmelden."
                assert response.headers["www-authenticate"].startswith("Bearer")
            elif role == "cookie_no_csrf" and case.method not in SAFE:
                assert "CSRF" in detail
            else:
                assert "CSRF" not in detail
        if case.check is not None:
            case.check(world, role, response)


# ---- documentation -------------------------------------------------------------------------


def test_openapi_lists_every_endpoint(service: Service) -> None:
    response = service.client("anonymous").get("/api/openapi.json")
    assert response.status_code == 200
    spec = response.json()
    documented = {(method.upper(), path) for path, ops in spec["paths"].items() for method in ops}
    assert documented == router_routes()
    assert spec["info"]["title"] == "protokoll"
    for path, ops in spec["paths"].items():
        for method, op in ops.items():
            assert op.get("tags"), f"{method} {path} has no tag"


def test_health_and_security_headers(service: Service) -> None:
    health = service.client("anonymous").get("/healthz")
    assert health.json() == {"status": "ok"}
    response = service.client("schriftfuehrer").get("/api/meetings")
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["x-frame-options"] == "DENY"
    assert response.headers["cache-control"] == "no-store"
    assert "frame-ancestors 'none'" in response.headers["content-security-policy"]


# ---- meetings and agendas ----------------------------------------------------------------


def test_create_meeting_with_agenda_and_oparl_url_is_refused_and_nothing_stored(
    service: Service,
) -> None:
    client = service.client("schriftfuehrer")
    response = client.post(
        "/api/meetings",
        json={"body": "Rat", "date": "2026-11-19", "agenda": sample_agenda_data(),
              "oparl_url": "https://ratsinfo.example/oparl/meeting/1"},
    )  # fmt: skip
    assert response.status_code == 422
    assert "entweder" in response.json()["detail"]
    assert service.count(Meeting) == 0


def test_create_meeting_validation_messages_are_german(service: Service) -> None:
    client = service.client("schriftfuehrer")
    bad_date = client.post("/api/meetings", json={"body": "Rat", "date": "19.11.2026"})
    assert bad_date.status_code == 422
    assert bad_date.json()["detail"].startswith("Ungültige Angaben: date")
    no_body = client.post("/api/meetings", json={"body": "  ", "date": "2026-11-19"})
    assert no_body.status_code == 422 and "Gremium" in no_body.json()["detail"]
    bad_agenda = client.post(
        "/api/meetings",
        json={"body": "Rat", "date": "2026-11-19", "agenda": {"items": [{"number": "1"}]}},
    )
    assert bad_agenda.status_code == 422 and "title" in bad_agenda.json()["detail"]
    not_https = client.post(
        "/api/meetings", json={"body": "Rat", "date": "2026-11-19", "oparl_url": "ftp://x"}
    )
    assert not_https.status_code == 422 and "https://" in not_https.json()["detail"]
    assert service.count(Meeting) == 0


def test_meeting_facts_win_over_the_agenda_file(service: Service) -> None:
    meeting = service.create_meeting(body="Hauptausschuss")
    client = service.client("schriftfuehrer")
    response = client.put(
        f"/api/meetings/{meeting['id']}/agenda",
        files={"file": ("einladung.toml", SAMPLE_AGENDA.read_bytes(), "application/toml")},
    )
    assert response.status_code == 200, response.text
    row = service.meeting_row(meeting["id"])
    assert row is not None and row.agenda_json is not None
    stored = json.loads(row.agenda_json)
    assert stored["meeting"]["body"] == "Hauptausschuss"
    assert [i["public"] for i in response.json()["agenda"]["items"]] == [True, True, True, False]


def test_agenda_upload_refuses_other_formats_and_broken_files(service: Service) -> None:
    meeting = service.create_meeting()
    client = service.client("schriftfuehrer")
    url = f"/api/meetings/{meeting['id']}/agenda"
    pdf = client.put(url, files={"file": ("einladung.pdf", b"%PDF-1.7\n", "application/pdf")})
    assert pdf.status_code == 422
    assert ".toml, .json oder .docx" in pdf.json()["detail"]
    broken = client.put(url, files={"file": ("to.toml", b"[meeting\nbody = 1", "text/plain")})
    assert broken.status_code == 422 and broken.json()["detail"]
    # the message names the uploaded file, not the name it is stored under (issue #17)
    assert "to.toml" in broken.json()["detail"]
    assert "tagesordnung" not in broken.json()["detail"]
    assert client.get(f"/api/meetings/{meeting['id']}").json()["agenda"] is None


def test_members_need_an_agenda_and_valid_entries(service: Service) -> None:
    client = service.client("schriftfuehrer")
    bare = service.create_meeting()
    response = client.put(f"/api/meetings/{bare['id']}/members", json={"members": [{"name": "A"}]})
    assert response.status_code == 409 and "Tagesordnung" in response.json()["detail"]
    with_agenda = service.create_meeting(agenda=sample_agenda_data())
    response = client.put(
        f"/api/meetings/{with_agenda['id']}/members", json={"members": [{"name": "A", "x": 1}]}
    )
    assert response.status_code == 422 and "Mitgliederliste" in response.json()["detail"]


def test_other_schriftfuehrer_sees_only_own_meetings(service: Service) -> None:
    mine = service.create_meeting()
    theirs = service.create_meeting("schriftfuehrer2", body="Sozialausschuss")
    own_list = service.client("schriftfuehrer").get("/api/meetings").json()
    other_list = service.client("schriftfuehrer2").get("/api/meetings").json()
    assert [m["id"] for m in own_list] == [mine["id"]]
    assert [m["id"] for m in other_list] == [theirs["id"]]
    pruefer_list = service.client("pruefer").get("/api/meetings").json()
    assert {m["id"] for m in pruefer_list} == {mine["id"], theirs["id"]}
    refused = service.client("schriftfuehrer").get(f"/api/meetings/{theirs['id']}")
    assert refused.status_code == 404


# ---- uploads -------------------------------------------------------------------------------


def test_upload_resumes_at_the_offset_the_server_reports(service: Service) -> None:
    meeting = service.create_meeting()
    data = sample_bytes()
    upload = service.start_upload(meeting["id"], data, sha256=sha256_hex(data))
    client = service.client("schriftfuehrer")
    url = f"/api/uploads/{upload['id']}"
    first = client.put(url, params={"offset": 0}, content=data[:300_000])
    assert first.status_code == 200 and first.json()["offset"] == 300_000
    # the connection broke: the client asks where to continue
    status = client.get(url).json()
    assert status["offset"] == 300_000 and status["state"] == "open"
    rest = client.put(url, params={"offset": 300_000}, content=data[300_000:])
    assert rest.status_code == 200 and rest.json()["offset"] == len(data)
    done = client.post(f"{url}/complete")
    assert done.status_code == 201, done.text
    recording = done.json()
    assert recording["sha256"] == sha256_hex(data)
    assert recording["size_bytes"] == len(data)
    assert (recording["format"], recording["codec"]) == ("ogg", "opus")
    assert recording["duration_s"] == pytest.approx(220.18, abs=0.1)
    assert recording["name"] == "sitzung.ogg"
    stored = service.ctx.layout.recording(meeting["id"], f"{upload['id']}.ogg")
    assert stored.read_bytes() == data
    assert not service.ctx.layout.upload_part(upload["id"]).exists()
    assert client.get(url).json()["state"] == "done"
    again = client.post(f"{url}/complete")  # a repeated request returns the same recording
    assert again.status_code == 201 and again.json()["id"] == recording["id"]
    assert service.count(Recording) == 1


def test_chunk_at_a_wrong_offset_is_refused_with_the_current_offset(service: Service) -> None:
    meeting = service.create_meeting()
    upload = service.start_upload(meeting["id"], b"OggS" + b"\x00" * 996)
    client = service.client("schriftfuehrer")
    url = f"/api/uploads/{upload['id']}"
    assert client.put(url, params={"offset": 0}, content=b"OggS" + b"\x00" * 196).status_code == 200
    for offset in (0, 150, 500):
        response = client.put(url, params={"offset": offset}, content=b"\x00" * 10)
        assert response.status_code == 409
        assert response.json()["offset"] == 200
        assert "Byte 200" in response.json()["detail"]
    assert service.ctx.layout.upload_part(upload["id"]).stat().st_size == 200
    negative = client.put(url, params={"offset": -1}, content=b"\x00")
    assert negative.status_code == 422


def test_more_bytes_than_declared_are_refused_and_the_part_is_not_grown(service: Service) -> None:
    meeting = service.create_meeting()
    upload = service.start_upload(meeting["id"], b"\x00" * 100)
    client = service.client("schriftfuehrer")
    url = f"/api/uploads/{upload['id']}"
    part = service.ctx.layout.upload_part(upload["id"])
    too_much = client.put(url, params={"offset": 0}, content=b"OggS" + b"\x00" * 146)
    assert too_much.status_code == 422
    assert "mehr Daten" in too_much.json()["detail"]
    assert part.stat().st_size == 0
    assert client.put(url, params={"offset": 0}, content=b"OggS" + b"\x00" * 56).status_code == 200
    again = client.put(url, params={"offset": 60}, content=b"\x00" * 41)
    assert again.status_code == 422
    assert part.stat().st_size == 60
    assert client.get(url).json()["offset"] == 60


def test_incomplete_upload_cannot_be_completed_but_can_be_continued(service: Service) -> None:
    meeting = service.create_meeting()
    data = sample_bytes()
    upload = service.start_upload(meeting["id"], data)
    client = service.client("schriftfuehrer")
    url = f"/api/uploads/{upload['id']}"
    client.put(url, params={"offset": 0}, content=data[:1000])
    early = client.post(f"{url}/complete")
    assert early.status_code == 422 and "unvollständig" in early.json()["detail"]
    assert client.put(url, params={"offset": 1000}, content=data[1000:]).status_code == 200
    assert client.post(f"{url}/complete").status_code == 201


def test_checksum_mismatch_is_refused_and_nothing_is_stored(service: Service) -> None:
    meeting = service.create_meeting()
    data = sample_bytes()
    upload = service.start_upload(meeting["id"], data, sha256=sha256_hex(b"etwas anderes"))
    client = service.client("schriftfuehrer")
    url = f"/api/uploads/{upload['id']}"
    assert client.put(url, params={"offset": 0}, content=data).status_code == 200
    refused = client.post(f"{url}/complete")
    assert refused.status_code == 422
    assert "Prüfsumme" in refused.json()["detail"]
    assert service.count(Recording) == 0
    assert not service.ctx.layout.upload_part(upload["id"]).exists()
    assert not (service.meeting_dir(meeting["id"]) / "recordings").exists()
    assert list(service.ctx.layout.uploads.iterdir()) == []
    status = client.get(url).json()
    assert status["state"] == "failed" and "Prüfsumme" in status["error"]
    repeated = client.post(f"{url}/complete")
    assert repeated.status_code == 409 and "Prüfsumme" in repeated.json()["detail"]
    more = client.put(url, params={"offset": 0}, content=data[:10])
    assert more.status_code == 409


@pytest.mark.parametrize(
    ("name", "content", "named"),
    [
        ("sitzung.mp3", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n", "PDF"),
        ("sitzung.ogg", b"Tagesordnung der Sitzung\n" * 20, "Textdatei"),
        ("sitzung.wav", b"\x00\x01\x02\x03" * 64, "keine Audio- oder Videodatei"),
    ],
)
def test_non_audio_is_refused_with_a_german_message(
    service: Service, name: str, content: bytes, named: str
) -> None:
    meeting = service.create_meeting()
    upload = service.start_upload(meeting["id"], content, name=name)
    client = service.client("schriftfuehrer")
    url = f"/api/uploads/{upload['id']}"
    assert client.put(url, params={"offset": 0}, content=content).status_code == 200
    refused = client.post(f"{url}/complete")
    assert refused.status_code == 422
    detail = refused.json()["detail"]
    assert named in detail and "Bitte eine Aufnahme" in detail
    assert service.count(Recording) == 0
    assert not service.ctx.layout.upload_part(upload["id"]).exists()


def test_upload_start_is_checked(service: Service) -> None:
    meeting = service.create_meeting()
    client = service.client("schriftfuehrer")
    url = f"/api/meetings/{meeting['id']}/uploads"
    empty = client.post(url, json={"filename": "a.ogg", "size": 0})
    assert empty.status_code == 422 and "Die Datei ist leer" in empty.json()["detail"]
    huge = client.post(url, json={"filename": "a.ogg", "size": 21 * 1024**3})
    assert huge.status_code == 422 and "größer als die erlaubten" in huge.json()["detail"]
    bad_sum = client.post(url, json={"filename": "a.ogg", "size": 10, "sha256": "abc"})
    assert bad_sum.status_code == 422 and "SHA-256" in bad_sum.json()["detail"]
    assert service.count(Upload) == 0


def test_upload_file_name_is_only_a_display_name(service: Service) -> None:
    meeting = service.create_meeting()
    data = sample_bytes()
    recording = service.upload(meeting["id"], data, name="../../etc/\x00sitzung.ogg")
    assert recording["name"] == "sitzung.ogg"
    stored = list((service.meeting_dir(meeting["id"]) / "recordings").iterdir())
    assert len(stored) == 1 and stored[0].suffix == ".ogg"
    assert stored[0].name != "sitzung.ogg"
    assert stored[0].resolve().is_relative_to(service.ctx.layout.data_dir.resolve())


def test_upload_belongs_to_its_user(service: Service) -> None:
    meeting = service.create_meeting()
    upload = service.start_upload(meeting["id"], b"OggS" + b"\x00" * 96)
    url = f"/api/uploads/{upload['id']}"
    for role in ("schriftfuehrer2", "pruefer", "admin"):
        client = service.client(role)
        assert client.get(url).status_code == 404
        assert client.put(url, params={"offset": 0}, content=b"OggS").status_code == 404
        assert client.post(f"{url}/complete").status_code == 404
        assert client.delete(url).status_code == 404
    assert service.ctx.layout.upload_part(upload["id"]).stat().st_size == 0
    # the same user by cookie session (with CSRF) may continue
    cookie = service.client("cookie")
    assert cookie.put(url, params={"offset": 0}, content=b"OggS").json()["offset"] == 4


def test_aborted_upload_accepts_nothing_more(service: Service) -> None:
    meeting = service.create_meeting()
    upload = service.start_upload(meeting["id"], b"OggS" + b"\x00" * 96)
    client = service.client("schriftfuehrer")
    url = f"/api/uploads/{upload['id']}"
    assert client.delete(url).status_code == 200
    assert client.get(url).json()["state"] == "failed"
    assert client.put(url, params={"offset": 0}, content=b"OggS").status_code == 409
    assert client.post(f"{url}/complete").status_code == 409


# ---- jobs and documents ----------------------------------------------------------------------


def docx_text(content: bytes) -> str:
    document = Document(io.BytesIO(content))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        parts += [cell.text for row in table.rows for cell in row.cells]
    return "\n".join(parts)


def test_job_runs_to_done_with_the_real_intake(
    tmp_path: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    svc = make_service(tmp_path, monkeypatch, stages=FakeStages(real_intake=True))
    try:
        meeting, recording, job = svc.meeting_with_job()
        assert job["progress"] == 1.0 and job["eta_s"] == 0 and job["error"] is None
        assert job["state_label"] == "fertig" and job["attempts"] == 1
        assert {k: v["started"] for k, v in job["stages"].items()} == {
            "intake": 1, "transcription": 1, "diarization": 1, "assignment": 1, "minutes": 1,
        }  # fmt: skip
        transcript = svc.client("pruefer").get(f"/api/jobs/{job['id']}/outputs/transcript.json")
        audio = transcript.json()["audio"]
        assert audio["file_name"] == "sitzung.ogg"  # the uploaded name, not the stored one
        assert audio["duration_s"] == pytest.approx(220.17, abs=0.1)
        assert audio["sha256"] == recording["sha256"]
        work = svc.ctx.layout.work(meeting["id"], job["id"])
        assert (work / "audio16k.wav").is_file() and (work / "intake.json").is_file()
    finally:
        svc.close()


def test_documents_per_role_and_their_content(service: Service) -> None:
    meeting, _recording, job = service.meeting_with_job()
    url = f"/api/jobs/{job['id']}/outputs"
    full = service.client("pruefer").get(f"{url}/niederschrift.docx")
    assert full.status_code == 200
    disposition = full.headers["content-disposition"]
    # German download names (issue #17); the stored name stays "niederschrift.docx"
    assert f"{meeting['date']}_" in disposition and "_Niederschrift.docx" in disposition
    transcript = service.client("pruefer").get(f"{url}/transcript.json")
    assert "_Transkript.json" in transcript.headers["content-disposition"]
    assert NON_PUBLIC_TITLE in docx_text(full.content)
    public = service.client("admin").get(f"{url}/niederschrift.oeffentlich.docx")
    assert public.status_code == 200
    assert "Tempo 30 in der Hauptstraße" in docx_text(public.content)
    assert NON_PUBLIC_TITLE not in docx_text(public.content)
    public_json = service.client("admin").get(f"{url}/minutes.oeffentlich.json").json()
    assert [i["number"] for i in public_json["items"]] == ["1", "2", "3"]
    for name in ALL_OUTPUTS - PUBLIC_OUTPUTS:
        assert service.client("admin").get(f"{url}/{name}").status_code == 404, name
    owner = service.client("schriftfuehrer")
    vtt = owner.get(f"{url}/transcript.vtt")
    assert vtt.text.startswith("WEBVTT") and "Hauptstraße" in vtt.text
    rttm = owner.get(f"{url}/diarization.rttm").text
    assert "SPEAKER_00" in rttm and "SPEAKER_01" in rttm
    assert owner.get(f"{url}/../../protokoll.db").status_code == 404
    assert owner.get(f"{url}/unbekannt.txt").status_code == 404


def test_admin_gets_the_full_minutes_when_the_agenda_is_all_public(service: Service) -> None:
    _meeting, _recording, job = service.meeting_with_job(agenda=public_agenda_data())
    listed = service.client("admin").get(f"/api/jobs/{job['id']}/outputs").json()
    assert {o["name"] for o in listed} == {"niederschrift.docx", "minutes.json"}
    minutes = service.client("admin").get(f"/api/jobs/{job['id']}/outputs/minutes.json")
    assert minutes.status_code == 200 and len(minutes.json()["items"]) == 3
    transcript = service.client("admin").get(f"/api/jobs/{job['id']}/outputs/transcript.json")
    assert transcript.status_code == 404


def test_admin_stays_refused_the_full_minutes_after_the_agenda_loses_its_non_public_item(
    service: Service,
) -> None:
    """Which documents are confidential depends on what they contain: the job's minutes
    hold the non-public item even when the meeting's agenda is later replaced by one
    without it."""
    meeting, _recording, job = service.meeting_with_job()
    owner = service.client("schriftfuehrer")
    members = owner.put(
        f"/api/meetings/{meeting['id']}/agenda",
        files={"file": ("neu.json", json.dumps(public_agenda_data()).encode(), "text/json")},
    )
    assert members.status_code == 200
    assert all(item["public"] for item in members.json()["agenda"]["items"])
    url = f"/api/jobs/{job['id']}/outputs"
    full = service.client("pruefer").get(f"{url}/niederschrift.docx")
    assert NON_PUBLIC_TITLE in docx_text(full.content)
    admin = service.client("admin")
    assert {o["name"] for o in admin.get(url).json()} == PUBLIC_OUTPUTS
    for name in ("niederschrift.docx", "minutes.json"):
        assert admin.get(f"{url}/{name}").status_code == 404, name


def test_job_without_agenda_writes_the_transcript_only(service: Service) -> None:
    meeting = service.create_meeting()
    service.upload(meeting["id"])
    job = service.start_job(meeting["id"])
    assert job["state"] == "done" and "minutes" not in job["stages"]
    names = {o["name"] for o in service.client("schriftfuehrer").get(
        f"/api/jobs/{job['id']}/outputs").json()}  # fmt: skip
    assert names == {"transcript.docx", "transcript.json", "transcript.vtt", "diarization.rttm"}
    assert service.client("admin").get(f"/api/jobs/{job['id']}/outputs").json() == []


def test_start_job_needs_a_recording_and_valid_bounds(service: Service) -> None:
    meeting = service.create_meeting(agenda=sample_agenda_data())
    client = service.client("schriftfuehrer")
    url = f"/api/meetings/{meeting['id']}/jobs"
    none_yet = client.post(url, json={})
    assert none_yet.status_code == 409 and "Aufnahme hochladen" in none_yet.json()["detail"]
    service.upload(meeting["id"])
    swapped = client.post(url, json={"min_speakers": 5, "max_speakers": 2})
    assert swapped.status_code == 422 and "Mindestzahl" in swapped.json()["detail"]
    too_many = client.post(url, json={"max_speakers": 500})
    assert too_many.status_code == 422
    unknown = client.post(url, json={"recording_id": "0" * 32})
    assert unknown.status_code == 404
    assert service.count(Job) == 0
    job = service.start_job(meeting["id"], min_speakers=2, max_speakers=4)
    assert job["params"] == {"min_speakers": 2, "max_speakers": 4}
    assert service.stages.bounds == [(2, 4)]


def test_rerun_diarization_with_other_bounds_keeps_the_transcription(service: Service) -> None:
    _meeting, _recording, job = service.meeting_with_job()
    client = service.client("schriftfuehrer")
    rttm_before = client.get(f"/api/jobs/{job['id']}/outputs/transcript.json").json()
    response = client.post(
        f"/api/jobs/{job['id']}/rerun", json={"stage": "diarization", "max_speakers": 3}
    )
    assert response.status_code == 202, response.text
    rerun = response.json()
    assert rerun["state"] == "done" and rerun["params"] == {"max_speakers": 3}
    assert rerun["stages"]["transcription"]["started"] == 1
    assert rerun["stages"]["intake"]["started"] == 1
    assert rerun["stages"]["diarization"]["done"] is True
    assert service.stages.calls == {"intake": 1, "transcription": 1, "diarization": 2, "minutes": 2}
    assert service.stages.bounds == [(None, None), (None, 3)]
    after = client.get(f"/api/jobs/{job['id']}/outputs/transcript.json").json()
    assert after != rttm_before
    assert "max_speakers" in json.dumps(after["models"]) and '"max_speakers": 3' in json.dumps(
        after["models"]
    )


def test_rerun_is_checked(service: Service) -> None:
    _meeting, _recording, job = service.meeting_with_job()
    client = service.client("schriftfuehrer")
    url = f"/api/jobs/{job['id']}/rerun"
    unknown = client.post(url, json={"stage": "zaubern"})
    assert unknown.status_code == 422 and "zaubern" in unknown.json()["detail"]
    swapped = client.post(url, json={"stage": "diarization", "min_speakers": 4, "max_speakers": 2})
    assert swapped.status_code == 422
    service.set_job(job["id"], state="running")
    busy = client.post(url, json={"stage": "minutes"})
    assert busy.status_code == 409 and "läuft noch" in busy.json()["detail"]
    assert service.stages.calls["minutes"] == 1


def test_rerun_bounds_must_fit_the_bounds_the_job_already_has(service: Service) -> None:
    _meeting, _recording, job = service.meeting_with_job()
    client = service.client("schriftfuehrer")
    url = f"/api/jobs/{job['id']}/rerun"
    first = client.post(url, json={"stage": "diarization", "max_speakers": 2})
    assert first.status_code == 202 and first.json()["params"] == {"max_speakers": 2}
    merged = client.post(url, json={"stage": "diarization", "min_speakers": 5})
    assert merged.status_code == 422, merged.json()
    assert "Mindestzahl" in merged.json()["detail"]
    assert service.job(job["id"]).params == {"max_speakers": 2}


def test_retry_a_failed_job_resumes_from_its_checkpoint(service: Service) -> None:
    service.stages.fail_next("diarization", ProtokollError("Das Modell fehlt."))
    meeting = service.create_meeting(agenda=sample_agenda_data())
    service.upload(meeting["id"])
    failed = service.start_job(meeting["id"])
    assert failed["state"] == "failed" and failed["error"] == "Das Modell fehlt."
    assert failed["state_label"] == "fehlgeschlagen"
    client = service.client("schriftfuehrer")
    assert client.get(f"/api/jobs/{failed['id']}/outputs").json() == []
    again = client.post(f"/api/jobs/{failed['id']}/retry")
    assert again.status_code == 202, again.text
    done = again.json()
    assert done["state"] == "done" and done["error"] is None and done["attempts"] == 2
    started = {k: v["started"] for k, v in done["stages"].items()}
    assert started == {
        "intake": 1, "transcription": 1, "diarization": 2, "assignment": 1, "minutes": 1,
    }  # fmt: skip
    assert service.stages.calls == {"intake": 1, "transcription": 1, "diarization": 2, "minutes": 1}
    outputs = {o["name"] for o in client.get(f"/api/jobs/{failed['id']}/outputs").json()}
    assert outputs == ALL_OUTPUTS
    finished = client.post(f"/api/jobs/{failed['id']}/retry")
    assert finished.status_code == 409


def test_unexpected_error_fails_the_job_with_a_german_message(service: Service) -> None:
    service.stages.fail_next("transcription", RuntimeError("CUDA out of memory"))
    meeting = service.create_meeting()
    service.upload(meeting["id"])
    job = service.start_job(meeting["id"])
    assert job["state"] == "failed"
    assert job["error"].startswith("Interner Fehler in der Verarbeitung (RuntimeError")
    assert "Erneut versuchen" in job["error"]


def test_failing_minutes_leave_the_transcript_and_a_warning(service: Service) -> None:
    service.stages.minutes_error = ProtokollError("Das Sprachmodell antwortet nicht.")
    _meeting, _recording, job = service.meeting_with_job()
    assert any(
        "Die Niederschrift konnte nicht erstellt werden: Das Sprachmodell antwortet nicht." in w
        for w in job["warnings"]
    )
    names = {o["name"] for o in service.client("pruefer").get(
        f"/api/jobs/{job['id']}/outputs").json()}  # fmt: skip
    assert names == {"transcript.docx", "transcript.json", "transcript.vtt", "diarization.rttm"}
    service.stages.minutes_error = None
    rerun = service.client("schriftfuehrer").post(
        f"/api/jobs/{job['id']}/rerun", json={"stage": "minutes"}
    )
    assert rerun.status_code == 202 and rerun.json()["warnings"] == []
    assert service.stages.calls["transcription"] == 1
    names = {o["name"] for o in service.client("pruefer").get(
        f"/api/jobs/{job['id']}/outputs").json()}  # fmt: skip
    assert names == ALL_OUTPUTS


def test_cancel_a_queued_job_and_retry_it(service: Service) -> None:
    held = service.hold_jobs()
    meeting = service.create_meeting()
    service.upload(meeting["id"])
    job = service.start_job(meeting["id"])
    assert job["state"] == "queued" and held == [job["id"]]
    client = service.client("schriftfuehrer")
    second = client.post(f"/api/meetings/{meeting['id']}/jobs", json={})
    assert second.status_code == 409 and "bereits verarbeitet" in second.json()["detail"]
    cancelled = client.post(f"/api/jobs/{job['id']}/cancel")
    assert cancelled.status_code == 200 and cancelled.json()["state"] == "cancelled"
    assert cancelled.json()["finished_at"] is not None
    assert service.run_held() == ["cancelled"]
    assert sum(service.stages.calls.values()) == 0
    again = client.post(f"/api/jobs/{job['id']}/cancel")
    assert again.status_code == 409 and "bereits beendet" in again.json()["detail"]
    retried = client.post(f"/api/jobs/{job['id']}/retry")
    assert retried.status_code == 202 and retried.json()["state"] == "queued"
    assert service.run_held() == ["done"]
    assert client.get(f"/api/jobs/{job['id']}").json()["state"] == "done"


def test_cancel_a_running_job_asks_the_worker_to_stop(service: Service) -> None:
    _meeting, _recording, job = service.meeting_with_job()
    service.set_job(job["id"], state="running")
    response = service.client("schriftfuehrer").post(f"/api/jobs/{job['id']}/cancel")
    assert response.status_code == 200
    assert response.json()["state"] == "running" and response.json()["cancel_requested"] is True


# ---- deletion ------------------------------------------------------------------------------


def test_deleting_a_meeting_removes_its_files_and_records(service: Service) -> None:
    meeting, recording, job = service.meeting_with_job()
    client = service.client("schriftfuehrer")
    client.put(
        f"/api/meetings/{meeting['id']}/agenda",
        files={"file": ("agenda.toml", SAMPLE_AGENDA.read_bytes(), "application/toml")},
    )
    open_upload = service.start_upload(meeting["id"], b"OggS" + b"\x00" * 96)
    other, _r, other_job = service.meeting_with_job()
    folder = service.meeting_dir(meeting["id"])
    layout = service.ctx.layout
    assert (folder / "recordings").is_dir() and (folder / "agenda").is_dir()
    assert layout.out(meeting["id"], job["id"]).is_dir()
    assert layout.work(meeting["id"], job["id"]).is_dir()
    assert layout.upload_part(open_upload["id"]).is_file()

    response = client.delete(f"/api/meetings/{meeting['id']}")
    assert response.status_code == 200 and response.json() == {"status": "gelöscht"}
    assert not folder.exists()
    assert not layout.upload_part(open_upload["id"]).exists()
    for model in (Recording, Job, Upload):
        assert service.count(model, meeting_id=meeting["id"]) == 0, model
    assert service.meeting_row(meeting["id"]) is None
    assert client.get(f"/api/meetings/{meeting['id']}").status_code == 404
    assert client.get(f"/api/jobs/{job['id']}").status_code == 404
    assert (
        client.get(f"/api/meetings/{meeting['id']}/recordings/{recording['id']}").status_code == 404
    )
    # the other meeting is untouched
    assert layout.out(other["id"], other_job["id"]).is_dir()
    assert client.get(f"/api/jobs/{other_job['id']}/outputs").json()


@pytest.mark.parametrize("state", ["queued", "running"])
def test_meeting_and_recording_cannot_be_deleted_while_a_job_is_busy(
    service: Service, state: str
) -> None:
    meeting, recording, job = service.meeting_with_job()
    service.set_job(job["id"], state=state)
    for role in ("schriftfuehrer", "admin"):
        response = service.client(role).delete(f"/api/meetings/{meeting['id']}")
        assert response.status_code == 409, role
        assert "abbrechen" in response.json()["detail"]
    rec = service.client("schriftfuehrer").delete(
        f"/api/meetings/{meeting['id']}/recordings/{recording['id']}"
    )
    assert rec.status_code == 409
    assert service.meeting_dir(meeting["id"]).is_dir()
    assert service.recording_row(recording["id"]) is not None
    service.set_job(job["id"], state="cancelled")
    assert service.client("admin").delete(f"/api/meetings/{meeting['id']}").status_code == 200
    assert not service.meeting_dir(meeting["id"]).exists()


def test_deleting_a_recording_removes_its_file_and_its_jobs(service: Service) -> None:
    meeting, recording, job = service.meeting_with_job()
    layout = service.ctx.layout
    client = service.client("schriftfuehrer")
    stored = service.recording_row(recording["id"])
    assert stored is not None
    response = client.delete(f"/api/meetings/{meeting['id']}/recordings/{recording['id']}")
    assert response.status_code == 200
    assert not layout.recording(meeting["id"], stored.stored_name).exists()
    assert client.get(f"/api/jobs/{job['id']}").status_code == 404
    assert client.get(f"/api/meetings/{meeting['id']}").json()["recordings"] == []
    # the job's transcripts and minutes went with it (they are derived from the recording)
    assert not layout.job(meeting["id"], job["id"]).exists()
