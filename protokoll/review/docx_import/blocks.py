"""The document's body as a list of blocks: paragraphs (their text, their heading level)
and tables (their cells' text), in order. Tracked changes are read as accepted; hidden
text, deleted text and field codes are left out."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from lxml import etree

from protokoll.review.docx_import.errors import DocxStructureError, NotDocxError
from protokoll.review.docx_import.package import NOT_DOCX, parse_xml

_W_NAMESPACES = (
    "http://schemas.openxmlformats.org/wordprocessingml/2006/main",
    "http://purl.oclc.org/ooxml/wordprocessingml/main",  # "Strict Open XML"
)
_MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"


@dataclass
class Block:
    """A paragraph (``rows`` None) or a table (``rows``: cell texts) of the body."""

    text: str = ""
    level: int | None = None  # heading level from the paragraph style
    rows: list[list[str]] | None = None


_HEADING_STYLE = re.compile(r"(?:heading|überschrift)\s*(\d)")


class Body:
    """The body of ``document`` (the main XML part); ``styles`` (the styles part) gives
    the heading levels of paragraph styles. ``tracked`` becomes true when `blocks` meets a
    tracked change."""

    def __init__(self, document: bytes, styles: bytes | None) -> None:
        root = parse_xml(document)
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
        for style in parse_xml(blob).iter(f"{w}style"):
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

    def blocks(self) -> list[Block]:
        out: list[Block] = []
        carry = ""  # text of a paragraph whose mark was deleted (joins the next one)
        for element in self._block_elements(self.body):
            if element.tag == f"{self.w}tbl":
                if carry:
                    out.append(Block(carry))
                    carry = ""
                out.append(Block(rows=self._rows(element)))
                continue
            text = carry + self._text(element)
            if element.find(f"{self.w}pPr/{self.w}rPr/{self.w}del") is not None:
                self.tracked = True
                carry = text
                continue
            carry = ""
            out.append(Block(text, self._level(element)))
        if carry:
            out.append(Block(carry))
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
