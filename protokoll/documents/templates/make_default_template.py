"""Generate the default Niederschrift template ``protokoll/documents/templates/niederschrift.docx``.

Run ``python -m protokoll.documents.templates.make_default_template [OUT.docx]`` after changing this
script and commit the result. The Niederschrift writer opens the template, clears its body
and writes the minutes; what it keeps is what a municipality's own template also provides:

- page setup: A4, margins 2.5 cm left (filing), 3 cm top (letterhead), 2 cm right and
  bottom;
- fonts: Arial throughout (the usual administrative font; LibreOffice substitutes the
  metric-compatible Liberation Sans), 11 pt body text;
- styles: Normal, Title, Subtitle, Heading 1–3, List Bullet, Table Grid, and the two
  styles the writer uses when present: "Beschlusstext" (indented resolution text with a
  rule at the left) and "Zeitmarke" (small grey source time marks);
- a letterhead placeholder in the page header, above a thin rule. The writer adds the
  "KI-gestützter Entwurf" marking below it and "Seite X von Y" in the footer.
"""

from __future__ import annotations

import sys
from datetime import datetime
from pathlib import Path

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.style import WD_STYLE_TYPE
from docx.oxml.ns import qn
from docx.oxml.xmlchemy import BaseOxmlElement
from docx.shared import Cm, Pt, RGBColor

from protokoll.documents.docx_common import border_element, insert_in_ppr, new_element

DEFAULT_TEMPLATE = Path(__file__).with_name("niederschrift.docx")

FONT = "Arial"
BLACK = RGBColor(0, 0, 0)
DARK = RGBColor(0x26, 0x26, 0x26)
GREY = RGBColor(0x59, 0x59, 0x59)
LIGHT_GREY = RGBColor(0x7F, 0x7F, 0x7F)

LETTERHEAD = "Briefkopf der Kommune"
LETTERHEAD_HINT = (
    "Platzhalter – die eigene Vorlage mit Wappen, Anschrift und Hausschrift wird in der "
    "Konfiguration unter [minutes] template angegeben."
)
BODY_HINT = (
    "Diese Vorlage bestimmt Seitenränder, Schriften, Formatvorlagen sowie Kopf- und "
    "Fußzeile der Niederschrift. Der Textkörper wird beim Erstellen ersetzt."
)


def build_template() -> DocxDocument:
    """The default template as a python-docx document (not yet saved)."""
    doc = Document()
    section = doc.sections[0]
    section.page_width = Cm(21.0)
    section.page_height = Cm(29.7)
    section.left_margin = Cm(2.5)
    section.right_margin = Cm(2.0)
    section.top_margin = Cm(3.0)  # room for the letterhead and the draft marking
    section.bottom_margin = Cm(2.0)
    section.header_distance = Cm(0.8)
    section.footer_distance = Cm(1.0)

    _set_default_font(doc)
    _paragraph_style(doc, "Normal", size=11, after=6)
    _paragraph_style(doc, "Title", size=20, bold=True, color=BLACK, after=2, border=False)
    _paragraph_style(doc, "Subtitle", size=13, color=DARK, after=12, italic=False)
    _paragraph_style(doc, "Heading 1", size=13, bold=True, color=BLACK, before=18, after=6)
    _paragraph_style(doc, "Heading 2", size=12, bold=True, color=BLACK, before=16, after=4)
    _paragraph_style(doc, "Heading 3", size=11, bold=True, color=DARK, before=8, after=2)
    _paragraph_style(doc, "Header", size=9)
    _paragraph_style(doc, "Footer", size=9)
    _rule(doc.styles["Heading 1"].element.get_or_add_pPr(), "bottom", "A6A6A6")

    resolution = doc.styles.add_style("Beschlusstext", WD_STYLE_TYPE.PARAGRAPH)
    resolution.base_style = doc.styles["Normal"]
    resolution.paragraph_format.left_indent = Cm(0.75)
    resolution.paragraph_format.space_after = Pt(6)
    _rule(resolution.element.get_or_add_pPr(), "left", "A6A6A6", size=12, space=8)
    resolution.quick_style = True

    time_mark = doc.styles.add_style("Zeitmarke", WD_STYLE_TYPE.CHARACTER)
    time_mark.font.size = Pt(8)
    time_mark.font.color.rgb = LIGHT_GREY
    time_mark.quick_style = True

    header = section.header
    first = header.paragraphs[0]
    first.add_run(LETTERHEAD).bold = True
    first.runs[0].font.size = Pt(12)
    hint = header.add_paragraph()
    hint_run = hint.add_run(LETTERHEAD_HINT)
    hint_run.font.size = Pt(8)
    hint_run.font.color.rgb = LIGHT_GREY
    hint.paragraph_format.space_after = Pt(4)
    _rule(hint._p.get_or_add_pPr(), "bottom", "A6A6A6")

    body = doc.paragraphs[0] if doc.paragraphs else doc.add_paragraph()
    body.add_run(BODY_HINT)

    props = doc.core_properties
    props.title = "Niederschrift (Vorlage)"
    props.subject = "Vorlage für protokoll"
    props.author = "protokoll"
    props.last_modified_by = "protokoll"
    props.language = "de-DE"
    props.keywords = "Vorlage; Niederschrift"
    props.comments = "Erzeugt von protokoll/documents/templates/make_default_template.py"
    props.revision = 1
    props.created = props.modified = datetime(2026, 1, 1)
    return doc


def _set_default_font(doc: DocxDocument) -> None:
    """Arial as the document default, replacing the theme fonts, and German language."""
    styles = doc.styles.element
    rpr = styles.find(f"{qn('w:docDefaults')}/{qn('w:rPrDefault')}/{qn('w:rPr')}")
    assert rpr is not None  # python-docx's default template has document defaults
    rfonts = rpr.find(qn("w:rFonts"))
    if rfonts is None:
        rfonts = new_element("w:rFonts")
        rpr.insert(0, rfonts)
    _fonts(rfonts)
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = new_element("w:lang")
        rpr.append(lang)
    lang.set(qn("w:val"), "de-DE")
    theme_lang = doc.settings.element.find(qn("w:themeFontLang"))
    if theme_lang is not None:
        theme_lang.set(qn("w:val"), "de-DE")


def _fonts(rfonts: BaseOxmlElement) -> None:
    for attr in ("asciiTheme", "hAnsiTheme", "eastAsiaTheme", "cstheme"):
        rfonts.attrib.pop(qn(f"w:{attr}"), None)
    for attr in ("ascii", "hAnsi", "eastAsia", "cs"):
        rfonts.set(qn(f"w:{attr}"), FONT)


def _paragraph_style(
    doc: DocxDocument,
    name: str,
    *,
    size: float,
    bold: bool | None = None,
    italic: bool | None = None,
    color: RGBColor | None = None,
    before: float | None = None,
    after: float | None = None,
    border: bool = True,
) -> None:
    style = doc.styles[name]
    rpr = style.element.get_or_add_rPr()
    _fonts(rpr.get_or_add_rFonts())
    font = style.font
    font.size = Pt(size)
    if bold is not None:
        font.bold = bold
    if italic is not None:
        font.italic = italic
    if color is not None:
        color_el = rpr.find(qn("w:color"))
        if color_el is not None:
            rpr.remove(color_el)
        font.color.rgb = color
    fmt = style.paragraph_format
    if before is not None:
        fmt.space_before = Pt(before)
    if after is not None:
        fmt.space_after = Pt(after)
    if not border:
        ppr = style.element.pPr
        if ppr is not None:
            for bdr in ppr.findall(qn("w:pBdr")):
                ppr.remove(bdr)
    spacing = rpr.find(qn("w:spacing"))  # Title's letter spacing
    if spacing is not None:
        rpr.remove(spacing)


def _rule(ppr: BaseOxmlElement, side: str, color: str, size: int = 4, space: int = 1) -> None:
    insert_in_ppr(ppr, border_element("pBdr", {side: (size, space, color)}))


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    out = Path(args[0]) if args else DEFAULT_TEMPLATE
    build_template().save(str(out))
    print(out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
