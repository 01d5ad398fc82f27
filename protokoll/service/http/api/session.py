"""Login, logout and the caller's own account (`/api/auth/...`, `/api/me/...`): the session
cookie with its CSRF token, changing one's own password, and one's own API tokens for scripts.
The cookie helper `set_session_cookie` is shared with the web pages' login."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, HTTPException, Request, Response
from pydantic import BaseModel, Field
from sqlalchemy import select

from protokoll.service.context import ServiceContext
from protokoll.service.http.api.common import user_view
from protokoll.service.http.deps import (
    SESSION_COOKIE,
    CallerDep,
    CtxDep,
    DbDep,
    RowId,
    UserDep,
)
from protokoll.service.infra import auth
from protokoll.service.infra.tables import ApiToken
from protokoll.service.usecases import accounts

router = APIRouter(prefix="/api", tags=["Anmeldung"])


class LoginBody(BaseModel):
    username: str = Field(max_length=64)
    password: str = Field(max_length=1000)


class PasswordBody(BaseModel):
    old_password: str = Field(max_length=1000)
    new_password: str = Field(max_length=1000)


class TokenBody(BaseModel):
    name: str = Field(default="API", max_length=200)


@router.post("/auth/login")
def login(
    body: LoginBody,
    response: Response,
    ctx: CtxDep,
    s: DbDep,
) -> dict[str, Any]:
    """Anmelden; setzt das Sitzungs-Cookie und liefert das CSRF-Token für Änderungen."""
    try:
        user, token, record = accounts.log_in(s, ctx.settings.service, body.username, body.password)
    except auth.AuthError as exc:
        raise HTTPException(401, str(exc)) from None
    set_session_cookie(response, ctx, token)
    return {"user": user_view(user), "csrf_token": record.csrf_token}


def set_session_cookie(response: Response, ctx: ServiceContext, token: str) -> None:
    service = ctx.settings.service
    response.set_cookie(
        SESSION_COOKIE,
        token,
        max_age=int(service.session_hours * 3600),
        httponly=True,
        samesite="strict",
        secure=service.mode == "produktion",
        path="/",
    )


@router.post("/auth/logout")
def logout(
    request: Request,
    response: Response,
    _caller: CallerDep,
    s: DbDep,
) -> dict[str, str]:
    accounts.log_out(s, _caller.user, request.cookies.get(SESSION_COOKIE))
    response.delete_cookie(SESSION_COOKIE, path="/")
    return {"status": "abgemeldet"}


@router.get("/me")
def me(caller: CallerDep) -> dict[str, Any]:
    return {"user": user_view(caller.user), "csrf_token": caller.csrf_token}


@router.post("/me/password")
def change_password(
    body: PasswordBody,
    request: Request,
    ctx: CtxDep,
    user: UserDep,
    s: DbDep,
) -> dict[str, str]:
    accounts.change_own_password(
        s, ctx.settings.service, user, body.old_password, body.new_password,
        keep_token=request.cookies.get(SESSION_COOKIE),
    )  # fmt: skip
    return {"status": "Passwort geändert"}


@router.get("/me/tokens")
def list_tokens(user: UserDep, s: DbDep) -> list[Any]:
    tokens = s.scalars(select(ApiToken).where(ApiToken.user_id == user.id, ~ApiToken.revoked))
    return [
        {"id": t.id, "name": t.name, "created_at": t.created_at.isoformat(),
         "last_used_at": t.last_used_at.isoformat() if t.last_used_at else None}
        for t in tokens
    ]  # fmt: skip


@router.post("/me/tokens", status_code=201)
def create_token(body: TokenBody, user: UserDep, s: DbDep) -> dict[str, Any]:
    """Ein API-Token für Skripte; es wird nur dieses eine Mal angezeigt."""
    token, record = accounts.create_token(s, user, body.name)
    return {"id": record.id, "name": record.name, "token": token}


@router.delete("/me/tokens/{token_id}")
def revoke_token(token_id: RowId, user: UserDep, s: DbDep) -> dict[str, str]:
    accounts.revoke_token(s, user, token_id)
    return {"status": "widerrufen"}
