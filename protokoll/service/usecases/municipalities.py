"""Municipalities (Mandanten): one installation serves several, whose data never mix.

Each municipality has its own users, meetings, files (`Layout.tenant`), audit entries and
register entry, and may override these sections of config.toml (its letterhead and
template, review and retention rules, register and OParl texts): `TENANT_SECTIONS`.
Everything else (models, queue, database) is the installation's.

A district administrator (role kreisadmin, no municipality) creates and changes
municipalities and their first administrator; they see no meeting of any of them.
A single-municipality installation has only the default municipality and notices none
of this.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from protokoll.errors import InputError
from protokoll.service.context import ServiceContext
from protokoll.service.infra import audit, auth, tenancy
from protokoll.service.infra.storage import MUNICIPALITY_KEY
from protokoll.service.infra.tables import DEFAULT_MUNICIPALITY, Municipality, User, utcnow
from protokoll.service.infra.tenancy import settings_for
from protokoll.service.usecases import access
from protokoll.service.usecases.access import Conflict, NotFound


def require_district_admin(user: User) -> None:
    access.require(
        access.can_manage_municipalities(user),
        "Kommunen verwaltet nur die Kreisverwaltung.",
    )


def _check(ctx: ServiceContext, key: str, overrides: Mapping[str, Any]) -> None:
    """Valid settings, and a template that is there (a job would fail on it later)."""
    own = settings_for(ctx.settings, overrides, ctx.layout.tenant(key).root)
    template = own.minutes.template
    if (overrides.get("minutes") or {}).get("template") and not (template and template.is_file()):
        raise InputError(
            f"Die Vorlage {template} gibt es nicht: bitte die DOCX-Datei zuerst in den Ordner "
            f"der Kommune legen ({ctx.layout.tenant(key).root}/vorlagen/)."
        )


def get(s: Session, municipality_id: str) -> Municipality:
    found = s.get(Municipality, municipality_id)
    if found is None:
        raise NotFound("Diese Kommune gibt es nicht.")
    return found


def scoped(ctx: ServiceContext, s: Session, municipality_id: str) -> ServiceContext:
    """The context for one municipality's meetings: its settings and its folder."""
    layout = ctx.layout.tenant(municipality_id)
    settings = tenancy.settings_of(s, ctx.settings, municipality_id, layout.root)
    return dataclasses.replace(ctx, settings=settings, layout=layout)


def all_municipalities(s: Session) -> list[Municipality]:
    return list(s.scalars(select(Municipality).order_by(Municipality.name)))


def create(
    s: Session,
    ctx: ServiceContext,
    actor: User,
    key: str,
    name: str,
    settings: Mapping[str, Any] | None = None,
) -> Municipality:
    require_district_admin(actor)
    key = key.strip().lower()
    if not MUNICIPALITY_KEY.fullmatch(key):
        raise InputError(
            "Das Kürzel der Kommune: 3 bis 40 Kleinbuchstaben, Ziffern oder Bindestriche, "
            "z. B. „olfen“ oder „nordkirchen“. Es benennt den Ordner ihrer Daten und lässt "
            "sich später nicht ändern."
        )
    if s.get(Municipality, key) is not None:
        raise Conflict(f"Die Kommune „{key}“ gibt es bereits.")
    name = name.strip()
    if not name:
        raise InputError("Bitte den Namen der Kommune angeben, z. B. „Stadt Olfen“.")
    overrides = dict(settings or {})
    _check(ctx, key, overrides)
    found = Municipality(id=key, name=name[:200], settings=overrides, active=True)
    s.add(found)
    s.flush()
    ctx.layout.tenant(key).ensure()
    audit.record(
        s, "municipality.created", user=actor, municipality_id=key,
        details={"municipality": key, "name": found.name, "settings": sorted(overrides)},
    )  # fmt: skip
    return found


def update(
    s: Session,
    ctx: ServiceContext,
    actor: User,
    key: str,
    *,
    name: str | None = None,
    settings: Mapping[str, Any] | None = None,
    active: bool | None = None,
) -> Municipality:
    require_district_admin(actor)
    found = get(s, key)
    changes: dict[str, Any] = {}
    if name is not None and name.strip():
        found.name = name.strip()[:200]
        changes["name"] = found.name
    if settings is not None:
        _check(ctx, key, settings)
        found.settings = dict(settings)
        changes["settings"] = sorted(settings)
    if active is not None:
        if not active and key == DEFAULT_MUNICIPALITY:
            raise Conflict("Die Standard-Kommune lässt sich nicht abschalten.")
        found.active = active
        changes["active"] = active
    found.updated_at = utcnow()
    audit.record(
        s, "municipality.changed", user=actor, municipality_id=key,
        details={"municipality": key, **changes},
    )  # fmt: skip
    return found


def create_admin(
    s: Session,
    actor: User,
    key: str,
    username: str,
    password: str,
    display_name: str = "",
) -> User:
    """The first administrator of a municipality (a one-time password); they create the
    municipality's other accounts themselves."""
    require_district_admin(actor)
    found = get(s, key)
    return auth.create_user(
        s, username, password, ["admin"], display_name, actor=actor, one_time=True,
        municipality_id=found.id,
    )  # fmt: skip


def municipality_view(found: Municipality, *, users: int | None = None) -> dict[str, Any]:
    view: dict[str, Any] = {
        "id": found.id,
        "name": found.name,
        "active": found.active,
        "settings": found.settings or {},
        "created_at": found.created_at.isoformat(),
    }
    if users is not None:
        view["users"] = users
    return view
