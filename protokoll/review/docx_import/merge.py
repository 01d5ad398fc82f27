"""Merging the document into the base: per TOP the title, paper, summary sentences,
motions, resolution, result and votes; the speaker table; the facts at the top. What was
not changed keeps the base's data exactly."""

from __future__ import annotations

import copy
import difflib
import re
from collections.abc import Mapping, Sequence
from dataclasses import asdict
from datetime import date
from typing import Any

from protokoll.documents.niederschrift_layout import (
    DASH,
    DEFAULT_PAPER_KIND,
    FACT_ABSENT,
    FACT_ADMINISTRATION,
    FACT_CHAIR,
    FACT_DATE,
    FACT_END,
    FACT_GUESTS,
    FACT_PLACE,
    FACT_PRESENT,
    FACT_RECORDER,
    FACT_START,
    HEADING_DEBATE,
    HEADING_MOTIONS,
    HEADING_RESOLUTION,
    HEADING_VOTE,
    MISSING,
    NO_DEBATE,
    NO_RESOLUTION,
    NO_RESULT,
    NO_VERBATIM,
    SPEAKER_LABEL,
    SPEAKER_NAME_PROPERTY_PREFIX,
    VOTE_LABELS,
    format_sources,
    german_date,
    german_time,
    names_in,
    paper_parts,
    resolution_blocks,
    speaker_labels,
)
from protokoll.domain.minutes import Minutes, MinutesItem, SourceRange, SummarySentence, Votes
from protokoll.domain.speakers import label_of
from protokoll.minutes.numbers_de import parse_number
from protokoll.review.docx_import.names import Names
from protokoll.review.docx_import.scan import Top, View
from protokoll.review.docx_import.sentences import (
    Anchors,
    Piece,
    split_at_marks,
    split_sentences,
)
from protokoll.review.docx_import.text import collapse, collapsed_lines, text_key

# the vote line's labels (`VOTE_LABELS`) and the variants people type
_COUNT_LABEL = re.compile(
    r"(?<!\w)(Ja(?:-Stimmen)?|Nein(?:-Stimmen)?|Gegenstimmen|Enthaltung(?:en)?|"
    r"Befangen(?:e|heit)?)\s*[:=]",
    re.IGNORECASE,
)
_GLUED_LABEL = re.compile(r"(?<=[a-zäöüß.,;])(?=(?:Ja|Nein|Enthaltung|Befangen)\w*\s*[:=])")
_PAPER = re.compile(r"([A-ZÄÖÜ][\w-]*)\s*:\s*(\S.{0,80})")
_PAPER_KINDS = frozenset(
    {
        "vorlage", "antrag", "anfrage", "drucksache", "beschlussvorlage", "mitteilung",
        "mitteilungsvorlage", "informationsvorlage", "sitzungsvorlage", "ds",
    }
)  # fmt: skip
_STIMMEN = re.compile(r"\s+Stimmen?$", re.IGNORECASE)  # "Ja: 14 Stimmen"
_NOT_SAID = frozenset({"", "–", "-", "—", "k. a.", "k.a.", "keine angabe", "?", "nicht genannt"})
_DATE = re.compile(r"(\d{1,2})\.\s*(\d{1,2})\.\s*(\d{4})|(\d{4})-(\d{2})-(\d{2})")
_CLOCK = re.compile(r"([01]?\d|2[0-3])\s*[:.]\s*([0-5]\d)(?:\s*Uhr)?")


def _vote_field(label: str) -> str:
    label = label.casefold()
    if label.startswith("ja"):
        return "yes"
    if label.startswith(("nein", "gegen")):
        return "no"
    if label.startswith("enthaltung"):
        return "abstain"
    return "biased"


class Merger:
    """The document (``view``) merged into a copy of ``base``; ``warnings`` collects what
    could not be read."""

    def __init__(
        self,
        base: Minutes,
        properties: Mapping[str, str],
        view: View,
        warnings: list[str],
    ) -> None:
        self.base = base
        self.view = view
        self.warnings = warnings
        written = dict(base.speaker_names)
        for name, value in properties.items():
            if name.startswith(SPEAKER_NAME_PROPERTY_PREFIX):
                written[name[len(SPEAKER_NAME_PROPERTY_PREFIX) :]] = value
        self.written = written  # the names the document was written with
        known = set(written) | set(speaker_labels(base.items, written))
        self.new = self._speaker_names(known)
        labels = sorted(known | set(self.new))
        self.names = Names(labels, [written, self.new, base.speaker_names])

    def _speaker_names(self, known: set[str]) -> dict[str, str]:
        names = dict(self.written)
        rows = self.view.speaker_rows
        if rows is None:
            if known:
                self.warnings.append(
                    "Die Tabelle „Sprecherzuordnung“ wurde nicht gefunden; die bisherige "
                    "Zuordnung der Sprecher bleibt."
                )
            return names
        seen: set[str] = set()
        for key, name in rows:
            if not key:
                continue
            label = key if key in known else (label_of(key) or key)
            if label not in known and not SPEAKER_LABEL.fullmatch(label):
                self.warnings.append(
                    f"Sprecherzuordnung: Die Kennung „{label}“ ist unbekannt und wurde nicht "
                    "übernommen."
                )
                continue
            if label in seen:
                self.warnings.append(
                    f"Sprecherzuordnung: Die Kennung „{label}“ steht mehrfach in der Tabelle; "
                    "die letzte Zeile gilt."
                )
            seen.add(label)
            if name:
                names[label] = name
            else:
                names.pop(label, None)
        return names

    def display(self, text: str) -> set[str]:
        """The keys of ``text`` as the document showed it or may show it now."""
        return {text_key(names_in(text, self.written)), text_key(names_in(text, self.new))}

    # ----- the whole

    def merge(self, expected: Sequence[MinutesItem]) -> Minutes:
        result = copy.deepcopy(self.base)
        result.ai_generated = True
        result.speaker_names = self.new
        tops: dict[str, Top] = {}
        for top in self.view.tops:
            if top.number in tops:
                self.warnings.append(
                    f"„TOP {top.number}“ steht mehrfach im Dokument; nur das erste Vorkommen "
                    "wurde übernommen."
                )
                continue
            tops[top.number] = top
        numbers = {i.number for i in self.base.items}
        for top in self.view.tops:
            if top.number not in numbers:
                self.warnings.append(
                    f"„TOP {top.number}: {top.title}“ gehört nicht zum Entwurf und wurde nicht "
                    "übernommen."
                )
        expected_numbers = {i.number for i in expected}
        for item, base_item in zip(result.items, self.base.items, strict=True):
            match = tops.get(item.number)
            if match is None:
                if item.number in expected_numbers:
                    self.warnings.append(
                        f"TOP {item.number} („{item.title}“) wurde im Dokument nicht gefunden; "
                        "sein Inhalt bleibt wie im Entwurf."
                    )
                continue
            _ItemMerger(self, item, base_item, match).merge()
        self._facts(result)
        return result

    # ----- facts at the top

    def _facts(self, result: Minutes) -> None:
        facts = self.view.facts
        meeting, att = result.meeting, result.attendance

        def shown(value: str, missing: bool = True) -> str:
            return value if value else (MISSING if missing else DASH)

        value = facts.get(FACT_DATE.casefold())
        if value is not None:
            meeting.date = self._fact(
                value, meeting.date, shown(german_date(meeting.date)), _parse_date, FACT_DATE
            )
        value = facts.get(FACT_PLACE.casefold())
        if value is not None:
            meeting.place = self._fact(
                value, meeting.place, shown(meeting.place.strip()), str, FACT_PLACE
            )
        for label, attribute in ((FACT_START, "start_time"), (FACT_END, "end_time")):
            value = facts.get(label.casefold())
            if value is not None:
                old = getattr(meeting, attribute)
                new = self._fact(value, old, shown(german_time(old)), _parse_clock, label)
                setattr(meeting, attribute, new)
        for label, attribute in ((FACT_CHAIR, "chair"), (FACT_RECORDER, "recorder")):
            value = facts.get(label.casefold())
            if value is not None:
                old = getattr(att, attribute)
                new = self._fact(value, old, shown(old.strip()), str, label)
                setattr(att, attribute, new)
        lists = (
            (FACT_PRESENT, "present", True),
            (FACT_ABSENT, "absent", False),
            (FACT_ADMINISTRATION, "administration", False),
            (FACT_GUESTS, "guests", False),
        )
        for label, attribute, required in lists:
            value = facts.get(label.casefold())
            if value is None:
                continue
            old_list: list[str] = getattr(att, attribute)
            joined = ", ".join(p.strip() for p in old_list if p and p.strip())
            if text_key(value) == text_key(shown(joined, required)):
                continue
            setattr(att, attribute, _people(value))

    def _fact(self, value: str, old: str, shown: str, parse: Any, label: str) -> str:
        if text_key(value) == text_key(shown):
            return old
        if text_key(value) in (text_key(MISSING), text_key(DASH), ""):
            return ""
        parsed = parse(value)
        if parsed is None:
            self.warnings.append(
                f"„{label}: {value}“ konnte nicht gelesen werden; der bisherige Wert bleibt."
            )
            return old
        return str(parsed)


def _parse_date(value: str) -> str | None:
    match = _DATE.fullmatch(value.strip().rstrip("."))
    if match is None:
        return None
    groups = match.groups()
    day, month, year = (groups[0], groups[1], groups[2]) if groups[0] else groups[5:2:-1]
    try:
        return date(int(year), int(month), int(day)).isoformat()
    except ValueError:
        return None


def _parse_clock(value: str) -> str | None:
    match = _CLOCK.fullmatch(value.strip().rstrip("."))
    return f"{int(match.group(1)):02d}:{match.group(2)}" if match else None


def _people(value: str) -> list[str]:
    """A comma (or semicolon) separated list of people; commas inside brackets stay."""
    if text_key(value) in (text_key(DASH), text_key(MISSING), ""):
        return []
    out: list[str] = []
    current: list[str] = []
    depth = 0
    for char in value:
        if char in "([":
            depth += 1
        elif char in ")]" and depth:
            depth -= 1
        if char in ",;" and depth == 0:
            out.append("".join(current))
            current = []
        else:
            current.append(char)
    out.append("".join(current))
    return [p.strip() for p in out if p.strip()]


class _ItemMerger:
    """One TOP of the document into its item (a copy of the base item)."""

    def __init__(self, owner: Merger, item: MinutesItem, base: MinutesItem, top: Top) -> None:
        self.owner = owner
        self.item = item
        self.base = base
        self.top = top
        self.context = speaker_labels([base], owner.written)

    def warn(self, message: str) -> None:
        self.owner.warnings.append(f"TOP {self.item.number}: {message}")

    def symbolic(self, text: str) -> str:
        return self.owner.names.symbolic(text, self.context)

    def merge(self) -> None:
        title = collapse(self.top.title)
        if not title:
            self.warn("Die Überschrift hat keinen Titel; der bisherige Titel bleibt.")
        elif text_key(title) != text_key(self.base.title):
            self.item.title = title
        self._preamble()
        self._summary()
        self._motions()
        self._resolution()
        self._vote()

    def _preamble(self) -> None:
        lines = collapsed_lines(self.top.preamble)
        paper = ""
        if lines:
            shown = ": ".join(paper_parts(self.base.paper)) if self.base.paper else None
            kinds = _PAPER_KINDS | {paper_parts(self.base.paper)[0].casefold()}
            match = _PAPER.fullmatch(lines[0])
            if shown is not None and text_key(lines[0]) == text_key(shown):
                paper = self.base.paper
                lines = lines[1:]
            elif match and match.group(1).casefold() in kinds:
                kind, number = match.groups()
                paper = number if kind == DEFAULT_PAPER_KIND else f"{kind} {number}"
                lines = lines[1:]
        self.item.paper = paper
        for line in lines:
            short = line if len(line) <= 80 else line[:79] + "…"
            self.warn(f"Text ohne Abschnittsüberschrift wurde nicht übernommen: „{short}“")

    def _summary(self) -> None:
        paragraphs = self.top.sections.get("debate")
        if paragraphs is None:
            if self.owner.base.protocol_type in ("verlauf", "wort"):
                self.warn(
                    f"Der Abschnitt „{HEADING_DEBATE}“ wurde nicht gefunden; der bisherige "
                    "Text bleibt."
                )
            return
        visible = [s for s in self.base.summary if s.text.strip()]
        written = [collapse(names_in(s.text.strip(), self.owner.written)) for s in visible]
        now = [collapse(names_in(s.text.strip(), self.owner.new)) for s in visible]
        index: dict[str, int] = {}
        for i, (a, b) in enumerate(zip(written, now, strict=True)):
            index.setdefault(text_key(a), i)
            index.setdefault(text_key(b), i)
        marks = {text_key(format_sources(s.sources)): s.sources for s in visible if s.sources}

        anchors = Anchors(written + now)
        found: list[Piece] = []
        placeholders = {text_key(NO_DEBATE), text_key(NO_VERBATIM)}
        for paragraph in paragraphs:
            text = collapse(paragraph)
            if not text or text_key(text) in placeholders:
                continue
            for piece, mark, ranges in split_at_marks(text):
                sentences = split_sentences(piece, anchors)
                if not sentences:
                    if found and ranges is not None:  # a mark on its own: the one before
                        before = found[-1]
                        joined = (before[1] or "") + (mark or "")
                        found[-1] = (before[0], joined, (before[2] or []) + ranges)
                    continue
                for i, part in enumerate(sentences):
                    last = i == len(sentences) - 1
                    found.append((part, mark if last else None, ranges if last else None))

        base_keys = [text_key(a) for a in written]
        doc_keys = [
            base_keys[index[text_key(t)]] if text_key(t) in index else text_key(t)
            for t, _, _ in found
        ]
        summary: list[SummarySentence] = []
        matcher = difflib.SequenceMatcher(None, base_keys, doc_keys, autojunk=False)
        for tag, i1, i2, j1, j2 in matcher.get_opcodes():
            if tag == "equal":
                for bi, dj in zip(range(i1, i2), range(j1, j2), strict=True):
                    sentence = copy.deepcopy(visible[bi])
                    _, mark, ranges = found[dj]
                    if mark is not None and text_key(mark) != text_key(
                        format_sources(sentence.sources)
                    ):
                        sentence.sources = self._sources(mark, ranges, marks)
                    summary.append(sentence)
            else:
                for dj in range(j1, j2):
                    text, mark, ranges = found[dj]
                    sources = self._sources(mark, ranges, marks) if mark else []
                    summary.append(SummarySentence(self.symbolic(text), sources))
        if [asdict(s) for s in summary] != [asdict(s) for s in visible]:
            self.item.summary = summary

    @staticmethod
    def _sources(
        mark: str | None,
        ranges: list[SourceRange] | None,
        marks: Mapping[str, list[SourceRange]],
    ) -> list[SourceRange]:
        """The ranges of a mark; the base's exact ones where the mark is a base's."""
        if mark is not None and text_key(mark) in marks:
            return list(marks[text_key(mark)])
        return list(ranges or [])

    def _motions(self) -> None:
        paragraphs = self.top.sections.get("motions")
        visible = [m for m in self.base.motions if m.strip()]
        if paragraphs is None:
            if visible:
                self.warn(
                    f"Der Abschnitt „{HEADING_MOTIONS}“ wurde nicht gefunden; die bisherigen "
                    "Anträge bleiben."
                )
            return
        known: dict[str, str] = {}
        for motion in visible:
            for key in self.owner.display(motion.strip()):
                known.setdefault(key, motion)
        motions = [
            known.get(text_key(text)) or self.symbolic(text)
            for p in paragraphs
            if (text := collapse(p))
        ]
        if motions != visible:
            self.item.motions = motions

    def _resolution(self) -> None:
        paragraphs = self.top.sections.get("resolution")
        if paragraphs is None:
            self.warn(
                f"Der Abschnitt „{HEADING_RESOLUTION}“ wurde nicht gefunden; der bisherige "
                "Beschlusstext bleibt."
            )
            return
        lines = collapsed_lines(paragraphs)
        text = "\n".join(lines)
        old = self.base.resolution_text
        if not lines or text_key(text) == text_key(NO_RESOLUTION):
            if old is not None and old.strip():
                self.item.resolution_text = None
            return
        if old is not None and text_key(text) in self.owner.display(
            "\n".join(resolution_blocks(old))
        ):
            return
        self.item.resolution_text = text

    def _vote(self) -> None:
        paragraphs = self.top.sections.get("vote")
        if paragraphs is None:
            self.warn(
                f"Der Abschnitt „{HEADING_VOTE}“ wurde nicht gefunden; Ergebnis und "
                "Stimmen bleiben."
            )
            return
        result_parts: list[str] = []
        counts: dict[str, str] = {}
        extra: list[str] = []
        for line in collapsed_lines(paragraphs):
            # "beschlossenJa: 14": the line break between result and counts deleted
            line = _GLUED_LABEL.sub(" ", line)
            labels = list(_COUNT_LABEL.finditer(line))
            if not labels:
                (extra if counts else result_parts).append(line)
                continue
            prefix = line[: labels[0].start()].strip(" ,;:–-")
            if prefix:
                (extra if counts else result_parts).append(prefix)
            for i, match in enumerate(labels):
                end = labels[i + 1].start() if i + 1 < len(labels) else len(line)
                value = line[match.end() : end].strip(" ,;.")
                counts[_vote_field(match.group(1))] = _STIMMEN.sub("", value)
        for line in extra:
            short = line if len(line) <= 80 else line[:79] + "…"
            self.warn(f"Text nach den Stimmenzahlen wurde nicht übernommen: „{short}“")

        result = " ".join(result_parts)
        old = self.base.result
        if text_key(result) != text_key(old or NO_RESULT):
            self.item.result = None if text_key(result) in ("", text_key(NO_RESULT)) else result
        votes = Votes()
        for name in VOTE_LABELS:
            value = counts.get(name, "")
            number: int | None = None
            if value.casefold() not in _NOT_SAID:
                number = parse_number(value)
                if number is None:
                    number = getattr(self.base.votes, name)
                    self.warn(
                        f"„{value}“ ist keine Stimmenzahl; der bisherige Wert bleibt "
                        f"({DASH if number is None else number})."
                    )
            setattr(votes, name, number)
        self.item.votes = votes
