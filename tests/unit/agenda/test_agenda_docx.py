"""The DOCX invitation importer, the sample agenda.docx and `load_agenda_source`."""

from __future__ import annotations

import datetime as dt
import importlib.util
from pathlib import Path
from types import ModuleType

import docx
import pytest
from docx.document import Document

from protokoll.agenda.docx_invitation import load_agenda_docx, nominative, parse_document
from protokoll.agenda.load import load_agenda_source
from protokoll.domain.agenda import Agenda, load_agenda, load_members
from protokoll.errors import AgendaError

ROOT = Path(__file__).resolve().parents[3]
SAMPLE_TOML = ROOT / "samples" / "agenda.toml"
SAMPLE_DOCX = ROOT / "samples" / "agenda.docx"


def items_of(agenda: Agenda) -> list[tuple[str, str, str, bool]]:
    return [(i.number, i.title, i.paper, i.public) for i in agenda.items]


def make_doc(*lines: str, style: str | None = None) -> Document:
    document = docx.Document()
    for line in lines:
        document.add_paragraph(line, style=style)
    return document


def parse(document: Document) -> Agenda:
    return parse_document(document, "einladung.docx")


def error_of(document: Document) -> str:
    with pytest.raises(AgendaError) as info:
        parse(document)
    return str(info.value)


HEADER = (
    "Gemeinde Lindenau – Die Bürgermeisterin",
    "Lindenau, 02.11.2026",
    "Einladung zur 12. Sitzung des Rates der Gemeinde Lindenau",
    "am Donnerstag, 19.11.2026, 18:00 Uhr",
    "Ort: Ratssaal, Rathaus Lindenau",
)


# ---- the sample ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def make_sample() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "make_agenda_docx", ROOT / "samples" / "make_agenda_docx.py"
    )
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_sample_docx_matches_the_toml() -> None:
    toml = load_agenda(SAMPLE_TOML)
    agenda = load_agenda_source(SAMPLE_DOCX)
    assert items_of(agenda) == items_of(toml)
    assert agenda.meeting == toml.meeting  # body, date, session number, place, start time
    assert agenda.members == []


def test_sample_docx_is_up_to_date(make_sample: ModuleType, tmp_path: Path) -> None:
    fresh = make_sample.write(SAMPLE_TOML, tmp_path / "agenda.docx")
    assert load_agenda_docx(fresh) == load_agenda_docx(SAMPLE_DOCX)
    again = make_sample.write(SAMPLE_TOML, tmp_path / "again.docx")
    assert again.read_bytes() == fresh.read_bytes()  # reproducible


def test_members_merged_from_toml() -> None:
    agenda = load_agenda_source(SAMPLE_DOCX, members_from=SAMPLE_TOML)
    toml = load_agenda(SAMPLE_TOML)
    assert agenda.members == toml.members
    assert agenda.vocabulary == toml.vocabulary
    assert agenda.max_speakers() == 8
    assert items_of(agenda) == items_of(toml)


def test_member_list_without_meeting(tmp_path: Path) -> None:
    members = tmp_path / "rat.toml"
    members.write_text(
        'vocabulary = ["Lindenau"]\n[[members]]\nname = "Anna Berger"\nchair = true\n'
        '[[members]]\nname = "Thomas Keller"\nfaction = "SPD"\n',
        encoding="utf-8",
    )
    people, vocabulary = load_members(members)
    assert [m.name for m in people] == ["Anna Berger", "Thomas Keller"]
    assert vocabulary == ["Lindenau"]
    agenda = load_agenda_source(str(SAMPLE_DOCX), members_from=str(members))
    assert [m.faction for m in agenda.members] == ["", "SPD"]


def test_member_list_errors(tmp_path: Path) -> None:
    empty = tmp_path / "leer.toml"
    empty.write_text('vocabulary = ["x"]\n', encoding="utf-8")
    with pytest.raises(AgendaError, match="keine Mitglieder"):
        load_members(empty)
    typo = tmp_path / "tippfehler.toml"
    typo.write_text('[[members]]\nname = "Anna Berger"\nparty = "SPD"\n', encoding="utf-8")
    with pytest.raises(AgendaError, match=r"members\[1\] \(Anna Berger\)\.party"):
        load_members(typo)


# ---- load_agenda_source dispatch ----------------------------------------------------------------


def test_source_toml_and_json(tmp_path: Path) -> None:
    assert load_agenda_source(SAMPLE_TOML) == load_agenda(SAMPLE_TOML)
    assert load_agenda_source(str(SAMPLE_TOML)) == load_agenda(SAMPLE_TOML)
    as_json = tmp_path / "t.JSON"
    as_json.write_text('{"meeting": {"body": "Rat", "date": "2026-11-19"}}', encoding="utf-8")
    assert load_agenda_source(as_json).meeting.body == "Rat"


def test_source_unknown_or_missing(tmp_path: Path) -> None:
    odt = tmp_path / "einladung.odt"
    odt.write_bytes(b"PK\x03\x04")
    with pytest.raises(AgendaError, match=r"\.toml, \.json oder \.docx"):
        load_agenda_source(odt)
    with pytest.raises(AgendaError, match="nicht gefunden"):
        load_agenda_source(tmp_path / "fehlt.docx")
    with pytest.raises(AgendaError, match="nicht gefunden"):
        load_agenda_source(tmp_path / "fehlt.pdf")
    with pytest.raises(AgendaError, match="http- oder https-Adresse"):
        load_agenda_source("ftp://ris.example.org/meeting/1")


def test_not_a_docx(tmp_path: Path) -> None:
    fake = tmp_path / "einladung.docx"
    fake.write_text("kein Word-Dokument", encoding="utf-8")
    with pytest.raises(AgendaError, match="keine lesbare DOCX-Datei"):
        load_agenda_source(fake)


# ---- paragraphs ---------------------------------------------------------------------------------


def test_paragraph_style_with_top_prefix() -> None:
    agenda = parse(
        make_doc(
            *HEADER,
            "Tagesordnung",
            "Öffentlicher Teil",
            "TOP 1: Genehmigung der Niederschrift",
            "TOP 2: Sanierung der Grundschule am Lindenweg (Vorlage 2026/045)",
            "TOP 3 – Antrag der SPD-Fraktion: Tempo 30 in der Hauptstraße",
            "Antrag: 2026/051",
            "Nichtöffentlicher Teil",
            "TOP 4: Grundstücksangelegenheit: Verkauf einer Teilfläche am Mühlbach",
            "Mit freundlichen Grüßen",
            "gez. Anna Berger",
        )
    )
    assert items_of(agenda) == [
        ("1", "Genehmigung der Niederschrift", "", True),
        ("2", "Sanierung der Grundschule am Lindenweg", "Vorlage 2026/045", True),
        ("3", "Antrag der SPD-Fraktion: Tempo 30 in der Hauptstraße", "Antrag 2026/051", True),
        ("4", "Grundstücksangelegenheit: Verkauf einer Teilfläche am Mühlbach", "", False),
    ]
    m = agenda.meeting
    assert m.body == "Rat der Gemeinde Lindenau"
    assert m.session_number == "12"
    assert m.date == dt.date(2026, 11, 19)  # not the letter's date 02.11.2026
    assert m.start_time == "18:00"
    assert m.place == "Ratssaal, Rathaus Lindenau"


def test_plain_numbered_paragraphs() -> None:
    agenda = parse(
        make_doc(
            "Sitzung des Bauausschusses",
            "Datum: 19. November 2026",
            "Beginn: 17.30 Uhr",
            "Tagesordnung:",
            "1. Eröffnung und Feststellung der Beschlussfähigkeit",
            "2. Bebauungsplan Nr. 12 „Am Mühlbach“ (2026/061)",
            "2.1 Abwägung der Stellungnahmen",
            "2.2 Satzungsbeschluss – Drucksache 2026/062",
            "7a) Anfragen",
            "B) Nicht öffentliche Sitzung",
            "N 8. Personalangelegenheiten",
            "Ö 9. Bekanntgabe der nichtöffentlich gefassten Beschlüsse",
        )
    )
    assert items_of(agenda) == [
        ("1", "Eröffnung und Feststellung der Beschlussfähigkeit", "", True),
        ("2", "Bebauungsplan Nr. 12 „Am Mühlbach“", "2026/061", True),
        ("2.1", "Abwägung der Stellungnahmen", "", True),
        ("2.2", "Satzungsbeschluss", "Drucksache 2026/062", True),
        ("7a", "Anfragen", "", True),
        ("8", "Personalangelegenheiten", "", False),
        ("9", "Bekanntgabe der nichtöffentlich gefassten Beschlüsse", "", True),
    ]
    assert agenda.meeting.body == "Bauausschuss"
    assert agenda.meeting.date == dt.date(2026, 11, 19)
    assert agenda.meeting.start_time == "17:30"
    assert agenda.meeting.session_number == ""


def test_numbers_before_the_agenda_heading_are_no_items() -> None:
    agenda = parse(
        make_doc(
            "12. Sitzung des Technischen Ausschusses",
            "1. Termin: 19.11.2026, 18 Uhr",
            "Tagesordnung",
            "1. Genehmigung der Niederschrift",
        )
    )
    assert items_of(agenda) == [("1", "Genehmigung der Niederschrift", "", True)]
    assert agenda.meeting.body == "Technischer Ausschuss"
    assert agenda.meeting.session_number == "12"
    assert agenda.meeting.start_time == "18:00"


def test_word_numbered_list() -> None:
    document = make_doc("Sitzung des Rates der Gemeinde Lindenau am 19.11.2026", "Tagesordnung")
    for title in ("Genehmigung der Niederschrift", "Sanierung der Grundschule (Vorlage 2026/045)"):
        document.add_paragraph(title, style="List Number")
    document.add_paragraph("Nichtöffentlicher Teil")
    document.add_paragraph("Grundstücksangelegenheiten", style="List Number")
    document.add_paragraph("Stichpunkt ohne Nummer", style="List Bullet")
    agenda = parse(document)
    assert items_of(agenda) == [
        ("1", "Genehmigung der Niederschrift", "", True),
        ("2", "Sanierung der Grundschule", "Vorlage 2026/045", True),
        ("3", "Grundstücksangelegenheiten", "", False),
    ]


def test_meeting_line_variants() -> None:
    agenda = parse(
        make_doc(
            "Sitzung Nr. 12/2026",
            "Gremium: Rat der Gemeinde Lindenau",
            "Termin: 2026-11-19, 18.00 Uhr",
            "Raum: Saal 3",
            "TOP 1: Eröffnung",
        )
    )
    m = agenda.meeting
    assert (m.body, m.session_number, m.date, m.start_time, m.place) == (
        "Rat der Gemeinde Lindenau",
        "12/2026",
        dt.date(2026, 11, 19),
        "18:00",
        "Saal 3",
    )
    agenda = parse(
        make_doc(
            "Sitzungs-Nr.: 7/2026",
            "Sitzung der Stadtverordnetenversammlung am 19. November 2026",
            "Beginn: 9:30",
            "Sitzungsort: Rathaus",
            "TOP 1: Eröffnung",
        )
    )
    m = agenda.meeting
    assert (m.body, m.session_number, m.date, m.start_time, m.place) == (
        "Stadtverordnetenversammlung",
        "7/2026",
        dt.date(2026, 11, 19),
        "09:30",
        "Rathaus",
    )


# ---- tables -------------------------------------------------------------------------------------


def add_table(document: Document, rows: list[tuple[str, ...]]) -> None:
    table = document.add_table(rows=0, cols=max(len(values) for values in rows))
    for values in rows:
        cells = table.add_row().cells
        if len(values) == 1:
            cells[0].merge(cells[-1]).text = values[0]
            continue
        for cell, value in zip(cells, values, strict=True):
            cell.text = value


def test_table_with_public_column_and_header_table() -> None:
    document = docx.Document()
    add_table(
        document,
        [
            ("Gremium:", "Haupt- und Finanzausschuss"),
            ("Sitzungstermin:", "Dienstag, 01.12.2026, 17:00 Uhr"),
            ("Sitzungsort:", "Sitzungssaal 2"),
        ],
    )
    add_table(
        document,
        [
            ("Nr.", "Ö/NÖ", "Beratungsgegenstand", "Drucksache"),
            ("1", "Ö", "Haushaltssatzung 2027", "DS 2026/101"),
            ("2", "NÖ", "Vergabe Reinigungsleistungen", ""),
            ("", "", "Erläuterung ohne Nummer", ""),
            ("TOP 3", "Ö", "Verschiedenes", ""),
        ],
    )
    agenda = parse(document)
    assert items_of(agenda) == [
        ("1", "Haushaltssatzung 2027", "DS 2026/101", True),
        ("2", "Vergabe Reinigungsleistungen", "", False),
        ("3", "Verschiedenes", "", True),
    ]
    m = agenda.meeting
    assert (m.body, m.date, m.start_time, m.place) == (
        "Haupt- und Finanzausschuss",
        dt.date(2026, 12, 1),
        "17:00",
        "Sitzungssaal 2",
    )


def test_table_without_header() -> None:
    document = make_doc("Sitzung der Bezirksvertretung Mitte", "am 03.12.2026 um 16 Uhr")
    add_table(
        document,
        [
            ("Öffentliche Sitzung",),
            ("1.", "Mitteilungen", ""),
            ("2.", "Spielplatz Lindenweg", "2026/070"),
            ("Nichtöffentliche Sitzung",),
            ("3.", "Grundstücksangelegenheit", "2026/071 N"),
        ],
    )
    agenda = parse(document)
    assert items_of(agenda) == [
        ("1", "Mitteilungen", "", True),
        ("2", "Spielplatz Lindenweg", "2026/070", True),
        ("3", "Grundstücksangelegenheit", "2026/071 N", False),
    ]
    assert agenda.meeting.body == "Bezirksvertretung Mitte"
    assert agenda.meeting.start_time == "16:00"


# ---- errors -------------------------------------------------------------------------------------


def test_no_items() -> None:
    message = error_of(make_doc(*HEADER, "Tagesordnung", "wird nachgereicht"))
    assert "keine Tagesordnungspunkte gefunden" in message
    assert "einladung.docx" in message


def test_no_date_or_body() -> None:
    message = error_of(make_doc("Tagesordnung", "TOP 1: Eröffnung"))
    assert "das Gremium" in message and "das Datum der Sitzung" in message
    message = error_of(make_doc("Gremium: Rat", "TOP 1: Eröffnung"))
    assert "das Datum der Sitzung" in message and "das Gremium" not in message


def test_duplicate_numbers_are_reported() -> None:
    message = error_of(make_doc(*HEADER, "TOP 1: Eröffnung", "TOP 1: Nochmals"))
    assert "TOP-Nummer(n) mehrfach vergeben: 1" in message


# ---- helpers ------------------------------------------------------------------------------------

NOMINATIVE: list[tuple[str, str, str]] = [
    ("Rates der Gemeinde Lindenau", "des", "Rat der Gemeinde Lindenau"),
    ("Gemeinderates Lindenau", "des", "Gemeinderat Lindenau"),
    ("Stadtrats", "des", "Stadtrat"),
    ("Ausschusses für Umwelt, Bau und Verkehr", "des", "Ausschuss für Umwelt, Bau und Verkehr"),
    ("Haupt- und Finanzausschusses", "des", "Haupt- und Finanzausschuss"),
    ("Technischen Ausschusses", "des", "Technischer Ausschuss"),
    ("Kreistages des Landkreises Musterland", "des", "Kreistag des Landkreises Musterland"),
    ("Stadtverordnetenversammlung", "der", "Stadtverordnetenversammlung"),
]


@pytest.mark.parametrize(("genitive", "article", "expected"), NOMINATIVE)
def test_nominative(genitive: str, article: str, expected: str) -> None:
    assert nominative(genitive, article) == expected


def test_body_sentence_is_cut_before_date_and_verbs() -> None:
    line = "zur Sitzung des Ortschaftsrates Mühlbach am Montag, 07.12.2026, 19 Uhr lade ich ein."
    agenda = parse(make_doc(line, "TOP 1: Eröffnung"))
    assert agenda.meeting.body == "Ortschaftsrat Mühlbach"
    assert agenda.meeting.date == dt.date(2026, 12, 7)
    assert agenda.meeting.start_time == "19:00"
