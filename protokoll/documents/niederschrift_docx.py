"""The Niederschrift (council minutes) as a DOCX draft for the Schriftführung to review.

The document is built on a template: the shipped
``protokoll/documents/templates/niederschrift.docx``
or a municipality's own (its letterhead, fonts, styles, margins; ``.docx`` or ``.dotx``).
The template's body is cleared; its headers, footers, page setup and styles stay.

Layout (German, following GO NRW § 52 and model Geschäftsordnungen):

- "Niederschrift", the body, "über die 12. Sitzung am 19.11.2026"; date, place, start and
  end ("Beginn: 18:00 Uhr");
- the AI notice box, and "Prüfhinweise": how many places the reviewer must check;
- "Anwesenheit": Vorsitz, members present, excused, administration, guests, Schriftführung;
- "Tagesordnung" as a table (TOP, Betreff, Vorlage), split into "Öffentlicher Teil" and
  "Nicht öffentlicher Teil";
- per TOP ("TOP 3: Title"): "Vorlage: …", the debate depending on the protocol type
  (``verlauf``: "Beratungsverlauf" in indirect speech with grey source time marks
  "[00:12:03–00:12:40]"; ``wort``: "Wortlaut", the sentences as given; ``ergebnis``:
  none), "Anträge", "Beschluss" and "Abstimmungsergebnis" ("Ja: 14, Nein: 3,
  Enthaltungen: 2, Befangen: –"; a count that was not said reads "–", never 0);
- the non-public items in their own part "Nicht öffentlicher Teil" on a new page;
- signature lines for Vorsitz and Schriftführung ("Datum, Unterschrift");
- after them, on a new page, the appendix "Anlage: Sprecherzuordnung" (not in the
  approved version): a table "Kennung | Name" of every speaker label in the minutes
  (``SPEAKER_03``) with its name (empty where none is known). The reviewer corrects names
  there; on upload (`protokoll.review.docx_import`) the table becomes ``speaker_names``.

The texts the reader relies on (headings, placeholders, fact and vote labels, table
headers, property names, time marks, speaker display names) and the small helpers that
show the minutes' data are defined in `protokoll.documents.niederschrift_layout`, the
contract between this writer and the reader; change the layout there, not here.

Review flags (`Flag`s of the minutes, items and sentences, plus gaps the writer finds:
counts not said, missing chair, end time …) are shown twice: the affected text is
highlighted yellow and carries a Word comment by "protokoll (KI-Prüfhinweis)". Flags about
the vote or the resolution sit on those lines, other item flags on the TOP heading,
document-level flags in the "Prüfhinweise" list.

``public_only=True`` writes the public version: non-public items are left out entirely
(agenda rows, text, flags, comments, properties); a line says the non-public part is not
included.

AI marking (EU AI Act Art. 50): the notice box, the page header "KI-gestützter Entwurf –
nicht geprüft", and the core and custom document properties (``ai_generated = true`` …),
as in the Wortprotokoll.

``document_id`` identifies the draft version the file was made from, so that an edited
upload can be matched to it: it is stored in the core property ``identifier`` (Word keeps
it) and in the custom property ``protokoll_dokument_id`` (Word and LibreOffice keep it).

``approval`` ("Geprüft und freigegeben von … am …") writes the approved version: notice,
header and properties say the text was drafted with AI assistance and then reviewed and
approved (``ai_generated`` stays true), and no review flags are shown (no highlights, no
comments, no "Prüfhinweise"); a missing fact reads "–", and the speaker appendix is left
out (it serves the review; published, it would name speakers the text does not name).
"""

from __future__ import annotations

import io
import os
import zipfile
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_BREAK, WD_COLOR_INDEX
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.exceptions import PackageNotFoundError
from docx.oxml.ns import qn
from docx.section import _Header
from docx.shared import Cm, Length, Pt, RGBColor
from docx.table import Table, _Cell, _Row
from docx.text.paragraph import Paragraph
from docx.text.run import Run

from protokoll import __version__
from protokoll.documents.docx_common import (
    AI_KEYWORDS,
    AI_SUBJECT,
    HEADER_TEXT,
    REVIEW_STATUS_DRAFT,
    add_header_footer,
    add_notice,
    border_element,
    insert_ppr_child,
    new_element,
    set_ai_properties,
    set_german_language,
)
from protokoll.documents.minutes_json import public_flags
from protokoll.documents.niederschrift_layout import (
    AGENDA_TABLE_HEADER,
    DASH,
    DOCUMENT_ID_PROPERTY,
    FACT_ABSENT,
    FACT_ADMINISTRATION,
    FACT_CHAIR,
    FACT_DATE,
    FACT_END,
    FACT_GUESTS,
    FACT_PLACE,
    FACT_PRESENT,
    FACT_PROTOCOL,
    FACT_RECORDER,
    FACT_START,
    HEADING_AGENDA,
    HEADING_ATTENDANCE,
    HEADING_DEBATE,
    HEADING_MOTIONS,
    HEADING_NON_PUBLIC,
    HEADING_PUBLIC,
    HEADING_RESOLUTION,
    HEADING_REVIEW,
    HEADING_SPEAKERS,
    HEADING_VERBATIM,
    HEADING_VOTE,
    MISSING,
    NO_DEBATE,
    NO_ITEMS,
    NO_PUBLIC_ITEMS,
    NO_RESOLUTION,
    NO_RESULT,
    NO_SPEAKERS,
    NO_VERBATIM,
    NO_VOTE_RESULTS,
    PUBLIC_VERSION_PROPERTY,
    SIGNATURE_HINT,
    SPEAKER_NAME_PROPERTY_PREFIX,
    SPEAKER_TABLE_HEADER,
    counts_shown,
    format_sources,
    format_votes,
    german_date,
    german_time,
    names_in,
    paper_parts,
    resolution_blocks,
    speaker_display_name,
    speaker_labels,
    top_heading,
)
from protokoll.documents.templates.make_default_template import (
    LETTERHEAD,
    LETTERHEAD_HINT,
    build_template,
)
from protokoll.domain.minutes import (
    MINUTES_SCHEMA_VERSION,
    Flag,
    Minutes,
    MinutesItem,
    SourceRange,
    counts_not_said,
)
from protokoll.errors import ConfigError
from protokoll.formatting import format_hms

DEFAULT_TEMPLATE = Path(__file__).resolve().parent / "templates" / "niederschrift.docx"

NOTICE_TEXT = (
    "KI-gestützter Entwurf: automatisch erstellt mit protokoll aus der Aufnahme der Sitzung. "
    "Inhalt, Namen, Beschlüsse und Abstimmungsergebnisse sind von der Schriftführung zu "
    "prüfen; gültig ist die Niederschrift erst mit den Unterschriften von Vorsitz und "
    "Schriftführung."
)
COMMENT_AUTHOR = "protokoll (KI-Prüfhinweis)"
COMMENT_INITIALS = "KI"
PUBLIC_VERSION = "öffentliche Fassung"
FULL_VERSION = "vollständige Fassung"
PUBLIC_NOTE = "Öffentliche Fassung – der nicht öffentliche Teil ist nicht enthalten."
NON_PUBLIC_NOTE = "Enthält den nicht öffentlichen Teil – nur für Berechtigte."

# the approved version (``approval`` given)
APPROVED_HEADER_TEXT = "KI-gestützt erstellt – geprüft und freigegeben"
APPROVED_SUBJECT = "KI-gestützt erstellt, geprüft und freigegeben"
APPROVED_NOTICE_TEXT = (
    "Mit KI-Unterstützung erstellt: Der Entwurf dieser Niederschrift wurde mit protokoll "
    "automatisch aus der Aufnahme der Sitzung erstellt und anschließend überarbeitet. "
    "{approval}"
)

# the speaker appendix
SPEAKERS_NOTE = (
    "Die Kennungen („Sprecher 1“, „Sprecher 2“ …) stammen aus der automatischen "
    "Sprechererkennung; ein Sprecher ohne Namen erscheint im Text unter seiner Kennung. Namen "
    "bitte hier eintragen oder korrigieren – nach dem Hochladen gelten sie im ganzen Dokument. "
    "Die Spalte „Kennung“ bitte nicht ändern."
)

PROTOCOL_TYPE_NAMES: dict[str, str] = {
    "verlauf": "Verlaufsprotokoll",
    "ergebnis": "Ergebnisprotokoll",
    "wort": "Wortprotokoll",
}
# item flags shown at the vote line or at the resolution, not at the TOP heading
VOTE_FLAG_KINDS = frozenset(
    {
        "stimmen_nicht_genannt",
        "ergebnis_nicht_erkannt",
        "ergebnis_widerspruechlich",
        "ergebnis_aus_art",
        "ergebnis_ki",
        "widerspruch",
        "zahl_unbelegt",
        "zahl_unverstanden",
        "stimmen_zu_viele",
        "befangenheit_nicht_gezaehlt",
    }
)
RESOLUTION_FLAG_KINDS = frozenset({"beschluss_fehlt", "beschluss_ki", "beschluss_widerspruch"})
# flags about the result itself, anchored at the result rather than at the counts
_RESULT_FLAG_KINDS = (
    "ergebnis_nicht_erkannt",
    "ergebnis_widerspruechlich",
    "ergebnis_aus_art",
    "ergebnis_ki",
)

STYLE_RESOLUTION = "Beschlusstext"
STYLE_TIME_MARK = "Zeitmarke"
_LABEL_WIDTH = Cm(4.6)
_GREY = RGBColor(0x59, 0x59, 0x59)
_LIGHT_GREY = RGBColor(0x7F, 0x7F, 0x7F)
_HEADER_FILL = "D9D9D9"
_SECTION_FILL = "F2F2F2"


def write_niederschrift_docx(
    minutes: Minutes,
    path: str | os.PathLike[str],
    *,
    template: Path | None = None,
    public_only: bool = False,
    speaker_names: Mapping[str, str] | None = None,
    created: datetime | None = None,
    document_id: str | None = None,
    approval: str | None = None,
    letterhead: str | None = None,
) -> None:
    """Write the Niederschrift draft of ``minutes`` as DOCX to ``path``.

    ``template`` is a DOCX/DOTX whose headers, footers, page setup and styles are used
    (default: the shipped template). ``public_only`` leaves out every non-public item.
    ``speaker_names`` maps speaker labels ("SPEAKER_03") in the generated text to names;
    it adds to and overrides ``minutes.speaker_names``. ``created`` is the creation time
    stored in the properties (default: now; a naive value is local time).
    ``document_id`` (the draft version's identifier) is stored in the core property
    ``identifier`` and the custom property ``protokoll_dokument_id``. ``approval``, e.g.
    "Geprüft und freigegeben von Anna Prüfer am 21.11.2026", writes the approved version
    (no review flags, no source time marks; notice, header and properties say reviewed
    and approved). ``letterhead`` (the municipality's name) replaces the shipped
    template's letterhead placeholder; without it the approved version drops the
    placeholder, a draft keeps it. A municipality's own template is left as it is.
    """
    created_at = (created or datetime.now(UTC)).astimezone()
    document_id = (document_id or "").strip() or None
    approval = " ".join((approval or "").split()) or None
    doc = open_template(template)
    names = {**minutes.speaker_names, **(speaker_names or {})}
    builder = _NiederschriftBuilder(
        doc, minutes, public_only=public_only, names=names, approval=approval
    )
    builder.build()
    set_german_language(doc)
    extra_names = {  # for reading an upload back; the approved version has no table
        label: names.get(label, "")
        for label in builder.speaker_labels
        if not approval and names.get(label, "") != minutes.speaker_names.get(label, "")
    }
    _set_properties(
        doc,
        minutes,
        public_only,
        created_at,
        document_id=document_id,
        approval=approval,
        extra_names=extra_names,
    )
    fill_letterhead(doc, letterhead, keep_placeholder=not approval)
    add_header_footer(doc, APPROVED_HEADER_TEXT if approval else HEADER_TEXT)
    doc.save(os.fspath(path))


def fill_letterhead(doc: DocxDocument, name: str | None, *, keep_placeholder: bool) -> None:
    """The shipped template's letterhead placeholder ("Briefkopf der Kommune" and its hint)
    becomes ``name``; without a name it stays (``keep_placeholder``, a draft) or goes (a
    published document must not print it)."""
    name = " ".join((name or "").split())
    for header in _all_headers(doc):
        for paragraph in list(header.paragraphs):
            text = paragraph.text.strip()
            if text == LETTERHEAD_HINT and (name or not keep_placeholder):
                _remove(paragraph)
            elif text == LETTERHEAD and name:
                runs = paragraph.runs
                runs[0].text = name
                for run in runs[1:]:
                    run.text = ""
            elif text == LETTERHEAD and not keep_placeholder:
                _remove(paragraph)


def _all_headers(doc: DocxDocument) -> Iterable[_Header]:
    """Every header the document defines (reading a linked one would add a definition)."""
    for section in doc.sections:
        for header in (section.header, section.first_page_header, section.even_page_header):
            if not header.is_linked_to_previous:
                yield header


# --- template -------------------------------------------------------------------------


def open_template(template: Path | None = None) -> DocxDocument:
    """The template as a document with an empty body (headers, footers, styles kept).

    Without ``template``, the shipped default; if that file is missing (an installation
    without package data), the same template is built in memory. A given template that is
    missing or no Word document is a `ConfigError`.
    """
    if template is None:
        doc = _load(DEFAULT_TEMPLATE) if DEFAULT_TEMPLATE.is_file() else build_template()
    else:
        path = Path(template)
        if not path.is_file():
            raise ConfigError(
                f"Die Vorlage für die Niederschrift wurde nicht gefunden: {path} "
                "(Einstellung [minutes] template)."
            )
        try:
            doc = _load(path)
        except (ValueError, KeyError, zipfile.BadZipFile, PackageNotFoundError) as exc:
            raise ConfigError(
                f"Die Vorlage für die Niederschrift ist keine lesbare Word-Datei "
                f"(.docx/.dotx): {path} (Einstellung [minutes] template)."
            ) from exc
    _clear_body(doc)
    return doc


def _load(path: Path) -> DocxDocument:
    """Open a .docx; a Word template (.dotx) is opened as the document it would create."""
    data = path.read_bytes()
    try:
        return Document(io.BytesIO(data))
    except ValueError:
        if not zipfile.is_zipfile(io.BytesIO(data)):
            raise
    # python-docx refuses the template content type; rewrite it to the document's.
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            blob = src.read(info)
            if info.filename == "[Content_Types].xml":
                blob = blob.replace(
                    b"wordprocessingml.template.main+xml", b"wordprocessingml.document.main+xml"
                )
            dst.writestr(info, blob)
    return Document(io.BytesIO(out.getvalue()))


def _clear_body(doc: DocxDocument) -> None:
    """Remove the template's body content (keeping the final section properties, which
    reference the headers and footers) and any comments it carried."""
    body = doc.element.body
    for child in list(body):
        if child.tag != qn("w:sectPr"):
            body.remove(child)
    try:
        comments_part = doc.part.part_related_by(RT.COMMENTS)
    except KeyError:
        return
    element = getattr(comments_part, "element", None)
    if element is not None:
        for comment in list(element):
            element.remove(comment)


def _set_properties(
    doc: DocxDocument,
    minutes: Minutes,
    public_only: bool,
    created_at: datetime,
    *,
    document_id: str | None = None,
    approval: str | None = None,
    extra_names: Mapping[str, str] | None = None,
) -> None:
    meeting = minutes.meeting
    version = PUBLIC_VERSION if public_only else FULL_VERSION
    title = " – ".join(
        part for part in ("Niederschrift", meeting.body, german_date(meeting.date)) if part
    )
    if public_only:
        title += f" ({PUBLIC_VERSION})"
    protocol = PROTOCOL_TYPE_NAMES.get(minutes.protocol_type, minutes.protocol_type)
    keywords = f"{AI_KEYWORDS}; Niederschrift; {protocol}"
    comments = f"Automatisch erstellt mit protokoll {__version__}; nicht geprüft; {version}"
    category = f"Entwurf – {version}"
    subject = AI_SUBJECT
    review_status = REVIEW_STATUS_DRAFT
    if approval:
        keywords = f"KI-generiert; geprüft; protokoll; Niederschrift; {protocol}"
        comments = (
            f"KI-gestützt erstellt mit protokoll {__version__}; geprüft und freigegeben "
            f"({approval}); {version}"
        )
        category = f"Niederschrift – {version}"
        subject = APPROVED_SUBJECT
        review_status = f"KI-gestützt erstellt, geprüft und freigegeben – {approval}"
    if public_only:
        keywords += f"; {PUBLIC_VERSION}"
    extra: dict[str, bool | str] = {
        "document_type": "Niederschrift",
        "protocol_type": protocol,
        "document_version": version,
        PUBLIC_VERSION_PROPERTY: public_only,
        "contains_non_public": not public_only and any(not i.public for i in minutes.items),
        "minutes_schema_version": MINUTES_SCHEMA_VERSION,
    }
    models = [str(m.get("name", "")) for m in minutes.models if m.get("name")]
    if models:
        extra["ai_models"] = "; ".join(models)
    if minutes.audio_sha256:
        extra["audio_sha256"] = minutes.audio_sha256
    if approval:
        extra["approval"] = approval
    if document_id:
        extra[DOCUMENT_ID_PROPERTY] = document_id
    for label, name in (extra_names or {}).items():
        extra[SPEAKER_NAME_PROPERTY_PREFIX + label] = name
    set_ai_properties(
        doc,
        title,
        created_at,
        keywords=keywords,
        comments=comments,
        category=category,
        extra_custom=extra,
        subject=subject,
        review_status=review_status,
        identifier=document_id,
    )


# --- the document ---------------------------------------------------------------------


@dataclass
class _Anchor:
    """Where the flags of one TOP go: the heading, the resolution, the vote line."""

    heading: list[Flag]
    resolution: list[Flag]
    vote: list[Flag]


class _NiederschriftBuilder:
    def __init__(
        self,
        doc: DocxDocument,
        minutes: Minutes,
        *,
        public_only: bool,
        names: Mapping[str, str],
        approval: str | None = None,
    ) -> None:
        self.doc = doc
        self.minutes = minutes
        self.public_only = public_only
        self.names = dict(names)
        self.approval = approval
        self.items = minutes.public_items() if public_only else list(minutes.items)
        self.speaker_labels = speaker_labels(self.items, self.names)
        self.flag_counts: Counter[str] = Counter()  # per TOP number, "" for the document
        self.doc_flags = public_flags(minutes) if public_only else list(minutes.flags)
        self._ensure_styles()
        section = doc.sections[-1]
        width = section.page_width or Cm(21)
        left = section.left_margin if section.left_margin is not None else Cm(2.5)
        right = section.right_margin if section.right_margin is not None else Cm(2.5)
        self.text_width = Length(width - left - right)
        self._missing_by_kind = {f.kind: f for f in self.doc_flags}

    # ----- top level

    def build(self) -> None:
        self._title()
        if self.approval:
            approval = self.approval if self.approval.endswith(".") else self.approval + "."
            notice = add_notice(self.doc, APPROVED_NOTICE_TEXT.format(approval=approval))
        else:
            notice = add_notice(self.doc, NOTICE_TEXT)
        notice.paragraph_format.space_before = Pt(10)
        notice.paragraph_format.space_after = Pt(10)
        legend = None if self.approval else self._review_legend()
        self._attendance()
        self._agenda()
        public = [i for i in self.items if i.public]
        non_public = [i for i in self.items if not i.public]
        self._heading(HEADING_PUBLIC, 1)
        if not public:
            self.doc.add_paragraph(NO_PUBLIC_ITEMS)
        for item in public:
            self._item(item)
        if non_public:
            heading = self._heading(HEADING_NON_PUBLIC, 1)
            heading.paragraph_format.page_break_before = True
            for item in non_public:
                self._item(item)
        self._signatures()
        if not self.approval:  # the mapping is for the review, not for the signed record
            self._speaker_appendix()
        if legend is not None:
            self._fill_legend(legend)

    # ----- title block

    def _title(self) -> None:
        meeting = self.minutes.meeting
        self._paragraph("Niederschrift", "Title")
        subtitle = self._paragraph("", "Subtitle")
        if meeting.body.strip():
            subtitle.add_run(meeting.body.strip()).bold = True
            subtitle.add_run().add_break(WD_BREAK.LINE)
        number = meeting.session_number.strip().rstrip(".")
        when = german_date(meeting.date)
        if number.isdigit():  # "12" -> "über die 12. Sitzung"
            line = f"über die {number}. Sitzung"
        elif number:  # "12/2026" -> "über die Sitzung Nr. 12/2026"
            line = f"über die Sitzung Nr. {number}"
        else:
            line = "über die Sitzung"
        subtitle.add_run(line + (f" am {when}" if when else ""))
        has_non_public = any(not i.public for i in self.minutes.items)
        if self.public_only or has_non_public:
            note = self.doc.add_paragraph()
            run = note.add_run(PUBLIC_NOTE if self.public_only else NON_PUBLIC_NOTE)
            run.bold = True
            run.font.color.rgb = _GREY

        self._fact(f"{FACT_DATE}:", german_date(meeting.date), "Das Datum der Sitzung fehlt.")
        self._fact(f"{FACT_PLACE}:", meeting.place.strip(), "Der Sitzungsort ist nicht angegeben.")
        self._fact(
            f"{FACT_START}:",
            german_time(meeting.start_time),
            "Der Beginn der Sitzung ist nicht angegeben; bitte eintragen.",
        )
        self._fact(
            f"{FACT_END}:",
            german_time(meeting.end_time),
            "Das Ende der Sitzung ist nicht angegeben; bitte eintragen.",
            kind="ende_fehlt",
        )
        protocol = PROTOCOL_TYPE_NAMES.get(self.minutes.protocol_type, "")
        if protocol:
            self._fact(f"{FACT_PROTOCOL}:", protocol, "")

    def _fact(self, label: str, value: str, missing_message: str, *, kind: str = "") -> Paragraph:
        """A "Label:<tab>value" line with a hanging indent; a missing value is flagged."""
        paragraph = self.doc.add_paragraph()
        fmt = paragraph.paragraph_format
        fmt.left_indent = _LABEL_WIDTH
        fmt.first_line_indent = Length(-_LABEL_WIDTH)
        fmt.tab_stops.add_tab_stop(_LABEL_WIDTH)
        fmt.space_after = Pt(2)
        paragraph.add_run(label).bold = True
        paragraph.add_run("\t")
        if value:
            paragraph.add_run(value)
            return paragraph
        if self.approval:  # approved as it is: no request to fill in
            paragraph.add_run(DASH)
            return paragraph
        run = paragraph.add_run(MISSING)
        given = self._missing_by_kind.get(kind) if kind else None
        if given is not None:  # the pipeline's own flag goes here, not into the list
            self.doc_flags.remove(given)
            self._flag([run], given, "")
        elif missing_message:
            self._flag([run], Flag("angabe_fehlt", missing_message), "")
        return paragraph

    # ----- review legend

    def _review_legend(self) -> list[Paragraph]:
        self._heading(HEADING_REVIEW, 1)
        summary = self.doc.add_paragraph()
        breakdown = self.doc.add_paragraph()
        return [summary, breakdown]

    def _doc_flag_list(self, after: Paragraph) -> None:
        """The document-level flags as a list right after ``after``, each commented."""
        anchor = after
        for flag in self.doc_flags:
            paragraph = self._paragraph_after(anchor, "List Bullet")
            run = paragraph.add_run(self._names_in(flag.message))
            self._flag([run], flag, "")
            anchor = paragraph

    def _fill_legend(self, legend: list[Paragraph]) -> None:
        summary, breakdown = legend
        self._doc_flag_list(breakdown)
        total = sum(self.flag_counts.values())
        if total == 0:
            summary.add_run(
                "Keine Prüfhinweise. Der Entwurf ist trotzdem vollständig mit der Aufnahme "
                "abzugleichen."
            )
            _remove(breakdown)
            return
        summary.add_run("1 Stelle ist" if total == 1 else f"{total} Stellen sind").bold = True
        summary.add_run(" ")
        marked = summary.add_run("gelb markiert")
        marked.font.highlight_color = WD_COLOR_INDEX.YELLOW
        summary.add_run(
            f" und trägt einen Kommentar von „{COMMENT_AUTHOR}“. "
            if total == 1
            else f" und tragen je einen Kommentar von „{COMMENT_AUTHOR}“. "
        )
        summary.add_run(
            "Bitte prüfen, korrigieren und Markierungen wie Kommentare vor der Unterschrift "
            "entfernen."
        )
        parts = []
        if self.flag_counts.get(""):
            parts.append(f"allgemein {self.flag_counts['']}")
        for item in self.items:
            if self.flag_counts.get(item.number):
                parts.append(f"TOP {item.number}: {self.flag_counts[item.number]}")
        if parts:
            breakdown.add_run("Verteilung: " + ", ".join(parts))
            for run in breakdown.runs:
                run.font.size = Pt(9)
                run.font.color.rgb = _GREY
        else:
            _remove(breakdown)

    # ----- attendance

    def _attendance(self) -> None:
        att = self.minutes.attendance
        self._heading(HEADING_ATTENDANCE, 1)
        self._person_line(f"{FACT_CHAIR}:", [att.chair], "Der Vorsitz ist nicht angegeben.")
        present = [p for p in att.present if p.strip()]
        label = f"{FACT_PRESENT} ({len(present)}):" if present else f"{FACT_PRESENT}:"
        self._person_line(label, present, "Die anwesenden Mitglieder sind nicht angegeben.")
        self._person_line(f"{FACT_ABSENT}:", att.absent, "")
        self._person_line(f"{FACT_ADMINISTRATION}:", att.administration, "")
        self._person_line(f"{FACT_GUESTS}:", att.guests, "")
        self._person_line(
            f"{FACT_RECORDER}:", [att.recorder], "Die Schriftführung ist nicht angegeben."
        )

    def _person_line(self, label: str, people: Iterable[str], missing_message: str) -> None:
        names = ", ".join(p.strip() for p in people if p and p.strip())
        if not names and not missing_message:
            names = DASH
        self._fact(label, names, missing_message)

    # ----- agenda table

    def _agenda(self) -> None:
        self._heading(HEADING_AGENDA, 1)
        table = self.doc.add_table(rows=1, cols=3)
        self._grid(table)
        table.alignment = WD_TABLE_ALIGNMENT.LEFT
        table.autofit = False
        widths = (Cm(1.6), Length(self.text_width - Cm(1.6) - Cm(3.4)), Cm(3.4))
        _set_widths(table, widths)
        header = table.rows[0]
        _row_property(header, "tblHeader")
        for cell, text in zip(header.cells, AGENDA_TABLE_HEADER, strict=True):
            cell.paragraphs[0].add_run(text).bold = True
            _shade(cell, _HEADER_FILL)
        for public, label in ((True, HEADING_PUBLIC), (False, HEADING_NON_PUBLIC)):
            items = [i for i in self.items if i.public == public]
            if not items:
                continue
            row = table.add_row()
            _set_row_widths(row, widths)
            merged = row.cells[0].merge(row.cells[2])
            merged.paragraphs[0].add_run(label).bold = True
            merged.paragraphs[0].paragraph_format.keep_with_next = True  # not alone at the end
            _shade(merged, _SECTION_FILL)
            for item in items:
                row = table.add_row()
                _set_row_widths(row, widths)
                cells = row.cells
                cells[0].paragraphs[0].add_run(item.number)
                cells[1].paragraphs[0].add_run(item.title)
                cells[2].paragraphs[0].add_run(item.paper or DASH)
        for row in table.rows:
            _row_property(row, "cantSplit")
            for cell in row.cells:
                for paragraph in cell.paragraphs:
                    paragraph.paragraph_format.space_before = Pt(2)
                    paragraph.paragraph_format.space_after = Pt(2)
        if not self.items:
            self.doc.add_paragraph(NO_ITEMS)

    # ----- one agenda item

    def _item(self, item: MinutesItem) -> None:
        anchors = self._anchors(item)
        heading = self._heading("", 2)
        heading_run = heading.add_run(top_heading(item.number, item.title))
        for flag in anchors.heading:
            self._flag([heading_run], flag, item.number)
        if item.paper:
            kind, number = paper_parts(item.paper)
            paper = self.doc.add_paragraph()
            paper.add_run(f"{kind}: ").bold = True
            paper.add_run(number)

        if self.minutes.protocol_type == "verlauf":
            self._heading(HEADING_DEBATE, 3)
            self._flowing_summary(item)
        elif self.minutes.protocol_type == "wort":
            self._heading(HEADING_VERBATIM, 3)
            self._sentence_paragraphs(item)

        motions = [m for m in item.motions if m.strip()]
        if motions:
            self._heading(HEADING_MOTIONS, 3)
            for motion in motions:
                self._paragraph(self._names_in(motion.strip()), "List Bullet")

        self._heading(HEADING_RESOLUTION, 3)
        runs: list[Run] = []
        if item.resolution_text and item.resolution_text.strip():
            for block in resolution_blocks(item.resolution_text):
                paragraph = self._paragraph("", STYLE_RESOLUTION)
                paragraph.paragraph_format.keep_with_next = True  # with the vote
                runs.append(paragraph.add_run(self._names_in(block)))
        else:
            paragraph = self.doc.add_paragraph()
            paragraph.paragraph_format.keep_with_next = True
            runs.append(paragraph.add_run(NO_RESOLUTION))
        for flag in anchors.resolution:
            self._flag(runs, flag, item.number)

        self._heading(HEADING_VOTE, 3)
        self._vote(item, anchors.vote)

    def _anchors(self, item: MinutesItem) -> _Anchor:
        anchors = _Anchor([], [], [])
        for flag in item.flags:
            if flag.kind in VOTE_FLAG_KINDS:
                anchors.vote.append(flag)
            elif flag.kind in RESOLUTION_FLAG_KINDS:
                anchors.resolution.append(flag)
            else:
                anchors.heading.append(flag)
        kinds = {f.kind for f in item.flags}
        if item.result is None and not kinds & {
            "ergebnis_nicht_erkannt",
            "ergebnis_widerspruechlich",
        }:
            anchors.vote.append(
                Flag("ergebnis_nicht_erkannt", "Kein Abstimmungsergebnis erkannt; bitte ergänzen.")
            )
        missing = _missing_counts(item)
        if missing and "stimmen_nicht_genannt" not in kinds:
            anchors.vote.append(
                Flag(
                    "stimmen_nicht_genannt",
                    counts_not_said(missing) + " Bitte die Stimmenzahlen ergänzen oder „–“ "
                    "stehen lassen; sie wurden nicht geschätzt.",
                )
            )
        return anchors

    def _vote(self, item: MinutesItem, flags: list[Flag]) -> None:
        paragraph = self.doc.add_paragraph()
        result_run = paragraph.add_run(item.result or NO_RESULT)
        result_run.bold = True
        runs = [result_run]
        if counts_shown(item):
            result_run.add_break(WD_BREAK.LINE)
            runs.append(paragraph.add_run(format_votes(item)))
        result_flags = [f for f in flags if f.kind in _RESULT_FLAG_KINDS]
        for flag in flags:
            target = runs[:1] if flag in result_flags or len(runs) == 1 else runs[1:]
            self._flag(target, flag, item.number)

    def _flowing_summary(self, item: MinutesItem) -> None:
        sentences = [s for s in item.summary if s.text.strip()]
        if not sentences:
            self.doc.add_paragraph(NO_DEBATE)
            return
        paragraph = self.doc.add_paragraph()
        for index, sentence in enumerate(sentences):
            if index:
                paragraph.add_run(" ")
            self._sentence(paragraph, sentence.text.strip(), sentence.flags, item.number)
            mark = self._source_mark(sentence.sources)
            if mark:
                paragraph.add_run(" ")
                paragraph.add_run(mark, STYLE_TIME_MARK)

    def _sentence_paragraphs(self, item: MinutesItem) -> None:
        sentences = [s for s in item.summary if s.text.strip()]
        if not sentences:
            self.doc.add_paragraph(NO_VERBATIM)
            return
        for sentence in sentences:
            paragraph = self.doc.add_paragraph()
            self._sentence(paragraph, sentence.text.strip(), sentence.flags, item.number)
            mark = self._source_mark(sentence.sources)
            if mark:
                paragraph.add_run(" ")
                paragraph.add_run(mark, STYLE_TIME_MARK)

    def _source_mark(self, sources: Sequence[SourceRange]) -> str:
        """ "[00:12:03–00:12:40]" in a draft; none in the approved version (the recording it
        points into is deleted, and the reader of the minutes has no use for it)."""
        return "" if self.approval else format_sources(sources)

    def _sentence(self, paragraph: Paragraph, text: str, flags: Sequence[Flag], top: str) -> None:
        """The sentence's text; a flag quoting part of it marks that part, else the whole."""
        text = self._names_in(text)
        quoted = [f for f in flags if f.text and f.text.strip() and f.text.strip() in text]
        if len(quoted) == 1 and len(flags) == 1 and quoted[0].text != text:
            assert quoted[0].text is not None
            part = quoted[0].text.strip()
            before, _, after = text.partition(part)
            if before:
                paragraph.add_run(before)
            run = paragraph.add_run(part)
            if after:
                paragraph.add_run(after)
            self._flag([run], quoted[0], top)
            return
        run = paragraph.add_run(text)
        for flag in flags:
            self._flag([run], flag, top)

    # ----- signatures

    def _signatures(self) -> None:
        att = self.minutes.attendance
        spacer = self.doc.add_paragraph()
        spacer.paragraph_format.space_before = Pt(24)
        spacer.paragraph_format.keep_with_next = True
        table = self.doc.add_table(rows=1, cols=3)
        _no_borders(table)
        table.autofit = False
        gap = Cm(1.5)
        column = Length((self.text_width - gap) // 2)
        _set_widths(table, (column, gap, column))
        for (role, name), cell in zip(
            (("Vorsitz", att.chair), ("Schriftführung", att.recorder)),
            (table.rows[0].cells[0], table.rows[0].cells[2]),
            strict=True,
        ):
            space = cell.paragraphs[0]
            space.paragraph_format.space_before = Pt(30)
            space.paragraph_format.keep_with_next = True
            line = cell.add_paragraph()
            line.paragraph_format.keep_with_next = True
            insert_ppr_child(line, border_element("pBdr", {"top": (6, 2, "000000")}))
            hint = line.add_run(SIGNATURE_HINT)
            hint.font.size = Pt(8)
            hint.font.color.rgb = _GREY
            role_paragraph = cell.add_paragraph()
            role_paragraph.paragraph_format.keep_with_next = True
            role_paragraph.paragraph_format.space_after = Pt(0)
            role_paragraph.add_run(role).bold = True
            cell.add_paragraph(name.strip() if name else "")
        _row_property(table.rows[0], "cantSplit")

    # ----- speaker appendix

    def _speaker_appendix(self) -> None:
        """The appendix "Anlage: Sprecherzuordnung" on a page of its own: label | name."""
        heading = self._heading(HEADING_SPEAKERS, 1)
        heading.paragraph_format.page_break_before = True
        if not self.speaker_labels:
            self.doc.add_paragraph(NO_SPEAKERS)
            return
        note = self.doc.add_paragraph(SPEAKERS_NOTE)
        for run in note.runs:
            run.font.size = Pt(9)
            run.font.color.rgb = _GREY
        table = self.doc.add_table(rows=1, cols=2)
        self._grid(table)
        table.alignment = WD_TABLE_ALIGNMENT.LEFT
        table.autofit = False
        widths = (Cm(4.0), Length(self.text_width - Cm(4.0)))
        _set_widths(table, widths)
        header = table.rows[0]
        _row_property(header, "tblHeader")
        for cell, text in zip(header.cells, SPEAKER_TABLE_HEADER, strict=True):
            cell.paragraphs[0].add_run(text).bold = True
            _shade(cell, _HEADER_FILL)
        for label in self.speaker_labels:
            row = table.add_row()
            _set_row_widths(row, widths)
            _row_property(row, "cantSplit")
            row.cells[0].paragraphs[0].add_run(speaker_display_name(label))
            name = (self.names.get(label) or "").strip()
            if name:
                row.cells[1].paragraphs[0].add_run(name)

    # ----- flags and comments

    def _flag(self, runs: Sequence[Run], flag: Flag, top: str) -> None:
        """Highlight ``runs`` yellow and attach a comment carrying the flag's message
        (nothing in the approved version: the reviewer has dealt with the flags)."""
        if self.approval:
            return
        for run in runs:
            run.font.highlight_color = WD_COLOR_INDEX.YELLOW
        message = self._names_in(flag.message)
        details = []
        if flag.start_s is not None:
            span = format_hms(flag.start_s)
            if flag.end_s is not None and flag.end_s > flag.start_s:
                span += f"–{format_hms(flag.end_s)}"
            details.append(f"Aufnahme {span}")
        if flag.text and flag.text.strip():
            quoted = " ".join(flag.text.split())
            if len(quoted) > 200:
                quoted = quoted[:199] + "…"
            details.append(f"betrifft: „{self._names_in(quoted)}“")
        text = message + (" (" + "; ".join(details) + ")" if details else "")
        self.doc.add_comment(
            list(runs), text=text, author=COMMENT_AUTHOR, initials=COMMENT_INITIALS
        )
        self.flag_counts[top] += 1

    def _names_in(self, text: str) -> str:
        """Speaker labels in generated text replaced by names ("SPEAKER_03" → name or
        "Sprecher 4")."""
        return names_in(text, self.names)

    # ----- styles and paragraphs

    def _ensure_styles(self) -> None:
        """Add the styles the writer uses that a municipality's template may lack."""
        styles = self.doc.styles
        sizes = {"Title": 20, "Subtitle": 13, "Heading 1": 13, "Heading 2": 12, "Heading 3": 11}
        for name, size in sizes.items():
            if name not in styles:
                style = styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
                style.base_style = styles["Normal"]
                style.font.size = Pt(size)
                style.font.bold = name != "Subtitle"
                style.paragraph_format.keep_with_next = True
                style.paragraph_format.space_before = Pt(12 if name != "Title" else 0)
                style.paragraph_format.space_after = Pt(4)
        if "List Bullet" not in styles:
            style = styles.add_style("List Bullet", WD_STYLE_TYPE.PARAGRAPH)
            style.base_style = styles["Normal"]
            style.paragraph_format.left_indent = Cm(0.6)
        if STYLE_RESOLUTION not in styles:
            style = styles.add_style(STYLE_RESOLUTION, WD_STYLE_TYPE.PARAGRAPH)
            style.base_style = styles["Normal"]
            style.paragraph_format.left_indent = Cm(0.75)
        if STYLE_TIME_MARK not in styles:
            char = styles.add_style(STYLE_TIME_MARK, WD_STYLE_TYPE.CHARACTER)
            char.font.size = Pt(8)
            char.font.color.rgb = _LIGHT_GREY

    def _heading(self, text: str, level: int) -> Paragraph:
        return self._paragraph(text, f"Heading {level}")

    def _paragraph(self, text: str, style: str) -> Paragraph:
        paragraph = self.doc.add_paragraph(style=style)
        if text:
            paragraph.add_run(text)
        return paragraph

    def _paragraph_after(self, anchor: Paragraph, style: str) -> Paragraph:
        paragraph = self.doc.add_paragraph(style=style)
        anchor._p.addnext(paragraph._p)
        return paragraph

    def _grid(self, table: Table) -> None:
        if "Table Grid" in self.doc.styles:
            table.style = self.doc.styles["Table Grid"]
        else:
            _table_borders(table, 4)


def _missing_counts(item: MinutesItem) -> list[str]:
    """The counts a decided vote should have but that were not said."""
    if item.result is None or item.result in NO_VOTE_RESULTS:
        return []
    votes = item.votes
    return [field for field in ("yes", "no", "abstain") if getattr(votes, field) is None]


def _remove(paragraph: Paragraph) -> None:
    element = paragraph._p
    parent = element.getparent()
    if parent is not None:
        parent.remove(element)


def _shade(cell: _Cell, fill: str) -> None:
    shading = new_element("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), fill)
    tc_pr = cell._tc.get_or_add_tcPr()
    for old in tc_pr.findall(qn("w:shd")):
        tc_pr.remove(old)
    successors = ("noWrap", "tcMar", "textDirection", "tcFitText", "vAlign", "hideMark")
    tc_pr.insert_element_before(shading, *(f"w:{t}" for t in successors))


# trPr children in schema order (CT_TrPrBase is a choice, but Word writes this order)
_TRPR_ORDER = (
    "cnfStyle divId gridBefore gridAfter wBefore wAfter cantSplit trHeight tblHeader "
    "tblCellSpacing jc hidden ins del trPrChange"
)


def _row_property(row: _Row, tag: str) -> None:
    """Set an on/off row property (``cantSplit``, ``tblHeader``)."""
    tr_pr = row._tr.get_or_add_trPr()
    if tr_pr.find(qn(f"w:{tag}")) is not None:
        return
    order = _TRPR_ORDER.split()
    successors = order[order.index(tag) + 1 :]
    tr_pr.insert_element_before(new_element(f"w:{tag}"), *(f"w:{t}" for t in successors))


def _table_borders(table: Table, size: int) -> None:
    """All borders of ``table`` single lines of ``size`` eighths of a point, or none (0)."""
    sides = ("top", "left", "bottom", "right", "insideH", "insideV")
    tbl_pr = table._tbl.tblPr
    for old in tbl_pr.findall(qn("w:tblBorders")):
        tbl_pr.remove(old)
    borders = border_element("tblBorders", {s: (size, 0, "auto") for s in sides})
    successors = ("shd", "tblLayout", "tblCellMar", "tblLook", "tblCaption", "tblDescription")
    tbl_pr.insert_element_before(borders, *(f"w:{t}" for t in successors))


def _no_borders(table: Table) -> None:
    _table_borders(table, 0)


def _set_widths(table: Table, widths: Sequence[Length]) -> None:
    """Column widths in the grid (LibreOffice reads these) and in every cell (Word)."""
    for col, width in zip(table._tbl.tblGrid.gridCol_lst, widths, strict=True):
        col.w = width
    for row in table.rows:
        _set_row_widths(row, widths)


def _set_row_widths(row: _Row, widths: Sequence[Length]) -> None:
    for cell, width in zip(row.cells, widths, strict=True):
        cell.width = width
