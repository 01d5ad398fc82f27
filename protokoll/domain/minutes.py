"""The minutes (Niederschrift) as data: meeting, attendance, and per agenda item the
boundaries, debate summary with sources, motions, resolution, result, votes and flags.

`Minutes.to_dict()` is the `minutes.json` schema (`docs/minutes-schema.md`).
Times are seconds from the start of the recording. A vote count that was not
said is `None`, never a guess.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields
from typing import Any, Literal, TypeVar

MINUTES_SCHEMA_VERSION = "1.0"

_T = TypeVar("_T")

ProtocolType = Literal["verlauf", "ergebnis", "wort"]

# results as they appear in German minutes
RESULTS = (
    "einstimmig beschlossen",
    "mehrheitlich beschlossen",
    "beschlossen",
    "geändert beschlossen",
    "abgelehnt",
    "vertagt",
    "zur Kenntnis genommen",
    "zurückgezogen",
    "abgesetzt",
    "ohne Beschluss",
)


@dataclass(frozen=True)
class SourceRange:
    start_s: float
    end_s: float


@dataclass
class Flag:
    """Something the reviewer must check. `kind` is a stable key, `message` German."""

    kind: str
    message: str
    start_s: float | None = None
    end_s: float | None = None
    text: str | None = None


@dataclass
class SummarySentence:
    text: str
    sources: list[SourceRange] = field(default_factory=list)
    flags: list[Flag] = field(default_factory=list)


@dataclass
class Evidence:
    """The transcript passage a finding rests on."""

    text: str
    start_s: float
    end_s: float
    speaker: str | None = None


@dataclass
class Boundary:
    start_s: float
    method: str  # "ankündigung", "titel", "reihenfolge", "manuell"
    evidence: Evidence | None = None


@dataclass
class Votes:
    yes: int | None = None
    no: int | None = None
    abstain: int | None = None
    biased: int | None = None

    def any_count(self) -> bool:
        return any(v is not None for v in (self.yes, self.no, self.abstain, self.biased))


_COUNT_NAMES = {"yes": "Ja-Stimmen", "no": "Nein-Stimmen", "abstain": "Enthaltungen",
                "biased": "Befangenen"}  # fmt: skip


def counts_not_said(fields: list[str]) -> str:
    """What the reviewer reads about vote counts the recording does not say (``fields`` of
    `Votes`): "In der Aufnahme wurde die Zahl der Ja-Stimmen nicht genannt." """
    names = [_COUNT_NAMES[f] for f in fields]
    if len(names) == 1:
        return f"In der Aufnahme wurde die Zahl der {names[0]} nicht genannt."
    joined = ", ".join(names[:-1]) + " und der " + names[-1]
    return f"In der Aufnahme wurden die Zahlen der {joined} nicht genannt."


@dataclass
class MinutesItem:
    number: str
    title: str
    paper: str = ""
    public: bool = True
    start_s: float | None = None
    end_s: float | None = None
    boundary: Boundary | None = None
    summary: list[SummarySentence] = field(default_factory=list)
    motions: list[str] = field(default_factory=list)
    resolution_text: str | None = None
    resolution_evidence: Evidence | None = None
    result: str | None = None
    result_evidence: Evidence | None = None
    votes: Votes = field(default_factory=Votes)
    vote_evidence: list[Evidence] = field(default_factory=list)
    speakers: list[str] = field(default_factory=list)
    flags: list[Flag] = field(default_factory=list)


@dataclass
class Attendance:
    chair: str = ""
    present: list[str] = field(default_factory=list)
    absent: list[str] = field(default_factory=list)
    administration: list[str] = field(default_factory=list)
    guests: list[str] = field(default_factory=list)
    recorder: str = ""


@dataclass
class MinutesMeeting:
    body: str
    date: str  # ISO date
    session_number: str = ""
    place: str = ""
    start_time: str = ""
    end_time: str = ""


@dataclass
class Minutes:
    meeting: MinutesMeeting
    attendance: Attendance
    items: list[MinutesItem]
    protocol_type: ProtocolType = "verlauf"
    audio_sha256: str = ""
    speaker_names: dict[str, str] = field(default_factory=dict)
    models: list[dict[str, Any]] = field(default_factory=list)
    flags: list[Flag] = field(default_factory=list)
    ai_generated: bool = True
    # the reviewer's corrections of the transcript: segment index (as a string, in the
    # transcript.json of the job the minutes were drafted from) → corrected text
    transcript_edits: dict[str, str] = field(default_factory=dict)

    def public_items(self) -> list[MinutesItem]:
        return [i for i in self.items if i.public]

    def to_dict(self, *, public_only: bool = False) -> dict[str, Any]:
        items = self.public_items() if public_only else self.items
        data = asdict(self)
        data["items"] = [asdict(i) for i in items]
        if public_only:
            # model parameters hold the recogniser's hotwords: every agenda title, the
            # non-public ones too
            data["models"] = [
                {k: v for k, v in m.items() if k != "parameters"} for m in self.models
            ]
        if public_only:
            # corrected transcript text may quote a non-public item
            data["transcript_edits"] = {}
        data["schema_version"] = MINUTES_SCHEMA_VERSION
        data["public_version"] = public_only
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Minutes:
        """The inverse of `to_dict` (unknown fields are ignored, as the schema says)."""
        return Minutes(
            meeting=_build(MinutesMeeting, data.get("meeting") or {}),
            attendance=_build(Attendance, data.get("attendance") or {}),
            items=[_item_from_dict(i) for i in data.get("items") or []],
            protocol_type=data.get("protocol_type", "verlauf"),
            audio_sha256=data.get("audio_sha256", ""),
            speaker_names=dict(data.get("speaker_names") or {}),
            models=list(data.get("models") or []),
            flags=[_build(Flag, f) for f in data.get("flags") or []],
            ai_generated=bool(data.get("ai_generated", True)),
            transcript_edits={
                str(k): str(v) for k, v in (data.get("transcript_edits") or {}).items()
            },
        )


def _build(cls: type[_T], data: dict[str, Any]) -> _T:
    names = {f.name for f in fields(cls)}  # type: ignore[arg-type]
    return cls(**{k: v for k, v in data.items() if k in names})


def _evidence(data: dict[str, Any] | None) -> Evidence | None:
    return None if data is None else _build(Evidence, data)


def _item_from_dict(data: dict[str, Any]) -> MinutesItem:
    item = _build(MinutesItem, data)
    boundary = data.get("boundary")
    item.boundary = (
        None
        if boundary is None
        else Boundary(
            start_s=boundary["start_s"],
            method=boundary.get("method", "manuell"),
            evidence=_evidence(boundary.get("evidence")),
        )
    )
    item.summary = [
        SummarySentence(
            text=s["text"],
            sources=[_build(SourceRange, r) for r in s.get("sources") or []],
            flags=[_build(Flag, f) for f in s.get("flags") or []],
        )
        for s in data.get("summary") or []
    ]
    item.motions = list(data.get("motions") or [])
    item.resolution_evidence = _evidence(data.get("resolution_evidence"))
    item.result_evidence = _evidence(data.get("result_evidence"))
    item.votes = _build(Votes, data.get("votes") or {})
    item.vote_evidence = [_build(Evidence, e) for e in data.get("vote_evidence") or []]
    item.speakers = list(data.get("speakers") or [])
    item.flags = [_build(Flag, f) for f in data.get("flags") or []]
    return item
