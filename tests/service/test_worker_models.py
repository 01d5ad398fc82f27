"""Which model steps a worker gets: warm ones (`[service] keep_models`) with the budget, or
cold ones; a context built with its own steps keeps them."""

from __future__ import annotations

from pathlib import Path

from protokoll.pipeline.runner import ModelSteps
from protokoll.pipeline.warm import WarmSteps
from protokoll.service.bootstrap import build_context, worker_steps
from tests.support.service import FakeStages, service_settings


def test_a_worker_keeps_its_models_by_default_within_the_budget(tmp_path: Path) -> None:
    steps = worker_steps(service_settings(tmp_path, model_memory_mb="6000", gpu_headroom_mb="512"))
    assert isinstance(steps, WarmSteps)
    assert (steps.memory_budget_mb, steps.gpu_headroom_mb) == (6000, 512)
    assert steps.loaded() == []  # nothing loads before the first job


def test_keep_models_off_loads_them_for_each_job(tmp_path: Path) -> None:
    assert isinstance(worker_steps(service_settings(tmp_path, keep_models="false")), ModelSteps)


def test_the_context_runs_jobs_on_the_warm_steps_unless_given_others(tmp_path: Path) -> None:
    assert isinstance(build_context(service_settings(tmp_path)).runner.stages, WarmSteps)
    fake = FakeStages()
    assert build_context(service_settings(tmp_path), stages=fake).runner.stages is fake
