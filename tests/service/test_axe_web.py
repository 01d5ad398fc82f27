"""Issue #17's acceptance for accessibility: every page passes axe-core (the engine from the
npm package axe-core, bundled by `axe-playwright-python`) in Chromium with no violation of
impact "serious" or "critical", at phone (390 px) and desktop (1366 px) width.

The data are made in-process with the fake stages (a finished job with its draft, a job in
its minutes stage with the transcript already out, a waiting job), then the real service
runs on them as a subprocess, as on a server.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest

from protokoll.documents import artifacts
from protokoll.errors import ProtokollError
from protokoll.service.infra import auth
from protokoll.service.infra.tables import utcnow
from tests.support.browser import CHROMIUM, Service, browser, new_context, new_tab, start_service
from tests.support.service import PASSWORD, USERS, make_service, sample_agenda_data

sync_api = pytest.importorskip("playwright.sync_api", reason="playwright ist nicht installiert")
axe_base = pytest.importorskip("axe_playwright_python.base", reason="axe-playwright-python fehlt")
from playwright.sync_api import Browser, expect  # noqa: E402

pytestmark = pytest.mark.skipif(
    not CHROMIUM.exists(), reason="Chromium fehlt unter /usr/bin/chromium (apt install chromium)"
)
__all__ = ["browser"]  # the fixture, shared with the other browser tests

WIDTHS = (1366, 390)
BLOCKING = ("serious", "critical")
# run axe and keep what a test needs from its answer (the whole answer is large)
AXE_RUN = """async () => {
  const result = await axe.run(document, {resultTypes: ["violations"]});
  return result.violations.map(v => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.slice(0, 5).map(n => n.target.join(" ") + ": " + n.failureSummary),
  }));
}"""
DISTRICT = "kreis"


@dataclass
class Seeded:
    service: Service
    done: str  # a meeting with a finished job (and its draft for review)
    running: str  # a meeting whose job is in its minutes stage, the transcript out
    running_job: str
    queued: str  # a meeting whose job waits
    user_id: int


# the words inside `selector` that the layout breaks across two lines (visible text only)
BROKEN_WORDS = """(selector) => {
  const broken = [];
  for (const root of document.querySelectorAll(selector)) {
    const walk = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    for (let node = walk.nextNode(); node; node = walk.nextNode()) {
      if (node.parentElement.closest("thead, caption, .visually-hidden")) continue;  // unseen
      for (const m of node.textContent.matchAll(/[^\\s–·]+/g)) {
        const range = document.createRange();
        range.setStart(node, m.index);
        range.setEnd(node, m.index + m[0].length);
        const tops = new Set([...range.getClientRects()].map(r => Math.round(r.top)));
        if (tops.size > 1) broken.push(m[0]);
      }
    }
  }
  return broken;
}"""


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Seeded]:
    root = tmp_path_factory.mktemp("axe")
    with pytest.MonkeyPatch.context() as monkeypatch:
        svc = make_service(root, monkeypatch)
        try:
            done, _recording, _job = svc.meeting_with_job(agenda=sample_agenda_data())
            running, running_job = _running_meeting(svc)
            svc.hold_jobs()
            queued = svc.create_meeting(agenda=sample_agenda_data(), body="Finanzausschuss")
            svc.upload(queued["id"])
            svc.start_job(queued["id"])
            with svc.ctx.db.session() as s:
                auth.create_user(s, DISTRICT, PASSWORD, ["kreisadmin"])
            user_id = svc.user_ids["schriftfuehrer"]
        finally:
            svc.close()
    service = start_service(root / "data", worker=False, first_start=False)
    try:
        yield Seeded(service, done["id"], running["id"], running_job, queued["id"], user_id)
    finally:
        service.stop()


def _running_meeting(svc: Any) -> tuple[dict[str, Any], str]:
    """A job as it looks in its minutes stage: the transcript written, the minutes not yet,
    held by a worker elsewhere (so the service under test leaves it alone)."""
    meeting = svc.create_meeting(agenda=sample_agenda_data(), body="Bauausschuss")
    svc.upload(meeting["id"])
    svc.stages.minutes_error = ProtokollError("noch nicht")  # no draft, no minutes files
    job = svc.start_job(meeting["id"])
    svc.stages.minutes_error = None
    stages = {k: v for k, v in svc.job(job["id"]).stages.items() if k != "minutes"}
    stages["minutes"] = {"started": 1, "done": False}
    svc.set_job(
        job["id"], state="running", stage="minutes", stage_progress=0.3, progress=0.4,
        eta_s=640.0, stages=stages, worker="anderer-server:1", warnings=[], finished_at=None,
        lease_until=utcnow() + dt.timedelta(hours=2),
    )  # fmt: skip
    out = svc.ctx.layout.out(meeting["id"], job["id"])
    assert {p.name for p in out.iterdir()} >= set(artifacts.TRANSCRIPT_FILES)
    return meeting, str(job["id"])


def log_in(tab: Any, username: str) -> None:
    tab.go("/anmelden")
    tab.page.get_by_label("Benutzername").fill(username)
    tab.page.get_by_label("Passwort").fill(PASSWORD)
    tab.page.get_by_role("button", name="Anmelden").click()
    expect(tab.page.get_by_role("button", name="Abmelden")).to_be_visible()


def pages(seeded: Seeded) -> dict[str, list[str]]:
    done, running, queued = seeded.done, seeded.running, seeded.queued
    return {
        "": ["/anmelden"],
        USERS["schriftfuehrer"][0]: [
            "/",
            "/sitzungen/neu",
            f"/sitzungen/{done}",
            f"/sitzungen/{running}",
            f"/sitzungen/{queued}",
            f"/auftraege/{seeded.running_job}/transkript",
            f"/sitzungen/{done}/loeschen",
            "/warteschlange",
            "/konto",
            "/sitzungen/gibt-es-nicht",
        ],
        USERS["pruefer"][0]: ["/", f"/sitzungen/{done}", f"/sitzungen/{done}/pruefung"],
        USERS["admin"][0]: [
            "/verwaltung/benutzer",
            f"/verwaltung/benutzer/{seeded.user_id}",
            "/verwaltung/protokoll",
            "/verwaltung/vorlage",
            "/verwaltung/ki-register",
        ],
        DISTRICT: ["/verwaltung/kommunen"],
    }


def axe_violations(tab: Any) -> list[dict[str, Any]]:
    if not tab.page.evaluate("typeof axe !== 'undefined'"):
        tab.page.evaluate(axe_base.AXE_SCRIPT)  # through the debugger: the CSP does not apply
    found: list[dict[str, Any]] = tab.page.evaluate(AXE_RUN)
    return [v for v in found if v["impact"] in BLOCKING]


@pytest.mark.parametrize("width", WIDTHS)
def test_every_page_passes_axe_core(browser: Browser, seeded: Seeded, width: int) -> None:
    problems = []
    for user, paths in pages(seeded).items():
        context = new_context(browser)
        tab = new_tab(context, seeded.service.url)
        tab.page.set_viewport_size({"width": width, "height": 800})
        if user:
            log_in(tab, user)
        for path in paths:
            tab.go(path)
            assert tab.page.url == seeded.service.url + path  # the page itself, not a login
            expect(tab.page.locator("main h1")).to_have_count(1)
            for violation in axe_violations(tab):
                problems.append(f"{width} px {path} ({user or 'anonym'}): {violation}")
        assert tab.script_errors() == [], tab.console_errors
        context.close()
    assert problems == [], "\n".join(problems)


def test_axe_finds_what_it_should(browser: Browser, seeded: Seeded) -> None:
    """The engine runs for real: a picture without a text alternative is critical."""
    context = new_context(browser)
    tab = new_tab(context, seeded.service.url)
    try:
        tab.go("/anmelden")
        assert axe_violations(tab) == []
        tab.page.evaluate(
            "document.querySelector('main').appendChild(Object.assign("
            "document.createElement('img'), {src: '/static/favicon.svg'}))"
        )
        assert [v["id"] for v in axe_violations(tab)] == ["image-alt"]
    finally:
        context.close()


def test_the_meeting_page_offers_the_transcript_while_the_minutes_are_written(
    browser: Browser, seeded: Seeded
) -> None:
    context = new_context(browser)
    tab = new_tab(context, seeded.service.url)
    try:
        log_in(tab, USERS["schriftfuehrer"][0])
        tab.go(f"/sitzungen/{seeded.running}")
        job = tab.page.locator("article.job").first
        expect(job.locator(".job-stage")).to_have_text(
            "Transkript fertig – Niederschrift wird erstellt …"
        )
        expect(job.get_by_role("link", name="Wortprotokoll (Word)")).to_be_visible()
        expect(job.get_by_role("link", name="Untertitel (WebVTT)")).to_be_visible()
        expect(job.get_by_role("link", name="Niederschrift (Word)")).to_have_count(0)
        with tab.page.expect_download() as download:
            job.get_by_role("link", name="Transkript (JSON)").click()
        assert download.value.suggested_filename.endswith("Transkript.json")
        job.get_by_role("link", name="Transkript im Browser lesen").click()
        expect(tab.page.get_by_role("heading", level=1)).to_contain_text("Transkript")
        expect(tab.page.locator("#transcript-early")).to_contain_text("noch erstellt")
        expect(tab.page.locator("#transkript li").first).to_contain_text("Sprecher 1:")
        tab.page.go_back()
        expect(tab.page.locator("#start-form")).to_be_hidden()  # no second job offered
        expect(tab.page.locator("#start-busy")).to_be_visible()

        # the job ends while the page is open (the answer of the server, as a worker would
        # leave it): a visible notice that screen readers announce, the minutes' documents
        def finished(route: Any) -> None:
            response = route.fetch()
            body = {**response.json(), "state": "done", "state_label": "fertig",
                    "progress": 1.0, "eta_s": 0}  # fmt: skip
            route.fulfill(response=response, json=body)

        tab.page.route(re.compile(r"/api/jobs/[0-9a-f]+$"), finished)
        notice = job.locator(".job-finished[role=status]")
        expect(notice).to_have_text(
            "Verarbeitung abgeschlossen – die Dokumente stehen bereit.", timeout=10_000
        )
        expect(job.locator(".job-state")).to_have_text("fertig")
        expect(tab.page.locator("#start-form")).to_be_visible()  # a new job may start now
        assert axe_violations(tab) == []
        tab.page.unroute(re.compile(r"/api/jobs/[0-9a-f]+$"))

        tab.go(f"/sitzungen/{seeded.queued}")
        expect(tab.page.locator("article.job .job-stage")).to_have_text(
            "Platz 1 in der Warteschlange"
        )
        tab.go("/warteschlange")
        rows = tab.page.locator("tr[data-queue-job]")
        expect(rows).to_have_count(2)
        expect(rows.first).to_contain_text("Transkript fertig")
        expect(rows.nth(1)).to_contain_text("Platz 1 in der Warteschlange")
        # on a phone no word of the queue is broken across lines ("Sprechererken|nung" in
        # the walk-through of #17): each row is a block, each cell named
        tab.page.set_viewport_size({"width": 390, "height": 844})
        tab.page.reload()
        expect(rows).to_have_count(2)
        assert tab.page.evaluate(BROKEN_WORDS, "table.queue") == []
        assert tab.page.evaluate("document.documentElement.scrollWidth") <= 390
        assert tab.script_errors() == [], tab.console_errors
    finally:
        context.close()
