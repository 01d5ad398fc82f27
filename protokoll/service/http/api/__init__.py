"""The JSON API (`/api/...`, OpenAPI at `/api/openapi.json`), one module per resource; this
package's `router` includes them all in the order their routes must be matched. It also
re-exports the few names the web pages share with the API. Messages for users are German."""

from __future__ import annotations

from fastapi import APIRouter

from protokoll.service.http.api import (
    audit_log,
    documents,
    jobs,
    meetings,
    municipalities,
    publication,
    recordings,
    register,
    review,
    session,
    users,
)
from protokoll.service.http.api.review import VersionBody, edited_minutes, recording_of_version
from protokoll.service.http.api.session import set_session_cookie

__all__ = ["VersionBody", "edited_minutes", "recording_of_version", "router", "set_session_cookie"]

router = APIRouter()
for _module in (
    session,
    users,
    audit_log,
    meetings,
    recordings,
    jobs,
    documents,
    review,
    publication,
    register,
    municipalities,
):
    router.include_router(_module.router)
