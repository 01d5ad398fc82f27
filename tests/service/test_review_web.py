"""Browser tests of the review (issue #5): the real service as a subprocess, driven by Chromium.

The data folder is prepared in this process with the fake stages (a finished job, so the
AI draft exists, on the real sample recording); then `protokoll serve --no-worker` serves
it. The Schriftführer submits the draft and cannot approve or publish; the reviewer maps
a speaker, edits a TOP and approves (on a confirmation page, here without script); then
the Schriftführer publishes, after which the meeting is read-only, the recording gone
with a German message, and only the admin deletes the meeting, giving a reason (#17).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.support.browser import (
    A11Y_CHECK,
    CHROMIUM,
    Service,
    Tab,
    browser,
    new_context,
    new_tab,
    notice,
    start_service,
)
from tests.support.service import PASSWORD, USERS, make_service, sample_agenda_data

sync_api = pytest.importorskip("playwright.sync_api", reason="playwright ist nicht installiert")
from playwright.sync_api import Browser, expect  # noqa: E402

pytestmark = pytest.mark.skipif(
    not CHROMIUM.exists(), reason="Chromium fehlt unter /usr/bin/chromium (apt install chromium)"
)
__all__ = ["browser"]  # the fixture, shared with the other browser tests


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Service, str]]:
    root = tmp_path_factory.mktemp("pruefung")
    with pytest.MonkeyPatch.context() as monkeypatch:
        svc = make_service(root, monkeypatch)
        try:
            meeting, recording, job = svc.meeting_with_job(agenda=sample_agenda_data())
            assert job["state"] == "done"
        finally:
            svc.close()
    service = start_service(root / "data", worker=False, first_start=False)
    service.extra["recording_id"] = recording["id"]
    try:
        yield service, str(meeting["id"])
    finally:
        service.stop()


def log_in(tab: Tab, role: str) -> None:
    tab.go("/anmelden")
    tab.page.get_by_label("Benutzername").fill(USERS[role][0])
    tab.page.get_by_label("Passwort").fill(PASSWORD)
    tab.page.get_by_role("button", name="Anmelden").click()
    expect(tab.page.get_by_role("button", name="Abmelden")).to_be_visible()


def csrf(tab: Tab) -> str:
    token = tab.page.locator("meta[name=csrf-token]").get_attribute("content")
    assert token
    return token


def post_step(tab: Tab, meeting_id: str, action: str) -> Any:
    """A review step posted directly (as a crafted form would), not through a button."""
    return tab.page.request.post(
        f"{tab.base}/sitzungen/{meeting_id}/pruefung/schritt/{action}",
        form={"csrf_token": csrf(tab), "reason": ""},
        max_redirects=0,
    )


def test_review_in_the_browser(browser: Browser, seeded: tuple[Service, str]) -> None:
    service, meeting_id = seeded
    review_path = f"/sitzungen/{meeting_id}/pruefung"

    # ---- the Schriftführer: cannot approve, cannot publish, submits
    writer = new_context(browser)
    tab = new_tab(writer, service.url)
    page = tab.page
    log_in(tab, "schriftfuehrer")
    tab.go(f"/sitzungen/{meeting_id}")
    page.get_by_role("link", name="Niederschrift prüfen und bearbeiten").click()
    expect(page.locator("#review-state")).to_have_text("Entwurf")
    expect(page.get_by_role("button", name="Freigeben")).to_have_count(0)
    expect(page.get_by_role("button", name="Veröffentlichen")).to_have_count(0)
    refused = post_step(tab, meeting_id, "veroeffentlichen")
    assert refused.status == 409 and "noch nicht freigegeben" in refused.text()

    # the transcript follows the audio: a click on a line plays from there
    lines = page.locator("#transcript .line")
    assert lines.count() >= 3
    third = lines.nth(2)
    start = float(third.get_attribute("data-start") or "nan")
    third.click()
    page.wait_for_function(
        "t => Math.abs(document.getElementById('player').currentTime - t) < 1.5", arg=start
    )
    expect(third).to_have_class(re.compile(r"\bcurrent\b"))
    page.evaluate("document.getElementById('player').pause()")

    expect(page.locator("#deletion-plan")).to_contain_text(
        "Die Aufnahme wird bei der Veröffentlichung der Niederschrift gelöscht"
    )
    page.get_by_role("button", name="Zur Prüfung geben").click()
    expect(page.locator("#review-state")).to_have_text("In Prüfung")
    refused = post_step(tab, meeting_id, "freigeben")
    assert refused.status == 403 and "Rolle Prüfung" in refused.text()
    expect(page.get_by_role("button", name="Freigeben")).to_have_count(0)

    # ---- the reviewer: maps a speaker, edits a TOP, approves
    reviewer = new_context(browser)
    rtab = new_tab(reviewer, service.url)
    rpage = rtab.page
    log_in(rtab, "pruefer")
    # the meeting list: in review, and it waits for this reviewer
    row = rpage.locator("table.list tbody tr").filter(has_text="Rat der Gemeinde")
    expect(row.locator(".review-in_pruefung")).to_have_text("In Prüfung")
    expect(row.locator(".badge-waiting")).to_have_text("wartet auf mich")
    expect(row).to_contain_text("wartet auf Ihre Freigabe")
    rtab.go(review_path)
    expect(rpage.locator("#review-state")).to_have_text("In Prüfung")
    assert rpage.evaluate(A11Y_CHECK) == []  # labelled fields, ordered headings
    rpage.get_by_label("Sprecher 2", exact=True).fill("Jonas Keller (CDU)")
    rpage.get_by_role("button", name="Zuordnung speichern").click()
    expect(notice(rpage)).to_contain_text("Sprecherzuordnung")
    expect(rpage.locator("#current-version")).to_have_text("2")
    expect(rpage.locator("#transcript")).to_contain_text("Jonas Keller (CDU)")

    top = rpage.locator("article.top-edit").first
    top.get_by_label("Beschlusstext").fill(
        "Der Rat genehmigt die Niederschrift der letzten Sitzung."
    )
    top.get_by_label("Ergebnis").select_option("einstimmig beschlossen")
    top.get_by_label("Ja").fill("12")
    top.get_by_role("button", name=re.compile(r"TOP .* speichern")).click()
    expect(notice(rpage)).to_contain_text("neue Fassung")
    expect(rpage.locator("#current-version")).to_have_text("3")
    top = rpage.locator("article.top-edit").first
    expect(top.get_by_label("Beschlusstext")).to_have_value(
        "Der Rat genehmigt die Niederschrift der letzten Sitzung."
    )
    expect(top).to_contain_text("Änderungsquote gegenüber dem KI-Entwurf")
    versions = rpage.locator("table.versions tbody tr")
    expect(versions).to_have_count(3)
    expect(versions.first).to_contain_text("Bearbeitung im Browser")

    # approval is confirmed on a page of its own that works without script
    plain = new_context(browser, java_script_enabled=False)
    ptab = new_tab(plain, service.url)
    log_in(ptab, "pruefer")
    ptab.go(review_path)
    ptab.page.get_by_role("button", name="Freigeben").click()
    expect(ptab.page.get_by_role("heading", level=1)).to_have_text("Niederschrift freigeben?")
    expect(ptab.page.locator("#consequences")).to_contain_text("nicht mehr bearbeitet werden")
    expect(ptab.page.locator("#consequences")).to_contain_text(
        "Die Aufnahme wird bei der Freigabe nicht gelöscht"
    )
    assert ptab.page.evaluate(A11Y_CHECK) == []
    ptab.page.get_by_role("button", name="Jetzt freigeben").click()  # box not ticked
    expect(ptab.page.get_by_role("heading", level=1)).to_have_text("Niederschrift freigeben?")
    ptab.page.get_by_label("Ich habe Fassung 3 geprüft und gebe sie frei.").check()
    ptab.page.get_by_role("button", name="Jetzt freigeben").click()
    expect(ptab.page.locator("#review-state")).to_have_text("Freigegeben")
    plain.close()
    rtab.go(review_path)
    expect(rpage.locator("article.top-edit").first.get_by_label("Beschlusstext")).to_be_disabled()
    expect(rpage.locator("#player")).to_have_count(1)  # approval deletes nothing

    # ---- the Schriftführer publishes, after a confirmation naming the consequences
    tab.go(review_path)
    page.get_by_role("button", name="Veröffentlichen").click()
    consequences = page.locator("#consequences")
    expect(consequences).to_contain_text("Geprüft und freigegeben von Pruefer")
    expect(consequences).to_contain_text("Die Aufnahme wird dabei endgültig gelöscht")
    expect(consequences).to_contain_text("lässt sich nicht zurücknehmen")
    page.get_by_label(re.compile("Ich habe die Folgen gelesen")).check()
    page.get_by_role("button", name="Jetzt veröffentlichen").click()
    expect(page.locator("#review-state")).to_have_text("Veröffentlicht")
    expect(page.locator("#player")).to_have_count(0)
    expect(page.locator("#deletion-plan")).to_contain_text(
        "bei der Veröffentlichung der Niederschrift gelöscht"
    )
    published = page.locator("#published a")
    expect(published.filter(has_text="Niederschrift (PDF)")).to_have_count(1)
    with page.expect_download() as info:
        published.filter(has_text="Niederschrift (PDF)").click()
    assert Path(info.value.path()).read_bytes().startswith(b"%PDF")

    # ---- the meeting page is read-only now
    tab.go(f"/sitzungen/{meeting_id}")
    expect(page.locator("#read-only")).to_contain_text("Die Niederschrift ist veröffentlicht")
    for absent in ("#upload-form", "#start-form", "details.edit", ".job-actions"):
        expect(page.locator(absent)).to_have_count(0)
    expect(page.get_by_role("link", name="Sitzung löschen …")).to_have_count(0)
    expect(page.locator("#draft-hidden")).to_be_visible()
    expect(page.locator(".job-docs a", has_text="Niederschrift (Word)")).to_have_count(0)
    expect(page.locator("#published a", has_text="Niederschrift (Word)")).to_have_count(1)
    expect(page.locator(".recording")).to_contain_text("gelöscht")
    # an old link to the recording gives a German page, not a silent failure
    recording_id = service.extra["recording_id"]
    tab.go(f"/sitzungen/{meeting_id}/aufnahmen/{recording_id}")
    expect(page.get_by_role("heading", level=1)).to_have_text("Nicht mehr vorhanden")
    expect(page.locator("main")).to_contain_text(
        "Die Aufnahme wurde bei der Veröffentlichung der Niederschrift gelöscht"
    )
    # the list: published, nothing waits
    tab.go("/")
    row = page.locator("table.list tbody tr").filter(has_text="Rat der Gemeinde")
    expect(row.locator(".review-veroeffentlicht")).to_have_text("Veröffentlicht")
    expect(row.locator(".badge-waiting")).to_have_count(0)
    assert tab.script_errors() == [] and rtab.script_errors() == []
    writer.close()
    reviewer.close()

    # ---- only the admin deletes the published meeting, with a reason that is audited
    admin = new_context(browser)
    atab = new_tab(admin, service.url)
    log_in(atab, "admin")
    atab.go(f"/sitzungen/{meeting_id}")
    atab.page.get_by_role("link", name="Sitzung löschen …").click()
    expect(atab.page.locator("#published-warning")).to_contain_text("veröffentlicht")
    atab.page.get_by_label("Begründung (Pflichtangabe)").fill("Versehentlich veröffentlicht")
    atab.page.get_by_role("button", name="Endgültig löschen").click()
    expect(notice(atab.page)).to_contain_text("Begründung steht im Prüfprotokoll")
    assert atab.script_errors() == []
    admin.close()
