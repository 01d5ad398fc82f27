"""Edits made in the browser, applied to a version of the minutes (pure functions).

Each function returns a new `Minutes`; the version it started from is never changed.
An edited sentence keeps the sources of the sentence it replaces (the reviewer refined
what was said there) but loses its review flags (the reviewer has dealt with them); an
unchanged sentence keeps both.
"""

from __future__ import annotations

import copy
import math
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from protokoll.domain.minutes import RESULTS, Boundary, Minutes, MinutesItem, SummarySentence, Votes
from protokoll.domain.speakers import (
    SPEAKER_LABEL,
    SpeakerNames,
    label_of,
    labels_only,
    names_in,
    shown_name,
)
from protokoll.domain.transcript import UNKNOWN_SPEAKER
from protokoll.errors import InputError

MAX_TEXT_CHARS = 100_000


@dataclass(frozen=True)
class ItemEdit:
    """What the TOP form sends; ``None`` leaves a field as it is."""

    summary: Sequence[str] | None = None  # one sentence (or paragraph) per entry
    motions: Sequence[str] | None = None
    resolution_text: str | None = None  # "" removes the resolution
    result: str | None = None  # "" = not recognised
    votes: Mapping[str, int | None] | None = None  # yes, no, abstain, biased
    start_s: float | None = None  # a new start of the TOP (boundary set by a person)


@dataclass(frozen=True)
class SessionEdit:
    """What the form "Sitzungsdaten" sends; ``None`` leaves a field as it is, "" empties it."""

    start_time: str | None = None  # "HH:MM"
    end_time: str | None = None
    place: str | None = None
    chair: str | None = None
    recorder: str | None = None  # the Schriftführung


# flags that a time or name set by a person settles
_SETTLED_BY = {"end_time": ("ende_fehlt", "ende_berechnet", "ende_unklar")}
_CLOCK_TIME = re.compile(r"(\d{1,2})[:.](\d{2})(?:\s*Uhr)?")


def clock_time(text: str, what: str) -> str:
    """``"19:42"``, ``"19.42"`` or ``"19:42 Uhr"`` → ``"19:42"``; "" stays ""; German error
    otherwise."""
    value = text.strip()
    if not value:
        return ""
    match = _CLOCK_TIME.fullmatch(value)
    if not match or int(match.group(1)) > 23 or int(match.group(2)) > 59:
        raise InputError(f"„{text}“ ist keine Uhrzeit für {what}; bitte z. B. 19:42 angeben.")
    return f"{int(match.group(1)):02d}:{match.group(2)}"


def edit_session(minutes: Minutes, edit: SessionEdit) -> Minutes:
    """The minutes with the session's times, place, chair or Schriftführung as ``edit``
    says; a flag that the new value settles (the end not said or not understood) goes."""
    edited = copy.deepcopy(minutes)
    changed: list[str] = []
    for key, what in (("start_time", "den Beginn"), ("end_time", "das Ende")):
        value = getattr(edit, key)
        if value is not None:
            value = clock_time(value, what)
            if value != getattr(edited.meeting, key):
                setattr(edited.meeting, key, value)
                changed.append(key)
    if edit.place is not None:
        edited.meeting.place = _text(edit.place, "Ort").strip()[:200]
    for key, what in (("chair", "Vorsitz"), ("recorder", "Schriftführung")):
        value = getattr(edit, key)
        if value is not None:
            value = _text(value, what).strip()[:200]
            if value != getattr(edited.attendance, key):
                setattr(edited.attendance, key, value)
                changed.append(key)
    settled = {kind for key in changed for kind in _SETTLED_BY.get(key, ())}
    edited.flags = [f for f in edited.flags if f.kind not in settled]
    return edited


def map_speakers(
    minutes: Minutes, names: Mapping[str, str], transcript_labels: Sequence[str] = ()
) -> Minutes:
    """The minutes with the speaker mapping replaced: label → name; an empty name unmaps.

    Labels may come from the minutes or from the transcript (``transcript_labels``).
    """
    known = set(_labels(minutes)) | set(transcript_labels)
    names = {label_of(key) or key: name for key, name in names.items()}
    unknown = sorted(set(names) - known)
    if unknown:
        raise InputError(
            f"Unbekannte Sprecherkennung: {', '.join(shown_name(u) for u in unknown)}."
        )
    edited = copy.deepcopy(minutes)
    mapping = dict(minutes.speaker_names)
    for label, name in names.items():
        name = " ".join(name.split())[:200]
        if name:
            mapping[label] = name
        else:
            mapping.pop(label, None)
    edited.speaker_names = dict(sorted(mapping.items()))
    # a renamed speaker's old name in the texts becomes its label, so the new name shows
    renamed = sorted(k for k in known if mapping.get(k) != minutes.speaker_names.get(k))
    if renamed:
        old = SpeakerNames(renamed, [minutes.speaker_names])
        for item in edited.items:
            context = labels_only(item.speakers, minutes.speaker_names)
            for sentence in item.summary:
                sentence.text = old.symbolic(sentence.text, context)
            item.motions = [old.symbolic(m, context) for m in item.motions]
            item.speakers = labels_only(item.speakers, minutes.speaker_names)
    return edited


def _labels(minutes: Minutes) -> list[str]:
    found: set[str] = set(minutes.speaker_names)
    for item in minutes.items:
        # older drafts kept names ("Sprecher 4", a proposed name) here, not labels
        found.update(labels_only(item.speakers, minutes.speaker_names))
        for text in [*(s.text for s in item.summary), *item.motions]:
            found.update(SPEAKER_LABEL.findall(text))
    found.discard(UNKNOWN_SPEAKER)
    return sorted(found)


def speaker_labels(minutes: Minutes, transcript_labels: Sequence[str] = ()) -> list[str]:
    """Every speaker of the minutes and the transcript, each once, in the order readers
    count them ("Sprecher 2" before "Sprecher 10"): the rows of the mapping table."""
    labels = set(_labels(minutes)) | {t for t in transcript_labels if t != UNKNOWN_SPEAKER}

    def order(label: str) -> tuple[int, int, str]:
        match = re.fullmatch(r"SPEAKER_(\d+)", label)
        return (0, int(match.group(1)), label) if match else (1, 0, label)

    return sorted(labels, key=order)


def edit_item(
    minutes: Minutes, number: str, edit: ItemEdit, *, duration_s: float | None = None
) -> Minutes:
    """The minutes with one TOP changed as ``edit`` says."""
    edited = copy.deepcopy(minutes)
    index = next((i for i, it in enumerate(edited.items) if it.number == number), None)
    if index is None:
        raise InputError(f"TOP {number} gibt es in dieser Niederschrift nicht.")
    item = edited.items[index]
    # texts may come as readers see them ("Sprecher 4", a name): stored with labels
    context = labels_only(item.speakers, minutes.speaker_names)
    names = SpeakerNames(_labels(minutes), [minutes.speaker_names])

    def symbolic(text: str) -> str:
        return names.symbolic(text, context)

    if edit.summary is not None:
        item.summary = _sentences(item.summary, edit.summary, symbolic)
    if edit.motions is not None:
        item.motions = [symbolic(_text(m, "Antrag")) for m in edit.motions if m.strip()]
    if edit.resolution_text is not None:
        text = _text(edit.resolution_text, "Beschlusstext").strip()
        old = (item.resolution_text or "").strip()
        if text not in (old, names_in(old, minutes.speaker_names)):
            item.resolution_text = text or None
            item.flags = [
                f for f in item.flags if f.kind not in ("beschluss_ki", "beschluss_fehlt")
            ]
    if edit.result is not None:
        result = edit.result.strip() or None
        if result is not None and result not in RESULTS:
            raise InputError(
                f"Unbekanntes Ergebnis „{result}“. Möglich sind: {', '.join(RESULTS)}."
            )
        if result != item.result:
            item.result = result
            item.flags = [f for f in item.flags if not f.kind.startswith("ergebnis")]
    if edit.votes is not None:
        votes = Votes(
            **{k: _count(k, edit.votes.get(k)) for k in ("yes", "no", "abstain", "biased")}
        )
        if votes != item.votes:
            item.votes = votes
            item.flags = [f for f in item.flags if not f.kind.startswith("stimmen")]
    if edit.start_s is not None:
        _move_start(edited.items, index, edit.start_s, duration_s)
    return edited


def _sentences(
    old: list[SummarySentence], texts: Sequence[str], symbolic: Callable[[str], str]
) -> list[SummarySentence]:
    by_text = {symbolic(" ".join(s.text.split())): s for s in old}
    result = []
    for position, raw in enumerate(t for t in texts if t.strip()):
        text = symbolic(" ".join(_text(raw, "Satz").split()))
        kept = by_text.get(text)
        if kept is not None:
            result.append(copy.deepcopy(kept))
            result[-1].text = text
            continue
        sources = list(old[position].sources) if position < len(old) else []
        result.append(SummarySentence(text=text, sources=sources, flags=[]))
    return result


def _text(value: str, what: str) -> str:
    if len(value) > MAX_TEXT_CHARS:
        raise InputError(f"{what} ist zu lang (höchstens {MAX_TEXT_CHARS:,} Zeichen).")
    return value.replace("\r\n", "\n")


def _count(key: str, value: int | None) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 10_000:
        labels = {"yes": "Ja", "no": "Nein", "abstain": "Enthaltungen", "biased": "Befangen"}
        raise InputError(f"Stimmenzahl „{labels[key]}“: bitte eine ganze Zahl ab 0 angeben.")
    return value


def _move_start(
    items: list[MinutesItem], index: int, start_s: float, duration: float | None
) -> None:
    """Set the TOP's start by hand; the previous TOP now ends there."""
    item = items[index]
    if not math.isfinite(start_s) or start_s < 0 or (duration is not None and start_s > duration):
        raise InputError(f"TOP {item.number}: der Beginn liegt außerhalb der Aufnahme.")
    before = next((i for i in reversed(items[:index]) if i.start_s is not None), None)
    after = next((i for i in items[index + 1 :] if i.start_s is not None), None)
    if before is not None and before.start_s is not None and start_s <= before.start_s:
        raise InputError(
            f"TOP {item.number} muss nach dem Beginn von TOP {before.number} "
            f"({format_clock(before.start_s)}) beginnen."
        )
    if after is not None and after.start_s is not None and start_s >= after.start_s:
        raise InputError(
            f"TOP {item.number} muss vor dem Beginn von TOP {after.number} "
            f"({format_clock(after.start_s)}) beginnen."
        )
    item.start_s = start_s
    item.boundary = Boundary(start_s=start_s, method="manuell")
    item.flags = [f for f in item.flags if f.kind not in ("grenze_unsicher", "top_nicht_gefunden")]
    if before is not None:
        before.end_s = start_s
    if item.end_s is None and after is not None:
        item.end_s = after.start_s


def format_clock(seconds: float) -> str:
    whole = int(seconds)
    return f"{whole // 3600:02d}:{whole % 3600 // 60:02d}:{whole % 60:02d}"


def parse_clock(text: str) -> float:
    """``"1:02:03"``, ``"62:03"`` or ``"3723"`` (seconds) → seconds; German error otherwise."""
    value = text.strip()
    match = re.fullmatch(r"(?:(\d{1,2}):)?(\d{1,3}):(\d{2})(?:[.,](\d+))?|(\d+(?:[.,]\d+)?)", value)
    if not match:
        raise InputError(
            f"„{text}“ ist keine Zeitangabe; bitte Std:Min:Sek angeben, z. B. 0:12:30."
        )
    if match.group(5) is not None:
        return float(match.group(5).replace(",", "."))
    hours, minutes, seconds = int(match.group(1) or 0), int(match.group(2)), int(match.group(3))
    if seconds >= 60 or (match.group(1) is not None and minutes >= 60):
        raise InputError(f"„{text}“ ist keine gültige Zeitangabe.")
    fraction = float("0." + match.group(4)) if match.group(4) else 0.0
    return hours * 3600 + minutes * 60 + seconds + fraction
