"""The agenda file: meeting data, member list and agenda items (TOML or JSON).

Format (see `samples/agenda.toml` and `docs/agenda-format.md`)::

    vocabulary = ["Lindenweg", ...]          # optional extra terms for transcription
    [meeting]   body, session_number, date (YYYY-MM-DD), place, start_time (HH:MM)
    [[members]] name, role, faction, chair, administration, absent
    [[items]]   number, title, paper, public

Errors name the line (TOML syntax) or the field (content) that is wrong.
"""

from __future__ import annotations

import json
import re
import tomllib
from datetime import date
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from protokoll.errors import AgendaError


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Meeting(_Strict):
    body: str = Field(min_length=1)
    session_number: str = ""
    date: date
    place: str = ""
    start_time: str = ""

    @field_validator("start_time")
    @classmethod
    def _time(cls, value: str) -> str:
        if value and not re.fullmatch(r"([01]\d|2[0-3]):[0-5]\d", value):
            raise ValueError("Uhrzeit im Format HH:MM erwartet")
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


class Agenda(_Strict):
    vocabulary: list[str] = Field(default_factory=list)
    meeting: Meeting
    members: list[Member] = Field(default_factory=list)
    items: list[AgendaItem] = Field(default_factory=list)

    @property
    def present_members(self) -> list[Member]:
        return [m for m in self.members if not m.absent]

    def vocabulary_hint(self) -> list[str]:
        """Terms for the recogniser: names, places, agenda titles and the extra vocabulary."""
        terms = [m.name for m in self.present_members]
        terms += [self.meeting.body, self.meeting.place]
        terms += [item.title for item in self.items]
        terms += self.vocabulary
        return [t for t in terms if t]

    def max_speakers(self) -> int | None:
        """Everyone present may speak: the upper bound for diarization."""
        return len(self.present_members) or None

    def meeting_facts(self) -> dict[str, str]:
        m = self.meeting
        facts = {"body": m.body, "date": m.date.strftime("%d.%m.%Y")}
        if m.session_number:
            facts["session_number"] = m.session_number
        if m.place:
            facts["place"] = m.place
        if m.start_time:
            facts["start_time"] = m.start_time
        return facts


def _field_path(loc: tuple[object, ...], data: object) -> str:
    parts: list[str] = []
    node = data
    for key in loc:
        if isinstance(key, int):
            label = parts.pop() if parts else "Eintrag"
            name = ""
            if isinstance(node, list) and key < len(node) and isinstance(node[key], dict):
                name = str(node[key].get("number") or node[key].get("name") or "")
            parts.append(f"{label}[{key + 1}]" + (f" ({name})" if name else ""))
        else:
            parts.append(str(key))
        if isinstance(node, dict | list):
            try:
                node = node[key]  # type: ignore[index]
            except (KeyError, IndexError, TypeError):
                node = None
    return ".".join(parts)


def parse_agenda(text: str, source: str, fmt: str) -> Agenda:
    try:
        if fmt == "json":
            data = json.loads(text)
        else:
            data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise AgendaError(f"Tagesordnung {source}: TOML-Syntaxfehler – {exc}.") from None
    except json.JSONDecodeError as exc:
        raise AgendaError(
            f"Tagesordnung {source}: JSON-Syntaxfehler in Zeile {exc.lineno}, "
            f"Spalte {exc.colno} – {exc.msg}."
        ) from None
    try:
        agenda = Agenda.model_validate(data)
    except ValidationError as exc:
        problems = []
        for err in exc.errors():
            where = _field_path(tuple(err["loc"]), data)
            if err["type"] == "missing":
                problems.append(f"Feld „{where}“ fehlt")
            elif err["type"] == "extra_forbidden":
                problems.append(f"unbekanntes Feld „{where}“")
            else:
                problems.append(f"Feld „{where}“: {err['msg']}")
        raise AgendaError(f"Tagesordnung {source} ist fehlerhaft: " + "; ".join(problems)) from None
    numbers = [item.number for item in agenda.items]
    duplicates = sorted({n for n in numbers if numbers.count(n) > 1})
    if duplicates:
        raise AgendaError(
            f"Tagesordnung {source}: TOP-Nummer(n) mehrfach vergeben: {', '.join(duplicates)}."
        )
    return agenda


def load_agenda(path: Path) -> Agenda:
    if not path.is_file():
        raise AgendaError(f"Tagesordnung „{path}“ wurde nicht gefunden.")
    suffix = path.suffix.lower()
    if suffix not in (".toml", ".json"):
        raise AgendaError(
            f"Tagesordnung „{path.name}“: unbekanntes Format; erwartet wird .toml oder .json."
        )
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise AgendaError(f"Tagesordnung „{path.name}“ ist keine UTF-8-Textdatei.") from None
    return parse_agenda(text, path.name, suffix[1:])
