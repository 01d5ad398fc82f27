"""DOCX helpers shared by the document writers (Wortprotokoll, Niederschrift).

- German defaults: A4 pages, a default font, ``de-DE`` as the language for spelling and
  hyphenation (`set_page_and_defaults`, `set_german_language`);
- the machine-readable AI marking (EU AI Act Art. 50): core properties, custom properties
  in ``docProps/custom.xml`` (``ai_generated = true`` …) and ``docProps/app.xml`` naming
  protokoll as the producing application (`set_ai_properties`);
- the visible marking: a header line on every page and a framed notice box
  (`add_header_footer`, `add_notice`), page numbers "Seite X von Y" in the footer;
- small formatting helpers (`style_small`, `add_field`, `set_column_widths`).

python-docx has no API for custom properties or for replacing ``app.xml``; those parts are
written as XML here.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from datetime import UTC, datetime
from typing import cast
from xml.sax.saxutils import escape

from docx.document import Document as DocxDocument
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.oxml.xmlchemy import BaseOxmlElement
from docx.section import _Footer, _Header
from docx.shared import Cm, Length, Pt, RGBColor
from docx.table import Table
from docx.text.paragraph import Paragraph

from protokoll import __version__

HEADER_TEXT = "KI-gestützter Entwurf – nicht geprüft"
AI_SUBJECT = "KI-gestützter Entwurf"
AI_KEYWORDS = "KI-generiert; Entwurf; protokoll"
REVIEW_STATUS_DRAFT = "nicht geprüft"
DOC_LANGUAGE = "de-DE"
FONT_NAME = "Calibri"
FONT_SIZE_PT = 11
GREY = RGBColor(0x59, 0x59, 0x59)
NOTICE_FILL = "FFF2CC"
NOTICE_BORDER = "BF9000"

_CUSTOM_PROPS_NS = "http://schemas.openxmlformats.org/officeDocument/2006/custom-properties"
_EXTENDED_PROPS_NS = "http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"
_VT_NS = "http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"
# The format id Office uses for user-defined properties.
_CUSTOM_PROPS_FMTID = "{D5CDD505-2E9C-101B-9397-08002B2CF9AE}"


# --- page, font, language -------------------------------------------------------------


def set_page_and_defaults(
    doc: DocxDocument, *, font_name: str = FONT_NAME, font_size_pt: float = FONT_SIZE_PT
) -> None:
    """A4 pages, ``font_name`` at ``font_size_pt`` for Normal text, German as language."""
    for section in doc.sections:
        section.page_width = Cm(21.0)
        section.page_height = Cm(29.7)
        section.left_margin = section.right_margin = Cm(2.5)
        section.top_margin = section.bottom_margin = Cm(2.0)

    normal = doc.styles["Normal"]
    normal.font.name = font_name
    normal.font.size = Pt(font_size_pt)
    rfonts = normal.element.get_or_add_rPr().get_or_add_rFonts()
    rfonts.set(qn("w:eastAsia"), font_name)
    rfonts.set(qn("w:cs"), font_name)
    set_german_language(doc)


def set_german_language(doc: DocxDocument) -> None:
    """``de-DE`` as the document's default language (spelling, hyphenation, theme fonts)."""
    styles = doc.styles.element
    rpr_default = styles.find(qn("w:docDefaults") + "/" + qn("w:rPrDefault") + "/" + qn("w:rPr"))
    if rpr_default is None:
        doc_defaults = styles.find(qn("w:docDefaults"))
        if doc_defaults is None:
            doc_defaults = OxmlElement("w:docDefaults")
            styles.insert(0, doc_defaults)
        rpr_default_parent = doc_defaults.find(qn("w:rPrDefault"))
        if rpr_default_parent is None:
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


# --- properties (machine-readable AI marking) -----------------------------------------


def set_ai_properties(
    doc: DocxDocument,
    title: str,
    created_at: datetime,
    *,
    keywords: str = AI_KEYWORDS,
    comments: str | None = None,
    category: str = "Entwurf",
    extra_custom: Mapping[str, bool | str] | None = None,
    subject: str = AI_SUBJECT,
    review_status: str = REVIEW_STATUS_DRAFT,
    identifier: str | None = None,
) -> None:
    """Core properties and the custom ``ai_generated`` property (AI Act Art. 50 marking).

    Whatever a template carried in its properties (author, title, custom properties, the
    producing application, a thumbnail) is replaced. ``extra_custom`` adds custom
    properties after ``ai_generated``, ``ai_generator`` and ``review_status``;
    ``identifier`` goes into the core property of that name (empty without one).
    """
    props = doc.core_properties
    props.title = title
    props.subject = subject
    props.keywords = keywords
    props.comments = (
        comments
        if comments is not None
        else f"Automatisch erstellt mit protokoll {__version__}; nicht geprüft"
    )
    props.author = "protokoll"
    props.last_modified_by = "protokoll"
    props.language = DOC_LANGUAGE
    props.category = category
    for inherited in ("content_status", "identifier", "version"):  # from a template
        if getattr(props, inherited):
            setattr(props, inherited, "")
    if identifier:
        props.identifier = identifier
    props.revision = 1
    utc_naive = created_at.astimezone(UTC).replace(tzinfo=None)
    props.created = utc_naive
    props.modified = utc_naive
    set_custom_properties(
        doc,
        {
            "ai_generated": True,
            "ai_generator": f"protokoll {__version__}",
            "review_status": review_status,
            **(extra_custom or {}),
        },
    )
    set_app_properties(doc)


def set_custom_properties(doc: DocxDocument, values: Mapping[str, bool | str]) -> None:
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

    set_package_part(
        doc, RT.CUSTOM_PROPERTIES, "/docProps/custom.xml", CT.OFC_CUSTOM_PROPERTIES, blob
    )


def set_app_properties(doc: DocxDocument) -> None:
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
    set_package_part(
        doc, RT.EXTENDED_PROPERTIES, "/docProps/app.xml", CT.OFC_EXTENDED_PROPERTIES, blob
    )
    rels = doc.part.package.rels
    for r_id in [r_id for r_id, rel in rels.items() if rel.reltype == RT.THUMBNAIL]:
        del rels[r_id]


def set_package_part(
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


# --- header, footer, notice -----------------------------------------------------------


def add_header_footer(doc: DocxDocument, header_text: str = HEADER_TEXT) -> None:
    """Header: the draft marking (right-aligned, below a template's letterhead); footer:
    "Seite X von Y" from PAGE/NUMPAGES fields unless the footer already numbers pages.

    Every header and footer in use gets them: each section's own (a section linked to the
    previous one shows that one's), the first-page variant where a section has one, and
    the even-page variant where the document uses separate even pages.
    """
    for header in _headers(doc):
        paragraph = _free_paragraph(header, "Header" if "Header" in doc.styles else None)
        paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        paragraph.add_run(header_text)
        style_small(paragraph)

    for footer in _footers(doc):
        if _has_page_field(footer):
            continue
        paragraph = _free_paragraph(footer, "Footer" if "Footer" in doc.styles else None)
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        paragraph.add_run("Seite ")
        add_field(paragraph, "PAGE", "1")
        paragraph.add_run(" von ")
        add_field(paragraph, "NUMPAGES", "1")
        style_small(paragraph)


def _has_page_field(footer: _Footer) -> bool:
    element = footer._element
    instructions = [t.text or "" for t in element.iter(qn("w:instrText"))]
    instructions += [f.get(qn("w:instr")) or "" for f in element.iter(qn("w:fldSimple"))]
    return any("PAGE" in i.split() for i in instructions)


def _headers(doc: DocxDocument) -> Iterator[_Header]:
    even_pages = doc.settings.odd_and_even_pages_header_footer
    for index, section in enumerate(doc.sections):
        variants = [section.header]
        if section.different_first_page_header_footer:
            variants.append(section.first_page_header)
        if even_pages:
            variants.append(section.even_page_header)
        for header in variants:
            if index == 0 or not header.is_linked_to_previous:
                yield header


def _footers(doc: DocxDocument) -> Iterator[_Footer]:
    even_pages = doc.settings.odd_and_even_pages_header_footer
    for index, section in enumerate(doc.sections):
        variants = [section.footer]
        if section.different_first_page_header_footer:
            variants.append(section.first_page_footer)
        if even_pages:
            variants.append(section.even_page_footer)
        for footer in variants:
            if index == 0 or not footer.is_linked_to_previous:
                yield footer


def _free_paragraph(part: _Header | _Footer, style: str | None) -> Paragraph:
    """The header's/footer's only paragraph if it is empty, else a new one at its end
    (in ``style``)."""
    paragraphs = part.paragraphs
    if (
        len(paragraphs) == 1
        and not part.tables
        and not paragraphs[0].text.strip()
        and not paragraphs[0]._p.xpath(".//w:drawing | .//w:pict | .//w:fldChar")
    ):
        return paragraphs[0]
    return part.add_paragraph(style=style)


def add_field(paragraph: Paragraph, instruction: str, placeholder: str) -> None:
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


def style_small(paragraph: Paragraph, size_pt: float = 9) -> None:
    """All runs of ``paragraph`` small and grey."""
    for run in paragraph.runs:
        run.font.size = Pt(size_pt)
        run.font.color.rgb = GREY


def add_notice(doc: DocxDocument, text: str) -> Paragraph:
    """The AI notice: bold text on a light yellow, framed paragraph."""
    notice = doc.add_paragraph()
    notice.add_run(text).bold = True
    frame_paragraph(notice, fill=NOTICE_FILL, border=NOTICE_BORDER)
    return notice


def frame_paragraph(paragraph: Paragraph, *, fill: str, border: str) -> None:
    """A border around ``paragraph`` and ``fill`` (hex RGB) as its background."""
    borders = border_element(
        "pBdr", {side: (8, 4, border) for side in ("top", "left", "bottom", "right")}
    )
    shading = new_element("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), fill)
    insert_ppr_child(paragraph, borders, shading)


# pPr children in schema order (ECMA-376 CT_PPrBase, then rPr, sectPr, pPrChange).
_PPR_ORDER: tuple[str, ...] = tuple(
    " ".join(
        (
            "pStyle keepNext keepLines pageBreakBefore framePr widowControl numPr",
            "suppressLineNumbers pBdr shd tabs suppressAutoHyphens kinsoku wordWrap",
            "overflowPunct topLinePunct autoSpaceDE autoSpaceDN bidi adjustRightInd",
            "snapToGrid spacing ind contextualSpacing mirrorIndents suppressOverlap jc",
            "textDirection textAlignment textboxTightWrap outlineLvl divId cnfStyle",
            "rPr sectPr pPrChange",
        )
    ).split()
)


def insert_ppr_child(paragraph: Paragraph, *elements: BaseOxmlElement) -> None:
    """Add ``elements`` to the paragraph's properties at their schema position, replacing
    an element of the same name."""
    insert_in_ppr(paragraph._p.get_or_add_pPr(), *elements)


def insert_in_ppr(ppr: BaseOxmlElement, *elements: BaseOxmlElement) -> None:
    """Add ``elements`` to paragraph properties ``ppr`` (of a paragraph or a style) at
    their schema position, replacing an element of the same name."""
    for element in elements:
        tag = _local(element)
        for old in ppr.findall(qn(f"w:{tag}")):
            ppr.remove(old)
        rank = _PPR_ORDER.index(tag)
        position = len(ppr)
        for i, child in enumerate(ppr):
            child_tag = _local(child)
            if child_tag in _PPR_ORDER and _PPR_ORDER.index(child_tag) > rank:
                position = i
                break
        ppr.insert(position, element)


def border_element(tag: str, sides: Mapping[str, tuple[int, int, str]]) -> BaseOxmlElement:
    """A border element (``w:pBdr``, ``w:tcBorders``, ``w:tblBorders``) with the given
    ``sides`` as (width in eighths of a point, space in points, colour hex or "auto");
    width 0 means no line (``w:val="nil"``)."""
    borders = new_element(f"w:{tag}")
    for side, (size, space, color) in sides.items():
        edge = new_element(f"w:{side}")
        edge.set(qn("w:val"), "single" if size else "nil")
        if size:
            edge.set(qn("w:sz"), str(size))
            edge.set(qn("w:space"), str(space))
            edge.set(qn("w:color"), color)
        borders.append(edge)
    return borders


def new_element(tag: str) -> BaseOxmlElement:
    """``OxmlElement`` typed as the element it returns."""
    return cast(BaseOxmlElement, OxmlElement(tag))


def _local(element: BaseOxmlElement) -> str:
    return str(element.tag).rsplit("}", 1)[-1]


def set_column_widths(table: Table, widths: Sequence[Length]) -> None:
    for row in table.rows:
        for cell, width in zip(row.cells, widths, strict=False):
            cell.width = width
