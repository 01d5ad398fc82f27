from __future__ import annotations

import contextlib
import re
import xml.etree.ElementTree as ET
import zipfile
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import docx
import pytest
from docx.document import Document as DocxDocument
from docx.enum.text import WD_COLOR_INDEX
from docx.oxml.ns import qn
from docx.shared import Pt
from docx.text.paragraph import Paragraph

from protokoll import __version__
from protokoll.config import Settings
from protokoll.documents import niederschrift_docx as nd
from protokoll.documents.docx_common import HEADER_TEXT, add_field
from protokoll.documents.niederschrift_docx import (
    COMMENT_AUTHOR,
    NOTICE_TEXT,
    PUBLIC_NOTE,
    format_sources,
    format_votes,
    german_date,
    german_time,
    write_niederschrift_docx,
)
from protokoll.documents.templates.make_default_template import (
    DEFAULT_TEMPLATE,
    LETTERHEAD,
    build_template,
)
from protokoll.domain.minutes import Flag, Minutes, MinutesItem, SourceRange, SummarySentence, Votes
from protokoll.errors import ConfigError
from protokoll.pipeline.runner import letterhead, write_minutes_documents

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
CREATED = datetime(2026, 11, 20, 9, 30, tzinfo=UTC)
TITLES = {
    "1": "Genehmigung der Niederschrift über die 11. Sitzung vom 15.10.2026",
    "2": "Sanierung der Grundschule Am Lindenweg – Baubeschluss",
    "3": "Antrag der SPD-Fraktion auf Einrichtung eines Jugendbeirats",
    "4": "Verkauf des Grundstücks Gemarkung Musterstadt, Flur 3, Flurstück 112",
}


def _write(minutes: Minutes, tmp_path: Path, name: str = "niederschrift.docx", **kw: Any) -> Path:
    path = tmp_path / name
    write_niederschrift_docx(minutes, path, created=CREATED, **kw)
    return path


def _open(path: Path) -> DocxDocument:
    return docx.Document(str(path))


def _texts(doc: DocxDocument) -> list[str]:
    return [p.text for p in doc.paragraphs]


def _flat(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def _paragraph(doc: DocxDocument, startswith: str, after: str | None = None) -> Paragraph:
    paragraphs = doc.paragraphs
    if after is not None:
        start = next(i for i, p in enumerate(paragraphs) if p.text == after)
        paragraphs = paragraphs[start + 1 :]
    return next(p for p in paragraphs if p.text.startswith(startswith))


def _section(doc: DocxDocument, heading: str) -> list[Paragraph]:
    """The paragraphs after the TOP heading ``heading`` up to the next TOP/part heading."""
    out: list[Paragraph] = []
    inside = False
    for p in doc.paragraphs:
        style = p.style.name if p.style is not None else ""
        if inside and style in ("Heading 1", "Heading 2"):
            break
        if inside:
            out.append(p)
        if p.text == heading:
            inside = True
    return out


def _comments(path: Path) -> list[tuple[str, str]]:
    with zipfile.ZipFile(path) as z:
        if "word/comments.xml" not in z.namelist():
            return []
        root = ET.fromstring(z.read("word/comments.xml"))
    return [(c.get(f"{W}author", ""), "".join(c.itertext())) for c in root.iter(f"{W}comment")]


def _all_text(path: Path) -> str:
    """Every part of the package as raw text and as its XML text content joined up, so
    that text split across runs is found as well."""
    chunks = []
    with zipfile.ZipFile(path) as z:
        for name in z.namelist():
            raw = z.read(name)
            text = raw.decode("utf-8", errors="ignore")
            chunks.append(text)
            if name.endswith((".xml", ".rels")):
                with contextlib.suppress(ET.ParseError):
                    chunks.append("".join(ET.fromstring(raw).itertext()))
    return "\n".join(chunks)


def _highlighted(paragraph: Paragraph) -> list[str]:
    return [r.text for r in paragraph.runs if r.font.highlight_color == WD_COLOR_INDEX.YELLOW]


def _comment_ids(paragraph: Paragraph) -> list[str]:
    return [e.get(qn("w:id")) or "" for e in paragraph._p.iter(qn("w:commentRangeStart"))]


def _custom_properties(doc: DocxDocument) -> dict[str, str]:
    parts = {str(p.partname): p for p in doc.part.package.iter_parts()}
    root = ET.fromstring(parts["/docProps/custom.xml"].blob)
    ns = "{http://schemas.openxmlformats.org/officeDocument/2006/custom-properties}"
    return {p.get("name", ""): "".join(p.itertext()) for p in root.iter(f"{ns}property")}


@pytest.fixture
def path(minutes: Minutes, tmp_path: Path) -> Path:
    return _write(minutes, tmp_path, speaker_names={"SPEAKER_03": "Ratsmitglied Öztürk"})


@pytest.fixture
def doc(path: Path) -> DocxDocument:
    return _open(path)


# --- title block, notice, header ----------------------------------------------------------


def test_title_block(doc: DocxDocument) -> None:
    first = doc.paragraphs[0]
    assert first.text == "Niederschrift"
    assert first.style is not None and first.style.name == "Title"
    subtitle = doc.paragraphs[1]
    assert subtitle.style is not None and subtitle.style.name == "Subtitle"
    assert subtitle.text == "Rat der Gemeinde Musterstadt\nüber die 12. Sitzung am 19.11.2026"
    flat = [_flat(t) for t in _texts(doc)]
    for line in (
        "Datum: 19.11.2026",
        "Ort: Rathaus Musterstadt, Ratssaal",
        "Beginn: 18:00 Uhr",
        "Ende: 19:14 Uhr",
        "Protokollart: Verlaufsprotokoll",
    ):
        assert line in flat
    assert "Enthält den nicht öffentlichen Teil – nur für Berechtigte." in flat


def test_notice_header_and_footer(doc: DocxDocument) -> None:
    notice = _paragraph(doc, "KI-gestützter Entwurf:")
    assert notice.text == NOTICE_TEXT
    assert "von der Schriftführung zu prüfen" in NOTICE_TEXT
    assert all(run.bold for run in notice.runs)
    ppr = notice._p.pPr
    assert ppr is not None
    shading = ppr.find(qn("w:shd"))
    assert shading is not None and shading.get(qn("w:fill")) == "FFF2CC"
    # the notice comes before the content
    texts = _texts(doc)
    assert texts.index(NOTICE_TEXT) < texts.index("Anwesenheit")

    header = [p.text for p in doc.sections[0].header.paragraphs]
    assert header[0] == "Briefkopf der Kommune"  # the template's letterhead stays
    assert header[-1] == HEADER_TEXT
    footer = doc.sections[0].footer.paragraphs[0]
    assert footer.text.startswith("Seite ")
    assert "PAGE" in footer._p.xml and "NUMPAGES" in footer._p.xml


def test_template_body_replaced(doc: DocxDocument) -> None:
    assert not any("Textkörper wird beim Erstellen ersetzt" in t for t in _texts(doc))


# --- attendance, agenda ---------------------------------------------------------------------


def test_attendance(doc: DocxDocument) -> None:
    texts = _texts(doc)
    start = texts.index("Anwesenheit")
    lines = [_flat(t) for t in texts[start + 1 : start + 7]]
    assert lines == [
        "Vorsitz: Bürgermeisterin Anna Schäfer",
        "Anwesend (6): Jonas Keller (CDU), Emine Öztürk (SPD), Heinrich Bäumer (CDU), "
        "Lena Wißmann (Grüne), Dr. Karl-Heinz Pöppelmann (FDP), Maria Grothues (SPD)",
        "Entschuldigt: Peter Hartmann (FDP)",
        "Verwaltung: Kämmerer Thomas Roth, Fachbereichsleiterin Julia Neumann",
        "Gäste: Markus Brandt (Ingenieurbüro Brandt & Partner)",
        "Schriftführung: Sabine Vogel",
    ]
    vorsitz = doc.paragraphs[start + 1]
    assert vorsitz.runs[0].text == "Vorsitz:" and vorsitz.runs[0].bold


def test_agenda_table(doc: DocxDocument) -> None:
    rows = [[c.text for c in row.cells] for row in doc.tables[0].rows]
    assert rows == [
        ["TOP", "Betreff", "Vorlage"],
        ["Öffentlicher Teil"] * 3,  # one cell merged over the row
        ["1", TITLES["1"], "–"],
        ["2", TITLES["2"], "2026/0142"],
        ["3", TITLES["3"], "2026/0150"],
        ["Nicht öffentlicher Teil"] * 3,
        ["4", TITLES["4"], "2026/0161"],
    ]
    header_row = doc.tables[0].rows[0]._tr
    assert header_row.find(f"{qn('w:trPr')}/{qn('w:tblHeader')}") is not None


# --- agenda items ---------------------------------------------------------------------------


def test_item_headings_and_parts(doc: DocxDocument) -> None:
    headings = [
        (p.text, p.style.name if p.style else "")
        for p in doc.paragraphs
        if p.style is not None and p.style.name in ("Heading 1", "Heading 2")
    ]
    assert headings == [
        ("Prüfhinweise", "Heading 1"),
        ("Anwesenheit", "Heading 1"),
        ("Tagesordnung", "Heading 1"),
        ("Öffentlicher Teil", "Heading 1"),
        (f"TOP 1: {TITLES['1']}", "Heading 2"),
        (f"TOP 2: {TITLES['2']}", "Heading 2"),
        (f"TOP 3: {TITLES['3']}", "Heading 2"),
        ("Nicht öffentlicher Teil", "Heading 1"),
        (f"TOP 4: {TITLES['4']}", "Heading 2"),
        ("Anlage: Sprecherzuordnung", "Heading 1"),
    ]
    non_public = _paragraph(doc, "Nicht öffentlicher Teil")
    assert non_public.paragraph_format.page_break_before

    top2 = [p.text for p in _section(doc, f"TOP 2: {TITLES['2']}")]
    assert top2[0] == "Vorlage: 2026/0142"
    labels = [t for t in top2 if t in ("Beratungsverlauf", "Anträge", "Beschluss")]
    assert labels == ["Beratungsverlauf", "Anträge", "Beschluss"]
    assert "Abstimmungsergebnis" in top2
    assert "Antrag der CDU-Fraktion: Ausschreibung der Bauleistungen in zwei Losen." in top2
    # TOP 1 has no paper: no "Vorlage:" line
    top1 = [p.text for p in _section(doc, f"TOP 1: {TITLES['1']}")]
    assert not any(t.startswith("Vorlage:") for t in top1)


def test_debate_in_indirect_speech_with_time_marks(doc: DocxDocument) -> None:
    paragraph = _paragraph(doc, "Kämmerer Roth erläuterte")
    text = paragraph.text
    assert "das Land fördere davon 1,8 Mio. Euro. [00:12:03–00:12:40] " in text
    # several sources, in one mark
    assert "[00:18:21–00:19:02; 00:19:50–00:20:01]" in text
    # speaker labels replaced: mapped by the caller, unmapped as "Sprecher N"
    assert "Ratsmitglied Öztürk erklärte, die SPD-Fraktion" in text
    assert "Sprecher 6 fragte nach dem Zeitplan der Bauarbeiten." in text
    assert "SPEAKER_" not in "\n".join(_texts(doc))
    marks = [r for r in paragraph.runs if r.text.startswith("[")]
    assert len(marks) == 3
    for mark in marks:
        assert mark.style is not None and mark.style.name == "Zeitmarke"
    style = doc.styles["Zeitmarke"]
    assert style.font.size == Pt(8)
    assert style.font.color.rgb is not None and str(style.font.color.rgb) == "7F7F7F"


def test_resolution_and_votes(doc: DocxDocument) -> None:
    top2 = _section(doc, f"TOP 2: {TITLES['2']}")
    texts = [p.text for p in top2]
    resolution = [p for p in top2 if p.style is not None and p.style.name == "Beschlusstext"]
    assert [p.text for p in resolution] == [
        "Der Rat beschließt die Sanierung der Grundschule Am Lindenweg auf Grundlage der "
        "Entwurfsplanung vom 02.10.2026 mit Gesamtkosten von 4,2 Mio. Euro.",
        "Die Verwaltung wird beauftragt, die Bauleistungen auszuschreiben.",
    ]
    vote = texts[texts.index("Abstimmungsergebnis") + 1]
    assert vote == "mehrheitlich beschlossen\nJa: 14, Nein: 3, Enthaltungen: 2, Befangen: –"

    top3 = [p.text for p in _section(doc, f"TOP 3: {TITLES['3']}")]
    assert top3[top3.index("Beschluss") + 1] == "kein Beschluss"
    assert top3[top3.index("Abstimmungsergebnis") + 1] == "vertagt"  # no counts after a deferral

    top4 = [p.text for p in _section(doc, f"TOP 4: {TITLES['4']}")]
    assert top4[top4.index("Abstimmungsergebnis") + 1] == (
        "beschlossen\nJa: 15, Nein: 2, Enthaltungen: 1, Befangen: 1"
    )
    assert "Befangen: 0" not in "\n".join(_texts(doc))


def test_counts_not_said_are_dashes_and_flagged(path: Path, doc: DocxDocument) -> None:
    top1 = _section(doc, f"TOP 1: {TITLES['1']}")
    vote = top1[[p.text for p in top1].index("Abstimmungsergebnis") + 1]
    assert vote.text == "einstimmig beschlossen\nJa: –, Nein: –, Enthaltungen: –, Befangen: –"
    assert _highlighted(vote) == ["Ja: –, Nein: –, Enthaltungen: –, Befangen: –"]
    ids = _comment_ids(vote)
    assert len(ids) == 1
    comments = dict(
        zip(
            [c.get(qn("w:id")) for c in _comment_elements(path)],
            [text for _, text in _comments(path)],
            strict=True,
        )
    )
    assert "Zahlen der Ja-Stimmen, Nein-Stimmen und der Enthaltungen nicht" in comments[ids[0]]


def _comment_elements(path: Path) -> list[ET.Element]:
    with zipfile.ZipFile(path) as z:
        root = ET.fromstring(z.read("word/comments.xml"))
    return list(root.iter(f"{W}comment"))


def test_format_helpers() -> None:
    zero = MinutesItem("9", "x", votes=Votes(yes=0, no=None, abstain=0, biased=None))
    assert format_votes(zero) == "Ja: 0, Nein: –, Enthaltungen: 0, Befangen: –"
    assert format_sources([]) == ""
    assert format_sources([SourceRange(723.0, 760.9)]) == "[00:12:03–00:12:40]"
    assert german_date("2026-11-19") == "19.11.2026"
    assert german_date("19.11.2026") == "19.11.2026"
    assert german_time("18:00") == "18:00 Uhr"
    assert german_time("9.30") == "09:30 Uhr"
    assert german_time("18:00:00") == "18:00 Uhr"
    assert german_time("2026-11-19T20:47:10") == "20:47 Uhr"
    assert german_time("18 Uhr") == "18 Uhr"
    assert german_time("") == ""


# --- flags ------------------------------------------------------------------------------------


def test_flags_become_highlights_and_comments(path: Path, doc: DocxDocument) -> None:
    comments = _comments(path)
    assert {author for author, _ in comments} == {COMMENT_AUTHOR}
    texts = [text for _, text in comments]
    # 2 document flags, 1 synthetic (TOP 1 counts), 4 in TOP 2, 2 in TOP 4
    assert len(comments) == 9
    for message in (
        "Sprecher 4 wurde als „Emine Öztürk“ erkannt",
        "TOP 2 wurde nur am vorgelesenen Titel erkannt",
        "Der Name „Öztürk“ kommt im Transkript dieses TOP nicht vor",
        "„zwei Losen“ ist im Transkript nicht belegt",
        "Der Beschlusstext wurde nicht vorgelesen",
        "Schlecht verständliche Passage zu Flurstück 112",
    ):
        assert any(message in t for t in texts), message
    # time and quoted text of a flag are in its comment
    assert any("(Aufnahme 00:18:21–00:19:02)" in t for t in texts)
    assert any("betrifft: „in zwei Losen“" in t for t in texts)

    # item-level flag: on the TOP heading, highlighted
    heading = _paragraph(doc, "TOP 2:")
    assert _highlighted(heading) == [heading.text]
    assert len(_comment_ids(heading)) == 1
    # sentence flag quoting part of the sentence: only that part is marked
    debate = _paragraph(doc, "Kämmerer Roth erläuterte")
    assert _highlighted(debate) == [
        "Ratsmitglied Öztürk erklärte, die SPD-Fraktion unterstütze die Sanierung, die "
        "Turnhalle müsse aber im nächsten Haushalt folgen.",
        "in zwei Losen",
    ]
    assert len(_comment_ids(debate)) == 2
    # the resolution flag sits on the resolution text
    resolution = _paragraph(doc, "Der Rat beschließt die Sanierung")
    assert _highlighted(resolution) == [resolution.text]
    assert len(_comment_ids(resolution)) == 1
    # unflagged text is not highlighted
    assert _highlighted(_paragraph(doc, "Die Antragstellerin bat um Vertagung")) == []


def test_review_legend(doc: DocxDocument) -> None:
    texts = _texts(doc)
    start = texts.index("Prüfhinweise")
    assert texts[start + 1].startswith("9 Stellen sind gelb markiert und tragen je einen Kommentar")
    assert COMMENT_AUTHOR in texts[start + 1]
    assert texts[start + 2] == "Verteilung: allgemein 2, TOP 1: 1, TOP 2: 4, TOP 4: 2"
    bullets = doc.paragraphs[start + 3 : start + 5]
    assert [p.style.name if p.style else "" for p in bullets] == ["List Bullet", "List Bullet"]
    assert bullets[0].text.startswith("Sprecher 4 wurde als „Emine Öztürk“ erkannt")
    assert _highlighted(bullets[0]) == [bullets[0].text]
    assert texts.index("Prüfhinweise") < texts.index("Anwesenheit")


def test_no_flags_legend(minutes: Minutes, tmp_path: Path) -> None:
    minutes.flags = []
    for item in minutes.items:
        item.flags = []
        item.votes = Votes(1, 0, 0, 0)
        for sentence in item.summary:
            sentence.flags = []
    path = _write(minutes, tmp_path)
    texts = _texts(_open(path))
    assert texts[texts.index("Prüfhinweise") + 1].startswith("Keine Prüfhinweise.")
    assert _comments(path) == []


def test_missing_facts_are_flagged(minutes: Minutes, tmp_path: Path) -> None:
    minutes.meeting.end_time = ""
    minutes.meeting.place = ""
    minutes.attendance.chair = ""
    minutes.attendance.guests = []
    minutes.flags.append(Flag("ende_fehlt", "Das Ende der Sitzung wurde nicht genannt."))
    path = _write(minutes, tmp_path)
    doc = _open(path)
    end = _paragraph(doc, "Ende:")
    assert _flat(end.text) == "Ende: bitte ergänzen"
    assert _highlighted(end) == ["bitte ergänzen"]
    assert len(_comment_ids(end)) == 1
    assert _flat(_paragraph(doc, "Ort:").text) == "Ort: bitte ergänzen"
    assert _flat(_paragraph(doc, "Vorsitz:").text) == "Vorsitz: bitte ergänzen"
    assert _flat(_paragraph(doc, "Gäste:").text) == "Gäste: –"  # optional: no flag
    texts = [t for _, t in _comments(path)]
    assert "Das Ende der Sitzung wurde nicht genannt." in texts
    # the pipeline's own flag is shown at the line, not repeated in the legend list
    assert not any(p.text == "Das Ende der Sitzung wurde nicht genannt." for p in doc.paragraphs)


def test_votes_flag_from_pipeline_not_duplicated(minutes: Minutes, tmp_path: Path) -> None:
    minutes.items[0].flags.append(
        Flag("stimmen_nicht_genannt", "Im Mitschnitt nicht genannt: Ja, Nein, Enthaltung.")
    )
    path = _write(minutes, tmp_path)
    texts = [t for _, t in _comments(path)]
    assert sum("nicht genannt: Ja, Nein" in t for t in texts) == 1


# --- protocol types ---------------------------------------------------------------------------


def test_ergebnisprotokoll_has_no_debate(minutes: Minutes, tmp_path: Path) -> None:
    minutes.protocol_type = "ergebnis"
    doc = _open(_write(minutes, tmp_path))
    texts = _texts(doc)
    assert "Beratungsverlauf" not in texts and "Wortlaut" not in texts
    assert not any("Kämmerer Roth erläuterte" in t for t in texts)
    assert "Abstimmungsergebnis" in texts
    assert any(_flat(t) == "Protokollart: Ergebnisprotokoll" for t in texts)


def test_wortprotokoll_type_keeps_sentences(minutes: Minutes, tmp_path: Path) -> None:
    minutes.protocol_type = "wort"
    minutes.items[2].summary = [
        SummarySentence("Ich beantrage die Vertagung."),
        SummarySentence("Dem schließe ich mich an."),
    ]
    doc = _open(_write(minutes, tmp_path))
    texts = [p.text for p in _section(doc, f"TOP 3: {TITLES['3']}")]
    assert texts[1:4] == ["Wortlaut", "Ich beantrage die Vertagung.", "Dem schließe ich mich an."]


# --- signatures, properties ----------------------------------------------------------------


def test_signature_table(doc: DocxDocument) -> None:
    table = doc.tables[-2]  # the last table is the speaker appendix
    assert len(table.rows) == 1 and len(table.columns) == 3
    left, gap, right = (c.text for c in table.rows[0].cells)
    assert left == "\nDatum, Unterschrift\nVorsitz\nBürgermeisterin Anna Schäfer"
    assert right == "\nDatum, Unterschrift\nSchriftführung\nSabine Vogel"
    assert gap == ""
    borders = table._tbl.tblPr.find(qn("w:tblBorders"))
    assert borders is not None
    assert {b.get(qn("w:val")) for b in borders} == {"nil"}
    line = table.rows[0].cells[0].paragraphs[1]
    assert line._p.find(f"{qn('w:pPr')}/{qn('w:pBdr')}/{qn('w:top')}") is not None
    # the table ends the Niederschrift; only the appendix (on a new page) follows
    body = list(doc.element.body)
    appendix = _paragraph(doc, "Anlage: Sprecherzuordnung")
    assert body[body.index(table._tbl) + 1] is appendix._p
    assert appendix.paragraph_format.page_break_before


def test_core_and_custom_properties(doc: DocxDocument) -> None:
    props = doc.core_properties
    assert props.title == "Niederschrift – Rat der Gemeinde Musterstadt – 19.11.2026"
    assert props.subject == "KI-gestützter Entwurf"
    assert props.keywords == "KI-generiert; Entwurf; protokoll; Niederschrift; Verlaufsprotokoll"
    assert props.comments == (
        f"Automatisch erstellt mit protokoll {__version__}; nicht geprüft; vollständige Fassung"
    )
    assert props.author == "protokoll"
    assert props.language == "de-DE"
    assert props.created == CREATED
    custom = _custom_properties(doc)
    assert custom["ai_generated"] == "true"
    assert custom["ai_generator"] == f"protokoll {__version__}"
    assert custom["review_status"] == "nicht geprüft"
    assert custom["document_type"] == "Niederschrift"
    assert custom["protocol_type"] == "Verlaufsprotokoll"
    assert custom["document_version"] == "vollständige Fassung"
    assert custom["public_version"] == "false"
    assert custom["contains_non_public"] == "true"
    assert custom["ai_models"] == "faster-whisper-large-v3; qwen2.5-7b-instruct-q4km"
    assert custom["audio_sha256"] == "ef" * 32
    parts = {str(p.partname): p for p in doc.part.package.iter_parts()}
    app = parts["/docProps/app.xml"].blob.decode("utf-8")
    assert "<Application>protokoll" in app and "Microsoft" not in app
    lang = doc.styles.element.find(
        f"{qn('w:docDefaults')}/{qn('w:rPrDefault')}/{qn('w:rPr')}/{qn('w:lang')}"
    )
    assert lang is not None and lang.get(qn("w:val")) == "de-DE"


# --- public version -----------------------------------------------------------------------


def test_public_version_has_no_trace_of_non_public_items(
    minutes: Minutes, non_public_secrets: tuple[str, ...], path: Path, tmp_path: Path
) -> None:
    full = _all_text(path)
    for secret in non_public_secrets:  # the check finds them where they are
        assert secret in full, secret

    public_path = _write(minutes, tmp_path, "oeffentlich.docx", public_only=True)
    everything = _all_text(public_path)
    for secret in non_public_secrets:
        assert secret not in everything, secret
    assert "TOP 4" not in everything
    assert "Nicht öffentlicher Teil" not in everything
    with zipfile.ZipFile(public_path) as z:
        assert "word/comments.xml" in z.namelist()  # public flags are still commented

    doc = _open(public_path)
    assert [row.cells[0].text for row in doc.tables[0].rows] == [
        "TOP",
        "Öffentlicher Teil",
        "1",
        "2",
        "3",
    ]
    texts = _texts(doc)
    assert PUBLIC_NOTE in texts
    assert texts[texts.index("Prüfhinweise") + 2] == "Verteilung: allgemein 1, TOP 1: 1, TOP 2: 4"
    props = doc.core_properties
    assert props.title.endswith("(öffentliche Fassung)")
    assert "öffentliche Fassung" in props.keywords
    custom = _custom_properties(doc)
    assert custom["document_version"] == "öffentliche Fassung"
    assert custom["public_version"] == "true"
    assert custom["contains_non_public"] == "false"
    assert custom["ai_generated"] == "true"


# --- templates ------------------------------------------------------------------------------


def _municipal_template(path: Path) -> Path:
    """A municipality's template: Courier New 10 pt, its own letterhead and footer, a
    body text that must disappear, and without the "Heading 3" and "Zeitmarke" styles."""
    template = docx.Document()
    normal = template.styles["Normal"]
    normal.font.name = "Courier New"
    normal.font.size = Pt(10)
    heading = template.styles["Heading 2"]
    heading.font.name = "Courier New"
    heading.font.size = Pt(15)
    template.sections[0].header.paragraphs[0].text = "Stadt Beispielhausen – Der Bürgermeister"
    template.sections[0].footer.paragraphs[0].text = "Rathausplatz 1, 12345 Beispielhausen"
    template.add_paragraph("Vorlagentext, der verschwinden muss")
    template.add_comment(template.paragraphs[0].runs, text="Kommentar der Vorlage")
    heading3 = template.styles["Heading 3"].element
    heading3.getparent().remove(heading3)
    template.core_properties.title = "Briefbogen Beispielhausen"
    template.save(str(path))
    return path


def test_custom_template_fonts_and_letterhead(minutes: Minutes, tmp_path: Path) -> None:
    template = _municipal_template(tmp_path / "vorlage.docx")
    path = _write(minutes, tmp_path, template=template)
    doc = _open(path)
    assert doc.styles["Normal"].font.name == "Courier New"
    assert doc.styles["Normal"].font.size == Pt(10)
    assert doc.styles["Heading 2"].font.size == Pt(15)
    assert _paragraph(doc, "TOP 2:").style.name == "Heading 2"  # type: ignore[union-attr]
    # styles the template lacks are added
    assert "Heading 3" in doc.styles and "Zeitmarke" in doc.styles
    assert _paragraph(doc, "Beratungsverlauf").style.name == "Heading 3"  # type: ignore[union-attr]
    header = [p.text for p in doc.sections[0].header.paragraphs]
    assert header == ["Stadt Beispielhausen – Der Bürgermeister", HEADER_TEXT]
    footer = [p.text for p in doc.sections[0].footer.paragraphs]
    assert footer[0] == "Rathausplatz 1, 12345 Beispielhausen"
    assert footer[-1].startswith("Seite ")
    everything = _all_text(path)
    assert "Vorlagentext" not in everything
    assert "Kommentar der Vorlage" not in everything
    assert "Briefbogen Beispielhausen" not in everything
    assert doc.paragraphs[0].text == "Niederschrift"


def test_dotx_template(minutes: Minutes, tmp_path: Path) -> None:
    source = _municipal_template(tmp_path / "vorlage.docx")
    dotx = tmp_path / "vorlage.dotx"
    with zipfile.ZipFile(source) as src, zipfile.ZipFile(dotx, "w") as dst:
        for info in src.infolist():
            blob = src.read(info)
            if info.filename == "[Content_Types].xml":
                blob = blob.replace(b"document.main+xml", b"template.main+xml")
            dst.writestr(info, blob)
    with pytest.raises(ValueError):
        docx.Document(str(dotx))
    doc = _open(_write(minutes, tmp_path, template=dotx))
    assert doc.styles["Normal"].font.name == "Courier New"
    assert doc.paragraphs[0].text == "Niederschrift"


def test_bad_template_is_a_config_error(minutes: Minutes, tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="nicht gefunden"):
        _write(minutes, tmp_path, template=tmp_path / "fehlt.docx")
    not_word = tmp_path / "vorlage.docx"
    not_word.write_text("kein Word", encoding="utf-8")
    with pytest.raises(ConfigError, match="keine lesbare Word-Datei"):
        _write(minutes, tmp_path, template=not_word)


def test_template_with_first_page_header_and_page_numbers(minutes: Minutes, tmp_path: Path) -> None:
    template = docx.Document()
    section = template.sections[0]
    section.different_first_page_header_footer = True
    section.first_page_header.paragraphs[0].text = "Erste Seite: Wappen"
    section.header.paragraphs[0].text = "Folgeseiten"
    footer = section.footer.paragraphs[0]
    footer.add_run("S. ")
    add_field(footer, "PAGE", "1")
    template.save(str(tmp_path / "vorlage.docx"))

    doc = _open(_write(minutes, tmp_path, template=tmp_path / "vorlage.docx"))
    section = doc.sections[0]
    assert [p.text for p in section.first_page_header.paragraphs] == [
        "Erste Seite: Wappen",
        HEADER_TEXT,
    ]
    assert [p.text for p in section.header.paragraphs] == ["Folgeseiten", HEADER_TEXT]
    # the template numbers its pages already: no second page number
    assert [p.text for p in section.footer.paragraphs] == ["S. 1"]
    # the first page's footer had none: it gets one
    assert section.first_page_footer.paragraphs[-1].text.startswith("Seite ")


def test_default_template_shipped_and_reproducible(
    minutes: Minutes, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert DEFAULT_TEMPLATE == nd.DEFAULT_TEMPLATE
    assert DEFAULT_TEMPLATE.is_file()
    shipped = docx.Document(str(DEFAULT_TEMPLATE))
    built = build_template()
    for doc in (shipped, built):
        assert doc.styles["Normal"].font.name == "Arial"
        assert doc.styles["Heading 1"].font.name == "Arial"
        assert "Beschlusstext" in doc.styles and "Zeitmarke" in doc.styles
        section = doc.sections[0]
        assert section.page_width is not None and round(section.page_width.cm, 1) == 21.0
        assert section.left_margin is not None and round(section.left_margin.cm, 1) == 2.5
        assert doc.sections[0].header.paragraphs[0].text == "Briefkopf der Kommune"
    # an installation without the file builds the same template in memory
    monkeypatch.setattr(nd, "DEFAULT_TEMPLATE", tmp_path / "fehlt.docx")
    doc = _open(_write(minutes, tmp_path))
    assert doc.styles["Normal"].font.name == "Arial"
    assert doc.sections[0].header.paragraphs[0].text == "Briefkopf der Kommune"


def test_session_number_with_year_is_not_an_ordinal(tmp_path: Path, minutes: Minutes) -> None:
    minutes.meeting.session_number = "12/2026"
    path = tmp_path / "n.docx"
    write_niederschrift_docx(minutes, path)
    texts = [p.text for p in docx.Document(str(path)).paragraphs]
    assert any("über die Sitzung Nr. 12/2026 am" in t for t in texts)
    assert not any("12/2026. Sitzung" in t for t in texts)


# --- document id, approval, speaker appendix (review in Word, issue #5) --------------------

APPROVAL = "Geprüft und freigegeben von Anna Prüfer am 21.11.2026"


def test_document_id_in_core_and_custom_properties(minutes: Minutes, tmp_path: Path) -> None:
    doc = _open(_write(minutes, tmp_path, document_id="protokoll:7:2"))
    assert doc.core_properties.identifier == "protokoll:7:2"
    assert _custom_properties(doc)["protokoll_dokument_id"] == "protokoll:7:2"
    plain = _open(_write(minutes, tmp_path, "ohne.docx"))
    assert plain.core_properties.identifier == ""
    assert "protokoll_dokument_id" not in _custom_properties(plain)


def test_speaker_appendix(path: Path, doc: DocxDocument) -> None:
    heading = _paragraph(doc, "Anlage: Sprecherzuordnung")
    assert heading.style is not None and heading.style.name == "Heading 1"
    assert heading.paragraph_format.page_break_before
    texts = _texts(doc)
    note = texts[texts.index("Anlage: Sprecherzuordnung") + 1]
    assert "Namen bitte hier eintragen oder korrigieren" in note
    table = doc.tables[-1]
    rows = [[c.text for c in row.cells] for row in table.rows]
    # every label of the minutes: speakers of the TOPs and labels in texts, by number; the
    # reader sees "Sprecher 4", never the label SPEAKER_03 (issue #17)
    assert rows == [
        ["Kennung", "Name"],
        ["Sprecher 1", "Bürgermeisterin Schäfer"],
        ["Sprecher 4", "Ratsmitglied Öztürk"],  # given by the caller
        ["Sprecher 6", ""],  # no name known: empty
        ["Sprecher 8", ""],
    ]
    assert table.rows[0]._tr.find(f"{qn('w:trPr')}/{qn('w:tblHeader')}") is not None
    # the caller's extra name is kept in a property, so the text can be recognised on upload
    custom = _custom_properties(doc)
    assert custom["protokoll_sprecher_SPEAKER_03"] == "Ratsmitglied Öztürk"
    assert "protokoll_sprecher_SPEAKER_00" not in custom  # already in the minutes


def test_speaker_appendix_order_and_public_version(minutes: Minutes, tmp_path: Path) -> None:
    minutes.items[0].speakers = ["SPEAKER_10", "SPEAKER_2", "UNBEKANNT"]
    minutes.items[3].speakers = ["SPEAKER_11"]  # only in the non-public TOP
    minutes.items[3].summary[0].text = "SPEAKER_12 berichtete."
    minutes.speaker_names["SPEAKER_12"] = "Herr Geheim"
    full = _open(_write(minutes, tmp_path))
    labels = [row.cells[0].text for row in full.tables[-1].rows[1:]]
    assert labels == [
        "Sprecher 1",
        "Sprecher 3",
        "Sprecher 4",
        "Sprecher 6",
        "Sprecher 8",
        "Sprecher 11",
        "Sprecher 12",
        "Sprecher 13",
    ]
    public_path = _write(minutes, tmp_path, "oeffentlich.docx", public_only=True)
    public = _open(public_path)
    labels = [row.cells[0].text for row in public.tables[-1].rows[1:]]
    assert labels == [
        "Sprecher 1",
        "Sprecher 3",
        "Sprecher 4",
        "Sprecher 6",
        "Sprecher 8",
        "Sprecher 11",
    ]
    assert "Herr Geheim" not in _all_text(public_path)


def test_speaker_appendix_one_row_per_speaker_for_older_drafts(
    minutes: Minutes, tmp_path: Path
) -> None:
    """Older drafts kept the names readers see in a TOP's speakers ("Sprecher 4", a
    proposed name): still one row per speaker, none of them a name as its key (issue #17)."""
    minutes.items[0].speakers = ["Sprecher 4", "Bürgermeisterin Schäfer", "Sprecher 8"]
    doc = _open(_write(minutes, tmp_path))
    rows = [[c.text for c in row.cells] for row in doc.tables[-1].rows[1:]]
    assert [r[0] for r in rows] == ["Sprecher 1", "Sprecher 4", "Sprecher 6", "Sprecher 8"]


def test_speaker_appendix_without_speakers(minutes: Minutes, tmp_path: Path) -> None:
    minutes.speaker_names = {}
    for item in minutes.items:
        item.speakers = []
        for sentence in item.summary:
            sentence.text = sentence.text.replace("SPEAKER_03", "Frau Öztürk")
            sentence.text = sentence.text.replace("SPEAKER_05", "Herr Keller")
    doc = _open(_write(minutes, tmp_path))
    texts = _texts(doc)
    assert (
        texts[texts.index("Anlage: Sprecherzuordnung") + 1] == "Es wurden keine Sprecher erkannt."
    )
    assert len(doc.tables) == 2  # agenda, signatures: no speaker table


def test_labels_in_resolution_and_motions_are_names(minutes: Minutes, tmp_path: Path) -> None:
    minutes.items[1].resolution_text = "Der Rat wählt SPEAKER_00 zur Vertreterin."
    minutes.items[1].motions = ["Antrag von SPEAKER_05: Vertagung."]
    texts = _texts(_open(_write(minutes, tmp_path)))
    assert "Der Rat wählt Bürgermeisterin Schäfer zur Vertreterin." in texts
    assert "Antrag von Sprecher 6: Vertagung." in texts
    assert nd.names_in("SPEAKER_05 und SPEAKER_00", {"SPEAKER_00": "Anna"}) == "Sprecher 6 und Anna"


def test_approved_version(minutes: Minutes, tmp_path: Path) -> None:
    minutes.meeting.place = ""
    path = _write(minutes, tmp_path, approval=APPROVAL, document_id="protokoll:7:3:freigegeben")
    doc = _open(path)
    texts = _texts(doc)
    notice = _paragraph(doc, "Mit KI-Unterstützung erstellt:")
    assert "KI" in notice.text and "überarbeitet" in notice.text
    assert notice.text.endswith(APPROVAL + ".")
    # the approver is named, the Schriftführung is not credited with the review (#17)
    assert "Anna Prüfer" in notice.text and "Schriftführung" not in notice.text
    assert NOTICE_TEXT not in texts
    assert doc.sections[0].header.paragraphs[-1].text == nd.APPROVED_HEADER_TEXT
    assert "nicht geprüft" not in nd.APPROVED_HEADER_TEXT
    # no review flags: no comments, no highlights, no "Prüfhinweise", no "bitte ergänzen"
    assert _comments(path) == []
    assert "Prüfhinweise" not in texts
    assert not any(_highlighted(p) for p in doc.paragraphs)
    assert _flat(_paragraph(doc, "Ort:").text) == "Ort: –"
    assert not any("bitte ergänzen" in t for t in texts)
    assert "Anlage: Sprecherzuordnung" not in texts  # the mapping serves the review only
    everything = _all_text(path)
    assert "SPEAKER_" not in everything
    assert "nicht geprüft" not in everything
    assert COMMENT_AUTHOR not in everything
    # the content itself is written as in the draft
    assert "Ja: 14, Nein: 3, Enthaltungen: 2, Befangen: –" in "\n".join(texts)

    props = doc.core_properties
    assert "Entwurf" not in props.category and props.category.startswith("Niederschrift")
    assert "nicht geprüft" not in props.comments and APPROVAL in props.comments
    assert "Entwurf" not in props.keywords and "KI-generiert" in props.keywords
    assert props.subject == nd.APPROVED_SUBJECT
    assert props.identifier == "protokoll:7:3:freigegeben"
    custom = _custom_properties(doc)
    assert custom["ai_generated"] == "true"  # AI-drafted stays marked (AI Act Art. 50)
    assert custom["review_status"].startswith("KI-gestützt erstellt, geprüft und freigegeben")
    assert APPROVAL in custom["review_status"]
    assert custom["approval"] == APPROVAL


def _header_texts(doc: DocxDocument) -> list[str]:
    return [p.text for section in doc.sections for p in section.header.paragraphs]


def test_approved_version_has_no_source_times_and_no_placeholder_letterhead(
    minutes: Minutes, tmp_path: Path
) -> None:
    """Published minutes point into no recording (it is deleted) and print no template
    placeholder (#17); the draft keeps both."""
    draft = _open(_write(minutes, tmp_path, "entwurf.docx"))
    assert "[00:12:03–00:12:40]" in _paragraph(draft, "Kämmerer Roth erläuterte").text
    assert LETTERHEAD in _header_texts(draft)  # no name known: the placeholder stays

    path = _write(minutes, tmp_path, approval=APPROVAL)
    doc = _open(path)
    paragraph = _paragraph(doc, "Kämmerer Roth erläuterte")
    assert "das Land fördere davon 1,8 Mio. Euro." in paragraph.text
    assert not re.search(r"\[\d{2}:\d{2}:\d{2}", "\n".join(_texts(doc)))
    everything = _all_text(path)
    assert LETTERHEAD not in everything and "Platzhalter" not in everything


def test_letterhead_names_the_municipality(minutes: Minutes, tmp_path: Path) -> None:
    for approval in (None, APPROVAL):
        path = _write(minutes, tmp_path, approval=approval, letterhead="Gemeinde Lindenau")
        headers = _header_texts(_open(path))
        assert headers[0] == "Gemeinde Lindenau"
        assert "Platzhalter" not in _all_text(path) and LETTERHEAD not in _all_text(path)


def test_a_job_draft_names_the_municipality_its_settings_know(
    minutes: Minutes, tmp_path: Path
) -> None:
    """The draft a job writes (`protokoll run`, a worker) fills the letterhead from
    `[ai_register] organization`, else `[oparl] body_name`; without either the placeholder
    stays, for the clerk to see that the template has no letterhead yet."""
    named = Settings.model_validate({"ai_register": {"organization": "Stadt Olfen"}})
    written = write_minutes_documents(minutes, tmp_path / "mit", named)
    assert _header_texts(_open(written["niederschrift.docx"]))[0] == "Stadt Olfen"
    by_body = Settings.model_validate({"oparl": {"body_name": "Gemeinde Lindenau"}})
    assert letterhead(by_body) == "Gemeinde Lindenau"
    written = write_minutes_documents(minutes, tmp_path / "ohne", Settings())
    assert LETTERHEAD in _header_texts(_open(written["niederschrift.docx"]))


def test_own_template_letterhead_is_left_alone(minutes: Minutes, tmp_path: Path) -> None:
    template = _municipal_template(tmp_path / "vorlage.docx")
    before = _header_texts(_open(template))
    path = _write(minutes, tmp_path, template=template, approval=APPROVAL, letterhead="X")
    assert _header_texts(_open(path))[: len(before)] == before


def test_approved_public_version(minutes: Minutes, tmp_path: Path) -> None:
    path = _write(minutes, tmp_path, public_only=True, approval=APPROVAL)
    props = _open(path).core_properties
    assert props.category == "Niederschrift – öffentliche Fassung"
    assert props.keywords.endswith("; öffentliche Fassung")
    assert "TOP 4" not in _all_text(path)
