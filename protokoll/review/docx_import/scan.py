"""The document's parts: the facts at the top, the TOPs (found by their headings) with
their sections, the speaker table of the appendix; what fits nowhere gives a warning."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from protokoll.documents.niederschrift_layout import (
    APPENDIX_PREFIX,
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
    HEADING_NON_PUBLIC,
    HEADING_PUBLIC,
    HEADING_RESOLUTION,
    HEADING_SPEAKERS,
    HEADING_VERBATIM,
    HEADING_VOTE,
    SIGNATURE_WORD,
    SPEAKER_TABLE_HEADER,
    parse_top_heading,
)
from protokoll.domain.minutes import Minutes
from protokoll.review.docx_import.blocks import Block
from protokoll.review.docx_import.text import collapse, text_key

# section heading (casefolded; also the singular forms) -> section
_SECTIONS = {
    HEADING_DEBATE.casefold(): "debate",
    HEADING_VERBATIM.casefold(): "debate",
    HEADING_MOTIONS.casefold(): "motions",
    "antrag": "motions",
    HEADING_RESOLUTION.casefold(): "resolution",
    HEADING_VOTE.casefold(): "vote",
    "abstimmung": "vote",
}
_IGNORED = "ignored"
_SIGNATURE = SIGNATURE_WORD.casefold()
_FACT = re.compile(r"([^:]{2,40}?)\s*:\s*(.*)")
# the labels of the facts at the top, casefolded: the keys of `View.facts`
FACT_KEYS = frozenset(
    label.casefold()
    for label in (
        FACT_DATE,
        FACT_PLACE,
        FACT_START,
        FACT_END,
        FACT_CHAIR,
        FACT_PRESENT,
        FACT_ABSENT,
        FACT_ADMINISTRATION,
        FACT_GUESTS,
        FACT_RECORDER,
    )
)


@dataclass
class Top:
    """One TOP of the document: its heading's number and title, the text before its first
    section heading, and each section's paragraphs."""

    number: str
    title: str
    preamble: list[str] = field(default_factory=list)
    sections: dict[str, list[str]] = field(default_factory=dict)
    current: str | None = None


@dataclass
class View:
    """What the document holds: ``facts`` (casefolded label -> value), ``tops``,
    ``speaker_rows`` (label, name; None without the table) and ``warnings``."""

    facts: dict[str, str] = field(default_factory=dict)
    tops: list[Top] = field(default_factory=list)
    speaker_rows: list[tuple[str, str]] | None = None
    warnings: list[str] = field(default_factory=list)


def scan(blocks: Sequence[Block], base: Minutes) -> View:
    """The document's parts in order: facts at the top, the TOPs with their sections, the
    speaker table."""
    view = View()
    titles = {i.number: text_key(i.title) for i in base.items}
    front = True
    current: Top | None = None
    for block in blocks:
        if block.rows is not None:
            first_row = block.rows[0] if block.rows else []
            header = [collapse(c).rstrip(":").casefold() for c in first_row]
            if header[:2] == [h.casefold() for h in SPEAKER_TABLE_HEADER]:
                if view.speaker_rows is None:
                    view.speaker_rows = [
                        (collapse(r[0]), collapse(r[1]) if len(r) > 1 else "")
                        for r in block.rows[1:]
                        if r
                    ]
                current = None
            elif current is not None:
                if any(_SIGNATURE in collapse(c).casefold() for r in block.rows for c in r):
                    current = None  # the signatures end the last TOP
                else:
                    view.warnings.append(
                        f"TOP {current.number}: Eine Tabelle im Text wurde nicht übernommen."
                    )
            continue
        flat = collapse(block.text)
        if not flat:
            continue
        heading = parse_top_heading(flat)
        if heading is not None and (
            block.level is not None or titles.get(heading[0]) == text_key(heading[1])
        ):
            front = False
            current = Top(*heading)
            view.tops.append(current)
            continue
        if flat in (HEADING_PUBLIC, HEADING_NON_PUBLIC, HEADING_SPEAKERS) or (
            block.level is not None and flat.startswith(APPENDIX_PREFIX)
        ):
            front = False
            current = None
            continue
        if front:
            fact = _FACT.fullmatch(flat)
            if fact:
                label = re.sub(r"\s*\(\d+\)$", "", fact.group(1)).casefold()
                if label in FACT_KEYS:
                    view.facts.setdefault(label, fact.group(2))
            continue
        if current is None:
            continue
        section = _SECTIONS.get(flat.rstrip(":").strip().casefold())
        if section is not None and current.current != _IGNORED:
            if section in current.sections:
                # most likely the heading of the next TOP was deleted: its text must not
                # be mixed into this one
                view.warnings.append(
                    f"TOP {current.number}: Der Abschnitt „{flat}“ kommt zweimal vor; der Text "
                    "ab dort bis zum nächsten TOP wurde nicht übernommen (fehlt die Überschrift "
                    "eines TOP?)."
                )
                section = _IGNORED
            current.sections.setdefault(section, [])
            current.current = section
        elif current.current is None:
            current.preamble.append(block.text)
        else:
            current.sections[current.current].append(block.text)
    return view
