"""The Verlauf (course of debate) of one agenda item, as a Schriftführer writes it.

The item's debate is cut into *contributions*: consecutive sentences of one speaker.
The model gets them numbered, each with the speaker as minutes name them ("[2]
Ratsmitglied Keller (SPD): ..."), and answers structured output, per contribution the
sentences that condense it into indirect speech:

    {"beitraege": [{"nr": 2, "saetze": ["Ratsmitglied Keller (SPD) erklärte, ..."]}]}

So the model never paraphrases freely: every sentence belongs to one contribution, and
its sources are that contribution's transcript times, by construction. One condensed
sentence per contribution, two at most; procedural contributions (a call to speak,
thanks: fewer than `MIN_CONTENT_WORDS` words) are not sent at all.

After the answer, every sentence is checked (`checker`: direct speech, raw speaker
labels, numbers, names and dates not said, implausible years). Contributions whose
sentences fail, and contributions with content that got no sentence, are asked for
once more, with the problems named; the retry is kept where it is better. What still
fails keeps its flags for the reviewer (`faithfulness.check_summary` attaches them
later), never silently "corrected". Numbers are then written as minutes write them
(`minutes_style`: "1,8 Mio. €", "60 %").

An item whose contributions do not fit the model's context is asked for in parts of
whole contributions (a contribution longer than the context is split); no reduce step
is needed, because the result is one entry per contribution anyway.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from protokoll.domain.minutes import Flag, SourceRange, SummarySentence
from protokoll.llm.base import LLM, ChatMessage
from protokoll.llm.json_output import JSONOutputError, extract_json
from protokoll.minutes.sentences import Sentence
from protokoll.minutes.summarize import SummaryResult, prompt

log = logging.getLogger(__name__)

VERLAUF_SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {
        "beitraege": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "nr": {"type": "integer"},
                    "saetze": {"type": "array", "items": {"type": "string"}},
                },
                "required": ["nr", "saetze"],
            },
        }
    },
    "required": ["beitraege"],
}
_PROMPT_OVERHEAD_TOKENS = 1100  # system prompt, worked example, JSON wrapper, retry notes
_MAX_PER_CALL = 10  # contributions per model call: small models skip some in longer lists
_TOKENS_PER_CONTRIBUTION = 90  # answer budget: one or two condensed sentences
_MAX_SENTENCES = 2  # per contribution; more is a paraphrase, not minutes
# a contribution with fewer words is procedural ("Danke.", "Herr Keller, bitte.")
MIN_CONTENT_WORDS = 8
# flags a retry can fix: what the model wrote, not what the transcript holds
RETRYABLE = frozenset(
    {"direkte_rede", "sprecherkennung_roh", "zahl_unbelegt", "name_unbelegt", "datum_unbelegt",
     "uhrzeit_unbelegt", "jahr_unplausibel"}
)  # fmt: skip

Checker = Callable[[SummarySentence], list[Flag]]


@dataclass
class Contribution:
    speaker: str  # as the minutes name the person ("Ratsmitglied Keller (SPD)")
    sentences: list[Sentence] = field(default_factory=list)

    @property
    def text(self) -> str:
        return " ".join(s.text for s in self.sentences)

    @property
    def sources(self) -> list[SourceRange]:
        return [SourceRange(s.start_s, s.end_s) for s in self.sentences]

    def has_content(self) -> bool:
        return len(self.text.split()) >= MIN_CONTENT_WORDS


def contributions(
    sentences: Sequence[Sentence], speaker_name: Callable[[str | None], str]
) -> list[Contribution]:
    """Consecutive sentences of the same speaker, in order."""
    out: list[Contribution] = []
    last: str | None = None
    for sentence in sentences:
        if not out or sentence.speaker != last:
            out.append(Contribution(speaker_name(sentence.speaker)))
            last = sentence.speaker
        out[-1].sentences.append(sentence)
    return out


# ---- numbers as minutes write them -----------------------------------------------------

_NUM = r"(\d[\d.]*(?:,\d+)?)"
_STYLE = [
    (re.compile(_NUM + r"\s+(?:Milliarden|Mrd\.?)\s+(?:Euro|EUR)\b"), r"\1 Mrd. €"),
    (re.compile(_NUM + r"\s+(?:Millionen|Mio\.?)\s+(?:Euro|EUR)\b"), r"\1 Mio. €"),
    (re.compile(_NUM + r"\s+(?:Euro|EUR)\b"), r"\1 €"),
    (re.compile(_NUM + r"\s*(?:Prozent|v\.\s?H\.)(?!\w)"), r"\1 %"),
    (re.compile(_NUM + r"%"), r"\1 %"),
]


def minutes_style(text: str) -> str:
    """Amounts and shares as minutes write them: '1,8 Millionen Euro' -> '1,8 Mio. €',
    '310.000 Euro' -> '310.000 €', '60 Prozent' -> '60 %'. Words and values are unchanged."""
    for pattern, replacement in _STYLE:
        text = pattern.sub(replacement, text)
    return text


# ---- the model's answer ----------------------------------------------------------------


# one complete entry of the answer, for an answer cut off at the length limit
_ENTRY = re.compile(
    r'\{\s*"nr"\s*:\s*\d+\s*,\s*"saetze"\s*:\s*\[(?:[^\[\]"]|"(?:\\.|[^"\\])*")*\]\s*\}'
)


def parse_contributions(text: str) -> dict[int, list[str]]:
    """Per contribution number the sentences, leniently: code fences and text around the
    JSON are ignored, entries without a number or with non-text sentences skipped, and of
    an answer cut off at the length limit the complete entries are kept."""
    try:
        data = extract_json(text)
    except JSONOutputError:
        data = None
    entries = data.get("beitraege") if isinstance(data, dict) else None
    if not isinstance(entries, list):
        entries = [json.loads(m.group(0)) for m in _ENTRY.finditer(text)] or None
    if not isinstance(entries, list):
        raise JSONOutputError("Feld „beitraege“ fehlt in der Antwort des Sprachmodells.")
    out: dict[int, list[str]] = {}
    for entry in entries:
        if not isinstance(entry, dict) or not isinstance(entry.get("nr"), int):
            continue
        raw = entry.get("saetze")
        items = [raw] if isinstance(raw, str) else raw if isinstance(raw, list) else []
        sentences = [s.strip() for s in items if isinstance(s, str) and s.strip()]
        out.setdefault(entry["nr"], []).extend(sentences)
    return out


def _retry_note(problems: Sequence[tuple[int, str, Flag]], missing: Sequence[int]) -> str:
    lines = ["Überarbeite nur die folgenden Wortbeiträge. Probleme deiner letzten Antwort:"]
    for number, text, flag in problems:
        lines.append(f"- Beitrag {number}, Satz „{text}“: {_FIX.get(flag.kind, flag.message)}")
    for number in missing:
        lines.append(
            f"- Beitrag {number} hat Inhalt, aber keinen Satz; fasse ihn in einem Satz zusammen."
        )
    return "\n".join(lines)


_FIX = {
    "direkte_rede": "wörtliche Rede; schreibe in indirekter Rede in der dritten Person "
    "(„Herr X erklärte, die Fraktion stimme zu.“), ohne „ich“, „wir“ und ohne Doppelpunkt.",
    "sprecherkennung_roh": "enthält eine Sprecherkennung; nenne die Person wie im Wortbeitrag.",
    "zahl_unbelegt": "enthält eine Zahl, die im Wortbeitrag nicht vorkommt; übernimm Zahlen "
    "genau so, wie sie gesagt wurden, oder lass sie weg.",
    "name_unbelegt": "enthält einen Namen, der im Wortbeitrag nicht vorkommt; erfinde keine Namen.",
    "datum_unbelegt": "enthält ein Datum, das nicht gesagt wurde; erfinde keine Daten.",
    "uhrzeit_unbelegt": "enthält eine Uhrzeit, die nicht gesagt wurde.",
    "sprecher_fehlt": "der erste Satz eines Wortbeitrags nennt die Person nicht; beginne mit "
    "der Person, wie sie im Wortbeitrag genannt ist („Ratsmitglied Keller (SPD) erklärte, …“).",
    "jahr_unplausibel": "die Jahreszahl passt nicht zur Sitzung; übernimm sie nur, wenn sie "
    "genau so gesagt wurde.",
}


@dataclass
class _Answer:
    sentences: dict[int, list[SummarySentence]] = field(default_factory=dict)
    unreadable: bool = False
    cut_off: bool = False


class VerlaufWriter:
    """Writes the Verlauf of one item from its debate sentences (see the module doc)."""

    def __init__(
        self,
        llm: LLM,
        *,
        max_output_tokens: int = 700,
        temperature: float = 0.0,
        retries: int = 1,
    ) -> None:
        self.llm = llm
        self.max_output_tokens = max_output_tokens
        self.temperature = temperature
        self.retries = retries

    # ---- calls ---------------------------------------------------------------------

    def _line(self, number: int, contribution: Contribution) -> str:
        return f"[{number}] {contribution.speaker}: {contribution.text}"

    def _messages(self, header: str, lines: Sequence[str], note: str = "") -> list[ChatMessage]:
        user = f"{header}\n\nWortbeiträge:\n" + "\n".join(lines)
        if note:
            user += "\n\n" + note
        return [
            ChatMessage("system", prompt("verlauf.system.md")),
            ChatMessage("user", prompt("verlauf.example.user.md")),
            ChatMessage("assistant", prompt("verlauf.example.assistant.json").strip()),
            ChatMessage("user", user),
        ]

    def _budget(self) -> int:
        return self.llm.info.context_tokens - self.max_output_tokens - _PROMPT_OVERHEAD_TOKENS

    def _ask(
        self,
        header: str,
        numbered: Sequence[tuple[int, Contribution]],
        result: SummaryResult,
        note: str = "",
    ) -> _Answer:
        lines = [self._line(n, c) for n, c in numbered]
        wanted = min(self.max_output_tokens, 120 + _TOKENS_PER_CONTRIBUTION * len(numbered))
        generation = self.llm.generate(
            self._messages(header, lines, note),
            max_tokens=wanted,
            temperature=self.temperature,
            json_schema=VERLAUF_SCHEMA,
        )
        result.generations.append(generation)
        answer = _Answer(cut_off=generation.finish_reason == "length")
        try:
            parsed = parse_contributions(generation.text)
        except JSONOutputError as exc:
            log.warning("LLM-Antwort nicht lesbar: %s", exc)
            answer.unreadable = True
            return answer
        by_number = dict(numbered)
        for number, texts in parsed.items():
            contribution = by_number.get(number)
            if contribution is None:
                continue  # a contribution that was not asked for: nothing to cite
            answer.sentences[number] = [
                SummarySentence(minutes_style(t), contribution.sources)
                for t in texts[:_MAX_SENTENCES]
            ]
        return answer

    def _parts(self, items: Sequence[Contribution]) -> list[list[tuple[int, Contribution]]]:
        """Numbered contributions grouped so that each group fits the context (a
        contribution longer than the context is split into parts of the same speaker)."""
        budget = max(self._budget(), 200)
        numbered: list[tuple[int, Contribution]] = []
        for contribution in items:
            for piece in self._split(contribution, budget):
                numbered.append((len(numbered) + 1, piece))
        groups: list[list[tuple[int, Contribution]]] = [[]]
        used = 0
        for number, contribution in numbered:
            cost = self.llm.count_tokens(self._line(number, contribution)) + 2
            if groups[-1] and (used + cost > budget or len(groups[-1]) >= _MAX_PER_CALL):
                groups.append([])
                used = 0
            groups[-1].append((number, contribution))
            used += cost
        return groups

    def _split(self, contribution: Contribution, budget: int) -> list[Contribution]:
        pieces = [Contribution(contribution.speaker)]
        used = 0
        for sentence in contribution.sentences:
            cost = self.llm.count_tokens(sentence.text) + 1
            if pieces[-1].sentences and used + cost > budget:
                pieces.append(Contribution(contribution.speaker))
                used = 0
            pieces[-1].sentences.append(sentence)
            used += cost
        return pieces

    # ---- the item --------------------------------------------------------------------

    def write(
        self,
        header: str,
        sentences: Sequence[Sentence],
        speaker_name: Callable[[str | None], str],
        checker: Checker | None = None,
    ) -> SummaryResult:
        result = SummaryResult(sentences=[])
        # procedural contributions ("Danke.", "Herr Keller, bitte.") get no sentence anyway;
        # leaving them out saves the model reading them
        items = [c for c in contributions(sentences, speaker_name) if c.has_content()]
        if not items:
            return result
        check: Checker = checker or (lambda _s: [])
        unreadable = cut_off = False
        for group in self._parts(items):
            answer = self._ask(header, group, result)
            for _ in range(self.retries):
                problems, missing = self._problems(group, answer, check)
                if not answer.unreadable and not problems and not missing:
                    break
                redo = group if answer.unreadable else _only(group, problems, missing)
                note = "" if answer.unreadable else _retry_note(problems, missing)
                retry = self._ask(header, redo, result, note)
                if answer.unreadable:
                    answer = retry
                else:
                    answer = _better(answer, retry, _problem_count(group, check))
            _speaker_flags(group, answer)
            unreadable |= answer.unreadable
            cut_off |= answer.cut_off
            for number, _contribution in group:
                result.sentences += answer.sentences.get(number, [])
        if unreadable:
            result.flags.append(
                Flag(
                    "ki_antwort_unlesbar",
                    "Die KI hat keine verwertbare Zusammenfassung geliefert; der Beratungsverlauf "
                    "fehlt ganz oder teilweise und ist von Hand zu ergänzen.",
                )
            )
        if cut_off:
            result.flags.append(
                Flag(
                    "ki_abgeschnitten",
                    "Die KI-Zusammenfassung wurde an der Längengrenze abgeschnitten; "
                    "bitte den Beratungsverlauf vervollständigen.",
                )
            )
        result.sentences = dedupe(result.sentences)
        skipped = [c for c in items if c.has_content() and not _covered(c, result.sentences)]
        for contribution in skipped:
            first = contribution.sentences[0]
            result.flags.append(
                Flag(
                    "beitrag_fehlt",
                    f"Der Wortbeitrag von {contribution.speaker} fehlt im Beratungsverlauf; "
                    "bitte anhand der Aufnahme ergänzen.",
                    start_s=first.start_s,
                    end_s=contribution.sentences[-1].end_s,
                    text=contribution.text[:200],
                )
            )
        return result

    @staticmethod
    def _problems(
        group: Sequence[tuple[int, Contribution]], answer: _Answer, check: Checker
    ) -> tuple[list[tuple[int, str, Flag]], list[int]]:
        problems: list[tuple[int, str, Flag]] = []
        missing: list[int] = []
        for number, contribution in group:
            written = answer.sentences.get(number, [])
            if not written and contribution.has_content():
                missing.append(number)
            found = _sentence_problems(written, contribution.speaker, check)
            problems += [(number, text, flag) for text, flag in found]
        return problems, missing


def _sentence_problems(
    written: Sequence[SummarySentence], speaker: str, check: Checker
) -> list[tuple[str, Flag]]:
    """What a retry can fix in one contribution's sentences: the retryable check flags,
    and a first sentence that does not name the person who spoke."""
    problems: list[tuple[str, Flag]] = []
    if written and not _names_speaker(written[0].text, speaker):
        problems.append((written[0].text, Flag("sprecher_fehlt", "")))
    for sentence in written:
        problems += [(sentence.text, f) for f in check(sentence) if f.kind in RETRYABLE]
    return problems


def _problem_count(
    group: Sequence[tuple[int, Contribution]], check: Checker
) -> Callable[[int, Sequence[SummarySentence]], int]:
    """How many problems a contribution's sentences have (what a retry tries to lower)."""
    speakers = {number: c.speaker for number, c in group}

    def count(number: int, sentences: Sequence[SummarySentence]) -> int:
        return len(_sentence_problems(sentences, speakers.get(number, ""), check))

    return count


def _names_speaker(text: str, speaker: str) -> bool:
    """Whether a sentence names the person: their surname, or their label ("Sprecher 4")."""
    shown = speaker.split(" (")[0]
    words = shown.split()
    if shown.startswith("Sprecher"):
        return shown in text
    return bool(words) and re.search(rf"\b{re.escape(words[-1])}\b", text) is not None


def _speaker_flags(group: Sequence[tuple[int, Contribution]], answer: _Answer) -> None:
    """After the retries: a contribution whose first sentence still names nobody, or
    someone else, is flagged on that sentence for the reviewer."""
    for number, contribution in group:
        written = answer.sentences.get(number, [])
        if written and not _names_speaker(written[0].text, contribution.speaker):
            written[0].flags.append(
                Flag(
                    "sprecher_fehlt",
                    f"Laut Transkript sprach hier {contribution.speaker}; der Satz nennt "
                    "diese Person nicht. Bitte prüfen, wem die Aussage gehört.",
                )
            )


def dedupe(sentences: Sequence[SummarySentence]) -> list[SummarySentence]:
    """The same sentence written for two contributions is kept once, with both sources."""
    out: list[SummarySentence] = []
    seen: dict[str, SummarySentence] = {}
    for sentence in sentences:
        key = re.sub(r"\W+", " ", sentence.text).strip().lower()
        if key in seen:
            first = seen[key]
            first.sources += [r for r in sentence.sources if r not in first.sources]
            continue
        seen[key] = sentence
        out.append(sentence)
    return out


def _only(
    group: Sequence[tuple[int, Contribution]],
    problems: Sequence[tuple[int, str, Flag]],
    missing: Sequence[int],
) -> list[tuple[int, Contribution]]:
    wanted = {n for n, _, _ in problems} | set(missing)
    return [(n, c) for n, c in group if n in wanted]


def _better(
    first: _Answer, retry: _Answer, cost: Callable[[int, Sequence[SummarySentence]], int]
) -> _Answer:
    """Per contribution, the retry's sentences where they have fewer problems (or fill a gap)."""
    if retry.unreadable:
        return first
    merged = _Answer(dict(first.sentences), first.unreadable, first.cut_off)
    for number, sentences in retry.sentences.items():
        old = first.sentences.get(number, [])
        if sentences and (not old or cost(number, sentences) < cost(number, old)):
            merged.sentences[number] = sentences
    return merged


def _covered(contribution: Contribution, written: Sequence[SummarySentence]) -> bool:
    mine = contribution.sources
    return any(s.sources == mine or any(r in mine for r in s.sources) for s in written)
