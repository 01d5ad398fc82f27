"""The glued peer must be scored on what it said: its answer read per TOP, anything that is
not one of the results or not a count left empty, and a transcript too long for the
context refused instead of cut. No model: a fake returns the answer."""

from __future__ import annotations

import json
from typing import Any

import pytest

from bench.minutes import agenda_toml, is_vote_finding, score_session
from bench.minutes_heldout import H2
from bench.minutes_peer import (
    answer_schema,
    ask,
    ask_per_item,
    entry_schema,
    item_messages,
    messages,
)
from protokoll.domain.agenda import Agenda, parse_agenda
from protokoll.domain.transcript import AudioInfo, Segment, Transcript
from protokoll.llm.base import ChatMessage, Generation, LLMInfo
from protokoll.llm.json_output import validate


class FakeLLM:
    info = LLMInfo("fake", "fake", "", "cpu", 8192)

    def __init__(self, answer: str) -> None:
        self.answer = answer
        self.schemas: list[dict[str, Any] | None] = []
        self.prompts: list[str] = []

    def generate(
        self,
        messages: list[ChatMessage],
        *,
        max_tokens: int,
        temperature: float = 0.0,
        json_schema: dict[str, Any] | None = None,
    ) -> Generation:
        self.schemas.append(json_schema)
        self.prompts.append(messages[-1].content)
        return Generation(self.answer, 100, 50, 1.0)

    def count_tokens(self, text: str) -> int:
        return len(text.split())


def _agenda() -> Agenda:
    return parse_agenda(agenda_toml(H2), "h2.toml", "toml")


def _transcript(text: str = "Wer ist dafür? Sechs.") -> Transcript:
    audio = AudioInfo("a.ogg", "", 60.0, "ogg", "opus", 48000, 1, 1)
    return Transcript(audio, "de", [Segment(0.0, 5.0, text, speaker="SPEAKER_00")], [])


def _entry(result: str, **counts: Any) -> dict[str, Any]:
    return {"ergebnis": result, "ja": None, "nein": None, "enthaltung": None,
            "befangen": None, **counts}  # fmt: skip


def test_the_prompt_holds_the_agenda_and_the_transcript_without_speaker_labels() -> None:
    chat = messages(_agenda(), _transcript())
    prompt = chat[-1].content
    assert prompt.startswith("Hier ist das Transkript der Sitzung und die Tagesordnung.")
    assert "TOP 6: Zuschuss an den TSV Süderlund" in prompt
    assert "Wer ist dafür? Sechs." in prompt
    assert "SPEAKER_00" not in prompt


def test_the_answer_is_read_per_top_and_scored_like_the_minutes() -> None:
    agenda = _agenda()
    answer = {f"TOP {i.number}": _entry("beschlossen") for i in agenda.items}
    answer["TOP 6"] = _entry("mehrheitlich beschlossen", ja=6, nein=2, enthaltung=1, befangen=1)
    answer["TOP 7"] = _entry("beschlossen", nein=3)
    validate(answer, answer_schema(agenda))
    llm = FakeLLM(json.dumps(answer, ensure_ascii=False))
    peer = ask(llm, agenda, _transcript(), 8192)
    assert llm.schemas == [answer_schema(agenda)]
    by_number = {i.number: i for i in peer.minutes.items}
    assert by_number["6"].result == "mehrheitlich beschlossen"
    assert (by_number["6"].votes.yes, by_number["6"].votes.biased) == (6, 1)
    reference = {"boundaries": {}}
    score = score_session(H2, peer.minutes, _transcript(), reference)
    assert score.results == {"right": 2, "missed": 0, "wrong": 5}
    # TOP 6 all four right, TOP 3 two nulls, TOP 7 one right (nein) ... and one wrong number
    assert score.counts["wrong"] == 1
    assert any("TOP 7: no = 3, said 1" in f for f in score.findings)
    assert all(is_vote_finding(f) for f in score.findings if "result" in f or " = " in f)


def test_a_cut_off_answer_leaves_every_item_missed_and_never_guesses() -> None:
    agenda = _agenda()
    peer = ask(FakeLLM('{"TOP 1": {"ergebnis": "beschl'), agenda, _transcript(), 8192)
    assert all(i.result is None and not i.votes.any_count() for i in peer.minutes.items)


def test_a_transcript_longer_than_the_context_is_refused() -> None:
    with pytest.raises(ValueError, match="context_tokens"):
        ask(FakeLLM("{}"), _agenda(), _transcript("Wort " * 5000), 2048)


def test_per_item_calls_share_the_transcript_prefix_and_ask_one_top_each() -> None:
    agenda = _agenda()
    llm = FakeLLM(json.dumps(_entry("vertagt", ja=9, nein=6, enthaltung=0)))
    peer = ask_per_item(llm, agenda, _transcript(), 8192)
    assert len(llm.prompts) == len(agenda.items)
    assert llm.schemas == [entry_schema()] * len(agenda.items)
    first, second = (
        item_messages(agenda, _transcript(), "1"),
        item_messages(agenda, _transcript(), "2"),
    )
    prefix = first[-1].content.rsplit("\n\n", 1)[0]
    assert second[-1].content.startswith(prefix) and "Gib für TOP 2" in second[-1].content
    assert all(i.result == "vertagt" and i.votes.yes == 9 for i in peer.minutes.items)
    assert len(peer.generations) == len(agenda.items)
