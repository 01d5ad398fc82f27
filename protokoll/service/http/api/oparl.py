"""The read-only OParl 1.1 interface (`/oparl/...`, issue #19): published public minutes for
a council information system. Anonymous and GET only; what it may show is decided in
`usecases/oparl.py`. Ids are URLs under `[review] public_base_url` (layout:
`protokoll/publication/oparl_ids.py`); without it every request is a German 503."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import FileResponse
from sqlalchemy.orm import Session

from protokoll.publication.oparl_objects import ListQuery
from protokoll.service.context import ServiceContext
from protokoll.service.http.api.common import attachment, download_prefix
from protokoll.service.http.deps import CtxDep, DbDep
from protokoll.service.infra.tables import DEFAULT_MUNICIPALITY, Municipality
from protokoll.service.usecases import oparl
from protokoll.service.usecases.access import NotFound


def oparl_ctx(request: Request, ctx: CtxDep, s: DbDep) -> ServiceContext:
    """The municipality's context: the default one under /oparl/, another one under
    /kommunen/{key}/oparl/ (an unknown or switched-off one is not found)."""
    key = request.path_params.get("kommune", DEFAULT_MUNICIPALITY)
    found = s.get(Municipality, key)
    if found is None or not found.active:
        raise NotFound("Diese Kommune gibt es nicht.")
    return ctx.for_municipality(key, s)


OParlCtx = Annotated[ServiceContext, Depends(oparl_ctx)]


def configured(ctx: OParlCtx) -> None:
    """Before anything else: without a public base URL, every answer is the German 503."""
    oparl.oparl_urls(ctx)


router = APIRouter(prefix="/oparl", tags=["OParl"], dependencies=[Depends(configured)])

MAX_PAGE = 1_000_000


def list_query(
    page: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 1,
    elements_per_page: Annotated[int | None, Query(alias="elementsPerPage", ge=1)] = None,
    created_since: dt.datetime | None = None,
    created_until: dt.datetime | None = None,
    modified_since: dt.datetime | None = None,
    modified_until: dt.datetime | None = None,
) -> ListQuery:
    return ListQuery(
        page, elements_per_page, created_since, created_until, modified_since, modified_until
    )


ListDep = Annotated[ListQuery, Depends(list_query)]


@router.get("/system")
def system(ctx: OParlCtx) -> dict[str, Any]:
    return oparl.system(ctx)


@router.get("/body")
def bodies(ctx: OParlCtx, query: ListDep) -> dict[str, Any]:
    return oparl.body_list(ctx, query)


@router.get("/body/{body_key}")
def body(body_key: str, ctx: OParlCtx) -> dict[str, Any]:
    oparl.require_body(body_key)
    return oparl.body(ctx)


@router.get("/body/{body_key}/meeting")
def meetings(body_key: str, ctx: OParlCtx, s: DbDep, query: ListDep) -> dict[str, Any]:
    oparl.require_body(body_key)
    return oparl.meeting_list(ctx, s, query)


@router.get("/body/{body_key}/paper")
def papers(body_key: str, ctx: OParlCtx, s: DbDep, query: ListDep) -> dict[str, Any]:
    oparl.require_body(body_key)
    return oparl.paper_list(ctx, s, query)


@router.get("/body/{body_key}/{kind}")
def empty_list(body_key: str, kind: str, ctx: OParlCtx, query: ListDep) -> dict[str, Any]:
    """The Body's lists this service has nothing for: organization, person."""
    oparl.require_body(body_key)
    return oparl.empty_list(ctx, kind, query)


# the objects found by one key in their path: /oparl/<kind>/<key>
_OBJECTS: dict[str, Callable[[ServiceContext, Session, str], dict[str, Any]]] = {
    "meeting/{key}": oparl.meeting,
    "agendaitem/{key}": oparl.agenda_item,
    "consultation/{key}": oparl.consultation,
    "paper/{key:path}": oparl.paper,  # a reference such as "Vorlage 2026/045"
    "location/{key}": oparl.location,
}


def _object_route(
    find: Callable[[ServiceContext, Session, str], dict[str, Any]],
) -> Callable[..., dict[str, Any]]:
    def route(key: str, ctx: OParlCtx, s: DbDep) -> dict[str, Any]:
        return find(ctx, s, key)

    return route


for _path, _find in _OBJECTS.items():
    router.add_api_route("/" + _path, _object_route(_find), methods=["GET"], name=_find.__name__)


@router.get("/file/{meeting_id}/{file_name}")
def file(meeting_id: str, file_name: str, ctx: OParlCtx, s: DbDep) -> dict[str, Any]:
    return oparl.file(ctx, s, meeting_id, file_name)


@router.get("/file/{meeting_id}/{file_name}/access")
def access(meeting_id: str, file_name: str, ctx: OParlCtx, s: DbDep) -> FileResponse:
    """The document to read in place: no `attachment` (OParl: accessUrl)."""
    found = oparl.file_content(ctx, s, meeting_id, file_name)
    return FileResponse(found.path, media_type=found.mime_type)


@router.get("/file/{meeting_id}/{file_name}/download")
def download(meeting_id: str, file_name: str, ctx: OParlCtx, s: DbDep) -> FileResponse:
    """The document to save: `attachment` with its file name (OParl: downloadUrl)."""
    found = oparl.file_content(ctx, s, meeting_id, file_name)
    name = f"{download_prefix(found.meeting)}_{found.file_name}"
    return FileResponse(found.path, media_type=found.mime_type, headers=attachment(name))
