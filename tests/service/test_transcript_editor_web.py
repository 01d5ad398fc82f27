"""The transcript editor on the review page (issue #17, "of the standard users know from
noScribe"), in Chromium against the real service as a subprocess.

The job ran with stages that return the real transcript of the sample recording
(`tests/data/sitzung.transcript.json`: its words, times, probabilities and speakers) and a
draft whose TOPs have their start in the recording and whose Verlauf sentences cite their
sources; the browser plays the real `samples/sitzung.ogg`. A second meeting is published,
so its review page is read-only.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from protokoll.config import Settings
from protokoll.domain.agenda import Agenda
from protokoll.domain.minutes import Minutes, SourceRange, SummarySentence
from protokoll.domain.progress import ProgressHook
from protokoll.domain.stage_results import DecodedAudio, DiarizationOutcome, TranscriptionResult
from protokoll.domain.transcript import ModelUse, Segment, SpeakerTurn, Transcript, Word
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
from tests.support.service import (
    PASSWORD,
    USERS,
    FakeStages,
    fake_minutes,
    make_service,
    sample_agenda_data,
)

sync_api = pytest.importorskip("playwright.sync_api", reason="playwright ist nicht installiert")
from playwright.sync_api import Browser, Page, expect  # noqa: E402

pytestmark = pytest.mark.skipif(
    not CHROMIUM.exists(), reason="Chromium fehlt unter /usr/bin/chromium (apt install chromium)"
)
__all__ = ["browser"]  # the fixture, shared with the other browser tests

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = json.loads((ROOT / "tests" / "data" / "sitzung.transcript.json").read_text("utf-8"))
# where the TOPs of the sample begin (the chair's call-up), and the first source per TOP
TOP_STARTS = {"1": 12.8, "2": 43.12, "3": 138.18, "4": 166.85}
SOURCES = {"1": (22.21, 26.99), "2": (43.12, 53.4), "3": (138.18, 144.76), "4": (173.45, 186.93)}


class SampleStages(FakeStages):
    """The fake stages with the sample's real transcript and a draft with times."""

    def transcription(
        self, decoded: DecodedAudio, settings: Settings, agenda: Agenda | None, hook: ProgressHook
    ) -> TranscriptionResult:
        self._enter("transcription", hook)
        segments = [
            Segment(
                s["start_s"],
                s["end_s"],
                s["text"],
                words=tuple(
                    Word(w["start_s"], w["end_s"], w["text"], w["probability"]) for w in s["words"]
                ),
            )
            for s in SAMPLE["segments"]
        ]
        model = ModelUse("transcription", "fake-whisper", "0" * 64, "cpu")
        return TranscriptionResult(language="de", segments=segments, model=model, speech_s=200.0)

    def diarization(
        self,
        decoded: DecodedAudio,
        settings: Settings,
        agenda: Agenda | None,
        bounds: tuple[int | None, int | None],
        hook: ProgressHook,
    ) -> DiarizationOutcome:
        self._enter("diarization", hook)
        turns = [
            SpeakerTurn(t["start_s"], t["end_s"], t["speaker"]) for t in SAMPLE["speaker_turns"]
        ]
        model = ModelUse("diarization", "fake-diarizer", "1" * 64, "cpu")
        return DiarizationOutcome(turns=turns, exclusive=list(turns), models=[model])

    def minutes(
        self, transcript: Transcript, agenda: Agenda, settings: Settings, hook: ProgressHook
    ) -> Minutes:
        self._enter("minutes", hook)
        minutes = fake_minutes(agenda)
        for item in minutes.items:
            item.start_s = TOP_STARTS[item.number]
            start, end = SOURCES[item.number]
            item.summary = [
                SummarySentence(
                    f"Zu TOP {item.number} wurde beraten.", sources=[SourceRange(start, end)]
                ),
                SummarySentence("Weitere Wortmeldungen gab es nicht."),  # cites no source
            ]
        return minutes


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Service, str, str]]:
    root = tmp_path_factory.mktemp("editor")
    with pytest.MonkeyPatch.context() as monkeypatch:
        svc = make_service(root, monkeypatch, stages=SampleStages())
        try:
            meeting, _recording, job = svc.meeting_with_job(agenda=sample_agenda_data())
            assert job["state"] == "done"
            published, _recording, _job = svc.meeting_with_job(agenda=sample_agenda_data())
            svc.publish(str(published["id"]))
        finally:
            svc.close()
    service = start_service(root / "data", worker=False, first_start=False)
    try:
        yield service, str(meeting["id"]), str(published["id"])
    finally:
        service.stop()


def log_in(tab: Tab, role: str) -> None:
    tab.go("/anmelden")
    tab.page.get_by_label("Benutzername").fill(USERS[role][0])
    tab.page.get_by_label("Passwort").fill(PASSWORD)
    tab.page.get_by_role("button", name="Anmelden").click()
    expect(tab.page.get_by_role("button", name="Abmelden")).to_be_visible()


def review_tab(browser: Browser, service: Service, meeting_id: str, role: str) -> Tab:
    tab = new_tab(new_context(browser), service.url)
    log_in(tab, role)
    tab.go(f"/sitzungen/{meeting_id}/pruefung")
    return tab


def player(page: Page, expression: str) -> Any:
    return page.evaluate(f"(() => {{ const p = document.getElementById('player'); "
                         f"return {expression}; }})()")  # fmt: skip


def wait_playing_within(page: Page, start: float, end: float) -> None:
    page.wait_for_function(
        "([a, b]) => { const p = document.getElementById('player');"
        " return !p.paused && p.currentTime >= a - 0.3 && p.currentTime <= b + 0.3; }",
        arg=[start, end],
    )


def test_the_current_word_follows_the_audio_and_uncertain_words_are_marked(
    browser: Browser, seeded: tuple[Service, str, str]
) -> None:
    service, meeting_id, _published = seeded
    tab = review_tab(browser, service, meeting_id, "schriftfuehrer")
    page = tab.page
    # "meinem" (probability 0.26) is marked: dotted underline and a title, not colour alone
    uncertain = page.locator("#seg-0 .w.uncertain").filter(has_text="meinem")
    expect(uncertain).to_have_attribute("title", re.compile(r"^unsicher erkannt \(26 %\)"))
    assert uncertain.evaluate("e => getComputedStyle(e).textDecorationStyle") == "dotted"
    assert page.locator("#seg-0 .w").filter(has_text="Abend,").get_attribute("title") is None
    expect(page.locator("#transcript-legend")).to_contain_text("unsicher erkannte Wörter")
    # play from the first line: the highlighted word moves on with the audio
    page.locator("#seg-0 .seek").click()
    page.wait_for_function(
        "() => { const w = document.querySelector('#transcript .w.word-current');"
        " return w && parseFloat(w.dataset.s) < 2; }"
    )
    first = page.locator("#transcript .w.word-current").inner_text()
    page.wait_for_function(
        "() => { const w = document.querySelector('#transcript .w.word-current');"
        " return w && parseFloat(w.dataset.s) >= 2.5; }",
        timeout=20_000,
    )
    later = page.locator("#transcript .w.word-current")
    assert later.count() == 1 and later.inner_text() != first
    t = player(page, "p.currentTime")
    assert float(later.get_attribute("data-s") or 0) <= t + 0.05
    expect(page.locator("#seg-0")).to_have_class(re.compile(r"\bcurrent\b"))
    player(page, "p.pause()")
    assert tab.script_errors() == []


def _played(service: Service, meeting_id: str, role: str) -> int:
    """How often the audit log says this user played the meeting's recording."""
    with httpx.Client(base_url=service.url, timeout=30) as client:
        login = {"username": USERS["admin"][0], "password": PASSWORD}
        client.post("/api/auth/login", json=login).raise_for_status()
        entries = client.get("/api/audit", params={"limit": 1000}).json()
    return sum(
        e["action"] == "recording.played"
        and e["actor"] == USERS[role][0]
        and e["meeting_id"] == meeting_id
        for e in entries
    )


def test_opening_the_page_is_not_logged_as_listening(
    browser: Browser, seeded: tuple[Service, str, str]
) -> None:
    """Walk-through, problem 3: "Aufnahme abgespielt" was logged when the review page merely
    opened (the player fetched the file ahead). Only playing it is logged."""
    service, meeting_id, _published = seeded
    before = _played(service, meeting_id, "pruefer")
    tab = review_tab(browser, service, meeting_id, "pruefer")
    tab.page.wait_for_load_state("networkidle")
    assert _played(service, meeting_id, "pruefer") == before
    tab.page.locator("#seg-0 .seek").click()
    tab.page.wait_for_function("() => !document.getElementById('player').paused")
    player(tab.page, "p.pause()")
    assert _played(service, meeting_id, "pruefer") == before + 1
    assert tab.script_errors() == []


def test_shortcuts_work_while_typing_and_time_stamps_are_no_tab_stops(
    browser: Browser, seeded: tuple[Service, str, str]
) -> None:
    service, meeting_id, _published = seeded
    tab = review_tab(browser, service, meeting_id, "schriftfuehrer")
    page = tab.page
    url = page.url
    shortcuts = page.locator("#shortcuts")
    shortcuts.locator("summary").click()
    for text in ("Wiedergabe starten oder anhalten", "5 Sekunden zurück", "langsamer", "schneller"):
        expect(shortcuts).to_contain_text(text)
    page.get_by_label("Im Transkript suchen").click()  # typing somewhere
    page.keyboard.press("Alt+ArrowUp")
    page.keyboard.press("Alt+ArrowUp")
    assert player(page, "p.playbackRate") == pytest.approx(1.2)
    expect(page.locator("#rate")).to_have_text("Tempo 1,2-fach")
    for _ in range(4):
        page.keyboard.press("Alt+ArrowDown")
    assert player(page, "p.playbackRate") == pytest.approx(0.8)
    player(page, "p.currentTime = 30")
    page.wait_for_function("() => document.getElementById('player').currentTime >= 29.9")
    page.keyboard.press("Alt+ArrowLeft")
    assert player(page, "p.currentTime") == pytest.approx(25, abs=0.2)
    page.keyboard.press("Alt+ArrowRight")
    assert player(page, "p.currentTime") == pytest.approx(30, abs=0.2)
    assert page.url == url  # Alt+← is not "back" here
    assert page.get_by_label("Im Transkript suchen").input_value() == ""  # nothing typed
    page.keyboard.press("Control+Space")
    page.wait_for_function("() => !document.getElementById('player').paused")
    page.keyboard.press("Escape")
    page.wait_for_function("() => document.getElementById('player').paused")
    # the player's buttons do the same
    page.get_by_role("button", name="Schneller").click()
    assert player(page, "p.playbackRate") == pytest.approx(0.9)
    page.get_by_role("button", name="5 s zurück").click()
    assert player(page, "p.currentTime") == pytest.approx(25, abs=0.3)

    # time stamps: clickable, but Tab passes them by (and reaches the text to correct)
    stamps = page.locator("#transcript .seek")
    assert stamps.count() >= len(SAMPLE["segments"])  # split where the speaker changes
    assert set(stamps.evaluate_all("els => els.map(e => e.tabIndex)")) == {-1}
    page.get_by_role("button", name="Nächster Treffer").focus()
    reached = []
    for _ in range(12):
        page.keyboard.press("Tab")
        reached.append(page.evaluate("document.activeElement.className"))
    assert "seek" not in reached and reached.count("text") >= 3, reached
    assert tab.script_errors() == []


def test_top_dividers_search_and_sources_to_listen_to(
    browser: Browser, seeded: tuple[Service, str, str]
) -> None:
    service, meeting_id, _published = seeded
    tab = review_tab(browser, service, meeting_id, "pruefer")
    page = tab.page
    dividers = page.locator("#transcript .top-divider")
    expect(dividers).to_have_count(4)
    expect(dividers.nth(1)).to_contain_text("TOP 2: Sanierung der Grundschule am Lindenweg")
    # the divider stands right before the line in which the TOP begins
    after = page.evaluate(
        "(() => { const l = document.getElementById('trenner-top-2').nextElementSibling;"
        " return [l.className, +l.dataset.start, +l.dataset.end]; })()"
    )
    assert after[0].startswith("line") and after[1] <= TOP_STARTS["2"] < after[2], after
    # the search marks every match and jumps to them in turn
    search = page.get_by_label("Im Transkript suchen")
    search.fill("grundschule")
    expect(page.locator("#search-count")).to_have_text(re.compile(r"^Treffer 1 von [2-9]"))
    current = page.locator("#transcript .hit-current")
    expect(current).to_have_text(re.compile("Grundschule"))
    first_line = current.evaluate("e => e.closest('.line').id")
    search.press("Enter")
    expect(page.locator("#search-count")).to_have_text(re.compile(r"^Treffer 2 von "))
    assert page.locator("#transcript .hit-current").evaluate("e => e.closest('.line').id") != (
        first_line
    )
    search.fill("Schulbauförderprogramm")
    expect(page.locator("#search-count")).to_have_text("Treffer 1 von 1")
    search.fill("gibt es nicht im Transkript")
    expect(page.locator("#search-count")).to_have_text("Kein Treffer")

    # each Verlauf sentence plays its sources; one without sources says so
    top1 = page.locator("article.top-edit").first
    expect(top1.locator(".sentence-sources li")).to_have_count(2)
    expect(top1.locator(".play-source")).to_have_count(1)
    expect(top1.locator(".sentence-sources li").nth(1)).to_contain_text("(ohne Quelle)")
    top2 = page.locator("article.top-edit").nth(1)
    play = top2.get_by_role("button", name=re.compile(r"^Satz 1 anhören \(ab 00:00:43\)"))
    play.click()
    start, end = SOURCES["2"]
    wait_playing_within(page, start, end)
    player(page, "p.pause()")

    # the Hörprobe of a speaker plays a few seconds of them: Sprecher 2 (SPEAKER_01) speaks
    # longest from 59,1 s to 66,4 s in the sample
    sample = page.get_by_role("button", name="Hörprobe von Sprecher 2 anhören")
    ranges = sample.get_attribute("data-ranges") or ""
    begin, until = (float(x) for x in ranges.split("-"))
    assert 59.0 <= begin < until <= 66.5 and until - begin >= 5, ranges
    sample.click()
    wait_playing_within(page, begin, until)
    player(page, "p.pause()")
    assert page.evaluate(A11Y_CHECK) == []
    assert tab.script_errors() == []


def test_a_correction_is_saved_as_a_version_and_a_second_tab_gets_a_conflict(
    browser: Browser, seeded: tuple[Service, str, str]
) -> None:
    service, meeting_id, _published = seeded
    one = review_tab(browser, service, meeting_id, "schriftfuehrer")
    two = review_tab(browser, service, meeting_id, "schriftfuehrer")
    page = one.page
    before = int(page.locator("#current-version").inner_text())
    # without script every line links to a form; with script the text itself is edited
    expect(page.locator("#transcript .edit-link")).to_have_count(0)
    page.locator("#seg-0 .text").click()
    editor = page.get_by_label("Text ab 00:00:00 korrigieren")
    expect(editor).to_be_focused()
    # the player waits while someone corrects (walk-through of #17: it started by itself)
    page.wait_for_timeout(500)
    assert player(page, "p.paused") is True
    assert "meinem Damen" in editor.input_value()
    editor.fill(editor.input_value().replace("meinem Damen", "meine Damen"))
    assert page.evaluate(A11Y_CHECK) == []  # the editor is labelled
    editor.press("Control+Enter")
    expect(page.locator("#transcript-status")).to_have_text(
        f"Die Korrektur wurde als Fassung {before + 1} gespeichert."
    )
    expect(page.locator("#current-version")).to_have_text(str(before + 1))
    expect(page.locator("#draft-version")).to_have_text(str(before + 1))
    corrected = page.locator("#seg-0 .w").filter(has_text=re.compile(r"^meine$"))
    expect(corrected).to_have_count(1)
    assert corrected.get_attribute("title") is None  # a person wrote it: not uncertain
    expect(page.locator("#seg-0")).to_contain_text("(korrigiert)")
    # the other forms of the page are based on the new version now
    page.get_by_label("Sprecher 3", exact=True).fill("Kämmerin Vogt")
    page.get_by_role("button", name="Zuordnung speichern").click()
    expect(notice(page)).to_contain_text("Sprecherzuordnung")
    expect(page.locator("#current-version")).to_have_text(str(before + 2))
    # the correction persists (a reload reads the stored version)
    expect(page.locator("#seg-0 .text")).to_contain_text("meine Damen und Herren")
    expect(page.locator("table.versions tbody tr")).to_have_count(before + 2)

    # the second tab still shows the old version: its correction is refused, text kept
    other = two.page
    other.locator("#seg-2 .text").focus()
    other.keyboard.press("Enter")
    stale = other.get_by_label(re.compile(r"^Text ab .* korrigieren$"))
    stale.fill("Dann stelle ich fest: keine Gegenstimmen.")
    other.get_by_role("button", name=re.compile(r"^Korrektur ab .* speichern$")).click()
    status = other.locator("#transcript-status")
    expect(status).to_have_class(re.compile(r"\bis-error\b"))
    expect(status).to_contain_text(f"inzwischen gibt es Fassung {before + 2}")
    expect(stale).to_have_value("Dann stelle ich fest: keine Gegenstimmen.")
    one.go(f"/sitzungen/{meeting_id}/pruefung")
    expect(page.locator("#current-version")).to_have_text(str(before + 2))
    expect(page.locator("#seg-2")).not_to_contain_text("keine Gegenstimmen.")
    assert one.script_errors() == []
    assert [e for e in two.script_errors() if "409" not in e] == []


def test_the_editor_fits_a_phone(browser: Browser, seeded: tuple[Service, str, str]) -> None:
    service, meeting_id, _published = seeded
    tab = review_tab(browser, service, meeting_id, "schriftfuehrer")
    page = tab.page
    for width in (390, 1366):
        page.set_viewport_size({"width": width, "height": 800})
        page.locator("#seg-1 .text").click()
        expect(page.locator("#seg-1 textarea")).to_be_visible()
        found = page.evaluate(LAYOUT_CHECK, REVIEW_REGIONS)
        assert found["width"] <= found["viewport"] and not found["overlaps"], found
        page.get_by_role("button", name="Abbrechen").click()
        expect(page.locator("#seg-1 textarea")).to_have_count(0)
        player(page, "p.pause()")
    assert tab.script_errors() == []


def test_a_published_transcript_is_read_only(
    browser: Browser, seeded: tuple[Service, str, str]
) -> None:
    service, _meeting_id, published = seeded
    tab = review_tab(browser, service, published, "schriftfuehrer")
    page = tab.page
    expect(page.locator("#review-state")).to_have_text("Veröffentlicht")
    assert page.locator("#transcript .line").count() >= len(SAMPLE["segments"])
    expect(page.locator("#transcript .edit-link")).to_have_count(0)
    assert page.locator("#transcript .text[tabindex]").count() == 0
    page.locator("#seg-1 .text").click()
    expect(page.locator("#transcript textarea")).to_have_count(0)
    expect(page.locator("#transcript .top-divider")).to_have_count(4)  # still readable
    assert tab.script_errors() == []
