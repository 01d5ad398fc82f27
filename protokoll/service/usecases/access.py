"""Who may do what. Every endpoint (API and web) asks here; nothing else decides.

Roles (a user may hold several):

- schriftfuehrer: creates meetings, uploads recordings, starts jobs; sees own meetings
- pruefer (reviewer): sees every meeting in full, reviews and edits (issue #5)
- admin: manages users and settings; sees the list of meetings and only public
  documents, never recordings, transcripts or non-public items
- kreisadmin (district administrator): manages the municipalities of an installation
  serving several (see municipalities.py); sees no meeting of any of them

Every right holds only within the user's own municipality: a meeting of another one is
"not found", like one that never existed.

"Confidential" is everything that may contain non-public items: the recording,
the transcripts (they cover the whole session) and the full minutes.
"""

from __future__ import annotations

from protokoll.documents import artifacts
from protokoll.errors import ProtokollError
from protokoll.service.infra.tables import Meeting, User


class NotFound(ProtokollError):
    """Unknown, or not visible to this user (both look the same, by design)."""


class Forbidden(ProtokollError):
    pass


class Conflict(ProtokollError):
    pass


class Gone(ProtokollError):
    """Existed, but was deleted on purpose (retention)."""


def can_create_meeting(user: User) -> bool:
    return user.has("schriftfuehrer") and user.municipality_id is not None


def can_manage_users(user: User) -> bool:
    return user.has("admin") and user.municipality_id is not None


def can_manage_municipalities(user: User) -> bool:
    return user.has("kreisadmin")


def same_municipality(user: User, meeting: Meeting) -> bool:
    return user.municipality_id is not None and user.municipality_id == meeting.municipality_id


def owns(user: User, meeting: Meeting) -> bool:
    return (
        user.has("schriftfuehrer")
        and meeting.owner_id == user.id
        and same_municipality(user, meeting)
    )


def can_view(user: User, meeting: Meeting) -> bool:
    if not same_municipality(user, meeting):
        return False
    return owns(user, meeting) or user.has("pruefer") or user.has("admin")


def can_see_confidential(user: User, meeting: Meeting) -> bool:
    if not same_municipality(user, meeting):
        return False
    return owns(user, meeting) or user.has("pruefer")


def can_modify(user: User, meeting: Meeting) -> bool:
    """Upload recordings, change the agenda, start, retry, re-run and cancel jobs."""
    return owns(user, meeting)


def can_delete(user: User, meeting: Meeting) -> bool:
    return owns(user, meeting) or (user.has("admin") and same_municipality(user, meeting))


def visible_outputs(
    user: User, meeting: Meeting, files: list[str], *, has_non_public: bool
) -> list[str]:
    """The job's documents this user may download."""
    if can_see_confidential(user, meeting):
        return files
    return artifacts.public_names(files, has_non_public=has_non_public)


def require(condition: bool, message: str) -> None:
    if not condition:
        raise Forbidden(message)
