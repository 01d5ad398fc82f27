"""Defects found by probing the running service (issue #18), one test each.

Every test here failed on the code before its fix.
"""

from __future__ import annotations

import datetime as dt
import os
import socket
import stat
import struct
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import pytest
from fastapi.testclient import TestClient

from protokoll.service.infra import auth
from protokoll.service.infra.auth import REFUSED
from protokoll.service.infra.tables import AuditEntry, Recording
from tests.support.service import (
    PASSWORD,
    USERS,
    Service,
    running_service,
    sample_agenda_data,
)


@pytest.fixture
def service(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Service]:
    yield from running_service(tmp_path, monkeypatch)


OWNER = USERS["schriftfuehrer"][0]


def login(svc: Service, username: str, password: str = PASSWORD) -> tuple[int, str]:
    response = svc.client("anonymous").post(
        "/api/auth/login", json={"username": username, "password": password}
    )
    return response.status_code, response.json().get("detail", "")


# ---- 1. the login lockout -----------------------------------------------------------------


def test_parallel_wrong_passwords_all_count_and_lock_the_account(
    service: Service, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Wrong passwords sent at once must each count. Before, every request read the count,
    verified, and wrote count + 1: a burst of 12 left the count at 1, and the lock never
    engaged. Argon2 takes a while in production; the delay stands in for it here."""
    hasher = auth._hasher

    class SlowHasher:
        def verify(self, digest: str, password: str) -> bool:
            time.sleep(0.05)
            return hasher.verify(digest, password)

        def __getattr__(self, name: str) -> object:
            return getattr(hasher, name)

    monkeypatch.setattr(auth, "_hasher", SlowHasher())
    limit = service.ctx.settings.service.login_max_failures
    clients = [service.new_client() for _ in range(4 * limit)]
    start = threading.Barrier(len(clients))

    def attempt(client: TestClient) -> int:
        start.wait()
        body = {"username": OWNER, "password": "falsches-passwort"}
        return client.post("/api/auth/login", json=body).status_code

    with ThreadPoolExecutor(len(clients)) as pool:
        statuses = list(pool.map(attempt, clients))
    assert statuses == [401] * len(clients)
    user = service.user("schriftfuehrer")
    assert user.locked_until is not None and user.locked_until > dt.datetime.now(dt.UTC)
    assert login(service, OWNER) == (401, REFUSED)  # the right password: locked
    failures = service.count(AuditEntry, action="login.failed")
    assert failures == len(clients) + 1


# ---- 2. downloads of meetings with any name -----------------------------------------------


def filename_of(disposition: str) -> str:
    """The file name a browser takes from Content-Disposition (RFC 6266: filename* first)."""
    params = dict(part.strip().split("=", 1) for part in disposition.split(";")[1:] if "=" in part)
    if "filename*" in params:
        charset, _language, quoted = params["filename*"].split("'", 2)
        return unquote(quoted, encoding=charset)
    return params["filename"].strip('"')


@pytest.mark.parametrize(
    "body",
    ["Haupt- und Finanzausschuss – Sondersitzung", 'Rat „Nord“ "Süd" \\ Ausschuss', "Rat ☃"],
)
def test_downloads_work_for_any_meeting_name(service: Service, body: str) -> None:
    agenda: dict[str, Any] = sample_agenda_data()
    agenda["meeting"]["body"] = body
    meeting = service.create_meeting(agenda=agenda, body=body)
    service.upload(meeting["id"])
    job = service.start_job(meeting["id"])
    assert job["state"] == "done", job
    client = service.client("schriftfuehrer")
    base = f"/api/meetings/{meeting['id']}/versions/1/documents"
    for name in ("niederschrift.docx", "transcript.vtt"):
        response = client.get(f"{base}/{name}")
        assert response.status_code == 200, response.text
        disposition = response.headers["content-disposition"]
        disposition.encode("latin-1")  # a header must be encodable at all
        assert disposition.startswith("attachment;")
        name_seen = filename_of(disposition)
        german = {"niederschrift.docx": "Niederschrift", "transcript.vtt": "Untertitel"}[name]
        assert name_seen.endswith(f"_{german}_Fassung-1.{name.rpartition('.')[2]}")
        assert name_seen.startswith(f"{meeting['date']}_")
    outputs = client.get(f"/api/jobs/{job['id']}/outputs/niederschrift.docx")
    assert outputs.status_code == 200


# ---- 3. long file names -------------------------------------------------------------------


def wav_header_only() -> bytes:
    """A WAV file that declares 16 kHz mono PCM and holds no samples."""
    fmt = struct.pack("<HHIIHH", 1, 1, 16000, 32000, 2, 16)
    return (
        b"RIFF" + struct.pack("<I", 36) + b"WAVE"
        + b"fmt " + struct.pack("<I", 16) + fmt
        + b"data" + struct.pack("<I", 0)
    )  # fmt: skip


def wav_tone(seconds: float = 1.0) -> bytes:
    import io
    import wave

    import numpy as np

    t = np.arange(round(seconds * 16000)) / 16000
    pcm = (0.3 * np.sin(2 * np.pi * 220 * t) * 32767).astype("<i2").tobytes()
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as f:
        f.setnchannels(1)
        f.setsampwidth(2)
        f.setframerate(16000)
        f.writeframes(pcm)
    return buffer.getvalue()


def try_upload(svc: Service, meeting_id: str, data: bytes, name: str) -> Any:
    upload = svc.start_upload(meeting_id, data, name=name)
    client = svc.client("schriftfuehrer")
    assert client.put(f"/api/uploads/{upload['id']}", params={"offset": 0},
                      content=data).status_code == 200  # fmt: skip
    return upload, client.post(f"/api/uploads/{upload['id']}/complete")


def test_a_very_long_file_name_is_accepted_and_leaves_nothing_behind(service: Service) -> None:
    meeting = service.create_meeting()
    name = "€" * 196 + ".wav"  # 592 bytes in UTF-8: more than a file system allows
    upload, done = try_upload(service, meeting["id"], wav_tone(), name)
    assert done.status_code == 201, done.text
    recording = done.json()
    assert recording["name"].startswith("€€€") and recording["name"].endswith(".wav")
    # the stored file is named by its id, and no check folder is left over
    leftovers = [p.name for p in service.ctx.layout.uploads.iterdir()]
    assert leftovers == []
    stored = list(service.meeting_dir(meeting["id"]).glob("recordings/*"))
    assert [p.name for p in stored] == [f"{upload['id']}.wav"]


# ---- 6. numbers out of range --------------------------------------------------------------


HUGE = str(2**64)


@pytest.mark.parametrize(
    ("method", "path", "role"),
    [
        ("PATCH", "/api/users/{huge}", "admin"),
        ("GET", "/api/meetings/{meeting}/versions/{huge}", "schriftfuehrer"),
        ("GET", "/api/meetings/{meeting}/versions/{huge}/documents/transcript.vtt",
         "schriftfuehrer"),
        ("GET", "/api/audit?after={huge}", "admin"),
        ("DELETE", "/api/me/tokens/{huge}", "schriftfuehrer"),
    ],
)  # fmt: skip
def test_numbers_out_of_range_give_a_german_422(
    service: Service, method: str, path: str, role: str
) -> None:
    meeting = service.create_meeting()
    url = path.format(huge=HUGE, meeting=meeting["id"])
    response = service.client(role).request(method, url, json={} if method == "PATCH" else None)
    assert response.status_code == 422, response.text
    detail = response.json()["detail"]
    assert detail.startswith("Ungültige Angaben") and "darf höchstens" in detail, detail


def test_an_upload_offset_out_of_range_gives_a_german_422(service: Service) -> None:
    meeting = service.create_meeting()
    upload = service.start_upload(meeting["id"], wav_tone())
    response = service.client("schriftfuehrer").put(
        f"/api/uploads/{upload['id']}", params={"offset": HUGE}, content=b"x"
    )
    assert response.status_code == 422 and "darf höchstens" in response.json()["detail"]


# ---- 7. and 8. empty files ----------------------------------------------------------------


def test_an_empty_file_is_refused_in_german(service: Service) -> None:
    meeting = service.create_meeting()
    response = service.client("schriftfuehrer").post(
        f"/api/meetings/{meeting['id']}/uploads", json={"filename": "leer.wav", "size": 0}
    )
    assert response.status_code == 422, response.text
    assert "Die Datei ist leer" in response.json()["detail"]


def test_a_wav_without_samples_is_refused_at_upload(service: Service) -> None:
    meeting = service.create_meeting()
    _upload, done = try_upload(service, meeting["id"], wav_header_only(), "kopf.wav")
    assert done.status_code == 422, done.text
    assert "keine Tonaufnahme" in done.json()["detail"]
    assert service.count(Recording, meeting_id=meeting["id"]) == 0


def test_validation_problems_are_german(service: Service) -> None:
    meeting = service.create_meeting()
    response = service.client("schriftfuehrer").post(
        f"/api/meetings/{meeting['id']}/uploads", json={"size": "viel"}
    )
    detail = response.json()["detail"]
    assert response.status_code == 422
    assert "filename: fehlt" in detail and "size: muss eine ganze Zahl sein" in detail


# ---- 10. file permissions -----------------------------------------------------------------


def test_the_data_folder_is_the_services_alone(service: Service) -> None:
    layout = service.ctx.layout
    layout.data_dir.chmod(0o755)  # as an older version left it
    layout.ensure()
    for folder in (layout.data_dir, layout.uploads, layout.data_dir / "meetings"):
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700, folder


def test_service_commands_create_private_files(tmp_path: Path) -> None:
    """`protokoll users …` (like serve and worker) creates its database 0600."""
    root = Path(__file__).resolve().parents[2]
    env = dict(
        os.environ, PROTOKOLL_SERVICE__DATA_DIR=str(tmp_path / "daten"), PYTHONPATH=str(root)
    )
    env.pop("PROTOKOLL_CONFIG", None)
    done = subprocess.run(
        [sys.executable, "-m", "protokoll", "users", "list"],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    files = [p for p in (tmp_path / "daten").rglob("*") if p.is_file()]
    assert files, "no database was created"
    for path in files:
        assert stat.S_IMODE(path.stat().st_mode) & 0o077 == 0, path
    assert stat.S_IMODE((tmp_path / "daten").stat().st_mode) == 0o700


# ---- 11. roles and tokens -----------------------------------------------------------------


def test_the_first_start_account_administers_only(tmp_path: Path) -> None:
    from protokoll.service.bootstrap import build_context
    from protokoll.service.infra.tables import User
    from protokoll.service.serve import ensure_first_admin
    from tests.support.service import service_settings

    ctx = build_context(service_settings(tmp_path))
    try:
        assert ensure_first_admin(ctx)
        with ctx.db.session() as s:
            (admin,) = s.query(User).all()
            assert admin.role_set == {"admin"}  # reads no transcript, no minutes
            assert admin.must_change_password  # a one-time password
    finally:
        ctx.db.engine.dispose()


def test_a_one_time_password_opens_only_the_password_change(service: Service) -> None:
    """The first-start admin (and anyone whose password an admin gave) must set their own
    before anything else works: the API answers 403 in German, pages lead to the account."""
    password = "einmal-pw-erster-start"
    with service.ctx.db.session() as s:  # as ensure_first_admin creates it
        auth.create_user(s, "erster", password, ["admin"], "Administrator", one_time=True)
    client, csrf = service.login("erster", password)
    me = client.get("/api/me")
    assert me.status_code == 200 and me.json()["user"]["must_change_password"] is True
    for method, path in (("GET", "/api/users"), ("GET", "/api/meetings"),
                         ("POST", "/api/me/tokens"), ("GET", "/api/register")):  # fmt: skip
        r = client.request(method, path, headers={"X-CSRF-Token": csrf}, json={})
        assert r.status_code == 403, (path, r.status_code)
        assert "einmalige Passwort ändern" in r.json()["detail"]
    page = client.get("/verwaltung/benutzer", follow_redirects=False)
    assert page.status_code == 303
    assert page.headers["location"] == "/konto?hinweis=erst_passwort"
    account = client.get("/konto")
    assert account.status_code == 200 and "einmaliges Passwort" in account.text
    changed = client.post(
        "/api/me/password", headers={"X-CSRF-Token": csrf},
        json={"old_password": password, "new_password": "mein-eigenes-pw-9"},
    )  # fmt: skip
    assert changed.status_code == 200, changed.text
    assert client.get("/api/users").status_code == 200
    assert client.get("/api/me").json()["user"]["must_change_password"] is False


def test_passwords_an_admin_gives_are_one_time(service: Service) -> None:
    admin = service.client("admin")
    body = {"username": "neu", "password": "vom-admin-pw-1", "roles": ["schriftfuehrer"]}
    created = admin.post("/api/users", json=body)
    assert created.status_code == 201 and created.json()["must_change_password"] is True
    assert service.count(AuditEntry, action="user.created") >= 1
    newcomer, csrf = service.login("neu", "vom-admin-pw-1")
    assert newcomer.get("/api/meetings").status_code == 403
    own = {"old_password": "vom-admin-pw-1", "new_password": "eigenes-pw-neu-2"}
    newcomer.post("/api/me/password", headers={"X-CSRF-Token": csrf}, json=own)
    assert newcomer.get("/api/meetings").status_code == 200
    # a reset by an admin makes it one-time again
    user_id = created.json()["id"]
    reset = admin.patch(f"/api/users/{user_id}", json={"password": "reset-vom-admin-3"})
    assert reset.json()["must_change_password"] is True
    again, _csrf = service.login("neu", "reset-vom-admin-3")
    assert again.get("/api/meetings").status_code == 403


def test_an_admin_cannot_grant_themself_reviewing_rights(service: Service) -> None:
    admin = service.client("admin")
    own = service.user_ids["admin"]
    for roles in (["admin", "pruefer"], ["admin", "schriftfuehrer"]):
        response = admin.patch(f"/api/users/{own}", json={"roles": roles})
        assert response.status_code == 403 and "nicht selbst" in response.json()["detail"]
    assert service.user("admin").role_set == {"admin"}
    # a second administrator can, and it is audited
    body = {"username": "zweite", "password": "ein-langes-pw-1", "roles": ["admin"]}
    second = admin.post("/api/users", json=body)
    assert second.status_code in (200, 201), second.text
    other, csrf = service.login("zweite", "ein-langes-pw-1")
    own_password = {"old_password": "ein-langes-pw-1", "new_password": "zweites-pw-eigen"}
    assert other.post("/api/me/password", json=own_password,
                      headers={"X-CSRF-Token": csrf}).status_code == 200  # fmt: skip
    granted = other.patch(f"/api/users/{own}", json={"roles": ["admin", "pruefer"]},
                          headers={"X-CSRF-Token": csrf})  # fmt: skip
    assert granted.status_code == 200, granted.text
    assert service.count(AuditEntry, action="user.changed", actor="zweite") == 1


def test_a_password_change_revokes_the_users_api_tokens(service: Service) -> None:
    owner = service.client("schriftfuehrer")
    token = owner.post("/api/me/tokens", json={"name": "Skript"}).json()["token"]
    assert service.token_client(token).get("/api/me").status_code == 200
    changed = owner.post(
        "/api/me/password", json={"old_password": PASSWORD, "new_password": "ganz-neues-pw-2"}
    )
    assert changed.status_code in (200, 204), changed.text
    assert service.token_client(token).get("/api/me").status_code == 401
    # also when an administrator sets the password
    other, csrf = service.login(OWNER, "ganz-neues-pw-2")
    token = other.post("/api/me/tokens", json={"name": "Skript"},
                       headers={"X-CSRF-Token": csrf}).json()["token"]  # fmt: skip
    assert service.token_client(token).get("/api/me").status_code == 200
    reset = service.client("admin").patch(
        f"/api/users/{service.user_ids['schriftfuehrer']}", json={"password": "vom-admin-pw-3"}
    )
    assert reset.status_code == 200, reset.text
    assert service.token_client(token).get("/api/me").status_code == 401


# ---- 13. messages that say what happened --------------------------------------------------


def test_a_small_upload_is_not_called_zero_megabytes(service: Service) -> None:
    meeting = service.create_meeting()
    upload = service.start_upload(meeting["id"], b"x" * 5000, name="klein.wav")
    response = service.client("schriftfuehrer").post(f"/api/uploads/{upload['id']}/complete")
    assert response.status_code == 422
    detail = response.json()["detail"]
    assert "0 Byte von 4,9 KB" in detail and "0,0 MB" not in detail


def test_a_too_large_chunk_says_so(service: Service) -> None:
    meeting = service.create_meeting()
    chunk = service.ctx.settings.service.upload_chunk_mb * 1024**2
    data = b"\0" * (2 * max(chunk, 1 << 20) + 1)  # a chunk may be up to twice the size
    upload = service.start_upload(meeting["id"], data, name="gross.wav")
    response = service.client("schriftfuehrer").put(
        f"/api/uploads/{upload['id']}", params={"offset": 0}, content=data
    )
    assert response.status_code == 422
    assert "höchstens" in response.json()["detail"]
    assert "angekündigt" not in response.json()["detail"]


# ---- 9. a damaged database ----------------------------------------------------------------


@pytest.mark.parametrize(
    "content", [b"kein Datenbankinhalt " * 100, b"SQLite format 3\0" + b"\xff" * 4000]
)
def test_a_damaged_database_is_named_in_german(tmp_path: Path, content: bytes) -> None:
    data = tmp_path / "daten"
    data.mkdir()
    (data / "protokoll.db").write_bytes(content)
    root = Path(__file__).resolve().parents[2]
    env = dict(os.environ, PYTHONPATH=str(root))
    env["PROTOKOLL_SERVICE__DATA_DIR"] = str(data)
    env.pop("PROTOKOLL_CONFIG", None)
    done = subprocess.run(
        [sys.executable, "-m", "protokoll", "users", "list"],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert done.returncode != 0
    assert "Traceback" not in done.stderr
    assert str(data / "protokoll.db") in done.stderr
    assert "beschädigt oder keine SQLite-Datenbank" in done.stderr
    assert "Sicherung" in done.stderr
    assert (data / "protokoll.db").read_bytes() == content  # nothing was overwritten


# ---- 4. agenda addresses ------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "https://127.0.0.1:{port}/oparl/meeting/1",
        "https://127.0.0.1:{closed}/oparl/meeting/1",
        "https://localhost:{port}/",
        "https://169.254.169.254/latest/meta-data/",
        "https://[::1]:{port}/",
        "https://10.20.30.40/oparl",
    ],
)
def test_agenda_addresses_on_the_servers_network_are_refused_alike(
    service: Service, url: str
) -> None:
    listening = socket.socket()
    listening.bind(("127.0.0.1", 0))
    listening.listen()
    closed = socket.socket()
    closed.bind(("127.0.0.1", 0))
    closed_port = closed.getsockname()[1]
    closed.close()
    try:
        url = url.format(port=listening.getsockname()[1], closed=closed_port)
        response = service.client("schriftfuehrer").post(
            "/api/meetings", json={"body": "Rat", "date": "2026-11-19", "oparl_url": url}
        )
    finally:
        listening.close()
    assert response.status_code == 422, response.text
    detail = response.json()["detail"].replace(url, "URL")
    assert detail == (
        "Von „URL“ konnte keine OParl-Sitzung geladen werden. Bitte prüfen, ob die Adresse "
        "mit https:// beginnt, auf eine Sitzung (Meeting) eines öffentlich erreichbaren "
        "Ratsinformationssystems zeigt und der Server antwortet; sonst die Tagesordnung als "
        "Datei hochladen."
    )


def test_plain_http_agenda_addresses_are_refused(service: Service) -> None:
    response = service.client("schriftfuehrer").post(
        "/api/meetings",
        json={"body": "Rat", "date": "2026-11-19", "oparl_url": "http://ris.example/m/1"},
    )
    assert response.status_code == 422
    assert "https://" in response.json()["detail"]


# ---- 5. an audit log that survives someone with database access ---------------------------


@pytest.fixture
def sealed(tmp_path: Path) -> Iterator[Any]:
    """A service context with 12 audit entries, the head anchored outside the database."""
    from protokoll.service.bootstrap import build_context
    from protokoll.service.infra import audit
    from tests.support.service import service_settings

    ctx = build_context(service_settings(tmp_path))
    for i in range(12):
        with ctx.db.session() as s:
            audit.record(s, "test.eintrag", kind="system", details={"i": i})
    with ctx.db.session() as s:
        assert audit.seal(s).ok
    yield ctx
    ctx.db.engine.dispose()


def _with_triggers_dropped(ctx: Any, *statements: str) -> None:
    import sqlite3

    conn = sqlite3.connect(str(ctx.settings.service.data_dir / "protokoll.db"))
    conn.execute("DROP TRIGGER IF EXISTS audit_log_no_update")
    conn.execute("DROP TRIGGER IF EXISTS audit_log_no_delete")
    for statement in statements:
        conn.execute(statement)
    conn.commit()
    conn.close()


def _verify(ctx: Any) -> Any:
    from protokoll.service.infra import audit

    with ctx.db.session() as s:
        return audit.verify(s)


def test_audit_tail_removed_and_head_rewound_is_detected(sealed: Any) -> None:
    import sqlite3

    conn = sqlite3.connect(str(sealed.settings.service.data_dir / "protokoll.db"))
    prev = conn.execute("SELECT hash FROM audit_log WHERE seq = 11").fetchone()[0]
    conn.close()
    _with_triggers_dropped(
        sealed,
        "DELETE FROM audit_log WHERE seq = 12",
        f"UPDATE audit_head SET seq = 11, hash = '{prev}' WHERE id = 1",
    )
    result = _verify(sealed)
    assert not result.ok and result.first_broken == 12
    assert "Anker" in result.reason and "Einträge fehlen" in result.reason


def test_audit_history_rewritten_with_all_later_hashes_is_detected(sealed: Any) -> None:
    """Someone alters entry 5 and recomputes every later hash and the head: without the
    key outside the database the recomputed hashes are not the keyed ones."""
    import sqlite3

    from protokoll.service.infra import audit

    db = str(sealed.settings.service.data_dir / "protokoll.db")
    _with_triggers_dropped(sealed)
    conn = sqlite3.connect(db)
    rows = conn.execute(
        "SELECT seq, at, kind, action, actor_id, actor, meeting_id, job_id, details, prev_hash "
        "FROM audit_log ORDER BY seq"
    ).fetchall()
    prev = audit.GENESIS
    for seq, at, kind, action, actor_id, actor, meeting_id, job_id, details, _ in rows:
        if seq == 5:
            details = '{"i":99}'
        when = dt.datetime.fromisoformat(at).replace(tzinfo=dt.UTC)
        digest = audit.entry_hash(
            seq=seq, at=when, kind=kind, action=action, actor_id=actor_id, actor=actor,
            meeting_id=meeting_id, job_id=job_id, details=details, prev_hash=prev,
        )  # fmt: skip
        conn.execute(
            "UPDATE audit_log SET details = ?, prev_hash = ?, hash = ? WHERE seq = ?",
            (details, prev, digest, seq),
        )
        prev = digest
    conn.execute("UPDATE audit_head SET hash = ? WHERE id = 1", (prev,))
    conn.commit()
    conn.close()
    result = _verify(sealed)
    assert not result.ok and result.first_broken is not None and result.first_broken <= 5


def test_audit_database_replaced_by_an_empty_one_is_detected(sealed: Any) -> None:
    from protokoll.service.bootstrap import build_context

    data_dir = sealed.settings.service.data_dir
    sealed.db.engine.dispose()
    for name in ("protokoll.db", "protokoll.db-wal", "protokoll.db-shm"):
        (data_dir / name).unlink(missing_ok=True)
    (data_dir / "protokoll.db").write_bytes(b"")
    fresh = build_context(sealed.settings)  # the service starts on the empty database
    try:
        result = _verify(fresh)
    finally:
        fresh.db.engine.dispose()
    assert not result.ok
    assert "0 Einträge geprüft" not in result.message()
    assert "Einträge fehlen" in result.reason


def test_audit_verify_says_what_it_proves(sealed: Any) -> None:
    result = _verify(sealed)
    assert result.ok and result.keyed and result.anchors == 1
    message = result.message()
    assert "12 Einträge geprüft" in message and f"Kopf Nr. 12 {result.head_hash}" in message
    assert "Schlüssel außerhalb der Datenbank" in message and "Nicht beweisbar" in message
    key = sealed.settings.service.data_dir / "audit.key"
    assert stat.S_IMODE(key.stat().st_mode) == 0o600
