"""Write `samples/agenda.docx`: the invitation (Einladung mit Tagesordnung) of the sample session.

It is made from `samples/agenda.toml`, so both describe the same session: the meeting data
as "Label: value" lines, then the agenda as a table "TOP | Betreff | Vorlage" with the rows
"Öffentlicher Teil" and "Nichtöffentlicher Teil" before the items of each part. Members are
not listed (an invitation does not list them); `protokoll.domain.agenda.load_agenda_source(docx,
members_from=toml)` adds them.

The file is byte-identical on every run with the same python-docx version (fixed document
properties and zip timestamps).

Usage: python samples/make_agenda_docx.py [AGENDA.toml [OUT.docx]]   (needs python-docx)
"""

from __future__ import annotations

import datetime as dt
import io
import sys
import zipfile
from pathlib import Path

import docx
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt

from protokoll.domain.agenda import Agenda, load_agenda

HERE = Path(__file__).resolve().parent
WEEKDAYS = ["Montag", "Dienstag", "Mittwoch", "Donnerstag", "Freitag", "Samstag", "Sonntag"]
FIXED_TIME = dt.datetime(2026, 11, 1, 9, 0, 0)


def build(agenda: Agenda) -> docx.document.Document:
    m = agenda.meeting
    document = docx.Document()
    document.core_properties.title = f"Einladung – {m.body}, {m.date:%d.%m.%Y}"
    document.core_properties.author = "protokoll samples"
    document.core_properties.last_modified_by = "protokoll samples"
    document.core_properties.created = FIXED_TIME
    document.core_properties.modified = FIXED_TIME
    document.core_properties.revision = 1

    document.add_heading("Einladung", level=1)
    document.add_paragraph(f"Gremium: {m.body}")
    if m.session_number:
        document.add_paragraph(f"Sitzungsnummer: {m.session_number}")
    when = f"Termin: {WEEKDAYS[m.date.weekday()]}, {m.date:%d.%m.%Y}"
    document.add_paragraph(when + (f", {m.start_time} Uhr" if m.start_time else ""))
    if m.place:
        document.add_paragraph(f"Ort: {m.place}")

    document.add_heading("Tagesordnung", level=2)
    table = document.add_table(rows=1, cols=3)
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, ("TOP", "Betreff", "Vorlage"), strict=True):
        cell.text = text
        cell.paragraphs[0].runs[0].bold = True
    part: bool | None = None
    for item in agenda.items:
        if item.public is not part:
            part = item.public
            row = table.add_row()
            merged = row.cells[0].merge(row.cells[2])
            merged.text = "Öffentlicher Teil" if item.public else "Nichtöffentlicher Teil"
            merged.paragraphs[0].runs[0].bold = True
        cells = table.add_row().cells
        cells[0].text = item.number
        cells[1].text = item.title
        cells[2].text = item.paper

    chairs = [member for member in agenda.members if member.chair]
    closing = document.add_paragraph("Mit freundlichen Grüßen")
    closing.paragraph_format.space_before = Pt(18)
    if chairs:
        signature = document.add_paragraph(f"gez. {chairs[0].name}, {chairs[0].role}".rstrip(", "))
        signature.alignment = WD_ALIGN_PARAGRAPH.LEFT
    return document


def reproducible(data: bytes) -> bytes:
    """The same zip with fixed timestamps and entry order, so that reruns give equal bytes."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=FIXED_TIME.timetuple()[:6])
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            target.writestr(entry, source.read(info.filename))
    return out.getvalue()


def write(agenda_path: Path, out_path: Path) -> Path:
    buffer = io.BytesIO()
    build(load_agenda(agenda_path)).save(buffer)
    out_path.write_bytes(reproducible(buffer.getvalue()))
    return out_path


def main(argv: list[str]) -> None:
    agenda_path = Path(argv[0]) if argv else HERE / "agenda.toml"
    out_path = Path(argv[1]) if len(argv) > 1 else HERE / "agenda.docx"
    print(write(agenda_path, out_path))


if __name__ == "__main__":
    main(sys.argv[1:])
