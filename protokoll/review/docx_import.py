"""Reading an edited Niederschrift DOCX back into the minutes (issue #5 "Review in Word").

The Schriftführung downloads the DOCX of a draft version (written by
`write_niederschrift_docx` with a ``document_id``), edits it in Word or LibreOffice and
uploads it again. `read_document_id` names the draft version the file was made from;
`read_niederschrift_docx` reads the content back into a copy of that version (``base``):

- per TOP, found by its heading "TOP 2: …": the title, the paper line ("Vorlage: …"), the
  summary sentences ("Beratungsverlauf"/"Wortlaut"; the time marks "[00:12:03–00:12:40]"
  become the sentences' sources), the motions ("Anträge"), the resolution ("Beschluss";
  "kein Beschluss" is none), the result and vote counts ("Abstimmungsergebnis"; "–" is a
  count not said);
- the speaker mapping from the table of the appendix "Anlage: Sprecherzuordnung";
- the meeting facts and attendance lines at the top (date, place, start, end, chair,
  members present and excused, administration, guests, Schriftführung).

What was not changed keeps the base's data exactly: an unchanged sentence keeps its precise
sources and its flags, unchanged texts keep their speaker labels. In changed texts
(sentences, motions) speaker names are turned back into labels, so texts stay symbolic
("SPEAKER_03 erklärte …") and a renamed speaker changes everywhere; resolution texts keep
names as written (a name in a resolution is content, not a speaker reference). Texts are
compared after folding what Word changes on its own or by autocorrection: runs,
non-breaking and soft hyphens and spaces, typographic quotes, whitespace. Tracked changes
that were not accepted are read as accepted (with a warning).

Not read back: the title block, the agenda table, the review notes ("Prüfhinweise"),
comments, signatures and formatting; review flags of TOPs and of the document stay as in
``base`` (a changed sentence loses its own flags). A TOP whose heading is missing keeps
its base content, as does a part of a TOP whose heading ("Beschluss" …) is missing; both
give a warning, as does text that fits nowhere.

The file is untrusted: it is read with size limits (no zip bomb: the members' sizes are
checked before and while unpacking) and without DTDs or entities. Every problem is a
`DocxImportError` with a German message.
"""

from __future__ import annotations

import copy
import difflib
import io
import posixpath
import re
import unicodedata
import zipfile
import zlib
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from lxml import etree

from protokoll.documents._common import UNKNOWN_SPEAKER_NAME, speaker_display_name
from protokoll.documents.niederschrift_docx import (
    DASH,
    DOCUMENT_ID_PROPERTY,
    HEADING_NON_PUBLIC,
    HEADING_PUBLIC,
    HEADING_SPEAKERS,
    MISSING,
    NO_DEBATE,
    NO_RESOLUTION,
    NO_RESULT,
    NO_VERBATIM,
    SPEAKER_NAME_PROPERTY_PREFIX,
    SPEAKER_TABLE_HEADER,
    format_sources,
    german_date,
    german_time,
    names_in,
    paper_parts,
    resolution_blocks,
    speaker_labels,
)
from protokoll.domain.minutes import Minutes, MinutesItem, SourceRange, SummarySentence, Votes
from protokoll.errors import InputError
from protokoll.minutes.numbers_de import parse_number

MAX_FILE_BYTES = 100 * 1024 * 1024
MAX_DOCUMENT_XML_BYTES = 50 * 1024 * 1024
MAX_PART_BYTES = 10 * 1024 * 1024  # styles, properties, relationships
MAX_MEMBERS = 10_000

NOT_DOCX = "Die Datei ist kein Word-Dokument (DOCX) oder beschädigt."
EMPTY_FILE = "Die Datei ist leer. Bitte das bearbeitete Word-Dokument (DOCX) hochladen."
OLD_FORMAT = (
    "Die Datei ist kein Word-Dokument (DOCX) oder beschädigt: Sie hat das alte Word-Format "
    "(.doc) oder ist mit einem Kennwort geschützt. Bitte ohne Kennwort als "
    "„Word-Dokument (*.docx)“ speichern und erneut hochladen."
)
ODT_FORMAT = (
    "Die Datei ist ein OpenDocument-Text (.odt), kein Word-Dokument (DOCX). Bitte mit "
    "„Speichern unter …“ als „Word 2007–365 (.docx)“ speichern und erneut hochladen."
)
TOO_LARGE = (
    "Die Datei ist zu groß, um als Niederschrift gelesen zu werden (höchstens 100 MB, "
    "der Text entpackt höchstens 50 MB)."
)
UNREADABLE = "Die hochgeladene Datei konnte nicht gelesen werden."
FOREIGN = (
    "Das Dokument wurde nicht von protokoll erzeugt oder die Kennung fehlt. Bitte die aus "
    "protokoll heruntergeladene Niederschrift bearbeiten, als Word-Dokument (.docx) "
    "speichern und diese Datei hochladen."
)
NO_ID_WARNING = (
    "Das Dokument trägt keine protokoll-Kennung; es wurde trotzdem als Niederschrift "
    "gelesen. Bitte prüfen, ob es zur richtigen Fassung gehört."
)
TRACKED_WARNING = (
    "Das Dokument enthält nicht angenommene Änderungen (Änderungsverfolgung); sie wurden "
    "so gelesen, als wären sie angenommen."
)


class DocxImportError(InputError):
    """An uploaded DOCX cannot be read back; the message (German) says why."""


class NotDocxError(DocxImportError):
    """Not a DOCX (another format, an empty or damaged file)."""


class DocxTooLargeError(DocxImportError):
    """The file, or its unpacked text, is over the limits."""


class ForeignDocxError(DocxImportError):
    """A Word document, but not a Niederschrift protokoll wrote: no identifier and none of
    the draft's TOPs."""


class DocxStructureError(DocxImportError):
    """A Niederschrift whose structure cannot be read (no TOP heading of the draft)."""


@dataclass
class ImportedDocx:
    """The content of an uploaded DOCX: ``minutes`` is ``base`` with what the document now
    says; ``changed_items`` the numbers of the TOPs that differ from ``base``;
    ``warnings`` (German) what could not be read and was left as in ``base``."""

    document_id: str | None
    minutes: Minutes
    changed_items: list[str]
    warnings: list[str]


def read_document_id(source: Path | bytes) -> str | None:
    """The draft identifier a DOCX carries (custom property ``protokoll_dokument_id``, else
    the core property ``identifier``), or None if it carries none.

    Raises `DocxImportError` if ``source`` is no readable DOCX.
    """
    package = _load_package(source, with_document=False)
    return _document_id(_custom_properties(package.custom), package.core)


def read_niederschrift_docx(source: Path | bytes, base: Minutes) -> ImportedDocx:
    """Read an edited Niederschrift back into a copy of ``base``, the version the DOCX was
    generated from (see the module docstring for what is read).

    Raises `DocxImportError`: `NotDocxError` (no DOCX, damaged, empty),
    `DocxTooLargeError`, `ForeignDocxError` (neither an identifier nor the draft's TOPs),
    `DocxStructureError` (none of the draft's TOPs found).
    """
    package = _load_package(source, with_document=True)
    assert package.document is not None
    properties = _custom_properties(package.custom)
    document_id = _document_id(properties, package.core)
    try:
        return _read(package.document, package.styles, properties, document_id, base)
    except (ValueError, IndexError, KeyError, RecursionError) as exc:
        # a safety net: whatever the file holds, the user gets a message, the log the cause
        raise DocxStructureError(
            "Der Aufbau der Niederschrift ist nicht lesbar. Bitte die heruntergeladene Datei "
            "erneut bearbeiten oder die Änderungen im Browser vornehmen."
        ) from exc


def _read(
    document: bytes,
    styles: bytes | None,
    properties: Mapping[str, str],
    document_id: str | None,
    base: Minutes,
) -> ImportedDocx:
    body = _Body(document, styles)
    view = _scan(body.blocks(), base)

    public_version = properties.get("public_version", "").lower() in ("true", "1")
    expected = [i for i in base.items if i.public or not public_version]
    found = {top.number for top in view.tops}
    if document_id is None and not found & {i.number for i in base.items}:
        raise ForeignDocxError(FOREIGN)
    if expected and not found & {i.number for i in expected}:
        raise DocxStructureError(
            "Der Aufbau der Niederschrift ist nicht lesbar: Keine der Überschriften der "
            "Tagesordnungspunkte („TOP 1: …“) wurde gefunden. Die Überschriften dürfen nicht "
            "gelöscht oder umbenannt werden."
        )

    warnings: list[str] = []
    if document_id is None:
        warnings.append(NO_ID_WARNING)
    if body.tracked:
        warnings.append(TRACKED_WARNING)
    warnings.extend(view.warnings)
    merger = _Merger(base, properties, view, warnings)
    minutes = merger.merge(expected)
    changed = [
        new.number
        for old, new in zip(base.items, minutes.items, strict=True)
        if asdict(old) != asdict(new)
    ]
    return ImportedDocx(document_id, minutes, changed, warnings)


# --- the package ------------------------------------------------------------------------

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_CORE_NS = "{http://purl.org/dc/elements/1.1/}"
_RELS_NS = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_W_NAMESPACES = (
    "http://schemas.openxmlformats.org/wordprocessingml/2006/main",
    "http://purl.oclc.org/ooxml/wordprocessingml/main",  # "Strict Open XML"
)
_MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"


@dataclass
class _Package:
    document: bytes | None
    styles: bytes | None
    core: bytes | None
    custom: bytes | None


def _source_bytes(source: Path | bytes) -> bytes:
    if isinstance(source, bytes | bytearray | memoryview):
        data = bytes(source)
    else:
        try:
            if Path(source).stat().st_size > MAX_FILE_BYTES:
                raise DocxTooLargeError(TOO_LARGE)
            data = Path(source).read_bytes()
        except OSError as exc:
            raise DocxImportError(UNREADABLE) from exc
    if not data:
        raise NotDocxError(EMPTY_FILE)
    if len(data) > MAX_FILE_BYTES:
        raise DocxTooLargeError(TOO_LARGE)
    return data


def _load_package(source: Path | bytes, *, with_document: bool) -> _Package:
    data = _source_bytes(source)
    if data.startswith(_OLE_MAGIC):
        raise NotDocxError(OLD_FORMAT)
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, EOFError) as exc:
        raise NotDocxError(NOT_DOCX) from exc
    with archive:
        infos = archive.infolist()
        if len(infos) > MAX_MEMBERS:
            raise DocxTooLargeError(TOO_LARGE)
        members = {info.filename: info for info in infos}
        if "[Content_Types].xml" not in members:
            mimetype = members.get("mimetype")
            if mimetype is not None and b"opendocument" in _member(archive, mimetype, 200):
                raise NotDocxError(ODT_FORMAT)
            raise NotDocxError(NOT_DOCX)
        package_rels = _relationships(archive, members, "", "_rels/.rels")
        document_name = package_rels.get("officeDocument", "word/document.xml")
        core = _optional(archive, members, package_rels.get("core-properties"))
        custom = _optional(archive, members, package_rels.get("custom-properties"))
        if not with_document:
            return _Package(None, None, core, custom)
        info = members.get(document_name)
        if info is None:
            raise NotDocxError(NOT_DOCX)
        document = _member(archive, info, MAX_DOCUMENT_XML_BYTES)
        folder = posixpath.dirname(document_name)
        rels_name = posixpath.join(folder, "_rels", posixpath.basename(document_name) + ".rels")
        document_rels = _relationships(archive, members, folder, rels_name)
        styles = _optional(archive, members, document_rels.get("styles"))
        return _Package(document, styles, core, custom)


def _member(archive: zipfile.ZipFile, info: zipfile.ZipInfo, limit: int) -> bytes:
    """A member's bytes; refused if its declared or its actual size is over ``limit``."""
    if info.file_size > limit:
        raise DocxTooLargeError(TOO_LARGE)
    try:
        with archive.open(info) as stream:
            blob = stream.read(limit + 1)
    except (
        zipfile.BadZipFile,
        zlib.error,
        EOFError,
        OSError,
        NotImplementedError,
        RuntimeError,  # encrypted
        ValueError,
    ) as exc:
        raise NotDocxError(NOT_DOCX) from exc
    if len(blob) > limit:
        raise DocxTooLargeError(TOO_LARGE)
    return blob


def _optional(
    archive: zipfile.ZipFile, members: Mapping[str, zipfile.ZipInfo], name: str | None
) -> bytes | None:
    info = members.get(name) if name else None
    return None if info is None else _member(archive, info, MAX_PART_BYTES)


def _relationships(
    archive: zipfile.ZipFile, members: Mapping[str, zipfile.ZipInfo], folder: str, name: str
) -> dict[str, str]:
    """Relationship kind (the last part of its type URI) → member name of the target."""
    info = members.get(name)
    if info is None:
        return {}
    out: dict[str, str] = {}
    for rel in _parse_xml(_member(archive, info, MAX_PART_BYTES)).iter(f"{_RELS_NS}Relationship"):
        target = rel.get("Target") or ""
        kind = (rel.get("Type") or "").rsplit("/", 1)[-1]
        if not target or rel.get("TargetMode") == "External" or kind in out:
            continue
        path = target.lstrip("/") if target.startswith("/") else posixpath.join(folder, target)
        out[kind] = posixpath.normpath(path)
    return out


def _parse_xml(blob: bytes) -> Any:
    """An XML part without DTD, entities or network access; malformed XML is a damaged
    file."""
    parser = etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
    )
    try:
        root = etree.fromstring(blob, parser)
    except (etree.XMLSyntaxError, ValueError) as exc:
        raise NotDocxError(NOT_DOCX) from exc
    if root is None or root.getroottree().docinfo.doctype:
        raise NotDocxError(NOT_DOCX)
    return root


def _custom_properties(blob: bytes | None) -> dict[str, str]:
    if blob is None:
        return {}
    out: dict[str, str] = {}
    for prop in _parse_xml(blob):
        name = prop.get("name") if isinstance(prop.tag, str) else None
        if name and len(prop):
            out.setdefault(name, (prop[0].text or "").strip())
    return out


def _document_id(properties: Mapping[str, str], core: bytes | None) -> str | None:
    candidates = [properties.get(DOCUMENT_ID_PROPERTY, "")]
    if core is not None:
        element = _parse_xml(core).find(f"{_CORE_NS}identifier")
        candidates.append((element.text or "") if element is not None else "")
    for value in candidates:
        value = value.strip()
        if value and len(value) <= 256 and value.isprintable():
            return value
    return None


# --- the body as blocks ---------------------------------------------------------------


@dataclass
class _Block:
    """A paragraph (``rows`` None) or a table (``rows``: cell texts) of the body."""

    text: str = ""
    level: int | None = None  # heading level from the paragraph style
    rows: list[list[str]] | None = None


_HEADING_STYLE = re.compile(r"(?:heading|überschrift)\s*(\d)")


class _Body:
    def __init__(self, document: bytes, styles: bytes | None) -> None:
        root = _parse_xml(document)
        qname = etree.QName(root)
        if qname.localname != "document" or qname.namespace not in _W_NAMESPACES:
            raise NotDocxError(NOT_DOCX)
        self.w = "{" + qname.namespace + "}"
        body = root.find(f"{self.w}body")
        if body is None:
            raise DocxStructureError(
                "Der Aufbau der Niederschrift ist nicht lesbar: Das Dokument hat keinen Text."
            )
        self.body = body
        self.tracked = False
        self.levels = self._style_levels(styles)
        w = self.w
        self._skip = {
            f"{w}pPr",
            f"{w}rPr",
            f"{w}delText",
            f"{w}instrText",
            f"{w}delInstrText",
            f"{w}drawing",
            f"{w}pict",
            f"{w}object",
            f"{w}fldData",
            f"{w}sdtPr",
            f"{w}sdtEndPr",
            f"{_MC}AlternateContent",
        }
        self._deleted = {f"{w}del", f"{w}moveFrom"}
        self._inserted = {f"{w}ins", f"{w}moveTo"}
        self._wrappers = {f"{w}sdt", f"{w}sdtContent", f"{w}customXml", f"{w}smartTag"}

    def _style_levels(self, blob: bytes | None) -> dict[str, int | None]:
        """Paragraph style id → heading level (None: not a heading)."""
        if blob is None:
            return {}
        w = self.w
        out: dict[str, int | None] = {}
        for style in _parse_xml(blob).iter(f"{w}style"):
            style_id = style.get(f"{w}styleId")
            if not style_id:
                continue
            name_element = style.find(f"{w}name")
            name = (name_element.get(f"{w}val") if name_element is not None else "") or ""
            match = _HEADING_STYLE.fullmatch(name.strip().lower())
            outline = style.find(f"{w}pPr/{w}outlineLvl")
            level: int | None = None
            if match:
                level = int(match.group(1))
            elif outline is not None and (outline.get(f"{w}val") or "").isdigit():
                value = int(outline.get(f"{w}val") or "9")
                level = value + 1 if value < 9 else None
            out[style_id] = level
        return out

    def blocks(self) -> list[_Block]:
        out: list[_Block] = []
        carry = ""  # text of a paragraph whose mark was deleted (joins the next one)
        for element in self._block_elements(self.body):
            if element.tag == f"{self.w}tbl":
                if carry:
                    out.append(_Block(carry))
                    carry = ""
                out.append(_Block(rows=self._rows(element)))
                continue
            text = carry + self._text(element)
            if element.find(f"{self.w}pPr/{self.w}rPr/{self.w}del") is not None:
                self.tracked = True
                carry = text
                continue
            carry = ""
            out.append(_Block(text, self._level(element)))
        if carry:
            out.append(_Block(carry))
        return out

    def _block_elements(self, container: Any) -> Iterator[Any]:
        w = self.w
        for child in container:
            tag = child.tag
            if tag in (f"{w}p", f"{w}tbl"):
                yield child
            elif tag in self._wrappers or tag in self._inserted:
                self.tracked = self.tracked or tag in self._inserted
                yield from self._block_elements(child)
            elif tag in self._deleted:
                self.tracked = True

    def _level(self, paragraph: Any) -> int | None:
        w = self.w
        outline = paragraph.find(f"{w}pPr/{w}outlineLvl")
        if outline is not None and (outline.get(f"{w}val") or "").isdigit():
            value = int(outline.get(f"{w}val") or "9")
            if value < 9:
                return value + 1
        style = paragraph.find(f"{w}pPr/{w}pStyle")
        if style is None:
            return None
        style_id = style.get(f"{w}val") or ""
        if style_id in self.levels:
            return self.levels[style_id]
        match = _HEADING_STYLE.fullmatch(style_id.lower())  # no styles part: "Heading2"
        return int(match.group(1)) if match else None

    def _rows(self, table: Any) -> list[list[str]]:
        w = self.w
        rows = []
        for row in self._children(table, f"{w}tr"):
            if row.find(f"{w}trPr/{w}del") is not None:
                self.tracked = True
                continue
            cells = []
            for cell in self._children(row, f"{w}tc"):
                parts = []
                for element in self._block_elements(cell):
                    if element.tag == f"{w}p":
                        parts.append(self._text(element))
                    else:
                        parts.extend(" ".join(r) for r in self._rows(element))
                cells.append("\n".join(parts))
            rows.append(cells)
        return rows

    def _children(self, element: Any, tag: str) -> Iterator[Any]:
        for child in element:
            if child.tag == tag:
                yield child
            elif child.tag in self._wrappers or child.tag in self._inserted:
                yield from self._children(child, tag)

    def _text(self, paragraph: Any) -> str:
        out: list[str] = []
        self._collect(paragraph, out)
        return "".join(out)

    def _collect(self, element: Any, out: list[str]) -> None:
        w = self.w
        for child in element:
            tag = child.tag
            if not isinstance(tag, str) or tag in self._skip:
                continue
            if tag in self._deleted:
                self.tracked = True
                continue
            if tag in self._inserted:
                self.tracked = True
            if tag == f"{w}t":
                out.append(child.text or "")
            elif tag in (f"{w}tab", f"{w}ptab"):
                out.append("\t")
            elif tag in (f"{w}br", f"{w}cr"):
                out.append("\n")
            elif tag == f"{w}noBreakHyphen":
                out.append("-")
            elif tag == f"{w}r" and self._hidden(child):
                continue
            else:
                self._collect(child, out)

    def _hidden(self, run: Any) -> bool:
        w = self.w
        vanish = run.find(f"{w}rPr/{w}vanish")
        return vanish is not None and (vanish.get(f"{w}val") or "true") not in (
            "0",
            "false",
            "off",
        )


# --- text normalisation ---------------------------------------------------------------

_INVISIBLE = dict.fromkeys(map(ord, "\u00ad\u200b\u200c\u200d\u2060\ufeff"), None)
_QUOTES = str.maketrans(
    {
        "„": '"',
        "“": '"',
        "”": '"',
        "«": '"',
        "»": '"',
        "″": '"',
        "‚": "'",
        "‘": "'",
        "’": "'",
        "‹": "'",
        "›": "'",
        "′": "'",
        "`": "'",
        "´": "'",
    }
)
_SPACE = re.compile(r"\s+")


def _collapse(text: str) -> str:
    """NFC, invisible characters removed, all whitespace (line breaks, tabs, non-breaking
    spaces) as single spaces."""
    text = unicodedata.normalize("NFC", text).translate(_INVISIBLE).replace("\u2011", "-")
    return _SPACE.sub(" ", text).strip()


def _fold(text: str) -> str:
    """Typographic quotes as plain ones (same length: positions stay valid)."""
    return text.translate(_QUOTES)


def _key(text: str) -> str:
    """The comparison key of a text: what Word or autocorrection change on their own does
    not count as an edit."""
    return _fold(_collapse(text))


def _lines(paragraphs: Sequence[str]) -> list[str]:
    return [c for p in paragraphs for line in p.split("\n") if (c := _collapse(line))]


# --- the document's parts -------------------------------------------------------------

_TOP_HEADING = re.compile(r"TOP\s+([^\s:]+?)\.?\s*:\s*(.*)")
_SECTIONS = {
    "beratungsverlauf": "debate",
    "wortlaut": "debate",
    "anträge": "motions",
    "antrag": "motions",
    "beschluss": "resolution",
    "abstimmungsergebnis": "vote",
    "abstimmung": "vote",
}
_IGNORED = "ignored"
_FACT = re.compile(r"([^:]{2,40}?)\s*:\s*(.*)")
_FACT_LABELS = frozenset(
    {
        "datum",
        "ort",
        "beginn",
        "ende",
        "vorsitz",
        "anwesend",
        "entschuldigt",
        "verwaltung",
        "gäste",
        "schriftführung",
    }
)


@dataclass
class _Top:
    number: str
    title: str
    preamble: list[str] = field(default_factory=list)
    sections: dict[str, list[str]] = field(default_factory=dict)
    current: str | None = None


@dataclass
class _View:
    facts: dict[str, str] = field(default_factory=dict)
    tops: list[_Top] = field(default_factory=list)
    speaker_rows: list[tuple[str, str]] | None = None
    warnings: list[str] = field(default_factory=list)


def _scan(blocks: Sequence[_Block], base: Minutes) -> _View:
    """The document's parts in order: facts at the top, the TOPs with their sections, the
    speaker table."""
    view = _View()
    titles = {i.number: _key(i.title) for i in base.items}
    front = True
    current: _Top | None = None
    for block in blocks:
        if block.rows is not None:
            first_row = block.rows[0] if block.rows else []
            header = [_collapse(c).rstrip(":").casefold() for c in first_row]
            if header[:2] == [h.casefold() for h in SPEAKER_TABLE_HEADER]:
                if view.speaker_rows is None:
                    view.speaker_rows = [
                        (_collapse(r[0]), _collapse(r[1]) if len(r) > 1 else "")
                        for r in block.rows[1:]
                        if r
                    ]
                current = None
            elif current is not None:
                if any("unterschrift" in _collapse(c).casefold() for r in block.rows for c in r):
                    current = None  # the signatures end the last TOP
                else:
                    view.warnings.append(
                        f"TOP {current.number}: Eine Tabelle im Text wurde nicht übernommen."
                    )
            continue
        flat = _collapse(block.text)
        if not flat:
            continue
        match = _TOP_HEADING.fullmatch(flat)
        if match and (
            block.level is not None or titles.get(match.group(1)) == _key(match.group(2))
        ):
            front = False
            current = _Top(match.group(1), match.group(2))
            view.tops.append(current)
            continue
        if flat in (HEADING_PUBLIC, HEADING_NON_PUBLIC, HEADING_SPEAKERS) or (
            block.level is not None and flat.startswith("Anlage")
        ):
            front = False
            current = None
            continue
        if front:
            fact = _FACT.fullmatch(flat)
            if fact:
                label = re.sub(r"\s*\(\d+\)$", "", fact.group(1)).casefold()
                if label in _FACT_LABELS:
                    view.facts.setdefault(label, fact.group(2))
            continue
        if current is None:
            continue
        section = _SECTIONS.get(flat.rstrip(":").strip().casefold())
        if section is not None and current.current != _IGNORED:
            if section in current.sections:
                # most likely the heading of the next TOP was deleted: its text must not
                # be mixed into this one
                view.warnings.append(
                    f"TOP {current.number}: Der Abschnitt „{flat}“ kommt zweimal vor; der Text "
                    "ab dort bis zum nächsten TOP wurde nicht übernommen (fehlt die Überschrift "
                    "eines TOP?)."
                )
                section = _IGNORED
            current.sections.setdefault(section, [])
            current.current = section
        elif current.current is None:
            current.preamble.append(block.text)
        else:
            current.sections[current.current].append(block.text)
    return view


# --- time marks and sentences ---------------------------------------------------------

_MARK = re.compile(r"\[([^\[\]]{1,400})\]")
_RANGE = re.compile(r"(\d{1,3}):([0-5]\d):([0-5]\d)\s*[-–—]\s*(\d{1,3}):([0-5]\d):([0-5]\d)")
_SENTENCE_END = re.compile(r"[.!?…]+[\"'“”„«»‚‘’)\]]*(?= |$)")
_CLOSERS = "\"'“”„«»‚‘’)]"
_ABBREVIATIONS = frozenset(
    {
        "dr", "prof", "nr", "abs", "ca", "bzw", "ggf", "evtl", "vgl", "inkl", "zzgl", "mio",
        "mrd", "tsd", "hr", "fr", "str", "gem", "lt", "bspw", "sog", "dipl", "ing", "jun",
        "sen", "st", "usw", "etc", "tel", "allg", "anm", "kap", "lfd", "mind", "rd", "zt",
        "zb", "ua", "dh", "va", "ff", "bzgl", "ziff", "lit",
    }
)  # fmt: skip


def _parse_mark(inner: str) -> list[SourceRange] | None:
    ranges = []
    for part in inner.split(";"):
        match = _RANGE.fullmatch(part.strip())
        if match is None:
            return None
        h1, m1, s1, h2, m2, s2 = (int(g) for g in match.groups())
        ranges.append(SourceRange(float(h1 * 3600 + m1 * 60 + s1), float(h2 * 3600 + m2 * 60 + s2)))
    return ranges


def _pieces(text: str) -> list[tuple[str, str | None, list[SourceRange] | None]]:
    """A paragraph split at its time marks: (text before the mark, the mark, its ranges);
    the text after the last mark comes without one."""
    out: list[tuple[str, str | None, list[SourceRange] | None]] = []
    position = 0
    for match in _MARK.finditer(text):
        ranges = _parse_mark(match.group(1))
        if ranges is None:
            continue
        out.append((text[position : match.start()].strip(), match.group(0), ranges))
        position = match.end()
    rest = text[position:].strip()
    if rest:
        out.append((rest, None, None))
    return out


def _ends_sentence(text: str, match: re.Match[str]) -> bool:
    token = text[: match.end()].rsplit(" ", 1)[-1].rstrip(_CLOSERS)
    following = text[match.end() :].lstrip()
    if token.endswith(".") and not token.endswith(("..", "…")):
        stem = token[:-1].lstrip(_CLOSERS + "(„")
        if stem.replace(".", "").casefold() in _ABBREVIATIONS or stem.isdigit():
            return False  # "Mio. Euro", "z. B.", "die 11. Sitzung"
        if len(stem) == 1 and stem.isalpha():
            return False  # an initial
    return not (following and following[0].islower())


class _Anchors:
    """The base's sentences as displayed (folded), found by their first two words."""

    def __init__(self, texts: Sequence[str]) -> None:
        self.by_start: dict[str, list[str]] = {}
        for text in {_fold(t) for t in texts if t}:
            self.by_start.setdefault(" ".join(text.split(" ", 2)[:2]), []).append(text)
        for options in self.by_start.values():
            options.sort(key=len, reverse=True)

    def at(self, folded: str, position: int) -> str | None:
        """The longest known sentence that stands at ``position`` (ending at a space or the
        end of the text)."""
        first = folded.find(" ", position)
        second = folded.find(" ", first + 1) if first != -1 else -1
        one = folded[position : first if first != -1 else len(folded)]
        two = folded[position : second if second != -1 else len(folded)]
        for key in dict.fromkeys((two, one)):
            for anchor in self.by_start.get(key, ()):
                after = position + len(anchor)
                if folded.startswith(anchor, position) and (
                    after == len(folded) or folded[after] == " "
                ):
                    return anchor
        return None


def _split_sentences(text: str, anchors: _Anchors) -> list[str]:
    """``text`` (collapsed) cut into sentences: a known sentence (``anchors``, the base's
    sentences as displayed) is taken whole where it stands; the rest is cut after ".",
    "?" or "!" unless an abbreviation or an ordinal ends there, or where a known sentence
    begins."""
    folded = _fold(text)
    out = []
    position, size = 0, len(text)
    while position < size:
        while position < size and text[position] == " ":
            position += 1
        if position >= size:
            break
        hit = anchors.at(folded, position)
        if hit is not None:
            out.append(text[position : position + len(hit)])
            position += len(hit)
            continue
        end = size
        for match in _SENTENCE_END.finditer(text, position):
            if _ends_sentence(text, match):
                end = match.end()
                break
        space = folded.find(" ", position, end)
        while space != -1:  # a known sentence starting inside ends this one
            if anchors.at(folded, space + 1) is not None:
                end = space + 1
                break
            space = folded.find(" ", space + 1, end)
        out.append(text[position:end].strip())
        position = end
    return [s for s in out if s]


# --- speaker names --------------------------------------------------------------------


class _Names:
    """Speaker names in edited text turned back into labels. A name can come from several
    mappings (as written, as now in the table, the base's); earlier ones win, and among
    labels of the same name the one the TOP already mentions."""

    def __init__(self, labels: Sequence[str], mappings: Sequence[Mapping[str, str]]) -> None:
        self.by_name: dict[str, list[tuple[int, str]]] = {}
        for level, mapping in enumerate([*mappings, {}]):
            for label in labels:
                name = speaker_display_name(label, mapping)
                if name and name not in (label, UNKNOWN_SPEAKER_NAME):
                    options = self.by_name.setdefault(name, [])
                    if (level, label) not in options:
                        options.append((level, label))
        names = sorted(self.by_name, key=len, reverse=True)
        self.pattern = (
            re.compile(r"(?<!\w)(?:" + "|".join(re.escape(n) for n in names) + r")(?!\w)")
            if names
            else None
        )

    def symbolic(self, text: str, context: Sequence[str]) -> str:
        if self.pattern is None:
            return text

        def label(match: re.Match[str]) -> str:
            options = self.by_name[match.group(0)]
            best = min(level for level, _ in options)
            candidates = [lbl for level, lbl in options if level == best]
            return next((c for c in context if c in candidates), candidates[0])

        return self.pattern.sub(label, text)


# --- merging the document into the base -----------------------------------------------

_COUNT_LABEL = re.compile(
    r"(?<!\w)(Ja(?:-Stimmen)?|Nein(?:-Stimmen)?|Gegenstimmen|Enthaltung(?:en)?|"
    r"Befangen(?:e|heit)?)\s*[:=]",
    re.IGNORECASE,
)
_GLUED_LABEL = re.compile(r"(?<=[a-zäöüß.,;])(?=(?:Ja|Nein|Enthaltung|Befangen)\w*\s*[:=])")
_PAPER = re.compile(r"([A-ZÄÖÜ][\w-]*)\s*:\s*(\S.{0,80})")
_PAPER_KINDS = frozenset(
    {
        "vorlage", "antrag", "anfrage", "drucksache", "beschlussvorlage", "mitteilung",
        "mitteilungsvorlage", "informationsvorlage", "sitzungsvorlage", "ds",
    }
)  # fmt: skip
_STIMMEN = re.compile(r"\s+Stimmen?$", re.IGNORECASE)  # "Ja: 14 Stimmen"
_NOT_SAID = frozenset({"", "–", "-", "—", "k. a.", "k.a.", "keine angabe", "?", "nicht genannt"})
_DATE = re.compile(r"(\d{1,2})\.\s*(\d{1,2})\.\s*(\d{4})|(\d{4})-(\d{2})-(\d{2})")
_CLOCK = re.compile(r"([01]?\d|2[0-3])\s*[:.]\s*([0-5]\d)(?:\s*Uhr)?")


def _vote_field(label: str) -> str:
    label = label.casefold()
    if label.startswith("ja"):
        return "yes"
    if label.startswith(("nein", "gegen")):
        return "no"
    if label.startswith("enthaltung"):
        return "abstain"
    return "biased"


class _Merger:
    def __init__(
        self,
        base: Minutes,
        properties: Mapping[str, str],
        view: _View,
        warnings: list[str],
    ) -> None:
        self.base = base
        self.view = view
        self.warnings = warnings
        written = dict(base.speaker_names)
        for name, value in properties.items():
            if name.startswith(SPEAKER_NAME_PROPERTY_PREFIX):
                written[name[len(SPEAKER_NAME_PROPERTY_PREFIX) :]] = value
        self.written = written  # the names the document was written with
        known = set(written) | set(speaker_labels(base.items, written))
        self.new = self._speaker_names(known)
        labels = sorted(known | set(self.new))
        self.names = _Names(labels, [written, self.new, base.speaker_names])

    def _speaker_names(self, known: set[str]) -> dict[str, str]:
        names = dict(self.written)
        rows = self.view.speaker_rows
        if rows is None:
            if known:
                self.warnings.append(
                    "Die Tabelle „Sprecherzuordnung“ wurde nicht gefunden; die bisherige "
                    "Zuordnung der Sprecher bleibt."
                )
            return names
        seen: set[str] = set()
        for label, name in rows:
            if not label:
                continue
            if label not in known and not re.fullmatch(r"SPEAKER_\d+", label):
                self.warnings.append(
                    f"Sprecherzuordnung: Die Kennung „{label}“ ist unbekannt und wurde nicht "
                    "übernommen."
                )
                continue
            if label in seen:
                self.warnings.append(
                    f"Sprecherzuordnung: Die Kennung „{label}“ steht mehrfach in der Tabelle; "
                    "die letzte Zeile gilt."
                )
            seen.add(label)
            if name:
                names[label] = name
            else:
                names.pop(label, None)
        return names

    def display(self, text: str) -> set[str]:
        """The keys of ``text`` as the document showed it or may show it now."""
        return {_key(names_in(text, self.written)), _key(names_in(text, self.new))}

    # ----- the whole

    def merge(self, expected: Sequence[MinutesItem]) -> Minutes:
        result = copy.deepcopy(self.base)
        result.ai_generated = True
        result.speaker_names = self.new
        tops: dict[str, _Top] = {}
        for top in self.view.tops:
            if top.number in tops:
                self.warnings.append(
                    f"„TOP {top.number}“ steht mehrfach im Dokument; nur das erste Vorkommen "
                    "wurde übernommen."
                )
                continue
            tops[top.number] = top
        numbers = {i.number for i in self.base.items}
        for top in self.view.tops:
            if top.number not in numbers:
                self.warnings.append(
                    f"„TOP {top.number}: {top.title}“ gehört nicht zum Entwurf und wurde nicht "
                    "übernommen."
                )
        expected_numbers = {i.number for i in expected}
        for item, base_item in zip(result.items, self.base.items, strict=True):
            match = tops.get(item.number)
            if match is None:
                if item.number in expected_numbers:
                    self.warnings.append(
                        f"TOP {item.number} („{item.title}“) wurde im Dokument nicht gefunden; "
                        "sein Inhalt bleibt wie im Entwurf."
                    )
                continue
            _ItemMerger(self, item, base_item, match).merge()
        self._facts(result)
        return result

    # ----- facts at the top

    def _facts(self, result: Minutes) -> None:
        facts = self.view.facts
        meeting, att = result.meeting, result.attendance

        def shown(value: str, missing: bool = True) -> str:
            return value if value else (MISSING if missing else DASH)

        if "datum" in facts:
            meeting.date = self._fact(
                facts["datum"], meeting.date, shown(german_date(meeting.date)), _parse_date, "Datum"
            )
        if "ort" in facts:
            meeting.place = self._fact(
                facts["ort"], meeting.place, shown(meeting.place.strip()), str, "Ort"
            )
        for label, attribute in (("beginn", "start_time"), ("ende", "end_time")):
            if label in facts:
                old = getattr(meeting, attribute)
                new = self._fact(
                    facts[label], old, shown(german_time(old)), _parse_clock, label.capitalize()
                )
                setattr(meeting, attribute, new)
        for label, attribute in (("vorsitz", "chair"), ("schriftführung", "recorder")):
            if label in facts:
                old = getattr(att, attribute)
                new = self._fact(facts[label], old, shown(old.strip()), str, label.capitalize())
                setattr(att, attribute, new)
        lists = (
            ("anwesend", "present", True),
            ("entschuldigt", "absent", False),
            ("verwaltung", "administration", False),
            ("gäste", "guests", False),
        )
        for label, attribute, required in lists:
            if label not in facts:
                continue
            old_list: list[str] = getattr(att, attribute)
            joined = ", ".join(p.strip() for p in old_list if p and p.strip())
            value = facts[label]
            if _key(value) == _key(shown(joined, required)):
                continue
            setattr(att, attribute, _people(value))

    def _fact(self, value: str, old: str, shown: str, parse: Any, label: str) -> str:
        if _key(value) == _key(shown):
            return old
        if _key(value) in (_key(MISSING), _key(DASH), ""):
            return ""
        parsed = parse(value)
        if parsed is None:
            self.warnings.append(
                f"„{label}: {value}“ konnte nicht gelesen werden; der bisherige Wert bleibt."
            )
            return old
        return str(parsed)


def _parse_date(value: str) -> str | None:
    match = _DATE.fullmatch(value.strip().rstrip("."))
    if match is None:
        return None
    groups = match.groups()
    day, month, year = (groups[0], groups[1], groups[2]) if groups[0] else groups[5:2:-1]
    try:
        return date(int(year), int(month), int(day)).isoformat()
    except ValueError:
        return None


def _parse_clock(value: str) -> str | None:
    match = _CLOCK.fullmatch(value.strip().rstrip("."))
    return f"{int(match.group(1)):02d}:{match.group(2)}" if match else None


def _people(value: str) -> list[str]:
    """A comma (or semicolon) separated list of people; commas inside brackets stay."""
    if _key(value) in (_key(DASH), _key(MISSING), ""):
        return []
    out: list[str] = []
    current: list[str] = []
    depth = 0
    for char in value:
        if char in "([":
            depth += 1
        elif char in ")]" and depth:
            depth -= 1
        if char in ",;" and depth == 0:
            out.append("".join(current))
            current = []
        else:
            current.append(char)
    out.append("".join(current))
    return [p.strip() for p in out if p.strip()]


class _ItemMerger:
    """One TOP of the document into its item (a copy of the base item)."""

    def __init__(self, owner: _Merger, item: MinutesItem, base: MinutesItem, top: _Top) -> None:
        self.owner = owner
        self.item = item
        self.base = base
        self.top = top
        self.context = speaker_labels([base], owner.written)

    def warn(self, message: str) -> None:
        self.owner.warnings.append(f"TOP {self.item.number}: {message}")

    def symbolic(self, text: str) -> str:
        return self.owner.names.symbolic(text, self.context)

    def merge(self) -> None:
        title = _collapse(self.top.title)
        if not title:
            self.warn("Die Überschrift hat keinen Titel; der bisherige Titel bleibt.")
        elif _key(title) != _key(self.base.title):
            self.item.title = title
        self._preamble()
        self._summary()
        self._motions()
        self._resolution()
        self._vote()

    def _preamble(self) -> None:
        lines = _lines(self.top.preamble)
        paper = ""
        if lines:
            shown = ": ".join(paper_parts(self.base.paper)) if self.base.paper else None
            kinds = _PAPER_KINDS | {paper_parts(self.base.paper)[0].casefold()}
            match = _PAPER.fullmatch(lines[0])
            if shown is not None and _key(lines[0]) == _key(shown):
                paper = self.base.paper
                lines = lines[1:]
            elif match and match.group(1).casefold() in kinds:
                kind, number = match.groups()
                paper = number if kind == "Vorlage" else f"{kind} {number}"
                lines = lines[1:]
        self.item.paper = paper
        for line in lines:
            short = line if len(line) <= 80 else line[:79] + "…"
            self.warn(f"Text ohne Abschnittsüberschrift wurde nicht übernommen: „{short}“")

    def _summary(self) -> None:
        paragraphs = self.top.sections.get("debate")
        if paragraphs is None:
            if self.owner.base.protocol_type in ("verlauf", "wort"):
                self.warn(
                    "Der Abschnitt „Beratungsverlauf“ wurde nicht gefunden; der bisherige "
                    "Text bleibt."
                )
            return
        visible = [s for s in self.base.summary if s.text.strip()]
        written = [_collapse(names_in(s.text.strip(), self.owner.written)) for s in visible]
        now = [_collapse(names_in(s.text.strip(), self.owner.new)) for s in visible]
        index: dict[str, int] = {}
        for i, (a, b) in enumerate(zip(written, now, strict=True)):
            index.setdefault(_key(a), i)
            index.setdefault(_key(b), i)
        marks = {_key(format_sources(s.sources)): s.sources for s in visible if s.sources}

        anchors = _Anchors(written + now)
        found: list[tuple[str, str | None, list[SourceRange] | None]] = []
        placeholders = {_key(NO_DEBATE), _key(NO_VERBATIM)}
        for paragraph in paragraphs:
            text = _collapse(paragraph)
            if not text or _key(text) in placeholders:
                continue
            for piece, mark, ranges in _pieces(text):
                sentences = _split_sentences(piece, anchors)
                if not sentences:
                    if found and ranges is not None:  # a mark on its own: the one before
                        before = found[-1]
                        joined = (before[1] or "") + (mark or "")
                        found[-1] = (before[0], joined, (before[2] or []) + ranges)
                    continue
                for i, part in enumerate(sentences):
                    last = i == len(sentences) - 1
                    found.append((part, mark if last else None, ranges if last else None))

        base_keys = [_key(a) for a in written]
        doc_keys = [base_keys[index[_key(t)]] if _key(t) in index else _key(t) for t, _, _ in found]
        summary: list[SummarySentence] = []
        matcher = difflib.SequenceMatcher(None, base_keys, doc_keys, autojunk=False)
        for tag, i1, i2, j1, j2 in matcher.get_opcodes():
            if tag == "equal":
                for bi, dj in zip(range(i1, i2), range(j1, j2), strict=True):
                    sentence = copy.deepcopy(visible[bi])
                    _, mark, ranges = found[dj]
                    if mark is not None and _key(mark) != _key(format_sources(sentence.sources)):
                        sentence.sources = self._sources(mark, ranges, marks)
                    summary.append(sentence)
            else:
                for dj in range(j1, j2):
                    text, mark, ranges = found[dj]
                    sources = self._sources(mark, ranges, marks) if mark else []
                    summary.append(SummarySentence(self.symbolic(text), sources))
        if [asdict(s) for s in summary] != [asdict(s) for s in visible]:
            self.item.summary = summary

    @staticmethod
    def _sources(
        mark: str | None,
        ranges: list[SourceRange] | None,
        marks: Mapping[str, list[SourceRange]],
    ) -> list[SourceRange]:
        """The ranges of a mark; the base's exact ones where the mark is a base's."""
        if mark is not None and _key(mark) in marks:
            return list(marks[_key(mark)])
        return list(ranges or [])

    def _motions(self) -> None:
        paragraphs = self.top.sections.get("motions")
        visible = [m for m in self.base.motions if m.strip()]
        if paragraphs is None:
            if visible:
                self.warn(
                    "Der Abschnitt „Anträge“ wurde nicht gefunden; die bisherigen Anträge bleiben."
                )
            return
        known: dict[str, str] = {}
        for motion in visible:
            for key in self.owner.display(motion.strip()):
                known.setdefault(key, motion)
        motions = [
            known.get(_key(text)) or self.symbolic(text)
            for p in paragraphs
            if (text := _collapse(p))
        ]
        if motions != visible:
            self.item.motions = motions

    def _resolution(self) -> None:
        paragraphs = self.top.sections.get("resolution")
        if paragraphs is None:
            self.warn(
                "Der Abschnitt „Beschluss“ wurde nicht gefunden; der bisherige Beschlusstext "
                "bleibt."
            )
            return
        lines = _lines(paragraphs)
        text = "\n".join(lines)
        old = self.base.resolution_text
        if not lines or _key(text) == _key(NO_RESOLUTION):
            if old is not None and old.strip():
                self.item.resolution_text = None
            return
        if old is not None and _key(text) in self.owner.display("\n".join(resolution_blocks(old))):
            return
        self.item.resolution_text = text

    def _vote(self) -> None:
        paragraphs = self.top.sections.get("vote")
        if paragraphs is None:
            self.warn(
                "Der Abschnitt „Abstimmungsergebnis“ wurde nicht gefunden; Ergebnis und "
                "Stimmen bleiben."
            )
            return
        result_parts: list[str] = []
        counts: dict[str, str] = {}
        extra: list[str] = []
        for line in _lines(paragraphs):
            # "beschlossenJa: 14": the line break between result and counts deleted
            line = _GLUED_LABEL.sub(" ", line)
            labels = list(_COUNT_LABEL.finditer(line))
            if not labels:
                (extra if counts else result_parts).append(line)
                continue
            prefix = line[: labels[0].start()].strip(" ,;:–-")
            if prefix:
                (extra if counts else result_parts).append(prefix)
            for i, match in enumerate(labels):
                end = labels[i + 1].start() if i + 1 < len(labels) else len(line)
                value = line[match.end() : end].strip(" ,;.")
                counts[_vote_field(match.group(1))] = _STIMMEN.sub("", value)
        for line in extra:
            short = line if len(line) <= 80 else line[:79] + "…"
            self.warn(f"Text nach den Stimmenzahlen wurde nicht übernommen: „{short}“")

        result = " ".join(result_parts)
        old = self.base.result
        if _key(result) != _key(old or NO_RESULT):
            self.item.result = None if _key(result) in ("", _key(NO_RESULT)) else result
        votes = Votes()
        for name in ("yes", "no", "abstain", "biased"):
            value = counts.get(name, "")
            number: int | None = None
            if value.casefold() not in _NOT_SAID:
                number = parse_number(value)
                if number is None:
                    number = getattr(self.base.votes, name)
                    self.warn(
                        f"„{value}“ ist keine Stimmenzahl; der bisherige Wert bleibt "
                        f"({DASH if number is None else number})."
                    )
            setattr(votes, name, number)
        self.item.votes = votes
