"""The agenda file: meeting data, member list and agenda items (TOML or JSON).

The data types of the agenda and the checks every agenda source goes through. Reading one
from wherever it is (file, DOCX invitation, OParl server) is `protokoll.agenda.load`.

Format (see `samples/agenda.toml` and `docs/agenda-format.md`)::

    vocabulary = ["Lindenweg", ...]          # optional extra terms for transcription
    [meeting]   body, session_number, date (YYYY-MM-DD), place, start_time (HH:MM)
    [[members]] name, role, faction, chair, administration, absent
    [[items]]   number, title, paper, public

Errors are German `AgendaError`s that name the line and column (syntax) or the field
(content) that is wrong; entries are counted from 1 and labelled with the TOP number or
the member's name, e.g. `items[2] (TOP 2).title`. Unknown fields are errors.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import tomllib
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from protokoll.config import validation_message
from protokoll.errors import AgendaError
from protokoll.formatting import date_de


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


def _number_as_text(value: object) -> object:
    """Accept `number = 3` as well as `number = "3"` (TOP and session numbers are text)."""
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return value


class AgendaMeeting(_Strict):
    body: str = Field(min_length=1)
    session_number: str = ""
    date: dt.date
    place: str = ""
    start_time: str = ""

    _session_number = field_validator("session_number", mode="before")(_number_as_text)

    @field_validator("date", mode="before")
    @classmethod
    def _date(cls, value: object) -> object:
        if isinstance(value, int | float):  # pydantic would read a number as a Unix time
            raise ValueError("gültiges Datum im Format JJJJ-MM-TT erwartet, z. B. 2026-11-19")
        return value

    @field_validator("start_time", mode="before")
    @classmethod
    def _time(cls, value: object) -> object:
        if isinstance(value, dt.time):  # TOML `start_time = 18:00:00`
            return value.strftime("%H:%M")
        if isinstance(value, str) and value.strip():
            match = re.fullmatch(r"([01]?\d|2[0-3]):([0-5]\d)", value.strip())
            if not match:
                raise ValueError("Uhrzeit im Format HH:MM erwartet, z. B. 18:00")
            return f"{int(match[1]):02d}:{match[2]}"
        return value


class Member(_Strict):
    name: str = Field(min_length=1)
    role: str = ""
    faction: str = ""
    chair: bool = False
    administration: bool = False
    absent: bool = False


class AgendaItem(_Strict):
    number: str = Field(min_length=1)
    title: str = Field(min_length=1)
    paper: str = ""
    public: bool = True

    _number = field_validator("number", mode="before")(_number_as_text)


class Agenda(_Strict):
    vocabulary: list[str] = Field(default_factory=list)
    meeting: AgendaMeeting
    members: list[Member] = Field(default_factory=list)
    items: list[AgendaItem] = Field(default_factory=list)

    @property
    def present_members(self) -> list[Member]:
        return [m for m in self.members if not m.absent]

    def vocabulary_hint(self) -> list[str]:
        """Terms for the recogniser: names, places, agenda titles and the extra vocabulary.

        Each term once, in this order: present members, body, place, item titles, vocabulary.
        """
        terms = [m.name for m in self.present_members]
        terms += [self.meeting.body, self.meeting.place]
        terms += [item.title for item in self.items]
        terms += self.vocabulary
        return list(dict.fromkeys(t for t in terms if t))

    def max_speakers(self) -> int | None:
        """Everyone present may speak: the upper bound for diarization."""
        return len(self.present_members) or None

    def meeting_facts(self) -> dict[str, str]:
        m = self.meeting
        facts = {"body": m.body, "date": date_de(m.date)}
        if m.session_number:
            facts["session_number"] = m.session_number
        if m.place:
            facts["place"] = m.place
        if m.start_time:
            facts["start_time"] = m.start_time
        return facts


# The table at each (list-free) path, for naming the allowed fields of an unknown one.
_TABLES: dict[tuple[str, ...], type[BaseModel]] = {
    (): Agenda,
    ("meeting",): AgendaMeeting,
    ("members",): Member,
    ("items",): AgendaItem,
}


def _field_path(loc: Sequence[object], data: object) -> str:
    """`items[2] (TOP 2).title` for ("items", 1, "title"): 1-based, with the TOP or the name."""
    parts: list[str] = []
    node: Any = data
    for key in loc:
        child: Any = None
        if isinstance(key, int):
            label = parts.pop() if parts else "Eintrag"
            if isinstance(node, list) and 0 <= key < len(node):
                child = node[key]
            name = ""
            if isinstance(child, dict):
                if child.get("number") not in (None, ""):
                    name = f"TOP {child['number']}"
                elif child.get("name"):
                    name = str(child["name"])
            parts.append(f"{label}[{key + 1}]" + (f" ({name})" if name else ""))
        else:
            if isinstance(node, dict):
                child = node.get(key)
            parts.append(str(key))
        node = child
    return ".".join(parts)


def _describe(err: Any, data: object) -> str:
    loc = tuple(err["loc"])
    where = _field_path(loc, data)
    if err["type"] == "missing":
        return f"Feld „{where}“ fehlt"
    if err["type"] == "extra_forbidden":
        table = _TABLES.get(tuple(str(k) for k in loc[:-1] if not isinstance(k, int)))
        allowed = f" (erlaubt: {', '.join(table.model_fields)})" if table else ""
        return f"unbekanntes Feld „{where}“{allowed}"
    return f"Feld „{where}“: {validation_message(err)}"


def _line_context(text: str, line: int) -> str:
    lines = text.splitlines()
    shown = lines[line - 1].strip() if 0 < line <= len(lines) else ""
    return f" (Zeile {line}: {shown[:80]})" if shown else ""


def _toml_error(exc: tomllib.TOMLDecodeError, text: str, source: str) -> AgendaError:
    message = str(exc)
    match = re.search(r"^(.*) \(at line (\d+), column (\d+)\)$", message)
    if not match:
        reason = message.replace(" (at end of document)", "")
        return AgendaError(f"Tagesordnung {source}: TOML-Syntaxfehler am Dateiende – {reason}.")
    reason, line, column = match[1], int(match[2]), int(match[3])
    return AgendaError(
        f"Tagesordnung {source}: TOML-Syntaxfehler in Zeile {line}, Spalte {column} "
        f"– {reason}.{_line_context(text, line)}"
    )


def _decode(text: str, source: str, fmt: str) -> dict[str, Any]:
    """TOML or JSON text → a dict; syntax errors become AgendaErrors with line and column."""
    try:
        data = json.loads(text) if fmt == "json" else tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise _toml_error(exc, text, source) from None
    except json.JSONDecodeError as exc:
        raise AgendaError(
            f"Tagesordnung {source}: JSON-Syntaxfehler in Zeile {exc.lineno}, "
            f"Spalte {exc.colno} – {exc.msg}.{_line_context(text, exc.lineno)}"
        ) from None
    if not isinstance(data, dict):
        raise AgendaError(
            f"Tagesordnung {source} ist fehlerhaft: erwartet wird ein Objekt mit den Feldern "
            "„meeting“, „members“ und „items“."
        )
    return data


def agenda_from_data(data: dict[str, Any], source: str) -> Agenda:
    """Check decoded agenda data (as in the TOML/JSON file) and build the Agenda.

    Also used by the OParl and DOCX importers, so that every source is checked by the same
    rules and reported in the same words; `source` names it in errors."""
    try:
        agenda = Agenda.model_validate(data)
    except ValidationError as exc:
        problems = [_describe(err, data) for err in exc.errors()]
        raise AgendaError(f"Tagesordnung {source} ist fehlerhaft: " + "; ".join(problems)) from None
    numbers = [item.number for item in agenda.items]
    duplicates = sorted({n for n in numbers if numbers.count(n) > 1})
    if duplicates:
        raise AgendaError(
            f"Tagesordnung {source}: TOP-Nummer(n) mehrfach vergeben: {', '.join(duplicates)}."
        )
    return agenda


def parse_agenda(text: str, source: str, fmt: str) -> Agenda:
    """Parse and check an agenda; `fmt` is "toml" or "json", `source` names it in errors."""
    return agenda_from_data(_decode(text, source, fmt), source)


def _read_text(path: Path) -> tuple[str, str]:
    """The text of a `.toml`/`.json` agenda file and its format; problems are AgendaErrors."""
    if not path.is_file():
        raise AgendaError(f"Tagesordnung „{path}“ wurde nicht gefunden.")
    suffix = path.suffix.lower()
    if suffix not in (".toml", ".json"):
        raise AgendaError(
            f"Tagesordnung „{path.name}“: unbekanntes Format „{path.suffix or '(keine Endung)'}“; "
            "erwartet wird eine Datei mit der Endung .toml oder .json."
        )
    try:
        text = path.read_text(encoding="utf-8-sig")  # tolerate the BOM some editors write
    except UnicodeDecodeError:
        raise AgendaError(
            f"Tagesordnung „{path.name}“ ist keine UTF-8-Textdatei; bitte als UTF-8 speichern."
        ) from None
    except OSError as exc:
        raise AgendaError(
            f"Tagesordnung „{path}“ kann nicht gelesen werden: {exc.strerror or exc}."
        ) from None
    return text, suffix[1:]


def load_agenda(path: Path) -> Agenda:
    """Read an agenda file (`.toml` or `.json`, UTF-8); every problem is an AgendaError."""
    text, fmt = _read_text(path)
    return parse_agenda(text, path.name, fmt)


class _MemberList(_Strict):
    """A member list: an agenda file whose `meeting` and `items` (if any) are not used."""

    vocabulary: list[str] = Field(default_factory=list)
    meeting: dict[str, Any] | None = None
    members: list[Member] = Field(default_factory=list)
    items: list[dict[str, Any]] | None = None


def load_members(path: Path) -> tuple[list[Member], list[str]]:
    """The members and the vocabulary of a `.toml`/`.json` file in the agenda format.

    `[meeting]` and `[[items]]` may be there (any agenda file will do) but are not needed,
    so a standing list of the council's members can be kept in a file of its own."""
    text, fmt = _read_text(path)
    data = _decode(text, path.name, fmt)
    try:
        members = _MemberList.model_validate(data)
    except ValidationError as exc:
        problems = [_describe(err, data) for err in exc.errors()]
        raise AgendaError(
            f"Mitgliederliste {path.name} ist fehlerhaft: " + "; ".join(problems)
        ) from None
    if not members.members:
        raise AgendaError(
            f"Mitgliederliste {path.name} enthält keine Mitglieder ([[members]] fehlt)."
        )
    return list(members.members), list(members.vocabulary)
