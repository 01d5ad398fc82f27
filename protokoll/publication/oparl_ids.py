"""Where each OParl object lives: the one URL layout that the export file (`oparl_export`)
and the read-only OParl interface of the service (`/oparl/...`) share, so that an id in
``oparl.json`` is the address the service answers at.

Under ``base`` (``[review] public_base_url`` without a trailing slash)::

    {base}/oparl/system                                   System (the entry point)
    {base}/oparl/body                                     list of the Body objects
    {base}/oparl/body/1                                   Body (the municipality)
    {base}/oparl/body/1/meeting | paper | organization | person     its lists
    {base}/oparl/meeting/{meeting_id}                     Meeting
    {base}/oparl/agendaitem/{meeting_id}-{order}          AgendaItem (order counts from 0)
    {base}/oparl/consultation/{meeting_id}-{order}        Consultation (item with a paper)
    {base}/oparl/paper/{reference}                        Paper ("Vorlage 2026/045")
    {base}/oparl/location/{meeting_id}                    Location
    {base}/oparl/file/{meeting_id}/{file_name}            File
    {base}/oparl/file/{meeting_id}/{file_name}/access     accessUrl
    {base}/oparl/file/{meeting_id}/{file_name}/download   downloadUrl

Path segments are percent-encoded (``/`` too). Without a base URL the ids are URNs of the
private scheme ``urn:protokoll:`` (``urn:protokoll:meeting:{meeting_id}``): an export
meant to travel as a folder with its files; the service's interface refuses to answer then.
"""

from __future__ import annotations

import urllib.parse
from dataclasses import dataclass

from protokoll.publication.pdf import PublicationError

URN_PREFIX = "urn:protokoll:"
BODY_KEY = "1"  # one municipality per installation
BODY_LISTS = ("meeting", "paper", "organization", "person")


def base_of(base_url: str) -> str:
    """``base_url`` without a trailing slash ("" for the urn scheme); `PublicationError` if
    it is not an absolute http(s) address."""
    base = base_url.strip().rstrip("/")
    if not base:
        return ""
    try:
        parts = urllib.parse.urlsplit(base)
        valid = parts.scheme.lower() in ("http", "https") and bool(parts.hostname)
    except ValueError:
        valid = False
    if not valid or parts.query or parts.fragment:
        raise PublicationError(
            f"Die öffentliche Adresse für veröffentlichte Dokumente „{base_url.strip()}“ "
            "([review] public_base_url) ist ungültig: erwartet wird eine http- oder "
            "https-Adresse ohne „?“ und „#“, z. B. https://rat.musterstadt.de/protokoll."
        )
    return base


def segment(value: str) -> str:
    """One path segment, percent-encoded (a ``/`` inside becomes ``%2F``)."""
    return urllib.parse.quote(value, safe="")


@dataclass(frozen=True)
class OParlUrls:
    """The ids under one base URL (``base=""``: ``urn:protokoll:`` ids)."""

    base: str

    @classmethod
    def from_setting(cls, base_url: str) -> OParlUrls:
        """From ``[review] public_base_url`` as configured; `PublicationError` if invalid."""
        return cls(base_of(base_url))

    def _url(self, kind: str, *parts: str) -> str:
        if self.base:
            return "/".join((self.base, "oparl", kind, *map(segment, parts)))
        return URN_PREFIX + ":".join((kind, *map(segment, parts)))

    def system(self) -> str:
        return self._url("system")

    def bodies(self) -> str:
        return self._url("body")

    def body(self) -> str:
        return self._url("body", BODY_KEY)

    def body_list(self, kind: str) -> str:
        """The Body's external list ``kind`` (one of `BODY_LISTS`)."""
        if kind not in BODY_LISTS:
            raise ValueError(f"no such list: {kind}")
        return self._url("body", BODY_KEY, kind)

    def meeting(self, meeting_id: str) -> str:
        return self._url("meeting", meeting_id)

    def location(self, meeting_id: str) -> str:
        return self._url("location", meeting_id)

    def agenda_item(self, meeting_id: str, order: int) -> str:
        return self._url("agendaitem", f"{meeting_id}-{order}")

    def consultation(self, meeting_id: str, order: int) -> str:
        return self._url("consultation", f"{meeting_id}-{order}")

    def paper(self, reference: str) -> str:
        return self._url("paper", reference)

    def file(self, meeting_id: str, file_name: str) -> str:
        return self._url("file", meeting_id, file_name)

    def access(self, meeting_id: str, file_name: str) -> str:
        if self.base:
            return self.file(meeting_id, file_name) + "/access"
        return segment(file_name)  # relative: the file lies beside the JSON

    def download(self, meeting_id: str, file_name: str) -> str | None:
        return self.file(meeting_id, file_name) + "/download" if self.base else None


def split_item_key(key: str) -> tuple[str, int] | None:
    """``"{meeting_id}-{order}"`` (the last part of an AgendaItem or Consultation id) as
    its parts; None if it is not of that form."""
    meeting_id, dash, order = key.rpartition("-")
    if not dash or not meeting_id or not order.isascii() or not order.isdigit():
        return None
    return meeting_id, int(order)
