"""The German error tree mapped to HTTP status codes, for the API and the pages alike;
and which paths answer in JSON."""

from __future__ import annotations

from protokoll.errors import AgendaError, InputError, ProtokollError
from protokoll.register import RegisterError
from protokoll.review.workflow import NotAllowed, WorkflowError
from protokoll.service.infra.storage import StorageFull, UploadConflict
from protokoll.service.usecases.access import Conflict, Forbidden, Gone, NotFound
from protokoll.service.usecases.oparl import OParlUnavailable

# paths answered in JSON, errors included (the rest are web pages)
JSON_PREFIXES = ("/api/", "/oparl/", "/metrics", "/readyz", "/healthz")


OPARL_NO_ADDRESS = "Diese Adresse gibt es in der OParl-Schnittstelle nicht."


def answers_json(path: str) -> bool:
    return path.startswith(JSON_PREFIXES)


def status_for(exc: ProtokollError) -> int:
    if isinstance(exc, StorageFull):
        return 507
    if isinstance(exc, OParlUnavailable):
        return 503
    if isinstance(exc, NotFound):
        return 404
    if isinstance(exc, Forbidden | NotAllowed):
        return 403
    if isinstance(exc, Gone):
        return 410
    if isinstance(exc, Conflict | UploadConflict | WorkflowError):
        return 409
    if isinstance(exc, InputError | AgendaError | RegisterError):
        return 422
    return 400
