"""The stage table: one definition that progress, checkpoints, the service and the register
read, and that must stay consistent."""

from __future__ import annotations

import pytest

from protokoll.pipeline import checkpoints, stages
from protokoll.pipeline.progress import STAGE_LABELS


def test_stages_have_unique_names_labels_and_weights_that_add_up() -> None:
    names = [s.name for s in stages.STAGES]
    assert len(set(names)) == len(names)
    assert len({s.label for s in stages.STAGES}) == len(names)
    assert sum(s.weight for s in stages.STAGES) == pytest.approx(1.0)
    assert {s.kind for s in stages.STAGES} <= {"ai", "system"}


def test_each_input_is_made_before_it_is_used() -> None:
    made = {"recording", "agenda"}
    for stage in stages.STAGES:
        assert set(stage.inputs) <= made, stage.name
        made |= set(stage.outputs)


def test_checkpoints_and_progress_follow_the_table() -> None:
    assert {
        s.name: s.checkpoint for s in stages.STAGES if s.checkpoint is not None
    } == checkpoints.STAGE_FILES
    assert set(checkpoints.CODECS) == set(checkpoints.STAGE_FILES)
    assert {s.name: s.label for s in stages.STAGES}.items() <= STAGE_LABELS.items()


def test_minutes_need_an_agenda() -> None:
    assert stages.stages_for(with_minutes=True) == list(stages.STAGE_NAMES)
    assert stages.stages_for(with_minutes=False) == list(stages.STAGE_NAMES[:-1])
    assert stages.stages_from("diarization") == ["diarization", "assignment", "minutes"]
    assert stages.rank("unbekannt") == len(stages.STAGES)


def test_overall_progress_grows_through_the_stages() -> None:
    order = stages.stages_for(with_minutes=True)
    points = [stages.overall_progress(order, s, f) for s in order for f in (0.0, 0.5, 1.0)]
    assert points == sorted(points)
    assert points[0] == 0.0
    assert points[-1] == pytest.approx(1.0)
