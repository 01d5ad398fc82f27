"""The LLM summary stage with a scripted model: sources, map-reduce, bad answers."""

from __future__ import annotations

import json
from typing import Any

from protokoll.llm.base import ChatMessage, Generation, LLMInfo
from protokoll.minutes.sentences import Sentence
from protokoll.minutes.summarize import Summarizer, parse_sentences


class ScriptedLLM:
    """Cites every line it was given, one sentence per line; records the calls."""

    def __init__(self, context_tokens: int = 8192, finish_reason: str = "stop") -> None:
        self.info = LLMInfo("fake", "scripted", "0" * 64, "cpu", context_tokens)
        self.calls: list[str] = []
        self.finish_reason = finish_reason

    def generate(
        self,
        messages: list[ChatMessage],
        *,
        max_tokens: int,
        temperature: float = 0.0,
        json_schema: dict[str, Any] | None = None,
    ) -> Generation:
        user = messages[-1].content
        self.calls.append(user)
        lines = [ln for ln in user.splitlines() if ln.startswith("[")]
        numbers = [int(ln[1 : ln.index("]")]) for ln in lines]
        if len(numbers) > 3:  # summarise: one sentence citing all lines
            saetze = [{"text": f"Zusammenfassung von {len(numbers)} Zeilen.", "zeilen": numbers}]
        else:
            saetze = [{"text": f"Satz zu Zeile {n}.", "zeilen": [n]} for n in numbers]
        payload = json.dumps({"saetze": saetze})
        return Generation(payload, 10, 10, 0.01, self.finish_reason)

    def count_tokens(self, text: str) -> int:
        return len(text.split())


def _sentences(n: int, words: int = 10) -> list[Sentence]:
    return [
        Sentence(i, i * 10.0, i * 10.0 + 8.0, f"SPEAKER_0{i % 3}", " ".join(["Wort"] * words) + ".")
        for i in range(n)
    ]


def test_short_item_single_call_with_sources() -> None:
    llm = ScriptedLLM()
    result = Summarizer(llm).summarize("TOP 1: Test", _sentences(3))
    assert len(llm.calls) == 1
    assert [s.text for s in result.sentences] == [f"Satz zu Zeile {n}." for n in (1, 2, 3)]
    assert [(r.start_s, r.end_s) for r in result.sentences[1].sources] == [(10.0, 18.0)]
    assert result.flags == []


def test_long_item_is_mapped_and_reduced_not_truncated() -> None:
    # context 1800 tokens - 700 output - 900 overhead = 200 tokens for lines: 13 tokens a line
    llm = ScriptedLLM(context_tokens=1800)
    sentences = _sentences(60)
    result = Summarizer(llm).summarize("TOP 2: Lang", sentences)
    parts = [c for c in llm.calls if "(Teil " in c]
    assert len(parts) >= 3  # every line went into some part
    covered = {r.start_s for s in result.sentences for r in s.sources}
    assert covered == {s.start_s for s in sentences}, "a line was dropped"
    assert len(llm.calls) == len(parts) + 1  # the reduce call


def test_reduce_too_long_keeps_parts_and_flags() -> None:
    llm = ScriptedLLM(context_tokens=1620)  # 20 tokens for lines: reduce cannot fit
    result = Summarizer(llm).summarize("TOP 3: Sehr lang", _sentences(12, words=3))
    assert any(f.kind == "ki_lang" for f in result.flags)
    assert len(result.sentences) >= 2


def test_cut_off_answer_is_flagged() -> None:
    llm = ScriptedLLM(finish_reason="length")
    result = Summarizer(llm).summarize("TOP 4", _sentences(2))
    assert any(f.kind == "ki_abgeschnitten" for f in result.flags)


def test_unreadable_answer_is_flagged_not_invented() -> None:
    class Broken(ScriptedLLM):
        def generate(self, messages: list[ChatMessage], **kwargs: Any) -> Generation:
            return Generation("Ich kann das nicht.", 5, 5, 0.01)

    result = Summarizer(Broken()).summarize("TOP 5", _sentences(2))
    assert result.sentences == []
    assert any(f.kind == "ki_antwort_unlesbar" for f in result.flags)


def test_parse_sentences_is_lenient_about_wrapping() -> None:
    text = 'Hier:\n```json\n{"saetze": [{"text": "A.", "zeilen": [1, "x"]}]}\n```'
    assert parse_sentences(text) == [{"text": "A.", "zeilen": [1]}]


def test_prompt_files_are_german_and_have_an_example() -> None:
    from protokoll.minutes.summarize import prompt

    system = prompt("ergebnis.system.md")
    assert "indirekte Rede" in system
    example = json.loads(prompt("ergebnis.example.assistant.json"))
    assert example["saetze"] and all(s["zeilen"] for s in example["saetze"])
