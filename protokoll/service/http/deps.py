"""Request plumbing shared by the API and the web pages: database session, current user."""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, HTTPException, Path, Request
from sqlalchemy.orm import Session

from protokoll.service.context import ServiceContext
from protokoll.service.infra import auth
from protokoll.service.infra.tables import User

# integers the database can hold (BIGINT); a larger one in a path or query is a German 422,
# not an overflow deep in the database driver
MAX_DB_INT = 2**63 - 1
RowId = Annotated[int, Path(ge=1, le=MAX_DB_INT)]

SESSION_COOKIE = "protokoll_sitzung"
CSRF_HEADER = "X-CSRF-Token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
# all that a user with a one-time password can do: change it, and log out
ONE_TIME_ALLOWED = frozenset({
    ("GET", "/api/me"), ("HEAD", "/api/me"), ("POST", "/api/me/password"),
    ("POST", "/api/auth/logout"), ("GET", "/konto"), ("HEAD", "/konto"),
    ("POST", "/konto/passwort"), ("POST", "/abmelden"),
})  # fmt: skip
PASSWORD_FIRST = (
    "Bitte zuerst das einmalige Passwort ändern (Konto → Passwort ändern); erst danach ist "
    "alles andere erreichbar."
)


def get_ctx(request: Request) -> ServiceContext:
    ctx: ServiceContext = request.app.state.ctx
    return ctx


def get_db(request: Request) -> Iterator[Session]:
    ctx = get_ctx(request)
    with ctx.db.session() as session:
        yield session


CtxDep = Annotated[ServiceContext, Depends(get_ctx)]
DbDep = Annotated[Session, Depends(get_db, scope="function")]


@dataclass
class Caller:
    user: User
    csrf_token: str | None  # None for API tokens (no cookie, so no CSRF risk)


def identify(request: Request, s: Session) -> Caller | None:
    """The caller by API token (`Authorization: Bearer`) or by session cookie."""
    header = request.headers.get("authorization", "")
    if header.lower().startswith("bearer "):
        user = auth.user_for_api_token(s, header[7:].strip())
        return Caller(user, None) if user else None
    token = request.cookies.get(SESSION_COOKIE)
    if not token:
        return None
    found = auth.session_for(s, token)
    if found is None:
        return None
    return Caller(found[0], found[1].csrf_token)


def check_csrf(request: Request, caller: Caller, form_token: str | None = None) -> None:
    """Cookie-authenticated changes must carry the session's CSRF token."""
    if caller.csrf_token is None or request.method in SAFE_METHODS:
        return
    sent = form_token or request.headers.get(CSRF_HEADER, "")
    if not secrets.compare_digest(sent, caller.csrf_token):
        raise HTTPException(
            403, "Sicherheitsprüfung fehlgeschlagen (CSRF). Bitte die Seite neu laden."
        )


def require_own_password(request: Request, caller: Caller) -> None:
    """A one-time password opens only the password change: the API answers 403, a page
    sends the browser to the account page."""
    if not caller.user.must_change_password:
        return
    if (request.method, request.url.path) in ONE_TIME_ALLOWED:
        return
    if request.url.path.startswith("/api/"):
        raise HTTPException(403, PASSWORD_FIRST)
    raise HTTPException(303, PASSWORD_FIRST, headers={"Location": "/konto?hinweis=erst_passwort"})


def api_caller(request: Request, s: DbDep) -> Caller:
    caller = identify(request, s)
    if caller is None:
        raise HTTPException(
            401, "Bitte anmelden.", headers={"WWW-Authenticate": 'Bearer realm="protokoll"'}
        )
    check_csrf(request, caller)
    require_own_password(request, caller)
    return caller


def api_user(caller: CallerDep) -> User:
    return caller.user


CallerDep = Annotated[Caller, Depends(api_caller)]
UserDep = Annotated[User, Depends(api_user)]
