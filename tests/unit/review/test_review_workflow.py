"""The review workflow's rules (pure)."""

from __future__ import annotations

import pytest

from protokoll.review.workflow import (
    Actor,
    NotAllowed,
    WorkflowError,
    check_editable,
    decide,
)

OWNER = Actor(1, is_reviewer=False, is_owner=True)
REVIEWER = Actor(2, is_reviewer=True, is_owner=False)
REVIEWER2 = Actor(3, is_reviewer=True, is_owner=False)
STRANGER = Actor(4, is_reviewer=False, is_owner=False)


def test_the_happy_path_with_one_reviewer() -> None:
    assert decide("entwurf", "einreichen", OWNER, has_version=True).to_state == "in_pruefung"
    step = decide("in_pruefung", "freigeben", REVIEWER, has_version=True)
    assert (step.to_state, step.final_approval, step.approvals, step.required) == (
        "freigegeben", True, 1, 1,
    )  # fmt: skip
    published = decide("freigegeben", "veroeffentlichen", OWNER, has_version=True)
    assert published.to_state == "veroeffentlicht"


def test_schriftfuehrer_cannot_approve() -> None:
    with pytest.raises(NotAllowed, match="Rolle Prüfung"):
        decide("in_pruefung", "freigeben", OWNER, has_version=True)


@pytest.mark.parametrize("state", ["entwurf", "in_pruefung"])
def test_publication_before_approval_is_refused(state: str) -> None:
    with pytest.raises(WorkflowError, match="noch nicht freigegeben"):
        decide(state, "veroeffentlichen", REVIEWER, has_version=True)


def test_four_eyes_needs_two_different_reviewers() -> None:
    first = decide("in_pruefung", "freigeben", REVIEWER, has_version=True, four_eyes=True)
    assert (first.to_state, first.final_approval, first.approvals, first.required) == (
        "in_pruefung", False, 1, 2,
    )  # fmt: skip
    with pytest.raises(NotAllowed, match="zweite Person"):
        decide(
            "in_pruefung", "freigeben", REVIEWER, has_version=True, approvers=[2], four_eyes=True
        )
    second = decide(
        "in_pruefung", "freigeben", REVIEWER2, has_version=True, approvers=[2], four_eyes=True
    )
    assert (second.to_state, second.final_approval, second.approvals) == ("freigegeben", True, 2)


def test_returning_needs_a_reason_and_only_a_reviewer_withdraws_an_approval() -> None:
    with pytest.raises(WorkflowError, match="Grund"):
        decide("in_pruefung", "zurueckgeben", REVIEWER, has_version=True, reason="  ")
    assert (
        decide("in_pruefung", "zurueckgeben", OWNER, has_version=True, reason="noch offen").to_state
        == "entwurf"
    )
    with pytest.raises(NotAllowed):
        decide("freigegeben", "zurueckgeben", OWNER, has_version=True, reason="Fehler")
    assert (
        decide("freigegeben", "zurueckgeben", REVIEWER, has_version=True, reason="Fehler").to_state
        == "entwurf"
    )
    with pytest.raises(WorkflowError):
        decide("veroeffentlicht", "zurueckgeben", REVIEWER, has_version=True, reason="x")


def test_wrong_states_people_and_actions() -> None:
    with pytest.raises(WorkflowError, match="Entwurf"):
        decide("entwurf", "freigeben", REVIEWER, has_version=True)
    with pytest.raises(WorkflowError, match="In Prüfung"):
        decide("in_pruefung", "einreichen", OWNER, has_version=True)
    with pytest.raises(WorkflowError, match="keinen Entwurf"):
        decide("entwurf", "einreichen", OWNER, has_version=False)
    with pytest.raises(NotAllowed):
        decide("entwurf", "einreichen", STRANGER, has_version=True)
    with pytest.raises(WorkflowError, match="Unbekannter"):
        decide("entwurf", "loeschen", OWNER, has_version=True)
    with pytest.raises(WorkflowError, match="bereits veröffentlicht"):
        decide("veroeffentlicht", "veroeffentlichen", OWNER, has_version=True)


def test_only_draft_and_review_are_editable() -> None:
    check_editable("entwurf")
    check_editable("in_pruefung")
    for state in ("freigegeben", "veroeffentlicht"):
        with pytest.raises(WorkflowError, match="zurückgeben"):
            check_editable(state)
