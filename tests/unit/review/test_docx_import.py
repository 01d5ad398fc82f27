"""The DOCX round trip of the minutes (issue #5 "Review in Word"): a draft DOCX edited in
Word or LibreOffice is read back into the minutes."""

from __future__ import annotations

import copy
import io
import shutil
import subprocess
import zipfile
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import docx
import pytest
from docx.document import Document as DocxDocument
from docx.oxml import parse_xml
from docx.oxml.ns import qn
from docx.text.paragraph import Paragraph

from protokoll.documents.niederschrift_docx import write_niederschrift_docx
from protokoll.domain.minutes import Minutes, SourceRange, SummarySentence, Votes
from protokoll.domain.transcript import speaker_display_name
from protokoll.errors import InputError, ProtokollError
from protokoll.review.docx_import import (
    FOREIGN,
    NOT_DOCX,
    TRACKED_WARNING,
    DocxStructureError,
    DocxTooLargeError,
    ForeignDocxError,
    NotDocxError,
    read_document_id,
    read_niederschrift_docx,
)
from protokoll.review.edit_rate import edit_rate
from tests.support.builders import build_minutes

DOC_ID = "protokoll:42:3"
CREATED = datetime(2026, 11, 20, 9, 30, tzinfo=UTC)
W_NS = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
DELETED_SENTENCE = (
    "Ratsmitglied Keller beantragte, die Bauleistungen in zwei Losen auszuschreiben, weil dies "
    "örtlichen Betrieben die Teilnahme erleichtere."
)


@pytest.fixture
def base() -> Minutes:
    return build_minutes()


def _write(minutes: Minutes, path: Path, **kw: Any) -> Path:
    kw.setdefault("document_id", DOC_ID)
    write_niederschrift_docx(minutes, path, created=CREATED, **kw)
    return path


def _save(doc: DocxDocument, path: Path) -> Path:
    doc.save(str(path))
    return path


def _para(doc: DocxDocument, startswith: str, after: str | None = None) -> Paragraph:
    paragraphs = doc.paragraphs
    if after is not None:
        start = next(i for i, p in enumerate(paragraphs) if p.text.startswith(after))
        paragraphs = paragraphs[start + 1 :]
    return next(p for p in paragraphs if p.text.startswith(startswith))


def _set_runs(paragraph: Paragraph, *parts: str) -> None:
    """Replace the text of ``paragraph`` by ``parts``, one run each (Word splits runs)."""
    for run in paragraph.runs:
        run._r.getparent().remove(run._r)
    for part in parts:
        paragraph.add_run(part)


def _remove(paragraph: Paragraph) -> None:
    paragraph._p.getparent().remove(paragraph._p)


def _insert_after(paragraph: Paragraph, text: str, style: str | None = None) -> Paragraph:
    new = paragraph._parent.add_paragraph(text, style)  # type: ignore[attr-defined]
    paragraph._p.addnext(new._p)
    return new


def _speaker_row(doc: DocxDocument, label: str) -> Any:
    table = doc.tables[-1]
    assert [c.text for c in table.rows[0].cells] == ["Kennung", "Name"]
    # readers see "Sprecher 4", never the label SPEAKER_03 (issue #17)
    assert all(not r.cells[0].text.startswith("SPEAKER_") for r in table.rows)
    return next(r for r in table.rows if r.cells[0].text == speaker_display_name(label))


def _read(path: Path, base: Minutes) -> Any:
    return read_niederschrift_docx(path, base)


def _edit_like_the_issue(path: Path, out: Path) -> Path:
    """The edits of the issue's acceptance test, made with python-docx."""
    doc = docx.Document(str(path))
    # 1. TOP 1: the resolution text (Word splits the edited text into runs)
    resolution = _para(doc, "Der Rat genehmigt die Niederschrift")
    _set_runs(
        resolution,
        "Der Rat genehmigt die Nieder",
        "schrift über die 11. Sitzung vom 15.10.2026",
        " mit einer Änderung.",
    )
    # 2. a speaker renamed in the Sprecherzuordnung table (unnamed so far: "Sprecher 4")
    _speaker_row(doc, "SPEAKER_03").cells[1].text = "Emine Öztürk"
    # 3. TOP 2: a vote count
    vote = _para(doc, "mehrheitlich beschlossen")
    assert vote.runs[1].text == "Ja: 14, Nein: 3, Enthaltungen: 2, Befangen: –"
    vote.runs[1].text = "Ja: 15, Nein: 3, Enthaltungen: 2, Befangen: –"
    # 4. TOP 2: one summary sentence deleted, with its time mark and comment anchors
    debate = _para(doc, "Kämmerer Roth erläuterte")
    children = list(debate._p)
    texts = ["".join(t.text or "" for t in c.iter(qn("w:t"))) for c in children]
    first = next(i for i, t in enumerate(texts) if t.startswith("Ratsmitglied Keller"))
    mark = texts.index("[00:25:00–00:25:34]")
    for child in children[first : mark + 2]:  # through the space after the mark
        debate._p.remove(child)
    assert "Keller" not in debate.text
    return _save(doc, out)


def _expected_after_issue_edits(base: Minutes) -> Minutes:
    expected = copy.deepcopy(base)
    expected.items[0].resolution_text = (
        "Der Rat genehmigt die Niederschrift über die 11. Sitzung vom 15.10.2026 mit einer "
        "Änderung."
    )
    expected.speaker_names["SPEAKER_03"] = "Emine Öztürk"
    expected.items[1].votes.yes = 15
    assert expected.items[1].summary[2].text == DELETED_SENTENCE
    del expected.items[1].summary[2]
    return expected


# --- the acceptance test of the issue -------------------------------------------------------


def test_issue_acceptance_edit_in_word(base: Minutes, tmp_path: Path) -> None:
    draft = _write(base, tmp_path / "entwurf.docx")
    edited = _edit_like_the_issue(draft, tmp_path / "bearbeitet.docx")

    imported = read_niederschrift_docx(edited, base)

    assert imported.document_id == DOC_ID
    assert imported.warnings == []
    assert imported.changed_items == ["1", "2"]
    expected = _expected_after_issue_edits(base)
    assert imported.minutes.to_dict() == expected.to_dict()  # those changes and nothing else
    assert imported.minutes.ai_generated is True
    # the untouched sentences keep their exact sources and flags (not the rounded marks)
    assert imported.minutes.items[1].summary[1].sources == [
        SourceRange(1101.4, 1142.0),
        SourceRange(1190.0, 1201.5),
    ]
    assert imported.minutes.items[1].summary[1].flags == base.items[1].summary[1].flags
    # the text stays symbolic: the renamed speaker's sentence still carries the label
    assert imported.minutes.items[1].summary[1].text.startswith("SPEAKER_03 erklärte")

    rate = edit_rate(base, imported.minutes)
    by_number = {i.number: i for i in rate.items}
    # TOP 1: "15.10.2026." → "15.10.2026" (1) + "mit einer Änderung." (3) of 32 words
    # (11 summary + 11 resolution + 2 result + 8 vote line)
    assert (by_number["1"].words_ai, by_number["1"].edits) == (32, 4)
    assert by_number["1"].rate == pytest.approx(4 / 32)
    # TOP 2: 16 words deleted, "Sprecher 4" → "Emine Öztürk" (2), "14," → "15," (1)
    assert len(DELETED_SENTENCE.split()) == 16
    assert by_number["2"].edits == 19
    assert by_number["2"].words_edited == by_number["2"].words_ai - 16
    assert by_number["2"].rate == pytest.approx(19 / by_number["2"].words_ai)
    assert (by_number["3"].edits, by_number["4"].edits) == (0, 0)
    assert rate.edits == 23
    assert rate.rate == pytest.approx(23 / rate.words_ai)


@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) ist nicht installiert")
def test_libreoffice_round_trip(base: Minutes, tmp_path: Path) -> None:
    draft = _write(base, tmp_path / "entwurf.docx")
    edited = _edit_like_the_issue(draft, tmp_path / "bearbeitet.docx")
    out = tmp_path / "libreoffice"
    assert SOFFICE is not None
    subprocess.run(
        [
            SOFFICE,
            f"-env:UserInstallation={(tmp_path / 'lo-profil').as_uri()}",
            "--headless",
            "--convert-to",
            "docx",
            "--outdir",
            str(out),
            str(draft),
            str(edited),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    converted_draft, converted_edit = out / "entwurf.docx", out / "bearbeitet.docx"
    # LibreOffice rewrote the package: the marker survives in the custom property
    assert read_document_id(converted_draft) == DOC_ID
    with zipfile.ZipFile(converted_draft) as z:
        assert b"protokoll_dokument_id" in z.read("docProps/custom.xml")

    unchanged = read_niederschrift_docx(converted_draft, base)
    assert unchanged.minutes.to_dict() == base.to_dict()
    assert (unchanged.changed_items, unchanged.warnings) == ([], [])

    imported = read_niederschrift_docx(converted_edit, base)
    assert imported.document_id == DOC_ID
    assert imported.minutes.to_dict() == _expected_after_issue_edits(base).to_dict()
    assert imported.warnings == []


# --- unchanged documents ------------------------------------------------------------------


@pytest.mark.parametrize(
    "options",
    [
        {},
        {"public_only": True},
        {"approval": "Geprüft und freigegeben von Anna Prüfer am 21.11.2026"},
        {"speaker_names": {"SPEAKER_03": "Ratsmitglied Öztürk"}},
    ],
    ids=["entwurf", "oeffentlich", "freigegeben", "mit-namen"],
)
def test_unchanged_document_reads_back_identically(
    base: Minutes, tmp_path: Path, options: dict[str, Any]
) -> None:
    path = _write(base, tmp_path / "n.docx", **options)
    imported = read_niederschrift_docx(path.read_bytes(), base)
    expected = copy.deepcopy(base)
    expected.speaker_names.update(options.get("speaker_names", {}))  # shown in the table
    assert imported.minutes.to_dict() == expected.to_dict()
    assert imported.changed_items == []
    if "approval" in options:  # the approved version has no speaker table
        assert imported.warnings == [
            "Die Tabelle „Sprecherzuordnung“ wurde nicht gefunden; die bisherige Zuordnung "
            "der Sprecher bleibt."
        ]
    else:
        assert imported.warnings == []
    assert imported.document_id == DOC_ID


def test_other_protocol_types_read_back(base: Minutes, tmp_path: Path) -> None:
    for protocol_type in ("wort", "ergebnis"):
        base.protocol_type = protocol_type
        path = _write(base, tmp_path / f"{protocol_type}.docx")
        imported = read_niederschrift_docx(path, base)
        assert imported.minutes.to_dict() == base.to_dict(), protocol_type
        assert imported.warnings == []


def test_wortprotokoll_sentence_deleted(base: Minutes, tmp_path: Path) -> None:
    base.protocol_type = "wort"
    doc = docx.Document(str(_write(base, tmp_path / "n.docx")))
    _remove(_para(doc, "Sprecher 6 fragte"))
    imported = _read(_save(doc, tmp_path / "e.docx"), base)
    assert [s.text for s in imported.minutes.items[1].summary] == [
        s.text for s in base.items[1].summary[:3]
    ]
    assert imported.changed_items == ["2"]


# --- document id ----------------------------------------------------------------------------


def test_document_id_in_both_properties(base: Minutes, tmp_path: Path) -> None:
    path = _write(base, tmp_path / "n.docx")
    doc = docx.Document(str(path))
    assert doc.core_properties.identifier == DOC_ID
    assert read_document_id(path) == DOC_ID
    assert read_document_id(path.read_bytes()) == DOC_ID

    # either one is enough: the core property alone (the custom one removed) …
    with zipfile.ZipFile(path) as z:
        custom = z.read("docProps/custom.xml").decode()
    without_custom = _replace_member(
        path, "docProps/custom.xml", custom.replace("protokoll_dokument_id", "x").encode()
    )
    assert read_document_id(without_custom) == DOC_ID
    # … or the custom property alone
    doc.core_properties.identifier = ""
    assert read_document_id(_save(doc, tmp_path / "ohne-kern.docx")) == DOC_ID

    plain = _write(base, tmp_path / "ohne.docx", document_id=None)
    assert read_document_id(plain) is None
    assert docx.Document(str(plain)).core_properties.identifier == ""


def test_document_without_id_is_read_with_a_warning(base: Minutes, tmp_path: Path) -> None:
    path = _write(base, tmp_path / "n.docx", document_id=None)
    imported = read_niederschrift_docx(path, base)
    assert imported.document_id is None
    assert imported.minutes.to_dict() == base.to_dict()
    assert len(imported.warnings) == 1 and "keine protokoll-Kennung" in imported.warnings[0]


# --- what Word does to a document ---------------------------------------------------------


def test_word_style_edits(base: Minutes, tmp_path: Path) -> None:
    base.items[2].summary[0].text = (
        'Die Antragstellerin bat um Vertagung, da die "Stellungnahme" des Kreisjugendamts noch '
        "ausstehe."
    )
    doc = docx.Document(str(_write(base, tmp_path / "n.docx")))
    # runs merged into one, with typographic quotes, a non-breaking space and a soft hyphen
    top3 = _para(doc, "Die Antragstellerin bat")
    _set_runs(
        top3,
        "Die Antragstellerin bat um Vertagung, da die „Stellungnahme“ des Kreis\u00adjugendamts"
        "\u00a0noch ausstehe. [00:47:10–00:47:31]",
    )
    # a paragraph added after it: a new sentence without a time mark
    _insert_after(top3, "Die Verwaltung sagte eine Stellungnahme bis Januar zu.")
    # an empty paragraph added
    _insert_after(top3, "")
    # the TOP 2 paragraph split in two at a sentence
    debate = _para(doc, "Kämmerer Roth erläuterte")
    split_at = next(i for i, r in enumerate(debate.runs) if r.text.startswith("Ratsmitglied"))
    second = _insert_after(debate, "")
    for run in debate.runs[split_at:]:
        second._p.append(run._r)
    # a paragraph deleted: the only motion of TOP 2
    _remove(_para(doc, "Antrag der CDU-Fraktion"))

    imported = _read(_save(doc, tmp_path / "e.docx"), base)

    expected = copy.deepcopy(base)
    expected.items[2].summary.append(
        SummarySentence("Die Verwaltung sagte eine Stellungnahme bis Januar zu.")
    )
    expected.items[1].motions = []
    assert imported.minutes.to_dict() == expected.to_dict()
    assert imported.changed_items == ["2", "3"]
    assert imported.warnings == []


def test_tracked_changes_are_read_as_accepted(base: Minutes, tmp_path: Path) -> None:
    doc = docx.Document(str(_write(base, tmp_path / "n.docx")))
    paragraph = _para(doc, "Der Rat genehmigt die Niederschrift")
    run = paragraph.runs[0]._r
    run.addprevious(
        parse_xml(
            f'<w:del {W_NS} w:id="901" w:author="Prüfer" w:date="2026-11-21T10:00:00Z">'
            "<w:r><w:delText>Der Rat genehmigt</w:delText></w:r></w:del>"
        )
    )
    run.addprevious(
        parse_xml(
            f'<w:ins {W_NS} w:id="902" w:author="Prüfer" w:date="2026-11-21T10:00:00Z">'
            "<w:r><w:t>Der Gemeinderat genehmigt</w:t></w:r></w:ins>"
        )
    )
    paragraph.runs[0].text = " die Niederschrift über die 11. Sitzung vom 15.10.2026."
    imported = _read(_save(doc, tmp_path / "e.docx"), base)
    assert imported.minutes.items[0].resolution_text == (
        "Der Gemeinderat genehmigt die Niederschrift über die 11. Sitzung vom 15.10.2026."
    )
    assert imported.warnings == [TRACKED_WARNING]
    assert imported.changed_items == ["1"]


# --- summary sentences, names ---------------------------------------------------------------


def test_edited_sentence_keeps_exact_sources_and_loses_flags(base: Minutes, tmp_path: Path) -> None:
    doc = docx.Document(str(_write(base, tmp_path / "n.docx")))
    debate = _para(doc, "Kämmerer Roth erläuterte")
    flagged = next(r for r in debate.runs if r.text.startswith("Sprecher 4 erklärte"))
    flagged.text = "Sprecher 4 erklärte, die SPD-Fraktion unterstütze die Sanierung ausdrücklich."
    top1 = _para(doc, "Die Bürgermeisterin stellte fest")
    top1.runs[0].text = "Die Bürgermeisterin stellte fest, dass keine Änderungen gewünscht seien."
    imported = _read(_save(doc, tmp_path / "e.docx"), base)

    sentence = imported.minutes.items[1].summary[1]
    assert sentence.text == (
        "SPEAKER_03 erklärte, die SPD-Fraktion unterstütze die Sanierung ausdrücklich."
    )
    assert sentence.sources == base.items[1].summary[1].sources  # not the rounded mark
    assert sentence.flags == []  # the reviewer has edited the sentence
    assert imported.minutes.items[0].summary[0].sources == [SourceRange(70.2, 81.9)]
    assert imported.changed_items == ["1", "2"]


def test_new_sentences_are_split_and_get_their_time_marks(base: Minutes, tmp_path: Path) -> None:
    doc = docx.Document(str(_write(base, tmp_path / "n.docx")))
    top3 = _para(doc, "Die Antragstellerin bat")
    _set_runs(
        top3,
        "Herr Dr. Weber fragte nach den Kosten von 4,2 Mio. Euro für die 2. Bauphase. "
        "Die Verwaltung antwortete, z. B. am 3. Dezember. [00:50:00–00:50:30] "
        "Offen blieb die Frage der Förderung! Wer zahlt? [01:02:03–01:02:04; 01:03:00–01:03:10]",
    )
    imported = _read(_save(doc, tmp_path / "e.docx"), base)
    summary = imported.minutes.items[2].summary
    assert [(s.text, s.sources) for s in summary] == [
        ("Herr Dr. Weber fragte nach den Kosten von 4,2 Mio. Euro für die 2. Bauphase.", []),
        ("Die Verwaltung antwortete, z. B. am 3. Dezember.", [SourceRange(3000.0, 3030.0)]),
        ("Offen blieb die Frage der Förderung!", []),
        ("Wer zahlt?", [SourceRange(3723.0, 3724.0), SourceRange(3780.0, 3790.0)]),
    ]


def test_names_become_labels_and_a_rename_applies_everywhere(base: Minutes, tmp_path: Path) -> None:
    path = _write(base, tmp_path / "n.docx", speaker_names={"SPEAKER_03": "Ratsmitglied Öztürk"})
    doc = docx.Document(str(path))
    debate = _para(doc, "Kämmerer Roth erläuterte")
    assert "Ratsmitglied Öztürk erklärte" in debate.text
    # one sentence with the old name edited, one added naming an unnamed speaker
    edited = next(r for r in debate.runs if r.text.startswith("Ratsmitglied Öztürk erklärte"))
    edited.text = "Ratsmitglied Öztürk erklärte, die SPD-Fraktion stimme zu."
    debate.add_run(" Sprecher 6 und Bürgermeisterin Schäfer dankten der Verwaltung.")
    # and the speaker renamed in the table
    _speaker_row(doc, "SPEAKER_03").cells[1].text = "Emine Öztürk"
    imported = _read(_save(doc, tmp_path / "e.docx"), base)

    minutes = imported.minutes
    assert minutes.speaker_names == {
        "SPEAKER_00": "Bürgermeisterin Schäfer",
        "SPEAKER_03": "Emine Öztürk",
    }
    texts = [s.text for s in minutes.items[1].summary]
    assert texts[1] == "SPEAKER_03 erklärte, die SPD-Fraktion stimme zu."
    assert texts[-1] == "SPEAKER_05 und SPEAKER_00 dankten der Verwaltung."
    # written again, the new name stands everywhere
    again = docx.Document(str(_write(minutes, tmp_path / "neu.docx")))
    text = _para(again, "Kämmerer Roth erläuterte").text
    assert "Emine Öztürk erklärte, die SPD-Fraktion stimme zu." in text
    assert "Öztürk" not in text.replace("Emine Öztürk", "")


def test_speaker_table_edits(base: Minutes, tmp_path: Path) -> None:
    doc = docx.Document(str(_write(base, tmp_path / "n.docx")))
    _speaker_row(doc, "SPEAKER_00").cells[1].text = ""  # name removed
    _speaker_row(doc, "SPEAKER_07").cells[1].text = "  Kämmerer\u00a0Roth "
    table = doc.tables[-1]
    for label, name in (("SPEAKER_09", "Gast Brandt"), ("Herr Müller", "Müller")):
        row = table.add_row()
        row.cells[0].text, row.cells[1].text = label, name
    imported = _read(_save(doc, tmp_path / "e.docx"), base)
    assert imported.minutes.speaker_names == {
        "SPEAKER_07": "Kämmerer Roth",
        "SPEAKER_09": "Gast Brandt",
    }
    assert imported.warnings == [
        "Sprecherzuordnung: Die Kennung „Herr Müller“ ist unbekannt und wurde nicht übernommen."
    ]
    assert imported.changed_items == []  # the mapping is not part of a TOP


def test_speaker_table_deleted(base: Minutes, tmp_path: Path) -> None:
    doc = docx.Document(str(_write(base, tmp_path / "n.docx")))
    table = doc.tables[-1]
    table._tbl.getparent().remove(table._tbl)
    imported = _read(_save(doc, tmp_path / "e.docx"), base)
    assert imported.minutes.to_dict() == base.to_dict()
    assert imported.warnings == [
        "Die Tabelle „Sprecherzuordnung“ wurde nicht gefunden; die bisherige Zuordnung der "
        "Sprecher bleibt."
    ]


# --- resolution, votes ----------------------------------------------------------------------


def test_resolution_edits(base: Minutes, tmp_path: Path) -> None:
    doc = docx.Document(str(_write(base, tmp_path / "n.docx")))
    _para(doc, "Der Rat beschließt die Sanierung").runs[0].text = "kein Beschluss"
    _remove(_para(doc, "Die Verwaltung wird beauftragt"))
    no_resolution = _para(doc, "kein Beschluss", after="TOP 3:")
    no_resolution.runs[0].text = "Der Antrag wird in der nächsten Sitzung beraten."
    top1 = _para(doc, "Der Rat genehmigt die Niederschrift")
    _insert_after(top1, "Die Änderung zu TOP 5 wird aufgenommen.", "Beschlusstext")
    imported = _read(_save(doc, tmp_path / "e.docx"), base)
    items = imported.minutes.items
    assert items[1].resolution_text is None
    assert items[2].resolution_text == "Der Antrag wird in der nächsten Sitzung beraten."
    assert items[0].resolution_text == (
        "Der Rat genehmigt die Niederschrift über die 11. Sitzung vom 15.10.2026.\n"
        "Die Änderung zu TOP 5 wird aufgenommen."
    )
    assert items[3].resolution_text == base.items[3].resolution_text
    assert imported.changed_items == ["1", "2", "3"]


@pytest.mark.parametrize(
    "votes",
    [
        Votes(14, 3, 2, None),
        Votes(0, 0, 0, 0),
        Votes(None, None, None, None),
        Votes(123, None, 7, 1),
    ],
)
def test_vote_line_round_trip(base: Minutes, tmp_path: Path, votes: Votes) -> None:
    base.items[1].votes = votes
    imported = _read(_write(base, tmp_path / "n.docx"), base)
    assert imported.minutes.items[1].votes == votes
    assert imported.changed_items == []


def test_vote_edits(base: Minutes, tmp_path: Path) -> None:
    doc = docx.Document(str(_write(base, tmp_path / "n.docx")))
    # TOP 2: result and counts in two paragraphs, a count in words, a count deleted
    top2 = _para(doc, "mehrheitlich beschlossen")
    _set_runs(top2, "geändert beschlossen")
    _insert_after(top2, "Ja: fünfzehn, Nein: 0 Stimmen, Enthaltungen:, Befangen: 1")
    # TOP 1: a count that is no number; the counts as split runs
    top1 = _para(doc, "einstimmig beschlossen")
    _set_runs(top1, "einstimmig beschlossen", "\n", "Ja: viele, Nein: ", "0", ", Enthaltungen: –")
    # TOP 3: deferred became rejected, with counts
    top3 = _para(doc, "vertagt")
    _set_runs(top3, "abgelehnt")
    top3.add_run().add_break()
    top3.add_run("Ja: 3, Nein: 12, Enthaltungen: 1, Befangen: –")
    # TOP 4: the result deleted, "nicht erkannt" written
    top4 = _para(doc, "beschlossen", after="TOP 4:")
    top4.runs[0].text = "nicht erkannt"
    imported = _read(_save(doc, tmp_path / "e.docx"), base)

    items = imported.minutes.items
    assert (items[1].result, items[1].votes) == ("geändert beschlossen", Votes(15, 0, None, 1))
    assert (items[0].result, items[0].votes) == ("einstimmig beschlossen", Votes(None, 0, None))
    assert (items[2].result, items[2].votes) == ("abgelehnt", Votes(3, 12, 1, None))
    assert (items[3].result, items[3].votes) == (None, Votes(15, 2, 1, 1))
    assert imported.warnings == [
        "TOP 1: „viele“ ist keine Stimmenzahl; der bisherige Wert bleibt (–)."
    ]


# --- title, paper, facts ----------------------------------------------------------------------


def test_title_paper_and_meeting_facts(base: Minutes, tmp_path: Path) -> None:
    doc = docx.Document(str(_write(base, tmp_path / "n.docx")))
    heading = _para(doc, "TOP 2:")
    _set_runs(
        heading, "TOP 2: Sanierung der Grundschule Am Lindenweg – Bau- und ", "Finanzbeschluss"
    )
    _para(doc, "Vorlage: 2026/0142").runs[1].text = "2026/0142-1"
    _para(doc, "Vorlage: 2026/0150").runs[0].text = "Antrag: "
    _para(doc, "Ende:").runs[-1].text = "20.05 Uhr"
    _para(doc, "Ort:").runs[-1].text = "Bürgerhaus Musterstadt"
    _para(doc, "Gäste:").runs[
        -1
    ].text = "Markus Brandt (Ingenieurbüro Brandt & Partner), Dr. Eva Klein (Kreis, Jugendamt)"
    _para(doc, "Entschuldigt:").runs[-1].text = "–"
    imported = _read(_save(doc, tmp_path / "e.docx"), base)

    minutes = imported.minutes
    assert minutes.items[1].title == (
        "Sanierung der Grundschule Am Lindenweg – Bau- und Finanzbeschluss"
    )
    assert minutes.items[1].paper == "2026/0142-1"
    assert minutes.items[2].paper == "Antrag 2026/0150"
    assert minutes.meeting.end_time == "20:05"
    assert minutes.meeting.place == "Bürgerhaus Musterstadt"
    assert minutes.attendance.guests == [
        "Markus Brandt (Ingenieurbüro Brandt & Partner)",
        "Dr. Eva Klein (Kreis, Jugendamt)",
    ]
    assert minutes.attendance.absent == []
    expected = copy.deepcopy(base)
    expected.items[1].title = minutes.items[1].title
    expected.items[1].paper = "2026/0142-1"
    expected.items[2].paper = "Antrag 2026/0150"
    expected.meeting.end_time = "20:05"
    expected.meeting.place = "Bürgerhaus Musterstadt"
    expected.attendance.guests = minutes.attendance.guests
    expected.attendance.absent = []
    assert minutes.to_dict() == expected.to_dict()
    assert imported.warnings == []


def test_unreadable_fact_keeps_the_old_value(base: Minutes, tmp_path: Path) -> None:
    doc = docx.Document(str(_write(base, tmp_path / "n.docx")))
    _para(doc, "Beginn:").runs[-1].text = "gegen sechs"
    imported = _read(_save(doc, tmp_path / "e.docx"), base)
    assert imported.minutes.meeting.start_time == "18:00"
    assert imported.warnings == [
        "„Beginn: gegen sechs“ konnte nicht gelesen werden; der bisherige Wert bleibt."
    ]


# --- missing and unknown parts --------------------------------------------------------------


def _top_block(doc: DocxDocument, heading: str) -> list[Any]:
    """The body elements of one TOP: its heading up to the next heading of level 1 or 2."""
    body = list(doc.element.body)
    start = next(i for i, p in enumerate(doc.paragraphs) if p.text.startswith(heading))
    first = body.index(doc.paragraphs[start]._p)
    end = first + 1
    while end < len(body):
        style = body[end].find(f"{qn('w:pPr')}/{qn('w:pStyle')}")
        if style is not None and style.get(qn("w:val")) in ("Heading1", "Heading2"):
            break
        end += 1
    return body[first:end]


def test_missing_and_unknown_tops(base: Minutes, tmp_path: Path) -> None:
    doc = docx.Document(str(_write(base, tmp_path / "n.docx")))
    for element in _top_block(doc, "TOP 3:"):
        element.getparent().remove(element)
    heading = _para(doc, "TOP 2:")
    # an unknown TOP: a heading the draft does not have, with text
    vote = _para(doc, "mehrheitlich beschlossen")
    new = _insert_after(vote, "TOP 9: Verschiedenes", heading.style.name if heading.style else None)
    _insert_after(new, "Es gab keine Wortmeldungen.")
    imported = _read(_save(doc, tmp_path / "e.docx"), base)
    assert imported.minutes.to_dict() == base.to_dict()
    assert imported.warnings == [
        "„TOP 9: Verschiedenes“ gehört nicht zum Entwurf und wurde nicht übernommen.",
        "TOP 3 („Antrag der SPD-Fraktion auf Einrichtung eines Jugendbeirats“) wurde im "
        "Dokument nicht gefunden; sein Inhalt bleibt wie im Entwurf.",
    ]


def test_deleted_top_heading_does_not_mix_tops(base: Minutes, tmp_path: Path) -> None:
    doc = docx.Document(str(_write(base, tmp_path / "n.docx")))
    _remove(_para(doc, "TOP 3:"))
    imported = _read(_save(doc, tmp_path / "e.docx"), base)
    assert imported.minutes.to_dict() == base.to_dict()
    assert any("kommt zweimal vor" in w for w in imported.warnings)
    assert any(w.startswith("TOP 3 (") for w in imported.warnings)


def test_missing_section_keeps_base(base: Minutes, tmp_path: Path) -> None:
    doc = docx.Document(str(_write(base, tmp_path / "n.docx")))
    heading = _para(doc, "Beschluss", after="TOP 4:")
    resolution = _para(doc, "Der Rat stimmt dem Verkauf")
    _remove(heading)
    _remove(resolution)
    imported = _read(_save(doc, tmp_path / "e.docx"), base)
    assert imported.minutes.to_dict() == base.to_dict()
    assert imported.warnings == [
        "TOP 4: Der Abschnitt „Beschluss“ wurde nicht gefunden; der bisherige Beschlusstext bleibt."
    ]


def test_public_version_does_not_touch_non_public_items(base: Minutes, tmp_path: Path) -> None:
    doc = docx.Document(str(_write(base, tmp_path / "n.docx", public_only=True)))
    _para(doc, "Der Rat genehmigt die Niederschrift").runs[0].text = "Genehmigt."
    imported = _read(_save(doc, tmp_path / "e.docx"), base)
    assert imported.minutes.items[3] == base.items[3]
    assert imported.minutes.items[0].resolution_text == "Genehmigt."
    assert imported.warnings == []


# --- errors -----------------------------------------------------------------------------------


def _replace_member(path: Path, name: str, blob: bytes) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            dst.writestr(info.filename, blob if info.filename == name else src.read(info))
    return out.getvalue()


def test_not_a_docx(base: Minutes, tmp_path: Path) -> None:
    draft = _write(base, tmp_path / "n.docx").read_bytes()
    cases: dict[str, tuple[bytes, str]] = {
        "leer": (b"", "Die Datei ist leer"),
        "text": (b"Niederschrift als Text", NOT_DOCX),
        "abgeschnitten": (draft[: len(draft) // 2], NOT_DOCX),
        "doc": (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, "alte Word-Format (.doc)"),
    }
    odt = io.BytesIO()
    with zipfile.ZipFile(odt, "w") as z:
        z.writestr("mimetype", "application/vnd.oasis.opendocument.text")
        z.writestr("content.xml", "<office:document-content/>")
    cases["odt"] = (odt.getvalue(), "OpenDocument-Text (.odt)")
    xlsx = io.BytesIO()
    with zipfile.ZipFile(xlsx, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("xl/workbook.xml", "<workbook/>")
    cases["xlsx"] = (xlsx.getvalue(), NOT_DOCX)
    cases["kaputtes-xml"] = (
        _replace_member(tmp_path / "n.docx", "word/document.xml", b"<w:document><w:body>"),
        NOT_DOCX,
    )
    cases["dtd"] = (
        _replace_member(
            tmp_path / "n.docx",
            "word/document.xml",
            b'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY a "aaaaaaaaaa">'
            b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>'
            b'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
            b"<w:body><w:p><w:r><w:t>&b;</w:t></w:r></w:p></w:body></w:document>",
        ),
        NOT_DOCX,
    )
    for name, (data, message) in cases.items():
        with pytest.raises(NotDocxError) as info:
            read_niederschrift_docx(data, base)
        assert message in str(info.value), name
        assert isinstance(info.value, InputError) and isinstance(info.value, ProtokollError)
        assert info.value.exit_code == InputError.exit_code
    with pytest.raises(NotDocxError):
        read_document_id(b"kein Word")
    missing = tmp_path / "fehlt.docx"
    with pytest.raises(ProtokollError, match="konnte nicht gelesen werden"):
        read_niederschrift_docx(missing, base)


def test_foreign_docx(base: Minutes, tmp_path: Path) -> None:
    foreign = docx.Document()
    foreign.add_heading("Einladung zum Sommerfest", 1)
    foreign.add_paragraph("TOP 1: Grillen")
    path = _save(foreign, tmp_path / "fremd.docx")
    assert read_document_id(path) is None
    with pytest.raises(ForeignDocxError) as info:
        read_niederschrift_docx(path, base)
    assert str(info.value) == FOREIGN
    assert "wurde nicht von protokoll erzeugt oder die Kennung fehlt" in FOREIGN


def test_structure_unreadable(base: Minutes, tmp_path: Path) -> None:
    doc = docx.Document(str(_write(base, tmp_path / "n.docx")))
    for paragraph in doc.paragraphs:
        if paragraph.text.startswith("TOP "):
            _remove(paragraph)
    with pytest.raises(DocxStructureError, match="Keine der Überschriften"):
        read_niederschrift_docx(_save(doc, tmp_path / "e.docx"), base)


def test_zip_bomb_is_refused_before_unpacking(base: Minutes, tmp_path: Path) -> None:
    path = _write(base, tmp_path / "n.docx")
    bomb = _replace_member(path, "word/document.xml", b" " * (51 * 1024 * 1024))
    assert len(bomb) < 1024 * 1024  # small on disk, 51 MB unpacked
    with pytest.raises(DocxTooLargeError, match="zu groß"):
        read_niederschrift_docx(bomb, base)
    # the properties are small: the identifier can still be read
    assert read_document_id(bomb) == DOC_ID


def test_text_outside_the_sections_is_reported(base: Minutes, tmp_path: Path) -> None:
    doc = docx.Document(str(_write(base, tmp_path / "n.docx")))
    _insert_after(_para(doc, "TOP 1:"), "Hinweis: Die Niederschrift lag aus.")
    _insert_after(_para(doc, "mehrheitlich beschlossen"), "Herr Keller war befangen.")
    imported = _read(_save(doc, tmp_path / "e.docx"), base)
    assert imported.minutes.to_dict() == base.to_dict()  # no paper "Hinweis …"
    assert imported.warnings == [
        "TOP 1: Text ohne Abschnittsüberschrift wurde nicht übernommen: „Hinweis: Die "
        "Niederschrift lag aus.“",
        "TOP 2: Text nach den Stimmenzahlen wurde nicht übernommen: „Herr Keller war befangen.“",
    ]
