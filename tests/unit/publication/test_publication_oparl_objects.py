"""The OParl objects around the published Meetings (`protokoll.publication.oparl_objects`)
and the schema check the tests use for them (`tests/support/oparl_schema.py`)."""

from __future__ import annotations

import copy
from datetime import UTC, datetime
from typing import Any

import pytest

from protokoll.publication import PublicationError
from protokoll.publication.oparl_export import oparl_meeting, paper_keyword
from protokoll.publication.oparl_ids import OParlUrls, split_item_key
from protokoll.publication.oparl_objects import (
    ListQuery,
    Municipality,
    body_object,
    consultation_object,
    embedded_object,
    list_object,
    paginate,
    papers,
    system_object,
)
from tests.support import builders
from tests.support.oparl_schema import list_errors, schema_errors

BASE = "https://rat.musterstadt.de/protokoll"
URLS = OParlUrls(BASE)
WHO = Municipality("Gemeinde Musterstadt", website="https://www.musterstadt.de")


def _meeting(meeting_id: str, created: datetime) -> dict[str, Any]:
    return oparl_meeting(
        builders.build_minutes(), meeting_id=meeting_id, base_url=BASE, name="Sitzung",
        files={}, created=created, approved_at=created,
    )  # fmt: skip


def test_the_schema_check_finds_errors() -> None:
    """The check itself can fail: embedded objects, OParl's url format and date-times."""
    meeting = _meeting("42", datetime(2026, 11, 25, tzinfo=UTC))
    assert schema_errors(meeting) == []
    broken = copy.deepcopy(meeting)
    broken["agendaItem"][0]["order"] = "0"
    broken["location"]["id"] = "urn:protokoll:location:42"
    broken["created"] = "2026-11-25T10:30:00"  # no offset
    broken["resultsProtocol"] = {"id": f"{BASE}/f", "type": "https://schema.oparl.org/1.1/File"}
    assert schema_errors(broken) == [
        "agendaItem/0/order: '0' is not of type 'integer'",
        "created: '2026-11-25T10:30:00' is not a 'date-time'",
        "location/id: 'urn:protokoll:location:42' is not a 'url'",
        "resultsProtocol: 'accessUrl' is a required property",
    ]
    assert schema_errors({"type": "https://schema.oparl.org/1.1/Unbekannt"})
    assert list_errors({"data": [], "pagination": {}, "links": {}})


def test_system_and_body_match_the_official_schemas() -> None:
    system = system_object(URLS, WHO)
    assert system["body"] == f"{BASE}/oparl/body"
    assert system["oparlVersion"] == "https://schema.oparl.org/1.1/"
    body = body_object(URLS, WHO)
    assert body["meeting"] == f"{BASE}/oparl/body/1/meeting"
    assert body["legislativeTerm"] == [] and "license" not in body
    assert schema_errors(system) == [] and schema_errors(body) == []


def test_embedded_objects_get_their_back_reference_at_their_own_id() -> None:
    meeting = _meeting("42", datetime(2026, 11, 25, tzinfo=UTC))
    item = embedded_object(meeting, f"{BASE}/oparl/agendaitem/42-1")
    assert item is not None and item["meeting"] == f"{BASE}/oparl/meeting/42"
    assert list(item)[:3] == ["id", "type", "meeting"]
    location = embedded_object(meeting, f"{BASE}/oparl/location/42")
    assert location is not None and location["meetings"] == [f"{BASE}/oparl/meeting/42"]
    assert embedded_object(meeting, f"{BASE}/oparl/agendaitem/42-3") is None  # non-public
    assert schema_errors(item) == [] and schema_errors(location) == []


def test_papers_come_from_public_items_only() -> None:
    early = _meeting("41", datetime(2026, 10, 1, tzinfo=UTC))
    late = _meeting("42", datetime(2026, 11, 25, tzinfo=UTC))
    # a non-public item that slipped into a Meeting object is still not a paper's source
    leaked = copy.deepcopy(late["agendaItem"][1]) | {"public": False}
    leaked["protokoll:paperReference"] = "2026/9999"
    late["agendaItem"].append(leaked)
    found = papers(URLS, [early, late])
    assert [p["reference"] for p in found] == ["2026/0142", "2026/0150"]
    school = found[0]
    assert school["id"] == f"{BASE}/oparl/paper/2026%2F0142"
    assert school["name"] == "Sanierung der Grundschule Am Lindenweg – Baubeschluss"
    assert [c["meeting"] for c in school["consultation"]] == [early["id"], late["id"]]
    assert not any("paper" in c for c in school["consultation"])  # embedded
    assert school["created"] == early["created"] and school["modified"] == late["modified"]
    consultation = consultation_object(found, f"{BASE}/oparl/consultation/42-1")
    assert consultation is not None and consultation["paper"] == school["id"]
    assert consultation_object(found, f"{BASE}/oparl/consultation/42-9") is None
    assert all(schema_errors(p) == [] for p in found) and schema_errors(consultation) == []


def test_pages_links_and_filters() -> None:
    query = ListQuery(page=2, elements_per_page=2, created_since=datetime(2026, 1, 1))
    page = paginate(list(range(5)), query, page_size=100)
    assert page is not None and page.entries == [2, 3] and page.total_pages == 3
    url = f"{BASE}/oparl/body/1/meeting"
    data = list_object(page, [], url=url, query=query)
    since = "created_since=2026-01-01T00%3A00%3A00%2B01%3A00&elementsPerPage=2"
    assert data["links"] == {
        "first": f"{url}?{since}",
        "prev": f"{url}?{since}",
        "self": f"{url}?{since}&page=2",
        "next": f"{url}?{since}&page=3",
        "last": f"{url}?{since}&page=3",
    }
    assert data["pagination"] == {
        "totalElements": 5, "elementsPerPage": 2, "currentPage": 2, "totalPages": 3,
    }  # fmt: skip
    assert paginate(list(range(5)), ListQuery(page=4, elements_per_page=2), 100) is None
    capped = paginate(list(range(5)), ListQuery(elements_per_page=50), page_size=3)
    assert capped is not None and capped.per_page == 3
    empty = paginate([], ListQuery(), page_size=3)
    assert empty is not None and empty.total_pages == 1
    # filters are inclusive, to the second, in German local time
    moment = datetime(2026, 11, 25, 9, 30, 0, 700_000, tzinfo=UTC)
    assert ListQuery(modified_since=datetime(2026, 11, 25, 10, 30)).admits(moment, moment)
    assert not ListQuery(created_until=datetime(2026, 11, 25, 10, 29, 59)).admits(moment, moment)


def test_ids_and_keywords() -> None:
    assert split_item_key("0123abcd-7") == ("0123abcd", 7)
    assert split_item_key("0123abcd") is None and split_item_key("a-b") is None
    assert split_item_key("-3") is None
    assert paper_keyword("2026/0142") == "Vorlage 2026/0142"
    assert paper_keyword("Antrag 2026/051") == "Antrag 2026/051"
    assert OParlUrls("").meeting("42") == "urn:protokoll:meeting:42"
    with pytest.raises(ValueError):
        URLS.body_list("file")
    with pytest.raises(PublicationError, match="public_base_url"):
        OParlUrls.from_setting("rat.musterstadt.de")
