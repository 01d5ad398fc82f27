"""The register entry as a German "KI-Steckbrief" (DOCX) for MaKI / KI-Transparenzregister.

One to three A4 pages, from the same dict that `export.build_register_entry` returns (and
`ki-register.de.json` holds), so both say the same:

- title, tool name, organisation and date; the entry's notes (missing settings, …) in a
  framed box;
- "Steckbrief": Bezeichnung, Kurzbeschreibung, Organisation, Fachbereich, Zweck,
  Rechtsgrundlage, Status, im Einsatz seit, Einstufung, Anbieter und Betrieb;
- "Eingesetzte Modelle": task, model, version, full SHA-256, runs;
- "Menschliche Kontrolle": review, speaker names, four-eyes principle, approval before
  publication (with the measured share);
- "Datenhaltung und Löschfristen", "Risiken und Maßnahmen" (with the DPIA), "Kennzahlen",
  "Kontakt und Stand".

The document is no AI output: it carries German as language, protokoll as producing
application and ``ai_generated = false`` among its custom properties.
"""

from __future__ import annotations

import io
import os
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.oxml.ns import qn
from docx.shared import Cm, Length, Pt
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph

from protokoll import __version__
from protokoll.documents.docx_common import (
    DOC_LANGUAGE,
    add_header_footer,
    add_notice,
    set_app_properties,
    set_column_widths,
    set_custom_properties,
    set_page_and_defaults,
    style_small,
)
from protokoll.formatting import date_de, datetime_de, num_de, percent_de

TITLE = "KI-Steckbrief"
DASH = "–"
NOT_GIVEN = "nicht angegeben"
_LABEL_WIDTH = Cm(4.6)
_TEXT_WIDTH = Cm(16.0)  # A4 less 2 × 2.5 cm margins
_HEADER_FILL = "D9E2F3"
_MONO = "Consolas"


def steckbrief_docx_bytes(entry: Mapping[str, Any]) -> bytes:
    """The Steckbrief of a register entry as DOCX bytes."""
    buffer = io.BytesIO()
    _build(entry).save(buffer)
    return buffer.getvalue()


def write_steckbrief_docx(entry: Mapping[str, Any], path: Path | str) -> Path:
    """Write the Steckbrief to `path` (atomically: a temporary file, then renamed)."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{target.name}.partial")
    try:
        tmp.write_bytes(steckbrief_docx_bytes(entry))
        os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)
    return target


# ---- reading the entry ---------------------------------------------------------------------


def _get(data: Any, *path: str) -> Any:
    for key in path:
        data = data.get(key) if isinstance(data, Mapping) else None
    return data


def _text(value: Any) -> str:
    if value is None or value == "":
        return DASH
    if isinstance(value, bool):
        return "ja" if value else "nein"
    return str(value)


def _date_de(iso: Any, *, with_time: bool = False) -> str:
    if not isinstance(iso, str) or not iso:
        return DASH
    if with_time and "T" in iso:
        try:
            return datetime_de(iso, utc=True)
        except ValueError:
            return iso
    return date_de(iso, utc=True)


def _percent(share: Any) -> str:
    return percent_de(share, empty=DASH)


def _count(value: Any) -> str:
    return str(value) if isinstance(value, int) and not isinstance(value, bool) else DASH


# ---- building the document -----------------------------------------------------------------


def _build(entry: Mapping[str, Any]) -> DocxDocument:
    doc = Document()
    set_page_and_defaults(doc, font_size_pt=10)
    reg = _get(entry, "eintrag") or {}
    details = _get(entry, "details") or {}
    organization = _text(reg.get("organization"))
    _properties(doc, entry, organization)
    add_header_footer(doc, f"{TITLE} · {organization}")

    doc.add_paragraph(TITLE, style="Title")
    intro = doc.add_paragraph()
    intro.add_run(_text(reg.get("name"))).bold = True
    intro.add_run(f"\n{organization} · Stand: {_date_de(entry.get('generated_at'))}")
    hints = [h for h in entry.get("hinweise") or [] if isinstance(h, str)]
    if hints:
        add_notice(doc, "Hinweise zu diesem Eintrag: " + " ".join(hints))

    _profile(doc, reg, details)
    _models(doc, _get(details, "tool_specification", "models") or [])
    _human_control(doc, entry)
    _retention(doc, entry)
    _risks(doc, details)
    _figures(doc, entry.get("kennzahlen") or {})
    _contact(doc, entry, reg)
    return doc


def _properties(doc: DocxDocument, entry: Mapping[str, Any], organization: str) -> None:
    props = doc.core_properties
    props.title = f"{TITLE} – {_text(_get(entry, 'eintrag', 'name'))}"
    props.subject = "KI-Transparenzregister (MaKI)"
    props.keywords = "KI-Steckbrief; KI-Register; Algoritmeregister; ATRS; protokoll"
    props.author = organization if organization != NOT_GIVEN else "protokoll"
    props.last_modified_by = "protokoll"
    props.comments = f"Erstellt mit protokoll {__version__} aus Konfiguration und Prüfprotokoll"
    props.language = DOC_LANGUAGE
    props.category = "KI-Register"
    props.revision = 1
    generated = entry.get("generated_at")
    try:
        when = datetime.fromisoformat(str(generated)) if generated else datetime.now(UTC)
    except ValueError:
        when = datetime.now(UTC)
    if when.tzinfo is not None:
        when = when.astimezone(UTC).replace(tzinfo=None)
    props.created = props.modified = when
    set_custom_properties(
        doc,
        {
            "ai_generated": False,
            "document_type": TITLE,
            "register_schema_version": _text(entry.get("schema_version")),
        },
    )
    set_app_properties(doc)


def _heading(doc: DocxDocument, text: str) -> None:
    heading = doc.add_paragraph(text, style="Heading 1")
    heading.paragraph_format.keep_with_next = True


def _grid(
    doc: DocxDocument,
    widths: Sequence[Length],
    rows: Sequence[Sequence[str]],
    *,
    header: Sequence[str] = (),
    bold_first: bool = False,
) -> Table:
    """A table with borders: an optional shaded header row (repeated on each page), then
    `rows`; rows never split across pages, and a table that fits on a page is not split."""
    table = doc.add_table(rows=0, cols=len(widths))
    table.style = doc.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.LEFT
    table.autofit = False
    if header:
        cells = table.add_row().cells
        for cell, label in zip(cells, header, strict=True):
            cell.paragraphs[0].add_run(label).bold = True
            _cell_property(cell, "shd", {"w:val": "clear", "w:fill": _HEADER_FILL})
        _row_property(table, "tblHeader")
    for values in rows:
        cells = table.add_row().cells
        for index, (cell, value) in enumerate(zip(cells, values, strict=True)):
            cell.paragraphs[0].add_run(value).bold = bold_first and index == 0
        _row_property(table, "cantSplit")
    for row in table.rows[:-1]:  # the table stays on one page where it fits on one
        for cell in row.cells:
            for paragraph in cell.paragraphs:
                paragraph.paragraph_format.keep_with_next = True
    for column, width in zip(table.columns, widths, strict=True):
        column.width = width  # the grid, which LibreOffice follows
    set_column_widths(table, widths)  # each cell, which Word follows
    return table


def _row_property(table: Table, name: str) -> None:
    tr_pr = table.rows[-1]._tr.get_or_add_trPr()
    tr_pr.append(tr_pr.makeelement(qn(f"w:{name}"), {}))


def _cell_property(cell: _Cell, name: str, attributes: Mapping[str, str]) -> None:
    tc_pr = cell._tc.get_or_add_tcPr()
    tc_pr.append(tc_pr.makeelement(qn(f"w:{name}"), {qn(k): v for k, v in attributes.items()}))


def _facts(
    doc: DocxDocument, rows: Sequence[tuple[str, str]], label_width: Length = _LABEL_WIDTH
) -> Table:
    widths = (label_width, Length(_TEXT_WIDTH - label_width))
    return _grid(doc, widths, rows, bold_first=True)


def _bullet(doc: DocxDocument, label: str, text: str) -> Paragraph:
    paragraph = doc.add_paragraph(style="List Bullet")
    paragraph.add_run(f"{label}: ").bold = True
    paragraph.add_run(text)
    return paragraph


def _profile(doc: DocxDocument, reg: Mapping[str, Any], details: Any) -> None:
    _heading(doc, "Steckbrief")
    begin = reg.get("begin_date")
    category = _text(reg.get("publication_category"))
    if category == "Sonstige Algorithmen":
        category += " (keine Hochrisiko-Anwendung nach Anhang III KI-Verordnung)"
    _facts(
        doc,
        [
            ("Bezeichnung", _text(reg.get("name"))),
            ("Kurzbeschreibung", _text(reg.get("description_short"))),
            ("Organisation", _text(reg.get("organization"))),
            ("Fachbereich", _text(_get(details, "owner_and_responsibility", "team"))),
            ("Zweck", _text(reg.get("goal"))),
            ("Rechtsgrundlage", _text(reg.get("lawful_basis"))),
            ("Status", _text(reg.get("status"))),
            ("Im Einsatz seit", _date_de(begin) if begin else NOT_GIVEN),
            ("Einstufung", category),
            ("Anbieter und Betrieb", _text(reg.get("provider"))),
            (
                "Verfahren",
                _text(_get(details, "description_and_rationale", "detailed_description")),
            ),
        ],
    )


def _models(doc: DocxDocument, models: Sequence[Any]) -> None:
    _heading(doc, "Eingesetzte Modelle")
    rows = [m for m in models if isinstance(m, Mapping)]
    if not rows:
        doc.add_paragraph("Keine Modelle angegeben.")
        return
    lines = []
    for model in rows:
        name = _text(model.get("name"))
        if model.get("version"):
            name += f"\nVersion: {model['version']}"
        if model.get("license"):
            name += f"\nLizenz: {model['license']}"
        sha256 = _text(model.get("sha256") or "nicht einsehbar")
        lines.append((_text(model.get("task")), name, sha256, _count(model.get("runs"))))
    table = _grid(
        doc,
        (Cm(3.6), Cm(4.4), Cm(6.3), Cm(1.7)),
        lines,
        header=("Aufgabe", "Modell und Version", "SHA-256 der Gewichte", "Läufe"),
    )
    for row in table.rows[1:]:
        run = row.cells[2].paragraphs[0].runs[0]
        run.font.name = _MONO
        run.font.size = Pt(7.5)
    note = doc.add_paragraph(
        "Läufe: Verarbeitungsschritte im Berichtszeitraum laut Prüfprotokoll; 0 = konfiguriert, "
        "noch nicht verwendet. Die Prüfsummen werden bei jedem Laden der Modelle geprüft."
    )
    style_small(note, 8)


def _human_control(doc: DocxDocument, entry: Mapping[str, Any]) -> None:
    _heading(doc, "Menschliche Kontrolle")
    review = _get(entry, "betrieb", "human_review") or {}
    minutes = _get(entry, "kennzahlen", "minutes") or {}
    four_eyes = review.get("four_eyes")
    _bullet(doc, "Prüfung", "Die Schriftführung prüft und bearbeitet jeden KI-Entwurf.")
    _bullet(
        doc,
        "Sprecherzuordnung",
        "durch eine Person; Vorschläge nur aus dem Gesagten, keine Stimmprofile"
        if review.get("speaker_names_by_person")
        else DASH,
    )
    _bullet(
        doc,
        "Vier-Augen-Prinzip",
        "ja – zwei verschiedene Personen geben frei"
        if four_eyes
        else "nein – eine prüfende Person gibt frei",
    )
    published = minutes.get("published")
    statement = "Veröffentlicht wird nur eine freigegebene Fassung."
    if isinstance(published, int) and published > 0:
        statement += (
            f" Im Berichtszeitraum veröffentlicht: {published}; davon vorher von einer Person "
            f"freigegeben: {_count(minutes.get('published_human_approved'))} "
            f"(Anteil {_percent(minutes.get('published_human_approved_share'))})."
        )
    _bullet(doc, "Freigabe", statement)
    _bullet(doc, "Nachweis", "Jeder Schritt steht mit Person und Zeitpunkt im Prüfprotokoll.")


def _retention(doc: DocxDocument, entry: Mapping[str, Any]) -> None:
    _heading(doc, "Datenhaltung und Löschfristen")
    retention = _get(entry, "betrieb", "retention") or {}
    days = retention.get("recording_retention_days")
    _bullet(doc, "Betrieb", _text(_get(entry, "betrieb", "deployment")))
    _bullet(
        doc,
        "Löschung bei der Veröffentlichung",
        _text(retention.get("delete_recording_on_publication")),
    )
    _bullet(
        doc,
        "Löschfrist für Mitschnitte",
        f"{days} Tage nach dem Hochladen" if isinstance(days, int) and days > 0 else "keine",
    )
    _bullet(doc, "Transkript und Entwürfe", "bleiben bei der Sitzung, bis diese gelöscht wird")
    _bullet(doc, "Prüfprotokoll", _text(retention.get("audit_log")))


def _risks(doc: DocxDocument, details: Any) -> None:
    _heading(doc, "Risiken und Maßnahmen")
    section = _get(details, "risks_mitigations_and_impact_assessments") or {}
    risks = [r for r in section.get("risks") or [] if isinstance(r, Mapping)]
    if risks:
        rows = [(_text(r.get("risk")), _text(r.get("mitigation"))) for r in risks]
        _grid(doc, (Cm(6.0), Cm(10.0)), rows, header=("Risiko", "Maßnahme"))
    for assessment in section.get("impact_assessments") or []:
        if isinstance(assessment, Mapping):
            link = assessment.get("link") or NOT_GIVEN
            _bullet(doc, _text(assessment.get("name")), f"{link}")


def _figures(doc: DocxDocument, figures: Mapping[str, Any]) -> None:
    period = figures.get("period") or {}
    _heading(doc, "Kennzahlen")
    minutes = figures.get("minutes") or {}
    deleted = figures.get("recordings_deleted") or {}
    incidents = figures.get("incidents") or {}
    hours = figures.get("audio_hours")
    edit_rate = minutes.get("average_edit_rate")
    chain = incidents.get("chain_ok")
    deleted_text = ", ".join(
        f"{label}: {_count(deleted.get(key, 0))}"
        for key, label in (
            ("veroeffentlichung", "bei Veröffentlichung"),
            ("freigabe", "nach Freigabe"),
            ("frist", "nach Frist"),
            ("manuell", "von Hand"),
        )
    )
    others = [
        f"{k}: {_count(v)}"
        for k, v in deleted.items()
        if k not in ("veroeffentlichung", "freigabe", "frist", "manuell")
    ]
    _facts(
        doc,
        [
            ("Zeitraum", f"{_date_de(period.get('from'))} bis {_date_de(period.get('to'))}"),
            ("Verarbeitete Sitzungen", _count(figures.get("sessions_processed"))),
            (
                "Verarbeitete Aufnahmen",
                f"{num_de(hours)} Stunden" if isinstance(hours, int | float) else DASH,
            ),
            ("Freigegebene Niederschriften", _count(minutes.get("approved"))),
            ("Veröffentlichte Niederschriften", _count(minutes.get("published"))),
            (
                "Davon vorher von einer Person freigegeben",
                f"{_count(minutes.get('published_human_approved'))} "
                f"(Anteil {_percent(minutes.get('published_human_approved_share'))})",
            ),
            (
                "Durchschnittliche Änderungsquote",
                f"{_percent(edit_rate)} (über {_count(minutes.get('edit_rates_counted'))} "
                "Freigaben)"
                if edit_rate is not None
                else "keine Freigabe im Zeitraum",
            ),
            ("Gelöschte Mitschnitte", "; ".join([deleted_text, *others])),
            ("Fehlgeschlagene Verarbeitungen", _count(incidents.get("jobs_failed"))),
            ("Abgelehnte Uploads", _count(incidents.get("uploads_refused"))),
            ("Fehlgeschlagene Anmeldungen", _count(incidents.get("logins_failed"))),
            (
                "Prüfkette des Protokolls",
                {True: "in Ordnung", False: "UNTERBROCHEN", None: "nicht geprüft"}.get(
                    chain if isinstance(chain, bool) else None, DASH
                ),
            ),
        ],
        label_width=Cm(7.0),
    )


def _contact(doc: DocxDocument, entry: Mapping[str, Any], reg: Mapping[str, Any]) -> None:
    _heading(doc, "Kontakt und Stand")
    _bullet(doc, "Kontakt", _text(reg.get("contact_email")))
    _bullet(doc, "Website", _text(reg.get("website") or NOT_GIVEN))
    _bullet(doc, "Stand", _date_de(entry.get("generated_at"), with_time=True))
    source = doc.add_paragraph(
        f"Erstellt mit {_text(entry.get('generator'))} aus der Konfiguration und dem "
        "Prüfprotokoll. Maschinenlesbare Fassung: ki-register.de.json (eigenes Schema von "
        "protokoll)."
    )
    style_small(source, 8)
