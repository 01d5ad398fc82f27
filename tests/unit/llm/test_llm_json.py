"""Lenient JSON extraction from model output and schema validation."""

from __future__ import annotations

from typing import Any

import pytest

from protokoll.errors import StageError
from protokoll.llm.json_output import (
    JSONOutputError,
    check_schema,
    extract_json,
    parse_json_output,
    schema_instruction,
    validate,
)

VOTES: dict[str, Any] = {
    "type": "object",
    "properties": {
        "ja": {"type": "integer", "minimum": 0},
        "nein": {"type": "integer", "minimum": 0},
        "enthaltungen": {"type": ["integer", "null"]},
        "ergebnis": {"enum": ["angenommen", "abgelehnt"]},
    },
    "required": ["ja", "nein"],
    "additionalProperties": False,
}


@pytest.mark.parametrize(
    "text",
    [
        '{"ja": 14, "nein": 3}',
        '  \ufeff{"ja": 14, "nein": 3}\n',
        '```json\n{"ja": 14, "nein": 3}\n```',
        '```\n{"ja": 14, "nein": 3}\n```',
        'Hier ist das Ergebnis:\n```json\n{"ja": 14, "nein": 3}\n```\nIch hoffe, das hilft.',
        'Das Ergebnis lautet {"ja": 14, "nein": 3}. Weitere Angaben gibt es nicht.',
        '{"ja": 14, "nein": 3}\n\nHinweis: Die Zahlen stammen aus dem Transkript.',
        '```json\n{"ja": 14, "nein": 3}',  # fence not closed
        'Abstimmung 2 {ungültig} dann {"ja": 14, "nein": 3}',
    ],
)
def test_extracts_the_object(text: str) -> None:
    assert extract_json(text) == {"ja": 14, "nein": 3}


def test_bare_json_values_and_arrays() -> None:
    assert extract_json("[1, 2, 3] und mehr") == [1, 2, 3]
    assert extract_json("42") == 42
    assert extract_json('"Text"') == "Text"
    # a number before the object is not taken for the answer
    assert extract_json('14 Ja-Stimmen: {"ja": 14}') == {"ja": 14}


def test_umlauts_and_nested_objects_survive() -> None:
    text = 'Antwort: {"titel": "Straßenausbau Mühlweg", "liste": [{"a": "ä"}]} Ende'
    assert extract_json(text) == {"titel": "Straßenausbau Mühlweg", "liste": [{"a": "ä"}]}


@pytest.mark.parametrize(
    ("text", "phrase"),
    [
        ("", "leere Antwort"),
        ("   \n", "leere Antwort"),
        ("Dazu kann ich nichts sagen.", "kein JSON-Objekt gefunden"),
        ('{"ja": 14, "nein": ', "bricht ab"),
        ('```json\n{"ja": 14, "nein": [1, 2', "bricht ab"),
    ],
)
def test_no_json_is_a_stage_error_in_german(text: str, phrase: str) -> None:
    with pytest.raises(JSONOutputError) as info:
        extract_json(text)
    assert isinstance(info.value, StageError)
    assert phrase in str(info.value)


def test_error_shows_a_short_snippet_of_the_answer() -> None:
    with pytest.raises(JSONOutputError) as info:
        extract_json("Leider   kann ich\n\ndas nicht. " + "x" * 500)
    message = str(info.value)
    assert "„Leider kann ich das nicht." in message
    assert len(message) < 300


def test_valid_values_pass() -> None:
    validate({"ja": 14, "nein": 3}, VOTES)
    validate({"ja": 14, "nein": 3, "enthaltungen": None, "ergebnis": "angenommen"}, VOTES)
    validate({"ja": 14.0, "nein": 0}, VOTES)  # 14.0 is an integer in JSON Schema


@pytest.mark.parametrize(
    ("value", "phrase"),
    [
        ({"ja": 14}, "„nein“: fehlt"),
        ({"ja": "14", "nein": 3}, '„ja“: ganze Zahl erwartet (angegeben: "14")'),
        ({"ja": True, "nein": 3}, "„ja“: ganze Zahl erwartet"),
        ({"ja": 1.5, "nein": 3}, "„ja“: ganze Zahl erwartet"),
        ({"ja": -1, "nein": 3}, "„ja“: muss mindestens 0 sein"),
        ({"ja": 1, "nein": 3, "x": 1}, "„x“: unbekannter Schlüssel (erlaubt: ja, nein,"),
        ({"ja": 1, "nein": 3, "ergebnis": "vertagt"}, 'erlaubt sind "angenommen", "abgelehnt"'),
        ({"ja": 1, "nein": 3, "enthaltungen": "keine"}, "ganze Zahl oder null erwartet"),
        ([1, 2], "oberste Ebene: Objekt erwartet"),
    ],
)
def test_schema_violations_are_named(value: Any, phrase: str) -> None:
    with pytest.raises(JSONOutputError) as info:
        validate(value, VOTES)
    assert phrase in str(info.value)
    assert str(info.value).startswith("Die Antwort des Sprachmodells passt nicht")
    assert info.value.problems


def test_nested_paths_and_array_constraints() -> None:
    schema = {
        "type": "object",
        "properties": {
            "punkte": {
                "type": "array",
                "minItems": 1,
                "maxItems": 2,
                "items": {
                    "type": "object",
                    "properties": {"titel": {"type": "string", "minLength": 1}},
                    "required": ["titel"],
                },
            }
        },
    }
    validate({"punkte": [{"titel": "Haushalt"}]}, schema)
    with pytest.raises(JSONOutputError, match=r"„punkte\[1\]\.titel“: darf nicht leer sein"):
        validate({"punkte": [{"titel": "a"}, {"titel": ""}]}, schema)
    with pytest.raises(JSONOutputError, match="mindestens 1 Einträge"):
        validate({"punkte": []}, schema)
    with pytest.raises(JSONOutputError, match="höchstens 2 Einträge"):
        validate({"punkte": [{"titel": "a"}] * 3}, schema)
    with pytest.raises(JSONOutputError, match=r"„punkte\[0\]“: Objekt erwartet"):
        validate({"punkte": ["a"]}, schema)


def test_many_problems_are_summarised() -> None:
    schema = {"type": "object", "required": [f"k{i}" for i in range(8)]}
    with pytest.raises(JSONOutputError) as info:
        validate({}, schema)
    assert "und 3 weitere" in str(info.value)
    assert len(info.value.problems) == 8


def test_pydantic_style_refs_anyof_and_strings() -> None:
    schema = {
        "$defs": {
            "Beschluss": {
                "type": "object",
                "properties": {
                    "nummer": {"type": "string", "pattern": r"^\d+/\d{4}$"},
                    "text": {"type": "string", "maxLength": 20},
                },
                "required": ["nummer"],
                "title": "Beschluss",
            }
        },
        "type": "object",
        "properties": {
            "beschluss": {"anyOf": [{"$ref": "#/$defs/Beschluss"}, {"type": "null"}]},
            "art": {"const": "beschluss"},
        },
    }
    check_schema(schema)
    validate({"beschluss": {"nummer": "12/2025"}, "art": "beschluss"}, schema)
    validate({"beschluss": None}, schema)
    with pytest.raises(JSONOutputError, match="entspricht nicht dem Muster"):
        validate({"beschluss": {"nummer": "zwölf"}}, schema)
    with pytest.raises(JSONOutputError, match="Text zu lang"):
        validate({"beschluss": {"nummer": "1/2025", "text": "x" * 21}}, schema)
    with pytest.raises(JSONOutputError, match='muss "beschluss" sein'):
        validate({"art": "antrag"}, schema)


def test_one_of_needs_exactly_one_match() -> None:
    schema = {"oneOf": [{"type": "integer"}, {"type": "number"}]}
    validate(1.5, schema)
    with pytest.raises(JSONOutputError, match="mehreren Formen"):
        validate(2, schema)


@pytest.mark.parametrize(
    "schema",
    [
        {"type": "object", "patternProperties": {"^a": {}}},
        {"type": "objekt"},
        {"$ref": "http://example.org/schema.json"},
        {"$ref": "#/$defs/fehlt"},
        {"properties": {"a": {"not": {"type": "string"}}}},
    ],
)
def test_unsupported_schemas_are_programming_errors(schema: dict[str, Any]) -> None:
    with pytest.raises(ValueError):
        validate({}, schema)


def test_parse_json_output_extracts_and_validates() -> None:
    answer = 'Gern!\n```json\n{"ja": 14, "nein": 3}\n```'
    assert parse_json_output(answer, VOTES) == {"ja": 14, "nein": 3}
    assert parse_json_output("[1]") == [1]
    with pytest.raises(JSONOutputError, match="„nein“: fehlt"):
        parse_json_output('```json\n{"ja": 14}\n```', VOTES)


def test_schema_instruction_is_german_and_carries_the_schema() -> None:
    text = schema_instruction(VOTES)
    assert "Antworte ausschließlich mit einem JSON-Objekt" in text
    assert '"enthaltungen"' in text
