"""Issue #17 in the browser: one speaker label scheme on the review page, and every page at
phone (390 px) and desktop (1366 px) width without horizontal overflow or overlapping
regions. The real service as a subprocess (as in `test_review_web.py`), driven by Chromium.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest

from tests.support.browser import (
    A11Y_CHECK,
    CHROMIUM,
    LAYOUT_CHECK,
    REVIEW_REGIONS,
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

WIDTHS = (390, 1366)
LONG_NAME = "Ratsmitglied Dr. Karl-Theodor Müller-Lüdenscheidt (Bündnis 90/Die Grünen)"

# the right edge of the list's last column (the status): on the screen, not scrolled away
STATUS_COLUMN = """() => Math.max(0,
  ...[...document.querySelectorAll("table.list tr > :last-child")]
    .map(c => c.getBoundingClientRect().right))"""


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Service, str]]:
    root = tmp_path_factory.mktemp("layout")
    with pytest.MonkeyPatch.context() as monkeypatch:
        svc = make_service(root, monkeypatch)
        try:
            meeting, _recording, job = svc.meeting_with_job(agenda=sample_agenda_data())
            assert job["state"] == "done"
        finally:
            svc.close()
    service = start_service(root / "data", worker=False, first_start=False)
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


def layout(tab: Tab, regions: list[str]) -> dict[str, Any]:
    result: dict[str, Any] = tab.page.evaluate(LAYOUT_CHECK, regions)
    return result


def test_one_speaker_label_scheme_on_the_review_page(
    browser: Browser, seeded: tuple[Service, str]
) -> None:
    service, meeting_id = seeded
    context = new_context(browser)
    tab = new_tab(context, service.url)
    page = tab.page
    log_in(tab, "schriftfuehrer")
    tab.go(f"/sitzungen/{meeting_id}/pruefung")
    main = page.locator("main")
    assert "SPEAKER_" not in (main.inner_text() or "")
    # one row per speaker of the transcript, keyed as readers count them
    speakers = page.locator("#transcript .speaker").all_inner_texts()
    rows = page.locator("table.speakers tbody th").all_inner_texts()
    assert rows == [f"Sprecher {n}" for n in range(1, len(rows) + 1)]
    assert len(rows) == len({re.sub(r"\s+", " ", s).strip() for s in speakers})
    # the name input is wide enough for a long name, and takes it whole
    field = page.get_by_label("Sprecher 2", exact=True)
    field.fill(LONG_NAME)
    assert field.evaluate("e => e.scrollWidth <= e.clientWidth + 1 || e.clientWidth >= 280")
    page.get_by_role("button", name="Zuordnung speichern").click()
    expect(notice(page)).to_contain_text("Sprecherzuordnung")
    expect(page.get_by_label("Sprecher 2", exact=True)).to_have_value(LONG_NAME)
    # the name reaches transcript and minutes alike; still no label anywhere
    expect(page.locator("#transcript")).to_contain_text(LONG_NAME)
    summaries = " ".join(
        page.locator("textarea[name=summary]").evaluate_all("els => els.map(e => e.value)")
    )
    assert "SPEAKER_" not in summaries and "Sprecher 2 " not in summaries
    assert "SPEAKER_" not in (main.inner_text() or "")
    # saving a TOP as shown keeps the labels underneath (the next rename reaches it too)
    top = page.locator("article.top-edit").nth(1)
    top.get_by_role("button", name=re.compile(r"TOP .* speichern")).click()
    assert "SPEAKER_" not in (page.locator("main").inner_text() or "")
    # polish: German decimals, the program's version in the footer, styled vote/time inputs
    rates = page.locator("table.versions").inner_text()
    assert "%" in rates and not re.search(r"\d\.\d+ %", rates)
    footer = page.locator("footer").inner_text()
    assert "object at" not in footer and re.search(r"protokoll \d", footer)
    look = "e => ['borderTopColor', 'borderRadius', 'paddingLeft'].map(k => getComputedStyle(e)[k])"
    text_field = page.locator("textarea[name=summary]").first.evaluate(look)
    for name in ("votes_yes", "start"):
        assert page.locator(f"input[name={name}]").first.evaluate(look) == text_field
    assert tab.script_errors() == []
    context.close()


@pytest.mark.parametrize("width", WIDTHS)
def test_every_page_fits_the_width(
    browser: Browser, seeded: tuple[Service, str], width: int
) -> None:
    service, meeting_id = seeded
    pages: dict[str, list[tuple[str, list[str]]]] = {
        "": [("/anmelden", ["main"])],
        "schriftfuehrer": [
            ("/", ["main"]),
            ("/sitzungen/neu", ["main"]),
            (f"/sitzungen/{meeting_id}", ["main"]),
            (f"/sitzungen/{meeting_id}/pruefung", REVIEW_REGIONS),
            (f"/sitzungen/{meeting_id}/loeschen", ["main"]),
            ("/konto", ["main"]),
            ("/sitzungen/gibt-es-nicht", ["main"]),
        ],
        "admin": [("/verwaltung/benutzer", ["main"]), ("/verwaltung/ki-register", ["main"])],
    }
    problems = []
    for role, paths in pages.items():
        context = new_context(browser)
        tab = new_tab(context, service.url)
        tab.page.set_viewport_size({"width": width, "height": 800})
        if role:
            log_in(tab, role)
        for path, regions in paths:
            tab.go(path)
            found = layout(tab, regions)
            if path == "/":  # the list shows its status column, not scrolled away
                found["status"] = tab.page.evaluate(STATUS_COLUMN)
                if found["status"] > width:
                    problems.append((path, found))
            if found["width"] > found["viewport"] or found["overlaps"]:
                problems.append((path, found))
            if path.endswith("/pruefung"):
                assert tab.page.evaluate(A11Y_CHECK) == []
        assert tab.script_errors() == []
        context.close()
    assert problems == [], "\n".join(f"{path}: {found}" for path, found in problems)
