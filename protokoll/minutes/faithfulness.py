"""Faithfulness checks: names, numbers, amounts and dates in the AI text must have been said.

Every number in a summary sentence (digits or number words, decimal commas,
thousands dots, "1,8 Mio." for "1,8 Millionen") must occur as a value in the
transcript of the same agenda item; a date "15.10.2026" needs its day, its
month (as number or name) and its year; every month name must have been said
too; every known name (members, "Herr/Frau X") must occur in that transcript
or be one of the speakers cited. What fails becomes a flag on the sentence:
highlighted in the DOCX for the reviewer, never silently dropped or "corrected".

`reference_text` (optional) is text the AI was given besides the transcript,
such as the item's heading with its paper number ("Vorlage 2026/045"): what
occurs there is no invention either.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from protokoll.domain.minutes import Flag, SummarySentence
from protokoll.minutes.numbers_de import parse_number

_SPEAKER_LABEL = re.compile(r"\bSprecher(?:in)?\s+\d+\b")
_NUMBER = re.compile(r"(?<![\w,.])\d{1,3}(?:\.\d{3})+(?:,\d+)?(?!\d)|(?<!\d)\d+(?:,\d+)?")
_DATE = re.compile(r"(?<![\w.])(\d{1,2})\.\s?(\d{1,2})\.(?:\s?(\d{4}|\d{2})\b)?")
_TIME = re.compile(r"(?<![\d.,])(\d{1,2})[:.](\d{2})(?=\s*Uhr\b)")
_SCALE = re.compile(
    r"^\s*(millionen|million|mio\b\.?|milliarden|milliarde|mrd\b\.?|tausend|tsd\b\.?)",
    re.IGNORECASE,
)
_SCALES = {"mil": 1e6, "mio": 1e6, "mrd": 1e9, "tau": 1e3, "tsd": 1e3}
_MONTHS = (
    "januar", "februar", "märz", "april", "mai", "juni", "juli", "august",
    "september", "oktober", "november", "dezember",
)  # fmt: skip
_MONTH_ALIASES = {"jänner": "januar", "maerz": "märz"}
_TITLED_NAME = re.compile(
    r"\b(?:Herrn?|Frau|Ratsmitglied|Ratsfrau|Ratsherr|Bürgermeister(?:in)?|Kämmerer(?:in)?)"
    r"\s+(?:(?:Dr|Prof)\.?\s+)*([A-ZÄÖÜ][\wäöüß]+(?:-[A-ZÄÖÜ][\wäöüß]+)?)"
)
# articles that are also numbers: not a value of their own ("eine Frage" is no 1) ...
_ARTICLES = {
    "ein", "eine", "einer", "einem", "einen", "eines", "kein", "keine", "keiner", "keinem",
    "keinen",
}  # fmt: skip
# ... except before what is counted in a vote ("eine Enthaltung", "keine Gegenstimmen")
_COUNTED = re.compile(
    r"\b(?P<a>ein|eine|einer|einem|kein|keine|keiner)\s+(?:weitere[nr]?\s+)?"
    r"(?:gegenstimme|enthaltung|stimmenthaltung|ja-?stimme|nein-?stimme|stimme|befangene)",
    re.IGNORECASE,
)
# number words in a summary that are also ordinary words ("außer Acht", "noch eins")
_AMBIGUOUS_NUMBER_WORDS = _ARTICLES | {"eins", "null", "acht", "elf", "hundert", "tausend"}
_ROLE_WORDS = {
    "bürgermeister", "bürgermeisterin", "ratsmitglied", "ratsfrau", "ratsherr", "kämmerer",
    "kämmerin", "vorsitzende", "vorsitzender", "beigeordnete", "beigeordneter", "kollege",
    "kollegin", "präsident", "präsidentin", "landrat", "landrätin", "stellvertreter",
    "stellvertreterin", "dr", "prof",
}  # fmt: skip


def _scale(after: str) -> float | None:
    match = _SCALE.match(after)
    if not match:
        return None
    return _SCALES[match.group(1).lower()[:3]]


def _value(raw: str) -> float:
    return float(raw.replace(".", "").replace(",", "."))


def number_values(text: str) -> set[float]:
    """All numeric values in a text: '1,8' -> 1.8, '1.200' -> 1200, 'vierzehn' -> 14.

    A number followed by 'Millionen', 'Mio.', 'Milliarden' or 'Tausend' also counts
    with its scale: '1,8 Millionen' -> 1.8 and 1 800 000.
    """
    values: set[float] = set()
    for match in _NUMBER.finditer(text):
        value = _value(match.group(0))
        values.add(value)
        scale = _scale(text[match.end() :])
        if scale:
            values.add(round(value * scale, 6))
    for word in re.findall(r"[^\W\d_]+", text.lower()):
        value_word = parse_number(word)
        if value_word is not None and word not in _ARTICLES:
            values.add(float(value_word))
    for match in _COUNTED.finditer(text):
        values.add(0.0 if match.group("a").lower().startswith("k") else 1.0)
    return values


def _words(text: str) -> set[str]:
    return set(re.findall(r"\w+", text.lower()))


def _months_said(words: set[str]) -> set[str]:
    return {_MONTH_ALIASES.get(w, w) for w in words} & set(_MONTHS)


@dataclass(frozen=True)
class _Said:
    values: set[float]
    words: set[str]
    months: set[str]
    allowed_names: set[str]


def _said(
    transcript_text: str,
    known_names: Sequence[str],
    speaker_names: Iterable[str],
    reference_text: str,
) -> _Said:
    values = number_values(transcript_text) | number_values(reference_text)
    words = _words(transcript_text) | _words(reference_text)
    words |= {w for n in speaker_names for w in _words(n)}
    # a member whose surname was said may be named in full ("Thomas Keller")
    allowed: set[str] = set()
    for name in known_names:
        parts = re.findall(r"[A-ZÄÖÜ][\wäöüß-]{2,}", name)
        if parts and _name_said(parts[-1], words):
            allowed |= {p.lower() for p in parts}
    return _Said(values, words | allowed, _months_said(words), allowed)


def _name_said(name: str, words: set[str]) -> bool:
    return all(part.lower() in words for part in name.split("-"))


def _date_flags(text: str, said: _Said) -> tuple[list[Flag], list[tuple[int, int]]]:
    """Flags for dates '15.10.2026' whose day, month or year was not said; their spans."""
    flags: list[Flag] = []
    spans: list[tuple[int, int]] = []
    for match in _DATE.finditer(text):
        day, month, year = int(match.group(1)), int(match.group(2)), match.group(3)
        if not (1 <= day <= 31 and 1 <= month <= 12):
            continue
        spans.append(match.span())
        month_ok = float(month) in said.values or _MONTHS[month - 1] in said.months
        year_ok = year is None or float(year) in said.values
        if float(day) not in said.values or not month_ok or not year_ok:
            raw = match.group(0).strip()
            flags.append(
                Flag(
                    "datum_unbelegt",
                    f"Das Datum „{raw}“ kommt im Transkript dieses TOP nicht vor; bitte prüfen.",
                    text=raw,
                )
            )
    return flags, spans


def _time_flags(text: str, said: _Said) -> tuple[list[Flag], list[tuple[int, int]]]:
    """Flags for times '19:30 Uhr' whose hour (or minutes other than :00) were not said."""
    flags: list[Flag] = []
    spans: list[tuple[int, int]] = []
    for match in _TIME.finditer(text):
        hour, minute = int(match.group(1)), int(match.group(2))
        if hour > 24 or minute > 59:
            continue
        spans.append(match.span())
        if float(hour) not in said.values or (minute and float(minute) not in said.values):
            flags.append(
                Flag(
                    "zahl_unbelegt",
                    f"Die Uhrzeit „{match.group(0)} Uhr“ kommt im Transkript dieses TOP nicht "
                    "vor; bitte prüfen.",
                    text=match.group(0),
                )
            )
    return flags, spans


def _check(sentence: SummarySentence, said: _Said, known_names: Sequence[str]) -> list[Flag]:
    flags, date_spans = _date_flags(sentence.text, said)
    time_flags, time_spans = _time_flags(sentence.text, said)
    flags += time_flags
    # "Sprecher 4" is a speaker label, not a claim
    label_spans = [m.span() for m in _SPEAKER_LABEL.finditer(sentence.text)]
    for match in _NUMBER.finditer(sentence.text):
        if any(
            start <= match.start() < end for start, end in date_spans + time_spans + label_spans
        ):
            continue
        raw = match.group(0)
        value = _value(raw)
        scale = _scale(sentence.text[match.end() :])
        if value in said.values or (scale and round(value * scale, 6) in said.values):
            continue
        flags.append(
            Flag(
                "zahl_unbelegt",
                f"Die Zahl „{raw}“ kommt im Transkript dieses TOP nicht vor; bitte prüfen.",
                text=raw,
            )
        )
    for word in re.findall(r"[^\W\d_]+", sentence.text):
        lowered = word.lower()
        if lowered in _AMBIGUOUS_NUMBER_WORDS:
            continue
        spoken = parse_number(lowered)
        if spoken is not None and float(spoken) not in said.values:
            flags.append(
                Flag(
                    "zahl_unbelegt",
                    f"Die Zahl „{word}“ kommt im Transkript dieses TOP nicht vor; bitte prüfen.",
                    text=word,
                )
            )
    lowered_text = sentence.text.lower()
    for month in _MONTHS:
        if re.search(rf"\b{month}\b", lowered_text) and month not in said.months:
            flags.append(
                Flag(
                    "datum_unbelegt",
                    f"Das Datum mit „{month.capitalize()}“ kommt im Transkript nicht vor.",
                    text=month.capitalize(),
                )
            )
    names: set[str] = set()
    for name in known_names:
        names.update(re.findall(r"[A-ZÄÖÜ][\wäöüß-]{2,}", name))
    names |= {n for n in _TITLED_NAME.findall(sentence.text) if n.lower() not in _ROLE_WORDS}
    for name in sorted(names):
        if re.search(rf"(?<![\w-]){re.escape(name)}(?![\w-])", sentence.text) and not _name_said(
            name, said.words
        ):
            flags.append(
                Flag(
                    "name_unbelegt",
                    f"Der Name „{name}“ kommt im Transkript dieses TOP nicht vor; bitte prüfen.",
                    text=name,
                )
            )
    return flags


def check_sentence(
    sentence: SummarySentence,
    transcript_text: str,
    known_names: Iterable[str] = (),
    speaker_names: Iterable[str] = (),
    *,
    reference_text: str = "",
) -> list[Flag]:
    """Flags for what one summary sentence claims that the transcript does not hold."""
    known = list(known_names)
    return _check(sentence, _said(transcript_text, known, speaker_names, reference_text), known)


def sentence_checker(
    transcript_text: str,
    known_names: Iterable[str] = (),
    speaker_names: Iterable[str] = (),
    *,
    reference_text: str = "",
    session_year: int | None = None,
) -> Callable[[SummarySentence], list[Flag]]:
    """All checks of `check_summary` for one sentence, with the transcript read once."""
    known = list(known_names)
    said = _said(transcript_text, known, list(speaker_names), reference_text)

    def check(sentence: SummarySentence) -> list[Flag]:
        return _check(sentence, said, known) + style_flags(sentence.text, session_year=session_year)

    return check


def check_summary(
    sentences: Sequence[SummarySentence],
    transcript_text: str,
    known_names: Iterable[str] = (),
    speaker_names: Iterable[str] = (),
    *,
    reference_text: str = "",
    session_year: int | None = None,
) -> None:
    """Attach faithfulness flags to each sentence (in place): what was not said, and what a
    Verlaufsprotokoll must not contain (direct speech, raw speaker labels, implausible years)."""
    known = list(known_names)
    said = _said(transcript_text, known, list(speaker_names), reference_text)
    for sentence in sentences:
        sentence.flags.extend(_check(sentence, said, known))
        sentence.flags.extend(style_flags(sentence.text, session_year=session_year))


# a raw diarization label, or "Sprecher 4:" / "Herr Berger:" leading into quoted words
_RAW_LABEL = re.compile(r"\bSPEAKER_\d+\b|\bUNBEKANNT\b")
_LABEL_COLON = re.compile(
    r"(^|[.!?]\s+)(?:Sprecher(?:in)?\s+\d+|(?:Herr|Frau)\s+[A-ZÄÖÜ][\wäöüß-]+|[A-ZÄÖÜ][\wäöüß-]+)\s*:\s"
)
# first person outside quotation marks: the speaker's own words, not minutes
_FIRST_PERSON = re.compile(r"\b(ich|wir|mir|mich|uns|unsere?[mnrs]?|meine?[mnrs]?)\b", re.I)
_QUOTED = re.compile(r"„[^“]*“|\"[^\"]*\"")
_YEAR = re.compile(r"(?<![\d.,])(1[89]\d\d|2[01]\d\d)(?![\d.,]\d)")
_FUTURE = re.compile(
    r"\b(wird|werden|werde|soll|sollen|solle|sollten|würde|würden|geplant|vorgesehen|künftig|"
    r"ab|bis|Baubeginn|Fertigstellung|Inbetriebnahme|beginnen|beginne|begännen|fertig)\b",
    re.I,
)
# a year named as history: "aus dem Jahr 1972", "seit 1998", "gebaut 1965"
_HISTORY = re.compile(
    r"\b(aus\s+dem\s+Jahr(?:e)?|seit(?:\s+dem\s+Jahr)?|von|im\s+Jahr(?:e)?|gebaut|errichtet|"
    r"eröffnet|stammt|stamme|damals|bereits)\s+$",
    re.I,
)
_CLAUSE = re.compile(r"[^,;:.!?]+")
_FAR_FUTURE_YEARS = 15  # a year this far after the session is a recognition error, not a plan


def style_flags(text: str, *, session_year: int | None = None) -> list[Flag]:
    """Flags for what a Schriftführer would never write in a Verlauf: direct speech (a
    speaker label with a colon, first person), a raw speaker label, and a year that cannot
    be right (far after the session, or a past year in a sentence about the future)."""
    flags: list[Flag] = []
    unquoted = _QUOTED.sub(" ", text)
    label = _RAW_LABEL.search(text)
    if label:
        flags.append(
            Flag(
                "sprecherkennung_roh",
                f"„{label.group(0)}“ ist eine Sprecherkennung, kein Name; bitte den Namen "
                "einsetzen oder die Person beschreiben.",
                text=label.group(0),
            )
        )
    direct = _LABEL_COLON.search(unquoted) or _FIRST_PERSON.search(unquoted)
    if direct:
        flags.append(
            Flag(
                "direkte_rede",
                "Der Satz gibt wörtliche Rede wieder; im Verlaufsprotokoll in indirekter Rede "
                "formulieren (z. B. „Herr Berger erklärte, die Fraktion stimme zu.“).",
                text=direct.group(0).strip(),
            )
        )
    if session_year is not None:
        for match in _YEAR.finditer(text):
            year = int(match.group(1))
            too_late = year > session_year + _FAR_FUTURE_YEARS
            # a past year in a clause about the future, unless it is named as history
            clause = next(c for c in _CLAUSE.finditer(text) if c.start() <= match.start() < c.end())
            before = text[clause.start() : match.start()]
            past_as_future = (
                year < session_year
                and bool(_FUTURE.search(clause.group(0)))
                and not _HISTORY.search(before)
            )
            if too_late or past_as_future:
                flags.append(
                    Flag(
                        "jahr_unplausibel",
                        f"Die Jahreszahl {year} passt nicht zu einer Sitzung im Jahr "
                        f"{session_year}; vermutlich falsch erkannt, bitte prüfen.",
                        text=match.group(1),
                    )
                )
    return flags
