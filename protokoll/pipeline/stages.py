"""The pipeline's stages, defined once: name, order, German label, progress weight, what
each takes and hands on, and the checkpoint it leaves in a job's work folder.

    intake -> transcription -> diarization -> assignment -> minutes (with an agenda)

Everything that names a stage reads it from here: the runner (`protokoll.pipeline.runner`)
that runs them, the checkpoints, the CLI's progress display, the service's job records and
audit entries (`stage.<name>`), and the AI-register figures. This module imports nothing
heavy, so any layer may use it.

To add a stage: add it to `STAGES` (in order), give its step a method on
`protokoll.pipeline.runner.Steps`, and, if its result should survive a crash, a codec in
`protokoll.pipeline.checkpoints.CODECS`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal


@dataclass(frozen=True)
class Stage:
    name: str
    label: str  # German, shown to the user (progress, job page)
    weight: float  # share of a whole job's time, for progress and time left
    kind: Literal["ai", "system"]  # how its audit entry classes it (AI Act documentation)
    inputs: tuple[str, ...]
    outputs: tuple[str, ...]
    checkpoint: str | None = None  # file in the job's work folder; None: not checkpointed
    needs_agenda: bool = False


# shares of a whole job's time on the CPU profile, from the measured real-time factors
# (README, docs/minutes.md): transcription ~0.07, diarization ~0.09 and the minutes stage
# ~1.0 seconds per second of audio (the structured Verlauf on the 1.5B model). The minutes
# stage dominates: on a 21-minute job the transcript is ready after about 3 minutes.
STAGES: tuple[Stage, ...] = (
    Stage(
        "intake", "Audio einlesen", 0.01, "system",
        inputs=("recording",), outputs=("decoded_audio",), checkpoint="intake.json",
    ),
    Stage(
        "transcription", "Transkription", 0.06, "ai",
        inputs=("decoded_audio", "agenda"), outputs=("transcription",),
        checkpoint="transcription.json",
    ),
    Stage(
        "diarization", "Sprechererkennung", 0.08, "ai",
        inputs=("decoded_audio", "agenda"), outputs=("speaker_turns",),
        checkpoint="diarization.json",
    ),
    Stage(
        "assignment", "Sprecherzuordnung", 0.01, "system",
        inputs=("decoded_audio", "transcription", "speaker_turns"),
        outputs=("transcript", "transcript documents"),
    ),
    Stage(
        "minutes", "Niederschrift", 0.84, "ai",
        inputs=("transcript", "agenda"), outputs=("minutes", "minutes documents"),
        needs_agenda=True,
    ),
)  # fmt: skip

STAGE_NAMES: tuple[str, ...] = tuple(s.name for s in STAGES)
BY_NAME: dict[str, Stage] = {s.name: s for s in STAGES}
# progress also reports the final writing of documents, which is not a stage of its own
OUTPUT_LABEL = "Ausgabe schreiben"
LABELS: dict[str, str] = {**{s.name: s.label for s in STAGES}, "output": OUTPUT_LABEL}


def stages_for(*, with_minutes: bool) -> list[str]:
    """The stages a job runs: all of them, or without those that need an agenda."""
    return [s.name for s in STAGES if with_minutes or not s.needs_agenda]


def rank(name: str) -> int:
    """A stage's place in the order; unknown names sort last."""
    return STAGE_NAMES.index(name) if name in BY_NAME else len(STAGES)


def stages_from(name: str) -> list[str]:
    """`name` and every stage after it: what runs again when `name` is re-run."""
    return list(STAGE_NAMES[STAGE_NAMES.index(name) :])


def overall_progress(stages: Sequence[str], current: str, fraction: float) -> float:
    """Progress of the whole job from the running stage's own fraction."""
    weights = {s: BY_NAME[s].weight for s in stages}
    total = sum(weights.values()) or 1.0
    order = list(stages)
    done = sum(weights[s] for s in order[: order.index(current)]) if current in weights else 0.0
    return min(1.0, (done + weights.get(current, 0.0) * max(0.0, min(1.0, fraction))) / total)
