"""The OParl 1.1 export of the minutes (`protokoll.publication.oparl_export`)."""

from __future__ import annotations

import hashlib
import json
import math
import re
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest

from protokoll.domain.minutes import Minutes, MinutesItem, Votes
from protokoll.errors import ProtokollError
from protokoll.publication import (
    PublicationError,
    PublishedFile,
    oparl_meeting,
    result_text,
    write_oparl_json,
)
from protokoll.publication.oparl_export import DOCX_MIME, PDF_MIME
from tests.support import builders
from tests.support.oparl_schema import schema_errors

ROOT = Path(__file__).resolve().parents[3]
SUBSET_SCHEMA = ROOT / "tests" / "data" / "oparl_subset.schema.json"
BASE = "https://rat.musterstadt.de/protokoll"
CREATED = datetime(2026, 11, 25, 9, 30, tzinfo=UTC)


def _file(name: str, mime: str, content: bytes = b"%PDF-1.7 test") -> PublishedFile:
    return PublishedFile(
        file_name=name,
        mime_type=mime,
        size=len(content),
        sha512=hashlib.sha512(content).hexdigest(),
        date=date(2026, 11, 25),
    )


FILES = {
    "Niederschrift (Word)": _file("niederschrift-2026-11-19.docx", DOCX_MIME, b"PK docx"),
    "Niederschrift": _file("niederschrift-2026-11-19.pdf", PDF_MIME),
}


def _export(minutes: Minutes | None = None, **kwargs: Any) -> dict[str, Any]:
    args: dict[str, Any] = {
        "meeting_id": "42",
        "base_url": BASE,
        "name": "12. Sitzung des Rates der Gemeinde Musterstadt",
        "files": FILES,
        "created": CREATED,
    }
    args.update(kwargs)
    return oparl_meeting(minutes or builders.build_minutes(), **args)


def _validate(data: dict[str, Any]) -> None:
    """Against the official OParl 1.1 schemas (where ids are URLs: a urn is no `url`), and
    against the stricter subset this export promises (names, times, no back references)."""
    if not data["id"].startswith("urn:"):
        assert schema_errors(data) == []
    jsonschema = pytest.importorskip("jsonschema")
    schema = json.loads(SUBSET_SCHEMA.read_text(encoding="utf-8"))
    validator = jsonschema.Draft202012Validator(schema)
    errors = sorted(validator.iter_errors(data), key=lambda e: list(e.absolute_path))
    assert not errors, "\n".join(f"{list(e.absolute_path)}: {e.message}" for e in errors)


def _ids(data: Any) -> list[str]:
    """Every "id" anywhere in the export."""
    if isinstance(data, dict):
        own = [data["id"]] if isinstance(data.get("id"), str) else []
        return own + [i for v in data.values() for i in _ids(v)]
    if isinstance(data, list):
        return [i for v in data for i in _ids(v)]
    return []


# --- shape -----------------------------------------------------------------------------------


def test_public_export_matches_the_oparl_schemas() -> None:
    data = _export()
    _validate(data)
    assert data["id"] == f"{BASE}/oparl/meeting/42"
    assert data["type"] == "https://schema.oparl.org/1.1/Meeting"
    assert data["name"] == "12. Sitzung des Rates der Gemeinde Musterstadt"
    assert data["start"] == "2026-11-19T18:00:00+01:00"
    assert data["end"] == "2026-11-19T19:14:00+01:00"
    assert data["location"] == {
        "id": f"{BASE}/oparl/location/42",
        "type": "https://schema.oparl.org/1.1/Location",
        "description": "Rathaus Musterstadt, Ratssaal",
        "created": "2026-11-25T10:30:00+01:00",
        "modified": "2026-11-25T10:30:00+01:00",
    }
    assert data["created"] == data["modified"] == "2026-11-25T10:30:00+01:00"
    assert data["protokoll:body"] == "Rat der Gemeinde Musterstadt"
    ids = _ids(data)
    assert len(ids) == len(set(ids)), "ids must be unique"


def test_full_export_matches_the_schema_and_keeps_non_public_items() -> None:
    data = _export(public_only=False)
    _validate(data)
    items = data["agendaItem"]
    assert [i["number"] for i in items] == ["1", "2", "3", "4"]
    secret = items[3]
    assert secret["public"] is False
    assert secret["name"].startswith("Verkauf des Grundstücks")
    assert secret["result"] == "beschlossen (Ja 15, Nein 2, Enthaltungen 1, Befangen 1)"
    assert "Weidner Bau GmbH" in secret["resolutionText"]


def test_agenda_items() -> None:
    items = _export()["agendaItem"]
    assert [i["id"] for i in items] == [f"{BASE}/oparl/agendaitem/42-{n}" for n in (0, 1, 2)]
    assert [i["order"] for i in items] == [0, 1, 2]  # counted from 0
    assert all(i["type"] == "https://schema.oparl.org/1.1/AgendaItem" for i in items)
    # embedded in the Meeting: no back reference (the service adds it at the item's own id)
    assert not any("meeting" in i for i in items)
    assert all(i["public"] is True for i in items)
    approval, school, deferred = items
    assert approval["result"] == "einstimmig beschlossen"
    assert approval["resolutionText"].startswith("Der Rat genehmigt die Niederschrift")
    assert "keyword" not in approval and "protokoll:paperReference" not in approval
    assert school["name"] == "Sanierung der Grundschule Am Lindenweg – Baubeschluss"
    assert school["result"] == "mehrheitlich beschlossen (Ja 14, Nein 3, Enthaltungen 2)"
    assert school["resolutionText"].endswith("die Bauleistungen auszuschreiben.")
    assert school["keyword"] == ["Vorlage 2026/0142"]
    assert school["protokoll:paperReference"] == "2026/0142"
    assert school["consultation"] == f"{BASE}/oparl/consultation/42-1"
    assert "consultation" not in approval
    assert school["protokoll:votes"] == {"yes": 14, "no": 3, "abstain": 2, "biased": None}
    assert deferred["result"] == "vertagt"
    assert "resolutionText" not in deferred
    assert deferred["consultation"] == f"{BASE}/oparl/consultation/42-2"


def test_public_export_contains_nothing_of_non_public_items() -> None:
    minutes = builders.build_minutes()
    text = json.dumps(_export(minutes), ensure_ascii=False)
    for secret in builders.NON_PUBLIC_SECRETS:
        assert secret not in text, secret
    land_sale = minutes.items[3]
    assert land_sale.resolution_text is not None
    for secret in (land_sale.title, land_sale.resolution_text, "Befangen", "42-3"):
        assert secret not in text, secret
    # the same holds for the escaped form an importer may see
    assert "Weidner" not in json.dumps(_export(minutes))


def test_ids_are_stable_between_public_and_full_export() -> None:
    minutes = builders.build_minutes()
    # a non-public item in the middle of the agenda
    minutes.items[1].public = False
    public = [i["id"] for i in _export(minutes)["agendaItem"]]
    full = [i["id"] for i in _export(minutes, public_only=False)["agendaItem"]]
    assert public == [full[0], full[2]]
    assert "Grundschule" not in json.dumps(_export(minutes), ensure_ascii=False)


# --- files -----------------------------------------------------------------------------------


def test_pdf_is_the_protocol_file_and_the_rest_auxiliary() -> None:
    data = _export()
    protocol = data["resultsProtocol"]
    pdf = FILES["Niederschrift"]
    assert protocol == {
        "id": f"{BASE}/oparl/file/42/niederschrift-2026-11-19.pdf",
        "type": "https://schema.oparl.org/1.1/File",
        "name": "Niederschrift",
        "fileName": "niederschrift-2026-11-19.pdf",
        "mimeType": "application/pdf",
        "size": pdf.size,
        "sha512Checksum": pdf.sha512,
        "date": "2026-11-25",
        "accessUrl": f"{BASE}/oparl/file/42/niederschrift-2026-11-19.pdf/access",
        "downloadUrl": f"{BASE}/oparl/file/42/niederschrift-2026-11-19.pdf/download",
        "created": "2026-11-25T10:30:00+01:00",
        "modified": "2026-11-25T10:30:00+01:00",
    }
    [docx] = data["auxiliaryFile"]
    assert docx["name"] == "Niederschrift (Word)"
    assert docx["mimeType"] == DOCX_MIME
    assert "verbatimProtocol" not in data


def test_file_roles_without_pdf_for_a_wortprotokoll_and_without_files() -> None:
    minutes = builders.build_minutes()
    minutes.protocol_type = "wort"
    only_docx = {"Wortprotokoll": FILES["Niederschrift (Word)"]}
    data = _export(minutes, files=only_docx)
    assert data["verbatimProtocol"]["fileName"] == "niederschrift-2026-11-19.docx"
    assert "resultsProtocol" not in data and "auxiliaryFile" not in data
    bare = _export(files={})
    _validate(bare)
    assert not {"resultsProtocol", "verbatimProtocol", "auxiliaryFile"} & bare.keys()


def test_file_names_default_when_the_key_is_the_file_name() -> None:
    pdf, docx = FILES["Niederschrift"], FILES["Niederschrift (Word)"]
    data = _export(files={pdf.file_name: pdf, docx.file_name: docx})
    assert data["resultsProtocol"]["name"] == "Niederschrift (PDF)"
    assert data["auxiliaryFile"][0]["name"] == "Niederschrift (Word)"
    minutes = builders.build_minutes()
    minutes.protocol_type = "wort"
    data = _export(minutes, files={"": pdf})
    assert data["verbatimProtocol"]["name"] == "Wortprotokoll (PDF)"


def test_published_file_from_path(tmp_path: Path) -> None:
    content = "Niederschrift über die 12. Sitzung – Bürgermeisterin Schäfer".encode()
    path = tmp_path / "niederschrift.pdf"
    path.write_bytes(content)
    described = PublishedFile.from_path(path, file_date=date(2026, 11, 20))
    assert described == PublishedFile(
        "niederschrift.pdf",
        PDF_MIME,
        len(content),
        hashlib.sha512(content).hexdigest(),
        date(2026, 11, 20),
    )
    docx = tmp_path / "n.docx"
    docx.write_bytes(b"PK")
    assert PublishedFile.from_path(docx).mime_type == DOCX_MIME
    odd = tmp_path / "n.zzz-unknown"
    odd.write_bytes(b"")
    assert PublishedFile.from_path(odd).mime_type == "application/octet-stream"
    assert PublishedFile.from_path(odd).size == 0


def test_malformed_published_file_is_a_programming_error() -> None:
    bad_hash = PublishedFile("a.pdf", PDF_MIME, 1, "abc", date(2026, 1, 1))
    with pytest.raises(ValueError, match="sha512"):
        _export(files={"Niederschrift": bad_hash})
    with pytest.raises(ValueError, match="plain file name"):
        _export(files={"x": PublishedFile("../a.pdf", PDF_MIME, 1, "0" * 128, date(2026, 1, 1))})
    with pytest.raises(ValueError, match="meeting_id"):
        _export(meeting_id=" ")


# --- ids without a public address ------------------------------------------------------------


def test_urn_ids_without_base_url() -> None:
    files = {"Niederschrift": _file("Niederschrift Sitzung 12 – öffentlich.pdf", PDF_MIME)}
    data = _export(base_url="", files=files)
    _validate(data)
    assert data["id"] == "urn:protokoll:meeting:42"
    assert data["location"]["id"] == "urn:protokoll:location:42"
    assert data["agendaItem"][1]["id"] == "urn:protokoll:agendaitem:42-1"
    assert "meeting" not in data["agendaItem"][1]
    # a Consultation would have to be served somewhere: none without a base URL
    assert data["agendaItem"][1]["keyword"] == ["Vorlage 2026/0142"]
    assert "consultation" not in data["agendaItem"][1]
    protocol = data["resultsProtocol"]
    quoted = "Niederschrift%20Sitzung%2012%20%E2%80%93%20%C3%B6ffentlich.pdf"
    assert protocol["id"] == f"urn:protokoll:file:42:{quoted}"
    assert protocol["fileName"] == "Niederschrift Sitzung 12 – öffentlich.pdf"
    assert protocol["accessUrl"] == quoted  # relative: the file lies beside the JSON
    assert "downloadUrl" not in protocol


def test_meeting_id_and_base_url_are_encoded() -> None:
    data = _export(base_url=BASE + "/", meeting_id="2026/12 a")
    assert data["id"] == f"{BASE}/oparl/meeting/2026%2F12%20a"
    assert data["agendaItem"][0]["id"] == f"{BASE}/oparl/agendaitem/2026%2F12%20a-0"
    _validate(data)


@pytest.mark.parametrize(
    "base_url", ["rat.musterstadt.de", "ftp://rat.musterstadt.de", "https://", "https://a/?x=1"]
)
def test_invalid_base_url_is_a_german_error(base_url: str) -> None:
    with pytest.raises(PublicationError, match=r"public_base_url.*ungültig") as info:
        _export(base_url=base_url)
    assert isinstance(info.value, ProtokollError)


# --- times, state, AI marking ----------------------------------------------------------------


def test_times_in_german_local_time() -> None:
    minutes = builders.build_minutes()
    minutes.meeting.date = "2026-06-18"  # summer time
    minutes.meeting.start_time = "19.30"
    minutes.meeting.end_time = "00:45"  # past midnight
    data = _export(minutes, created=datetime(2026, 6, 19, 8, 0))  # naive: local time
    assert data["start"] == "2026-06-18T19:30:00+02:00"
    assert data["end"] == "2026-06-19T00:45:00+02:00"
    assert data["created"] == "2026-06-19T08:00:00+02:00"
    _validate(data)


def test_missing_times_and_place_are_left_out() -> None:
    minutes = builders.build_minutes()
    minutes.meeting.end_time = ""
    data = _export(minutes)
    assert data["start"] == "2026-11-19T18:00:00+01:00" and "end" not in data
    minutes.meeting.start_time = ""
    minutes.meeting.place = ""
    data = _export(minutes)
    assert not {"start", "end", "location"} & data.keys()
    _validate(data)


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("date", "19.11.2026", "Sitzungsdatum „19.11.2026“"),
        ("start_time", "abends", "Uhrzeit „abends“ (Beginn"),
        ("end_time", "25:00", "Uhrzeit „25:00“ (Ende"),
    ],
)
def test_invalid_date_or_time_is_a_german_error(field: str, value: str, message: str) -> None:
    minutes = builders.build_minutes()
    setattr(minutes.meeting, field, value)
    with pytest.raises(PublicationError, match=re.escape(message)):
        _export(minutes)


def test_approval_and_ai_marking() -> None:
    draft = _export()
    assert draft["keyword"] == ["KI-gestützter Entwurf – nicht geprüft"]
    assert draft["protokoll:aiGenerated"] is True
    assert "meetingState" not in draft and "protokoll:approved" not in draft
    minutes = builders.build_minutes()
    minutes.ai_generated = False
    approved = _export(
        minutes,
        approved_at=datetime(2026, 11, 24, 16, 5, 12, 345, tzinfo=UTC),
        web="https://rat.musterstadt.de/sitzungen/42",
        license="https://www.govdata.de/dl-de/by-2-0",
    )
    _validate(approved)
    assert approved["meetingState"] == "durchgeführt"
    assert approved["protokoll:approved"] == "2026-11-24T17:05:12+01:00"
    assert approved["protokoll:aiGenerated"] is False
    assert "keyword" not in approved
    assert approved["web"] == "https://rat.musterstadt.de/sitzungen/42"
    assert approved["license"] == "https://www.govdata.de/dl-de/by-2-0"
    # approved before the export's created time: modified stays; approved later: it moves
    assert approved["created"] == approved["modified"] == "2026-11-25T10:30:00+01:00"
    later = _export(minutes, approved_at=datetime(2026, 12, 1, 12, 0, tzinfo=UTC))
    assert later["created"] == "2026-11-25T10:30:00+01:00"
    assert later["modified"] == "2026-12-01T13:00:00+01:00"
    assert later["agendaItem"][0]["modified"] == later["resultsProtocol"]["modified"]
    assert later["agendaItem"][0]["modified"] == "2026-12-01T13:00:00+01:00"


# --- result text -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("result", "votes", "expected"),
    [
        ("einstimmig beschlossen", Votes(), "einstimmig beschlossen"),
        (
            "mehrheitlich beschlossen",
            Votes(12, 3, 1),
            "mehrheitlich beschlossen (Ja 12, Nein 3, Enthaltungen 1)",
        ),
        ("abgelehnt", Votes(yes=4, no=0), "abgelehnt (Ja 4, Nein 0)"),
        (None, Votes(yes=9, biased=2), "Ja 9, Befangen 2"),
        (None, Votes(), ""),
        ("  ", Votes(), ""),
    ],
)
def test_result_text(result: str | None, votes: Votes, expected: str) -> None:
    item = MinutesItem(number="5", title="Bebauungsplan Nr. 12", result=result, votes=votes)
    assert result_text(item) == expected
    base = builders.build_minutes()
    exported = _export(Minutes(base.meeting, base.attendance, [item]))
    [agenda_item] = exported["agendaItem"]
    if expected:
        assert agenda_item["result"] == expected
    else:
        assert "result" not in agenda_item


# --- writing ---------------------------------------------------------------------------------


def test_write_oparl_json(tmp_path: Path) -> None:
    data = _export()
    target = tmp_path / "export" / "sitzung-42.oparl.json"
    assert write_oparl_json(data, target) == target
    raw = target.read_bytes()
    text = raw.decode("utf-8")
    assert "Grundschule Am Lindenweg – Baubeschluss" in text  # as it is, not \u2013
    assert "Bürgermeisterin" not in text  # attendance is not part of the export
    assert text.endswith("}\n") and "\r" not in text
    assert text.startswith('{\n  "id": ')
    assert json.loads(text) == data
    assert [p.name for p in target.parent.iterdir()] == [target.name]


def test_write_oparl_json_is_atomic(tmp_path: Path) -> None:
    target = tmp_path / "sitzung.json"
    write_oparl_json({"alt": True}, target)
    with pytest.raises(ValueError):
        write_oparl_json({"bad": math.nan}, target)
    assert json.loads(target.read_text(encoding="utf-8")) == {"alt": True}
    write_oparl_json(_export(), target)
    assert json.loads(target.read_text(encoding="utf-8"))["id"].endswith("/meeting/42")
    assert [p.name for p in tmp_path.iterdir()] == ["sitzung.json"]


def test_write_oparl_json_unwritable_is_a_german_error(tmp_path: Path) -> None:
    blocker = tmp_path / "datei"
    blocker.write_text("kein Ordner")
    with pytest.raises(PublicationError, match="konnte nicht geschrieben werden"):
        write_oparl_json({}, blocker / "sitzung.json")
