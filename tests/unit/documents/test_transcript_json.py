from __future__ import annotations

import json
from pathlib import Path

import pytest

from protokoll.documents.transcript_json import write_transcript_json
from protokoll.domain.transcript import SCHEMA_VERSION, Transcript, Word


def test_writes_utf8_json_equal_to_to_dict(transcript: Transcript, tmp_path: Path) -> None:
    path = tmp_path / "transcript.json"
    write_transcript_json(transcript, path)

    raw = path.read_bytes()
    text = raw.decode("utf-8")
    assert "eröffne" in text  # non-ASCII kept, not \u-escaped
    assert "\\u00f6" not in text
    assert text.startswith('{\n  "schema_version": ')  # indent 2
    assert text.endswith("}\n")
    data = json.loads(text)
    assert data == transcript.to_dict()
    assert data["schema_version"] == SCHEMA_VERSION
    assert data["speakers"] == ["SPEAKER_00", "SPEAKER_01"]


def test_round_trip_through_from_dict(transcript: Transcript, tmp_path: Path) -> None:
    path = tmp_path / "transcript.json"
    write_transcript_json(transcript, path)
    data = json.loads(path.read_text(encoding="utf-8"))

    restored = Transcript.from_dict(data)
    assert restored.to_dict() == transcript.to_dict()
    assert restored.segments[2].words[3].text == " Kindertagesstätte"
    assert restored.dropped == transcript.dropped
    assert restored.models == transcript.models


def test_nan_is_rejected_rather_than_written_as_invalid_json(
    transcript: Transcript, tmp_path: Path
) -> None:
    seg = transcript.segments[0]
    bad_word = Word(start_s=1.0, end_s=1.2, text=" x", probability=float("nan"))
    transcript.segments[0] = type(seg)(
        start_s=seg.start_s, end_s=seg.end_s, text=seg.text, words=(bad_word,)
    )
    with pytest.raises(ValueError):
        write_transcript_json(transcript, tmp_path / "t.json")
