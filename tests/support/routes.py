"""The routes of the app, also inside included routers."""

from __future__ import annotations

from collections.abc import Sequence

from fastapi.routing import APIRoute
from starlette.routing import BaseRoute


def endpoints(routes: Sequence[BaseRoute], prefix: str = "") -> set[tuple[str, str]]:
    """(method, path) of every API route, also inside included routers (FastAPI keeps an
    included router as one node with the original router inside)."""
    found = set()
    for route in routes:
        if isinstance(route, APIRoute):
            found |= {(method, prefix + route.path) for method in route.methods or ()}
        inner = getattr(route, "original_router", None)
        if inner is not None:
            context = getattr(route, "include_context", None)
            found |= endpoints(inner.routes, prefix + getattr(context, "prefix", ""))
    return found
