"""Browser tests of the administration (issue #17): the first-start admin's forced password
change and its single role, editing roles, the audit-log browser with its CSV export,
the KI-Register settings and the letterhead upload; every admin page at desktop and phone
width. The real service as a subprocess, driven by Chromium (tests/support/browser.py)."""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

sync_api = pytest.importorskip("playwright.sync_api", reason="playwright ist nicht installiert")
from playwright.sync_api import Browser, expect  # noqa: E402

from tests.support.browser import (  # noqa: E402
    A11Y_CHECK,
    ADMIN_OWN_PASSWORD,
    SAMPLES,
    Service,
    Tab,
    add_users,
    browser,
    create_meeting,
    log_in,
    new_context,
    new_tab,
    notice,
    start_service,
)
from tests.support.letterhead import letterhead_docx  # noqa: E402

__all__ = ["browser"]  # the fixture, from the shared browser support
PHONE = {"width": 390, "height": 844}
ADMIN_PAGES = [
    "/verwaltung/benutzer", "/verwaltung/protokoll", "/verwaltung/vorlage",
    "/verwaltung/ki-register",
]  # fmt: skip


@pytest.fixture(scope="module")
def fresh(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Service]:
    """The service right after its first start: only the admin with its one-time password."""
    svc = start_service(tmp_path_factory.mktemp("verwaltung"), worker=False)
    try:
        yield svc
    finally:
        svc.stop()


@pytest.fixture(scope="module")
def service(fresh: Service) -> Service:
    """The same service with the test users (the admin's own password set, in the browser
    by the first test or here through the API)."""
    add_users(fresh, ["schrift", "pruefer"])
    return fresh


@pytest.fixture
def tab(browser: Browser, fresh: Service) -> Iterator[Tab]:
    context = new_context(browser)
    try:
        yield new_tab(context, fresh.url)
    finally:
        context.close()


def log_in_admin(tab: Tab, service: Service) -> None:
    log_in(tab, "admin", service.admin_password)


def test_first_start_admin_must_set_a_password_and_only_administers(
    tab: Tab, fresh: Service
) -> None:
    page = tab.page
    assert fresh.admin_password != ADMIN_OWN_PASSWORD  # still the one-time password
    log_in(tab, "admin", fresh.admin_password)
    expect(page).to_have_url(re.compile(r"/konto\?hinweis=erst_passwort$"))
    expect(page.locator("#einmalpasswort")).to_contain_text("einmaliges Passwort")
    expect(page.locator("dl.facts")).to_contain_text("Verwaltung")
    roles = page.locator("dl.facts dd").nth(2)
    expect(roles).to_have_text("Verwaltung")  # no Schriftführung, no Prüfung
    for path in ("/verwaltung/benutzer", "/", "/verwaltung/protokoll"):
        tab.go(path)  # every other page leads back to the password change
        expect(page).to_have_url(re.compile(r"/konto\?hinweis=erst_passwort$"))
    page.get_by_label("Bisheriges Passwort").fill(fresh.admin_password)
    page.get_by_label("Neues Passwort (mindestens 10 Zeichen)").fill(ADMIN_OWN_PASSWORD)
    page.get_by_label("Neues Passwort wiederholen").fill(ADMIN_OWN_PASSWORD)
    page.get_by_role("button", name="Passwort ändern").click()
    expect(notice(page)).to_have_text("Ihr Passwort wurde geändert.")
    fresh.admin_password = ADMIN_OWN_PASSWORD
    expect(page.locator("#einmalpasswort")).to_have_count(0)
    page.get_by_role("link", name="Benutzerverwaltung").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Benutzerverwaltung")
    expect(page.locator("tr", has_text="Administrator")).to_contain_text("Verwaltung")
    expect(page.get_by_role("link", name="Neue Sitzung")).to_have_count(0)
    assert tab.script_errors() == [], tab.console_errors


def test_roles_are_edited_and_a_new_account_sets_its_own_password(
    tab: Tab, service: Service, browser: Browser
) -> None:
    page = tab.page
    log_in_admin(tab, service)
    tab.go("/verwaltung/benutzer")
    create = page.locator("form", has=page.get_by_role("button", name="Benutzer anlegen"))
    create.get_by_label("Benutzername").fill("rolle.neu")
    create.get_by_label("Name", exact=True).fill("Rita Rolle")
    create.get_by_label("Passwort (mindestens 10 Zeichen)").fill("einmal-rolle-1")
    page.get_by_role("button", name="Benutzer anlegen").click()
    expect(notice(page)).to_have_text("Der Benutzer wurde angelegt.")
    row = page.locator("tr", has_text="rolle.neu")
    expect(row).to_contain_text("Schriftführung")
    expect(row).to_contain_text("Einmalpasswort")

    row.get_by_role("link", name="Rollen und Name ändern").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Benutzer rolle.neu")
    page.get_by_label("Schriftführung").uncheck()
    page.get_by_role("button", name="Speichern").click()
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("Erlaubte Rollen: Schriftführung, Prüfung, Verwaltung")
    page.get_by_label("Prüfung").check()
    page.get_by_label("Name").fill("Rita Prüferin")
    page.get_by_role("button", name="Speichern").click()
    expect(notice(page)).to_have_text("Name und Rollen wurden gespeichert.")
    row = page.locator("tr", has_text="rolle.neu")
    expect(row).to_contain_text("Rita Prüferin")
    expect(row.locator("td").nth(1)).to_contain_text("Prüfung")
    expect(row.locator("td").nth(1)).not_to_contain_text("Schriftführung")

    # one's own roles: the separation of duties, in German words
    own = page.locator("tr", has_text="(Sie)")
    own.get_by_role("link", name="Rollen und Name ändern").click()
    expect(page.locator("#self-hint")).to_be_visible()
    page.get_by_label("Prüfung").check()
    page.get_by_role("button", name="Speichern").click()
    expect(page.get_by_role("alert")).to_contain_text("vergibt man sich nicht selbst")
    page.get_by_label("Prüfung").uncheck()
    page.get_by_label("Verwaltung").uncheck()
    page.get_by_label("Schriftführung").check()
    page.get_by_role("button", name="Speichern").click()
    expect(page.get_by_role("alert")).to_contain_text("eigene Verwaltungsrolle")
    for word in ("admin", "pruefer", "schriftfuehrer"):
        assert not re.search(rf"\b{word}\b", page.get_by_role("alert").inner_text())

    # the new account: first login only opens the password change, then its pages
    context = new_context(browser)
    try:
        other = new_tab(context, service.url)
        log_in(other, "rolle.neu", "einmal-rolle-1")
        expect(other.page).to_have_url(re.compile(r"/konto\?hinweis=erst_passwort$"))
        expect(other.page.locator("dl.facts dd").nth(2)).to_have_text("Prüfung")
        other.go("/")
        expect(other.page).to_have_url(re.compile(r"/konto"))
        other.page.get_by_label("Bisheriges Passwort").fill("einmal-rolle-1")
        other.page.get_by_label("Neues Passwort (mindestens 10 Zeichen)").fill("eigen-rolle-22")
        other.page.get_by_label("Neues Passwort wiederholen").fill("eigen-rolle-22")
        other.page.get_by_role("button", name="Passwort ändern").click()
        expect(notice(other.page)).to_have_text("Ihr Passwort wurde geändert.")
        other.go("/")
        expect(other.page.get_by_role("heading", level=1)).to_have_text("Sitzungen")
    finally:
        context.close()
    tab.go("/verwaltung/benutzer")
    expect(page.locator("tr", has_text="rolle.neu")).not_to_contain_text("Einmalpasswort")
    assert tab.script_errors() == [], tab.console_errors


def test_audit_browser_filters_pages_and_exports_csv(tab: Tab, service: Service) -> None:
    page = tab.page
    log_in(tab, "schrift")
    create_meeting(tab, "Prüfprotokollausschuss", SAMPLES / "agenda.toml")
    page.context.clear_cookies()
    log_in_admin(tab, service)
    page.get_by_role("link", name="Prüfprotokoll", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Prüfprotokoll")
    rows = page.locator("table.audit tbody tr")
    expect(rows.first).to_be_visible()
    numbers = [int(n) for n in rows.locator("td:first-child").all_inner_texts()]
    assert numbers == sorted(numbers, reverse=True)  # newest first

    option = page.locator("#f-sitzung option", has_text="Prüfprotokollausschuss")
    page.get_by_label("Sitzung").select_option(option.get_attribute("value"))
    page.get_by_role("button", name="Filtern").click()
    expect(page.locator("table.audit")).to_contain_text("Sitzung angelegt")
    expect(page.locator("table.audit")).to_contain_text("Tagesordnung gespeichert")
    for cell in rows.locator("td:nth-child(5)").all_inner_texts():
        assert "Prüfprotokollausschuss" in cell
    page.get_by_label("Aktion").select_option(label="Sitzung angelegt")
    page.get_by_label("Person").select_option("schrift")
    page.get_by_role("button", name="Filtern").click()
    expect(page.locator("#audit-count")).to_have_text("1 Eintrag")
    expect(page.get_by_label("Aktion")).to_have_value("meeting.created")  # kept

    with page.expect_download() as info:
        page.get_by_role("link", name="Als CSV herunterladen").click()
    assert info.value.suggested_filename.startswith("pruefprotokoll_")
    text = Path(info.value.path()).read_text(encoding="utf-8-sig")
    table = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert table[0][:4] == ["Nr.", "Zeitpunkt", "Art", "Aktion"]
    assert [r[3] for r in table[1:]] == ["Sitzung angelegt"]

    page.get_by_label("Art").select_option(label="KI")
    page.get_by_role("button", name="Filtern").click()
    expect(page.get_by_text("Keine Einträge für diesen Filter.")).to_be_visible()
    page.get_by_role("link", name="Filter zurücksetzen").click()
    expect(page.get_by_label("Aktion")).to_have_value("")

    # on a phone each entry is a block with its columns' names (walk-through of #17: six
    # columns at 390 px left one character per line, the page ~24,800 px tall)
    page.set_viewport_size({"width": 390, "height": 844})
    page.reload()
    first = rows.first
    expect(first).to_be_visible()
    box = first.bounding_box()
    assert box is not None and box["width"] <= 390 and box["height"] < 260, box
    label = first.locator("td.audit-details").evaluate(
        "e => getComputedStyle(e, '::before').content"
    )
    assert label == '"Angaben: "'
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert tab.script_errors() == [], tab.console_errors


def test_register_settings_are_edited_and_shown(tab: Tab, service: Service) -> None:
    page = tab.page
    log_in_admin(tab, service)
    page.get_by_role("link", name="KI-Register").click()
    form = page.locator("#angaben form")
    form.get_by_label("Organisation", exact=True).fill("Gemeinde Browserhausen")
    form.get_by_label("Kontakt (E-Mail)").fill("ki@browserhausen.de")
    form.get_by_label("Stand").select_option("in Erprobung")
    form.get_by_label("Recht", exact=True).check()
    form.get_by_label("Website").fill("ftp://browserhausen.de")
    page.get_by_role("button", name="Angaben speichern").click()
    expect(page.get_by_role("alert")).to_contain_text("„Website“: bitte eine vollständige Adresse")
    expect(form.get_by_label("Organisation", exact=True)).to_have_value("Gemeinde Browserhausen")
    form.get_by_label("Website").fill("https://browserhausen.de/ki")
    page.get_by_role("button", name="Angaben speichern").click()
    expect(notice(page)).to_have_text("Die Angaben für das KI-Register wurden gespeichert.")
    expect(form.get_by_label("Stand")).to_have_value("in Erprobung")
    expect(form.get_by_label("Recht", exact=True)).to_be_checked()
    expect(page.locator("#ziel-nl")).to_contain_text("Bereit")  # the contact was missing

    with page.expect_download() as info:
        page.locator("#register-de").click()
    entry = json.loads(Path(info.value.path()).read_text(encoding="utf-8"))
    assert "Gemeinde Browserhausen" in json.dumps(entry, ensure_ascii=False)
    assert "ki@browserhausen.de" in json.dumps(entry, ensure_ascii=False)
    assert tab.script_errors() == [], tab.console_errors


def test_letterhead_is_uploaded_checked_and_reverted(tab: Tab, service: Service) -> None:
    page = tab.page
    log_in_admin(tab, service)
    page.get_by_role("link", name="Vorlage", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Vorlage und Briefkopf")
    expect(page.locator("#vorlage-aktuell")).to_contain_text("Mitgelieferte Vorlage")
    page.get_by_label("Word-Dokument mit Ihrem Briefkopf (DOCX)").set_input_files(
        {"name": "briefkopf.docx", "mimeType": "application/pdf", "buffer": b"%PDF-1.4 " * 300}
    )
    page.get_by_role("button", name="Vorlage hochladen").click()
    expect(page.get_by_role("alert")).to_contain_text("kein Word-Dokument (DOCX)")
    data = letterhead_docx("Briefkopf der Gemeinde Browserhausen")
    page.get_by_label("Word-Dokument mit Ihrem Briefkopf (DOCX)").set_input_files(
        {"name": "briefkopf.docx", "mimeType": "application/octet-stream", "buffer": data}
    )
    page.get_by_role("button", name="Vorlage hochladen").click()
    expect(notice(page)).to_contain_text("Die Vorlage wurde hochgeladen")
    expect(page.locator("#vorlage-aktuell")).to_contain_text("Eigene Vorlage der Kommune")
    stored = service.data_dir / "vorlagen" / "niederschrift.docx"
    assert stored.read_bytes() == data
    with page.expect_download() as info:
        page.get_by_role("link", name="Vorlage herunterladen").click()
    assert Path(info.value.path()).read_bytes() == data
    page.get_by_role("button", name="Eigene Vorlage nicht mehr verwenden").click()
    expect(notice(page)).to_contain_text("es gilt wieder die Vorgabe")
    expect(page.locator("#vorlage-aktuell")).to_contain_text("Mitgelieferte Vorlage")
    assert tab.script_errors() == [], tab.console_errors


@pytest.mark.parametrize("width", ["desktop", "phone"])
def test_admin_pages_are_accessible_at_both_widths(
    browser: Browser, service: Service, width: str
) -> None:
    context = new_context(browser)
    try:
        tab = new_tab(context, service.url)
        if width == "phone":
            tab.page.set_viewport_size(PHONE)  # type: ignore[arg-type]
        log_in_admin(tab, service)
        tab.go("/verwaltung/benutzer")
        edit = tab.page.locator("tr", has_text="schrift").get_by_role("link").first
        paths = [*ADMIN_PAGES, edit.get_attribute("href") or "", "/konto"]
        for path in paths:
            tab.go(path)
            assert tab.page.evaluate(A11Y_CHECK) == [], path
            overflow = tab.page.evaluate(
                "document.documentElement.scrollWidth - document.documentElement.clientWidth"
            )
            assert overflow <= 0, f"{path}: {overflow} px wider than the window"
        assert tab.script_errors() == [], tab.console_errors
    finally:
        context.close()


def test_admin_page_handlers_do_not_block_the_event_loop() -> None:
    import inspect

    from fastapi.routing import APIRoute

    from protokoll.service.http import web_admin

    handlers = [r.endpoint for r in web_admin.router.routes if isinstance(r, APIRoute)]
    assert len(handlers) >= 10
    assert [h.__name__ for h in handlers if inspect.iscoroutinefunction(h)] == []
