"""The glued peer: what a user would build from the same two models without protokoll's rules.

The same speech recognition (the cached `protokoll run` transcript of
`bench/minutes.py`: faster-whisper with the agenda's vocabulary as hotwords; only the
segments' text is used, without speaker labels or times, as plain faster-whisper
output would give it) and the same embedded LLM (`[llm]` of the settings, the
Qwen2.5-Coder-1.5B Q4_K_M GGUF on llama.cpp by default), prompted plainly with the
whole transcript and the agenda ("Hier ist das Transkript der Sitzung und die
Tagesordnung. Gib für jeden TOP das Ergebnis (eines von …) und die Stimmen
(ja/nein/enthaltung/befangen) als JSON."), in one of two ways:

- `ask` ("session"): one call for the whole session, all TOPs in one answer;
- `ask_per_item` ("item"): one call per TOP with the same transcript and agenda in front
  of the question, so llama.cpp reads the shared prefix once per session.

A session of these benchmarks (5-7 minutes, about 2,000 tokens) fits the context, so
the peer needs no slicing of the transcript by item (which would need the boundaries it
lacks); a transcript that does not fit is refused with a message rather than cut.

The output is constrained by the llama.cpp grammar to JSON (result from `RESULTS`,
counts integer or null), as a user of llama-cpp-python's `response_format` would do;
the answer is scored by `bench/minutes.py` with the same functions as protokoll's
minutes (results right/missed/wrong, counts right/null/wrong). The peer gives no starts,
no Verlauf and no key facts; only its results and counts are compared.

    python bench/minutes.py --split heldout --rules-only --peer [--peer-mode item]
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from protokoll.domain.agenda import Agenda, AgendaItem
from protokoll.domain.minutes import (
    RESULTS,
    Attendance,
    Minutes,
    MinutesItem,
    MinutesMeeting,
    Votes,
)
from protokoll.domain.transcript import Transcript
from protokoll.llm.base import LLM, ChatMessage, Generation
from protokoll.llm.json_output import JSONOutputError, parse_json_output

SYSTEM = "Du bist ein hilfreicher Assistent für Sitzungsprotokolle."
QUESTION = (
    "Hier ist das Transkript der Sitzung und die Tagesordnung. Gib für jeden TOP das "
    "Ergebnis (eines von: {results}) und die Stimmen (ja/nein/enthaltung/befangen) als "
    "JSON. Stimmen, die nicht genannt werden, sind null."
)
# peer JSON field -> Votes field
COUNTS = {"ja": "yes", "nein": "no", "enthaltung": "abstain", "befangen": "biased"}
ITEM_QUESTION = (
    "Gib für TOP {number} ({title}) das Ergebnis (eines von: {results}) und die Stimmen "
    "(ja/nein/enthaltung/befangen) als JSON. Stimmen, die nicht genannt werden, sind null."
)
MAX_TOKENS = 600  # whole session: about 45 tokens per TOP
ITEM_MAX_TOKENS = 80


@dataclass
class PeerAnswer:
    minutes: Minutes
    generations: list[Generation]
    raw: Any


def top_key(number: str) -> str:
    return f"TOP {number}"


def entry_schema() -> dict[str, Any]:
    """One TOP's answer: a result from `RESULTS`, each count an integer or null."""
    count = {"type": ["integer", "null"]}
    return {
        "type": "object",
        "properties": {
            "ergebnis": {"type": "string", "enum": list(RESULTS)},
            **{name: count for name in COUNTS},
        },
        "required": ["ergebnis", *COUNTS],
        "additionalProperties": False,
    }


def answer_schema(agenda: Agenda) -> dict[str, Any]:
    """One object per TOP, all required, so the grammar cannot skip an item."""
    keys = [top_key(item.number) for item in agenda.items]
    return {
        "type": "object",
        "properties": {key: entry_schema() for key in keys},
        "required": keys,
        "additionalProperties": False,
    }


def transcript_text(transcript: Transcript) -> str:
    """What plain faster-whisper gives: the segments' text, one per line."""
    return "\n".join(s.text.strip() for s in transcript.segments if s.text.strip())


def _material(agenda: Agenda, transcript: Transcript) -> str:
    items = "\n".join(f"TOP {i.number}: {i.title}" for i in agenda.items)
    return f"Tagesordnung:\n{items}\n\nTranskript:\n{transcript_text(transcript)}"


def messages(agenda: Agenda, transcript: Transcript) -> list[ChatMessage]:
    """The whole session in one question."""
    prompt = QUESTION.format(results=", ".join(RESULTS)) + "\n\n" + _material(agenda, transcript)
    return [ChatMessage("system", SYSTEM), ChatMessage("user", prompt)]


def item_messages(agenda: Agenda, transcript: Transcript, number: str) -> list[ChatMessage]:
    """One TOP's question after the same material, so that consecutive calls share the
    long prefix (llama.cpp then reads the transcript once per session)."""
    title = next(i.title for i in agenda.items if i.number == number)
    prompt = (
        "Hier ist das Transkript der Sitzung und die Tagesordnung.\n\n"
        + _material(agenda, transcript)
        + f"\n\n{ITEM_QUESTION.format(number=number, title=title, results=', '.join(RESULTS))}"
    )
    return [ChatMessage("system", SYSTEM), ChatMessage("user", prompt)]


def _count(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _check_fits(llm: LLM, chat: list[ChatMessage], context_tokens: int, max_tokens: int) -> None:
    needed = sum(llm.count_tokens(m.content) for m in chat) + max_tokens + 64
    if needed > context_tokens:
        raise ValueError(
            f"the transcript needs about {needed} tokens, the context holds {context_tokens}; "
            "raise [llm] context_tokens (PROTOKOLL_LLM__CONTEXT_TOKENS)"
        )


def _item(agenda_item: AgendaItem, entry: Any) -> MinutesItem:
    entry = entry if isinstance(entry, dict) else {}
    result = entry.get("ergebnis")
    votes = Votes(**{field: _count(entry.get(name)) for name, field in COUNTS.items()})
    return MinutesItem(
        agenda_item.number,
        agenda_item.title,
        paper=agenda_item.paper,
        public=agenda_item.public,
        votes=votes,
        result=result if result in RESULTS else None,
    )


def _minutes(agenda: Agenda, items: list[MinutesItem]) -> Minutes:
    meeting = MinutesMeeting(agenda.meeting.body, agenda.meeting.date.isoformat())
    return Minutes(meeting, Attendance(), items)


def _parse(text: str, schema: dict[str, Any]) -> Any:
    try:
        return parse_json_output(text, schema)
    except JSONOutputError:  # a cut-off or invalid answer leaves its items empty (missed)
        return {}


def ask(
    llm: LLM,
    agenda: Agenda,
    transcript: Transcript,
    context_tokens: int,
    max_tokens: int = MAX_TOKENS,
) -> PeerAnswer:
    """One call for the whole session; its answer as minutes items (results and counts)."""
    chat = messages(agenda, transcript)
    _check_fits(llm, chat, context_tokens, max_tokens)
    schema = answer_schema(agenda)
    generation = llm.generate(chat, max_tokens=max_tokens, temperature=0.0, json_schema=schema)
    raw = _parse(generation.text, schema)
    answers = raw if isinstance(raw, dict) else {}
    items = [_item(i, answers.get(top_key(i.number))) for i in agenda.items]
    return PeerAnswer(_minutes(agenda, items), [generation], raw if raw else generation.text)


def ask_per_item(
    llm: LLM,
    agenda: Agenda,
    transcript: Transcript,
    context_tokens: int,
    max_tokens: int = ITEM_MAX_TOKENS,
) -> PeerAnswer:
    """One call per TOP, each with the whole transcript and the agenda."""
    items, generations, raw = [], [], {}
    for agenda_item in agenda.items:
        chat = item_messages(agenda, transcript, agenda_item.number)
        _check_fits(llm, chat, context_tokens, max_tokens)
        schema = entry_schema()
        generation = llm.generate(chat, max_tokens=max_tokens, temperature=0.0, json_schema=schema)
        generations.append(generation)
        answer = _parse(generation.text, schema)
        raw[top_key(agenda_item.number)] = answer if answer else generation.text
        items.append(_item(agenda_item, answer))
    return PeerAnswer(_minutes(agenda, items), generations, raw)
