"""Accounts, sessions, CSRF, API tokens, lockout and password rules, through the API."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select, update

from protokoll.service.http.deps import SESSION_COOKIE
from protokoll.service.infra.auth import REFUSED, token_digest
from protokoll.service.infra.tables import ApiToken, AuthSession, User
from tests.support.service import (
    PASSWORD,
    USERS,
    Service,
    make_service,
    running_service,
    sample_agenda_data,
)


@pytest.fixture
def service(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Service]:
    yield from running_service(tmp_path, monkeypatch)


OWNER = USERS["schriftfuehrer"][0]
WRONG = REFUSED


def login(svc: Service, username: str, password: str = PASSWORD) -> tuple[int, str]:
    response = svc.client("anonymous").post(
        "/api/auth/login", json={"username": username, "password": password}
    )
    return response.status_code, response.json().get("detail", "")


def sessions_of(svc: Service, role: str) -> int:
    return svc.count(AuthSession, user_id=svc.user_ids[role])


# ---- sessions and CSRF -------------------------------------------------------------------


def test_login_sets_a_hardened_session_cookie(service: Service) -> None:
    client = service.new_client()
    response = client.post(
        "/api/auth/login", json={"username": " Schreiber ", "password": PASSWORD}
    )
    assert response.status_code == 200, response.text
    assert response.json()["user"]["roles"] == ["schriftfuehrer"]
    cookie = response.headers["set-cookie"]
    assert cookie.startswith(f"{SESSION_COOKIE}=")
    for attribute in ("HttpOnly", "SameSite=strict", "Path=/", "Max-Age=36000"):
        assert attribute.lower() in cookie.lower(), attribute
    assert "secure" not in cookie.lower()  # mode "lokal": plain HTTP on one machine
    value = client.cookies[SESSION_COOKIE]
    with service.ctx.db.session() as s:
        hashes = set(s.scalars(select(AuthSession.token_hash)))
    assert token_digest(value) in hashes and value not in hashes  # only the hash is stored
    me = client.get("/api/me").json()
    assert me["user"]["username"] == OWNER
    assert me["csrf_token"] == response.json()["csrf_token"]


def test_session_cookie_is_secure_in_production(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    svc = make_service(tmp_path, monkeypatch, mode="produktion")
    try:
        response = svc.new_client().post(
            "/api/auth/login", json={"username": OWNER, "password": PASSWORD}
        )
        assert response.status_code == 200
        assert "secure" in response.headers["set-cookie"].lower()
    finally:
        svc.close()


def test_cookie_changes_need_the_sessions_csrf_token(service: Service) -> None:
    without = service.client("cookie_no_csrf")
    assert without.get("/api/me").status_code == 200  # reading needs no token
    refused = without.post("/api/me/tokens", json={"name": "x"})
    assert refused.status_code == 403
    assert refused.json()["detail"].startswith("Sicherheitsprüfung fehlgeschlagen (CSRF)")
    wrong = without.post("/api/me/tokens", json={"name": "x"}, headers={"X-CSRF-Token": "falsch"})
    assert wrong.status_code == 403
    # another session's token does not fit either
    foreign = without.post(
        "/api/me/tokens", json={"name": "x"}, headers={"X-CSRF-Token": service.csrf}
    )
    assert foreign.status_code == 403
    assert service.count(ApiToken, user_id=service.user_ids["schriftfuehrer"]) == 1
    created = service.client("cookie").post("/api/me/tokens", json={"name": "x"})
    assert created.status_code == 201
    meeting = service.client("cookie").post(
        "/api/meetings", json={"body": "Rat", "date": "2026-11-19"}
    )
    assert meeting.status_code == 201


def test_api_token_needs_no_csrf_and_an_invalid_token_is_not_replaced_by_the_cookie(
    service: Service,
) -> None:
    assert service.client("schriftfuehrer").post("/api/me/tokens", json={}).status_code == 201
    client = service.client("cookie")
    response = client.get("/api/me", headers={"Authorization": "Bearer pk_erfunden"})
    assert response.status_code == 401
    assert client.get("/api/me").status_code == 200


def test_logout_ends_the_session_on_the_server(service: Service) -> None:
    client = service.client("cookie")
    value = client.cookies[SESSION_COOKIE]
    before = sessions_of(service, "schriftfuehrer")
    response = client.post("/api/auth/logout")
    assert response.status_code == 200 and response.json() == {"status": "abgemeldet"}
    assert f"{SESSION_COOKIE}=" in response.headers["set-cookie"]
    assert sessions_of(service, "schriftfuehrer") == before - 1
    replay = service.new_client()
    replay.cookies.set(SESSION_COOKIE, value)
    assert replay.get("/api/me").status_code == 401
    assert service.client("cookie_no_csrf").get("/api/me").status_code == 200  # other session


def test_expired_session_is_refused(service: Service) -> None:
    with service.ctx.db.session() as s:
        s.execute(
            update(AuthSession).values(expires_at=dt.datetime.now(dt.UTC) - dt.timedelta(seconds=1))
        )
    assert service.client("cookie").get("/api/me").status_code == 401
    assert service.client("schriftfuehrer").get("/api/me").status_code == 200  # token


# ---- login failures ----------------------------------------------------------------------


def test_login_is_locked_after_too_many_wrong_passwords(service: Service) -> None:
    limit = service.ctx.settings.service.login_max_failures
    assert limit == 3
    for _ in range(limit):
        assert login(service, OWNER, "falsches-passwort") == (401, WRONG)
    status, detail = login(service, OWNER)  # the right password, but locked now
    # the same answer as for a wrong password or an unknown name: no probing of names
    assert (status, detail) == (401, WRONG)
    assert "einige Minuten gesperrt" in detail
    user = service.user("schriftfuehrer")
    assert user.locked_until is not None and user.locked_until > dt.datetime.now(dt.UTC)
    # tokens and sessions already given out keep working: the lock is about passwords
    assert service.client("schriftfuehrer").get("/api/me").status_code == 200
    # the lock ends after login_lockout_s
    with service.ctx.db.session() as s:
        s.execute(
            update(User)
            .where(User.id == service.user_ids["schriftfuehrer"])
            .values(locked_until=dt.datetime.now(dt.UTC) - dt.timedelta(seconds=1))
        )
    assert login(service, OWNER)[0] == 200
    assert service.user("schriftfuehrer").failed_logins == 0


def test_a_successful_login_resets_the_failure_count(service: Service) -> None:
    for _ in range(2):
        assert login(service, OWNER, "falsch-falsch")[0] == 401
    assert service.user("schriftfuehrer").failed_logins == 2
    assert login(service, OWNER)[0] == 200
    for _ in range(2):
        assert login(service, OWNER, "falsch-falsch")[0] == 401
    assert login(service, OWNER)[0] == 200


def test_unknown_user_and_wrong_password_look_the_same(service: Service) -> None:
    assert login(service, "niemand") == login(service, OWNER, "falsches-passwort") == (401, WRONG)
    empty = service.client("anonymous").post("/api/auth/login", json={"username": OWNER})
    assert empty.status_code == 422 and "password" in empty.json()["detail"]


# ---- API tokens ----------------------------------------------------------------------------


def test_revoked_api_token_is_refused(service: Service) -> None:
    owner = service.client("schriftfuehrer")
    created = owner.post("/api/me/tokens", json={"name": "Skript Ratsinfo"}).json()
    token_client = service.token_client(created["token"])
    assert token_client.get("/api/me").status_code == 200
    with service.ctx.db.session() as s:
        record = s.get(ApiToken, created["id"])
        assert record is not None
        assert record.token_hash == token_digest(created["token"]) != created["token"]
        assert record.last_used_at is not None
    names = [t["name"] for t in owner.get("/api/me/tokens").json()]
    assert names == ["Tests", "Skript Ratsinfo"]
    assert token_client.delete(f"/api/me/tokens/{created['id']}").status_code == 200
    refused = token_client.get("/api/me")
    assert refused.status_code == 401 and refused.json()["detail"] == "Bitte anmelden."
    assert [t["name"] for t in owner.get("/api/me/tokens").json()] == ["Tests"]
    assert owner.delete("/api/me/tokens/999999").status_code == 404


# ---- users (admin) ---------------------------------------------------------------------------


def test_deactivated_user_is_refused_and_their_sessions_end(service: Service) -> None:
    target = service.user_ids["schriftfuehrer"]
    assert sessions_of(service, "schriftfuehrer") == 2
    admin = service.client("admin")
    response = admin.patch(f"/api/users/{target}", json={"active": False})
    assert response.status_code == 200 and response.json()["active"] is False
    assert sessions_of(service, "schriftfuehrer") == 0
    for role in ("schriftfuehrer", "cookie", "cookie_no_csrf"):
        assert service.client(role).get("/api/me").status_code == 401, role
    assert login(service, OWNER) == (401, WRONG)
    listed = {u["username"]: u["active"] for u in admin.get("/api/users").json()}
    assert listed[OWNER] is False
    assert service.client("schriftfuehrer2").get("/api/me").status_code == 200
    assert admin.patch(f"/api/users/{target}", json={"active": True}).status_code == 200
    assert login(service, OWNER)[0] == 200
    assert service.client("schriftfuehrer").get("/api/me").status_code == 200


def test_admin_cannot_lock_out_themself(service: Service) -> None:
    admin = service.client("admin")
    own = service.user_ids["admin"]
    lock = admin.patch(f"/api/users/{own}", json={"active": False})
    assert lock.status_code == 409 and "eigene Konto" in lock.json()["detail"]
    demote = admin.patch(f"/api/users/{own}", json={"roles": ["pruefer"]})
    assert demote.status_code == 409 and "Verwaltungsrolle" in demote.json()["detail"]
    assert service.user("admin").active and service.user("admin").roles == "admin"
    both = admin.patch(f"/api/users/{own}", json={"roles": ["pruefer", "admin"]})
    assert both.status_code == 403 and "nicht selbst" in both.json()["detail"]
    assert service.user("admin").roles == "admin"


def test_role_changes_are_checked(service: Service) -> None:
    admin = service.client("admin")
    target = service.user_ids["pruefer"]
    for roles in ([], ["chef"]):
        response = admin.patch(f"/api/users/{target}", json={"roles": roles})
        assert (
            response.status_code == 422
            and "Erlaubte Rollen: Schriftführung" in response.json()["detail"]
        )
    assert admin.patch("/api/users/999999", json={"display_name": "x"}).status_code == 404
    promoted = admin.patch(f"/api/users/{target}", json={"roles": ["schriftfuehrer", "pruefer"]})
    assert promoted.status_code == 200
    assert service.client("pruefer").post(
        "/api/meetings", json={"body": "Rat", "date": "2026-11-19"}
    ).status_code == 201  # fmt: skip


def test_create_user_checks_name_roles_and_password(service: Service) -> None:
    admin = service.client("admin")

    def create(
        username: str, password: str = PASSWORD, roles: list[str] | None = None
    ) -> tuple[int, str]:
        response = admin.post(
            "/api/users",
            json={"username": username, "password": password, "roles": roles or ["pruefer"]},
        )
        return response.status_code, response.json().get("detail", "")

    status, detail = create("kurz", "zu-kurz")
    assert status == 400 and "mindestens 10 Zeichen" in detail
    status, detail = create("Schreiber")  # names are case-insensitive
    assert status == 400 and "gibt es bereits" in detail
    status, detail = create("mit leerzeichen")
    assert status == 400 and "Benutzername" in detail
    status, detail = create("neu", roles=["chef"])
    assert status == 422 and "chef" in detail and "Erlaubte Rollen: Schriftführung" in detail
    assert service.count(User) == 4
    status, _ = create("Neue.Pruefung")
    assert status == 201
    assert login(service, "neue.pruefung")[0] == 200


def test_change_own_password(service: Service) -> None:
    client = service.client("schriftfuehrer")
    short = client.post("/api/me/password", json={"old_password": PASSWORD, "new_password": "kurz"})
    assert short.status_code == 400 and "mindestens 10 Zeichen" in short.json()["detail"]
    assert login(service, OWNER)[0] == 200
    wrong_old = client.post(
        "/api/me/password", json={"old_password": "falsch-falsch", "new_password": "x" * 12}
    )
    assert wrong_old.status_code == 403
    assert wrong_old.json()["detail"] == "Das bisherige Passwort ist falsch."
    assert service.user("schriftfuehrer").failed_logins == 1  # counts towards the lock
    changed = client.post(
        "/api/me/password", json={"old_password": PASSWORD, "new_password": "Neues-Passwort-1"}
    )
    assert changed.status_code == 200
    assert login(service, OWNER)[0] == 401
    assert login(service, OWNER, "Neues-Passwort-1")[0] == 200


def test_admin_sets_a_password_and_ends_the_users_sessions(service: Service) -> None:
    admin = service.client("admin")
    target = service.user_ids["schriftfuehrer"]
    short = admin.patch(f"/api/users/{target}", json={"password": "kurz"})
    assert short.status_code == 400 and "mindestens 10 Zeichen" in short.json()["detail"]
    assert sessions_of(service, "schriftfuehrer") == 2
    reset = admin.patch(f"/api/users/{target}", json={"password": "Vom-Admin-gesetzt"})
    assert reset.status_code == 200
    assert sessions_of(service, "schriftfuehrer") == 0
    assert service.client("cookie").get("/api/me").status_code == 401
    assert login(service, OWNER)[0] == 401
    assert login(service, OWNER, "Vom-Admin-gesetzt")[0] == 200


# ---- roles in combination ----------------------------------------------------------------


def test_schriftfuehrer_who_is_also_pruefer_reads_but_does_not_change_others_meetings(
    service: Service,
) -> None:
    meeting = service.create_meeting("schriftfuehrer2", agenda=sample_agenda_data())
    recording = service.upload(meeting["id"], role="schriftfuehrer2")
    admin = service.client("admin")
    admin.patch(
        f"/api/users/{service.user_ids['schriftfuehrer']}",
        json={"roles": ["schriftfuehrer", "pruefer"]},
    )
    client = service.client("schriftfuehrer")
    view = client.get(f"/api/meetings/{meeting['id']}").json()
    assert view["permissions"] == {"modify": False, "delete": False, "confidential": True}
    assert [r["id"] for r in view["recordings"]] == [recording["id"]]
    assert client.post(f"/api/meetings/{meeting['id']}/jobs", json={}).status_code == 403
    assert client.delete(f"/api/meetings/{meeting['id']}").status_code == 403
