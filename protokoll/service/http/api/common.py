"""Helpers shared by several modules of the JSON API: the public view of a user account and
the German names of downloaded files. Nothing here imports an API module."""

from __future__ import annotations

import unicodedata
from email.utils import encode_rfc2231
from typing import Any

from protokoll.documents import artifacts
from protokoll.service.infra.storage import safe_display_name
from protokoll.service.infra.tables import Meeting, User


def user_view(user: User) -> dict[str, Any]:
    return {
        "id": user.id,
        "username": user.username,
        "display_name": user.display_name,
        "roles": sorted(user.role_set),
        "active": user.active,
        "must_change_password": user.must_change_password,
        "municipality_id": user.municipality_id,
    }


def download_prefix(meeting: Meeting) -> str:
    """The start of a download's file name: meeting date and body, without quotes."""
    return f"{meeting.date.isoformat()}_{safe_display_name(meeting.body)}".replace('"', "")


def download_filename(meeting: Meeting, name: str, version: int | None = None) -> str:
    """The whole download name of a stored document, German throughout:
    ``2026-11-19_Gemeinderat_Niederschrift.docx``, ``…_Transkript.json``."""
    return f"{download_prefix(meeting)}_{artifacts.download_name(name, version)}"


def attachment(filename: str) -> dict[str, str]:
    """The Content-Disposition header of a download (RFC 6266): an ASCII `filename` for old
    clients, and the exact name as `filename*` in RFC 5987 encoding (UTF-8, percent-escaped
    by the standard library). Any name is safe here: en dashes, umlauts, quotes."""
    ascii_name = unicodedata.normalize("NFKD", filename).encode("ascii", "ignore").decode()
    ascii_name = "".join(c if c.isprintable() and c not in '"\\' else "_" for c in ascii_name)
    value = f'attachment; filename="{ascii_name or "download"}"'
    if ascii_name != filename:
        value += f"; filename*={encode_rfc2231(filename, 'utf-8')}"
    return {"Content-Disposition": value}
