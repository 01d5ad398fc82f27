"""The review workflow of the minutes as one pure function: which step is allowed, and where
it leads. The service asks here before every change of state; nothing else decides.

States: ``entwurf`` (draft) → ``in_pruefung`` (in review) → ``freigegeben`` (approved) →
``veroeffentlicht`` (published); ``zurueckgeben`` returns to the draft from review or
from approval. Rules:

- Only a reviewer (role ``pruefer``) approves. With four-eyes review two different
  reviewers must approve the same version; the first approval leaves the state in review.
- Nothing is published that is not approved; what is published is the approved version.
- The draft may be edited in ``entwurf`` and ``in_pruefung`` (an edit during review makes
  a new version, so approvals given for the old one no longer count); an approved or
  published version is never edited (return it to the draft first).
- Returning needs a reason.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from protokoll.errors import ProtokollError

STATES = ("entwurf", "in_pruefung", "freigegeben", "veroeffentlicht")
STATE_LABELS = {
    "entwurf": "Entwurf",
    "in_pruefung": "In Prüfung",
    "freigegeben": "Freigegeben",
    "veroeffentlicht": "Veröffentlicht",
}
ACTIONS = ("einreichen", "zurueckgeben", "freigeben", "veroeffentlichen")
ACTION_LABELS = {
    "einreichen": "Zur Prüfung geben",
    "zurueckgeben": "Zur Überarbeitung zurückgeben",
    "freigeben": "Freigeben",
    "veroeffentlichen": "Veröffentlichen",
}
EDITABLE_STATES = ("entwurf", "in_pruefung")


class WorkflowError(ProtokollError):
    """A step that the current state or the person's role does not allow (409/403)."""


class NotAllowed(WorkflowError):
    """The person may not take this step (role, four-eyes)."""


@dataclass(frozen=True)
class Actor:
    user_id: int
    is_reviewer: bool  # role pruefer
    is_owner: bool  # the meeting's Schriftführer(in)


@dataclass(frozen=True)
class Step:
    to_state: str
    final_approval: bool = False  # the version is now approved (all approvals present)
    approvals: int = 0  # approvals of the current version after this step
    required: int = 1


def required_approvals(four_eyes: bool) -> int:
    return 2 if four_eyes else 1


def decide(
    state: str,
    action: str,
    actor: Actor,
    *,
    has_version: bool,
    approvers: Sequence[int] = (),
    four_eyes: bool = False,
    reason: str = "",
) -> Step:
    """The step ``action`` taken by ``actor`` in ``state``; raises `WorkflowError` if not allowed.

    ``approvers`` are the users who approved the current version since it was submitted.
    """
    if state not in STATES:
        raise ValueError(f"unknown review state {state!r}")
    if action not in ACTIONS:
        raise WorkflowError(f"Unbekannter Prüfschritt „{action}“.")
    if not (actor.is_reviewer or actor.is_owner):
        raise NotAllowed("Nur die Schriftführung der Sitzung und die Prüfung dürfen das.")
    if not has_version:
        raise WorkflowError("Es gibt noch keinen Entwurf der Niederschrift.")
    required = required_approvals(four_eyes)

    if action == "einreichen":
        if state != "entwurf":
            raise WorkflowError(_wrong_state(state, "zur Prüfung gegeben"))
        return Step("in_pruefung", required=required)

    if action == "zurueckgeben":
        if not reason.strip():
            raise WorkflowError("Bitte einen Grund für die Rückgabe angeben.")
        if state == "in_pruefung":
            return Step("entwurf", required=required)
        if state == "freigegeben":
            if not actor.is_reviewer:
                raise NotAllowed("Eine Freigabe kann nur die Prüfung zurücknehmen.")
            return Step("entwurf", required=required)
        raise WorkflowError(_wrong_state(state, "zurückgegeben"))

    if action == "freigeben":
        if not actor.is_reviewer:
            raise NotAllowed(
                "Freigeben darf nur, wer die Rolle Prüfung hat; die Schriftführung kann die "
                "Niederschrift zur Prüfung geben."
            )
        if state == "entwurf":
            raise WorkflowError(
                "Die Niederschrift ist noch ein Entwurf; sie muss zuerst zur Prüfung gegeben "
                "werden."
            )
        if state != "in_pruefung":
            raise WorkflowError(_wrong_state(state, "freigegeben"))
        if actor.user_id in approvers:
            raise NotAllowed(
                "Sie haben diese Fassung bereits freigegeben. Nach dem Vier-Augen-Prinzip "
                "muss eine zweite Person freigeben."
            )
        approvals = len(set(approvers)) + 1
        final = approvals >= required
        return Step(
            "freigegeben" if final else "in_pruefung",
            final_approval=final,
            approvals=approvals,
            required=required,
        )

    # veroeffentlichen
    if state != "freigegeben":
        if state == "veroeffentlicht":
            raise WorkflowError("Die Niederschrift ist bereits veröffentlicht.")
        raise WorkflowError(
            "Die Niederschrift ist noch nicht freigegeben. Veröffentlicht werden kann nur eine "
            "Fassung, die eine prüfende Person freigegeben hat."
        )
    return Step("veroeffentlicht", approvals=required, required=required)


def check_editable(state: str) -> None:
    """Raise `WorkflowError` unless the draft may be changed in ``state``."""
    if state not in EDITABLE_STATES:
        raise WorkflowError(
            f"Die Niederschrift ist {STATE_LABELS[state].lower()} und kann nicht mehr geändert "
            "werden. Bitte sie zuerst zur Überarbeitung zurückgeben."
        )


def _wrong_state(state: str, what: str) -> str:
    return f"Die Niederschrift ist im Zustand „{STATE_LABELS[state]}“ und kann nicht {what} werden."
