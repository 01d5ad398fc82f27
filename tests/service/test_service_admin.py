"""Administration (issue #17): roles edited on the user page, the audit-log browser and its
CSV export, the municipality's own register settings, and the letterhead template, through
the app (the browser tests are in test_admin_web.py)."""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from protokoll.service.infra import auth
from protokoll.service.infra.tables import AuditEntry, Municipality
from protokoll.service.usecases import accounts, audit_log, municipalities
from tests.support.letterhead import DOCX_TYPE, header_text, letterhead_docx
from tests.support.service import (
    NON_PUBLIC_TITLE,
    PASSWORD,
    SENTENCES,
    Service,
    make_service,
    running_service,
)

CONFIG = """
[ai_register]
organization = "Gemeinde Lindenau"
contact_email = "rat@lindenau.de"
"""


@pytest.fixture
def service(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Service]:
    yield from running_service(tmp_path, monkeypatch)


@pytest.fixture
def configured(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Service]:
    (tmp_path / "config.toml").write_text(CONFIG, encoding="utf-8")
    svc = make_service(tmp_path, monkeypatch)
    try:
        yield svc
    finally:
        svc.close()


def _actions(svc: Service, action: str) -> list[AuditEntry]:
    with svc.ctx.db.session() as s:
        rows = list(s.scalars(select(AuditEntry).where(AuditEntry.action == action)))
        s.expunge_all()
        return rows


def _own_settings(svc: Service) -> dict[str, Any]:
    with svc.ctx.db.session() as s:
        found = s.get(Municipality, "standard")
        assert found is not None
        return dict(found.settings or {})


# ---- roles ---------------------------------------------------------------------------------


def test_roles_are_edited_on_the_user_page(service: Service) -> None:
    admin = service.client("admin")
    target = service.user_ids["pruefer"]
    page = admin.get(f"/verwaltung/benutzer/{target}")
    assert page.status_code == 200
    assert 'name="roles" type="checkbox" value="pruefer" checked' in page.text
    response = admin.post(
        f"/verwaltung/benutzer/{target}/rollen",
        data={"display_name": "Petra Prüfer", "roles": ["schriftfuehrer", "pruefer"]},
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text
    assert response.headers["location"].startswith("/verwaltung/benutzer?hinweis=rollen")
    changed = service.user("pruefer")
    assert changed.role_set == {"schriftfuehrer", "pruefer"}
    assert changed.display_name == "Petra Prüfer"
    (entry,) = _actions(service, "user.changed")
    assert '"roles":["schriftfuehrer","pruefer"]' in entry.details

    # none at all, and the separation of duties for oneself: German, no internal names
    refused = admin.post(f"/verwaltung/benutzer/{target}/rollen", data={"display_name": "x"})
    assert refused.status_code == 422 and "Erlaubte Rollen: Schriftführung" in refused.text
    own = service.user_ids["admin"]
    refused = admin.post(f"/verwaltung/benutzer/{own}/rollen", data={"roles": ["pruefer"]})
    assert refused.status_code == 409 and "eigene Verwaltungsrolle" in refused.text
    refused = admin.post(f"/verwaltung/benutzer/{own}/rollen", data={"roles": ["admin", "pruefer"]})
    assert refused.status_code == 403 and "nicht selbst" in refused.text
    assert service.user("admin").role_set == {"admin"}
    for role in ("schriftfuehrer", "pruefer"):
        assert service.client(role).get(f"/verwaltung/benutzer/{target}").status_code == 403
    assert admin.get("/verwaltung/benutzer/999999").status_code == 404


def test_messages_name_roles_in_german(service: Service) -> None:
    refused = service.client("pruefer").get("/api/users")
    assert refused.json()["detail"] == "Benutzer verwaltet nur, wer die Rolle Verwaltung hat."
    created = service.client("admin").post(
        "/api/users", json={"username": "neu", "password": "x" * 12, "roles": []}
    )
    detail = created.json()["detail"]
    assert created.status_code == 422 and "Schriftführung, Prüfung, Verwaltung" in detail
    assert "schriftfuehrer" not in detail and "pruefer" not in detail


# ---- the audit log -------------------------------------------------------------------------


def _csv(text: str) -> list[dict[str, str]]:
    assert text.startswith("\ufeff")
    return list(csv.DictReader(io.StringIO(text.removeprefix("\ufeff")), delimiter=";"))


def test_audit_csv_has_german_headers_filters_and_no_transcript_text(service: Service) -> None:
    meeting, _recording, _job = service.meeting_with_job()
    other = service.create_meeting()
    admin = service.client("admin")
    response = admin.get("/api/audit.csv")
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/csv")
    assert "pruefprotokoll_" in response.headers["content-disposition"]
    rows = _csv(response.text)
    assert list(rows[0]) == list(audit_log.CSV_HEADERS)
    numbers = [int(r["Nr."]) for r in rows]
    assert numbers == sorted(numbers, reverse=True)  # newest first
    assert rows[0]["Kennung der Aktion"] == "audit.exported"  # the export itself, first
    assert {"Sitzung angelegt", "KI-Schritt: Transkription"} <= {r["Aktion"] for r in rows}
    # the audit never holds what was said, nor a non-public agenda title
    for _start, _end, sentence in SENTENCES:
        assert sentence not in response.text and sentence[:25] not in response.text
    assert NON_PUBLIC_TITLE not in response.text

    ai = _csv(admin.get("/api/audit.csv", params={"kind": "ai"}).text)
    assert ai and {r["Art"] for r in ai} == {"KI"}
    own = _csv(admin.get("/api/audit.csv", params={"meeting_id": meeting["id"]}).text)
    assert {r["Sitzung"] for r in own} == {meeting["id"]}
    assert other["id"] not in {r["Sitzung"] for r in own}
    assert own[0]["Sitzung (Gremium, Datum)"] == "Rat der Gemeinde Lindenau, 19.11.2026"
    by_user = _csv(admin.get("/api/audit.csv", params={"actor": "schreiber"}).text)
    assert by_user and {r["Person"] for r in by_user} == {"schreiber"}
    created = _csv(admin.get("/api/audit.csv", params={"action": "meeting.created"}).text)
    assert len(created) == 2
    listed = admin.get("/api/audit", params={"action": "meeting.created", "limit": 10}).json()
    assert [e["meeting_id"] for e in listed] == [meeting["id"], other["id"]]  # ascending

    wrong = admin.get("/api/audit.csv", params={"kind": "irgendwas"})
    assert wrong.status_code == 422 and "Unbekannte Art" in wrong.json()["detail"]
    for role in ("schriftfuehrer", "pruefer"):
        assert service.client(role).get("/api/audit.csv").status_code == 403
    assert len(_actions(service, "audit.exported")) == 5  # refused ones are not exports


def test_a_formula_in_a_cell_is_not_run_by_a_spreadsheet(service: Service) -> None:
    service.create_meeting(body='=HYPERLINK("https://boese.example")')
    rows = _csv(service.client("admin").get("/api/audit.csv").text)
    shown = {r["Sitzung (Gremium, Datum)"] for r in rows if r["Sitzung"]}
    assert all(not cell.startswith("=") for cell in shown)
    assert any(cell.startswith("'=HYPERLINK") for cell in shown)


def test_the_audit_page_pages_newest_first_and_filters(service: Service) -> None:
    for _ in range(3):
        service.create_meeting()
    admin = service.client("admin")
    page = admin.get("/verwaltung/protokoll", params={"aktion": "meeting.created"})
    assert page.status_code == 200
    assert "3 Einträge" in page.text and page.text.count("Sitzung angelegt") >= 3
    assert 'href="/api/audit.csv?action=meeting.created"' in page.text
    with service.ctx.db.session() as s:
        admin_user = s.get(type(service.user("admin")), service.user_ids["admin"])
        assert admin_user is not None
        flt = audit_log.AuditFilter(action="meeting.created")
        first = audit_log.entries_page(s, admin_user, flt, 1, size=2)
        second = audit_log.entries_page(s, admin_user, flt, 2, size=2)
        beyond = audit_log.entries_page(s, admin_user, flt, 9, size=2)
    assert (first.total, first.pages) == (3, 2)
    assert [e["seq"] for e in first.entries] == sorted(
        (e["seq"] for e in first.entries), reverse=True
    )
    assert first.entries[-1]["seq"] > second.entries[0]["seq"]
    assert beyond.number == 2  # past the last page: the last page
    assert admin.get("/verwaltung/protokoll", params={"art": "x"}).status_code == 422
    assert service.client("pruefer").get("/verwaltung/protokoll").status_code == 403


# ---- the register settings -----------------------------------------------------------------


REGISTER_FORM = {
    "organization": "Stadt Lindenau",
    "department": "Büro des Rates",
    "contact_email": "ki@lindenau.de",
    "website": "https://www.lindenau.de/ki",
    "purpose": "Entwürfe der Niederschriften.",
    "legal_basis": "§ 52 GO NRW",
    "dpia_url": "https://www.lindenau.de/dsfa.pdf",
    "status": "in Erprobung",
    "begin_date": "2026-03-01",
    "publication_category": "Sonstiger Algorithmus",
    "region": "International",
    "themes_sent": "1",
    "themes": ["Organisation und Verwaltung", "Recht"],
}


def test_the_admin_sets_the_municipality_s_register_settings(configured: Service) -> None:
    admin = configured.client("admin")
    page = admin.get("/verwaltung/ki-register")
    assert 'value="Gemeinde Lindenau"' in page.text  # config.toml: the default
    saved = admin.post("/verwaltung/ki-register", data=REGISTER_FORM, follow_redirects=False)
    assert saved.status_code == 303, saved.text
    entry = admin.get("/api/register").json()["eintrag"]
    assert "Stadt Lindenau" in str(entry) and "Gemeinde Lindenau" not in str(entry)
    own = _own_settings(configured)["ai_register"]
    assert own["organization"] == "Stadt Lindenau" and own["themes"] == [
        "Organisation und Verwaltung", "Recht",
    ]  # fmt: skip
    assert "region" not in own  # as the installation's: not copied, config.toml holds
    assert configured.ctx.settings.ai_register.organization == "Gemeinde Lindenau"
    (entry_row,) = _actions(configured, "register.settings_changed")
    assert "Stadt Lindenau" in entry_row.details and "region" not in entry_row.details
    page = admin.get("/verwaltung/ki-register")
    assert 'value="Stadt Lindenau"' in page.text and "<option selected>in Erprobung" in page.text

    # only what is sent changes; the installation's value again drops the own one
    admin.post("/verwaltung/ki-register", data={"organization": "Gemeinde Lindenau"})
    own = _own_settings(configured)["ai_register"]
    assert "organization" not in own and own["department"] == "Büro des Rates"


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("contact_email", "keine-adresse", "keine E-Mail-Adresse"),
        ("website", "www.lindenau.de", "https://"),
        ("begin_date", "März 2026", "ein Datum"),
        ("status", "fertig", "bitte einen dieser Werte"),
        ("themes", "Raumfahrt", "unbekanntes Thema"),
    ],
)
def test_invalid_register_settings_are_refused_in_german(
    configured: Service, field: str, value: str, message: str
) -> None:
    admin = configured.client("admin")
    form = {**REGISTER_FORM, field: value}
    refused = admin.post("/verwaltung/ki-register", data=form)
    assert refused.status_code == 422 and message in refused.text
    assert f'value="{value}"' in refused.text or value in refused.text  # kept for a retry
    assert "ai_register" not in _own_settings(configured)
    assert _actions(configured, "register.settings_changed") == []
    empty = admin.post("/verwaltung/ki-register", data={"themes_sent": "1"})
    assert empty.status_code == 422 and "mindestens ein Thema" in empty.text


def test_only_the_admin_sets_register_settings(configured: Service) -> None:
    for role in ("schriftfuehrer", "pruefer"):
        response = configured.client(role).post("/verwaltung/ki-register", data=REGISTER_FORM)
        assert response.status_code == 403
    assert "ai_register" not in _own_settings(configured)


# ---- the letterhead template ---------------------------------------------------------------


def test_the_admin_uploads_the_letterhead_and_reverts_to_the_default(service: Service) -> None:
    meeting, _recording, _job = service.meeting_with_job()
    admin = service.client("admin")
    page = admin.get("/verwaltung/vorlage")
    assert "Mitgelieferte Vorlage" in page.text
    data = letterhead_docx("Briefkopf der Gemeinde Lindenau")
    response = admin.post(
        "/verwaltung/vorlage", files={"datei": ("Briefkopf Lindenau.docx", data, DOCX_TYPE)},
        follow_redirects=False,
    )  # fmt: skip
    assert response.status_code == 303, response.text
    stored = service.ctx.settings.service.data_dir / "vorlagen" / "niederschrift.docx"
    assert stored.read_bytes() == data
    assert not [p for p in stored.parent.iterdir() if p.name.endswith(".part")]
    assert _own_settings(service)["minutes"] == {"template": "vorlagen/niederschrift.docx"}
    page = admin.get("/verwaltung/vorlage")
    assert "Eigene Vorlage der Kommune" in page.text
    assert admin.get("/verwaltung/vorlage/datei").content == data
    url = f"/api/meetings/{meeting['id']}/versions/1/documents/niederschrift.docx"
    document = service.client("pruefer").get(url)
    assert "Briefkopf der Gemeinde Lindenau" in header_text(document.content)
    (entry,) = _actions(service, "template.uploaded")
    assert "Briefkopf Lindenau.docx" in entry.details and '"size":' in entry.details

    reverted = admin.post("/verwaltung/vorlage/zuruecksetzen", follow_redirects=False)
    assert reverted.status_code == 303
    assert "minutes" not in _own_settings(service)
    assert "Mitgelieferte Vorlage" in admin.get("/verwaltung/vorlage").text
    document = service.client("pruefer").get(url)
    assert "Lindenau" not in header_text(document.content)
    assert len(_actions(service, "template.reset")) == 1


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("brief.docx", b"%PDF-1.4\n" + b"x" * 2000, "kein Word-Dokument"),
        ("leer.docx", b"", "leer"),
        ("gross.docx", b"PK" + b"\x00" * (10 * 1024**2), "zu groß"),
    ],
)
def test_a_template_that_is_no_docx_is_refused(
    service: Service, name: str, data: bytes, message: str
) -> None:
    response = service.client("admin").post(
        "/verwaltung/vorlage", files={"datei": (name, data, DOCX_TYPE)}
    )
    assert response.status_code in (400, 422) and message in response.text
    assert "minutes" not in _own_settings(service)
    assert not (service.ctx.settings.service.data_dir / "vorlagen" / "niederschrift.docx").exists()


def test_a_template_with_macros_is_refused(service: Service) -> None:
    data = letterhead_docx("Makro")
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            blob = src.read(info)
            if info.filename == "[Content_Types].xml":
                blob = blob.replace(
                    b"wordprocessingml.document.main+xml",
                    b"ms-word.document.macroEnabled.main+xml",
                )
            dst.writestr(info, blob)
    response = service.client("admin").post(
        "/verwaltung/vorlage", files={"datei": ("makro.docm", out.getvalue(), DOCX_TYPE)}
    )
    assert response.status_code == 422 and "Makros" in response.text


def test_only_the_admin_changes_the_template(service: Service) -> None:
    data = letterhead_docx("Fremd")
    for role in ("schriftfuehrer", "pruefer"):
        client = service.client(role)
        assert client.get("/verwaltung/vorlage").status_code == 403
        response = client.post("/verwaltung/vorlage", files={"datei": ("x.docx", data, DOCX_TYPE)})
        assert response.status_code == 403
    assert "minutes" not in _own_settings(service)


# ---- two municipalities --------------------------------------------------------------------


def test_each_admin_changes_only_their_own_municipality(service: Service) -> None:
    """B's admin: the template lies in B's folder, the register settings are B's; A's
    admin sees none of B's audit entries and cannot reach B's accounts."""
    with service.ctx.db.session() as s:
        district = auth.create_user(s, "kreis", PASSWORD, ["kreisadmin"])
        municipalities.create(s, service.ctx, district, "olfen", "Stadt Olfen")
        b_admin = municipalities.create_admin(s, district, "olfen", "olfen-admin", PASSWORD)
        b_admin.must_change_password = False
        token, _record = auth.create_api_token(s, b_admin, "Tests")
        b_user = accounts.create_user(s, b_admin, "olfen-schrift", PASSWORD, ["schriftfuehrer"])
        b_user_id = b_user.id
    b = service.token_client(token)
    upload = b.post(
        "/verwaltung/vorlage", files={"datei": ("olfen.docx", letterhead_docx("Olfen"), DOCX_TYPE)}
    )
    assert upload.status_code == 200 and "Eigene Vorlage der Kommune" in upload.text
    data = service.ctx.settings.service.data_dir
    assert (data / "mandanten" / "olfen" / "vorlagen" / "niederschrift.docx").is_file()
    assert not (data / "vorlagen").exists()
    saved = b.post("/verwaltung/ki-register", data={"organization": "Stadt Olfen"})
    assert saved.status_code == 200 and 'value="Stadt Olfen"' in saved.text
    with service.ctx.db.session() as s:
        olfen = s.get(Municipality, "olfen")
        assert olfen is not None and olfen.settings["ai_register"] == {
            "organization": "Stadt Olfen"
        }
    assert _own_settings(service) == {}

    a = service.client("admin")
    assert "Mitgelieferte Vorlage" in a.get("/verwaltung/vorlage").text
    assert "Stadt Olfen" not in a.get("/verwaltung/ki-register").text
    for response in (a.get("/api/audit.csv"), a.get("/verwaltung/protokoll")):
        assert response.status_code == 200
        assert "olfen" not in response.text and "Olfen" not in response.text
    assert "template.uploaded" in b.get("/api/audit.csv").text
    assert a.get(f"/verwaltung/benutzer/{b_user_id}").status_code == 404
    refused = a.post(f"/verwaltung/benutzer/{b_user_id}/rollen", data={"roles": ["pruefer"]})
    assert refused.status_code == 404


def test_the_audit_page_shows_details_in_german() -> None:
    """Walk-through of #17: the column "Angaben" showed raw keys and JSON ("edit_rate:
    0.13504823151125403", "reason: veroeffentlichung", a dict of file hashes)."""
    shown = audit_log.details_text(
        {
            "version": 3, "source": "web", "edit_rate": 0.13504823151125403,
            "edit_rate_items": {"1": 0.0, "2": 0.25}, "reason": "veroeffentlichung",
            "approved_by": ["Petra Prüfer"], "published": True,
            "files": {"a.docx": "0" * 64, "b.pdf": "1" * 64, "c.json": "2" * 64},
        }
    )  # fmt: skip
    assert shown == (
        "Fassung: 3; Quelle: Browser; Änderungsanteil: 13,5 %; "
        "Änderungsanteil je TOP: TOP 1: 0,0 %, TOP 2: 25,0 %; Grund: Veröffentlichung; "
        "freigegeben von: Petra Prüfer; veröffentlicht: ja; Dateien: 3 Dateien"
    )
    assert "{" not in shown and "_" not in shown
    assert audit_log.details_text({"unbekannt_key": 1.5}) == "unbekannt_key: 1,5"
    # every action the service writes has a German name, job steps of the queue included
    for action in ("job.claimed", "job.done", "job.reclaimed", "job.stopped"):
        assert audit_log.action_label(action) != action


def test_the_register_page_names_missing_values_as_its_form_does(service: Service) -> None:
    """Walk-through of #17: "es fehlen: [ai_register] organization, …" stood above a form
    whose fields read "Organisation" etc. The page names them as the form does."""
    page = service.client("admin").get("/verwaltung/ki-register")
    assert page.status_code == 200
    assert "[ai_register]" not in page.text
    assert "es fehlen (werden weggelassen, bitte unten eintragen): „Organisation“" in page.text
