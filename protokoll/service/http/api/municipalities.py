"""Municipalities (`/api/kommunen`, the district administrator only): list them, create one
with its first administrator, change its name, own settings or whether it is active."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from pydantic import BaseModel, Field
from sqlalchemy import func, select

from protokoll.service.http.api.common import user_view
from protokoll.service.http.deps import CtxDep, DbDep, UserDep
from protokoll.service.infra.tables import User
from protokoll.service.usecases import municipalities

router = APIRouter(prefix="/api", tags=["Kommunen"])


class MunicipalityBody(BaseModel):
    id: str = Field(max_length=40, description="Kürzel, benennt den Datenordner: „olfen“")
    name: str = Field(max_length=200)
    settings: dict[str, Any] = Field(
        default_factory=dict,
        description="eigene Abschnitte der config.toml: minutes, review, ai_register, oparl",
    )


class MunicipalityPatch(BaseModel):
    name: str | None = Field(default=None, max_length=200)
    settings: dict[str, Any] | None = None
    active: bool | None = None


class AdminBody(BaseModel):
    username: str = Field(max_length=64)
    display_name: str = Field(default="", max_length=200)
    password: str = Field(max_length=1000)


def _user_counts(s: DbDep) -> dict[str, int]:
    query = select(User.municipality_id, func.count()).group_by(User.municipality_id)
    return {str(key): int(n) for key, n in s.execute(query).all() if key is not None}


@router.get("/kommunen")
def list_municipalities(user: UserDep, s: DbDep) -> list[Any]:
    """Alle Kommunen der Installation (nur Kreisverwaltung); keine Sitzungsinhalte."""
    municipalities.require_district_admin(user)
    counts = _user_counts(s)
    return [
        municipalities.municipality_view(m, users=counts.get(m.id, 0))
        for m in municipalities.all_municipalities(s)
    ]


@router.post("/kommunen", status_code=201)
def create_municipality(
    body: MunicipalityBody, user: UserDep, ctx: CtxDep, s: DbDep
) -> dict[str, Any]:
    created = municipalities.create(s, ctx, user, body.id, body.name, body.settings)
    return municipalities.municipality_view(created, users=0)


@router.patch("/kommunen/{key}")
def update_municipality(
    key: str, body: MunicipalityPatch, user: UserDep, ctx: CtxDep, s: DbDep
) -> dict[str, Any]:
    changed = municipalities.update(
        s, ctx, user, key, name=body.name, settings=body.settings, active=body.active
    )
    return municipalities.municipality_view(changed, users=_user_counts(s).get(key, 0))


@router.post("/kommunen/{key}/verwaltung", status_code=201)
def create_municipality_admin(key: str, body: AdminBody, user: UserDep, s: DbDep) -> dict[str, Any]:
    """Die erste Verwaltung einer Kommune (einmaliges Passwort); sie legt die weiteren
    Konten ihrer Kommune selbst an."""
    created = municipalities.create_admin(
        s, user, key, body.username, body.password, body.display_name
    )
    return user_view(created)
