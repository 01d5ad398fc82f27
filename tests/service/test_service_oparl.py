"""The read-only OParl 1.1 interface (`/oparl/...`, issue #19), as a council information
system meets it: a crawl from the System to every File, each object checked against the
official OParl 1.1 schemas, every link answered; an anonymous crawl that finds nothing
non-public; the answer without a public base URL; paging and filters.

The service runs in-process (`make_service`); the ids lie under a public base URL with a
path, as behind a reverse proxy, and the crawler maps each id back onto the app by
cutting that base off. Publication renders PDFs with LibreOffice (the tests that publish
are skipped without it).
"""

from __future__ import annotations

import hashlib
import io
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from docx import Document
from fastapi.testclient import TestClient

from tests.support.oparl_schema import list_errors, schema_errors
from tests.support.pdf import needs_office, pdf_text
from tests.support.service import (
    NON_PUBLIC_TITLE,
    USERS,
    Service,
    make_service,
    public_agenda_data,
    sample_agenda_data,
)

BASE = "https://rat.lindenau.example/protokoll"
SYSTEM = f"{BASE}/oparl/system"
NON_PUBLIC_RESOLUTION = "Der Rat stimmt dem Verkauf der Teilfläche an die Mühlbach-Bau GmbH zu."
NON_PUBLIC_PAPER = "2026/052"  # the number of the non-public item's "Vorlage 2026/052 N"
DRAFT_TITLE = "Sondersitzung zum Haushalt (Entwurf)"
PUBLIC_RESOLUTION = "Der Rat beschließt die Sanierung der Grundschule am Lindenweg."
CONFIG = f"""
[review]
public_base_url = "{BASE}/"

[oparl]
body_name = "Gemeinde Lindenau"
license = "https://www.govdata.de/dl-de/by-2-0"
page_size = 1
"""
OFFICE_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


# ---- the service with published minutes ----------------------------------------------------


@dataclass
class Published:
    svc: Service
    with_non_public: str  # meeting ids
    all_public: str
    draft: str


def _meeting(svc: Service, title: str, agenda: dict[str, Any], **fields: str) -> str:
    """A meeting with the AI draft of its minutes; ``fields`` set in the minutes' meeting
    (place, start_time) by a full edit in the review."""
    payload = {"body": "Rat der Gemeinde Lindenau", "date": "2026-11-19", "title": title}
    client = svc.client("schriftfuehrer")
    response = client.post("/api/meetings", json={**payload, "agenda": agenda})
    assert response.status_code == 201, response.text
    meeting_id: str = response.json()["id"]
    svc.upload(meeting_id)
    assert svc.start_job(meeting_id)["state"] == "done"
    if fields:
        minutes = client.get(f"/api/meetings/{meeting_id}/versions/1").json()["minutes"]
        minutes["meeting"].update(fields)
        body = {"base": 1, "minutes": minutes}
        response = client.post(f"/api/meetings/{meeting_id}/versions", json=body)
        assert response.status_code == 201, response.text
    return meeting_id


@pytest.fixture(scope="module")
def published(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Published]:
    """Two published meetings (one with a non-public item whose resolution was written,
    one all public) and one approved but unpublished; built once for the module."""
    tmp_path = tmp_path_factory.mktemp("oparl")
    (tmp_path / "config.toml").write_text(CONFIG, encoding="utf-8")
    with pytest.MonkeyPatch.context() as monkeypatch:
        svc = make_service(tmp_path, monkeypatch)
        try:
            first = _meeting(
                svc, "12. Sitzung des Rates", sample_agenda_data(),
                place="Ratssaal, Rathaus Lindenau", start_time="18:00", end_time="20:15",
            )  # fmt: skip
            svc.publish(
                first,
                edits={
                    "2": {"resolution_text": PUBLIC_RESOLUTION},
                    "4": {"resolution_text": NON_PUBLIC_RESOLUTION, "result": "beschlossen"},
                },
            )
            second = _meeting(
                svc, "13. Sitzung des Rates", public_agenda_data(),
                place="Bürgerhaus Lindenau", start_time="19:00",
            )  # fmt: skip
            svc.publish(second)
            draft = _meeting(svc, DRAFT_TITLE, sample_agenda_data())
            yield Published(svc, first, second, draft)
        finally:
            svc.close()


# ---- the crawler ----------------------------------------------------------------------------


@dataclass
class Crawl:
    """What a crawl from the System found."""

    objects: dict[str, dict[str, Any]] = field(default_factory=dict)  # id -> object
    pages: dict[str, dict[str, Any]] = field(default_factory=dict)  # url -> list page
    files: dict[str, bytes] = field(default_factory=dict)  # accessUrl/downloadUrl -> bytes
    texts: dict[str, str] = field(default_factory=dict)  # url -> body (files: their text)
    errors: list[str] = field(default_factory=list)  # schema and consistency errors
    dead: list[str] = field(default_factory=list)  # links that did not answer 200
    embedded: list[tuple[str, dict[str, Any]]] = field(default_factory=list)  # (in, object)
    entries: list[dict[str, Any]] = field(default_factory=list)  # objects in list pages

    @property
    def links(self) -> int:
        return len(self.objects) + len(self.pages) + len(self.files)


def _path(url: str) -> str:
    assert url.startswith(BASE + "/"), url
    return url[len(BASE) :]


def _urls(value: Any) -> Iterator[str]:
    """Every string under the base URL anywhere in ``value``."""
    if isinstance(value, str):
        if value.startswith(BASE + "/"):
            yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _urls(item)
    elif isinstance(value, list):
        for item in value:
            yield from _urls(item)


def _objects_in(value: Any, depth: int = 0) -> Iterator[tuple[dict[str, Any], int]]:
    """The OParl objects inside an answer, with their depth (0: the answer itself; in a
    list page the entries of ``data`` are at depth 1)."""
    if isinstance(value, dict):
        if isinstance(value.get("type"), str) and "id" in value:
            yield value, depth
        for item in value.values():
            yield from _objects_in(item, depth + 1 if "type" in value else depth)
    elif isinstance(value, list):
        for item in value:
            yield from _objects_in(item, depth + 1)


def _file_text(content: bytes, mime: str, tmp: Path) -> str:
    if mime == "application/pdf":
        path = tmp / f"{hashlib.sha256(content).hexdigest()}.pdf"
        path.write_bytes(content)
        return pdf_text(path)
    if mime == OFFICE_MIME:
        document = Document(io.BytesIO(content))
        cells = [c.text for t in document.tables for r in t.rows for c in r.cells]
        return "\n".join([p.text for p in document.paragraphs] + cells)
    return content.decode("utf-8")


def crawl(client: TestClient, tmp: Path, start: str = SYSTEM) -> Crawl:
    """Follow every URL under the base from ``start``: objects, list pages (and their
    pagination links), accessUrl and downloadUrl."""
    found = Crawl()
    queue, seen = [start], set()
    while queue:
        url = queue.pop(0)
        if url in seen:
            continue
        seen.add(url)
        response = client.get(_path(url))
        if response.status_code != 200:
            found.dead.append(f"{url}: {response.status_code} {response.text[:200]}")
            continue
        mime = response.headers["content-type"].split(";")[0]
        if url.endswith(("/access", "/download")):
            found.files[url] = response.content
            found.texts[url] = _file_text(response.content, mime, tmp)
            continue
        assert mime == "application/json", url
        assert response.headers["access-control-allow-origin"] == "*", url
        found.texts[url] = response.text
        data = response.json()
        if "pagination" in data:
            found.pages[url] = data
            found.errors += [f"{url}: {e}" for e in list_errors(data)]
            if data["links"].get("self") != url:
                found.errors.append(f"{url}: links.self is {data['links'].get('self')}")
        else:
            found.objects[url] = data
            found.errors += [f"{url}: {e}" for e in schema_errors(data)]
            if data.get("id") != url:
                found.errors.append(f"{url}: served an object with id {data.get('id')}")
        top = 1 if "pagination" in data else 0  # list entries are whole objects
        found.embedded += [(url, obj) for obj, depth in _objects_in(data) if depth > top]
        found.entries += [obj for obj, depth in _objects_in(data) if depth == top == 1]
        queue += [u for u in _urls(data) if u not in seen]
    return found


# the back reference an object has at its own id, and not where it is embedded
BACK_REFERENCE = {
    "AgendaItem": "meeting", "File": "meeting", "Location": "meetings", "Consultation": "paper",
}  # fmt: skip


def _consistency_errors(found: Crawl) -> list[str]:
    """A list entry is the object at its id; an embedded object is that object without its
    back reference."""
    errors = []
    for entry in found.entries:
        if found.objects.get(entry["id"]) != entry:
            errors.append(f"{entry['id']}: the list entry differs from the object at its id")
    for container, obj in found.embedded:
        standalone = found.objects.get(obj["id"])
        if standalone is None:
            errors.append(f"{obj['id']} (in {container}) was never served")
            continue
        back = BACK_REFERENCE.get(obj["type"].rsplit("/", 1)[1])
        if back is None or back in obj or back not in standalone:
            errors.append(f"{obj['id']} in {container}: back reference {back!r} wrong")
        if {k: v for k, v in standalone.items() if k != back} != obj:
            errors.append(f"{obj['id']}: differs from the object at its id")
    return errors


# ---- the crawl ------------------------------------------------------------------------------


@needs_office
def test_a_crawl_from_the_system_reaches_every_file_without_errors(
    published: Published, tmp_path: Path
) -> None:
    svc = published.svc
    found = crawl(svc.client("pruefer"), tmp_path)
    assert found.dead == []
    assert found.errors == []
    assert _consistency_errors(found) == []

    kinds: dict[str, int] = {}
    for obj in found.objects.values():
        kind = obj["type"].rsplit("/", 1)[1]
        kinds[kind] = kinds.get(kind, 0) + 1
    # both published meetings, their 3 + 3 public items, 2 locations, 2 x (PDF, DOCX),
    # the papers 2026/045 (in both meetings) and 2026/051, one consultation per paper item
    assert kinds == {
        "System": 1, "Body": 1, "Meeting": 2, "AgendaItem": 6, "Location": 2, "File": 4,
        "Paper": 2, "Consultation": 4,
    }  # fmt: skip
    assert len(found.files) == 8  # accessUrl and downloadUrl of each File
    # page_size = 1: every list is paged, and every page was reached through the links
    meetings = f"{BASE}/oparl/body/1/meeting"
    assert sorted(u for u in found.pages if u.startswith(meetings)) == [
        meetings,
        f"{meetings}?page=2",
    ]
    assert all(p["pagination"]["elementsPerPage"] == 1 for p in found.pages.values())
    print(f"OParl crawl: {len(found.objects)} objects, {len(found.pages)} list pages, "
          f"{len(found.files)} file URLs, 0 schema errors, 0 dead links")  # fmt: skip

    system = found.objects[SYSTEM]
    assert system["oparlVersion"] == "https://schema.oparl.org/1.1/"
    body = found.objects[f"{BASE}/oparl/body/1"]
    assert body["name"] == "Gemeinde Lindenau"
    assert body["license"] == "https://www.govdata.de/dl-de/by-2-0"

    # the files are the public version's documents, byte for byte
    folder = svc.ctx.layout.published(published.with_non_public)
    public_pdf = (folder / "niederschrift.oeffentlich.pdf").read_bytes()
    assert found.files[f"{BASE}/oparl/file/{published.with_non_public}/"
                       "niederschrift.oeffentlich.pdf/access"] == public_pdf  # fmt: skip

    # order counts from 0; the non-public item (position 3) keeps its place, unseen
    meeting = found.objects[f"{BASE}/oparl/meeting/{published.with_non_public}"]
    assert [i["order"] for i in meeting["agendaItem"]] == [0, 1, 2]
    assert [i["number"] for i in meeting["agendaItem"]] == ["1", "2", "3"]
    assert meeting["agendaItem"][1]["resolutionText"] == PUBLIC_RESOLUTION
    paper = found.objects[f"{BASE}/oparl/paper/Vorlage%202026%2F045"]
    assert paper["reference"] == "Vorlage 2026/045"
    assert [c["meeting"] for c in paper["consultation"]] == [
        f"{BASE}/oparl/meeting/{published.with_non_public}",
        f"{BASE}/oparl/meeting/{published.all_public}",
    ]


@needs_office
def test_the_endpoint_serves_what_publication_wrote_into_oparl_json(published: Published) -> None:
    svc = published.svc
    for meeting_id in (published.with_non_public, published.all_public):
        written = json.loads(
            (svc.ctx.layout.published(meeting_id) / "oparl.json").read_text(encoding="utf-8")
        )
        served = svc.client("anonymous").get(f"/oparl/meeting/{meeting_id}").json()
        assert served == written


@needs_office
def test_an_anonymous_crawl_finds_nothing_non_public(published: Published, tmp_path: Path) -> None:
    svc = published.svc
    anonymous = svc.client("anonymous")
    assert anonymous.get("/api/meetings").status_code == 401  # really without credentials
    found = crawl(anonymous, tmp_path)
    assert found.dead == [] and found.errors == []
    assert len(found.objects) == 22 and len(found.files) == 8

    # what the non-public item said, the draft: in no answer, no document
    secrets = [NON_PUBLIC_TITLE, NON_PUBLIC_RESOLUTION, NON_PUBLIC_PAPER, DRAFT_TITLE]
    for url, text in found.texts.items():
        for secret in [*secrets, published.draft]:
            assert secret not in text, (secret, url)
    # no account in the JSON; in the documents only the approver of their approval note
    for url, text in found.texts.items():
        document = url.endswith(("/access", "/download"))
        for username, _roles in USERS.values():
            if not (document and username == "pruefer"):
                assert username not in text.lower(), (username, url)
    assert any("Pruefer" in t for u, t in found.texts.items() if u.endswith("/access"))

    # the full version's documents are never served, under any name
    full = svc.ctx.layout.published(published.with_non_public)
    full_hashes = {
        hashlib.sha256((full / name).read_bytes()).hexdigest()
        for name in ("niederschrift.pdf", "niederschrift.docx", "minutes.json", "oparl.json")
    }
    served = {hashlib.sha256(content).hexdigest() for content in found.files.values()}
    assert served and not served & full_hashes

    # ... nor found by guessing its address
    first, draft = published.with_non_public, published.draft
    for path in (
        f"/oparl/file/{first}/niederschrift.pdf/access",
        f"/oparl/file/{first}/niederschrift.docx/download",
        f"/oparl/file/{first}/minutes.json/access",
        f"/oparl/file/{first}/minutes.oeffentlich.json/access",
        f"/oparl/file/{first}/oparl.json/access",
        f"/oparl/file/{first}/..%2Fveroeffentlicht%2Fniederschrift.pdf/access",
        f"/oparl/agendaitem/{first}-3",
        f"/oparl/consultation/{first}-3",
        "/oparl/paper/Vorlage%202026%2F052%20N",
        f"/oparl/meeting/{draft}",
        f"/oparl/location/{draft}",
        f"/oparl/agendaitem/{draft}-0",
        f"/oparl/file/{draft}/niederschrift.pdf/access",
        "/oparl/body/2",
        "/oparl/body/2/meeting",
    ):
        response = anonymous.get(path)
        assert response.status_code == 404, path
        assert "gibt es" in response.json()["detail"], path
        assert NON_PUBLIC_TITLE not in response.text


@needs_office
def test_lists_are_paged_and_filtered(published: Published) -> None:
    client = published.svc.client("anonymous")
    meetings = f"{BASE}/oparl/body/1/meeting"
    first = client.get("/oparl/body/1/meeting").json()
    assert first["pagination"] == {
        "totalElements": 2, "elementsPerPage": 1, "currentPage": 1, "totalPages": 2,
    }  # fmt: skip
    assert first["links"] == {
        "first": meetings,
        "self": meetings,
        "next": f"{meetings}?page=2",
        "last": f"{meetings}?page=2",
    }
    second = client.get(_path(first["links"]["next"])).json()
    assert second["links"]["prev"] == meetings and "next" not in second["links"]
    # in the order of publication
    ids = [first["data"][0]["id"], second["data"][0]["id"]]
    assert ids == [f"{BASE}/oparl/meeting/{m}" for m in (published.with_non_public,
                                                         published.all_public)]  # fmt: skip
    missing = client.get("/oparl/body/1/meeting", params={"page": 3})
    assert missing.status_code == 404 and "Listenseite" in missing.json()["detail"]
    # a client may ask for fewer per page, not for more than the server gives
    more = client.get("/oparl/body/1/meeting", params={"elementsPerPage": 50}).json()
    assert more["pagination"]["elementsPerPage"] == 1
    assert "elementsPerPage=50" in more["links"]["next"]
    bad = client.get("/oparl/body/1/meeting", params={"elementsPerPage": 0})
    assert bad.status_code == 422 and "elementsPerPage" in bad.json()["detail"]

    # filters on modified / created; they stay in every link
    modified = first["data"][0]["modified"]
    since = client.get("/oparl/body/1/meeting", params={"modified_since": modified}).json()
    assert since["pagination"]["totalElements"] in (1, 2)
    assert all(m["modified"] >= modified for m in since["data"])
    future = client.get("/oparl/body/1/meeting",
                        params={"created_since": "2100-01-01T00:00:00+01:00"}).json()  # fmt: skip
    assert future["data"] == [] and future["pagination"]["totalElements"] == 0
    assert "created_since=2100-01-01T00%3A00%3A00%2B01%3A00" in future["links"]["self"]
    past = client.get("/oparl/body/1/paper",
                      params={"modified_until": "2000-01-01T00:00:00+01:00"}).json()  # fmt: skip
    assert past["data"] == []
    wrong = client.get("/oparl/body/1/meeting", params={"created_since": "gestern"})
    assert wrong.status_code == 422 and "Ungültige Angaben" in wrong.json()["detail"]
    # the lists with nothing in them
    people = client.get("/oparl/body/1/person").json()
    assert people["data"] == [] and list_errors(people) == []


@needs_office
def test_files_access_inline_and_download_as_attachment(published: Published) -> None:
    client = published.svc.client("anonymous")
    stem = f"/oparl/file/{published.all_public}/niederschrift.pdf"
    access = client.get(stem + "/access")
    assert access.status_code == 200 and access.content.startswith(b"%PDF")
    assert access.headers["content-type"] == "application/pdf"
    assert "attachment" not in access.headers.get("content-disposition", "")
    download = client.get(stem + "/download")
    assert download.content == access.content
    disposition = download.headers["content-disposition"]
    assert disposition.startswith("attachment;") and "niederschrift.pdf" in disposition
    described = client.get(stem).json()
    assert described["size"] == len(access.content)
    assert described["sha512Checksum"] == hashlib.sha512(access.content).hexdigest()
    assert described["meeting"] == [f"{BASE}/oparl/meeting/{published.all_public}"]


@needs_office
def test_unknown_oparl_paths_answer_in_json(published: Published) -> None:
    response = published.svc.client("anonymous").get("/oparl/gibtsnicht")
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("application/json")


# ---- without a public base URL --------------------------------------------------------------


def test_without_a_public_base_url_the_interface_says_so(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    svc = make_service(tmp_path, monkeypatch)
    try:
        client = svc.client("anonymous")
        for path in (
            "/oparl/system",
            "/oparl/body",
            "/oparl/body/1",
            "/oparl/body/1/meeting",
            "/oparl/body/1/paper",
            "/oparl/meeting/0123456789abcdef0123456789abcdef",
            "/oparl/file/0123456789abcdef0123456789abcdef/niederschrift.pdf/access",
        ):
            response = client.get(path)
            assert response.status_code == 503, path
            detail = response.json()["detail"]
            assert "nicht eingerichtet" in detail and "public_base_url" in detail, path
            assert "urn:" not in response.text
    finally:
        svc.close()


def test_an_invalid_public_base_url_is_named(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = '[review]\npublic_base_url = "rat.lindenau.example"\n'
    (tmp_path / "config.toml").write_text(config, encoding="utf-8")
    svc = make_service(tmp_path, monkeypatch)
    try:
        response = svc.client("anonymous").get("/oparl/system")
        assert response.status_code == 503
        assert "„rat.lindenau.example“" in response.json()["detail"]
        assert "ungültig" in response.json()["detail"]
    finally:
        svc.close()
