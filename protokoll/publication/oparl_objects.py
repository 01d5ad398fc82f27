"""The OParl 1.1 objects around the published Meetings that the service's read-only
interface serves: System, Body, the pages of a list, Paper and Consultation, and a
Meeting's embedded objects fetched at their own ids.

Papers and Consultations are derived from Meeting objects as `oparl_export.oparl_meeting`
builds them with ``public_only=True``, never from the minutes: a Paper exists only because
a public agenda item names it (``protokoll:paperReference``), so whatever a non-public item
says cannot reach them. Ids follow `oparl_ids`.

- **System** (``{base}/oparl/system``): ``oparlVersion`` 1.1, ``body`` (the list of bodies),
  ``name``, contact, ``website``, ``license`` where configured.
- **Body** (the municipality, ``{base}/oparl/body/1``): ``name``, ``shortName``, ``system``,
  the external lists ``meeting``, ``paper``, ``organization`` and ``person`` (the last two
  are empty: the minutes name no bodies' members as OParl objects) and an empty
  ``legislativeTerm``.
- **Paper** (``{base}/oparl/paper/{reference}``): ``reference`` as the agenda gave it
  ("Vorlage 2026/045"), ``name`` the title of the first public agenda item that named it
  (the paper's own title is not known here), ``body``, ``consultation`` (embedded, without
  the ``paper`` back reference), ``created``/``modified`` the earliest/latest of its items.
- **Consultation** (``{base}/oparl/consultation/{meeting_id}-{order}``): one per public
  agenda item with a paper: ``agendaItem``, ``meeting``, and at its own id ``paper``.
- Embedded objects at their own id get their back reference: an AgendaItem ``meeting``, a
  File ``meeting`` [..], a Location ``meetings`` [..].
- **List pages**: ``data``, ``pagination`` (``totalElements``, ``elementsPerPage``,
  ``currentPage`` from 1, ``totalPages``) and ``links`` (``first``, ``prev``, ``self``,
  ``next``, ``last``); the filters ``created_since``, ``created_until``, ``modified_since``,
  ``modified_until`` and ``elementsPerPage`` (capped by the server) stay in every link.
"""

from __future__ import annotations

import math
import urllib.parse
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Generic, TypeVar

from protokoll.publication.oparl_export import (
    EXTENSION_PREFIX,
    OPARL_SCHEMA,
    local_time,
    timestamp,
)
from protokoll.publication.oparl_ids import OParlUrls

SYSTEM_TYPE = OPARL_SCHEMA + "System"
BODY_TYPE = OPARL_SCHEMA + "Body"
PAPER_TYPE = OPARL_SCHEMA + "Paper"
CONSULTATION_TYPE = OPARL_SCHEMA + "Consultation"

T = TypeVar("T")


@dataclass(frozen=True)
class Municipality:
    """What the System and the Body say about the installation (empty: left out)."""

    name: str
    short_name: str = ""
    website: str = ""
    contact_email: str = ""
    contact_name: str = ""
    license: str = ""


def _optional(who: Municipality) -> dict[str, str]:
    fields = {
        "website": who.website,
        "contactEmail": who.contact_email,
        "contactName": who.contact_name,
        "license": who.license,
    }
    return {key: value.strip() for key, value in fields.items() if value.strip()}


def system_object(urls: OParlUrls, who: Municipality) -> dict[str, Any]:
    return {
        "id": urls.system(),
        "type": SYSTEM_TYPE,
        "oparlVersion": OPARL_SCHEMA,
        "body": urls.bodies(),
        "name": f"Veröffentlichte Niederschriften – {who.name}",
        **_optional(who),
    }


def body_object(urls: OParlUrls, who: Municipality) -> dict[str, Any]:
    data: dict[str, Any] = {"id": urls.body(), "type": BODY_TYPE, "system": urls.system()}
    data["name"] = who.name
    if who.short_name.strip():
        data["shortName"] = who.short_name.strip()
    data.update(_optional(who))
    for kind in ("meeting", "paper", "organization", "person"):
        data[kind] = urls.body_list(kind)
    data["legislativeTerm"] = []
    return data


# ---- embedded objects at their own id ------------------------------------------------------


def _with_reference(obj: Mapping[str, Any], key: str, value: Any) -> dict[str, Any]:
    """``obj`` with the back reference ``key`` after its ``type``."""
    out: dict[str, Any] = {}
    for name, item in obj.items():
        out[name] = item
        if name == "type":
            out[key] = value
    return out


def embedded_object(meeting: Mapping[str, Any], object_id: str) -> dict[str, Any] | None:
    """The AgendaItem, File or Location with id ``object_id`` inside ``meeting``, as it is
    served at its own id (with its back reference); None if the meeting has none."""
    meeting_id = meeting["id"]
    for item in meeting.get("agendaItem", []):
        if item["id"] == object_id:
            return _with_reference(item, "meeting", meeting_id)
    location = meeting.get("location")
    if location is not None and location["id"] == object_id:
        return _with_reference(location, "meetings", [meeting_id])
    for file in meeting_files(meeting):
        if file["id"] == object_id:
            return _with_reference(file, "meeting", [meeting_id])
    return None


def meeting_files(meeting: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The File objects embedded in ``meeting``."""
    files = [meeting[key] for key in ("resultsProtocol", "verbatimProtocol") if key in meeting]
    return files + list(meeting.get("auxiliaryFile", []))


# ---- papers and consultations --------------------------------------------------------------


def _moment(value: str) -> datetime:
    return datetime.fromisoformat(value)


def papers(urls: OParlUrls, meetings: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """The Papers the public agenda items of ``meetings`` name, in the order they are first
    named, each with its Consultations embedded."""
    found: dict[str, dict[str, Any]] = {}
    for meeting in meetings:
        for item in meeting.get("agendaItem", []):
            reference = item.get(EXTENSION_PREFIX + "paperReference")
            if not reference or item.get("public") is not True or "consultation" not in item:
                continue
            paper = found.get(reference)
            if paper is None:
                paper = found[reference] = {
                    "id": urls.paper(reference),
                    "type": PAPER_TYPE,
                    "body": urls.body(),
                    "name": item.get("name") or reference,
                    "reference": reference,
                    "consultation": [],
                    "created": item["created"],
                    "modified": item["modified"],
                }
            paper["consultation"].append(_consultation(item, meeting["id"]))
            if _moment(item["created"]) < _moment(paper["created"]):
                paper["created"] = item["created"]
            if _moment(item["modified"]) > _moment(paper["modified"]):
                paper["modified"] = item["modified"]
    return list(found.values())


def _consultation(item: Mapping[str, Any], meeting_id: str) -> dict[str, Any]:
    return {
        "id": item["consultation"],
        "type": CONSULTATION_TYPE,
        "agendaItem": item["id"],
        "meeting": meeting_id,
        "created": item["created"],
        "modified": item["modified"],
    }


def consultation_object(
    all_papers: Iterable[Mapping[str, Any]], consultation_id: str
) -> dict[str, Any] | None:
    """The Consultation ``consultation_id`` at its own id (with ``paper``); None if none."""
    for paper in all_papers:
        for consultation in paper["consultation"]:
            if consultation["id"] == consultation_id:
                return _with_reference(consultation, "paper", paper["id"])
    return None


# ---- lists ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class ListQuery:
    """What a client asked of a list: the page (from 1), fewer entries per page, and the
    filters on ``created`` and ``modified`` (inclusive, to the second)."""

    page: int = 1
    elements_per_page: int | None = None
    created_since: datetime | None = None
    created_until: datetime | None = None
    modified_since: datetime | None = None
    modified_until: datetime | None = None

    def _filters(self) -> dict[str, datetime]:
        named = {
            "created_since": self.created_since,
            "created_until": self.created_until,
            "modified_since": self.modified_since,
            "modified_until": self.modified_until,
        }
        return {name: _second(value) for name, value in named.items() if value is not None}

    def admits(self, created: datetime, modified: datetime) -> bool:
        """Whether an object with these times passes the filters."""
        created, modified = _second(created), _second(modified)
        limits = self._filters()
        return (
            created >= limits.get("created_since", created)
            and created <= limits.get("created_until", created)
            and modified >= limits.get("modified_since", modified)
            and modified <= limits.get("modified_until", modified)
        )

    def admits_object(self, obj: Mapping[str, Any]) -> bool:
        return self.admits(_moment(obj["created"]), _moment(obj["modified"]))

    def link(self, url: str, page: int) -> str:
        """The URL of ``page`` of the list at ``url`` with this query's filters."""
        params = {name: timestamp(value) for name, value in self._filters().items()}
        if self.elements_per_page is not None:
            params["elementsPerPage"] = str(self.elements_per_page)
        if page > 1:  # the first page is the list's own URL (with the filters)
            params["page"] = str(page)
        return f"{url}?{urllib.parse.urlencode(params)}" if params else url


def _second(moment: datetime) -> datetime:
    """``moment`` as the interface writes it: German local time, whole seconds."""
    return local_time(moment).replace(microsecond=0)


@dataclass(frozen=True)
class Page(Generic[T]):
    """One page of a list: its entries, and where it lies in the whole."""

    entries: list[T]
    number: int
    per_page: int
    total: int

    @property
    def total_pages(self) -> int:
        return max(1, math.ceil(self.total / self.per_page))


def paginate(entries: Sequence[T], query: ListQuery, page_size: int) -> Page[T] | None:
    """The page ``query`` asks for (``page_size`` entries at most, fewer where the client
    asks); None if the list has no such page."""
    per_page = min(query.elements_per_page or page_size, page_size)
    start = (query.page - 1) * per_page
    page = Page(list(entries[start : start + per_page]), query.page, per_page, len(entries))
    return page if 1 <= query.page <= page.total_pages else None


def list_object(
    page: Page[Any], data: list[dict[str, Any]], *, url: str, query: ListQuery
) -> dict[str, Any]:
    """A list page in OParl's format; ``data`` are the objects of ``page``'s entries."""
    links = {"first": query.link(url, 1)}
    if page.number > 1:
        links["prev"] = query.link(url, page.number - 1)
    links["self"] = query.link(url, page.number)
    if page.number < page.total_pages:
        links["next"] = query.link(url, page.number + 1)
    links["last"] = query.link(url, page.total_pages)
    return {
        "data": data,
        "pagination": {
            "totalElements": page.total,
            "elementsPerPage": page.per_page,
            "currentPage": page.number,
            "totalPages": page.total_pages,
        },
        "links": links,
    }
