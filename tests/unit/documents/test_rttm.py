from __future__ import annotations

from pathlib import Path

import pytest

from protokoll.documents.rttm import format_rttm, parse_rttm, read_rttm, write_rttm
from protokoll.domain.transcript import SpeakerTurn

TURNS = [
    SpeakerTurn(start_s=0.0, end_s=2.5, speaker="SPEAKER_00"),
    SpeakerTurn(start_s=2.75, end_s=10.125, speaker="SPEAKER_01"),
    SpeakerTurn(start_s=3600.001, end_s=3725.5, speaker="SPEAKER_00"),
]


def test_format_lines() -> None:
    text = format_rttm(TURNS, "sitzung")
    assert text.splitlines() == [
        "SPEAKER sitzung 1 0.000 2.500 <NA> <NA> SPEAKER_00 <NA> <NA>",
        "SPEAKER sitzung 1 2.750 7.375 <NA> <NA> SPEAKER_01 <NA> <NA>",
        "SPEAKER sitzung 1 3600.001 125.499 <NA> <NA> SPEAKER_00 <NA> <NA>",
    ]
    assert text.endswith("\n")


def test_round_trip(tmp_path: Path) -> None:
    path = tmp_path / "out.rttm"
    write_rttm(TURNS, "sitzung", path)
    assert read_rttm(path) == TURNS


def test_uri_whitespace_replaced(tmp_path: Path) -> None:
    path = tmp_path / "out.rttm"
    write_rttm(TURNS[:1], "  Gemeinderat 12.\t03 2024 ", path)
    line = path.read_text(encoding="utf-8").strip()
    assert line.split(" ")[1] == "Gemeinderat_12._03_2024"
    assert len(line.split(" ")) == 10
    assert read_rttm(path, uri="Gemeinderat 12. 03 2024") == TURNS[:1]


def test_speaker_whitespace_replaced() -> None:
    text = format_rttm([SpeakerTurn(1.0, 2.0, "Frau Müller")], "x")
    assert text.split()[7] == "Frau_Müller"


def test_empty_uri_and_bad_turns_rejected() -> None:
    with pytest.raises(ValueError):
        format_rttm(TURNS, "   ")
    with pytest.raises(ValueError):
        format_rttm([SpeakerTurn(5.0, 4.0, "A")], "x")
    with pytest.raises(ValueError):
        format_rttm([SpeakerTurn(-1.0, 4.0, "A")], "x")


def test_empty_turns_give_empty_file(tmp_path: Path) -> None:
    path = tmp_path / "empty.rttm"
    write_rttm([], "x", path)
    assert path.read_text(encoding="utf-8") == ""
    assert read_rttm(path) == []


def test_parse_reference_with_comments_other_types_and_uri_filter() -> None:
    text = (
        "# reference annotation\n"
        "\n"
        "SPEAKER a 1 1.5 2.0 <NA> <NA> spk1 <NA> <NA>\n"
        "SPKR-INFO a 1 <NA> <NA> <NA> unknown spk1 <NA> <NA>\n"
        "SPEAKER b 1 0.0 1.0 <NA> <NA> spk9 <NA> <NA>\n"
        "SPEAKER  a  1  4.25  0.75  <NA>  <NA>  spk2  <NA>  <NA>\n"
    )
    assert parse_rttm(text, uri="a") == [
        SpeakerTurn(1.5, 3.5, "spk1"),
        SpeakerTurn(4.25, 5.0, "spk2"),
    ]
    assert len(parse_rttm(text)) == 3


def test_parse_rejects_short_line() -> None:
    with pytest.raises(ValueError, match="line 1"):
        parse_rttm("SPEAKER a 1 1.5\n")
