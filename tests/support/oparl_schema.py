"""Validation of OParl objects against the official OParl 1.1 JSON schemas, vendored in
`tests/data/oparl/schema/` (CC BY-SA 4.0, see the README there).

The schemas name an embedded object's schema with the keyword ``"schema": "File.json"``
instead of ``$ref``; here that keyword validates the embedded object against the named
file, resolved in a local `referencing` registry (no network). The formats ``url`` (an
absolute http(s) URL), ``date`` and ``date-time`` (RFC 3339, with an offset) are checked
as well, which jsonschema's default format checker would not all do.
"""

from __future__ import annotations

import json
import re
import urllib.parse
from collections.abc import Iterator, Mapping
from datetime import date, datetime
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema
from jsonschema import Draft202012Validator, FormatChecker
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

SCHEMA_DIR = Path(__file__).resolve().parents[1] / "data" / "oparl" / "schema"
SCHEMA_BASE = "https://schema.oparl.org/1.1/"  # where the files are registered (locally)
TYPE_PREFIX = "https://schema.oparl.org/1.1/"
_DATE_TIME = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?([+-]\d{2}:\d{2}|Z)")


def _schema_keyword(
    validator: Any, value: Any, instance: Any, schema: Mapping[str, Any]
) -> Iterator[jsonschema.ValidationError]:
    """``"schema": "File.json"``: an embedded object must satisfy that file's schema (a
    reference given as a URL string is not embedded and is left to ``format``)."""
    if not isinstance(instance, dict) or not isinstance(value, str):
        return
    name = value if value.endswith(".json") else value + ".json"
    yield from validator.descend(instance, {"$ref": SCHEMA_BASE + name})


def _is_url(value: object) -> bool:
    if not isinstance(value, str):
        return True
    parts = urllib.parse.urlsplit(value)
    return parts.scheme in ("http", "https") and bool(parts.netloc) and " " not in value


def _is_date(value: object) -> bool:
    if not isinstance(value, str):
        return True
    try:
        date.fromisoformat(value)
    except ValueError:
        return False
    return len(value) == 10


def _is_date_time(value: object) -> bool:
    if not isinstance(value, str):
        return True
    if _DATE_TIME.fullmatch(value) is None:
        return False
    try:
        datetime.fromisoformat(value)
    except ValueError:
        return False
    return True


OParlValidator = jsonschema.validators.extend(Draft202012Validator, {"schema": _schema_keyword})


@cache
def registry() -> Registry[Any]:
    resources = [
        (
            SCHEMA_BASE + path.name,
            Resource.from_contents(
                json.loads(path.read_text(encoding="utf-8")), default_specification=DRAFT202012
            ),
        )
        for path in sorted(SCHEMA_DIR.glob("*.json"))
    ]
    return Registry().with_resources(resources)


def format_checker() -> FormatChecker:
    checker = FormatChecker(formats=())
    checker.checks("url")(_is_url)
    checker.checks("date")(_is_date)
    checker.checks("date-time")(_is_date_time)
    return checker


@cache
def validator(type_name: str) -> Any:
    """The validator for OParl objects of ``type_name`` ("Meeting")."""
    path = SCHEMA_DIR / f"{type_name}.json"
    if not path.is_file():
        raise KeyError(f"no OParl schema for {type_name!r}")
    return OParlValidator(
        {"$ref": SCHEMA_BASE + path.name}, registry=registry(), format_checker=format_checker()
    )


def schema_errors(obj: Mapping[str, Any]) -> list[str]:
    """The schema errors of one OParl object, chosen by its ``type``; each as
    "path: message". An unknown or missing type is an error too."""
    kind = obj.get("type")
    if not isinstance(kind, str) or not kind.startswith(TYPE_PREFIX):
        return [f"type: not an OParl 1.1 type: {kind!r}"]
    try:
        found = validator(kind.removeprefix(TYPE_PREFIX))
    except KeyError as exc:
        return [f"type: {exc}"]
    errors = sorted(found.iter_errors(obj), key=lambda e: list(e.absolute_path))
    return [f"{'/'.join(map(str, e.absolute_path)) or '.'}: {e.message}" for e in errors]


def list_errors(page: Mapping[str, Any]) -> list[str]:
    """The errors of an OParl list page: its shape (``data``, ``pagination``, ``links``
    with the OParl 1.1 fields) and each object in ``data``."""
    errors = [f"{key}: missing" for key in ("data", "pagination", "links") if key not in page]
    pagination = page.get("pagination", {})
    for key in ("totalElements", "elementsPerPage", "currentPage", "totalPages"):
        if not isinstance(pagination.get(key), int):
            errors.append(f"pagination/{key}: not an integer")
    links = page.get("links", {})
    for key, value in links.items():
        if key not in ("first", "prev", "self", "next", "last", "web") or not _is_url(value):
            errors.append(f"links/{key}: {value!r}")
    if pagination.get("currentPage", 0) < pagination.get("totalPages", 0) and "next" not in links:
        errors.append("links/next: missing before the last page")
    for index, obj in enumerate(page.get("data", [])):
        errors += [f"data/{index}/{e}" for e in schema_errors(obj)]
    return errors
