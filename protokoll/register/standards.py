"""The standards the register exports are checked against, as JSON Schemas, and the check.

- **de**: `schemas/protokoll-ki-register.schema.json`, this project's own schema.
- **nl**: built from the Algoritmeregister's own field configuration
  (`schemas/algoritmeregister-v1_0.json`) with the rules its upload API applies
  (MinBZK/Algoritmeregister `backend/app/schemas/versions.py`): required fields, strings
  up to `max_length`, `enum` and `array` fields from `permitted_values`, lists of objects
  from `items`. Stricter than the API in three ways, all from the configuration's own
  instructions: months are written `yyyy-mm`, links begin with `https://`, and a field the
  standard does not know is an error (the API would drop it silently).
- **uk**: built from the ATRS v4.0 field list (`schemas/atrs-v4.0-fields.json`): every
  section an object of its fields, required fields non-empty text, `phase` and `region`
  from their lists; the model and development-data sections are optional, as the official
  guidance asks for off-the-shelf models.

`validate(data, target)` raises `RegisterError` naming the first failing field in German.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from jsonschema import Draft202012Validator
from jsonschema.exceptions import best_match

from protokoll.errors import ProtokollError

if TYPE_CHECKING:
    from jsonschema.exceptions import ValidationError

SCHEMAS = Path(__file__).with_name("schemas")
DE_SCHEMA = SCHEMAS / "protokoll-ki-register.schema.json"
NL_CONFIG = SCHEMAS / "algoritmeregister-v1_0.json"
UK_FIELDS = SCHEMAS / "atrs-v4.0-fields.json"

MONTH = r"^[0-9]{4}-(0[1-9]|1[0-2])$"
HTTPS = r"^https://\S+$"
EMAIL_OR_HTTPS = r"^([^@\s]+@[^@\s]+\.[^@\s]+|https://\S+)$"
# format rules the Algoritmeregister's configuration states in its instructions
NL_PATTERNS = {
    "begin_date": MONTH,
    "end_date": MONTH,
    "website": HTTPS,
    "url": HTTPS,
    "publiccode": HTTPS,
    "process_index_url": HTTPS,
    "contact_email": EMAIL_OR_HTTPS,
    "link": HTTPS,
}


class RegisterError(ProtokollError):
    """The register entry cannot be built or does not meet its schema."""

    exit_code = 7


def _load(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


@cache
def de_schema() -> dict[str, Any]:
    return _load(DE_SCHEMA)


@cache
def nl_config() -> dict[str, Any]:
    return _load(NL_CONFIG)


@cache
def uk_fields() -> dict[str, Any]:
    return _load(UK_FIELDS)


def _nl_property(key: str, spec: dict[str, Any]) -> dict[str, Any]:
    kind = spec["type"]
    allowed = spec.get("permitted_values")
    if kind == "string":
        prop: dict[str, Any] = {"type": "string"}
        if spec.get("max_length"):
            prop["maxLength"] = spec["max_length"]
        if key in NL_PATTERNS:
            prop["pattern"] = NL_PATTERNS[key]
        return prop
    if kind == "enum":
        return {"enum": list(allowed or [])}
    if kind == "array" and allowed:
        return {"type": "array", "items": {"enum": list(allowed)}, "uniqueItems": True}
    if kind == "array" and spec.get("items"):
        return {"type": "array", "items": _nl_object(spec["items"])}
    if kind == "array":
        return {"type": "array", "items": {"type": "string"}}
    raise ValueError(f"unknown field type {kind!r} of {key}")


def _nl_object(properties: dict[str, Any]) -> dict[str, Any]:
    return {
        "type": "object",
        # the API's model: required is True (one field of v1.0 has the string "false")
        "required": [k for k, spec in properties.items() if spec.get("required") is True],
        "additionalProperties": False,
        "properties": {k: _nl_property(k, spec) for k, spec in properties.items()},
    }


@cache
def nl_schema() -> dict[str, Any]:
    """The Algoritmeregister v1.0 upload model as a JSON Schema."""
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "Algoritmeregister, publicatiestandaard v1.0",
        **_nl_object(nl_config()["properties"]),
    }


def _uk_section(section: dict[str, Any]) -> dict[str, Any]:
    props: dict[str, Any] = {}
    for spec in section["fields"]:
        prop: dict[str, Any] = {"type": "string", "minLength": 1}
        if "enum" in spec:
            prop = {"enum": spec["enum"]}
        props[spec["attribute"]] = prop
    obj = {
        "type": "object",
        "required": [f["attribute"] for f in section["fields"] if f["required"]],
        "additionalProperties": False,
        "properties": props,
    }
    return {"type": "array", "minItems": 1, "items": obj} if section.get("repeated") else obj


@cache
def uk_schema() -> dict[str, Any]:
    """The ATRS v4.0 record (tier 1 and tier 2) as a JSON Schema."""
    sections = uk_fields()["sections"]
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "Algorithmic Transparency Recording Standard v4.0",
        "type": "object",
        "required": [s["key"] for s in sections if not s.get("optional_section")],
        "additionalProperties": False,
        "properties": {s["key"]: _uk_section(s) for s in sections},
    }


SCHEMA_OF = {"de": de_schema, "nl": nl_schema, "uk": uk_schema}


# ---- the check, in German ------------------------------------------------------------------

_TYPE_NAMES = {
    "string": "Text",
    "integer": "ganze Zahl",
    "number": "Zahl",
    "boolean": "true oder false",
    "object": "Objekt",
    "array": "Liste",
    "null": "null",
}


def _field(path: Iterable[str | int]) -> str:
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text or "(Eintrag)"


def _problem(error: ValidationError) -> tuple[str, str]:
    """The failing field and a German phrase for one `jsonschema.ValidationError`."""
    path = list(error.absolute_path)
    kind, instance = error.validator, error.instance
    expected: Any = error.validator_value  # the keyword's value in the schema
    schema: Any = error.schema
    if kind == "required":
        absent = [k for k in expected if isinstance(instance, dict) and k not in instance]
        return _field([*path, absent[0] if absent else "?"]), "Pflichtfeld fehlt"
    if kind == "additionalProperties" and isinstance(instance, dict):
        known = set(schema.get("properties", {}))
        extra = sorted(k for k in instance if k not in known)
        return _field(path), f"unbekanntes Feld {', '.join(extra)}"
    if kind == "type":
        names = expected if isinstance(expected, list) else [expected]
        wanted = " oder ".join(_TYPE_NAMES.get(str(n), str(n)) for n in names)
        return _field(path), f"{wanted} erwartet (angegeben: {instance!r})"
    if kind == "minimum":
        return _field(path), f"muss mindestens {expected} sein (angegeben: {instance!r})"
    if kind == "maximum":
        return _field(path), f"darf höchstens {expected} sein (angegeben: {instance!r})"
    if kind in ("enum", "const"):
        allowed = expected if kind == "enum" else [expected]
        return _field(path), (
            f"erlaubt: {', '.join(repr(a) for a in allowed)} (angegeben: {instance!r})"
        )
    if kind == "minLength":
        return _field(path), "darf nicht leer sein"
    if kind == "maxLength":
        return _field(path), f"ist länger als {expected} Zeichen"
    if kind == "minItems":
        return _field(path), f"braucht mindestens {expected} Einträge"
    if kind in ("pattern", "format", "anyOf", "oneOf"):
        return _field(path), f"ungültiger Wert {instance!r}"
    return _field(path), f"ungültig ({error.message})"


STANDARD_NAMES = {
    "de": "protokoll-Registereintrag (eigenes Schema)",
    "nl": "Algoritmeregister v1.0",
    "uk": "ATRS v4.0",
}


def validate(data: Any, target: str = "de") -> None:
    """Check `data` against the target's schema; `RegisterError` names the failing field."""
    schema = SCHEMA_OF[target]()
    validator = Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)
    error = best_match(validator.iter_errors(data))
    if error is None:
        return
    where, what = _problem(error)
    raise RegisterError(
        f"Registereintrag ({STANDARD_NAMES[target]}) ungültig: Feld „{where}“: {what}."
    )
