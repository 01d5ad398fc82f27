from __future__ import annotations

import json
from pathlib import Path

import pytest

from protokoll.documents.minutes_json import public_flags, write_minutes_json
from protokoll.domain.minutes import MINUTES_SCHEMA_VERSION, Flag, Minutes


def test_full_version_is_to_dict(minutes: Minutes, tmp_path: Path) -> None:
    path = tmp_path / "minutes.json"
    write_minutes_json(minutes, path)
    raw = path.read_bytes()
    text = raw.decode("utf-8")
    assert "Bürgermeisterin Anna Schäfer" in text  # ensure_ascii=False: no \u escapes
    assert "\\u00" not in text
    assert text.startswith('{\n  "meeting": {\n    "body": ')  # indent 2
    assert text.endswith("}\n")
    data = json.loads(text)
    assert data == json.loads(json.dumps(minutes.to_dict()))
    assert data["schema_version"] == MINUTES_SCHEMA_VERSION
    assert data["public_version"] is False
    assert [i["number"] for i in data["items"]] == ["1", "2", "3", "4"]
    school = data["items"][1]
    assert school["votes"] == {"yes": 14, "no": 3, "abstain": 2, "biased": None}
    assert school["summary"][0]["sources"] == [{"start_s": 723.0, "end_s": 760.0}]
    assert len(data["flags"]) == 2


def test_public_version_drops_non_public_items_and_flags(
    minutes: Minutes, non_public_secrets: tuple[str, ...], tmp_path: Path
) -> None:
    path = tmp_path / "minutes.public.json"
    write_minutes_json(minutes, path, public_only=True)
    text = path.read_text(encoding="utf-8")
    data = json.loads(text)
    assert data["public_version"] is True
    assert [i["number"] for i in data["items"]] == ["1", "2", "3"]
    # the flag timed inside TOP 4 is gone, the general one stays
    assert [f["kind"] for f in data["flags"]] == ["sprecher_vorgeschlagen"]
    for secret in non_public_secrets:
        assert secret not in text, secret


def test_public_flags_by_time_and_by_reference(minutes: Minutes) -> None:
    minutes.flags = [
        Flag("a", "Allgemeiner Hinweis."),
        Flag("b", "In TOP 4 ist ein Name unklar."),
        Flag("c", "Zu TOP 4.1 siehe Anlage."),  # another item, not TOP 4
        Flag("d", "Zeit in TOP 4", 3399.0, 3401.0),
        Flag("e", "Zeit in TOP 3", 2900.0, 2910.0),
        Flag("f", "Bitte Vorlage 2026/0161 beifügen."),
        Flag(
            "g",
            "Text",
            text="zu „Verkauf des Grundstücks Gemarkung Musterstadt, Flur 3, Flurstück 112“",
        ),
    ]
    assert [f.kind for f in public_flags(minutes)] == ["a", "c", "e"]
    minutes.items[3].end_s = None  # an open end counts until the end of the recording
    minutes.flags = [Flag("h", "spät", 99_999.0)]
    assert public_flags(minutes) == []


def test_nan_is_refused(minutes: Minutes, tmp_path: Path) -> None:
    minutes.items[0].start_s = float("nan")
    with pytest.raises(ValueError):
        write_minutes_json(minutes, tmp_path / "minutes.json")


def test_from_dict_inverts_to_dict(minutes: Minutes) -> None:
    data = minutes.to_dict()
    again = Minutes.from_dict(json.loads(json.dumps(data)))
    assert again == minutes
    assert again.to_dict() == data


def test_from_dict_ignores_unknown_fields(minutes: Minutes) -> None:
    data = minutes.to_dict()
    data["future_field"] = 1
    data["items"][0]["votes"]["future_count"] = 3
    data["items"][0]["summary"][0]["future"] = "x"
    assert Minutes.from_dict(data) == minutes
