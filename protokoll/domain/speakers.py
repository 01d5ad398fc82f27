"""One speaker label scheme for every reader (issue #17).

Inside protokoll a speaker is the diarization's label (``SPEAKER_03``): in the transcript,
in a TOP's ``speakers`` and in the minutes' texts ("SPEAKER_03 erklärte, …"). Readers never
see a label: they see the name the reviewer gave (``speaker_names``) or "Sprecher 4" (the
label's number plus one), in the browser, the DOCX, the subtitles and the published files.

- `shown_name` and `names_in`: labels → what the reader sees;
- `label_of`: what the reader sees as a speaker's key ("Sprecher 4") → the label;
- `SpeakerNames.symbolic`: names in a text someone wrote → labels, so that a renamed speaker
  changes everywhere (the Word round trip, the browser's TOP form, the draft itself).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence

from protokoll.domain.transcript import UNKNOWN_SPEAKER, UNKNOWN_SPEAKER_NAME, speaker_display_name

SPEAKER_LABEL = re.compile(r"\bSPEAKER_\d+\b")  # the diarization's labels
_SHOWN_LABEL = re.compile(r"Sprecher\s+(\d{1,4})")

shown_name = speaker_display_name


def label_of(key: str) -> str | None:
    """The label a speaker key names: ``SPEAKER_03`` itself, "Sprecher 4" → ``SPEAKER_03``;
    ``None`` for anything else (a name, "Unbekannt")."""
    text = " ".join(key.split())
    if SPEAKER_LABEL.fullmatch(text):
        return text
    match = _SHOWN_LABEL.fullmatch(text)
    if match and int(match.group(1)) >= 1:
        return f"SPEAKER_{int(match.group(1)) - 1:02d}"
    return None


def labels_only(keys: Iterable[str], names: Mapping[str, str] = {}) -> list[str]:
    """The labels among ``keys`` (older minutes kept "Sprecher 4" or a name in a TOP's
    speakers): a shown label becomes its label, a mapped name the label it is mapped from,
    anything else is dropped. In the order of ``keys``, each once."""
    by_name = {" ".join(v.split()): k for k, v in names.items() if v.strip()}
    found: dict[str, None] = {}
    for key in keys:
        if not key or key == UNKNOWN_SPEAKER:
            continue
        label = label_of(key) or (key if key in names else by_name.get(" ".join(key.split())))
        if label is not None:
            found.setdefault(label, None)
    return list(found)


def names_in(text: str, names: Mapping[str, str]) -> str:
    """Speaker labels in ``text`` replaced by the names readers see: the mapped name, or
    "Sprecher 4" for an unmapped ``SPEAKER_03``."""
    if names:
        labels = sorted((k for k in names if k.strip()), key=len, reverse=True)
        if labels:
            pattern = r"\b(?:" + "|".join(re.escape(k) for k in labels) + r")\b"
            text = re.sub(pattern, lambda m: speaker_display_name(m.group(0), names), text)
    return SPEAKER_LABEL.sub(lambda m: speaker_display_name(m.group(0), names), text)


class SpeakerNames:
    """Speaker names in edited text turned back into labels. A name can come from several
    mappings (as written, as now in the table, the base's); earlier ones win, and among
    labels of the same name the one the TOP already mentions. "Sprecher 4" (no mapping)
    always reads as its label."""

    def __init__(self, labels: Sequence[str], mappings: Sequence[Mapping[str, str]]) -> None:
        self.by_name: dict[str, list[tuple[int, str]]] = {}
        for level, mapping in enumerate([*mappings, {}]):
            for label in labels:
                name = speaker_display_name(label, mapping)
                if name and name not in (label, UNKNOWN_SPEAKER_NAME):
                    options = self.by_name.setdefault(name, [])
                    if (level, label) not in options:
                        options.append((level, label))
        names = sorted(self.by_name, key=len, reverse=True)
        self.pattern = (
            re.compile(r"(?<!\w)(?:" + "|".join(re.escape(n) for n in names) + r")(?!\w)")
            if names
            else None
        )

    def symbolic(self, text: str, context: Sequence[str] = ()) -> str:
        if self.pattern is None:
            return text

        def label(match: re.Match[str]) -> str:
            options = self.by_name[match.group(0)]
            best = min(level for level, _ in options)
            candidates = [lbl for level, lbl in options if level == best]
            return next((c for c in context if c in candidates), candidates[0])

        return self.pattern.sub(label, text)
