"""A readable German Wortprotokoll draft (DOCX) from a transcript.

The document is a draft for a responsible person to review, and says so: in a highlighted
notice at the top, in the page header, and machine-readably in the document properties
(EU AI Act Art. 50): core properties (subject, keywords, comments) and a custom property
``ai_generated = true`` in ``docProps/custom.xml``.

Layout: title, notice, a table of facts (meeting, recording, models), then the spoken text
as blocks: a bold speaker line with the start time ("[00:01:23]") followed by what was
said. Consecutive segments of the same speaker share one block. Words recognised with a
probability below a threshold are highlighted yellow. At the end, the pipeline's warnings
("Hinweise") and the passages its hallucination guard removed ("Entfernte Passagen").
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from xml.sax.saxutils import escape

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_COLOR_INDEX
from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Length, Pt, RGBColor
from docx.table import Table
from docx.text.paragraph import Paragraph

from protokoll import __version__
from protokoll.transcript import UNKNOWN_SPEAKER, Segment, Transcript
from protokoll.writers._common import format_hms, speaker_display_name

NOTICE_TEXT = (
    "KI-gestützter Entwurf: automatisch erstellt mit protokoll, "
    "vor Verwendung von einer verantwortlichen Person zu prüfen."
)
HEADER_TEXT = "KI-gestützter Entwurf – nicht geprüft"
AI_SUBJECT = "KI-gestützter Entwurf"
AI_KEYWORDS = "KI-generiert; Entwurf; protokoll"
DOC_LANGUAGE = "de-DE"
FONT_NAME = "Calibri"
FONT_SIZE_PT = 11

# A block's text starts a new paragraph after a pause this long or once this long.
PARAGRAPH_PAUSE_S = 3.0
PARAGRAPH_MAX_CHARS = 1200

# German labels for well-known meeting keys; other keys are shown as given.
MEETING_LABELS: dict[str, str] = {
    "body": "Gremium",
    "title": "Sitzung",
    "session": "Sitzung",
    "session_number": "Sitzungsnummer",
    "start_time": "Beginn",
    "date": "Datum",
    "time": "Uhrzeit",
    "start": "Beginn",
    "end": "Ende",
    "place": "Ort",
    "chair": "Vorsitz",
    "recorder": "Schriftführung",
}

LANGUAGE_NAMES: dict[str, str] = {
    "de": "Deutsch",
    "en": "Englisch",
    "fr": "Französisch",
    "tr": "Türkisch",
}

_CUSTOM_PROPS_NS = "http://schemas.openxmlformats.org/officeDocument/2006/custom-properties"
_EXTENDED_PROPS_NS = "http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"
_VT_NS = "http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"
# The format id Office uses for user-defined properties.
_CUSTOM_PROPS_FMTID = "{D5CDD505-2E9C-101B-9397-08002B2CF9AE}"

_NO_SPACE_BEFORE = frozenset(".,;:!?)]}»“”…%")
_GREY = RGBColor(0x59, 0x59, 0x59)


def write_wortprotokoll_docx(
    transcript: Transcript,
    path: str | os.PathLike[str],
    *,
    title: str = "Wortprotokoll",
    meeting: Mapping[str, str] | None = None,
    speaker_names: Mapping[str, str] | None = None,
    low_confidence_threshold: float = 0.5,
    created: datetime | None = None,
) -> None:
    """Write a Wortprotokoll draft of ``transcript`` as DOCX to ``path``.

    ``meeting`` holds facts about the session (keys such as ``body``, ``date``, ``place``;
    shown with German labels). ``speaker_names`` maps speaker labels to display names;
    unmapped labels are shown as they are, a missing speaker as "Unbekannt". Words with a
    probability below ``low_confidence_threshold`` are highlighted yellow. ``created`` is
    the creation time shown and stored (default: now); a naive value is local time.
    """
    created_at = (created or datetime.now(UTC)).astimezone()
    doc = Document()
    _set_page_and_defaults(doc)
    _set_properties(doc, title, created_at)
    _add_header_footer(doc)

    doc.add_heading(f"{title} – Entwurf", level=0)
    _add_notice(doc)
    _add_facts_table(doc, _facts(transcript, meeting, speaker_names, created_at))

    doc.add_heading("Wortlaut", level=1)
    if any(
        w.probability < low_confidence_threshold for seg in transcript.segments for w in seg.words
    ):
        legend = doc.add_paragraph()
        legend.add_run("Gelb markiert: ")
        marked = legend.add_run("unsicher erkannte Wörter")
        marked.font.highlight_color = WD_COLOR_INDEX.YELLOW
        legend.add_run(
            f" (Erkennungswahrscheinlichkeit unter {low_confidence_threshold * 100:.0f} %). "
            "Bitte mit der Aufnahme abgleichen."
        )
        _style_small(legend)
    if not transcript.segments:
        doc.add_paragraph("Kein Wortlaut erkannt.")
    for block in _speaker_blocks(transcript.segments, speaker_names):
        _add_block(doc, block, low_confidence_threshold)

    if transcript.warnings:
        doc.add_heading("Hinweise", level=1)
        for warning in transcript.warnings:
            doc.add_paragraph(warning, style="List Bullet")

    if transcript.dropped:
        doc.add_heading("Entfernte Passagen (zur Prüfung)", level=1)
        doc.add_paragraph(
            "Diese Passagen wurden bei der automatischen Prüfung aus dem Wortlaut entfernt "
            "(z. B. vermutete Halluzinationen der Spracherkennung). "
            "Bitte mit der Aufnahme abgleichen und gegebenenfalls übernehmen."
        )
        table = doc.add_table(rows=1, cols=3)
        table.style = "Table Grid"
        for cell, label in zip(table.rows[0].cells, ("Zeit", "Text", "Grund"), strict=True):
            cell.text = ""
            cell.paragraphs[0].add_run(label).bold = True
        for passage in transcript.dropped:
            row = table.add_row().cells
            row[0].text = f"{format_hms(passage.start_s)}–{format_hms(passage.end_s)}"
            row[1].text = passage.text.strip()
            row[2].text = passage.reason
        _set_column_widths(table, (Cm(3.2), Cm(9.3), Cm(3.5)))

    doc.save(os.fspath(path))


# --- document setup -------------------------------------------------------------------


def _set_page_and_defaults(doc: DocxDocument) -> None:
    """A4 pages, Calibri 11 pt, German as default language for spelling and hyphenation."""
    for section in doc.sections:
        section.page_width = Cm(21.0)
        section.page_height = Cm(29.7)
        section.left_margin = section.right_margin = Cm(2.5)
        section.top_margin = section.bottom_margin = Cm(2.0)

    normal = doc.styles["Normal"]
    normal.font.name = FONT_NAME
    normal.font.size = Pt(FONT_SIZE_PT)
    rfonts = normal.element.get_or_add_rPr().get_or_add_rFonts()
    rfonts.set(qn("w:eastAsia"), FONT_NAME)
    rfonts.set(qn("w:cs"), FONT_NAME)

    styles = doc.styles.element
    rpr_default = styles.find(qn("w:docDefaults") + "/" + qn("w:rPrDefault") + "/" + qn("w:rPr"))
    if rpr_default is None:
        doc_defaults = styles.find(qn("w:docDefaults"))
        if doc_defaults is None:
            doc_defaults = OxmlElement("w:docDefaults")
            styles.insert(0, doc_defaults)
        rpr_default_parent = OxmlElement("w:rPrDefault")
        doc_defaults.insert(0, rpr_default_parent)
        rpr_default = OxmlElement("w:rPr")
        rpr_default_parent.append(rpr_default)
    lang = rpr_default.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr_default.append(lang)
    lang.set(qn("w:val"), DOC_LANGUAGE)

    theme_lang = doc.settings.element.find(qn("w:themeFontLang"))
    if theme_lang is not None:
        theme_lang.set(qn("w:val"), DOC_LANGUAGE)


def _set_properties(doc: DocxDocument, title: str, created_at: datetime) -> None:
    """Core properties and the custom ``ai_generated`` property (AI Act Art. 50 marking)."""
    props = doc.core_properties
    props.title = title
    props.subject = AI_SUBJECT
    props.keywords = AI_KEYWORDS
    props.comments = f"Automatisch erstellt mit protokoll {__version__}; nicht geprüft"
    props.author = "protokoll"
    props.last_modified_by = "protokoll"
    props.language = DOC_LANGUAGE
    props.category = "Entwurf"
    props.revision = 1
    utc_naive = created_at.astimezone(UTC).replace(tzinfo=None)
    props.created = utc_naive
    props.modified = utc_naive
    _set_custom_properties(
        doc,
        {
            "ai_generated": True,
            "ai_generator": f"protokoll {__version__}",
            "review_status": "nicht geprüft",
        },
    )
    _set_app_properties(doc)


def _set_custom_properties(doc: DocxDocument, values: Mapping[str, bool | str]) -> None:
    """Write ``docProps/custom.xml`` (python-docx has no API for custom properties)."""
    items = []
    for pid, (name, value) in enumerate(values.items(), start=2):  # pid 0 and 1 are reserved
        if isinstance(value, bool):
            typed = f"<vt:bool>{'true' if value else 'false'}</vt:bool>"
        else:
            typed = f"<vt:lpwstr>{escape(value)}</vt:lpwstr>"
        items.append(
            f'<property fmtid="{_CUSTOM_PROPS_FMTID}" pid="{pid}" '
            f'name="{escape(name, {chr(34): "&quot;"})}">{typed}</property>'
        )
    blob = (
        "<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n"
        f'<Properties xmlns="{_CUSTOM_PROPS_NS}" xmlns:vt="{_VT_NS}">{"".join(items)}</Properties>'
    ).encode()

    _set_package_part(
        doc, RT.CUSTOM_PROPERTIES, "/docProps/custom.xml", CT.OFC_CUSTOM_PROPERTIES, blob
    )


def _set_app_properties(doc: DocxDocument) -> None:
    """Replace the template's ``docProps/app.xml`` (it names "Microsoft Macintosh Word" as
    the producing application) and drop its thumbnail (a picture of an empty page)."""
    blob = (
        "<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n"
        f'<Properties xmlns="{_EXTENDED_PROPS_NS}" xmlns:vt="{_VT_NS}">'
        f"<Application>protokoll {escape(__version__)}</Application>"
        "<DocSecurity>0</DocSecurity><ScaleCrop>false</ScaleCrop>"
        "<LinksUpToDate>false</LinksUpToDate><SharedDoc>false</SharedDoc>"
        "<HyperlinksChanged>false</HyperlinksChanged></Properties>"
    ).encode()
    _set_package_part(
        doc, RT.EXTENDED_PROPERTIES, "/docProps/app.xml", CT.OFC_EXTENDED_PROPERTIES, blob
    )
    rels = doc.part.package.rels
    for r_id in [r_id for r_id, rel in rels.items() if rel.reltype == RT.THUMBNAIL]:
        del rels[r_id]


def _set_package_part(
    doc: DocxDocument, reltype: str, partname: str, content_type: str, blob: bytes
) -> None:
    """Give the package-level part of ``reltype`` the content ``blob``, adding it if absent."""
    package = doc.part.package
    for rel in package.rels.values():
        if rel.reltype == reltype and not rel.is_external:
            # Such parts (custom.xml, app.xml) load as plain `Part`s holding their bytes.
            rel.target_part._blob = blob
            return
    package.relate_to(Part(PackURI(partname), content_type, blob, package), reltype)


def _add_header_footer(doc: DocxDocument) -> None:
    """Header: the draft marking; footer: "Seite X von Y" from PAGE/NUMPAGES fields."""
    section = doc.sections[0]
    header = section.header.paragraphs[0]
    header.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    header.add_run(HEADER_TEXT)
    _style_small(header)

    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    footer.add_run("Seite ")
    _add_field(footer, "PAGE", "1")
    footer.add_run(" von ")
    _add_field(footer, "NUMPAGES", "1")
    _style_small(footer)


def _add_field(paragraph: Paragraph, instruction: str, placeholder: str) -> None:
    """A complex field (e.g. PAGE) Word computes when it lays out the document."""

    def fld_char(kind: str) -> None:
        el = OxmlElement("w:fldChar")
        el.set(qn("w:fldCharType"), kind)
        paragraph.add_run()._r.append(el)

    fld_char("begin")
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = f" {instruction} \\* MERGEFORMAT "
    paragraph.add_run()._r.append(instr)
    fld_char("separate")
    paragraph.add_run(placeholder)
    fld_char("end")


def _style_small(paragraph: Paragraph) -> None:
    for run in paragraph.runs:
        run.font.size = Pt(9)
        run.font.color.rgb = _GREY


# --- front matter ---------------------------------------------------------------------


def _add_notice(doc: DocxDocument) -> None:
    """The AI notice: bold text on a light yellow, framed paragraph."""
    notice = doc.add_paragraph()
    notice.add_run(NOTICE_TEXT).bold = True
    ppr = notice._p.get_or_add_pPr()
    borders = OxmlElement("w:pBdr")
    for side in ("top", "left", "bottom", "right"):
        border = OxmlElement(f"w:{side}")
        border.set(qn("w:val"), "single")
        border.set(qn("w:sz"), "8")
        border.set(qn("w:space"), "4")
        border.set(qn("w:color"), "BF9000")
        borders.append(border)
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), "FFF2CC")
    # pPr children have a schema order: pBdr and shd follow pStyle/keepNext/... and come
    # before spacing, jc etc. This paragraph has no style, so they go first.
    index = 0 if ppr.pStyle is None else 1
    ppr.insert(index, shading)
    ppr.insert(index, borders)


def _facts(
    transcript: Transcript,
    meeting: Mapping[str, str] | None,
    speaker_names: Mapping[str, str] | None,
    created_at: datetime,
) -> list[tuple[str, str]]:
    rows: list[tuple[str, str]] = []
    for key, value in (meeting or {}).items():
        if value is None or not str(value).strip():
            continue
        rows.append((MEETING_LABELS.get(key, key), str(value).strip()))

    audio = transcript.audio
    language = transcript.language
    language_name = LANGUAGE_NAMES.get(language.split("-")[0].lower())
    speakers = [s for s in transcript.speakers if s != UNKNOWN_SPEAKER]
    rows += [
        ("Aufnahme", audio.file_name),
        ("Dauer", format_hms(audio.duration_s)),
        ("SHA-256", audio.sha256),
        ("Sprache", f"{language_name} ({language})" if language_name else language),
        ("Sprecher", str(len(speakers))),
    ]
    mapped = [s for s in speakers if speaker_names and speaker_names.get(s, "").strip()]
    if mapped:
        rows.append(
            (
                "Zuordnung",
                "; ".join(f"{s} = {speaker_display_name(s, speaker_names)}" for s in mapped),
            )
        )
    if transcript.models:
        rows.append(("Modelle", "; ".join(f"{m.stage}: {m.name}" for m in transcript.models)))
    rows.append(("Erstellt am", created_at.strftime("%d.%m.%Y, %H:%M Uhr")))
    return rows


def _add_facts_table(doc: DocxDocument, rows: Sequence[tuple[str, str]]) -> None:
    table = doc.add_table(rows=0, cols=2)
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.LEFT
    for label, value in rows:
        cells = table.add_row().cells
        cells[0].paragraphs[0].add_run(label).bold = True
        cells[1].paragraphs[0].add_run(value)
    _set_column_widths(table, (Cm(3.5), Cm(12.5)))
    doc.add_paragraph()


def _set_column_widths(table: Table, widths: Sequence[Length]) -> None:
    for row in table.rows:
        for cell, width in zip(row.cells, widths, strict=False):
            cell.width = width


# --- spoken text ----------------------------------------------------------------------


@dataclass
class _Block:
    speaker_name: str
    segments: list[Segment]


def _speaker_blocks(
    segments: Sequence[Segment], speaker_names: Mapping[str, str] | None
) -> Iterator[_Block]:
    """Consecutive segments with the same displayed speaker, as one block each."""
    block: _Block | None = None
    for seg in segments:
        if not seg.text.strip() and not seg.words:
            continue
        name = speaker_display_name(seg.speaker, speaker_names)
        if block is not None and block.speaker_name == name:
            block.segments.append(seg)
            continue
        if block is not None:
            yield block
        block = _Block(name, [seg])
    if block is not None:
        yield block


def _add_block(doc: DocxDocument, block: _Block, threshold: float) -> None:
    heading = doc.add_paragraph()
    heading.paragraph_format.keep_with_next = True
    heading.paragraph_format.space_before = Pt(8)
    heading.paragraph_format.space_after = Pt(2)
    heading.add_run(block.speaker_name).bold = True
    time_run = heading.add_run(f" [{format_hms(block.segments[0].start_s)}]")
    time_run.font.color.rgb = _GREY

    builder: _RunBuilder | None = None
    previous_end = 0.0
    for seg in block.segments:
        starts_paragraph = builder is None or (
            seg.start_s - previous_end >= PARAGRAPH_PAUSE_S or builder.length >= PARAGRAPH_MAX_CHARS
        )
        if starts_paragraph:
            if builder is not None:
                builder.flush()
            paragraph = doc.add_paragraph()
            if builder is not None:  # a continuation paragraph gets its own time mark
                mark = paragraph.add_run(f"[{format_hms(seg.start_s)}] ")
                mark.font.color.rgb = _GREY
            builder = _RunBuilder(paragraph)
        assert builder is not None
        builder.new_segment()
        for text, low in _segment_pieces(seg, threshold):
            builder.add(text, low)
        previous_end = seg.end_s
    if builder is not None:
        builder.flush()


def _segment_pieces(seg: Segment, threshold: float) -> list[tuple[str, bool]]:
    """A segment's text as (word, is_low_confidence) pieces; plain text if it has no words."""
    if not seg.words:
        text = " ".join(seg.text.split())
        return [(text, False)] if text else []
    pieces: list[tuple[str, bool]] = []
    for i, word in enumerate(seg.words):
        core = word.text.strip()
        if not core:
            continue
        # Whisper words carry their leading space; other engines give bare tokens.
        spaced = word.text[:1].isspace() or core[0] not in _NO_SPACE_BEFORE
        pieces.append((core if not spaced or i == 0 else " " + core, word.probability < threshold))
    if pieces and pieces[0][0].startswith(" "):
        pieces[0] = (pieces[0][0].lstrip(), pieces[0][1])
    return pieces


class _RunBuilder:
    """Adds text to a paragraph, merging plain text into few runs and highlighting words."""

    def __init__(self, paragraph: Paragraph) -> None:
        self.paragraph = paragraph
        self.pending = ""
        self.length = 0
        self._space_due = False

    def new_segment(self) -> None:
        """Separate the next segment's text from what came before by one space."""
        self._space_due = self.length > 0

    def add(self, text: str, low: bool) -> None:
        text = text.lstrip() if not self.length or self._space_due else text
        if not text:
            return
        if self._space_due:
            self.pending += " "
            self.length += 1
            self._space_due = False
        self.length += len(text)
        if not low:
            self.pending += text
            return
        core = text.lstrip()
        self.pending += text[: len(text) - len(core)]
        self.flush()
        self.paragraph.add_run(core).font.highlight_color = WD_COLOR_INDEX.YELLOW

    def flush(self) -> None:
        if self.pending:
            self.paragraph.add_run(self.pending)
            self.pending = ""
