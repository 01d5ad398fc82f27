"""The read-only OParl 1.1 interface (issue #19): published minutes for a council
information system (Ratsinformationssystem), anonymous, under ``/oparl/``.

Only published minutes appear (review state "veroeffentlicht"), and of them only what the
public OParl export holds: each Meeting is `publishing.oparl_object` of the published
version, the same object as the ``oparl.json`` written at publication (non-public items
left out entirely), and its files are the public version's PDF and DOCX. Papers and
Consultations are derived from those Meetings (`protokoll.publication.oparl_objects`).
Everything else, a draft, an unpublished meeting, a non-public item or the full version's
files, is "not found" here, the same answer as for what never existed.

Every id must be a URL at which this interface answers, so without ``[review]
public_base_url`` it answers nothing but a German 503 (`OParlUnavailable`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import ColumnElement, Select, func, select
from sqlalchemy.orm import Session

from protokoll.errors import ProtokollError
from protokoll.publication import PublicationError
from protokoll.publication import oparl_objects as objects
from protokoll.publication.oparl_ids import BODY_KEY, OParlUrls, split_item_key
from protokoll.publication.oparl_objects import ListQuery, Municipality
from protokoll.service.context import ServiceContext
from protokoll.service.infra.tables import DEFAULT_MUNICIPALITY, Meeting, Review, ReviewEvent
from protokoll.service.usecases import minutes_review, publishing
from protokoll.service.usecases.access import NotFound

PUBLISHED = "veroeffentlicht"
PUBLISH_ACTION = "veroeffentlichen"
DEFAULT_BODY_NAME = "Kommune"


class OParlUnavailable(ProtokollError):
    """The interface cannot answer: it has no public address to write ids with (503)."""


_NOT_CONFIGURED = (
    "Die OParl-Schnittstelle ist nicht eingerichtet: Es fehlt die öffentliche Adresse des "
    "Dienstes ([review] public_base_url in config.toml, z. B. "
    "https://rat.musterstadt.de/protokoll). Ohne sie hätten die OParl-Objekte keine "
    "abrufbaren Adressen. Bitte den Betrieb informieren."
)
_NO_MEETING = "Diese Sitzung gibt es nicht, oder ihre Niederschrift ist nicht veröffentlicht."
_NO_OBJECT = "Dieses OParl-Objekt gibt es nicht."


def oparl_urls(ctx: ServiceContext) -> OParlUrls:
    """The ids' base; `OParlUnavailable` (German) without or with an invalid address."""
    base_url = ctx.settings.review.public_base_url.strip()
    if not base_url:
        raise OParlUnavailable(_NOT_CONFIGURED)
    try:
        return OParlUrls.from_setting(base_url)
    except PublicationError as exc:
        raise OParlUnavailable(f"Die OParl-Schnittstelle ist nicht nutzbar: {exc}") from None


def municipality(ctx: ServiceContext) -> Municipality:
    """[oparl], where empty the [ai_register] entry (read only), where empty a default."""
    oparl, register = ctx.settings.oparl, ctx.settings.ai_register
    return Municipality(
        name=oparl.body_name.strip() or register.organization.strip() or DEFAULT_BODY_NAME,
        short_name=oparl.body_short_name,
        website=oparl.website or register.website,
        contact_email=oparl.contact_email or register.contact_email,
        contact_name=oparl.contact_name,
        license=oparl.license,
    )


# ---- published meetings --------------------------------------------------------------------


@dataclass(frozen=True)
class PublishedMeeting:
    meeting: Meeting
    number: int  # the published version
    published_at: dt.datetime

    @property
    def created(self) -> dt.datetime:
        return self.meeting.created_at

    @property
    def modified(self) -> dt.datetime:
        return max(self.meeting.created_at, self.published_at)


def _published_query() -> tuple[Select[Any], ColumnElement[Any]]:
    """Meeting, published version and moment of publication of each published meeting;
    and the column of that moment."""
    publication = (
        select(ReviewEvent.meeting_id, func.max(ReviewEvent.at).label("at"))
        .where(ReviewEvent.action == PUBLISH_ACTION)
        .group_by(ReviewEvent.meeting_id)
        .subquery()
    )
    query = (
        select(Meeting, Review.published_number, publication.c.at)
        .join(Review, Review.meeting_id == Meeting.id)
        .join(publication, publication.c.meeting_id == Meeting.id)
        .where(Review.state == PUBLISHED, Review.published_number.is_not(None))
    )
    return query, publication.c.at


def _municipality(ctx: ServiceContext) -> str:
    return ctx.municipality or DEFAULT_MUNICIPALITY


def published_meetings(ctx: ServiceContext, s: Session) -> list[PublishedMeeting]:
    """The municipality's published meetings, in the order of publication (a stable order
    for paging: a new publication comes last)."""
    query, published_at = _published_query()
    query = query.where(Meeting.municipality_id == _municipality(ctx))
    rows = s.execute(query.order_by(published_at, Meeting.id))
    return [PublishedMeeting(meeting, number, at) for meeting, number, at in rows]


def published_meeting(ctx: ServiceContext, s: Session, meeting_id: str) -> PublishedMeeting:
    query, _published_at = _published_query()
    query = query.where(Meeting.id == meeting_id, Meeting.municipality_id == _municipality(ctx))
    row = s.execute(query).first()
    if row is None:
        raise NotFound(_NO_MEETING)
    meeting, number, at = row
    return PublishedMeeting(meeting, number, at)


def meeting_object(
    ctx: ServiceContext, s: Session, published: PublishedMeeting, *, with_files: bool = True
) -> dict[str, Any]:
    """The published meeting as an OParl Meeting (what ``oparl.json`` holds)."""
    meeting = published.meeting
    version = minutes_review.get_version(s, meeting.id, published.number)
    return publishing.oparl_object(
        ctx, meeting, publishing.published_minutes(version), published.published_at,
        ctx.layout.published(meeting.id), base_url=oparl_urls(ctx).base, with_files=with_files,
    )  # fmt: skip


# ---- what the router serves ----------------------------------------------------------------


def system(ctx: ServiceContext) -> dict[str, Any]:
    return objects.system_object(oparl_urls(ctx), municipality(ctx))


def require_body(body_key: str) -> None:
    """The one Body's key in a path; anything else is not found."""
    if body_key != BODY_KEY:
        raise NotFound(_NO_OBJECT)


def body(ctx: ServiceContext) -> dict[str, Any]:
    return objects.body_object(oparl_urls(ctx), municipality(ctx))


def body_list(ctx: ServiceContext, query: ListQuery) -> dict[str, Any]:
    return _page(ctx, [body(ctx)], oparl_urls(ctx).bodies(), query)


EMPTY_LISTS = ("organization", "person")


def empty_list(ctx: ServiceContext, kind: str, query: ListQuery) -> dict[str, Any]:
    """The Body's lists this service has nothing for (organization, person)."""
    if kind not in EMPTY_LISTS:
        raise NotFound(_NO_OBJECT)
    return _page(ctx, [], oparl_urls(ctx).body_list(kind), query)


def meeting_list(ctx: ServiceContext, s: Session, query: ListQuery) -> dict[str, Any]:
    """The published meetings: filtered by their times before any minutes are read, and
    only the asked page is built."""
    urls = oparl_urls(ctx)
    entries = [p for p in published_meetings(ctx, s) if query.admits(p.created, p.modified)]
    page = _paginate(ctx, entries, query)
    data = [meeting_object(ctx, s, p) for p in page.entries]
    return objects.list_object(page, data, url=urls.body_list("meeting"), query=query)


def paper_list(ctx: ServiceContext, s: Session, query: ListQuery) -> dict[str, Any]:
    entries = [p for p in _papers(ctx, s) if query.admits_object(p)]
    return _page(ctx, entries, oparl_urls(ctx).body_list("paper"), query)


def meeting(ctx: ServiceContext, s: Session, meeting_id: str) -> dict[str, Any]:
    return meeting_object(ctx, s, published_meeting(ctx, s, meeting_id))


def agenda_item(ctx: ServiceContext, s: Session, key: str) -> dict[str, Any]:
    meeting_id, order = _item_key(key)
    return _embedded(ctx, s, meeting_id, oparl_urls(ctx).agenda_item(meeting_id, order))


def location(ctx: ServiceContext, s: Session, meeting_id: str) -> dict[str, Any]:
    return _embedded(ctx, s, meeting_id, oparl_urls(ctx).location(meeting_id))


def file(ctx: ServiceContext, s: Session, meeting_id: str, file_name: str) -> dict[str, Any]:
    return _embedded(ctx, s, meeting_id, oparl_urls(ctx).file(meeting_id, file_name))


def consultation(ctx: ServiceContext, s: Session, key: str) -> dict[str, Any]:
    meeting_id, order = _item_key(key)
    consultation_id = oparl_urls(ctx).consultation(meeting_id, order)
    found = objects.consultation_object(_papers(ctx, s), consultation_id)
    if found is None:
        raise NotFound(_NO_OBJECT)
    return found


def paper(ctx: ServiceContext, s: Session, reference: str) -> dict[str, Any]:
    paper_id = oparl_urls(ctx).paper(reference)
    found = next((p for p in _papers(ctx, s) if p["id"] == paper_id), None)
    if found is None:
        raise NotFound(_NO_OBJECT)
    return found


@dataclass(frozen=True)
class FileToServe:
    meeting: Meeting
    path: Path
    mime_type: str
    file_name: str


def file_content(ctx: ServiceContext, s: Session, meeting_id: str, file_name: str) -> FileToServe:
    """A published public document that the meeting's OParl object lists, nothing else."""
    file_id = oparl_urls(ctx).file(meeting_id, file_name)
    published, described = _embedded_in(ctx, s, meeting_id, file_id)
    path = ctx.layout.published(published.meeting.id) / described["fileName"]
    if not path.is_file():
        raise NotFound(_NO_OBJECT)
    return FileToServe(published.meeting, path, described["mimeType"], described["fileName"])


# ---- helpers -------------------------------------------------------------------------------


def _papers(ctx: ServiceContext, s: Session) -> list[dict[str, Any]]:
    meetings = (meeting_object(ctx, s, p, with_files=False) for p in published_meetings(ctx, s))
    return objects.papers(oparl_urls(ctx), meetings)


def _embedded(ctx: ServiceContext, s: Session, meeting_id: str, object_id: str) -> dict[str, Any]:
    return _embedded_in(ctx, s, meeting_id, object_id)[1]


def _embedded_in(
    ctx: ServiceContext, s: Session, meeting_id: str, object_id: str
) -> tuple[PublishedMeeting, dict[str, Any]]:
    """The published meeting, and the object ``object_id`` embedded in its OParl Meeting."""
    published = published_meeting(ctx, s, meeting_id)
    found = objects.embedded_object(meeting_object(ctx, s, published), object_id)
    if found is None:
        raise NotFound(_NO_OBJECT)
    return published, found


def _item_key(key: str) -> tuple[str, int]:
    parts = split_item_key(key)
    if parts is None:
        raise NotFound(_NO_OBJECT)
    return parts


def _paginate(ctx: ServiceContext, entries: list[Any], query: ListQuery) -> objects.Page[Any]:
    page = objects.paginate(entries, query, ctx.settings.oparl.page_size)
    if page is None:
        raise NotFound(f"Diese Listenseite gibt es nicht (Seite {query.page}).")
    return page


def _page(
    ctx: ServiceContext, entries: list[dict[str, Any]], url: str, query: ListQuery
) -> dict[str, Any]:
    page = _paginate(ctx, entries, query)
    return objects.list_object(page, page.entries, url=url, query=query)
