"""The register exports in the running service: the admin chooses the target on the
register page and by API; each file is the target's own, in its language; a target whose
required settings are missing answers in German; only admins export; each export is logged."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from protokoll.register.standards import validate
from protokoll.service.infra import audit
from protokoll.service.infra.tables import AuditEntry
from tests.support.service import Service, make_service

COMPLETE = """
[ai_register]
organization = "Gemeinde Musterstadt"
department = "Büro des Rates"
contact_email = "rat@musterstadt.de"
website = "https://www.musterstadt.de/ki"
legal_basis = "§ 52 GO NRW"
dpia_url = "https://www.musterstadt.de/dsfa.pdf"
begin_date = "2026-03-01"
status = "in Erprobung"

[ai_register.texts.nld]
lawful_basis = "Gemeentewet art. 147"
"""


def _service(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, config: str) -> Service:
    (tmp_path / "config.toml").write_text(config, encoding="utf-8")
    return make_service(tmp_path, monkeypatch)


@pytest.fixture
def complete(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Service]:
    svc = _service(tmp_path, monkeypatch, COMPLETE)
    try:
        yield svc
    finally:
        svc.close()


@pytest.fixture
def bare(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Service]:
    svc = _service(tmp_path, monkeypatch, "# no [ai_register]\n")
    try:
        yield svc
    finally:
        svc.close()


@pytest.mark.parametrize(
    ("target", "file_name", "check"),
    [
        ("nl", "algoritmeregister.nl.json", {"lang": "nld", "status": "In gebruik"}),
        ("uk", "atrs.uk.json", {}),
        ("de", "ki-register.de.json", {"schema": "protokoll-ki-register"}),
    ],
)
def test_admin_downloads_each_targets_file(
    complete: Service, target: str, file_name: str, check: dict[str, str]
) -> None:
    admin = complete.client("admin")
    summary = admin.get(f"/api/register/{target}")
    assert summary.status_code == 200, summary.text
    assert summary.json()["dateiname"] == file_name
    download = admin.get(f"/api/register/{target}/datei")
    assert download.status_code == 200
    assert f'filename="{file_name}"' in download.headers["content-disposition"]
    data = download.json()
    validate(data, target)
    assert data.items() >= check.items()
    if target == "uk":
        assert data["summary_information"]["phase"] == "Private beta"
    with complete.ctx.db.session() as s:
        logged = [audit.entry_view(e) for e in s.query(AuditEntry).order_by(AuditEntry.seq)]
    exported = [e for e in logged if e["action"] == "register.exported"]
    assert exported[-1]["details"] == {"format": "json", "target": target}


def test_missing_required_settings_are_a_german_422(bare: Service) -> None:
    admin = bare.client("admin")
    for target in ("nl", "uk"):
        r = admin.get(f"/api/register/{target}/datei")
        assert r.status_code == 422
        assert "fehlen Pflichtangaben" in r.json()["detail"]
        assert "[ai_register] contact_email" in r.json()["detail"]
    assert admin.get("/api/register/de").status_code == 200  # the German entry is lenient
    unknown = admin.get("/api/register/fr")
    assert unknown.status_code == 422


@pytest.mark.parametrize("role", ["schriftfuehrer", "pruefer", "anonymous"])
def test_only_admins_export(complete: Service, role: str) -> None:
    r = complete.client(role).get("/api/register/nl/datei")
    assert r.status_code in (401, 403)


def test_the_register_page_offers_each_target_with_its_state(bare: Service) -> None:
    page = bare.client("admin").get("/verwaltung/ki-register")
    assert page.status_code == 200
    html = page.text
    for target in ("de", "nl", "uk"):
        assert f'id="ziel-{target}"' in html
    assert 'href="/api/register/de/datei"' in html and "ki-register.de.json" in html
    # NL and UK cannot be built without the contact address: said, no download link
    assert 'href="/api/register/nl/datei"' not in html and "Nicht möglich." in html
    # named as the form names it, not by configuration key (walk-through of #17)
    assert "„Kontakt (E-Mail)“" in html and "[ai_register]" not in html
