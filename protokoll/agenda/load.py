"""Where an agenda comes from: a TOML/JSON file, a DOCX invitation or an OParl server.

All sources end in `protokoll.domain.agenda.agenda_from_data`, so every agenda is checked
by the same rules and reported in the same words.
"""

from __future__ import annotations

import re
from pathlib import Path

from protokoll.agenda import oparl_client as oparl
from protokoll.agenda.docx_invitation import load_agenda_docx
from protokoll.agenda.fetch_policy import FetchPolicy
from protokoll.domain.agenda import Agenda, load_agenda, load_members
from protokoll.errors import AgendaError


def is_url(source: str | Path) -> bool:
    """Whether an agenda source names a web address (`scheme://…`) rather than a file."""
    return isinstance(source, str) and re.match(r"^[A-Za-z][A-Za-z0-9+.-]*://", source) is not None


def load_agenda_source(
    source: str | Path,
    *,
    members_from: str | Path | None = None,
    timeout: float | None = None,
    policy: FetchPolicy | None = None,
) -> Agenda:
    """Read an agenda from wherever it is: a `.toml`, `.json` or `.docx` file, or the
    http(s) address of an OParl Meeting.

    `members_from` names a `.toml`/`.json` file in the agenda format whose `members` replace
    those of the source and whose `vocabulary` is added to it; a DOCX invitation lists no
    members, and OParl knows no factions. `timeout` (seconds) applies to each OParl request.
    Every problem is an AgendaError.
    """
    if is_url(source):
        agenda = oparl.load_meeting(
            str(source),
            timeout=oparl.DEFAULT_TIMEOUT if timeout is None else timeout,
            policy=policy,
        )
    else:
        path = Path(source)
        suffix = path.suffix.lower()
        if suffix == ".docx":
            agenda = load_agenda_docx(path)
        elif suffix in (".toml", ".json") or not path.is_file():
            agenda = load_agenda(path)
        else:
            raise AgendaError(
                f"Tagesordnung „{path.name}“: unbekanntes Format "
                f"„{path.suffix or '(keine Endung)'}“; erwartet wird eine Datei mit der Endung "
                ".toml, .json oder .docx oder die http(s)-Adresse einer OParl-Sitzung."
            )
    if members_from is not None:
        members, vocabulary = load_members(Path(members_from))
        agenda = agenda.model_copy(
            update={
                "members": members,
                "vocabulary": list(dict.fromkeys([*agenda.vocabulary, *vocabulary])),
            }
        )
    return agenda
