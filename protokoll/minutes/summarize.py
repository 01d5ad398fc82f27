"""The LLM stage: per agenda item a Verlaufs- or Ergebnisprotokoll text with sources.

The item's sentences are numbered lines ("[3] Herr Keller: ..."); the model
answers JSON `{"saetze": [{"text": ..., "zeilen": [3, 4]}]}` (schema-constrained
where the backend can), and each sentence's line numbers become transcript
time ranges. Lines cited that do not exist are dropped and the sentence is
flagged. An item longer than the model's context is summarised in parts (map)
whose sentences are then merged (reduce); nothing is cut off silently.
Prompts are German text files in `protokoll/minutes/prompts/`, with a worked example.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from importlib import resources
from typing import Any

from protokoll.domain.minutes import Flag, SourceRange, SummarySentence
from protokoll.llm.base import LLM, ChatMessage, Generation
from protokoll.llm.json_output import JSONOutputError, extract_json
from protokoll.minutes.sentences import Sentence

log = logging.getLogger(__name__)

SUMMARY_SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {
        "saetze": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "text": {"type": "string"},
                    "zeilen": {"type": "array", "items": {"type": "integer"}},
                },
                "required": ["text", "zeilen"],
            },
        }
    },
    "required": ["saetze"],
}
_PROMPT_OVERHEAD_TOKENS = 900  # system prompt + worked example + JSON wrapper


def prompt(name: str) -> str:
    return resources.files("protokoll.minutes.prompts").joinpath(name).read_text(encoding="utf-8")


@dataclass
class SummaryResult:
    sentences: list[SummarySentence]
    flags: list[Flag] = field(default_factory=list)
    generations: list[Generation] = field(default_factory=list)


def format_lines(
    sentences: Sequence[Sentence], speaker_name: Callable[[str | None], str], first: int = 1
) -> list[str]:
    return [f"[{first + i}] {speaker_name(s.speaker)}: {s.text}" for i, s in enumerate(sentences)]


def parse_sentences(text: str) -> list[dict[str, Any]]:
    """The model's sentences, leniently: code fences and text around the JSON are ignored;
    entries without text are skipped and line numbers that are not integers dropped."""
    data = extract_json(text)
    items = data.get("saetze") if isinstance(data, dict) else None
    if not isinstance(items, list):
        raise JSONOutputError("Feld „saetze“ fehlt in der Antwort des Sprachmodells.")
    out = []
    for entry in items:
        if not isinstance(entry, dict) or not isinstance(entry.get("text"), str):
            continue
        lines = [n for n in entry.get("zeilen", []) if isinstance(n, int)]
        out.append({"text": entry["text"].strip(), "zeilen": lines})
    return out


class Summarizer:
    def __init__(
        self,
        llm: LLM,
        protocol_type: str = "verlauf",
        max_output_tokens: int = 700,
        temperature: float = 0.0,
    ):
        self.llm = llm
        self.protocol_type = protocol_type
        self.max_output_tokens = max_output_tokens
        self.temperature = temperature

    def _messages(self, system: str, header: str, lines: Sequence[str]) -> list[ChatMessage]:
        return [
            ChatMessage("system", system),
            ChatMessage("user", prompt("ergebnis.example.user.md")),
            ChatMessage("assistant", prompt("ergebnis.example.assistant.json").strip()),
            ChatMessage("user", f"{header}\n\nZeilen:\n" + "\n".join(lines)),
        ]

    def _budget(self) -> int:
        return self.llm.info.context_tokens - self.max_output_tokens - _PROMPT_OVERHEAD_TOKENS

    def _chunks(self, lines: Sequence[str]) -> list[list[int]]:
        """Indices of lines grouped so that each group fits the context budget."""
        budget = self._budget()
        groups: list[list[int]] = [[]]
        used = 0
        for i, line in enumerate(lines):
            cost = self.llm.count_tokens(line) + 2
            if groups[-1] and used + cost > budget:
                groups.append([])
                used = 0
            groups[-1].append(i)
            used += cost
        return groups

    def _ask(
        self, system: str, header: str, lines: Sequence[str], result: SummaryResult
    ) -> list[dict[str, Any]]:
        messages = self._messages(system, header, lines)
        generation = self.llm.generate(
            messages,
            max_tokens=self.max_output_tokens,
            temperature=self.temperature,
            json_schema=SUMMARY_SCHEMA,
        )
        result.generations.append(generation)
        if generation.finish_reason == "length":
            result.flags.append(
                Flag(
                    "ki_abgeschnitten",
                    "Die KI-Zusammenfassung wurde an der Längengrenze abgeschnitten; "
                    "bitte den Beratungsverlauf vervollständigen.",
                )
            )
        try:
            return parse_sentences(generation.text)
        except JSONOutputError as exc:
            log.warning("LLM-Antwort nicht lesbar: %s", exc)
            result.flags.append(
                Flag(
                    "ki_antwort_unlesbar",
                    "Die KI hat keine verwertbare Zusammenfassung geliefert; der Beratungsverlauf "
                    "fehlt und ist von Hand zu ergänzen.",
                )
            )
            return []

    def summarize(
        self,
        title: str,
        sentences: Sequence[Sentence],
        speaker_names: Mapping[str, str] | None = None,
        speaker_name: Callable[[str | None], str] | None = None,
    ) -> SummaryResult:
        result = SummaryResult(sentences=[])
        if not sentences:
            return result
        namer = speaker_name or (lambda label: (speaker_names or {}).get(label or "", label or "?"))
        lines = format_lines(sentences, namer)
        system = prompt(
            "ergebnis.system.md" if self.protocol_type == "ergebnis" else "verlauf.system.md"
        )
        groups = self._chunks(lines)
        if len(groups) == 1:
            raw = self._ask(system, title, lines, result)
            result.sentences = self._with_sources(raw, sentences, result)
            return result
        # map: each part on its own, with its own line numbers; then reduce
        partial: list[SummarySentence] = []
        for part, idx in enumerate(groups, start=1):
            sub = [sentences[i] for i in idx]
            raw = self._ask(system, f"{title} (Teil {part} von {len(groups)})",
                            format_lines(sub, namer), result)  # fmt: skip
            partial += self._with_sources(raw, sub, result)
        reduce_lines = [f"[{i + 1}] {s.text}" for i, s in enumerate(partial)]
        if sum(self.llm.count_tokens(x) for x in reduce_lines) > self._budget():
            result.flags.append(
                Flag(
                    "ki_lang",
                    f"Der TOP ist sehr lang; der Beratungsverlauf besteht aus {len(partial)} "
                    "Teilsätzen und wurde nicht weiter verdichtet.",
                )
            )
            result.sentences = partial
            return result
        raw = self._ask(prompt("reduce.system.md"), title, reduce_lines, result)
        merged: list[SummarySentence] = []
        for entry in raw:
            cited = [partial[n - 1] for n in entry["zeilen"] if 1 <= n <= len(partial)]
            sources = sorted({r for s in cited for r in s.sources}, key=lambda r: r.start_s)
            merged.append(SummarySentence(entry["text"], sources, _citation_flags(entry, cited)))
        result.sentences = merged or partial
        return result

    @staticmethod
    def _with_sources(
        raw: Sequence[dict[str, Any]], sentences: Sequence[Sentence], result: SummaryResult
    ) -> list[SummarySentence]:
        out = []
        for entry in raw:
            cited = [sentences[n - 1] for n in entry["zeilen"] if 1 <= n <= len(sentences)]
            sources = [SourceRange(s.start_s, s.end_s) for s in cited]
            out.append(SummarySentence(entry["text"], sources, _citation_flags(entry, cited)))
        return out


def _citation_flags(entry: Mapping[str, Any], cited: Sequence[object]) -> list[Flag]:
    if not cited:
        return [
            Flag(
                "ohne_quelle",
                "Für diesen Satz hat die KI keine gültige Transkriptstelle angegeben; "
                "bitte anhand der Aufnahme prüfen.",
                text=str(entry.get("text", "")),
            )
        ]
    if len(cited) < len(entry.get("zeilen", [])):
        return [
            Flag(
                "quelle_ungueltig",
                "Die KI hat nicht vorhandene Zeilen zitiert; bitte die Quellen prüfen.",
                text=str(entry.get("text", "")),
            )
        ]
    return []
