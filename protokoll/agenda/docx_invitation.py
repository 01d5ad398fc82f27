"""Read the agenda from a DOCX invitation (Einladung mit Tagesordnung).

What is recognised (see `docs/agenda-format.md`, section "DOCX invitation"):

- **Items** in a table whose header row names a number column ("TOP", "Nr.", "Punkt") and
  a title column ("Betreff", "Gegenstand", "Beratungsgegenstand", "Tagesordnung"), with an
  optional paper column ("Vorlage", "Drucksache", "Vorlagen-Nr.") and an optional public
  column ("Ö/NÖ", "öffentlich"); a table without a header row whose first column holds TOP
  numbers is read the same way. Or paragraphs such as "TOP 1: Genehmigung der
  Niederschrift", "1. Sanierung der Grundschule (Vorlage 2026/045)", "4.2 Bauantrag" or
  Word-numbered paragraphs (numbered lists); plain numbered paragraphs count only after a
  "Tagesordnung" heading where the document has one. A trailing "(Vorlage 2026/045)",
  "(2026/045)" or "– Drucksache 12/2026" becomes the item's paper; so does a line
  "Vorlage: 2026/045" under the item.
- **Public / non-public**: a line or table row "Nichtöffentlicher Teil", "Nicht öffentliche
  Sitzung", "B) Nichtöffentlich" makes the following items non-public, "Öffentlicher Teil"
  public again; a number prefix "Ö 3" / "N 3" (or "NÖ 3") sets it for one item.
- **Meeting**: the body from "Sitzung des Rates der Gemeinde Lindenau" (turned into the
  nominative: "Rat der Gemeinde Lindenau") or "Gremium: …"; the session number from
  "12. Sitzung …" or "Sitzungsnummer: 12/2026"; the date and start time from a line such as
  "am Donnerstag, 19.11.2026, 18:00 Uhr" ("19. November 2026", "18.00 Uhr", "Datum:",
  "Beginn:" also work); the place from "Ort: …". Label/value rows of a table count as
  "Label: value" lines.

An invitation lists no members; `protokoll.domain.agenda.load_agenda_source(docx,
members_from=toml)` adds them from an agenda or member-list file. Every problem is an
`AgendaError`; a document without items, date or body is refused.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import docx
from lxml import etree

from protokoll.domain.agenda import Agenda, agenda_from_data
from protokoll.errors import AgendaError

# ---- text patterns ------------------------------------------------------------------------------

_NUMBER = r"\d{1,3}(?:\.\d{1,2})*[a-z]?"  # 1, 4.2, 7a, 10.1.3
_FLAG = r"(?:(?P<flag>NÖ|N|Ö)\s*)"  # Ö 1 / N 1 / NÖ 1 (öffentlich / nichtöffentlich)

_TOP_LINE = re.compile(
    rf"^(?:TOP|Tagesordnungspunkt)\s*(?:Nr\.?\s*)?{_FLAG}?(?P<num>{_NUMBER})"
    r"(?P<sep>\s*[:.)–—-]\s*|\s+)(?P<title>\S.*)$",
    re.IGNORECASE,
)
_PLAIN_LINE = re.compile(
    rf"^{_FLAG}?(?P<num>{_NUMBER})(?P<sep>[.)]\s*|\s+)(?P<title>[^\d\s].*)$", re.IGNORECASE
)
_NUMBER_CELL = re.compile(
    rf"^(?:TOP\s*)?(?:Nr\.?\s*)?{_FLAG}?(?P<num>{_NUMBER})\s*[.:]?$", re.IGNORECASE
)

_PAPER_WORDS = (
    r"(?:Beschlussvorlage|Mitteilungsvorlage|Informationsvorlage|Verwaltungsvorlage|Vorlage"
    r"|Vorl\.|Drucksache|Drs\.|DS|Antrag|Anfrage|Mitteilung|Vorlagen-?Nr\.?)"
)
_REFERENCE = r"\d+\s*/\s*\d+"  # 2026/045, 12/2026
_PAPER_TAIL = re.compile(
    rf"\s*[(\[](?P<paper>{_PAPER_WORDS}(?!\w)[^()\[\]]*\d[^()\[\]]*|[^()\[\]]*{_REFERENCE}[^()\[\]]*)"
    r"[)\]]\s*$"
)
_PAPER_DASH = re.compile(rf"\s+[-–—,]\s*(?P<paper>{_PAPER_WORDS}(?!\w)\s*:?\s*\S*\d\S*)\s*$")
_PAPER_LINE = re.compile(rf"^(?P<paper>{_PAPER_WORDS}(?!\w)\s*(?:Nr\.?)?\s*:?\s*\S*\d\S*)$")

_SECTION = re.compile(
    r"^(?:(?:[A-Z]|[IVX]+)[.):]\s*|Teil\s+\w+\s*[-–:]?\s*)?"
    r"(?P<non>nicht[\s-]*)?öffentliche?[rns]?\b"
    r"(?P<rest>\s+(?:Teil|Sitzung|Sitzungsteil|Beratung|Tagesordnung)\b)?",
    re.IGNORECASE,
)
_AGENDA_HEADING = re.compile(r"^(?:\w+\s+)?Tagesordnung\b\s*:?", re.IGNORECASE)

_MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("januar", "jänner"),
            ("februar",),
            ("märz",),
            ("april",),
            ("mai",),
            ("juni",),
            ("juli",),
            ("august",),
            ("september",),
            ("oktober",),
            ("november",),
            ("dezember",),
        ),
        start=1,
    )
    for name in names
}
_DATE_NUMERIC = re.compile(r"(?<![\d.])(\d{1,2})\.\s?(\d{1,2})\.\s?(\d{4}|\d{2})(?![\d])")
_DATE_WORDS = re.compile(r"(?<!\d)(\d{1,2})\.\s*(" + "|".join(_MONTHS) + r")\s+(\d{4})\b", re.I)
_DATE_ISO = re.compile(r"(?<!\d)(\d{4})-(\d{2})-(\d{2})(?!\d)")
_TIME = re.compile(r"(?<![\d.:])([01]?\d|2[0-3])(?:[:.]([0-5]\d))?\s*Uhr\b")
_TIME_BARE = re.compile(r"(?<![\d.:])([01]?\d|2[0-3])[:.]([0-5]\d)(?![\d.])")
_DATE_CUE = re.compile(
    r"\b(?:am|Datum|Termin|Sitzungstermin|Sitzungsdatum|Tag|Zeit)\b|\bUhr\b", re.IGNORECASE
)

_LABEL = re.compile(r"^(?P<label>[^\W\d][\w .\-/]{0,30}?)\s*:\s*(?P<value>\S.*)$")
_BODY_LABELS = {"gremium", "organ", "sitzungsgremium"}
_SESSION_LABELS = {"sitzungsnummer", "sitzungs-nr.", "sitzungs-nr", "sitzung nr.", "sitzung nr"}
_DATE_LABELS = {"datum", "termin", "sitzungstermin", "sitzungsdatum", "tag"}
_TIME_LABELS = {"beginn", "uhrzeit", "zeit", "sitzungsbeginn"}
_PLACE_LABELS = {"ort", "sitzungsort", "tagungsort", "raum", "sitzungsraum", "sitzungssaal"}

_BODY_SENTENCE = re.compile(r"\bSitzung\s+(?P<article>des|der)\s+(?P<body>\S.*)$", re.IGNORECASE)
_BODY_END = re.compile(
    r"\s+(?:am|vom)\s|\s*,\s*(?:(?:Montag|Dienstag|Mittwoch|Donnerstag|Freitag|Samstag|Sonntag)"
    r"\b|\d)|\s*\(|\s+\d{1,2}\.\d{1,2}\.|\s+(?:um|lade|laden|ein)\b|\.\s*$",
    re.IGNORECASE,
)
_SESSION_LINE = re.compile(
    r"^Sitzung(?:s\s*-?\s*(?:nummer|nr\.?)|\s+Nr\.?)\s*:?\s*(?P<num>\d[\w/.-]*)", re.IGNORECASE
)
_SESSION_SENTENCE = re.compile(
    r"(?<![\d.])(?P<num>\d{1,3})\.\s*(?:(?:öffentliche|nichtöffentliche|nicht öffentliche"
    r"|ordentliche|außerordentliche|konstituierende|gemeinsame)[nr]?\s+)?Sitzung\b",
    re.IGNORECASE,
)


_W = {"w": "http://schemas.openxmlformats.org/wordprocessingml/2006/main"}


def _xpath(element: Any, expr: str) -> list[Any]:
    """XPath with the `w:` prefix on any element (python-docx's own or plain lxml)."""

    result: list[Any] = etree._Element.xpath(element, expr, namespaces=_W)
    return result


def _clean(text: str) -> str:
    text = text.replace("\u00ad", "").replace("\u200b", "")
    return re.sub(r"\s+", " ", text).strip()


def _has_letter(text: str) -> bool:
    return re.search(r"[^\W\d_]", text) is not None


def _split_paper(title: str) -> tuple[str, str]:
    """("Sanierung der Grundschule", "Vorlage 2026/045") from a title with a trailing paper."""
    for pattern in (_PAPER_TAIL, _PAPER_DASH):
        match = pattern.search(title)
        if match and _has_letter(title[: match.start()]):
            return title[: match.start()].rstrip(" -–—,:"), _tidy_paper(match["paper"])
    return title, ""


def _tidy_paper(paper: str) -> str:
    """The paper as written, without a colon: "Vorlage: 2026/045" → "Vorlage 2026/045"."""
    return _clean(re.sub(r"^([^\W\d][\w.-]*)\s*:\s*", r"\1 ", _clean(paper)))


def _public_flag(flag: str | None) -> bool | None:
    if not flag:
        return None
    return flag.upper() == "Ö"


def _strip_genitive(word: str) -> str:
    if word.endswith("sses"):
        return word[:-2]
    if word.endswith("es") and len(word) > 4 and word[-3].lower() not in "aeiouäöüs":
        return word[:-2]
    if word.endswith("s") and not word.endswith("ss") and len(word) > 3:
        return word[:-1]
    return word


def nominative(body: str, article: str = "des") -> str:
    """The body as a name: "Rates der Gemeinde Lindenau" (after "Sitzung des") → "Rat der
    Gemeinde Lindenau"; "Technischen Ausschusses" → "Technischer Ausschuss". Feminine
    bodies ("Sitzung der Stadtverordnetenversammlung") are left as they are."""
    body = body.strip().rstrip(" .,:;")
    if article.lower() != "des":
        return body
    stop = re.search(r"\s+(?:der|des|für|von|im|in|zu|zur|zum|und\s+der)\s+", body)
    head, tail = (body[: stop.start()], body[stop.start() :]) if stop else (body, "")
    words = head.split(" ")
    for index, word in enumerate(words):
        if not word[:1].isupper() or word.endswith("-"):
            continue  # "und", "Haupt-" (in "Haupt- und Finanzausschusses")
        if word.endswith("en") and len(word) > 4 and index < len(words) - 1:
            words[index] = word[:-2] + "er"  # adjective: "Technischen" → "Technischer"
            continue
        words[index] = _strip_genitive(word)  # the noun; names may follow ("Stadtrats Lindenau")
        break
    return " ".join(words) + tail


def _find_date(text: str) -> str | None:
    for pattern, kind in ((_DATE_NUMERIC, "dmy"), (_DATE_WORDS, "words"), (_DATE_ISO, "iso")):
        for match in pattern.finditer(text):
            try:
                if kind == "iso":
                    day = dt.date(int(match[1]), int(match[2]), int(match[3]))
                else:
                    month = int(match[2]) if kind == "dmy" else _MONTHS[match[2].lower()]
                    year = int(match[3])
                    day = dt.date(year + 2000 if year < 100 else year, month, int(match[1]))
            except ValueError:
                continue
            return day.isoformat()
    return None


def _find_time(text: str, bare: bool = False) -> str | None:
    match = _TIME.search(text) or (_TIME_BARE.search(text) if bare else None)
    if not match:
        return None
    return f"{int(match[1]):02d}:{match[2] or '00'}"


# ---- reading the document ------------------------------------------------------------------------


class _Numbering:
    """Numbers of Word-numbered paragraphs (decimal lists), counted like Word does."""

    def __init__(self, document: Any) -> None:
        try:
            self._numbering = document.part.numbering_part.element
        except (KeyError, NotImplementedError, AttributeError):
            self._numbering = None
        self._counters: dict[str, list[int]] = {}

    def _level(self, num_id: str, ilvl: int) -> tuple[str, int] | None:
        """(numFmt, start) of a list level, or None where it is not defined."""
        if self._numbering is None:
            return None
        nums = _xpath(self._numbering, f'./w:num[@w:numId="{num_id}"]/w:abstractNumId/@w:val')
        if not nums:
            return None
        lvl = _xpath(
            self._numbering,
            f'./w:abstractNum[@w:abstractNumId="{nums[0]}"]/w:lvl[@w:ilvl="{ilvl}"]',
        )
        if not lvl:
            return None
        fmt = _xpath(lvl[0], "./w:numFmt/@w:val")
        start = _xpath(lvl[0], "./w:start/@w:val")
        return (fmt[0] if fmt else "decimal"), (int(start[0]) if start else 1)

    def number(self, paragraph: Any) -> str | None:
        """The number Word shows ("3", "4.2") for a paragraph in a decimal list, else None."""
        num_pr = _xpath(paragraph._p, "./w:pPr/w:numPr")
        style = paragraph.style
        while not num_pr and style is not None:
            num_pr = _xpath(style.element, "./w:pPr/w:numPr")
            style = style.base_style
        if not num_pr:
            return None
        num_ids = _xpath(num_pr[0], "./w:numId/@w:val")
        levels = _xpath(num_pr[0], "./w:ilvl/@w:val")
        if not num_ids or num_ids[0] == "0":
            return None
        num_id, ilvl = num_ids[0], int(levels[0]) if levels else 0
        counters = self._counters.setdefault(num_id, [])
        parts: list[str] = []
        for level in range(ilvl + 1):
            spec = self._level(num_id, level)
            if spec is None or spec[0] != "decimal":
                return None
            if len(counters) <= level:
                counters.append(spec[1] - 1 if level == ilvl else spec[1])
            if level == ilvl:
                counters[level] += 1
                del counters[level + 1 :]
            parts.append(str(counters[level]))
        return ".".join(parts)


class _Reader:
    def __init__(self, numbering: _Numbering, gated: bool) -> None:
        self.numbering = numbering
        self.in_agenda = not gated  # plain numbers count only after "Tagesordnung"
        self.public = True
        self.items: list[dict[str, Any]] = []
        self.header: list[str] = []  # non-item lines before the first item
        self.later: list[str] = []  # non-item lines after it

    # -- items

    def add_item(self, number: str, title: str, paper: str, public: bool | None) -> None:
        title, tail_paper = _split_paper(_clean(title))
        self.items.append(
            {
                "number": number,
                "title": title,
                "paper": _tidy_paper(paper) if paper else tail_paper,
                "public": self.public if public is None else public,
            }
        )

    def line(self, text: str, auto_number: str | None = None) -> None:
        text = _clean(text)
        if not text:
            return
        match = _TOP_LINE.match(text)
        if match and _has_letter(match["title"]):
            self.add_item(match["num"], match["title"], "", _public_flag(match["flag"]))
            return
        if self.in_agenda:
            match = _PLAIN_LINE.match(text)
            if (
                match
                and _has_letter(match["title"])
                and (match["sep"].strip() or "." in match["num"] or match["num"][-1].isalpha())
                and not re.match(r"^(?:\w+\s+)?Sitzung\b", match["title"], re.IGNORECASE)
            ):
                self.add_item(match["num"], match["title"], "", _public_flag(match["flag"]))
                return
            if auto_number and _has_letter(text) and not self._is_marker(text):
                self.add_item(auto_number, text, "", None)
                return
        paper = _PAPER_LINE.match(text)
        if paper and self.items and not self.items[-1]["paper"]:
            self.items[-1]["paper"] = _tidy_paper(paper["paper"])
            return
        self.other(text)

    def _is_marker(self, text: str) -> bool:
        match = _SECTION.match(text)
        return bool(match and (len(text) <= 40 or match["rest"]))

    def other(self, text: str) -> None:
        """A line that is no item: a section marker, the agenda heading or meeting data."""
        if self._is_marker(text):
            match = _SECTION.match(text)
            assert match is not None
            self.public = not match["non"]
        if _AGENDA_HEADING.match(text):
            self.in_agenda = True
        (self.later if self.items else self.header).append(text)

    # -- tables

    def table(self, table: Any) -> None:
        rows = [_row_cells(row) for row in table.rows]
        columns = _columns(rows)
        if columns is None:
            for cells in rows:
                self._layout_row(cells)
            return
        header, number_col, title_col, paper_col, public_col = columns
        for cells in rows[header + 1 :]:
            texts = [_clean(cell.text) for cell in cells]
            number_text = texts[number_col] if number_col < len(texts) else ""
            number = _NUMBER_CELL.match(number_text)
            title = texts[title_col] if title_col < len(texts) else ""
            if not number or not _has_letter(title):
                joined = _clean(" ".join(dict.fromkeys(t for t in texts if t)))
                if joined:
                    self.other(joined)
                continue
            paper = texts[paper_col] if paper_col is not None and paper_col < len(texts) else ""
            public = _public_flag(number["flag"])
            if public_col is not None and public_col < len(texts):
                public = _public_value(texts[public_col], public)
            self.add_item(number["num"], title, paper, public)

    def _layout_row(self, cells: list[Any]) -> None:
        texts = [_clean(cell.text) for cell in cells]
        label = texts[0].rstrip(":").strip() if texts else ""
        if (
            len(texts) == 2
            and texts[1]
            and 0 < len(label) <= 30
            and not re.search(r"\d", label)
            and not _SECTION.match(label)
        ):
            self.line(f"{label}: {texts[1]}")
            return
        for cell in cells:
            for paragraph in cell.paragraphs:
                self.line(paragraph.text, self.numbering.number(paragraph))


def _row_cells(row: Any) -> list[Any]:
    """The row's cells, each merged cell once."""
    cells: list[Any] = []
    seen: set[int] = set()
    for cell in row.cells:
        if id(cell._tc) not in seen:
            seen.add(id(cell._tc))
            cells.append(cell)
    return cells


def _header_kind(text: str) -> str:
    name = re.sub(r"[\s.:\-]+", " ", text.lower()).strip()
    if re.match(r"^(?:vorlage|drucksache|drs|ds\b|beschlussvorlage|antrag|nr der vorlage)", name):
        return "paper"
    if name in ("ö nö", "ö/nö", "ö n", "ö/n", "öffentlich", "öff", "status", "sitzungsteil"):
        return "public"
    if name in ("top", "top nr", "nr", "lfd nr", "punkt", "pkt", "tagesordnungspunkt", "ziffer"):
        return "number"
    if name.startswith(
        ("betreff", "gegenstand", "beratungsgegenstand", "verhandlungsgegenstand", "titel")
    ) or name in ("bezeichnung", "tagesordnung", "thema", "inhalt", "beratungspunkt"):
        return "title"
    return ""


def _columns(rows: list[list[Any]]) -> tuple[int, int, int, int | None, int | None] | None:
    """(header row, number, title, paper, public column) of an agenda table, else None."""
    for index, cells in enumerate(rows[:3]):
        kinds = [_header_kind(_clean(cell.text)) for cell in cells]
        if "number" in kinds and "title" in kinds:
            return (
                index,
                kinds.index("number"),
                kinds.index("title"),
                kinds.index("paper") if "paper" in kinds else None,
                kinds.index("public") if "public" in kinds else None,
            )
    # No header: TOP numbers in the first column and titles in the second.
    numbered = [
        cells
        for cells in rows
        if len(cells) >= 2
        and _NUMBER_CELL.match(_clean(cells[0].text))
        and _has_letter(cells[1].text)
    ]
    if not numbered or len(numbered) < max(1, len(rows) // 2):
        return None
    papers = [
        _clean(cells[2].text) for cells in numbered if len(cells) >= 3 and _clean(cells[2].text)
    ]
    paper_col = 2 if papers and all(re.search(r"\d", p) for p in papers) else None
    return -1, 0, 1, paper_col, None


def _public_value(text: str, default: bool | None) -> bool | None:
    value = text.strip().lower().rstrip(".")
    if value in ("ö", "öff", "öffentlich", "ja", "x"):
        return True
    if value in ("n", "nö", "nöff", "nichtöffentlich", "nicht öffentlich", "nein"):
        return False
    return default


def _blocks(document: Any) -> Iterator[Any]:
    yield from document.iter_inner_content()


def _meeting(reader: _Reader) -> dict[str, str]:
    """Meeting data from the non-item lines (those before the first item first)."""
    found: dict[str, str] = {}
    lines = reader.header + reader.later
    date_lines: list[tuple[bool, str]] = []  # (preferred, line)
    for text in lines:
        label = _LABEL.match(text)
        key = label["label"].strip().lower() if label else ""
        value = label["value"].strip() if label else ""
        if key in _BODY_LABELS:
            found.setdefault("body", value)
        elif key in _SESSION_LABELS:
            found.setdefault("session_number", value.split()[0])
        elif key in _PLACE_LABELS:
            found.setdefault("place", value)
        elif key in _TIME_LABELS and _find_time(value, bare=True):
            found.setdefault("start_time", _find_time(value, bare=True) or "")
        if key in _DATE_LABELS or key in _TIME_LABELS:
            date_lines.append((True, value))
        else:
            date_lines.append((_DATE_CUE.search(text) is not None, text))
        sentence = _BODY_SENTENCE.search(text)
        if sentence and "body" not in found and key not in _PLACE_LABELS:
            body = sentence["body"]
            end = _BODY_END.search(body)
            body = nominative(body[: end.start()] if end else body, sentence["article"])
            if _has_letter(body):
                found["body"] = body
        session = _SESSION_LINE.match(text) or _SESSION_SENTENCE.search(text)
        if session and "session_number" not in found:
            found["session_number"] = session["num"]
    for preferred in (True, False):
        for _, text in (entry for entry in date_lines if entry[0] is preferred):
            date = _find_date(text)
            if date and "date" not in found:
                found["date"] = date
                time = _find_time(text)
                if time and "start_time" not in found:
                    found["start_time"] = time
    if "start_time" not in found:
        for _, text in date_lines:
            time = _find_time(text)
            if time:
                found["start_time"] = time
                break
    return found


def parse_document(document: Any, source: str) -> Agenda:
    """The agenda in an opened python-docx Document; `source` names it in errors."""
    blocks = list(_blocks(document))
    texts = [_clean(getattr(block, "text", "")) for block in blocks]
    gated = any(_AGENDA_HEADING.match(text) for text in texts)
    numbering = _Numbering(document)
    reader = _Reader(numbering, gated)
    for block in blocks:
        if hasattr(block, "rows"):
            reader.table(block)
        else:
            reader.line(block.text, numbering.number(block))
    if not reader.items:
        raise AgendaError(
            f"Tagesordnung „{source}“: keine Tagesordnungspunkte gefunden. Erwartet wird eine "
            "Tabelle mit den Spalten „TOP“ und „Betreff“ (optional „Vorlage“) oder Absätze wie "
            "„TOP 1: Genehmigung der Niederschrift“ bzw. „1. Genehmigung der Niederschrift“."
        )
    meeting = _meeting(reader)
    missing = []
    if "body" not in meeting:
        missing.append(
            "das Gremium (z. B. „Sitzung des Rates der Gemeinde Lindenau“ oder "
            "„Gremium: Rat der Gemeinde Lindenau“)"
        )
    if "date" not in meeting:
        missing.append(
            "das Datum der Sitzung (z. B. „am 19.11.2026, 18:00 Uhr“ oder „Datum: 19.11.2026“)"
        )
    if missing:
        raise AgendaError(
            f"Tagesordnung „{source}“: {' und '.join(missing)} nicht gefunden; "
            "bitte in der Einladung ergänzen oder die Tagesordnung als .toml angeben."
        )
    return agenda_from_data({"meeting": meeting, "items": reader.items}, source)


def load_agenda_docx(path: Path) -> Agenda:
    """Read the agenda from a DOCX invitation; every problem is an AgendaError."""
    if not path.is_file():
        raise AgendaError(f"Tagesordnung „{path}“ wurde nicht gefunden.")

    try:
        document = docx.Document(str(path))
    except Exception as exc:  # zip, XML or package errors: the file is no usable DOCX
        raise AgendaError(
            f"Tagesordnung „{path.name}“ ist keine lesbare DOCX-Datei ({type(exc).__name__}); "
            "eine .doc-Datei bitte in Word als .docx speichern."
        ) from None
    return parse_document(document, path.name)
