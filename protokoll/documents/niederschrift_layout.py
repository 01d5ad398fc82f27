"""The layout of the Niederschrift DOCX: the contract between its writer and its reader.

`protokoll.documents.niederschrift_docx` writes the draft; `protokoll.review.docx_import`
reads an edited copy back and finds its parts by what is defined here: the headings and
placeholder texts, the labels of the facts at the top and of the vote line, the speaker
table's header, the document properties, the source time marks ("[00:12:03–00:12:40]")
and the way speaker labels, papers, resolutions, dates and times are shown. Change the
layout only here, so that both sides change together (a draft written before the change
should still read back; the reader's patterns are more tolerant than the writer's text).

Plain strings and pure functions only: no python-docx, no XML.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from datetime import time

from protokoll.domain.minutes import MinutesItem, SourceRange
from protokoll.domain.speakers import SPEAKER_LABEL as SPEAKER_LABEL
from protokoll.domain.speakers import labels_only
from protokoll.domain.speakers import names_in as names_in
from protokoll.domain.transcript import UNKNOWN_SPEAKER
from protokoll.domain.transcript import UNKNOWN_SPEAKER_NAME as UNKNOWN_SPEAKER_NAME
from protokoll.domain.transcript import speaker_display_name as speaker_display_name
from protokoll.formatting import date_de, format_hms, time_de

# --- texts standing for a value -------------------------------------------------------

DASH = "–"  # a count not said, a list that is empty, a fact missing in the approved version
MISSING = "bitte ergänzen"  # a fact missing in the draft
NO_RESOLUTION = "kein Beschluss"
NO_RESULT = "nicht erkannt"

# --- headings -------------------------------------------------------------------------

HEADING_REVIEW = "Prüfhinweise"
HEADING_ATTENDANCE = "Anwesenheit"
HEADING_AGENDA = "Tagesordnung"
# the two parts (also the section rows of the agenda table); they end the facts at the top
HEADING_PUBLIC = "Öffentlicher Teil"
HEADING_NON_PUBLIC = "Nicht öffentlicher Teil"
# the sections inside a TOP (the reader finds the parts by them)
HEADING_DEBATE = "Beratungsverlauf"
HEADING_VERBATIM = "Wortlaut"
HEADING_MOTIONS = "Anträge"
HEADING_RESOLUTION = "Beschluss"
HEADING_VOTE = "Abstimmungsergebnis"
# the speaker appendix (a level-1 heading starting with "Anlage" ends the last TOP)
HEADING_SPEAKERS = "Anlage: Sprecherzuordnung"
APPENDIX_PREFIX = "Anlage"

# --- placeholders ---------------------------------------------------------------------

NO_DEBATE = "Kein Beratungsverlauf erfasst."
NO_VERBATIM = "Kein Wortlaut erfasst."
NO_PUBLIC_ITEMS = "Keine öffentlichen Tagesordnungspunkte."
NO_ITEMS = "Keine Tagesordnungspunkte."
NO_SPEAKERS = "Es wurden keine Sprecher erkannt."

# --- the facts at the top: "Label:<tab>value" -----------------------------------------

FACT_DATE = "Datum"
FACT_PLACE = "Ort"
FACT_START = "Beginn"
FACT_END = "Ende"
FACT_PROTOCOL = "Protokollart"  # not read back
FACT_CHAIR = "Vorsitz"
FACT_PRESENT = "Anwesend"  # "Anwesend (12):" with the number of members present
FACT_ABSENT = "Entschuldigt"
FACT_ADMINISTRATION = "Verwaltung"
FACT_GUESTS = "Gäste"
FACT_RECORDER = "Schriftführung"

# --- tables ---------------------------------------------------------------------------

AGENDA_TABLE_HEADER = ("TOP", "Betreff", "Vorlage")
SPEAKER_TABLE_HEADER = ("Kennung", "Name")
# the hint under the signature lines; a table with "Unterschrift" ends the last TOP
SIGNATURE_WORD = "Unterschrift"
SIGNATURE_HINT = f"Datum, {SIGNATURE_WORD}"

# --- the vote line: "Ja: 14, Nein: 3, Enthaltungen: 2, Befangen: –" -----------------

# `Votes` field -> label, in the order of the line
VOTE_LABELS: dict[str, str] = {
    "yes": "Ja",
    "no": "Nein",
    "abstain": "Enthaltungen",
    "biased": "Befangen",
}
# results after which no vote took place, so no counts are expected
NO_VOTE_RESULTS = frozenset(
    {"vertagt", "zurückgezogen", "abgesetzt", "zur Kenntnis genommen", "ohne Beschluss"}
)

# --- document properties --------------------------------------------------------------

# the draft version's identifier (also in the core property ``identifier``)
DOCUMENT_ID_PROPERTY = "protokoll_dokument_id"
# names the caller gave beyond ``minutes.speaker_names`` (one property per label)
SPEAKER_NAME_PROPERTY_PREFIX = "protokoll_sprecher_"
# "true" in the public version (no non-public TOPs in it)
PUBLIC_VERSION_PROPERTY = "public_version"

# --- patterns -------------------------------------------------------------------------

# a source time mark as the reader finds it; its text is read by `parse_sources`
SOURCE_MARK = re.compile(r"\[([^\[\]]{1,400})\]")
_SOURCE_RANGE = re.compile(r"(\d{1,3}):([0-5]\d):([0-5]\d)\s*[-–—]\s*(\d{1,3}):([0-5]\d):([0-5]\d)")
_TOP_HEADING = re.compile(r"TOP\s+([^\s:]+?)\.?\s*:\s*(.*)")
_LABEL_NUMBER = re.compile(r"(\d+)$")
_TIME = re.compile(r"(?:\d{4}-\d\d-\d\d[T ])?([01]?\d|2[0-3])[:.]([0-5]\d)(?::[0-5]\d(?:\.\d+)?)?")
DEFAULT_PAPER_KIND = "Vorlage"


# --- TOP headings ---------------------------------------------------------------------


def top_heading(number: str, title: str) -> str:
    """``TOP 3: Title``, the heading of an agenda item."""
    return f"TOP {number}: {title}"


def parse_top_heading(text: str) -> tuple[str, str] | None:
    """The number and title of a TOP heading (collapsed text; "TOP 3.: Title" too), or
    None if ``text`` is none."""
    match = _TOP_HEADING.fullmatch(text)
    return (match.group(1), match.group(2)) if match else None


# --- source time marks ----------------------------------------------------------------


def format_sources(sources: Sequence[SourceRange]) -> str:
    """``[00:12:03–00:12:40]``; several ranges separated by "; "; empty without sources."""
    if not sources:
        return ""
    return "[" + "; ".join(f"{format_hms(s.start_s)}–{format_hms(s.end_s)}" for s in sources) + "]"


def parse_sources(mark: str) -> list[SourceRange] | None:
    """The ranges of a time mark (``[00:12:03–00:12:40]``, several separated by ";"; any
    dash), whole seconds; None if ``mark`` is no time mark."""
    match = SOURCE_MARK.fullmatch(mark)
    if match is None:
        return None
    ranges = []
    for part in match.group(1).split(";"):
        found = _SOURCE_RANGE.fullmatch(part.strip())
        if found is None:
            return None
        h1, m1, s1, h2, m2, s2 = (int(g) for g in found.groups())
        ranges.append(SourceRange(float(h1 * 3600 + m1 * 60 + s1), float(h2 * 3600 + m2 * 60 + s2)))
    return ranges


# --- dates and times ------------------------------------------------------------------


def german_date(value: str) -> str:
    """``2026-11-19`` → ``19.11.2026``; other text is returned as it is (stripped)."""
    return date_de(value.strip())


def german_time(value: str) -> str:
    """``18:00`` (or ``18.00``, ``18:00:00``, an ISO date-time) → ``18:00 Uhr``; other text
    is returned as it is (stripped)."""
    text = value.strip()
    match = _TIME.fullmatch(text)
    if match is None:
        return text
    return time_de(time(int(match.group(1)), int(match.group(2)))) + " Uhr"


# --- speakers -------------------------------------------------------------------------


def speaker_labels(items: Iterable[MinutesItem], names: Mapping[str, str]) -> list[str]:
    """Every speaker label of ``items`` (their speakers, labels in their texts), in order
    of number ("SPEAKER_2" before "SPEAKER_10"): the rows of the speaker table."""
    found: set[str] = set()
    known = sorted((k for k in names if k.strip()), key=len, reverse=True)
    pattern = (
        re.compile(r"\b(?:" + "|".join(re.escape(k) for k in known) + r")\b") if known else None
    )
    for item in items:
        found.update(labels_only(item.speakers, names))
        texts = [s.text for s in item.summary] + list(item.motions)
        if item.resolution_text:
            texts.append(item.resolution_text)
        for text in texts:
            found.update(SPEAKER_LABEL.findall(text))
            if pattern is not None:
                found.update(pattern.findall(text))

    def order(label: str) -> tuple[str, int, str]:
        match = _LABEL_NUMBER.search(label)
        stem = label[: match.start()] if match else label
        return (stem, int(match.group(1)) if match else -1, label)

    found.discard(UNKNOWN_SPEAKER)
    return sorted(found, key=order)


# --- papers, resolutions, votes -------------------------------------------------------


def paper_parts(paper: str) -> tuple[str, str]:
    """The kind and number of the paper line ("Vorlage: 2026/045"): "Vorlage 2026/045"
    or "Antrag 2026/051" carry their kind; a bare number is a "Vorlage"."""
    kind, _, number = paper.partition(" ")
    if not (kind[:1].isalpha() and number):
        kind, number = DEFAULT_PAPER_KIND, paper
    return kind, number


def resolution_blocks(text: str) -> list[str]:
    """The paragraphs the resolution text is written as (one per line)."""
    return [b.strip() for b in re.split(r"\n\s*\n|\n", text.strip()) if b.strip()]


def format_votes(item: MinutesItem) -> str:
    """``Ja: 14, Nein: 3, Enthaltungen: 2, Befangen: –``; a count not said reads "–"."""
    votes = item.votes

    def count(value: int | None) -> str:
        return DASH if value is None else str(value)

    return ", ".join(
        f"{label}: {count(getattr(votes, field))}" for field, label in VOTE_LABELS.items()
    )


def counts_shown(item: MinutesItem) -> bool:
    """Whether the vote line shows the counts (not after a deferral and the like, unless
    counts were said)."""
    return item.result not in NO_VOTE_RESULTS or item.votes.any_count()
