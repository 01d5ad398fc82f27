"""Speaker names in edited text turned back into speaker labels ("SPEAKER_03"), so that
texts stay symbolic and a renamed speaker changes everywhere."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from protokoll.documents.niederschrift_layout import UNKNOWN_SPEAKER_NAME, speaker_display_name


class Names:
    """Speaker names in edited text turned back into labels. A name can come from several
    mappings (as written, as now in the table, the base's); earlier ones win, and among
    labels of the same name the one the TOP already mentions."""

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

    def symbolic(self, text: str, context: Sequence[str]) -> str:
        if self.pattern is None:
            return text

        def label(match: re.Match[str]) -> str:
            options = self.by_name[match.group(0)]
            best = min(level for level, _ in options)
            candidates = [lbl for level, lbl in options if level == best]
            return next((c for c in context if c in candidates), candidates[0])

        return self.pattern.sub(label, text)
