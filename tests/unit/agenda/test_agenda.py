"""The agenda file: the sample, JSON, and every kind of malformed input."""

from __future__ import annotations

import datetime as dt
import json
import tomllib
from pathlib import Path

import pytest

from protokoll.domain.agenda import Agenda, load_agenda, parse_agenda
from protokoll.errors import AgendaError

ROOT = Path(__file__).resolve().parents[3]
SAMPLE = ROOT / "samples" / "agenda.toml"

MINIMAL = '[meeting]\nbody = "Rat der Gemeinde Lindenau"\ndate = 2026-11-19\n'


def parse(text: str) -> Agenda:
    return parse_agenda(text, "tagesordnung.toml", "toml")


def error_of(text: str, fmt: str = "toml") -> str:
    with pytest.raises(AgendaError) as info:
        parse_agenda(text, f"tagesordnung.{fmt}", fmt)
    return str(info.value)


@pytest.fixture(scope="module")
def sample() -> Agenda:
    return load_agenda(SAMPLE)


# ---- the sample ---------------------------------------------------------------------------------


def test_sample_meeting(sample: Agenda) -> None:
    m = sample.meeting
    assert m.body == "Rat der Gemeinde Lindenau"
    assert m.session_number == "12/2026"
    assert m.date == dt.date(2026, 11, 19)
    assert m.place == "Ratssaal, Rathaus Lindenau"
    assert m.start_time == "18:00"
    assert sample.meeting_facts() == {
        "body": "Rat der Gemeinde Lindenau",
        "date": "19.11.2026",
        "session_number": "12/2026",
        "place": "Ratssaal, Rathaus Lindenau",
        "start_time": "18:00",
    }


def test_sample_members(sample: Agenda) -> None:
    assert len(sample.members) == 9
    chair = [m for m in sample.members if m.chair]
    assert [m.name for m in chair] == ["Anna Berger"]
    assert chair[0].role == "Bürgermeisterin"
    administration = [m.name for m in sample.members if m.administration]
    assert administration == ["Michael Hartmann"]
    absent = [m.name for m in sample.members if m.absent]
    assert absent == ["Peter Brandt"]
    assert "Peter Brandt" not in [m.name for m in sample.present_members]
    keller = next(m for m in sample.members if m.name == "Thomas Keller")
    assert (keller.role, keller.faction, keller.chair, keller.absent) == (
        "Ratsmitglied",
        "SPD",
        False,
        False,
    )


def test_sample_items(sample: Agenda) -> None:
    assert [item.number for item in sample.items] == ["1", "2", "3", "4"]
    assert sample.items[1].title == "Sanierung der Grundschule am Lindenweg"
    assert sample.items[1].paper == "Vorlage 2026/045"
    assert [item.public for item in sample.items] == [True, True, True, False]
    assert sample.items[3].paper == "Vorlage 2026/052 N"


def test_sample_vocabulary_hint(sample: Agenda) -> None:
    hint = sample.vocabulary_hint()
    for name in ("Anna Berger", "Thomas Keller", "Michael Hartmann", "Monika Fischer"):
        assert name in hint
    for item in sample.items:
        assert item.title in hint
    assert "Rat der Gemeinde Lindenau" in hint
    assert "Ratssaal, Rathaus Lindenau" in hint
    assert "Lindenweg" in hint and "Schulbauförderprogramm" in hint
    assert "Peter Brandt" not in hint  # absent
    assert "" not in hint
    assert len(hint) == len(set(hint))
    # members first, then body and place, titles, extra vocabulary
    assert hint[0] == "Anna Berger"
    assert hint.index("Rat der Gemeinde Lindenau") > hint.index("Monika Fischer")
    assert hint.index("Lindenau") > hint.index(sample.items[-1].title)


def test_sample_max_speakers(sample: Agenda) -> None:
    present = [m for m in sample.members if not m.absent]
    assert sample.max_speakers() == len(present) == 8


def test_json_equivalent(sample: Agenda, tmp_path: Path) -> None:
    data = tomllib.loads(SAMPLE.read_text(encoding="utf-8"))
    path = tmp_path / "tagesordnung.json"
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2, default=str), encoding="utf-8")
    assert '"date": "2026-11-19"' in path.read_text(encoding="utf-8")
    assert load_agenda(path) == sample


def test_hand_written_json() -> None:
    text = """{
      "vocabulary": ["Mühlbach"],
      "meeting": {"body": "Bauausschuss", "date": "2026-12-03", "start_time": "17:30"},
      "members": [{"name": "Jürgen Wolff", "chair": true}, {"name": "Sabine Roth"}],
      "items": [{"number": "1", "title": "Bauvoranfrage Lindenweg 4", "public": false}]
    }"""
    agenda = parse_agenda(text, "ausschuss.json", "json")
    assert agenda.meeting.body == "Bauausschuss"
    assert agenda.meeting.date == dt.date(2026, 12, 3)
    assert agenda.members[0].chair and not agenda.members[1].chair
    assert agenda.items[0].public is False
    assert agenda.max_speakers() == 2
    assert agenda.vocabulary_hint() == [
        "Jürgen Wolff",
        "Sabine Roth",
        "Bauausschuss",
        "Bauvoranfrage Lindenweg 4",
        "Mühlbach",
    ]


def test_uppercase_suffix_is_accepted(tmp_path: Path) -> None:
    path = tmp_path / "TAGESORDNUNG.TOML"
    path.write_text(MINIMAL, encoding="utf-8")
    assert load_agenda(path).meeting.body == "Rat der Gemeinde Lindenau"


def test_minimal_agenda_has_defaults() -> None:
    agenda = parse(MINIMAL)
    assert agenda.members == [] and agenda.items == [] and agenda.vocabulary == []
    assert agenda.max_speakers() is None
    assert agenda.meeting_facts() == {"body": "Rat der Gemeinde Lindenau", "date": "19.11.2026"}
    assert agenda.vocabulary_hint() == ["Rat der Gemeinde Lindenau"]


def test_date_as_string_and_time_variants() -> None:
    agenda = parse('[meeting]\nbody = "Rat"\ndate = "2026-11-19"\nstart_time = "9:30"\n')
    assert agenda.meeting.date == dt.date(2026, 11, 19)
    assert agenda.meeting.start_time == "09:30"
    agenda = parse('[meeting]\nbody = "Rat"\ndate = 2026-11-19\nstart_time = 18:30:00\n')
    assert agenda.meeting.start_time == "18:30"


def test_numbers_may_be_written_as_integers() -> None:
    agenda = parse(MINIMAL + 'session_number = 12\n[[items]]\nnumber = 3\ntitle = "Anfragen"\n')
    assert agenda.meeting.session_number == "12"
    assert agenda.items[0].number == "3"


def test_whitespace_around_values_is_stripped() -> None:
    agenda = parse(MINIMAL + '[[items]]\nnumber = " 2a "\ntitle = "  Anfragen "\n')
    assert agenda.items[0].number == "2a"
    assert agenda.items[0].title == "Anfragen"


# ---- content errors ----------------------------------------------------------------------------


def test_missing_meeting_date() -> None:
    message = error_of('[meeting]\nbody = "Rat"\n')
    assert "tagesordnung.toml" in message
    assert "Feld „meeting.date“ fehlt" in message


def test_missing_meeting() -> None:
    assert "Feld „meeting“ fehlt" in error_of('vocabulary = ["Lindenweg"]\n')


@pytest.mark.parametrize("value", ['"2026-13-01"', '"19.11.2026"', '"morgen"', "20261119"])
def test_bad_date(value: str) -> None:
    message = error_of(f'[meeting]\nbody = "Rat"\ndate = {value}\n')
    assert "„meeting.date“" in message
    assert "JJJJ-MM-TT" in message


def test_date_with_time_is_rejected() -> None:
    message = error_of('[meeting]\nbody = "Rat"\ndate = 2026-11-19T18:00:00\n')
    assert "„meeting.date“" in message and "ohne Uhrzeit" in message


@pytest.mark.parametrize("value", ["25:00", "18 Uhr", "18.00", "18:60"])
def test_bad_start_time(value: str) -> None:
    message = error_of(MINIMAL + f'start_time = "{value}"\n')
    assert "„meeting.start_time“" in message
    assert "HH:MM" in message
    assert value in message


def test_item_without_title_names_the_item_and_its_number() -> None:
    text = MINIMAL + (
        '[[items]]\nnumber = "1"\ntitle = "Eröffnung"\n'
        '[[items]]\nnumber = "2"\npaper = "Vorlage 2026/045"\n'
    )
    message = error_of(text)
    assert "Feld „items[2] (TOP 2).title“ fehlt" in message


def test_empty_title_is_rejected() -> None:
    message = error_of(MINIMAL + '[[items]]\nnumber = "7"\ntitle = "   "\n')
    assert "„items[1] (TOP 7).title“" in message
    assert "darf nicht leer sein" in message


def test_item_without_number() -> None:
    message = error_of(MINIMAL + '[[items]]\ntitle = "Anfragen"\n')
    assert "Feld „items[1].number“ fehlt" in message


def test_member_errors_name_the_member() -> None:
    message = error_of(MINIMAL + '[[members]]\nname = "Anna Berger"\nchair = "ja"\n')
    assert "„members[1] (Anna Berger).chair“" in message
    assert "true oder false erwartet" in message


def test_unknown_field_in_meeting() -> None:
    message = error_of(MINIMAL + 'ort = "Rathaus"\n')
    assert "unbekanntes Feld „meeting.ort“" in message
    assert "erlaubt: body, session_number, date, place, start_time" in message


def test_unknown_field_in_a_member() -> None:
    message = error_of(MINIMAL + '[[members]]\nname = "Thomas Keller"\nparty = "SPD"\n')
    assert "unbekanntes Feld „members[1] (Thomas Keller).party“" in message
    assert "faction" in message


def test_unknown_top_level_field() -> None:
    message = error_of("tops = []\n" + MINIMAL)
    assert "unbekanntes Feld „tops“" in message
    assert "erlaubt: vocabulary, meeting, members, items" in message


def test_several_problems_are_reported_together() -> None:
    message = error_of('[meeting]\nbody = ""\n')
    assert "„meeting.body“" in message
    assert "„meeting.date“ fehlt" in message


def test_duplicate_top_numbers() -> None:
    text = MINIMAL + (
        '[[items]]\nnumber = "1"\ntitle = "A"\n'
        '[[items]]\nnumber = "2"\ntitle = "B"\n'
        '[[items]]\nnumber = "2"\ntitle = "C"\n'
    )
    message = error_of(text)
    assert "TOP-Nummer(n) mehrfach vergeben: 2" in message


def test_duplicate_top_numbers_despite_whitespace_or_integers() -> None:
    text = MINIMAL + '[[items]]\nnumber = 1\ntitle = "A"\n[[items]]\nnumber = " 1"\ntitle = "B"\n'
    assert "mehrfach vergeben: 1" in error_of(text)


def test_items_must_be_a_list() -> None:
    message = error_of(MINIMAL + '[items]\nnumber = "1"\n')
    assert "„items“" in message and "Liste erwartet" in message


# ---- syntax and file errors --------------------------------------------------------------------


def test_toml_syntax_error_names_the_line() -> None:
    text = '[meeting]\nbody = "Rat\ndate = 2026-11-19\n'
    message = error_of(text)
    assert "TOML-Syntaxfehler" in message
    assert "Zeile 2" in message
    assert 'body = "Rat' in message  # the offending line is shown


def test_toml_syntax_error_at_the_end() -> None:
    message = error_of(MINIMAL + "vocabulary = [\n")
    assert "TOML-Syntaxfehler" in message


def test_json_syntax_error_names_line_and_column() -> None:
    text = '{\n  "meeting": {"body": "Rat", "date": "2026-11-19"},\n  "items": [1,]\n}\n'
    message = error_of(text, "json")
    assert "JSON-Syntaxfehler in Zeile 3, Spalte 15" in message
    assert '"items": [1,]' in message


def test_json_top_level_must_be_an_object() -> None:
    message = error_of('[{"meeting": {}}]', "json")
    assert "erwartet wird ein Objekt" in message


def test_json_content_errors_are_named() -> None:
    text = json.dumps(
        {
            "meeting": {"body": "Rat", "date": "2026-11-19"},
            "items": [{"number": "1", "title": "A"}, {"number": "2"}],
        }
    )
    assert "Feld „items[2] (TOP 2).title“ fehlt" in error_of(text, "json")


def test_wrong_suffix(tmp_path: Path) -> None:
    path = tmp_path / "tagesordnung.docx"
    path.write_bytes(b"PK\x03\x04")
    with pytest.raises(AgendaError) as info:
        load_agenda(path)
    message = str(info.value)
    assert "tagesordnung.docx" in message
    assert ".toml oder .json" in message


def test_missing_file(tmp_path: Path) -> None:
    path = tmp_path / "fehlt.toml"
    with pytest.raises(AgendaError, match="nicht gefunden") as info:
        load_agenda(path)
    assert "fehlt.toml" in str(info.value)


def test_directory_is_not_an_agenda(tmp_path: Path) -> None:
    folder = tmp_path / "agenda.toml"
    folder.mkdir()
    with pytest.raises(AgendaError, match="nicht gefunden"):
        load_agenda(folder)


def test_non_utf8_file(tmp_path: Path) -> None:
    path = tmp_path / "tagesordnung.toml"
    path.write_bytes(MINIMAL.replace("Lindenau", "Mühlbach").encode("latin-1"))
    with pytest.raises(AgendaError) as info:
        load_agenda(path)
    assert "keine UTF-8-Textdatei" in str(info.value)
    assert "tagesordnung.toml" in str(info.value)


def test_utf8_bom_is_tolerated(tmp_path: Path) -> None:
    for name in ("bom.toml", "bom.json"):
        path = tmp_path / name
        text = (
            MINIMAL
            if name.endswith(".toml")
            else json.dumps(
                {"meeting": {"body": "Rat der Gemeinde Lindenau", "date": "2026-11-19"}}
            )
        )
        path.write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
        assert load_agenda(path).meeting.body == "Rat der Gemeinde Lindenau"


def test_errors_are_agenda_errors_with_exit_code() -> None:
    with pytest.raises(AgendaError) as info:
        parse("kaputt")
    assert info.value.exit_code == 4


def test_examples_in_the_format_documentation_parse_and_agree() -> None:
    doc = (ROOT / "docs" / "agenda-format.md").read_text(encoding="utf-8")
    toml_text = doc.split("```toml\n", 1)[1].split("```", 1)[0]
    json_text = doc.split("```json\n", 1)[1].split("```", 1)[0]
    from_toml = parse_agenda(toml_text, "doku.toml", "toml")
    from_json = parse_agenda(json_text, "doku.json", "json")
    assert from_toml == from_json
    assert from_toml.max_speakers() == 3
    assert [item.public for item in from_toml.items] == [True, True, False]
