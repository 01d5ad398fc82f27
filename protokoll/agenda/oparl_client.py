"""Read a session's agenda from an OParl 1.1 server (the API of council information systems).

`load_meeting(url)` fetches the Meeting at `url` and what it links to, and maps it onto an
`Agenda`:

- **meeting**: `body` is the name of the Meeting's first `organization` (e.g. "Rat der
  Stadt Beispielstadt"), or the Meeting's `name` where there is none; `date` and
  `start_time` come from `start`, in German local time (Europe/Berlin) where it has an
  offset (so "…T17:00:00Z" in winter is 18:00), as written where it has none;
  `place` from `location` (`room`, then `description`, or `streetAddress` and `locality`);
  `session_number` from a `name` such as "4. Sitzung des Finanzausschusses" ("4").
- **items**: `agendaItem` (embedded objects, their URLs, or the URL of a paginated list),
  sorted by `order` where every item has one; `number` (else `order`), `name` → title,
  `public` (default true), `consultation` → Consultation → `paper` → Paper `reference`.
  Deleted items (`deleted: true`) are left out.
- **members**: `participant` (Person URLs or objects, or a list URL); `name`, else
  `givenName familyName`, else `formOfAddress familyName`; `role` from an embedded
  Membership in the Meeting's organization that is valid on the day (else the Person's
  first `status`); `chair` where that role is "Vorsitzende(r)". Factions are not known.

The Meeting, its agenda items and participants must be readable; organization, location,
consultation and paper are extras: where the server answers 404/410 for one of them (or the
object is unusable) it is left out and logged. Every other problem is an `AgendaError` that
names the address and, where it applies, the field.

Only the standard library is used. Only http and https addresses are fetched (also on
redirects), each request has a timeout, and each response is limited in size.
"""

from __future__ import annotations

import datetime as dt
import http.client
import json
import logging
import re
import socket
import urllib.error
import urllib.parse
import urllib.request
import zoneinfo
from collections.abc import Iterator
from typing import Any

from protokoll.agenda import fetch_policy
from protokoll.agenda.fetch_policy import FetchPolicy
from protokoll.domain.agenda import Agenda, agenda_from_data
from protokoll.errors import AgendaError

log = logging.getLogger(__name__)

DEFAULT_TIMEOUT = 15.0  # seconds per request
DEFAULT_MAX_BYTES = 10 * 1024 * 1024  # per response; a Meeting with everything is < 1 MB
MAX_PAGES = 200  # pages of one paginated list
MAX_REQUESTS = 2000  # requests for one meeting (items, consultations, papers, persons)

_USER_AGENT = "protokoll (OParl-Client)"


class OParlNotFound(AgendaError):
    """The server answered 404 or 410 for an object."""


class _HttpOnlyRedirects(urllib.request.HTTPRedirectHandler):
    def __init__(self, policy: FetchPolicy) -> None:
        self.policy = policy

    def redirect_request(
        self,
        req: urllib.request.Request,
        fp: Any,
        code: int,
        msg: str,
        headers: Any,
        newurl: str,
    ) -> urllib.request.Request | None:
        scheme = urllib.parse.urlsplit(newurl).scheme.lower()
        if scheme == "http" and self.policy.https_only:
            raise fetch_policy.AddressRefused(
                f"OParl-Server leitet „{req.full_url}“ auf „{newurl}“ um; nur https."
            )
        if scheme not in ("http", "https"):
            raise AgendaError(
                f"OParl-Server leitet „{req.full_url}“ auf „{newurl}“ um; "
                "nur http- und https-Adressen werden abgerufen."
            )
        return super().redirect_request(req, fp, code, msg, headers, newurl)


def check_url(url: str, what: str = "OParl-Adresse") -> str:
    """`url` stripped, if it is an absolute http(s) address with a host; else an AgendaError."""
    url = url.strip() if isinstance(url, str) else ""
    try:
        parts = urllib.parse.urlsplit(url)
        valid = parts.scheme.lower() in ("http", "https") and bool(parts.hostname)
    except ValueError:  # e.g. "http://[::1"
        valid = False
    if not valid:
        raise AgendaError(
            f"{what} „{url}“ ist ungültig: erwartet wird eine http- oder https-Adresse, "
            "z. B. https://ris.beispielstadt.de/oparl/meeting/281."
        )
    return url


def _kind(obj: dict[str, Any]) -> str:
    """The last part of the object's type: "Meeting" for "https://schema.oparl.org/1.1/Meeting"."""
    kind = obj.get("type")
    return kind.rstrip("/").rsplit("/", 1)[-1] if isinstance(kind, str) else ""


def _text(obj: dict[str, Any], field: str) -> str:
    value = obj.get(field)
    return value.strip() if isinstance(value, str) else ""


class OParlClient:
    """Fetches OParl objects as dicts: http(s) only, with a timeout and a size limit.

    Objects are cached by address, so an object linked twice is fetched once."""

    def __init__(
        self,
        timeout: float = DEFAULT_TIMEOUT,
        max_bytes: int = DEFAULT_MAX_BYTES,
        policy: FetchPolicy | None = None,
    ) -> None:
        self.timeout = timeout
        self.max_bytes = max_bytes
        self.policy = policy or FetchPolicy()
        self.requests = 0
        self._cache: dict[str, dict[str, Any]] = {}
        self._opener = fetch_policy.opener(self.policy, _HttpOnlyRedirects(self.policy))

    def get(self, url: str) -> dict[str, Any]:
        """The JSON object at `url`; AgendaError (OParlNotFound for 404/410) otherwise.
        Under a policy with uniform errors every failure to fetch reads the same."""
        try:
            return self._get(url)
        except AgendaError as exc:
            if not self.policy.uniform_errors:
                raise
            log.info("OParl-Abruf von %s abgelehnt oder fehlgeschlagen: %s", url, exc)
            raise uniform_failure(url) from None

    def _get(self, url: str) -> dict[str, Any]:
        url = check_url(url)
        self.policy.check_scheme(url, urllib.parse.urlsplit(url).scheme)
        if url in self._cache:
            return self._cache[url]
        self.requests += 1
        if self.requests > MAX_REQUESTS:
            raise AgendaError(
                f"OParl: mehr als {MAX_REQUESTS} Abrufe für eine Sitzung; abgebrochen bei „{url}“."
            )
        body = self._fetch(url)
        try:
            data = json.loads(body)
        except ValueError as exc:
            where = ""
            if isinstance(exc, json.JSONDecodeError):
                where = f" (Zeile {exc.lineno}, Spalte {exc.colno}: {exc.msg})"
            raise AgendaError(
                f"OParl-Server: Antwort von „{url}“ ist kein gültiges JSON{where}."
            ) from None
        if not isinstance(data, dict):
            raise AgendaError(f"OParl-Server: Antwort von „{url}“ ist kein JSON-Objekt.")
        self._cache[url] = data
        return data

    def _fetch(self, url: str) -> bytes:
        # Spaces and umlauts in a hand-typed address: percent-encode them, keep the rest.
        quoted = urllib.parse.quote(url, safe=":/?#[]@!$&'()*+,;=%~")
        try:
            request = urllib.request.Request(
                quoted, headers={"Accept": "application/json", "User-Agent": _USER_AGENT}
            )
            with self._opener.open(request, timeout=self.timeout) as response:
                length = response.headers.get("Content-Length")
                if length and length.isdigit() and int(length) > self.max_bytes:
                    raise self._too_large(url)
                body: bytes = response.read(self.max_bytes + 1)
        except urllib.error.HTTPError as exc:
            exc.close()
            reason = f" ({exc.reason})" if exc.reason else ""
            error = OParlNotFound if exc.code in (404, 410) else AgendaError
            raise error(
                f"OParl-Server meldet HTTP-Status {exc.code}{reason} für „{url}“."
            ) from None
        except urllib.error.URLError as exc:
            raise self._unreachable(url, exc.reason) from None
        except (TimeoutError, OSError, http.client.HTTPException) as exc:
            raise self._unreachable(url, exc) from None
        except ValueError as exc:  # http.client.InvalidURL, a bad port, control characters
            raise AgendaError(f"OParl-Adresse „{url}“ ist ungültig: {exc}.") from None
        if len(body) > self.max_bytes:
            raise self._too_large(url)
        return body

    def _too_large(self, url: str) -> AgendaError:
        return AgendaError(
            f"OParl-Server: Antwort von „{url}“ ist größer als {self.max_bytes} Bytes; abgebrochen."
        )

    def _unreachable(self, url: str, reason: object) -> AgendaError:
        host = urllib.parse.urlsplit(url).netloc
        if isinstance(reason, TimeoutError):
            why = f"keine Antwort innerhalb von {self.timeout:g} s"
        elif isinstance(reason, ConnectionRefusedError):
            why = "Verbindung abgelehnt"
        elif isinstance(reason, socket.gaierror):
            why = f"Rechnername „{urllib.parse.urlsplit(url).hostname}“ unbekannt"
        elif isinstance(reason, OSError) and reason.strerror:
            why = reason.strerror
        else:
            why = str(reason) or type(reason).__name__
        return AgendaError(f"OParl-Server {host} ist nicht erreichbar ({why}): „{url}“.")

    def objects(
        self, value: object, owner: str, field: str
    ) -> Iterator[tuple[str, dict[str, Any]]]:
        """The objects a list field refers to, each with its address (or `owner#field[i]`).

        `value` is a list of embedded objects and/or URLs, or the URL of an OParl list
        (`{"data": [...], "links": {"next": ...}}`, followed page by page)."""
        if value is None:
            return
        if isinstance(value, str):
            entries = self._pages(value, owner, field)
        elif isinstance(value, list):
            entries = iter(value)
        else:
            raise AgendaError(
                f"OParl-Objekt „{owner}“: Feld „{field}“ muss eine Liste oder eine Adresse sein."
            )
        for index, entry in enumerate(entries, start=1):
            if isinstance(entry, dict):
                yield _text(entry, "id") or f"{owner}#{field}[{index}]", entry
            elif isinstance(entry, str):
                yield entry, self.get(entry)
            else:
                raise AgendaError(
                    f"OParl-Objekt „{owner}“: Feld „{field}[{index}]“ ist weder ein Objekt "
                    "noch eine Adresse."
                )

    def _pages(self, url: str, owner: str, field: str) -> Iterator[object]:
        seen: set[str] = set()
        next_url: str | None = url
        while next_url:
            if next_url in seen or len(seen) >= MAX_PAGES:
                raise AgendaError(
                    f"OParl-Liste „{url}“ (Feld „{field}“ von „{owner}“): Seiten wiederholen "
                    f"sich oder sind mehr als {MAX_PAGES}; abgebrochen."
                )
            seen.add(next_url)
            page = self.get(next_url)
            data = page.get("data")
            if not isinstance(data, list):
                raise AgendaError(
                    f"OParl-Liste „{next_url}“ (Feld „{field}“ von „{owner}“): "
                    "Feld „data“ fehlt oder ist keine Liste."
                )
            yield from data
            links = page.get("links")
            following = links.get("next") if isinstance(links, dict) else None
            next_url = following if isinstance(following, str) and following else None

    def optional(self, value: object, owner: str, field: str) -> dict[str, Any] | None:
        """An extra object (embedded or by URL); None where it is absent or not found."""
        if isinstance(value, dict):
            return value
        if not isinstance(value, str) or not value.strip():
            return None
        try:
            return self.get(value)
        except OParlNotFound as exc:
            log.warning("OParl-Objekt „%s“ (Feld „%s“) übergangen: %s", owner, field, exc)
            return None


# ---- mapping --------------------------------------------------------------------------------


def _start(meeting: dict[str, Any], url: str) -> tuple[str, str]:
    """(date "YYYY-MM-DD", start time "HH:MM" or "") from Meeting.start."""
    start = meeting.get("start")
    if not isinstance(start, str) or not start.strip():
        raise AgendaError(
            f"OParl-Sitzung „{url}“: Feld „start“ fehlt; es wird für das Datum der Sitzung "
            "gebraucht."
        )
    value = start.strip()
    if value.endswith(("Z", "z")):
        value = value[:-1] + "+00:00"
    try:
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
            return dt.date.fromisoformat(value).isoformat(), ""
        moment = dt.datetime.fromisoformat(value)
    except ValueError:
        raise AgendaError(
            f"OParl-Sitzung „{url}“: Feld „start“ ist kein Zeitpunkt nach ISO 8601 "
            f"(angegeben: {start!r})."
        ) from None
    if moment.tzinfo is not None:
        moment = moment.astimezone(_local_zone() or moment.tzinfo)
    return moment.date().isoformat(), moment.strftime("%H:%M")


def _local_zone() -> dt.tzinfo | None:
    """German local time (OParl is a German standard); None where the system has no tz data."""
    try:
        return zoneinfo.ZoneInfo("Europe/Berlin")
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return None


def _place(location: dict[str, Any] | None) -> str:
    if not location:
        return ""
    room = _text(location, "room")
    description = _text(location, "description")
    if not description:
        postal = (_text(location, "postalCode"), _text(location, "locality"))
        locality = " ".join(p for p in postal if p)
        description = ", ".join(p for p in (_text(location, "streetAddress"), locality) if p)
    if room and room.casefold() in description.casefold():
        room = ""
    return ", ".join(p for p in (room, description) if p)


def _session_number(name: str) -> str:
    match = re.match(r"^\s*(\d+)\.\s*(?:\w+\s+)?Sitzung\b", name)
    return match[1] if match else ""


def _paper(client: OParlClient, item: dict[str, Any], item_url: str) -> str:
    consultation = client.optional(item.get("consultation"), item_url, "consultation")
    if not consultation:
        return ""
    where = _text(consultation, "id") or item_url
    paper = client.optional(consultation.get("paper"), where, "paper")
    return _text(paper, "reference") if paper else ""


def _items(client: OParlClient, meeting: dict[str, Any], url: str) -> list[dict[str, Any]]:
    items: list[tuple[int | None, dict[str, Any]]] = []
    for item_url, item in client.objects(meeting.get("agendaItem"), url, "agendaItem"):
        if item.get("deleted") is True:
            continue
        if _kind(item) not in ("", "AgendaItem"):
            raise AgendaError(
                f"OParl-Objekt „{item_url}“ ist kein Tagesordnungspunkt (AgendaItem), "
                f"sondern „{item.get('type')}“."
            )
        title = _text(item, "name")
        if not title:
            raise AgendaError(f"OParl-Tagesordnungspunkt „{item_url}“: Feld „name“ fehlt.")
        order = item.get("order")
        order = order if isinstance(order, int) and not isinstance(order, bool) else None
        raw = item.get("number")
        if isinstance(raw, int) and not isinstance(raw, bool):
            raw = str(raw)  # some servers send the number as a number
        number = raw.strip() if isinstance(raw, str) else ""
        if not number and order is not None:
            number = str(order)
        if not number:
            raise AgendaError(
                f"OParl-Tagesordnungspunkt „{item_url}“ („{title}“): Felder „number“ und "
                "„order“ fehlen."
            )
        public = item.get("public", True)
        if not isinstance(public, bool):
            raise AgendaError(
                f"OParl-Tagesordnungspunkt „{item_url}“: Feld „public“ muss true oder false sein."
            )
        entry = {
            "number": number,
            "title": title,
            "paper": _paper(client, item, item_url),
            "public": public,
        }
        items.append((order, entry))
    if all(order is not None for order, _ in items):
        items.sort(key=lambda pair: pair[0] or 0)
    return [entry for _, entry in items]


def _active(membership: dict[str, Any], day: dt.date) -> bool:
    try:
        start = membership.get("startDate")
        end = membership.get("endDate")
        if isinstance(start, str) and dt.date.fromisoformat(start[:10]) > day:
            return False
        return not (isinstance(end, str) and dt.date.fromisoformat(end[:10]) < day)
    except ValueError:
        return True


def _member(
    person: dict[str, Any], person_url: str, organizations: set[str], day: dt.date
) -> dict[str, Any]:
    name = _text(person, "name")
    if not name:
        given, family = _text(person, "givenName"), _text(person, "familyName")
        name = " ".join(p for p in (given, family) if p)
        if not given and family:
            name = " ".join(p for p in (_text(person, "formOfAddress"), family) if p)
    if not name:
        raise AgendaError(
            f"OParl-Person „{person_url}“: Feld „name“ fehlt (ebenso „givenName“ und „familyName“)."
        )
    role = ""
    memberships = person.get("membership")
    for membership in memberships if isinstance(memberships, list) else []:
        if (
            isinstance(membership, dict)  # URLs would cost a request each: not worth it
            and membership.get("organization") in organizations
            and _active(membership, day)
            and _text(membership, "role")
        ):
            role = _text(membership, "role")
            break
    if not role:
        status = person.get("status")
        if isinstance(status, list) and status and isinstance(status[0], str):
            role = status[0].strip()
    chair = re.match(r"^vorsitzende[rn]?\b", role, re.IGNORECASE) is not None
    return {"name": name, "role": role, "chair": chair}


def _members(
    client: OParlClient, meeting: dict[str, Any], url: str, organizations: set[str], day: dt.date
) -> list[dict[str, Any]]:
    members: list[dict[str, Any]] = []
    seen: set[str] = set()
    for person_url, person in client.objects(meeting.get("participant"), url, "participant"):
        if person_url in seen or person.get("deleted") is True:
            continue
        seen.add(person_url)
        members.append(_member(person, person_url, organizations, day))
    return members


def _body(client: OParlClient, meeting: dict[str, Any], url: str) -> tuple[str, set[str]]:
    """The name of the Meeting's first organization (else its name), and the organization URLs."""
    organizations = meeting.get("organization")
    refs = organizations if isinstance(organizations, list) else []
    urls = {ref for ref in refs if isinstance(ref, str)}
    urls |= {_text(ref, "id") for ref in refs if isinstance(ref, dict) and _text(ref, "id")}
    if refs:
        organization = client.optional(refs[0], url, "organization")
        if organization and _text(organization, "name"):
            return _text(organization, "name"), urls
    name = _text(meeting, "name")
    if not name:
        raise AgendaError(
            f"OParl-Sitzung „{url}“: weder „organization“ noch „name“ angegeben; "
            "das Gremium ist unbekannt."
        )
    return name, urls


def meeting_to_data(client: OParlClient, meeting: dict[str, Any], url: str) -> dict[str, Any]:
    """Agenda data (as in an agenda file) from a fetched Meeting object."""
    if _kind(meeting) != "Meeting":
        kind = meeting.get("type")
        raise AgendaError(
            f"„{url}“ ist keine OParl-Sitzung (Meeting): Feld „type“ ist "
            + (f"„{kind}“." if kind else "nicht angegeben.")
        )
    if meeting.get("deleted") is True:
        raise AgendaError(f"OParl-Sitzung „{url}“ ist als gelöscht markiert (deleted).")
    if meeting.get("cancelled") is True:
        log.warning("OParl-Sitzung „%s“ ist als abgesagt markiert (cancelled).", url)
    date, start_time = _start(meeting, url)
    body, organizations = _body(client, meeting, url)
    location = client.optional(meeting.get("location"), url, "location")
    data: dict[str, Any] = {
        "meeting": {
            "body": body,
            "session_number": _session_number(_text(meeting, "name")),
            "date": date,
            "place": _place(location),
            "start_time": start_time,
        },
        "items": _items(client, meeting, url),
        "members": _members(client, meeting, url, organizations, dt.date.fromisoformat(date)),
    }
    return data


def uniform_failure(url: str) -> AgendaError:
    """The one answer of the service's policy to any failed fetch: it does not say whether
    the host exists, the port is open, or what the server answered."""
    return AgendaError(
        f"Von „{url}“ konnte keine OParl-Sitzung geladen werden. Bitte prüfen, ob die Adresse "
        "mit https:// beginnt, auf eine Sitzung (Meeting) eines öffentlich erreichbaren "
        "Ratsinformationssystems zeigt und der Server antwortet; sonst die Tagesordnung als "
        "Datei hochladen."
    )


def load_meeting(
    url: str,
    *,
    timeout: float = DEFAULT_TIMEOUT,
    max_bytes: int = DEFAULT_MAX_BYTES,
    policy: FetchPolicy | None = None,
) -> Agenda:
    """The agenda of the OParl Meeting at `url` (see the module docstring for the mapping).

    `timeout` (seconds) and `max_bytes` apply to each request. Every problem is an
    AgendaError naming the address and the field."""
    url = check_url(url, "Adresse der OParl-Sitzung")
    client = OParlClient(timeout=timeout, max_bytes=max_bytes, policy=policy)
    meeting = client.get(url)
    if client.policy.uniform_errors and _kind(meeting) != "Meeting":
        raise uniform_failure(url)  # JSON, but no OParl Meeting: say nothing about it
    data = meeting_to_data(client, meeting, url)
    return agenda_from_data(data, f"OParl-Sitzung {url}")
