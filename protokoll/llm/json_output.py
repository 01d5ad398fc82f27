"""Lenient JSON extraction from model output, validated against a JSON schema.

Small models wrap JSON in code fences, add a sentence before or after it, or
stop in the middle of it. `parse_json_output` finds the JSON value in such
text, checks it against the schema the caller asked for, and raises a
`JSONOutputError` (a `StageError`) with a German message that says what is
wrong, so that a caller can retry, fall back to rules, or report it.

The validator covers the subset of JSON Schema that structured model output
needs (and that llama.cpp's grammar converter and vLLM's guided decoding
understand): `type` (one name or a list), `properties`, `required`,
`additionalProperties`, `items`, `enum`, `const`, `minimum`, `maximum`,
`exclusiveMinimum`, `exclusiveMaximum`, `minLength`, `maxLength`, `pattern`,
`minItems`, `maxItems`, `anyOf`, `oneOf`, `allOf` and local references
(`$ref` to `#/$defs/...` or `#/definitions/...`, as pydantic's
`model_json_schema()` writes them). Annotations (`title`, `description`,
`default`, `examples`, ...) are ignored. Any other keyword is a programming
error (`ValueError`): silently not checking a constraint would be worse.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterator, Mapping
from typing import Any

from protokoll.errors import StageError

__all__ = [
    "JSONOutputError",
    "check_schema",
    "extract_json",
    "parse_json_output",
    "schema_instruction",
    "validate",
]

_ANNOTATIONS = frozenset(
    {
        "$schema", "$id", "$comment", "$defs", "definitions", "title", "description",
        "default", "examples", "deprecated", "readOnly", "writeOnly", "format",
    }
)  # fmt: skip
_KEYWORDS = frozenset(
    {
        "type", "properties", "required", "additionalProperties", "items", "enum", "const",
        "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "minLength",
        "maxLength", "pattern", "minItems", "maxItems", "anyOf", "oneOf", "allOf", "$ref",
    }
)  # fmt: skip
_TYPE_NAMES = {
    "object": "Objekt",
    "array": "Liste",
    "string": "Text",
    "integer": "ganze Zahl",
    "number": "Zahl",
    "boolean": "true oder false",
    "null": "null",
}
_FENCE = re.compile(r"```[ \t]*(?:json|JSON|json5)?[ \t]*\r?\n?(.*?)```", re.DOTALL)
_MAX_PROBLEMS = 5
_SNIPPET = 120


class JSONOutputError(StageError):
    """The model's answer holds no usable JSON, or JSON that does not match the schema."""

    def __init__(self, message: str, problems: list[str] | None = None) -> None:
        super().__init__(message)
        self.problems = problems or []


def _snippet(text: str) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= _SNIPPET else flat[: _SNIPPET - 1] + "…"


# ---- extraction ------------------------------------------------------------------------------


def _candidates(text: str) -> Iterator[str]:
    """Places where the JSON value may start: fenced blocks, then the text from each
    `{` or `[` on."""
    for match in _FENCE.finditer(text):
        yield match.group(1)
    # an opening fence without a closing one (the model stopped early)
    opened = re.search(r"```[ \t]*(?:json|JSON)?[ \t]*\r?\n", text)
    if opened and text.count("```") % 2 == 1:
        yield text[opened.end() :]
    starts = [i for i, ch in enumerate(text) if ch in "{["]
    for start in starts[:200]:
        yield text[start:]


def extract_json(text: str) -> Any:
    """The JSON value in `text`: the whole text if it is JSON, else the first object or
    array in it. Accepts code fences and text before or after the value."""
    decoder = json.JSONDecoder()
    stripped = text.strip().lstrip("\ufeff")
    if not stripped:
        raise JSONOutputError("Das Sprachmodell hat eine leere Antwort geliefert (kein JSON).")
    try:
        return json.loads(stripped)
    except json.JSONDecodeError:
        pass
    truncated = False
    for candidate in _candidates(stripped):
        candidate = candidate.strip()
        try:
            value, _end = decoder.raw_decode(candidate)
        except json.JSONDecodeError as exc:
            if exc.pos >= len(candidate) - 1 or "Unterminated" in exc.msg:
                truncated = True
            continue
        if isinstance(value, dict | list):
            return value
    reason = (
        "das JSON bricht ab (Antwort zu lang für max_tokens?)"
        if truncated and any(ch in stripped for ch in "{[")
        else "kein JSON-Objekt gefunden"
    )
    raise JSONOutputError(
        f"Die Antwort des Sprachmodells ist kein gültiges JSON: {reason}. "
        f"Antwort: „{_snippet(stripped)}“"
    )


# ---- validation ------------------------------------------------------------------------------


def check_schema(schema: Mapping[str, Any], root: Mapping[str, Any] | None = None) -> None:
    """Raise ValueError if `schema` uses keywords this validator does not implement."""
    root = schema if root is None else root
    if not isinstance(schema, Mapping):
        raise ValueError(f"JSON-Schema muss ein Objekt sein, nicht {type(schema).__name__}")
    unknown = set(schema) - _KEYWORDS - _ANNOTATIONS
    if unknown:
        raise ValueError(f"JSON-Schema-Schlüsselwörter nicht unterstützt: {sorted(unknown)}")
    types = schema.get("type")
    for name in [types] if isinstance(types, str) else types or []:
        if name not in _TYPE_NAMES:
            raise ValueError(f"unbekannter JSON-Schema-Typ {name!r}")
    if "$ref" in schema:
        _resolve_ref(schema["$ref"], root)
    subs: list[Any] = list(schema.get("properties", {}).values())
    for key in ("items", "additionalProperties"):
        if isinstance(schema.get(key), Mapping):
            subs.append(schema[key])
    for key in ("anyOf", "oneOf", "allOf"):
        subs.extend(schema.get(key, []))
    for key in ("$defs", "definitions"):
        if schema is root:
            subs.extend(schema.get(key, {}).values())
    for sub in subs:
        check_schema(sub, root)


def _resolve_ref(ref: str, root: Mapping[str, Any]) -> Mapping[str, Any]:
    if not ref.startswith("#/"):
        raise ValueError(f"nur lokale $ref werden unterstützt, nicht {ref!r}")
    node: Any = root
    for part in ref[2:].split("/"):
        part = part.replace("~1", "/").replace("~0", "~")
        if not isinstance(node, Mapping) or part not in node:
            raise ValueError(f"$ref {ref!r} zeigt ins Leere")
        node = node[part]
    if not isinstance(node, Mapping):
        raise ValueError(f"$ref {ref!r} zeigt auf kein Schema")
    return node


def _where(path: str) -> str:
    return "oberste Ebene" if path == "" else f"„{path}“"


def _type_matches(value: Any, name: str) -> bool:
    if name == "object":
        return isinstance(value, dict)
    if name == "array":
        return isinstance(value, list)
    if name == "string":
        return isinstance(value, str)
    if name == "boolean":
        return isinstance(value, bool)
    if name == "null":
        return value is None
    if isinstance(value, bool) or not isinstance(value, int | float):
        return False
    if name == "integer":
        return isinstance(value, int) or (math.isfinite(value) and value == int(value))
    return True  # number


def _show(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= 40 else text[:39] + "…"


def _errors(value: Any, schema: Mapping[str, Any], root: Mapping[str, Any], path: str) -> list[str]:
    if "$ref" in schema:
        target = _resolve_ref(schema["$ref"], root)
        rest = {k: v for k, v in schema.items() if k != "$ref"}
        return _errors(value, target, root, path) + (
            _errors(value, rest, root, path) if set(rest) - _ANNOTATIONS else []
        )
    where = _where(path)
    types = schema.get("type")
    if types is not None:
        names = [types] if isinstance(types, str) else list(types)
        if not any(_type_matches(value, n) for n in names):
            wanted = " oder ".join(_TYPE_NAMES[n] for n in names)
            return [f"{where}: {wanted} erwartet (angegeben: {_show(value)})"]
    problems: list[str] = []
    if "const" in schema and value != schema["const"]:
        problems.append(f"{where}: muss {_show(schema['const'])} sein (angegeben: {_show(value)})")
    if "enum" in schema and value not in schema["enum"]:
        allowed = ", ".join(_show(v) for v in schema["enum"])
        problems.append(f"{where}: erlaubt sind {allowed} (angegeben: {_show(value)})")
    if isinstance(value, int | float) and not isinstance(value, bool):
        bounds = (
            ("minimum", lambda v, b: v >= b, "muss mindestens {} sein"),
            ("maximum", lambda v, b: v <= b, "darf höchstens {} sein"),
            ("exclusiveMinimum", lambda v, b: v > b, "muss größer als {} sein"),
            ("exclusiveMaximum", lambda v, b: v < b, "muss kleiner als {} sein"),
        )
        for key, ok, template in bounds:
            if key in schema and not ok(value, schema[key]):
                problems.append(f"{where}: {template.format(schema[key])} (angegeben: {value})")
    if isinstance(value, str):
        if "minLength" in schema and len(value) < schema["minLength"]:
            problems.append(
                f"{where}: Text zu kurz (mindestens {schema['minLength']} Zeichen)"
                if schema["minLength"] > 1
                else f"{where}: darf nicht leer sein"
            )
        if "maxLength" in schema and len(value) > schema["maxLength"]:
            problems.append(f"{where}: Text zu lang (höchstens {schema['maxLength']} Zeichen)")
        if "pattern" in schema and not re.search(schema["pattern"], value):
            problems.append(f"{where}: entspricht nicht dem Muster {schema['pattern']}")
    if isinstance(value, list):
        if "minItems" in schema and len(value) < schema["minItems"]:
            problems.append(f"{where}: mindestens {schema['minItems']} Einträge erwartet")
        if "maxItems" in schema and len(value) > schema["maxItems"]:
            problems.append(f"{where}: höchstens {schema['maxItems']} Einträge erlaubt")
        items = schema.get("items")
        if isinstance(items, Mapping):
            for i, item in enumerate(value):
                problems += _errors(item, items, root, f"{path}[{i}]")
    if isinstance(value, dict):
        props: Mapping[str, Any] = schema.get("properties", {})
        for key in schema.get("required", []):
            if key not in value:
                problems.append(f"{_where(_join(path, key))}: fehlt")
        extra = schema.get("additionalProperties", True)
        for key, item in value.items():
            sub = _join(path, key)
            if key in props:
                problems += _errors(item, props[key], root, sub)
            elif extra is False:
                allowed = ", ".join(props) or "keine"
                problems.append(f"{_where(sub)}: unbekannter Schlüssel (erlaubt: {allowed})")
            elif isinstance(extra, Mapping):
                problems += _errors(item, extra, root, sub)
    for sub in schema.get("allOf", []):
        problems += _errors(value, sub, root, path)
    for key in ("anyOf", "oneOf"):
        if key in schema:
            results = [_errors(value, sub, root, path) for sub in schema[key]]
            matching = sum(1 for r in results if not r)
            if matching == 0:
                best = min(results, key=len)
                problems += best or [f"{where}: passt zu keiner der erlaubten Formen"]
            elif key == "oneOf" and matching > 1:
                problems.append(f"{where}: passt zu mehreren Formen, erlaubt ist genau eine")
    return problems


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


def validate(value: Any, schema: Mapping[str, Any]) -> None:
    """Raise JSONOutputError listing (up to five) places where `value` breaks `schema`."""
    check_schema(schema)
    problems = _errors(value, schema, schema, "")
    if problems:
        shown = problems[:_MAX_PROBLEMS]
        more = len(problems) - len(shown)
        text = "; ".join(shown) + (f"; und {more} weitere" if more else "")
        raise JSONOutputError(
            f"Die Antwort des Sprachmodells passt nicht zum erwarteten Schema: {text}.",
            problems,
        )


def parse_json_output(text: str, schema: Mapping[str, Any] | None = None) -> Any:
    """Extract the JSON value from a model's answer and, with `schema`, validate it."""
    value = extract_json(text)
    if schema is not None:
        validate(value, schema)
    return value


def schema_instruction(schema: Mapping[str, Any]) -> str:
    """A German instruction asking for JSON matching `schema`, for backends that cannot
    constrain decoding (append it to the system or the last user message)."""
    return (
        "Antworte ausschließlich mit einem JSON-Objekt, ohne Erklärung und ohne "
        "Markdown-Codeblock. Das JSON muss diesem JSON-Schema entsprechen:\n"
        + json.dumps(schema, ensure_ascii=False, separators=(",", ":"))
    )
