"""User administration (`/api/users`, admins only): list the accounts, create one with its
roles, and change an account's name, roles, password or active flag."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from pydantic import BaseModel, Field

from protokoll.service.http.api.common import user_view
from protokoll.service.http.deps import DbDep, RowId, UserDep
from protokoll.service.usecases import accounts

router = APIRouter(prefix="/api", tags=["Benutzer"])


class UserBody(BaseModel):
    username: str = Field(max_length=64)
    display_name: str = Field(default="", max_length=200)
    password: str = Field(max_length=1000)
    roles: list[str]


class UserPatch(BaseModel):
    display_name: str | None = Field(default=None, max_length=200)
    roles: list[str] | None = None
    active: bool | None = None
    password: str | None = Field(default=None, max_length=1000)


@router.get("/users")
def list_users(user: UserDep, s: DbDep) -> list[Any]:
    return [user_view(u) for u in accounts.users_of(s, user)]


@router.post("/users", status_code=201)
def create_user(body: UserBody, user: UserDep, s: DbDep) -> dict[str, Any]:
    created = accounts.create_user(
        s, user, body.username, body.password, body.roles, body.display_name
    )
    return user_view(created)


@router.patch("/users/{user_id}")
def update_user(
    user_id: RowId,
    body: UserPatch,
    user: UserDep,
    s: DbDep,
) -> dict[str, Any]:
    target = accounts.update_user(
        s, user, user_id, roles=body.roles, active=body.active,
        display_name=body.display_name, password=body.password,
    )  # fmt: skip
    return user_view(target)
