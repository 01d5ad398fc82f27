"""The structured Verlauf with a scripted model: contributions, sources, post-check retries."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest

from protokoll.domain.minutes import Flag, SummarySentence
from protokoll.llm.base import ChatMessage, Generation, LLMInfo
from protokoll.minutes.faithfulness import sentence_checker
from protokoll.minutes.sentences import Sentence
from protokoll.minutes.summarize import prompt
from protokoll.minutes.verlauf import (
    VerlaufWriter,
    contributions,
    dedupe,
    minutes_style,
    parse_contributions,
)

NAMES = {"S1": "Petra Schulz (Fachbereichsleiterin)", "S2": "Kemal Yilmaz (Ratsmitglied, SPD)"}


class ScriptedLLM:
    """Answers from a list of scripted replies, one per call; records what it was asked."""

    def __init__(self, *replies: Any, context_tokens: int = 8192) -> None:
        self.info = LLMInfo("fake", "scripted", "0" * 64, "cpu", context_tokens)
        self.replies = list(replies)
        self.calls: list[str] = []

    def generate(
        self,
        messages: list[ChatMessage],
        *,
        max_tokens: int,
        temperature: float = 0.0,
        json_schema: dict[str, Any] | None = None,
    ) -> Generation:
        assert json_schema is not None and "beitraege" in json_schema["properties"]
        self.calls.append(messages[-1].content)
        reply = self.replies.pop(0) if self.replies else {"beitraege": []}
        text = reply(messages[-1].content) if callable(reply) else reply
        return Generation(text if isinstance(text, str) else json.dumps(text), 50, 20, 0.1)

    def count_tokens(self, text: str) -> int:
        return len(text.split())


def _debate() -> list[Sentence]:
    texts = [
        ("S1", "Wir wollen 420 Leuchten auf LED umstellen."),
        ("S1", "Die Kosten liegen bei 310.000 Euro, der Bund fördert 40 Prozent."),
        ("S2", "Die SPD begrüßt das. Wir fragen, ob die Arbeiten im Mai beginnen."),
        ("S1", "Danke."),
    ]
    return [Sentence(i, i * 10.0, i * 10.0 + 8.0, spk, t) for i, (spk, t) in enumerate(texts)]


def _namer(label: str | None) -> str:
    return NAMES.get(label or "", "Sprecher 9")


def _checker() -> Callable[[SummarySentence], list[Flag]]:
    text = " ".join(s.text for s in _debate())
    names = ["Petra Schulz", "Kemal Yilmaz"]
    return sentence_checker(text, names, names, session_year=2026)


GOOD = {"beitraege": [
    {"nr": 1, "saetze": ["Frau Schulz erläuterte, es sollten 420 Leuchten umgestellt werden; die "
                         "Kosten lägen bei 310.000 Euro, der Bund fördere 40 Prozent."]},
    {"nr": 2, "saetze": ["Herr Yilmaz (SPD) begrüßte das Vorhaben und fragte, ob die Arbeiten im "
                         "Mai begännen."]},
    {"nr": 3, "saetze": []},
]}  # fmt: skip


def test_contributions_are_consecutive_sentences_of_one_speaker() -> None:
    parts = contributions(_debate(), _namer)
    assert [p.speaker.split(" (")[0] for p in parts] == ["Petra Schulz", "Kemal Yilmaz",
                                                          "Petra Schulz"]  # fmt: skip
    assert len(parts[0].sentences) == 2 and parts[0].has_content() and not parts[2].has_content()


def test_each_sentence_cites_its_contribution_and_numbers_are_in_minutes_style() -> None:
    llm = ScriptedLLM(GOOD)
    result = VerlaufWriter(llm).write("TOP 5: Licht", _debate(), _namer, _checker())
    first, second = result.sentences
    assert [(r.start_s, r.end_s) for r in first.sources] == [(0.0, 8.0), (10.0, 18.0)]
    assert [(r.start_s, r.end_s) for r in second.sources] == [(20.0, 28.0)]
    assert "310.000 €" in first.text and "40 %" in first.text
    assert result.flags == [] and len(llm.calls) == 1  # nothing to retry
    assert "[1] Petra Schulz (Fachbereichsleiterin): Wir wollen 420" in llm.calls[0]


def test_direct_speech_is_retried_with_the_problem_named_and_the_fix_kept() -> None:
    bad = json.loads(json.dumps(GOOD))
    bad["beitraege"][1]["saetze"] = ["Herr Yilmaz: Wir fragen, ob die Arbeiten im Mai beginnen."]
    fixed = {"beitraege": [GOOD["beitraege"][1]]}
    llm = ScriptedLLM(bad, fixed)
    result = VerlaufWriter(llm).write("TOP 5: Licht", _debate(), _namer, _checker())
    assert len(llm.calls) == 2
    assert "Beitrag 2" in llm.calls[1] and "indirekter Rede" in llm.calls[1]
    assert "[1]" not in llm.calls[1]  # only the contribution with the problem is asked again
    assert [s.text for s in result.sentences][1].startswith("Herr Yilmaz (SPD) begrüßte")


def test_a_retry_that_is_no_better_keeps_the_first_answer_for_the_reviewer() -> None:
    bad = json.loads(json.dumps(GOOD))
    bad["beitraege"][0]["saetze"] = ["Frau Schulz erläuterte, es gehe um 450 Leuchten."]
    llm = ScriptedLLM(bad, bad)
    checker = _checker()
    result = VerlaufWriter(llm).write("TOP 5: Licht", _debate(), _namer, checker)
    assert len(llm.calls) == 2
    assert [f.kind for f in checker(result.sentences[0])] == ["zahl_unbelegt"]  # flagged later


def test_a_skipped_contribution_is_asked_for_again_then_flagged() -> None:
    skipped = {"beitraege": [GOOD["beitraege"][0]]}
    llm = ScriptedLLM(skipped, {"beitraege": []})
    result = VerlaufWriter(llm).write("TOP 5: Licht", _debate(), _namer, _checker())
    assert "Beitrag 2 hat Inhalt" in llm.calls[1]
    [flag] = result.flags
    assert flag.kind == "beitrag_fehlt" and flag.start_s == 20.0 and "Yilmaz" in flag.message


def test_an_unreadable_answer_is_asked_again_once_then_flagged() -> None:
    llm = ScriptedLLM("kein JSON", GOOD)
    result = VerlaufWriter(llm).write("TOP 5: Licht", _debate(), _namer, _checker())
    assert len(result.sentences) == 2 and result.flags == []
    llm = ScriptedLLM("kein JSON", "auch nicht")
    result = VerlaufWriter(llm).write("TOP 5: Licht", _debate(), _namer, _checker())
    assert result.sentences == []
    assert {f.kind for f in result.flags} == {"ki_antwort_unlesbar", "beitrag_fehlt"}


def test_a_first_sentence_without_the_speaker_is_retried() -> None:
    bad = json.loads(json.dumps(GOOD))
    bad["beitraege"][0]["saetze"] = ["Die Kosten lägen bei 310.000 Euro."]
    llm = ScriptedLLM(bad, {"beitraege": [GOOD["beitraege"][0]]})
    result = VerlaufWriter(llm).write("TOP 5: Licht", _debate(), _namer, _checker())
    assert "nennt die Person nicht" in llm.calls[1]
    assert result.sentences[0].text.startswith("Frau Schulz erläuterte")


def test_long_items_are_asked_for_in_parts_of_whole_contributions() -> None:
    debate = [Sentence(i, i * 10.0, i * 10.0 + 8.0, f"S{1 + i % 2}", " ".join(["Wort"] * 60) + ".")
              for i in range(12)]  # fmt: skip

    def answer(user: str) -> str:
        numbers = [int(ln[1 : ln.index("]")]) for ln in user.splitlines() if ln.startswith("[")]
        name = {1: "Schulz", 0: "Yilmaz"}
        return json.dumps(
            {
                "beitraege": [
                    {"nr": n, "saetze": [f"{name[n % 2]} sagte etwas zu Beitrag {n}."]}
                    for n in numbers
                ]
            }
        )

    llm = ScriptedLLM(*[answer] * 20, context_tokens=200 + 700 + 1100)
    result = VerlaufWriter(llm).write("TOP 9: Haushalt", debate, _namer)
    assert len(llm.calls) >= 3
    assert [s.text.rsplit(" ", 1)[1] for s in result.sentences] == [f"{n}." for n in range(1, 13)]
    assert all(len(s.sources) == 1 for s in result.sentences)


@pytest.mark.parametrize(
    ("raw", "styled"),
    [
        ("Die Kosten lägen bei 1,8 Millionen Euro.", "Die Kosten lägen bei 1,8 Mio. €."),
        ("zu 85 Euro pro Quadratmeter", "zu 85 € pro Quadratmeter"),
        ("Der Bund fördere 60 Prozent.", "Der Bund fördere 60 %."),
        ("ein Anteil von 40%", "ein Anteil von 40 %"),
        ("2,3 Mrd. Euro", "2,3 Mrd. €"),
        ("im Jahr 2027 und mit zwei Euro", "im Jahr 2027 und mit zwei Euro"),
    ],
)
def test_minutes_style(raw: str, styled: str) -> None:
    assert minutes_style(raw) == styled


def test_the_same_sentence_for_two_contributions_is_kept_once_with_both_sources() -> None:
    from protokoll.domain.minutes import SourceRange

    a = SummarySentence("Die Schule sei alt.", [SourceRange(0, 1)])
    b = SummarySentence("die Schule sei alt", [SourceRange(5, 6)])
    [kept] = dedupe([a, b])
    assert kept.sources == [SourceRange(0, 1), SourceRange(5, 6)]


def test_parse_contributions_is_lenient() -> None:
    text = 'Antwort:\n```json\n{"beitraege": [{"nr": 1, "saetze": "Ein Satz."}, {"nr": "x"}, ' \
           '{"nr": 2, "saetze": ["A.", 3, " "]}]}\n```'  # fmt: skip
    assert parse_contributions(text) == {1: ["Ein Satz."], 2: ["A."]}


def test_the_prompt_asks_for_contributions_in_indirect_speech_with_a_worked_example() -> None:
    system = prompt("verlauf.system.md")
    assert "indirekter Rede" in system and "beitraege" in system
    example = json.loads(prompt("verlauf.example.assistant.json"))
    user = prompt("verlauf.example.user.md")
    numbers = [int(ln[1 : ln.index("]")]) for ln in user.splitlines() if ln.startswith("[")]
    assert [e["nr"] for e in example["beitraege"]] == numbers


def test_an_answer_cut_off_keeps_its_complete_entries() -> None:
    text = (
        '{"beitraege": [{"nr": 1, "saetze": ["Ein \\"Satz\\" [sic]."]}, '
        '{"nr": 2, "saetze": ["Abgebr'
    )
    assert parse_contributions(text) == {1: ['Ein "Satz" [sic].']}
