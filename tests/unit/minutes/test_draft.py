"""The minutes stage on the real recogniser output of the sample, with rules and a fake LLM."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from protokoll.config import MinutesSettings
from protokoll.domain.agenda import load_agenda
from protokoll.domain.minutes import Minutes
from protokoll.domain.speakers import names_in
from protokoll.domain.transcript import Transcript, speaker_display_name
from protokoll.llm.base import ChatMessage, Generation, LLMInfo
from protokoll.minutes.draft import MinutesDrafter
from tests.support.minutes_reference import BOUNDARIES, BOUNDARY_TOLERANCE_S, EXPECTED

ROOT = Path(__file__).resolve().parents[3]
TRANSCRIPT = ROOT / "tests" / "data" / "sitzung.transcript.json"


class FakeLLM:
    """Answers like a model would, including an invented number, to test the checks."""

    def __init__(self, summary: dict[str, Any], vote: dict[str, Any] | None = None) -> None:
        self.info = LLMInfo("fake", "fake-llm", "0" * 64, "cpu", 8192)
        self.summary = summary
        self.vote = vote
        self.calls: list[list[ChatMessage]] = []

    def generate(
        self,
        messages: list[ChatMessage],
        *,
        max_tokens: int,
        temperature: float = 0.0,
        json_schema: dict[str, Any] | None = None,
    ) -> Generation:
        self.calls.append(messages)
        props = (json_schema or {}).get("properties", {})
        if "ergebnis" in props:
            payload = self.vote or {"ergebnis": "beschlossen", "ja": None, "nein": None,
                                    "enthaltung": None, "befangen": None}  # fmt: skip
        elif "beitraege" in props:
            payload = self.summary
        else:
            payload = {"text": "Der Rat beschließt den Verkauf der Teilfläche.", "zeilen": [1]}
        return Generation(json.dumps(payload, ensure_ascii=False), 100, 20, 0.1)

    def count_tokens(self, text: str) -> int:
        return len(text) // 4 + 1


def _transcript() -> Transcript:
    return Transcript.from_dict(json.loads(TRANSCRIPT.read_text(encoding="utf-8")))


def _draft(llm: FakeLLM | None = None, **settings: Any) -> Minutes:
    agenda = load_agenda(ROOT / "samples" / "agenda.toml")
    return MinutesDrafter(agenda, MinutesSettings(**settings), llm).draft(_transcript())


def test_boundaries_results_and_votes_match_reference_by_rules() -> None:
    minutes = _draft()
    assert [i.number for i in minutes.items] == ["1", "2", "3", "4"]
    for item in minutes.items:
        assert item.start_s == pytest.approx(BOUNDARIES[item.number], abs=BOUNDARY_TOLERANCE_S)
        result, counts = EXPECTED[item.number]
        assert item.result == result, item.number
        votes = item.votes
        assert (votes.yes, votes.no, votes.abstain, votes.biased) == counts, item.number
    ends = [i.end_s for i in minutes.items]
    assert ends[:3] == [i.start_s for i in minutes.items[1:]]
    assert minutes.items[3].public is False


def test_counts_never_said_are_empty_and_flagged() -> None:
    item1 = _draft().items[0]
    assert item1.votes.yes is None
    assert any(f.kind == "stimmen_nicht_genannt" and "Ja" in f.message for f in item1.flags)


def test_resolution_and_motions_come_from_the_transcript() -> None:
    items = _draft().items
    assert items[1].resolution_text is not None
    assert items[1].resolution_text.startswith("Der Rat beschließt die Sanierung")
    assert items[1].resolution_evidence is not None
    assert any("Vertagung" in m for m in items[2].motions)


def test_speaker_names_proposed_from_call_ups_and_flagged() -> None:
    minutes = _draft()
    assert minutes.speaker_names["SPEAKER_00"].endswith("Anna Berger")
    assert minutes.speaker_names["SPEAKER_02"].endswith("Michael Hartmann")
    assert sum(f.kind == "sprecher_vorgeschlagen" for f in minutes.flags) == len(
        minutes.speaker_names
    )


def test_invented_number_in_summary_is_flagged_not_hidden() -> None:
    llm = FakeLLM(
        {"beitraege": [
            {"nr": 1, "saetze": ["Kämmerer Michael Hartmann erläuterte, die Kosten lägen bei "
                                 "2,5 Millionen Euro."]},
            {"nr": 2, "saetze": ["Herr Keller erklärte, das Land übernehme 60 Prozent."]},
        ]}
    )  # fmt: skip
    item2 = _draft(llm).items[1]
    invented, said = item2.summary
    assert "2,5 Mio. €" in invented.text  # the text stays, visibly flagged (in minutes style)
    assert [f.kind for f in invented.flags] == ["zahl_unbelegt"]
    assert "2,5" in invented.flags[0].message
    assert said.flags == [] and "60 %" in said.text
    assert said.sources and said.sources[0].start_s >= (item2.start_s or 0.0)


def test_summary_sources_are_the_contributions_times() -> None:
    llm = FakeLLM({"beitraege": [{"nr": 1, "saetze": ["Es wurde beraten."]},
                                 {"nr": 99, "saetze": ["Zu keinem Beitrag."]}]})  # fmt: skip
    item = _draft(llm).items[1]
    [first] = [s for s in item.summary if s.text == "Es wurde beraten."]
    assert first.sources and all(r.start_s >= (item.start_s or 0.0) for r in first.sources)
    assert first.sources == sorted(first.sources, key=lambda r: r.start_s)
    assert not any(s.text == "Zu keinem Beitrag." for s in item.summary)  # cites nothing


def test_llm_result_is_only_a_suggestion_and_its_unsaid_counts_are_rejected() -> None:
    llm = FakeLLM({"beitraege": []}, vote={"ergebnis": "abgelehnt", "ja": 15, "nein": 0,
                                        "enthaltung": None, "befangen": None})  # fmt: skip
    agenda = load_agenda(ROOT / "samples" / "agenda.toml")
    transcript = _transcript()
    # remove the chair's vote sentences of TOP 4 so the rules find no result
    transcript.segments = [s for s in transcript.segments if "einstimmig beschlossen" not in s.text]
    item4 = MinutesDrafter(agenda, MinutesSettings(), llm).draft(transcript).items[3]
    assert item4.result is None  # the model's reading is a suggestion, never the result
    assert item4.votes.yes is None  # 15 was never said
    assert any(f.kind == "zahl_unbelegt" and "15" in f.message for f in item4.flags)
    [suggestion] = [f for f in item4.flags if f.kind == "ergebnis_ki"]
    assert "Vorschlag der KI: „abgelehnt“" in suggestion.message
    assert not any(f.kind == "ergebnis_nicht_erkannt" for f in item4.flags)


def test_resolution_written_by_llm_is_flagged() -> None:
    llm = FakeLLM({"beitraege": []})
    item4 = _draft(llm).items[3]
    assert item4.resolution_text == "Der Rat beschließt den Verkauf der Teilfläche."
    assert any(f.kind == "beschluss_ki" for f in item4.flags)


def test_corrected_boundary_moves_the_item_and_its_neighbour() -> None:
    agenda = load_agenda(ROOT / "samples" / "agenda.toml")
    minutes = MinutesDrafter(agenda, MinutesSettings()).draft(
        _transcript(), corrected_starts={"3": 120.0}
    )
    assert minutes.items[2].start_s == 120.0
    assert minutes.items[2].boundary is not None and minutes.items[2].boundary.method == "manuell"
    assert minutes.items[1].end_s == 120.0


def test_wortprotokoll_type_needs_no_llm() -> None:
    item = _draft(protocol_type="wort").items[1]
    assert item.summary and item.summary[0].sources
    assert ":" in item.summary[0].text


def test_minutes_dict_has_documented_fields() -> None:
    data = _draft().to_dict()
    item = data["items"][1]
    for key in ("number", "title", "public", "start_s", "end_s", "summary", "motions",
                "resolution_text", "result", "votes", "flags"):  # fmt: skip
        assert key in item
    assert set(item["votes"]) == {"yes", "no", "abstain", "biased"}
    public = _draft().to_dict(public_only=True)
    assert [i["number"] for i in public["items"]] == ["1", "2", "3"]


def test_llm_resolution_unrelated_to_the_item_is_discarded() -> None:
    class CopyingLLM(FakeLLM):
        def generate(self, messages: list[ChatMessage], **kwargs: Any) -> Generation:
            if "text" in (kwargs.get("json_schema") or {}).get("properties", {}):
                payload = {"text": "Der Rat beschließt, die Straßenbeleuchtung zu erneuern.",
                           "zeilen": [1]}  # fmt: skip
                return Generation(json.dumps(payload, ensure_ascii=False), 10, 10, 0.1)
            return super().generate(messages, **kwargs)

    item4 = _draft(CopyingLLM({"saetze": []})).items[3]
    assert item4.resolution_text is None
    assert any(f.kind == "beschluss_fehlt" for f in item4.flags)


def test_procedure_is_not_sent_to_the_llm_as_debate() -> None:
    llm = FakeLLM({"beitraege": []})
    _draft(llm)
    summary_calls = [call for call in llm.calls if "Beratungsverlauf" in call[0].content]
    assert summary_calls
    sent = "\n".join(call[-1].content for call in summary_calls)
    assert "Affentlichkeit ist ausgeschlossen" not in sent
    assert "14-Jährstimmen" not in sent  # the vote is in the vote field, not the debate


def test_llm_failure_is_flagged_per_item_and_the_draft_survives() -> None:
    from protokoll.errors import StageError

    class FailingLLM(FakeLLM):
        def generate(self, messages: list[ChatMessage], **kwargs: Any) -> Generation:
            raise StageError("Kontextfenster überschritten")

    minutes = _draft(FailingLLM({"saetze": []}))
    assert [i.result for i in minutes.items] == [EXPECTED[n][0] for n in ("1", "2", "3", "4")]
    assert all(any(f.kind == "ki_fehler" for f in i.flags) for i in minutes.items)


def test_llm_resolution_prompt_fits_the_context_on_long_items() -> None:
    class SmallContext(FakeLLM):
        def __init__(self) -> None:
            super().__init__({"beitraege": []})
            self.info = LLMInfo("fake", "fake-llm", "0" * 64, "cpu", 1400)

        def generate(self, messages: list[ChatMessage], **kwargs: Any) -> Generation:
            size = sum(self.count_tokens(m.content) for m in messages)
            assert size + kwargs["max_tokens"] <= self.info.context_tokens + 400, size
            return super().generate(messages, **kwargs)

    assert _draft(SmallContext()).items[3].number == "4"


def test_public_minutes_json_has_no_trace_of_non_public_titles() -> None:
    from dataclasses import replace as dc_replace

    minutes = _draft()
    hotwords = "Grundstücksangelegenheit: Verkauf einer Teilfläche am Mühlbach"
    minutes.models = [{"stage": "transcription", "name": "w", "sha256": "0",
                       "parameters": {"hotwords": hotwords}}]  # fmt: skip
    public = json.dumps(dc_replace(minutes).to_dict(public_only=True), ensure_ascii=False)
    assert "Mühlbach" not in public and "Teilfläche" not in public


def test_publish_removes_stale_public_version(tmp_path: Path) -> None:
    from protokoll.documents.artifacts import MINUTES_FILES, publish

    out = tmp_path / "out"
    out.mkdir()
    (out / "niederschrift.oeffentlich.docx").write_text("alt")
    (out / "eigene-notiz.txt").write_text("bleibt")
    publish(out, {"minutes.json": lambda p: p.write_text("{}")}, MINUTES_FILES)
    assert not (out / "niederschrift.oeffentlich.docx").exists()
    assert (out / "eigene-notiz.txt").read_text() == "bleibt"
    assert (out / "minutes.json").read_text() == "{}"


def test_empty_summary_for_a_debated_item_is_flagged() -> None:
    item2 = _draft(FakeLLM({"beitraege": []})).items[1]
    assert item2.summary == []
    assert any(f.kind == "ki_leer" for f in item2.flags)
    missing = [f for f in item2.flags if f.kind == "beitrag_fehlt"]
    assert missing and all(f.start_s is not None and f.text for f in missing)


def test_speakers_are_labels_and_texts_keep_them_so_a_rename_reaches_the_minutes() -> None:
    """Issue #17: a TOP's speakers are labels (the schema says so), and a sentence naming a
    speaker as the draft showed them ("Sprecher 2", a proposed name) keeps the label, so a
    name given later in the review renames the minutes too."""
    llm = FakeLLM(
        {"beitraege": [
            {"nr": 1, "saetze": ["Kämmerer Michael Hartmann erläuterte die Kosten der Sanierung."]},
            {"nr": 2, "saetze": ["Sprecher 2 erklärte, die Fraktion stimme der Sanierung zu."]},
        ]}
    )  # fmt: skip
    minutes = _draft(llm)
    for item in minutes.items:
        assert all(s.startswith("SPEAKER_") for s in item.speakers), item.speakers
    texts = [s.text for s in minutes.items[1].summary]
    named = minutes.speaker_names["SPEAKER_02"]
    assert named.endswith("Michael Hartmann")
    assert texts[0] == "SPEAKER_02 erläuterte die Kosten der Sanierung."
    assert not any("Sprecher 2 " in t for t in texts)
    assert any(t.startswith("SPEAKER_01 erklärte") for t in texts)
    assert names_in(texts[-1], minutes.speaker_names).startswith(
        speaker_display_name("SPEAKER_01", minutes.speaker_names)
    )


def test_wortprotokoll_lines_name_the_speaker_by_label() -> None:
    item = _draft(protocol_type="wort").items[1]
    assert all(s.text.split(":")[0].startswith("SPEAKER_") for s in item.summary)


def test_a_said_end_time_heard_garbled_is_left_empty_not_computed() -> None:
    """The sample's chair closes "um neunzehn Uhr zweiundvierzig"; the recogniser heard
    "um 19 Uhr 2.20". The draft used to compute 18:04 from the recording (start plus four
    minutes) against what was said (walk-through of #17). Now the end stays empty and a
    flag at the closing words says the hour was heard and the minutes were not."""
    minutes = _draft()
    assert minutes.meeting.start_time == "18:00"
    assert minutes.meeting.end_time == ""
    flag = next(f for f in minutes.flags if f.kind == "ende_unklar")
    assert "„um 19 Uhr 2.20“" in flag.message and "die Stunde ist 19 Uhr" in flag.message
    assert flag.start_s is not None and flag.text and "schließe die Sitzung" in flag.text
    kinds = {f.kind for f in minutes.flags}
    assert "ende_berechnet" not in kinds and "ende_fehlt" not in kinds


@pytest.mark.parametrize(
    ("closing", "end", "kind"),
    [
        ("Ich schließe die Sitzung um 19:42 Uhr.", "19:42", None),
        ("Ich schließe die Sitzung um 19 Uhr 42.", "19:42", None),
        ("Ich schließe die Sitzung um 21 Uhr.", "21:00", None),
        ("Ich schließe die Sitzung um 19 Uhr 2.20.", "", "ende_unklar"),
        ("Ich schließe die Sitzung.", "19:30", "ende_berechnet"),
    ],
)
def test_the_end_is_read_from_the_closing_words(closing: str, end: str, kind: str | None) -> None:
    from protokoll.minutes.draft import _end_time, _unclear_end, end_from_closing
    from protokoll.minutes.segmentation import Segmentation
    from protokoll.minutes.sentences import Sentence

    sentence = Sentence(9, 5400.0, 5429.0, "SPEAKER_00", closing)
    found = Segmentation(spans=[], non_public_from_s=None, closing_s=5400.0)
    said = _end_time([sentence], found)
    unclear = None if said else _unclear_end([sentence], found)
    computed = end_from_closing([sentence], found, "18:00") if not said and not unclear else None
    assert (said or (computed[0] if computed else "")) == end
    got = unclear.kind if unclear else computed[1].kind if computed and computed[1] else None
    assert got == kind


def test_end_from_closing_rounds_to_the_minute_and_wraps_midnight() -> None:
    from protokoll.minutes.draft import end_from_closing
    from protokoll.minutes.segmentation import Segmentation
    from protokoll.minutes.sentences import Sentence

    closing = Sentence(9, 5400.0, 5429.0, "SPEAKER_00", "Ich schließe die Sitzung.")
    found = Segmentation(spans=[], non_public_from_s=None, closing_s=5400.0)
    assert end_from_closing([closing], found, "18:00")[0] == "19:30"
    assert end_from_closing([closing], found, "23:15")[0] == "00:45"
    assert end_from_closing([closing], found, "") == ("", None)  # no start: nothing
    none = Segmentation(spans=[], non_public_from_s=None, closing_s=None)
    assert end_from_closing([closing], none, "18:00") == ("", None)  # no closing
