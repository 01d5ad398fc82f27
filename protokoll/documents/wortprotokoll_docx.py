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

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_COLOR_INDEX
from docx.shared import Cm, Pt
from docx.text.paragraph import Paragraph

from protokoll.documents.docx_common import (
    AI_KEYWORDS,
    AI_SUBJECT,
    DOC_LANGUAGE,
    FONT_NAME,
    FONT_SIZE_PT,
    GREY,
    HEADER_TEXT,
    add_header_footer,
    add_notice,
    set_ai_properties,
    set_column_widths,
    set_page_and_defaults,
    style_small,
)
from protokoll.domain.transcript import UNKNOWN_SPEAKER, Segment, Transcript, speaker_display_name
from protokoll.formatting import datetime_de, format_hms, percent_de

__all__ = [
    "AI_KEYWORDS",
    "AI_SUBJECT",
    "DOC_LANGUAGE",
    "FONT_NAME",
    "FONT_SIZE_PT",
    "HEADER_TEXT",
    "LANGUAGE_NAMES",
    "MEETING_LABELS",
    "NOTICE_TEXT",
    "write_wortprotokoll_docx",
]

NOTICE_TEXT = (
    "KI-gestützter Entwurf: automatisch erstellt mit protokoll, "
    "vor Verwendung von einer verantwortlichen Person zu prüfen."
)

# the pipeline's stages as the facts table names them
STAGE_NAMES = {
    "asr": "Spracherkennung",
    "transcription": "Spracherkennung",
    "diarization": "Sprechererkennung",
    "embedding": "Stimmmerkmale",
    "minutes": "Niederschrift",
}

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

_NO_SPACE_BEFORE = frozenset(".,;:!?)]}»“”…%")


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
    set_page_and_defaults(doc)
    set_ai_properties(doc, title, created_at)
    add_header_footer(doc)

    doc.add_heading(f"{title} – Entwurf", level=0)
    add_notice(doc, NOTICE_TEXT)
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
            f" (Erkennungswahrscheinlichkeit unter {percent_de(low_confidence_threshold)}). "
            "Bitte mit der Aufnahme abgleichen."
        )
        style_small(legend)
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
        set_column_widths(table, (Cm(3.2), Cm(9.3), Cm(3.5)))

    doc.save(os.fspath(path))


# --- front matter ---------------------------------------------------------------------


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
                "; ".join(
                    f"{speaker_display_name(s)} = {speaker_display_name(s, speaker_names)}"
                    for s in mapped
                ),
            )
        )
    if transcript.models:
        rows.append(
            (
                "Modelle",
                "; ".join(f"{STAGE_NAMES.get(m.stage, m.stage)}: {m.name}"
                          for m in transcript.models),
            )
        )  # fmt: skip
    rows.append(("Erstellt am", datetime_de(created_at)))
    return rows


def _add_facts_table(doc: DocxDocument, rows: Sequence[tuple[str, str]]) -> None:
    table = doc.add_table(rows=0, cols=2)
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.LEFT
    for label, value in rows:
        cells = table.add_row().cells
        cells[0].paragraphs[0].add_run(label).bold = True
        cells[1].paragraphs[0].add_run(value)
    set_column_widths(table, (Cm(3.5), Cm(12.5)))
    doc.add_paragraph()


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


SPEAKER_DOUBT_BELOW = 0.5  # segment speaker confidence under which the clerk is asked to check
SPEAKER_DOUBT_TEXT = "Sprecherzuordnung unsicher, bitte prüfen"


def _attribution_doubtful(segments: Sequence[Segment]) -> bool:
    """True when most of the block's speech has a speaker confidence below the bound."""
    doubtful = sum(
        s.end_s - s.start_s
        for s in segments
        if s.speaker_confidence is not None and s.speaker_confidence < SPEAKER_DOUBT_BELOW
    )
    return doubtful > 0.5 * sum(s.end_s - s.start_s for s in segments)


def _add_block(doc: DocxDocument, block: _Block, threshold: float) -> None:
    heading = doc.add_paragraph()
    heading.paragraph_format.keep_with_next = True
    heading.paragraph_format.space_before = Pt(8)
    heading.paragraph_format.space_after = Pt(2)
    heading.add_run(block.speaker_name).bold = True
    time_run = heading.add_run(f" [{format_hms(block.segments[0].start_s)}]")
    time_run.font.color.rgb = GREY
    if _attribution_doubtful(block.segments):
        doubt = heading.add_run(f" – {SPEAKER_DOUBT_TEXT}")
        doubt.italic = True
        doubt.font.highlight_color = WD_COLOR_INDEX.YELLOW

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
                mark.font.color.rgb = GREY
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
    # Whisper words carry their leading space ("SPD", "-Fraktion" is one word on the page);
    # other engines give bare tokens, spaced unless punctuation follows
    carries_spaces = any(w.text[:1].isspace() for w in seg.words)
    for i, word in enumerate(seg.words):
        core = word.text.strip()
        if not core:
            continue
        spaced = word.text[:1].isspace() if carries_spaces else core[0] not in _NO_SPACE_BEFORE
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
