"""The package: the DOCX (a zip file) read with size limits, its XML parts parsed without
DTDs or entities, the document properties (the draft identifier among them)."""

from __future__ import annotations

import io
import posixpath
import zipfile
import zlib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from lxml import etree

from protokoll.documents.niederschrift_layout import DOCUMENT_ID_PROPERTY
from protokoll.review.docx_import.errors import DocxImportError, DocxTooLargeError, NotDocxError

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

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_CORE_NS = "{http://purl.org/dc/elements/1.1/}"
_RELS_NS = "{http://schemas.openxmlformats.org/package/2006/relationships}"


@dataclass
class Package:
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


def load_package(source: Path | bytes, *, with_document: bool) -> Package:
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
            return Package(None, None, core, custom)
        info = members.get(document_name)
        if info is None:
            raise NotDocxError(NOT_DOCX)
        document = _member(archive, info, MAX_DOCUMENT_XML_BYTES)
        folder = posixpath.dirname(document_name)
        rels_name = posixpath.join(folder, "_rels", posixpath.basename(document_name) + ".rels")
        document_rels = _relationships(archive, members, folder, rels_name)
        styles = _optional(archive, members, document_rels.get("styles"))
        return Package(document, styles, core, custom)


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
    for rel in parse_xml(_member(archive, info, MAX_PART_BYTES)).iter(f"{_RELS_NS}Relationship"):
        target = rel.get("Target") or ""
        kind = (rel.get("Type") or "").rsplit("/", 1)[-1]
        if not target or rel.get("TargetMode") == "External" or kind in out:
            continue
        path = target.lstrip("/") if target.startswith("/") else posixpath.join(folder, target)
        out[kind] = posixpath.normpath(path)
    return out


def parse_xml(blob: bytes) -> Any:
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


def custom_properties(blob: bytes | None) -> dict[str, str]:
    if blob is None:
        return {}
    out: dict[str, str] = {}
    for prop in parse_xml(blob):
        name = prop.get("name") if isinstance(prop.tag, str) else None
        if name and len(prop):
            out.setdefault(name, (prop[0].text or "").strip())
    return out


def draft_identifier(properties: Mapping[str, str], core: bytes | None) -> str | None:
    """The draft identifier: the custom property ``protokoll_dokument_id``, else the core
    property ``identifier``; None if neither is a short printable text."""
    candidates = [properties.get(DOCUMENT_ID_PROPERTY, "")]
    if core is not None:
        element = parse_xml(core).find(f"{_CORE_NS}identifier")
        candidates.append((element.text or "") if element is not None else "")
    for value in candidates:
        value = value.strip()
        if value and len(value) <= 256 and value.isprintable():
            return value
    return None
