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

The package follows the steps: `package` (the zip file and its XML parts, read with
limits) -> `blocks` (the body as paragraphs and tables) -> `text` (normalisation for
comparing) -> `scan` (facts, TOPs and their sections, the speaker table) -> `sentences`
(time marks, sentence splitting) and `names` (names back to speaker labels) -> `merge`
(into a copy of the base); `errors` holds the exception classes. The texts it looks for
are those of `protokoll.documents.niederschrift_layout`, shared with the writer.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass
from pathlib import Path

from protokoll.documents.niederschrift_layout import PUBLIC_VERSION_PROPERTY
from protokoll.domain.minutes import Minutes
from protokoll.review.docx_import.blocks import Body
from protokoll.review.docx_import.errors import (
    DocxImportError,
    DocxStructureError,
    DocxTooLargeError,
    ForeignDocxError,
    NotDocxError,
)
from protokoll.review.docx_import.merge import Merger
from protokoll.review.docx_import.package import (
    NOT_DOCX,
    custom_properties,
    draft_identifier,
    load_package,
)
from protokoll.review.docx_import.scan import scan

__all__ = [
    "FOREIGN",
    "NOT_DOCX",
    "NO_ID_WARNING",
    "TRACKED_WARNING",
    "DocxImportError",
    "DocxStructureError",
    "DocxTooLargeError",
    "ForeignDocxError",
    "ImportedDocx",
    "NotDocxError",
    "read_document_id",
    "read_niederschrift_docx",
]

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
    package = load_package(source, with_document=False)
    return draft_identifier(custom_properties(package.custom), package.core)


def read_niederschrift_docx(source: Path | bytes, base: Minutes) -> ImportedDocx:
    """Read an edited Niederschrift back into a copy of ``base``, the version the DOCX was
    generated from (see the module docstring for what is read).

    Raises `DocxImportError`: `NotDocxError` (no DOCX, damaged, empty),
    `DocxTooLargeError`, `ForeignDocxError` (neither an identifier nor the draft's TOPs),
    `DocxStructureError` (none of the draft's TOPs found).
    """
    package = load_package(source, with_document=True)
    assert package.document is not None
    properties = custom_properties(package.custom)
    document_id = draft_identifier(properties, package.core)
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
    body = Body(document, styles)
    view = scan(body.blocks(), base)

    public_version = properties.get(PUBLIC_VERSION_PROPERTY, "").lower() in ("true", "1")
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
    merger = Merger(base, properties, view, warnings)
    minutes = merger.merge(expected)
    changed = [
        new.number
        for old, new in zip(base.items, minutes.items, strict=True)
        if asdict(old) != asdict(new)
    ]
    return ImportedDocx(document_id, minutes, changed, warnings)
