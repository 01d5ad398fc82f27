"""Helpers shared by several modules of the JSON API: the public view of a user account and
the date-and-body prefix of downloaded file names. Nothing here imports an API module."""

from __future__ import annotations

from typing import Any

from protokoll.service.infra.storage import safe_display_name
from protokoll.service.infra.tables import Meeting, User


def user_view(user: User) -> dict[str, Any]:
    return {
        "id": user.id,
        "username": user.username,
        "display_name": user.display_name,
        "roles": sorted(user.role_set),
        "active": user.active,
    }


def download_prefix(meeting: Meeting) -> str:
    """The start of a download's file name: meeting date and body, without quotes."""
    return f"{meeting.date.isoformat()}_{safe_display_name(meeting.body)}".replace('"', "")
