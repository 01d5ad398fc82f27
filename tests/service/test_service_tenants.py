"""Municipalities (Mandanten, issue #20): one installation, two municipalities whose data
never mix.

The default municipality A ("standard", the test service's users) and a second one, B
("olfen"), created by a district administrator through the API, each with a processed and
published meeting; B also has a draft. Then every route of the app (the JSON API, every
page, both OParl systems), with B's ids put into its path, is called by each of A's users:
none may answer with success about B, no successful answer may contain anything of B, and
B's data are unchanged afterwards. The register export of each holds only its own figures,
and B's files lie in B's own folder. Publication renders PDFs with LibreOffice.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from docx import Document
from fastapi.testclient import TestClient
from sqlalchemy import select

from protokoll.documents.niederschrift_docx import DEFAULT_TEMPLATE
from protokoll.service.infra import audit, auth
from protokoll.service.infra.tables import AuditEntry, Job, Meeting, Recording, User
from protokoll.service.usecases import retention
from tests.support.pdf import needs_office
from tests.support.routes import endpoints
from tests.support.service import (
    PASSWORD,
    USERS,
    Service,
    make_service,
    public_agenda_data,
    sample_agenda_data,
    sample_bytes,
    sha256_hex,
)

BASE = "https://rat.kreis.example/protokoll"
CONFIG = f"""
[review]
public_base_url = "{BASE}"
[ai_register]
organization = "Gemeinde Lindenau"
[oparl]
body_name = "Gemeinde Lindenau"
"""
B = "olfen"
B_BODY = "Rat der Stadt Olfen"
B_TITLE = "Olfener Sondersitzung"
B_SETTINGS: dict[str, Any] = {
    "ai_register": {"organization": "Stadt Olfen"},
    "oparl": {"body_name": "Stadt Olfen"},
    "review": {"four_eyes": False},
}
A_ROLES = ("schriftfuehrer", "schriftfuehrer2", "pruefer", "admin")
SUCCESS = range(200, 300)

pytestmark = needs_office


@dataclass
class Two:
    svc: Service
    district: TestClient
    b: dict[str, TestClient]  # B's clients by role
    a_meeting: str
    b_meeting: str  # published
    b_draft: str
    b_job: str
    b_recording: str
    b_upload: str
    b_user_ids: dict[str, int]
    b_token_id: int

    def markers(self) -> list[str]:
        """What no answer to A may contain."""
        return [
            self.b_meeting, self.b_draft, self.b_job, self.b_recording, self.b_upload,
            B_BODY, B_TITLE, "Stadt Olfen", "olfen-",
        ]  # fmt: skip


def _activate(svc: Service, username: str) -> tuple[TestClient, int]:
    """Log in with the one-time password, set one's own, and take an API token."""
    client, csrf = svc.login(username)
    new = PASSWORD + "-neu"
    response = client.post(
        "/api/me/password", json={"old_password": PASSWORD, "new_password": new},
        headers={"X-CSRF-Token": csrf},
    )  # fmt: skip
    assert response.status_code == 200, response.text
    client, csrf = svc.login(username, new)
    response = client.post("/api/me/tokens", json={"name": "Tests"}, headers={"X-CSRF-Token": csrf})
    assert response.status_code == 201, response.text
    token = svc.token_client(response.json()["token"])
    return token, int(response.json()["id"])


def _process(svc: Service, client: TestClient, title: str, agenda: dict[str, Any]) -> str:
    payload = {"body": B_BODY, "date": "2026-11-20", "title": title, "agenda": agenda}
    response = client.post("/api/meetings", json=payload)
    assert response.status_code == 201, response.text
    meeting_id: str = response.json()["id"]
    blob = sample_bytes()
    body = {"filename": "olfen.ogg", "size": len(blob), "sha256": sha256_hex(blob)}
    upload = client.post(f"/api/meetings/{meeting_id}/uploads", json=body).json()
    assert client.put(f"/api/uploads/{upload['id']}", params={"offset": 0}, content=blob).is_success
    assert client.post(f"/api/uploads/{upload['id']}/complete").status_code == 201
    response = client.post(f"/api/meetings/{meeting_id}/jobs", json={})
    assert response.status_code == 202 and response.json()["state"] == "done", response.text
    return meeting_id


def _publish(b: dict[str, TestClient], meeting_id: str) -> None:
    for action, role in (
        ("einreichen", "schriftfuehrer"),
        ("freigeben", "pruefer"),
        ("veroeffentlichen", "schriftfuehrer"),
    ):
        response = b[role].post(f"/api/meetings/{meeting_id}/review/{action}", json={"reason": ""})
        assert response.status_code == 200, response.text


@pytest.fixture(scope="module")
def two(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Two]:
    tmp_path = tmp_path_factory.mktemp("mandanten")
    (tmp_path / "config.toml").write_text(CONFIG, encoding="utf-8")
    with pytest.MonkeyPatch.context() as monkeypatch:
        svc = make_service(tmp_path, monkeypatch)
        try:
            yield _build(svc)
        finally:
            svc.close()


def _build(svc: Service) -> Two:
    with svc.ctx.db.session() as s:  # as `protokoll users add kreis --role kreisadmin`
        district_user = auth.create_user(s, "kreis", PASSWORD, ["kreisadmin"])
        district_token, _record = auth.create_api_token(s, district_user, "Tests")
    district = svc.token_client(district_token)
    response = district.post(
        "/api/kommunen", json={"id": B, "name": "Stadt Olfen", "settings": B_SETTINGS}
    )
    assert response.status_code == 201, response.text
    response = district.post(
        f"/api/kommunen/{B}/verwaltung", json={"username": "olfen-admin", "password": PASSWORD}
    )
    assert response.status_code == 201, response.text
    assert response.json()["municipality_id"] == B
    b_admin, b_token_id = _activate(svc, "olfen-admin")
    b = {"admin": b_admin}
    b_user_ids = {"admin": int(response.json()["id"])}
    for role in ("schriftfuehrer", "pruefer"):
        username = f"olfen-{role}"
        created = b_admin.post(
            "/api/users", json={"username": username, "password": PASSWORD, "roles": [role]}
        )
        assert created.status_code == 201, created.text
        assert created.json()["municipality_id"] == B
        b_user_ids[role] = int(created.json()["id"])
        b[role], _token_id = _activate(svc, username)

    a_meeting, _recording, _job = svc.meeting_with_job()
    svc.publish(a_meeting["id"])
    b_meeting = _process(svc, b["schriftfuehrer"], B_TITLE, sample_agenda_data())
    _publish(b, b_meeting)
    b_draft = _process(svc, b["schriftfuehrer"], f"{B_TITLE} II", public_agenda_data())
    upload = b["schriftfuehrer"].post(
        f"/api/meetings/{b_draft}/uploads", json={"filename": "offen.ogg", "size": 10}
    )
    assert upload.status_code == 201, upload.text
    with svc.ctx.db.session() as s:
        job = s.scalars(select(Job).where(Job.meeting_id == b_draft)).one()
        recording = s.scalars(select(Recording).where(Recording.meeting_id == b_draft)).one()
        b_job, b_recording = job.id, recording.id
    return Two(
        svc, district, b, a_meeting["id"], b_meeting, b_draft, b_job, b_recording,
        upload.json()["id"], b_user_ids, b_token_id,
    )  # fmt: skip


# ---- every route, as each of A's users, with B's ids ----------------------------------------


def _fill(path: str, two: Two, kind: str) -> str:
    """The route's path with B's ids in it."""
    meeting = two.b_meeting if kind == "published" else two.b_draft
    values = {
        "meeting_id": meeting, "job_id": two.b_job, "recording_id": two.b_recording,
        "upload_id": two.b_upload, "user_id": str(two.b_user_ids["schriftfuehrer"]),
        "token_id": str(two.b_token_id), "number": "1", "name": "transcript.json",
        "file_name": "niederschrift.pdf", "index": "0", "action": "freigeben", "what": "sperren",
        "ziel": "de", "kind": "meeting", "body_key": "1", "kommune": "standard",
    }  # fmt: skip
    if "/oparl/" in path:
        key = {
            "agendaitem": f"{meeting}-1", "consultation": f"{meeting}-1", "meeting": meeting,
            "location": meeting, "paper": "2026/051",
        }  # fmt: skip
        segment = path.split("/oparl/")[1].split("/")[0]
        values["key"] = key.get(segment, meeting)
    else:
        values["key"] = B  # /api/kommunen/{key}

    def value(match: re.Match[str]) -> str:
        return values[match.group(1)]

    return re.sub(r"\{(\w+)(?::\w+)?\}", value, path)


def _b_state(two: Two) -> dict[str, Any]:
    """What A must not be able to change of B."""
    with two.svc.ctx.db.session() as s:
        meetings = {
            m.id: (m.title, m.agenda_json)
            for m in s.scalars(select(Meeting).where(Meeting.municipality_id == B))
        }
        jobs = {j.id: (j.state, j.params) for j in s.scalars(select(Job))}
        users = {
            u.username: (u.display_name, u.roles, u.active, u.password_hash)
            for u in s.scalars(select(User).where(User.municipality_id == B))
        }
        recordings = {r.id: r.deleted_at for r in s.scalars(select(Recording))}
    return {"meetings": meetings, "jobs": jobs, "users": users, "recordings": recordings}


@pytest.mark.parametrize("kind", ["published", "draft"])
def test_no_route_tells_a_user_of_a_anything_of_b(two: Two, kind: str) -> None:
    routes = sorted(endpoints(two.svc.app.routes), key=lambda r: (r[1], r[0]))
    assert len(routes) > 100
    before = _b_state(two)
    leaks, successes = [], []
    for role in A_ROLES:
        client = two.svc.client(role)
        for method, path in routes:
            if path in ("/api/auth/logout", "/abmelden") or path.startswith("/api/me"):
                continue  # own session and account: nothing of B in them, and they end it
            url = _fill(path, two, kind)
            response = client.request(method, url, json={})
            text = response.text
            found = [m for m in two.markers() if m in text]
            if response.status_code in SUCCESS and found:
                leaks.append(f"{role} {method} {url}: {response.status_code}, contains {found}")
            if response.status_code in SUCCESS and any(
                p in path for p in ("{meeting_id}", "{job_id}", "{recording_id}", "{upload_id}",
                                    "{user_id}", "{token_id}")
            ) and "/oparl/" not in path:  # fmt: skip
                successes.append(f"{role} {method} {url}: {response.status_code}")
    assert not leaks, "\n".join(leaks)
    assert not successes, "\n".join(successes)
    assert _b_state(two) == before


def test_bs_own_users_see_and_change_their_meetings(two: Two) -> None:
    """The same routes work for B's users: the isolation is not a refusal of everything."""
    listed = two.b["pruefer"].get("/api/meetings").json()
    assert {m["id"] for m in listed} == {two.b_meeting, two.b_draft}
    assert two.b["schriftfuehrer"].get(f"/api/jobs/{two.b_job}").json()["state"] == "done"
    outputs = two.b["pruefer"].get(f"/api/jobs/{two.b_job}/outputs/transcript.json")
    assert outputs.status_code == 200
    page = two.b["pruefer"].get(f"/sitzungen/{two.b_meeting}")
    assert page.status_code == 200 and B_TITLE in page.text
    a_listed = two.svc.client("pruefer").get("/api/meetings").json()
    assert [m["id"] for m in a_listed] == [two.a_meeting]
    assert two.b["pruefer"].get(f"/api/meetings/{two.a_meeting}").status_code == 404
    users = two.b["admin"].get("/api/users").json()
    assert {u["username"] for u in users} == {"olfen-admin", "olfen-schriftfuehrer",
                                              "olfen-pruefer"}  # fmt: skip
    a_users = two.svc.client("admin").get("/api/users").json()
    assert {u["username"] for u in a_users} == {name for name, _roles in USERS.values()}


def test_each_register_export_holds_only_its_own_figures(two: Two) -> None:
    a = two.svc.client("admin").get("/api/register").json()
    b = two.b["admin"].get("/api/register").json()
    assert a["kennzahlen"]["sessions_processed"] == 1
    assert b["kennzahlen"]["sessions_processed"] == 2
    assert a["kennzahlen"]["minutes"]["published"] == 1 == b["kennzahlen"]["minutes"]["published"]
    assert a["kennzahlen"]["jobs"]["started"] == 1 and b["kennzahlen"]["jobs"]["started"] == 2
    assert "Gemeinde Lindenau" in str(a["eintrag"]) and "Olfen" not in str(a)
    assert "Stadt Olfen" in str(b["eintrag"]) and "Lindenau" not in str(b["eintrag"])
    audit_a = two.svc.client("admin").get("/api/audit", params={"limit": 1000}).json()
    audit_b = two.b["admin"].get("/api/audit", params={"limit": 1000}).json()
    assert audit_a and audit_b
    assert all(e["municipality_id"] in ("standard", None) for e in audit_a)
    assert all(e["municipality_id"] == B for e in audit_b)
    assert not {e["meeting_id"] for e in audit_a} & {two.b_meeting, two.b_draft}
    # the municipality is part of each entry's hash: the chain of the whole installation holds
    verified = two.district.get("/api/audit/verify")
    assert verified.status_code == 200 and verified.json()["ok"], verified.text
    assert two.b["admin"].get("/api/audit/verify").status_code == 403


def test_each_municipality_has_its_own_oparl_system(two: Two) -> None:
    anonymous = two.svc.client("anonymous")
    a_meetings = anonymous.get("/oparl/body/1/meeting").json()["data"]
    b_meetings = anonymous.get(f"/kommunen/{B}/oparl/body/1/meeting").json()["data"]
    assert [m["id"] for m in a_meetings] == [f"{BASE}/oparl/meeting/{two.a_meeting}"]
    assert [m["id"] for m in b_meetings] == [f"{BASE}/kommunen/{B}/oparl/meeting/{two.b_meeting}"]
    body = anonymous.get(f"/kommunen/{B}/oparl/body/1").json()
    assert body["name"] == "Stadt Olfen"
    assert anonymous.get(f"/oparl/meeting/{two.b_meeting}").status_code == 404
    assert anonymous.get(f"/kommunen/{B}/oparl/meeting/{two.a_meeting}").status_code == 404
    assert anonymous.get(f"/kommunen/{B}/oparl/meeting/{two.b_draft}").status_code == 404
    assert anonymous.get("/kommunen/gibtsnicht/oparl/system").status_code == 404


def test_b_s_files_lie_in_b_s_own_folder(two: Two) -> None:
    data = two.svc.ctx.settings.service.data_dir
    own = data / "mandanten" / B / "meetings"
    assert {p.name for p in own.iterdir()} == {two.b_meeting, two.b_draft}
    assert (own / two.b_meeting / "veroeffentlicht" / "niederschrift.pdf").is_file()
    assert list((own / two.b_draft / "recordings").iterdir())
    default = {p.name for p in (data / "meetings").iterdir()}
    assert two.a_meeting in default and not default & {two.b_meeting, two.b_draft}


def test_the_district_administrator_sees_no_meeting(two: Two) -> None:
    assert two.district.get("/api/meetings").json() == []
    for meeting_id in (two.a_meeting, two.b_meeting):
        assert two.district.get(f"/api/meetings/{meeting_id}").status_code == 404
    assert two.district.get(f"/api/jobs/{two.b_job}").status_code == 404
    assert two.district.get("/api/audit").status_code == 403
    assert two.district.get("/api/register").status_code == 403
    listed = {m["id"]: m for m in two.district.get("/api/kommunen").json()}
    assert set(listed) == {"standard", B} and listed[B]["users"] == 3
    page = two.district.get("/verwaltung/kommunen")
    assert page.status_code == 200 and "Stadt Olfen" in page.text and B_TITLE not in page.text
    assert (
        two.district.post("/api/meetings", json={"body": "Rat", "date": "2026-11-20"}).status_code
        == 403
    )


def test_a_switched_off_municipality_cannot_log_in(two: Two) -> None:
    response = two.district.patch(f"/api/kommunen/{B}", json={"active": False})
    assert response.status_code == 200, response.text
    try:
        assert two.b["pruefer"].get("/api/meetings").status_code == 401
        login = two.svc.new_client().post(
            "/api/auth/login", json={"username": "olfen-pruefer", "password": PASSWORD + "-neu"}
        )
        assert login.status_code == 401
        assert two.svc.client("anonymous").get(f"/kommunen/{B}/oparl/system").status_code == 404
    finally:
        response = two.district.patch(f"/api/kommunen/{B}", json={"active": True})
        assert response.status_code == 200
    assert two.b["pruefer"].get("/api/meetings").status_code == 200


def test_settings_a_municipality_may_not_set_are_refused_in_german(two: Two) -> None:
    response = two.district.patch(
        f"/api/kommunen/{B}", json={"settings": {"service": {"queue": "memory"}}}
    )
    assert response.status_code in (400, 422)
    assert "legt die Installation fest" in response.json()["detail"]
    response = two.district.patch(
        f"/api/kommunen/{B}", json={"settings": {"review": {"recording_retention_days": -1}}}
    )
    assert response.status_code in (400, 422)
    assert "recording_retention_days" in response.json()["detail"]
    response = two.district.post("/api/kommunen", json={"id": "A B", "name": "x"})
    assert response.status_code in (400, 422) and "Kürzel" in response.json()["detail"]


def test_audit_entries_name_their_municipality(two: Two) -> None:
    with two.svc.ctx.db.session() as s:
        entries = list(s.scalars(select(AuditEntry).where(AuditEntry.meeting_id == two.b_draft)))
        assert entries and {e.municipality_id for e in entries} == {B}
        assert audit.verify(s).ok


def _letterhead_template(path: Path, text: str) -> None:
    document = Document(str(DEFAULT_TEMPLATE))
    header = document.sections[0].header
    header.paragraphs[0].text = text
    path.parent.mkdir(parents=True, exist_ok=True)
    document.save(str(path))


def _header_text(content: bytes) -> str:
    document = Document(io.BytesIO(content))
    return " ".join(p.text for s in document.sections for p in s.header.paragraphs)


def test_each_municipality_writes_with_its_own_template(two: Two) -> None:
    data = two.svc.ctx.settings.service.data_dir
    _letterhead_template(
        data / "mandanten" / B / "vorlagen" / "niederschrift.docx", "Briefkopf der Stadt Olfen"
    )
    response = two.district.patch(
        f"/api/kommunen/{B}", json={"settings": {**B_SETTINGS, "minutes": {
            "template": "vorlagen/niederschrift.docx", "recorder": "Frau Olfen"}}},
    )  # fmt: skip
    assert response.status_code == 200, response.text
    url = "/api/meetings/{}/versions/1/documents/niederschrift.docx"
    b_doc = two.b["pruefer"].get(url.format(two.b_draft))
    a_doc = two.svc.client("pruefer").get(url.format(two.a_meeting))
    assert b_doc.status_code == 200 == a_doc.status_code
    assert "Briefkopf der Stadt Olfen" in _header_text(b_doc.content)
    assert "Olfen" not in _header_text(a_doc.content)
    # a job of B's (the worker) writes its draft with B's template, too
    rerun = two.b["schriftfuehrer"].post(f"/api/jobs/{two.b_job}/rerun", json={"stage": "minutes"})
    assert rerun.status_code == 202 and rerun.json()["state"] == "done", rerun.text
    out = two.b["pruefer"].get(f"/api/jobs/{two.b_job}/outputs/niederschrift.docx")
    assert out.status_code == 200 and "Briefkopf der Stadt Olfen" in _header_text(out.content)


def test_retention_follows_each_municipality_s_setting(two: Two) -> None:
    """Runs last in this module: it deletes B's remaining recording."""
    a_meeting = two.svc.create_meeting()["id"]
    a_recording = two.svc.upload(a_meeting)["id"]
    response = two.district.patch(
        f"/api/kommunen/{B}",
        json={"settings": {**B_SETTINGS, "review": {"recording_retention_days": 1}}},
    )
    assert response.status_code == 200, response.text
    soon = dt.datetime.now(dt.UTC) + dt.timedelta(days=2)
    assert retention.sweep_expired(two.svc.ctx, now=soon) == 1  # B's, after one day
    with two.svc.ctx.db.session() as s:
        assert s.get(Recording, two.b_recording).deleted_reason == "frist"
        assert s.get(Recording, a_recording).deleted_at is None  # A keeps 90 days
    late = dt.datetime.now(dt.UTC) + dt.timedelta(days=91)
    assert retention.sweep_expired(two.svc.ctx, now=late) == 1
    data = two.svc.ctx.settings.service.data_dir
    assert not list((data / "mandanten" / B / "meetings" / two.b_draft / "recordings").iterdir())
